// Display modes (redirect, popup, tab), the payment window's life, and the order followed in place.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import type { CheckoutView } from '../../proxy/lib/contract.js';
import type { KasirMode } from '../../widget/events.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import {
  $,
  ENDPOINT,
  action,
  actions,
  button,
  configOf,
  deferred,
  fill,
  focused,
  has,
  json,
  manualClock,
  restoreFetch,
  setPageUrl,
  settled,
  stubOpen,
  stubProxy,
  text,
  view,
  type FetchCall,
} from './helpers.js';

const ORDER = view({ id: 'ord_win1', paymentUrl: 'https://sandbox.example/pay/ord_win1' });
const KASIR_EVENTS = ['open', 'created', 'pending', 'paid', 'failed', 'expired', 'close', 'error'].map((e) => `kasir-${e}`);

let cleanups: (() => void)[] = [];
afterEach(() => {
  restoreFetch();
  cleanups.forEach((fn) => fn());
  cleanups = [];
});

function use<T extends { restore: () => void }>(thing: T): T {
  cleanups.push(() => thing.restore());
  return thing;
}

/** Every kasir-* event that reaches `document`, with the flags a listener outside relies on. */
function recordEvents() {
  const seen: { type: string; detail: unknown; bubbles: boolean; composed: boolean }[] = [];
  const listener = (e: Event) =>
    seen.push({ type: e.type, detail: (e as CustomEvent).detail, bubbles: e.bubbles, composed: e.composed });
  KASIR_EVENTS.forEach((name) => document.addEventListener(name, listener));
  cleanups.push(() => KASIR_EVENTS.forEach((name) => document.removeEventListener(name, listener)));
  return seen;
}

/** A proxy whose POST answers `created` and whose GET of that order answers `states` in turn. */
function proxy(created: CheckoutView | ((call: FetchCall) => Response | Promise<Response>), ...states: CheckoutView[]) {
  const id = typeof created === 'function' ? ORDER.id : created.id;
  return stubProxy({
    'GET /v1/config': () => json(configOf('winpay')),
    'POST /v1/checkouts': typeof created === 'function' ? created : () => json(created, 201),
    [`GET /v1/checkouts/${id}`]: (states.length ? states : [ORDER]).map((s) => () => json(s)),
  });
}

const gets = (calls: FetchCall[]) => calls.filter((c) => c.method === 'GET' && c.url.includes('/v1/checkouts/')).length;

async function mount(mode: KasirMode, locale = 'en') {
  const el = await fixture<KasirCheckout>(html`<kasir-checkout
    endpoint=${ENDPOINT}
    provider="winpay"
    items='[{"sku":"tee-m","qty":1}]'
    mode=${mode}
    locale=${locale}
  ></kasir-checkout>`);
  await settled(el);
  const navigated: string[] = [];
  el.navigate = (url) => navigated.push(url);
  fill(el, { name: 'Budi' });
  return { el, navigated };
}

