// Layout facts on small screens (issue 11 §10), in real Chromium at phone widths: nothing wider
// than a 320 px screen, the pay code on one line at 390 px, and the outcome brought into view and
// focused when the shopper comes back from a payment page far down a long page.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../widget/define.js';
import type { CheckoutView, PublicConfig } from '../../proxy/lib/contract.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import { $, ENDPOINT, has, json, restoreFetch, setPageUrl, settled, stubProxy, view } from './helpers.js';

const CONFIG: PublicConfig = {
  providers: [
    { id: 'winpay', name: 'Winpay', currency: 'IDR', requires: ['phone'] },
    { id: 'faspay', name: 'Faspay', currency: 'IDR', requires: [] },
    { id: 'uapay', name: 'UAPAY', currency: 'UAH', requires: [] },
    { id: 'amdigipay', name: 'AMDigipay', currency: 'IDR', requires: [] },
  ],
  catalog: [
    { sku: 'kopi-250', name: 'Kopi Gayo beans, 250 g, single origin, medium roast', price: { IDR: 95000, UAH: 24900 } },
    { sku: 'tee-m', name: 'Batik T-shirt, M', price: { IDR: 150000, UAH: 39900 } },
  ],
};
const ITEMS = '[{"sku":"kopi-250","qty":12},{"sku":"tee-m","qty":1}]';

let restoreUrl: (() => void) | undefined;
afterEach(async () => {
  restoreFetch();
  restoreUrl?.();
  restoreUrl = undefined;
  await setViewport({ width: 800, height: 600 });
});

/** Whether anything in the element (its shadow tree included) reaches past the viewport's right edge. */
function overflows(el: KasirCheckout): string[] {
  const out: string[] = [];
  const walk = (root: ParentNode) =>
    root.querySelectorAll('*').forEach((node) => {
      const r = node.getBoundingClientRect();
      if (r.width && r.right > innerWidth + 0.5) out.push(`${node.localName}.${node.getAttribute('part') ?? node.className}: right ${r.right}`);
    });
  walk(el.shadowRoot!);
  if (document.documentElement.scrollWidth > innerWidth) out.push(`page scrollWidth ${document.documentElement.scrollWidth}`);
  return out;
}

async function returnPage(order: CheckoutView, locale = 'en', before = ''): Promise<KasirCheckout> {
  const restore = setPageUrl(`?kasir_order=${order.id}`);
  restoreUrl ??= restore; // the first one holds the page's own URL
  stubProxy({ [`GET /v1/checkouts/${order.id}`]: () => json(order) });
  const wrapper = await fixture<HTMLElement>(html`<div style="margin:0">
    <div style=${`height:${before || '0'}`}></div>
    <kasir-checkout endpoint=${ENDPOINT} locale=${locale}></kasir-checkout>
  </div>`);
  const el = wrapper.querySelector('kasir-checkout')!;
  await settled(el);
  return el;
}

const VA = view({ id: 'ord_va', payCode: '8808123456789012', channel: 'bca', paymentUrl: '', expiresAt: new Date(Date.now() + 9e5).toISOString() });

for (const locale of ['en', 'id', 'uk']) {
  describe(`layout (${locale})`, () => {
    it('no horizontal overflow at 320 px: the form with its summary and picker', async () => {
      await setViewport({ width: 320, height: 640 });
      stubProxy({ 'GET /v1/config': () => json(CONFIG) });
      const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS} locale=${locale} locale-switch></kasir-checkout>`);
      await settled(el);
      expect([has(el, '[part="picker"]'), has(el, '[part="summary"]')]).to.deep.equal([true, true]);
      expect(overflows(el)).to.deep.equal([]);
    });

    it('no horizontal overflow at 320 px: the pay code with its steps, and a receipt', async () => {
      await setViewport({ width: 320, height: 640 });
      let el = await returnPage(VA, locale);
      await waitUntil(() => has(el, '[part="steps"]'), 'no steps');
      expect(overflows(el)).to.deep.equal([]);
      el = await returnPage(view({ id: 'ord_paid_320', status: 'paid', ref: 'INV-2026-000000042', lines: [{ sku: 'kopi-250', name: 'Kopi Gayo beans, 250 g, single origin, medium roast', qty: 12, price: 95000 }], amount: 1140000 }), locale);
      expect(overflows(el)).to.deep.equal([]);
    });

    it('the pay code on one line at 390 px, never broken inside a group of four', async () => {
      await setViewport({ width: 390, height: 844 });
      const el = await returnPage(VA, locale);
      const groups = [...el.shadowRoot!.querySelectorAll('[part="pay-code"] span')].map((s) => s.getBoundingClientRect());
      expect(groups).to.have.length(4);
      expect(new Set(groups.map((g) => Math.round(g.top))).size).to.equal(1);
      expect($(el, '[part="pay-code"]').getClientRects().length).to.equal(1);
    });
  });
}

describe('layout: the outcome after returning', () => {
  it('is scrolled into view and focused on a phone, far down a long page', async () => {
    await setViewport({ width: 390, height: 844 });
    const el = await returnPage(view({ id: 'ord_far', status: 'paid' }), 'en', '1500px');
    await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('part') === 'status', 'the outcome did not take the focus');
    const r = $(el, '[part="status"]').getBoundingClientRect();
    expect(r.top >= 0 && r.bottom <= innerHeight).to.equal(true);
  });
});
