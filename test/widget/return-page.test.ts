import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import type { CheckoutView } from '../../proxy/lib/contract.js';
import type { KasirEventName } from '../../widget/events.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import {
  $,
  ENDPOINT,
  action,
  actions,
  button,
  configOf,
  fill,
  has,
  json,
  manualClock,
  restoreFetch,
  setPageUrl,
  settled,
  stubProxy,
  text,
  view,
  type FetchCall,
} from './helpers.js';

let restoreUrl: (() => void) | undefined;
let clock: ReturnType<typeof manualClock> | undefined;

afterEach(() => {
  restoreFetch();
  restoreUrl?.();
  restoreUrl = undefined;
  clock?.restore();
  clock = undefined;
});

/** Mounts the element on a return page whose URL claims success, whatever the order says. */
async function returnTo(order: CheckoutView | CheckoutView[], event: KasirEventName, locale = 'en') {
  const answers = [order].flat();
  restoreUrl = setPageUrl(`?kasir_order=${answers[0]!.id}&status=paid&amount=1`);
  const calls = stubProxy({
    [`GET /v1/checkouts/${answers[0]!.id}`]: answers.map((o) => () => json(o)),
    'GET /v1/config': () => json(configOf('winpay')),
  });
  const fired = oneEvent<CustomEvent<CheckoutView>>(document, event);
  const el = await fixture<KasirCheckout>(
    html`<kasir-checkout endpoint=${ENDPOINT} provider="winpay" items='[{"sku":"tee-m","qty":1}]' locale=${locale}></kasir-checkout>`,
  );
  const { detail } = await fired;
  await el.updateComplete;
  return { el, calls, detail };
}

const gets = (calls: FetchCall[]) => calls.filter((c) => c.url.includes('/v1/checkouts/')).length;

