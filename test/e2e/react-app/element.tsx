// The tag itself in JSX, typed by kasir/jsx (dist/jsx.d.ts generated from custom-elements.json).
// Only type-checked (test/e2e/react-package.test.ts), against the packed tarball.
/// <reference types="kasir/jsx" />
import 'kasir';
import type { CheckoutView, KasirErrorDetail } from 'kasir';

export function Checkout({ onPaid }: { onPaid: (order: CheckoutView) => void }) {
  return (
    <kasir-checkout
      endpoint="https://pay.example.com"
      provider="winpay"
      items={[{ sku: 'tee-m', qty: 1 }]}
      return-url="https://shop.example.com/thanks"
      mode="popup"
      onkasir-paid={(e) => onPaid(e.detail)}
      onkasir-error={(e) => console.warn((e.detail satisfies KasirErrorDetail).code)}
    />
  );
}

// The types are not `any`: each line below must be refused.
export const wrong = [
  // @ts-expect-error items are {sku, qty} objects
  <kasir-checkout items={['tee-m']} />,
  // @ts-expect-error mode is one of redirect | popup | tab
  <kasir-checkout mode="window" />,
  // @ts-expect-error kasir-paid's detail is a CheckoutView, which has no `foo`
  <kasir-checkout onkasir-paid={(e) => e.detail.foo} />,
];

// The element type is known to the DOM too (HTMLElementTagNameMap).
export const mode: 'redirect' | 'popup' | 'tab' = document.createElement('kasir-checkout').mode;
