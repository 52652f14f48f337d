// The storefront page of the React tests, written as an adopter would: the `kasir/react`
// component with an array of items and typed event props. Rendered in the browser by client.tsx
// (test/e2e/react-vite.test.ts), and on the server (renderToString) then hydrated by hydrate.tsx
// (react-ssr.test.ts). The pragma is for the server side, where tsx compiles this file without
// the project's tsconfig.
/** @jsxRuntime automatic @jsxImportSource react */
import { useState } from 'react';
import { type CheckoutView, KasirCheckout } from 'kasir/react';

export interface ShopProps {
  endpoint: string;
}

export function Shop({ endpoint }: ShopProps) {
  const [items, setItems] = useState([
    { sku: 'kopi-250', qty: 2 },
    { sku: 'mug', qty: 1 },
  ]);
  const [paid, setPaid] = useState<CheckoutView>();
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <main>
      <h1>Kopi shop</h1>
      <button type="button" onClick={() => setItems((list) => [...list, { sku: 'tote', qty: 1 }])}>
        Add a tote bag
      </button>
      <KasirCheckout
        endpoint={endpoint}
        provider="winpay"
        locale="en"
        items={items}
        onKasirCreated={(e) => sessionStorage.setItem('kasir-created', e.detail.id)}
        onKasirPaid={(e) => setPaid(e.detail)}
        onKasirError={(e) => setErrors((list) => [...list, e.detail.code])}
      />
      {paid && (
        <output data-testid="paid">
          Thank you: {paid.id} paid {paid.amount} {paid.currency}
        </output>
      )}
      {errors.length > 0 && <p data-testid="errors">{errors.join(',')}</p>}
    </main>
  );
}
