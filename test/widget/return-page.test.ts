import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../widget/define.js';
import type { CheckoutView } from '../../proxy/lib/contract.js';
import type { KasirEventName } from '../../widget/events.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import { $, button, fill, has, json, restoreFetch, setPageUrl, stubFetch, view } from './helpers.js';

const ENDPOINT = 'http://proxy.test';
let restoreUrl: (() => void) | undefined;

afterEach(() => {
  restoreFetch();
  restoreUrl?.();
  restoreUrl = undefined;
});

/** Mounts the element on a return page whose URL claims success, whatever the order says. */
async function returnTo(order: CheckoutView, event: KasirEventName, locale = 'en') {
  restoreUrl = setPageUrl(`?kasir_order=${order.id}&status=paid&amount=1`);
  const calls = stubFetch(() => json(order));
  const fired = oneEvent<CustomEvent<CheckoutView>>(document, event);
  const el = await fixture<KasirCheckout>(
    html`<kasir-checkout endpoint=${ENDPOINT} provider="winpay" items='[{"sku":"tee-m","qty":1}]' locale=${locale}></kasir-checkout>`,
  );
  const { detail } = await fired;
  await el.updateComplete;
  return { el, calls, detail };
}

describe('<kasir-checkout> return page', () => {
  it('asks the proxy, shows paid with the amount, and fires kasir-paid', async () => {
    const order = view({ id: 'ord_paid1', status: 'paid', amount: 150000, currency: 'IDR' });
    const { el, calls, detail } = await returnTo(order, 'kasir-paid');
    expect(calls.map((c) => `${c.method} ${c.url}`)).to.deep.equal([`GET ${ENDPOINT}/v1/checkouts/ord_paid1`]);
    expect(detail).to.deep.equal(order);
    const panel = $(el, '[data-status="paid"]');
    expect(panel.getAttribute('part')).to.equal('status');
    expect(panel.getAttribute('role')).to.equal('status');
    expect(panel.querySelector('.title')?.textContent?.trim()).to.equal('Payment received');
    expect(panel.textContent).to.contain('IDR\u00a0150,000');
    expect(panel.textContent).to.not.contain('150,000.00');
    expect(has(el, 'form')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('trusts the proxy, not the query: a pending order stays pending and can be checked again', async () => {
    const order = view({ id: 'ord_pend1', status: 'pending', amount: 39900, currency: 'UAH', provider: 'uapay' });
    const { el, calls } = await returnTo(order, 'kasir-pending', 'uk');
    const panel = $(el, '[part="status"]');
    expect(panel.dataset['status']).to.equal('pending');
    expect(panel.querySelector('.title')?.textContent?.trim()).to.equal('Очікуємо на вашу оплату');
    expect(panel.textContent).to.match(/399,00\s₴|399,00\sгрн/);

    calls.length = 0;
    stubFetch(() => json({ ...order, status: 'paid' }));
    const paid = oneEvent(el, 'kasir-paid');
    $<HTMLButtonElement>(el, 'button[part="action"]').click();
    await paid;
    await el.updateComplete;
    expect($(el, '[part="status"]').dataset['status']).to.equal('paid');
  });

  for (const status of ['failed', 'cancelled'] as const) {
    it(`shows ${status} as a failed payment and fires kasir-failed`, async () => {
      const order = view({ id: `ord_${status}`, status });
      const { el, detail } = await returnTo(order, 'kasir-failed');
      expect(detail.status).to.equal(status);
      const panel = $(el, `[data-status="${status}"]`);
      expect(panel.querySelector('.title')?.textContent?.trim()).to.equal('Payment failed');
    });
  }

  it('shows expired and fires kasir-expired; "Try again" brings back the form', async () => {
    const order = view({ id: 'ord_exp1', status: 'expired' });
    const { el } = await returnTo(order, 'kasir-expired', 'id');
    expect($(el, '[data-status="expired"] .title').textContent?.trim()).to.equal('Pembayaran kedaluwarsa');

    $<HTMLButtonElement>(el, 'button[part="action"]').click();
    await el.updateComplete;
    expect(has(el, '[part="status"]')).to.equal(false);

    // The default return URL is this page without the old kasir_order.
    const calls = stubFetch(() => json(view({ id: 'ord_new' }), 201));
    el.navigate = () => {};
    fill(el, { name: 'Budi' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    const expected = new URL(location.href);
    expected.searchParams.delete('kasir_order');
    expect((calls[0]!.body as { returnUrl: string }).returnUrl).to.equal(expected.href);
    expect((calls[0]!.body as { returnUrl: string }).returnUrl).to.contain('status=paid');
    expect((calls[0]!.body as { returnUrl: string }).returnUrl).to.not.contain('kasir_order');
  });

  it('reports an unknown order with kasir-error and a translated alert', async () => {
    restoreUrl = setPageUrl('?kasir_order=ord_nope');
    stubFetch(() => json({ error: { code: 'order_not_found', message: 'No such checkout.' } }, 404));
    const failed = oneEvent<CustomEvent<{ code: string }>>(document, 'kasir-error');
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} provider="winpay"></kasir-checkout>`);
    expect((await failed).detail.code).to.equal('order_not_found');
    await el.updateComplete;
    expect($(el, '[role="alert"]').textContent?.trim()).to.equal('Order not found.');
    expect($(el, '[part="status"]').hasAttribute('data-status')).to.equal(false);
  });
});
