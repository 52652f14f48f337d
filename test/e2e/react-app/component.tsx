// kasir/react's props, only type-checked (test/e2e/react-package.test.ts) against the packed tarball.
import { useRef } from 'react';
import { KasirCheckout, type KasirCheckoutElement, type KasirErrorDetail } from 'kasir/react';

export function Checkout() {
  const ref = useRef<KasirCheckoutElement>(null);
  return (
    <KasirCheckout
      ref={ref}
      className="checkout"
      endpoint="https://pay.example.com"
      cart="signed.token"
      mode="tab"
      returnUrl="https://shop.example.com/thanks"
      customer={{ name: 'Siti', email: 'siti@example.com' }}
      onKasirOpen={(e) => e.detail.paymentUrl}
      onKasirClose={(e) => e.detail.id}
      onKasirError={(e) => console.warn((e.detail satisfies KasirErrorDetail).status)}
      onKasirExpired={(e) => e.detail.status}
    />
  );
}

export const wrong = [
  // @ts-expect-error items are {sku, qty} objects
  <KasirCheckout items={[{ sku: 'tee-m' }]} />,
  // @ts-expect-error no such event prop
  <KasirCheckout onKasirPayed={() => {}} />,
  // @ts-expect-error kasir-close's detail has only `id`
  <KasirCheckout onKasirClose={(e) => e.detail.amount} />,
];