describe('<kasir-checkout> popup mode', () => {
  it('opens the popup inside the click, navigates it once the proxy answers, and follows the order in place', async () => {
    const clock = use(manualClock(Date.parse('2029-12-31T23:00:00Z')));
    const opened = use(stubOpen());
    const { handler, release } = deferred();
    const calls = proxy(handler, ORDER, { ...ORDER, status: 'paid' });
    const seen = recordEvents();
    const { el, navigated } = await mount('popup');

    button(el).click();
    // Synchronously, inside the click: the only moment a popup blocker lets a window open.
    expect(opened.calls).to.deep.equal([{ url: '', target: 'kasir-payment', features: 'popup,width=480,height=720' }]);
    const win = opened.windows[0]!;
    expect(win.opener).to.equal(null); // the provider's page cannot reach back into the shop
    expect(win.url).to.equal('');

    release(json(ORDER, 201));
    await waitUntil(() => has(el, '[part="status"]'));
    await settled(el);
    expect(win.url).to.equal(ORDER.paymentUrl);
    expect(navigated).to.deep.equal([]);
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open']);
    expect(seen[1]!.detail).to.deep.equal({ id: ORDER.id, paymentUrl: ORDER.paymentUrl, mode: 'popup' });
    expect($(el, '[part="status"]').dataset['status']).to.equal('pending');
    expect(text(el, '[part="status"]')).to.contain('Complete the payment in the window that opened.');
    expect(actions(el)).to.deep.equal(['Open the payment page', 'Check again', 'Choose another method']);
    expect(focused(el)).to.equal('status');
    await expect(el).to.be.accessible();

    // "Open the payment page" brings the popup forward rather than opening another.
    action(el, 'Open the payment page').click();
    expect([win.focused, opened.calls.length]).to.deep.equal([1, 1]);

    await clock.advance(2000);
    await settled(el);
    expect(gets(calls)).to.equal(1);
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open']); // still pending: nothing new
    await clock.advance(3000);
    await settled(el);
    expect(gets(calls)).to.equal(2);
    expect($(el, '[part="status"]').dataset['status']).to.equal('paid');
    expect(text(el, '.title')).to.equal('Payment received');
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open', 'kasir-paid']);
    expect(seen.every((e) => e.bubbles && e.composed)).to.equal(true);
    expect(clock.polls()).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('does not take closed === true for a closed window while pending (COOP reads the same): keeps polling, offers the page again', async () => {
    const clock = use(manualClock(Date.parse('2029-12-31T23:00:00Z')));
    const opened = use(stubOpen());
    const calls = proxy(ORDER, ORDER, { ...ORDER, status: 'expired' });
    const seen = recordEvents();
    const { el } = await mount('popup');
    button(el).click();
    await waitUntil(() => has(el, '[part="status"]'));
    await settled(el);

    opened.windows[0]!.closed = true; // what the opener reads once a COOP page is in the popup
    await clock.advance(1000);
    await settled(el);
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open']);
    expect(text(el, '[part="status"]')).to.contain('Complete the payment in the window that opened.');
    expect(text(el, '[part="status"]')).to.contain('If you closed the payment window, open the payment page again.');
    await clock.advance(1000);
    await settled(el);
    expect(gets(calls)).to.equal(1); // the poll goes on as before
    expect($(el, '[part="status"]').dataset['status']).to.equal('pending');

    // "Open the payment page" opens a window on the payment page directly (the old one is out of reach).
    action(el, 'Open the payment page').click();
    expect(opened.calls[1]).to.deep.equal({ url: ORDER.paymentUrl, target: 'kasir-payment', features: 'popup,width=480,height=720' });

    await clock.advance(3000);
    await settled(el);
    expect($(el, '[part="status"]').dataset['status']).to.equal('expired');
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open', 'kasir-expired']);
    expect(actions(el)).to.deep.equal(['Try again']);
    await expect(el).to.be.accessible();
    action(el, 'Try again').click();
    await settled(el);
    expect(has(el, 'form')).to.equal(true);
  });

  it('emits kasir-close once the return page in its window said it was back and the window closed', async () => {
    const clock = use(manualClock(Date.parse('2029-12-31T23:00:00Z')));
    const opened = use(stubOpen());
    const calls = proxy(ORDER, { ...ORDER, status: 'paid' });
    const seen = recordEvents();
    const { el } = await mount('popup');
    button(el).click();
    await waitUntil(() => has(el, '[part="status"]'));
    const channel = new BroadcastChannel('kasir-checkout');
    cleanups.push(() => channel.close());
    const acks: unknown[] = [];
    channel.onmessage = (e) => acks.push(e.data);
    channel.postMessage({ returned: ORDER.id });
    await waitUntil(() => acks.length === 1, 'no answer to the return page');
    expect(acks).to.deep.equal([{ ack: ORDER.id }]);
    await settled(el);
    expect(gets(calls)).to.equal(1);

    opened.windows[0]!.closed = true; // the return page closed itself
    await clock.advance(1000);
    await settled(el);
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open', 'kasir-paid', 'kasir-close']);
    expect(seen[3]!.detail).to.deep.equal({ id: ORDER.id });
  });

  it('falls back to redirect when the browser blocks the popup', async () => {
    const opened = use(stubOpen(true));
    proxy(ORDER);
    const seen = recordEvents();
    const { el, navigated } = await mount('popup');
    const open = oneEvent(el, 'kasir-open');
    button(el).click();
    expect((await open).detail).to.deep.equal({ id: ORDER.id, paymentUrl: ORDER.paymentUrl, mode: 'redirect' });
    expect(opened.calls).to.have.length(1);
    expect(navigated).to.deep.equal([ORDER.paymentUrl]);
    await el.updateComplete;
    expect(text(el, 'button[part="button"]')).to.equal('Redirecting to payment…');
    expect(seen.map((e) => e.type)).to.deep.equal(['kasir-created', 'kasir-open']);
  });

  it('closes the window it opened when the proxy refuses, and shows why', async () => {
    const opened = use(stubOpen());
    proxy(() => json({ error: { code: 'price_unavailable', message: 'No IDR price' } }, 400));
    const { el } = await mount('popup');
    const failed = oneEvent(el, 'kasir-error');
    button(el).click();
    expect((await failed).detail.code).to.equal('price_unavailable');
    expect(opened.windows[0]!.closed).to.equal(true);
    await el.updateComplete;
    expect(text(el, '[part="error"]')).to.equal('An item in your cart cannot be paid with this method.');
  });

  it('closes the window when kasir-open is cancelled: the storefront opens the page itself', async () => {
    const opened = use(stubOpen());
    proxy(ORDER);
    const { el, navigated } = await mount('popup');
    el.addEventListener('kasir-open', (e) => e.preventDefault());
    const open = oneEvent(el, 'kasir-open');
    button(el).click();
    await open;
    expect(opened.windows[0]!.closed).to.equal(true);
    expect(opened.windows[0]!.url).to.equal('');
    expect(navigated).to.deep.equal([]);
    await el.updateComplete;
    expect(has(el, 'form')).to.equal(true);
    expect(button(el).disabled).to.equal(false);
  });

  it('answers the return page of its order in its popup, and asks the proxy (never the message) for the outcome', async () => {
    use(stubOpen());
    const calls = proxy(ORDER, { ...ORDER, status: 'paid' });
    const { el } = await mount('popup');
    button(el).click();
    await waitUntil(() => has(el, '[part="status"]'));

    const channel = new BroadcastChannel('kasir-checkout');
    cleanups.push(() => channel.close());
    const replies: unknown[] = [];
    channel.onmessage = (e) => replies.push(e.data);
    const paid = oneEvent(el, 'kasir-paid');
    channel.postMessage({ returned: 'ord_someone_else', status: 'paid' });
    channel.postMessage({ returned: ORDER.id, status: 'paid' });
    await paid;
    await waitUntil(() => replies.length > 0, 'no answer');
    expect(replies).to.deep.equal([{ ack: ORDER.id }]);
    expect(gets(calls)).to.equal(1);
  });
});

describe('<kasir-checkout> a QR image of the payment page (UAPAY)', () => {
  const UAPAY = view({
    id: 'ord_ua',
    provider: 'uapay',
    currency: 'UAH',
    amount: 39900,
    paymentUrl: 'https://sandbox.example/uapay/i/ord_ua',
    qrUrl: 'https://sandbox.example/uapay/qr/ord_ua.png',
  });

  it('redirect mode opens the page: the QR image is only a way to continue on a phone', async () => {
    proxy(UAPAY);
    const { el, navigated } = await mount('redirect');
    const open = oneEvent(el, 'kasir-open');
    button(el).click();
    await open;
    expect(navigated).to.deep.equal([UAPAY.paymentUrl]);
  });

  it('popup mode opens the page and shows the QR image beside the waiting note', async () => {
    const opened = use(stubOpen());
    proxy(UAPAY);
    const { el } = await mount('popup', 'uk');
    button(el).click();
    await waitUntil(() => has(el, '[part="status"]'));
    expect(opened.windows[0]!.url).to.equal(UAPAY.paymentUrl);
    expect($<HTMLImageElement>(el, 'img[part="qr-image"]').getAttribute('src')).to.equal(UAPAY.qrUrl);
    expect(text(el, '[part="status"]')).to.contain('Завершіть оплату у вікні, що відкрилося.');
    await expect(el).to.be.accessible();
  });
});

describe('<kasir-checkout> tab mode', () => {
  it('opens a new tab inside the click and follows the order in place', async () => {
    use(manualClock(Date.parse('2029-12-31T23:00:00Z')));
    const opened = use(stubOpen());
    proxy(ORDER);
    const seen = recordEvents();
    const { el, navigated } = await mount('tab', 'id');
    button(el).click();
    expect(opened.calls).to.deep.equal([{ url: '', target: '_blank', features: '' }]);
    await waitUntil(() => has(el, '[part="status"]'));
    expect(opened.windows[0]!.url).to.equal(ORDER.paymentUrl);
    expect(seen[1]!.detail).to.deep.equal({ id: ORDER.id, paymentUrl: ORDER.paymentUrl, mode: 'tab' });
    expect(navigated).to.deep.equal([]);
    expect(text(el, '[part="status"]')).to.contain('Selesaikan pembayaran di jendela yang terbuka.');
    await expect(el).to.be.accessible();
  });
});

describe('<kasir-checkout> as the return page in a payment window', () => {
  let restoreUrl: () => void;
  let realClose: typeof window.close;
  let closed = 0;
  beforeEach(() => {
    realClose = window.close;
    closed = 0;
    window.close = () => void (closed += 1);
  });
  afterEach(() => {
    window.close = realClose;
    restoreUrl();
  });

  it('tells the opener its order is back and closes when the opener answers', async () => {
    const channel = new BroadcastChannel('kasir-checkout');
    cleanups.push(() => channel.close());
    const said: unknown[] = [];
    channel.onmessage = (e) => said.push(e.data);
    restoreUrl = setPageUrl('?kasir_order=ord_back');
    stubProxy({ 'GET /v1/checkouts/ord_back': () => json(view({ id: 'ord_back', status: 'paid' })) });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT}></kasir-checkout>`);
    await waitUntil(() => said.length === 1);
    expect(said).to.deep.equal([{ returned: 'ord_back' }]);

    channel.postMessage({ ack: 'ord_other' });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).to.equal(0);
    channel.postMessage({ ack: 'ord_back' });
    await waitUntil(() => closed === 1);
    // Until the browser closes it, it is an ordinary return page.
    await settled(el);
    expect(text(el, '.title')).to.equal('Payment received');
  });

  it('stays open as an ordinary return page when no widget answers', async () => {
    restoreUrl = setPageUrl('?kasir_order=ord_alone');
    stubProxy({ 'GET /v1/checkouts/ord_alone': () => json(view({ id: 'ord_alone', status: 'paid' })) });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT}></kasir-checkout>`);
    await settled(el);
    expect(text(el, '.title')).to.equal('Payment received');
    expect(closed).to.equal(0);
  });
});
