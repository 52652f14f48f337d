// The QR / pay code panel: drawn in place, with a copy button and a countdown, updated live.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { encode } from 'uqr';
import '../../widget/define.js';
import type { CheckoutView } from '../../proxy/lib/contract.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import { drawQr } from '../../widget/qr.js';
import {
  $,
  ENDPOINT,
  actions,
  button,
  configOf,
  fill,
  has,
  json,
  manualClock,
  restoreFetch,
  settled,
  stubOpen,
  stubProxy,
  text,
  view,
  type FetchCall,
} from './helpers.js';

const QRIS = '00020101021226610016ID.CO.AMDIGIPAY01189360091800000000520454995303360540715000005802ID6304ABCD';
const EXPIRES = Date.parse('2030-01-01T00:00:00Z');
const QR_ORDER = view({ id: 'ord_qr', provider: 'amdigipay', paymentUrl: '', qrString: QRIS, expiresAt: new Date(EXPIRES).toISOString() });
const VA_ORDER = view({ id: 'ord_va', provider: 'amdigipay', paymentUrl: '', payCode: '8808123456789012', expiresAt: new Date(EXPIRES).toISOString() });

let cleanups: (() => void)[] = [];
afterEach(() => {
  restoreFetch();
  cleanups.forEach((fn) => fn());
  cleanups = [];
});

async function pay(created: CheckoutView, states: CheckoutView[] = [created], { mode = 'redirect', locale = 'en' } = {}) {
  const clock = manualClock(EXPIRES - 15 * 60_000 - 400);
  cleanups.push(() => clock.restore());
  const calls = stubProxy({
    'GET /v1/config': () => json(configOf('amdigipay')),
    'POST /v1/checkouts': () => json(created, 201),
    [`GET /v1/checkouts/${created.id}`]: states.map((s) => () => json(s)),
  });
  const el = await fixture<KasirCheckout>(html`<kasir-checkout
    endpoint=${ENDPOINT}
    provider="amdigipay"
    items='[{"sku":"tee-m","qty":1}]'
    mode=${mode}
    locale=${locale}
  ></kasir-checkout>`);
  await settled(el);
  const navigated: string[] = [];
  const opened: string[] = [];
  el.navigate = (url) => navigated.push(url);
  el.addEventListener('kasir-open', () => opened.push('kasir-open'));
  fill(el, { name: 'Budi' });
  const shown = oneEvent(el, 'kasir-created');
  button(el).click();
  await shown;
  await waitUntil(() => has(el, '[part="qr"]'), 'no QR panel');
  await settled(el);
  return { el, clock, calls, navigated, opened };
}

const gets = (calls: FetchCall[]) => calls.filter((c) => c.url.includes('/v1/checkouts/')).length;

