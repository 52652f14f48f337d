// Accessibility: axe clean in every state and every language, and a purchase with the keyboard only.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/define.js';
import type { CheckoutView, PublicConfig } from '../../proxy/lib/contract.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import { CONFIG, ENDPOINT, button, configOf, fill, focused, has, json, networkDown, restoreFetch, setPageUrl, settled, stubProxy, view } from './helpers.js';

let restoreUrl: (() => void) | undefined;

// Setup, not the behaviour under test: the first test would otherwise pay for loading axe and the
// on-demand modules through the dev server, which on a loaded machine takes longer than a test may.
before(async function () {
  this.timeout(30_000);
  await Promise.all([
    import('../../widget/screens/checkout.js'),
    import('../../widget/screens/order.js'),
    import('../../widget/banks/banks.js'),
    import('../../widget/validate.js'),
    import('../../widget/qr.js'),
    import('../../widget/i18n/id.js'),
    import('../../widget/i18n/uk.js'),
  ]);
  const probe = document.createElement('p');
  probe.textContent = 'axe';
  document.body.append(probe);
  await expect(probe).to.be.accessible();
  probe.remove();
});

const RICH_CONFIG: PublicConfig = {
  ...CONFIG,
  catalog: [{ sku: 'tee-m', name: 'Batik T-shirt, M', price: { IDR: 150000, UAH: 39900 } }],
  methods: [
    { id: 'bca', provider: 'winpay', channel: 'BCA', group: 'va', label: { en: 'BCA Virtual Account' } },
    { id: 'mandiri', provider: 'winpay', channel: 'MANDIRI', group: 'va', label: { en: 'Mandiri Virtual Account' } },
    { id: 'qris', provider: 'winpay', group: 'qris', label: { en: 'QRIS' } },
    { id: 'card', provider: 'uapay', group: 'card', label: { en: 'Card', id: 'Kartu', uk: 'Картка' } },
  ],
};

afterEach(() => {
  restoreFetch();
  restoreUrl?.();
  restoreUrl = undefined;
});

async function form(locale: string): Promise<KasirCheckout> {
  const el = await fixture<KasirCheckout>(
    html`<kasir-checkout endpoint=${ENDPOINT} items='[{"sku":"tee-m","qty":1}]' locale=${locale}></kasir-checkout>`,
  );
  await settled(el);
  el.navigate = () => {};
  return el;
}

async function returnPage(order: CheckoutView, locale: string): Promise<KasirCheckout> {
  restoreUrl = setPageUrl(`?kasir_order=${order.id}`);
  stubProxy({ [`GET /v1/checkouts/${order.id}`]: () => json(order) });
  const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} locale=${locale}></kasir-checkout>`);
  await settled(el);
  return el;
}

for (const locale of ['en', 'id', 'uk']) {
  describe(`accessibility (${locale})`, () => {
    it('the form: empty, with a picker and required fields, then invalid', async () => {
      stubProxy({ 'GET /v1/config': () => json(CONFIG) });
      const el = await form(locale);
      expect(has(el, 'fieldset[part="picker"]')).to.equal(true);
      await expect(el).to.be.accessible();
      fill(el, { email: 'x', phone: '1' });
      button(el).click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('[aria-invalid="true"]')).to.have.length(3);
      await expect(el).to.be.accessible();
    });

    it('the form with a request error', async () => {
      stubProxy({ 'GET /v1/config': () => json(configOf('uapay')), 'POST /v1/checkouts': networkDown });
      const el = await form(locale);
      fill(el, { name: 'Budi' });
      button(el).click();
      await waitUntil(() => has(el, '[role="alert"]'));
      await expect(el).to.be.accessible();
    });

    for (const status of ['paid', 'failed', 'cancelled', 'expired', 'refunded'] as const) {
      it(`the outcome: ${status}`, async () => {
        const el = await returnPage(view({ id: `ord_${status}_${locale}`, status }), locale);
        expect(el.shadowRoot!.querySelector('[part="status"]')?.getAttribute('data-status')).to.equal(status);
        await expect(el).to.be.accessible();
      });
    }

    it('the form with methods grouped, a summary and the language menu', async () => {
      stubProxy({ 'GET /v1/config': () => json(RICH_CONFIG) });
      const el = await fixture<KasirCheckout>(
        html`<kasir-checkout endpoint=${ENDPOINT} items='[{"sku":"tee-m","qty":2}]' locale=${locale} locale-switch></kasir-checkout>`,
      );
      await settled(el);
      expect(has(el, '[part="summary"]') && has(el, '[part="picker"] [role="group"]')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('a receipt: order number, lines, date, method', async () => {
      const paid = view({
        id: `ord_rcpt_${locale}`,
        status: 'paid',
        paidAt: '2026-11-30T10:14:00.000Z',
        lines: [{ sku: 'tee-m', name: 'Batik T-shirt, M', qty: 2, price: 150000 }],
        amount: 300000,
      });
      const el = await returnPage(paid, locale);
      expect(has(el, '.receipt')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('pending, a BCA virtual account with its steps', async () => {
      const order = view({ id: `ord_bca_${locale}`, payCode: '8808123456789012', channel: 'bca', paymentUrl: '' });
      const el = await returnPage(order, locale);
      await waitUntil(() => has(el, '[part="steps"]'), 'no steps');
      await expect(el).to.be.accessible();
    });

    it('pending, with the QR and the pay code', async () => {
      const order = view({ id: `ord_qr_${locale}`, qrString: 'QRIS-DEMO-1234567890', payCode: '8808123456789012', paymentUrl: '' });
      const el = await returnPage(order, locale);
      await waitUntil(() => has(el, 'svg[part="qr-image"]'));
      await expect(el).to.be.accessible();
    });
  });
}

describe('keyboard only', () => {
  it('a purchase from the first Tab to Enter: picker by arrows, fields, submit', async () => {
    const calls = stubProxy({ 'GET /v1/config': () => json(CONFIG), 'POST /v1/checkouts': () => json(view({ provider: 'faspay' }), 201) });
    const wrapper = await fixture<HTMLElement>(html`<div>
      <button id="before">before</button>
      <kasir-checkout endpoint=${ENDPOINT} items='[{"sku":"tee-m","qty":1}]' locale="en"></kasir-checkout>
    </div>`);
    const el = wrapper.querySelector('kasir-checkout')!;
    await settled(el);
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();

    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('method');
    await sendKeys({ press: 'ArrowDown' }); // Winpay → Faspay, which needs email and phone
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('name');
    await sendKeys({ type: 'Siti Rahma' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'siti@example.com' });
    await sendKeys({ press: 'Enter' }); // the phone is missing: focus goes there
    await el.updateComplete;
    await el.updateComplete;
    expect(focused(el)).to.equal('phone');
    await sendKeys({ type: '081234567890' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => navigated.length === 1, 'no payment page opened');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).to.include({ provider: 'faspay' });
    expect((post.body as { customer: unknown }).customer).to.deep.equal({ name: 'Siti Rahma', email: 'siti@example.com', phone: '081234567890' });
  });
});
