// The hosted pay page every simulator shows: the order, and buttons that post back to it.
// Plain HTML forms (no script), so it works under any Content-Security-Policy.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { MINOR_UNIT_DIGITS } from '../lib/money';

export type PayPageAction = 'pay' | 'cancel' | 'fail' | 'expire';
const ACTION_LABELS: Record<PayPageAction, string> = { pay: 'Pay', cancel: 'Cancel', fail: 'Fail', expire: 'Let it expire' };

export interface PayPageOptions {
  providerName: string;
  reference: string;
  amount: number;
  currency: string;
  items: { name: string; qty: number; price: number }[];
  /** Shown under the amount when the payment is no longer open. */
  state?: string;
  /** Extra content (a QR string, a pay code), already escaped. */
  extra?: HtmlEscapedString | Promise<HtmlEscapedString>;
  /** The page's own URL: each button posts to `<pageUrl>/<action>`. */
  pageUrl: string;
  actions: PayPageAction[];
}

export function formatMoney(amount: number, currency: string): string {
  const digits = MINOR_UNIT_DIGITS[currency] ?? 2;
  return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    amount / 10 ** digits,
  );
}

const STYLE = raw(`
body{font:16px/1.5 system-ui,sans-serif;background:#f3f4f6;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 4px 24px #0002;padding:24px 28px;width:min(420px,92vw)}
.badge{display:inline-block;font-size:12px;background:#fde68a;border-radius:99px;padding:2px 10px}
table{width:100%;border-collapse:collapse;margin:16px 0}td{padding:4px 0}td:last-child{text-align:right}
.total{font-size:28px;font-weight:700;margin:8px 0}.actions{display:flex;gap:8px;flex-wrap:wrap}
button{font:inherit;padding:10px 18px;border-radius:8px;border:1px solid #d1d5db;background:#fff;cursor:pointer}
button[name=pay]{background:#16a34a;color:#fff;border-color:#16a34a}.state{font-weight:600}
code{word-break:break-all;background:#f3f4f6;padding:2px 4px;border-radius:4px}`);

export function renderPayPage(o: PayPageOptions) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${o.providerName} sandbox · pay ${formatMoney(o.amount, o.currency)}</title>
    <style>${STYLE}</style>
  </head>
  <body>
    <main>
      <span class="badge">${o.providerName} sandbox · no real money</span>
      <h1>Pay ${o.providerName}</h1>
      <p>Reference <code>${o.reference}</code></p>
      <table>
        ${o.items.map((i) => html`<tr><td>${i.name} × ${i.qty}</td><td>${formatMoney(i.price * i.qty, o.currency)}</td></tr>`)}
      </table>
      <p class="total" data-amount="${o.amount}">${formatMoney(o.amount, o.currency)}</p>
      ${o.extra ?? ''}
      ${o.state
        ? html`<p class="state" role="status">${o.state}</p>`
        : html`<div class="actions">
            ${o.actions.map((a) => html`<form method="post" action="${o.pageUrl}/${a}"><button type="submit" name="${a}">${ACTION_LABELS[a]}</button></form>`)}
          </div>`}
    </main>
  </body>
</html>`;
}