describe('<kasir-checkout> QR and pay code', () => {
  it('draws the QR string in place (quiet zone included), with the amount and a countdown; opens nothing', async () => {
    const { el, navigated, opened } = await pay(QR_ORDER);
    await waitUntil(() => has(el, 'svg[part="qr-image"]'), 'the QR was not drawn');
    const svg = $(el, 'svg[part="qr-image"]');
    const { size, data } = encode(QRIS, { ecc: 'M', border: 4 });
    expect(svg.getAttribute('viewBox')).to.equal(`0 0 ${size} ${size}`);
    const d = svg.querySelector('path')!.getAttribute('d')!;
    expect(d).to.equal(drawQr(QRIS).d);
    expect(d.split('M').length - 1).to.equal(data.flat().filter(Boolean).length);
    expect(d.startsWith('M4 4h1v1h-1z')).to.equal(true); // the finder pattern starts after the 4-module quiet zone
    expect(svg.getAttribute('aria-hidden')).to.equal('true');
    expect(text(el, '[part="qr"]')).to.contain('Scan this QR code with your banking or e-wallet app.');
    expect(text(el, '[part="status"]')).to.contain('Amount: Rp 150,000');
    expect(text(el, '[part="countdown"]')).to.equal('Time left to pay: 15:01');
    expect($(el, '[part="countdown"]').getAttribute('role')).to.equal('timer');
    expect(has(el, '[part="pay-code"]')).to.equal(false);
    expect(actions(el)).to.deep.equal(['Check again', 'Choose another method']);
    expect([navigated, opened]).to.deep.equal([[], []]);
    await expect(el).to.be.accessible();
  });

  it("keeps the provider's page one click away when it has one", async () => {
    const order = { ...VA_ORDER, paymentUrl: 'https://sandbox.example/amdigipay/pay/ord_va' };
    const { el, navigated, opened } = await pay(order);
    expect([navigated, opened]).to.deep.equal([[], []]);
    expect(actions(el)).to.deep.equal(['Open the payment page', 'Check again', 'Choose another method']);
    $<HTMLButtonElement>(el, 'button[part="action"]').click();
    expect(navigated).to.deep.equal(['https://sandbox.example/amdigipay/pay/ord_va']);
  });

  it('counts down every second and updates live until the proxy says paid', async () => {
    const { el, clock, calls } = await pay(QR_ORDER, [QR_ORDER, { ...QR_ORDER, status: 'paid' }]);
    await clock.advance(1000);
    expect(text(el, '[part="countdown"]')).to.equal('Time left to pay: 15:00');
    await clock.advance(1000);
    await settled(el);
    expect(text(el, '[part="countdown"]')).to.equal('Time left to pay: 14:59');
    expect(gets(calls)).to.equal(1);
    const paid = oneEvent(el, 'kasir-paid');
    await clock.advance(3000);
    await paid;
    await el.updateComplete;
    expect($(el, '[part="status"]').dataset['status']).to.equal('paid');
    expect([has(el, '[part="qr"]'), has(el, '[part="countdown"]')]).to.deep.equal([false, false]);
    await expect(el).to.be.accessible();
  });

  it('shows expired when the proxy says so after the deadline', async () => {
    const { el, clock } = await pay(QR_ORDER, [QR_ORDER, { ...QR_ORDER, status: 'expired' }]);
    const expired = oneEvent(el, 'kasir-expired');
    await clock.advance(16 * 60_000);
    await expired;
    await el.updateComplete;
    expect(text(el, '.title')).to.equal('Payment expired');
    expect(actions(el)).to.deep.equal(['Try again']);
  });

  it('shows a pay code with a copy button (uk) and copies it', async () => {
    const writes: string[] = [];
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (s: string) => void writes.push(s) } });
    cleanups.push(() => {
      delete (navigator as { clipboard?: unknown }).clipboard;
      Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    });
    const { el } = await pay(VA_ORDER, [VA_ORDER], { locale: 'uk' });
    expect(text(el, '[part="qr"]')).to.contain('Код оплати');
    expect(text(el, '[part="pay-code"]')).to.equal('8808123456789012');
    expect(has(el, '[part="qr-image"]')).to.equal(false);
    const copy = $<HTMLButtonElement>(el, 'button[part="copy"]');
    expect(copy.textContent?.trim()).to.equal('Копіювати');
    copy.click();
    await waitUntil(() => writes.length === 1);
    await el.updateComplete;
    expect(writes).to.deep.equal(['8808123456789012']);
    expect(text(el, '[part="qr"] [role="status"]')).to.equal('Скопійовано');
    expect(text(el, '[part="countdown"]')).to.equal('Залишилось часу на оплату: 15:01');
    await expect(el).to.be.accessible();
  });

  it('selects the pay code for a manual copy when the clipboard is refused', async () => {
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    cleanups.push(() => {
      delete (navigator as { clipboard?: unknown }).clipboard;
      Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    });
    const { el } = await pay(VA_ORDER);
    $<HTMLButtonElement>(el, 'button[part="copy"]').click();
    await waitUntil(() => getSelection()?.toString() === '8808123456789012', 'the code was not selected');
    expect(text(el, '[part="qr"] [role="status"]')).to.equal('');
  });

  it('shows an image from qrUrl when there is no QR string', async () => {
    const order = view({ id: 'ord_img', qrUrl: 'https://sandbox.example/qr/ord_img.png', paymentUrl: '' });
    const { el } = await pay(order);
    const img = $<HTMLImageElement>(el, 'img[part="qr-image"]');
    expect([img.getAttribute('src'), img.alt]).to.deep.equal(['https://sandbox.example/qr/ord_img.png', '']);
  });

  it('closes the popup it opened in the click: a QR is paid from this screen', async () => {
    const opened = stubOpen();
    cleanups.push(opened.restore);
    const { el } = await pay(QR_ORDER, [QR_ORDER], { mode: 'popup' });
    expect(opened.windows.map((w) => [w.closed, w.url])).to.deep.equal([[true, '']]);
    expect(has(el, '[part="qr"]')).to.equal(true);
  });
});
