'use client';
// docs/react.md's Next.js client component, only type-checked (test/e2e/react-package.test.ts).
import { KasirCheckout, type CheckoutView } from 'kasir/react';

export function Checkout({ items, onPaidUrl }: { items: { sku: string; qty: number }[]; onPaidUrl: string }) {
  return (
    <KasirCheckout
      endpoint="https://pay.example.com"
      items={items}
      mode="popup"
      onKasirPaid={(e: CustomEvent<CheckoutView>) => location.assign(`${onPaidUrl}?order=${e.detail.id}`)}
      onKasirError={(e) => console.warn('kasir', e.detail.code, e.detail.field)}
    />
  );
}