describe('<kasir-checkout> return page', () => {
  it('asks the proxy, shows paid with the amount, and fires kasir-paid', async () => {
    const order = view({ id: 'ord_paid1', status: 'paid', amount: 150000, currency: 'IDR' });
    const { el, calls, detail } = await returnTo(order, 'kasir-paid');
    // The order, and beside it (not before it) the config for the receipt's method label.
    expect(calls.map((c) => `${c.method} ${c.url}`).sort()).to.deep.equal([`GET ${ENDPOINT}/v1/checkouts/ord_paid1`, `GET ${ENDPOINT}/v1/config`]);
    expect(detail).to.deep.equal(order);
    const panel = $(el, '[part="status"]');
    expect(panel.dataset['status']).to.equal('paid');
    expect($(el, '.title').getAttribute('role')).to.equal('status');
    expect(text(el, '.title')).to.equal('Payment received');
    expect(panel.textContent).to.contain('Rp\u00a0150,000');
    expect(panel.textContent).to.not.contain('150,000.00');
    expect(has(el, 'form')).to.equal(false);
    expect(actions(el)).to.deep.equal(['Continue shopping', 'Print receipt']);
    await expect(el).to.be.accessible();
  });

  it('trusts the proxy, not the query: a pending order stays pending and can be checked again', async () => {
    const order = view({ id: 'ord_pend1', status: 'pending', amount: 39900, currency: 'UAH', provider: 'uapay' });
    const { el, calls } = await returnTo([order, { ...order, status: 'paid' }], 'kasir-pending', 'uk');
    const panel = $(el, '[part="status"]');
    expect(panel.dataset['status']).to.equal('pending');
    expect(text(el, '.title')).to.equal('Очікуємо на вашу оплату');
    expect(panel.textContent).to.match(/399,00\s₴/);
    expect(actions(el)).to.deep.equal(['Відкрити сторінку оплати', 'Перевірити ще раз', 'Обрати інший спосіб']);
    await expect(el).to.be.accessible();

    const paid = oneEvent(el, 'kasir-paid');
    action(el, 'Перевірити ще раз').click();
    await paid;
    await el.updateComplete;
    expect($(el, '[part="status"]').dataset['status']).to.equal('paid');
    expect(gets(calls)).to.equal(2);
  });

  it('"Open the payment page" on a pending return page goes back to paymentUrl', async () => {
    const order = view({ id: 'ord_again', paymentUrl: 'https://sandbox.example/pay/again' });
    const { el } = await returnTo(order, 'kasir-pending');
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    action(el, 'Open the payment page').click();
    expect(navigated).to.deep.equal(['https://sandbox.example/pay/again']);
  });

  it('"paid but still pending": keeps asking with back-off until the proxy says paid, then stops', async () => {
    clock = manualClock(Date.parse('2029-12-31T23:00:00Z'));
    const order = view({ id: 'ord_slow', status: 'pending' });
    const answers = [order, order, order, { ...order, status: 'paid' as const }];
    const { el, calls } = await returnTo(answers, 'kasir-pending');
    const events: string[] = [];
    for (const name of ['kasir-pending', 'kasir-paid'] as const) el.addEventListener(name, () => events.push(name));

    expect(clock.polls()).to.deep.equal([2000]);
    await clock.advance(2000);
    await settled(el);
    expect([gets(calls), clock.polls()]).to.deep.equal([2, [3000]]);
    await clock.advance(3000);
    await settled(el);
    expect([gets(calls), clock.polls()]).to.deep.equal([3, [4500]]);
    await clock.advance(4500);
    await settled(el);
    expect(gets(calls)).to.equal(4);
    expect($(el, '[part="status"]').dataset['status']).to.equal('paid');
    expect(events).to.deep.equal(['kasir-paid']); // pending was announced once, on arrival
    expect(clock.polls()).to.deep.equal([]);
    await clock.advance(60_000);
    expect(gets(calls)).to.equal(4);
  });

  it('stops polling while the page is hidden and looks again when it is shown', async () => {
    clock = manualClock(Date.parse('2029-12-31T23:00:00Z'));
    const order = view({ id: 'ord_hidden' });
    const { el, calls } = await returnTo(order, 'kasir-pending');
    const hidden = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden')!;
    try {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
      expect(clock.polls()).to.deep.equal([]);
      await clock.advance(60_000);
      expect(gets(calls)).to.equal(1);
    } finally {
      Object.defineProperty(document, 'hidden', hidden);
      delete (document as { hidden?: boolean }).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
    await settled(el);
    expect(gets(calls)).to.equal(2);
    expect(clock.polls()).to.deep.equal([2000]);
  });

  it('stops polling after one look past expiresAt', async () => {
    clock = manualClock(Date.parse('2030-01-01T00:00:00Z') - 2500);
    const order = view({ id: 'ord_deadline', expiresAt: '2030-01-01T00:00:00.000Z' });
    const { el, calls } = await returnTo(order, 'kasir-pending');
    expect(clock.polls()).to.deep.equal([2000]);
    await clock.advance(2000);
    await settled(el);
    // 500 ms before the deadline: the next look comes just after it (500 + 1000), then no more.
    expect(clock.polls()).to.deep.equal([1500]);
    await clock.advance(1500);
    await settled(el);
    expect(gets(calls)).to.equal(3);
    expect(clock.polls()).to.deep.equal([]);
    expect(actions(el)).to.deep.equal(['Open the payment page', 'Check again', 'Choose another method']);
  });

  for (const [status, title, next] of [
    ['failed', 'Payment failed', 'Try again'],
    ['cancelled', 'Payment cancelled', 'Choose another method'],
  ] as const) {
    it(`shows ${status} (${title}, "${next}") and fires kasir-failed`, async () => {
      const order = view({ id: `ord_${status}`, status });
      const { el, detail } = await returnTo(order, 'kasir-failed');
      expect(detail.status).to.equal(status);
      expect($(el, '[part="status"]').dataset['status']).to.equal(status);
      expect(text(el, '.title')).to.equal(title);
      expect(actions(el)).to.deep.equal([next]);
      await expect(el).to.be.accessible();
    });
  }

  it('shows expired and fires kasir-expired; "Try again" brings back the form', async () => {
    const order = view({ id: 'ord_exp1', status: 'expired' });
    const { el, calls } = await returnTo(order, 'kasir-expired', 'id');
    expect(text(el, '[data-status="expired"] .title')).to.equal('Pembayaran kedaluwarsa');
    await expect(el).to.be.accessible();

    action(el, 'Coba lagi').click();
    await settled(el);
    expect(has(el, '[part="status"]')).to.equal(false);

    // The default return URL is this page without the old kasir_order.
    const posted = stubProxy({ 'POST /v1/checkouts': () => json(view({ id: 'ord_new' }), 201) });
    el.navigate = () => {};
    fill(el, { name: 'Budi', phone: '+62 812 000 000' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect(calls.some((c) => c.url.endsWith('/v1/config'))).to.equal(true);
    const { returnUrl } = posted[0]!.body as { returnUrl: string };
    const expected = new URL(location.href);
    expected.searchParams.delete('kasir_order');
    expect(returnUrl).to.equal(expected.href);
    expect(returnUrl).to.contain('status=paid');
    expect(returnUrl).to.not.contain('kasir_order');
  });

  it('reports an unknown order with kasir-error and a translated alert', async () => {
    restoreUrl = setPageUrl('?kasir_order=ord_nope');
    stubProxy({ 'GET /v1/checkouts/ord_nope': () => json({ error: { code: 'order_not_found', message: 'No such checkout.' } }, 404) });
    const failed = oneEvent<CustomEvent<{ code: string }>>(document, 'kasir-error');
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} provider="winpay"></kasir-checkout>`);
    expect((await failed).detail.code).to.equal('order_not_found');
    await waitUntil(() => has(el, '[role="alert"]'));
    expect(text(el, '[role="alert"]')).to.equal('Order not found.');
    expect($(el, '[part="status"]').hasAttribute('data-status')).to.equal(false);
    expect(text(el, '.title')).to.equal('Checking your payment…');
    await expect(el).to.be.accessible();
  });
});
