// The screens a shopper sees (issue 11): no blank first render, the summary and the amount on the
// pay button, methods grouped by kind, the pay code with its bank's steps and deadline, the
// receipt and the other outcomes, the language menu — and the pending order remembered across
// reloads for the tab's session.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import type { CheckoutView, PublicConfig, PublicMethod } from '../../proxy/lib/contract.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
/** The texts of an element's children, joined by one space ("name × 2 Rp 340,000"). */
const cells = (node: Element) => [...node.children].map((c) => c.textContent!.trim()).join(' ').replace(/\s+/g, ' ');

import { $, ENDPOINT, action, actions, button, deferred, fill, has, input, json, restoreFetch, settled, stubProxy, text, view } from './helpers.js';

afterEach(restoreFetch);

const CATALOG: PublicConfig['catalog'] = [
  { sku: 'kopi-250', name: 'Kopi Gayo beans, 250 g', price: { IDR: 95000, UAH: 24900 } },
  { sku: 'tee-m', name: 'Batik T-shirt, M', price: { IDR: 150000, UAH: 39900 } },
];
const ITEMS = '[{"sku":"kopi-250","qty":2},{"sku":"tee-m","qty":1}]';
const METHODS: PublicMethod[] = [
  { id: 'bca_va', provider: 'winpay', channel: 'BCA', group: 'va', label: { en: 'BCA Virtual Account', id: 'BCA Virtual Account', uk: 'BCA Virtual Account' } },
  { id: 'qris', provider: 'amdigipay', channel: '11', group: 'qris', label: { en: 'QRIS', uk: 'QRIS (будь-який застосунок)' } },
  { id: 'card', provider: 'uapay', group: 'card', label: { en: 'Card', id: 'Kartu', uk: 'Картка' }, logo: '/test/widget/fixtures/card.svg' },
];
const CONFIG: PublicConfig = {
  providers: [
    { id: 'winpay', name: 'Winpay', currency: 'IDR', requires: [] },
    { id: 'amdigipay', name: 'AMDigipay', currency: 'IDR', requires: [] },
    { id: 'uapay', name: 'UAPAY', currency: 'UAH', requires: [] },
  ],
  catalog: CATALOG,
  methods: METHODS,
  merchant: { name: 'Toko Kasir' },
};

async function form(locale = 'en', attrs = ''): Promise<KasirCheckout> {
  const el = await fixture<KasirCheckout>(
    html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS} locale=${locale} ?locale-switch=${attrs === 'switch'}></kasir-checkout>`,
  );
  await settled(el);
  el.navigate = () => {};
  return el;
}

describe('<kasir-checkout> first render', () => {
  it('speaks English until the language table arrives, then switches: never blank', async () => {
    stubProxy({ 'GET /v1/config': () => json(CONFIG) });
    const el = await form('en');
    el.locale = 'id';
    // No waiting for the table (updateComplete would): Lit renders in a microtask; the table is a
    // network fetch away, and the first Indonesian form in this page.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(text(el, 'button[part="button"]')).to.match(/^Pay /);
    expect($(el, '.view').getAttribute('lang')).to.equal('en');
    await settled(el);
    expect(text(el, 'button[part="button"]')).to.match(/^Bayar /);
    expect($(el, '.view').getAttribute('lang')).to.equal('id');
  });

  it('draws nothing while the config is on its way, then the form once, with its picker', async () => {
    const config = deferred();
    stubProxy({ 'GET /v1/config': config.handler });
    const el = document.createElement('kasir-checkout') as KasirCheckout;
    el.setAttribute('endpoint', ENDPOINT);
    el.setAttribute('items', ITEMS);
    el.setAttribute('locale', 'en');
    let renders = 0;
    const render = el.render.bind(el);
    el.render = () => (renders++, render());
    document.body.append(el);
    try {
      // Well within the hold: nothing yet (a form drawn now would only delay the one with its picker).
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(el.shadowRoot!.childElementCount).to.equal(0);
      config.release(json(CONFIG));
      await settled(el);
      expect($(el, '.view').checkVisibility()).to.equal(true);
      expect(el.shadowRoot!.querySelectorAll('input[name="method"]').length).to.equal(3);
      // The empty one during the hold, then the form: the end of the hold adds no third.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(renders).to.equal(2);
    } finally {
      el.remove();
    }
  });

  it('shows the form with its loading note when the config is slower than the hold', async () => {
    stubProxy({ 'GET /v1/config': deferred().handler }); // never answers
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS} locale="en"></kasir-checkout>`);
    await waitUntil(() => $(el, '.view').checkVisibility(), 'the form stayed hidden', { timeout: 1000 });
    expect(text(el, '[part="picker"]')).to.equal('Loading payment methods…');
    expect(button(el).disabled).to.equal(true);
  });

  it('an element removed during the hold stays quiet (its timer does not wake it)', async () => {
    const calls = stubProxy({ 'GET /v1/config': () => json(CONFIG) });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS} locale="en"></kasir-checkout>`);
    el.remove();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(calls.length).to.equal(1);
  });

  it('locale-switch: the shopper switches language from a menu', async () => {
    stubProxy({ 'GET /v1/config': () => json(CONFIG) });
    const el = await form('en', 'switch');
    const menu = $<HTMLSelectElement>(el, 'select[part="locale-switch"]');
    expect([...menu.options].map((o) => o.textContent)).to.deep.equal(['English', 'Bahasa Indonesia', 'Українська']);
    menu.value = 'uk';
    menu.dispatchEvent(new Event('change'));
    await settled(el);
    expect(el.locale).to.equal('uk');
    expect(text(el, 'label[for="kasir-name"]')).to.equal('Ім’я');
    await expect(el).to.be.accessible();
  });
});

describe('<kasir-checkout> summary and methods', () => {
  it('shows the lines and the total, and the pay button says the amount (en, id, uk)', async () => {
    stubProxy({ 'GET /v1/config': () => json(CONFIG) });
    const el = await form('id');
    expect(text(el, '[part="summary"] h2')).to.equal('Ringkasan pesanan');
    const lines = [...el.shadowRoot!.querySelectorAll('[part="summary"] li')].map(cells);
    expect(lines).to.deep.equal(['Kopi Gayo beans, 250 g × 2 Rp 190.000', 'Batik T-shirt, M Rp 150.000']);
    expect(cells($(el, '[part="summary"] .total'))).to.equal('Total Rp 340.000');
    expect(text(el, 'button[part="button"]')).to.equal('Bayar Rp 340.000');

    // Choosing a method in another currency changes the amount.
    const card = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="method"]')].find((r) => r.value === 'card')!;
    card.click();
    el.locale = 'uk';
    await settled(el);
    expect(text(el, 'button[part="button"]')).to.equal('Сплатити 897,00 ₴');
    el.locale = 'en';
    (el.shadowRoot!.querySelector('input[value="bca_va"]') as HTMLInputElement).click();
    await settled(el);
    expect(text(el, 'button[part="button"]')).to.equal('Pay Rp 340,000');
  });

  it('a signed cart shows its own lines and total (display only: the token is sent as it is)', async () => {
    const payload = { v: 1, items: [{ sku: 'x', name: 'Kain tenun', qty: 2, price: 170000 }], currency: 'IDR', iat: 1, exp: 2, nonce: 'n'.repeat(16) };
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(payload)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const calls = stubProxy({ 'GET /v1/config': () => json(CONFIG), 'POST /v1/checkouts': () => json(view(), 201) });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} cart=${`${b64}.sig`} locale="en"></kasir-checkout>`);
    await settled(el);
    el.navigate = () => {};
    expect(cells($(el, '[part="summary"] li'))).to.equal('Kain tenun × 2 Rp 340,000');
    expect(text(el, 'button[part="button"]')).to.equal('Pay Rp 340,000');
    fill(el, { name: 'Budi' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect((calls.find((c) => c.method === 'POST')!.body as { cart: string }).cart).to.equal(`${b64}.sig`);
  });

  it('groups the methods (virtual account, QRIS, card) with labels per locale, a logo or a neutral icon, and sends method + provider', async () => {
    const calls = stubProxy({ 'GET /v1/config': () => json(CONFIG), 'POST /v1/checkouts': () => json(view({ provider: 'amdigipay' }), 201) });
    const el = await form('uk');
    const groups = [...el.shadowRoot!.querySelectorAll('[part="picker"] [role="group"]')].map((g) => g.querySelector('.group-name')!.textContent);
    expect(groups).to.deep.equal(['Банківський переказ (віртуальний рахунок)', 'QRIS', 'Картка']);
    const names = [...el.shadowRoot!.querySelectorAll('.method-name')].map((n) => n.textContent);
    expect(names).to.deep.equal(['BCA Virtual Account', 'QRIS (будь-який застосунок)', 'Картка']);
    expect(el.shadowRoot!.querySelectorAll('[part="picker"] svg.logo')).to.have.length(2);
    expect($(el, '[part="picker"] img.logo').getAttribute('src')).to.equal('/test/widget/fixtures/card.svg');
    await expect(el).to.be.accessible();

    (el.shadowRoot!.querySelector('input[value="qris"]') as HTMLInputElement).click();
    fill(el, { name: 'Olena' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect(calls.find((c) => c.method === 'POST')!.body).to.include({ provider: 'amdigipay', method: 'qris' });
  });

  it('without configured methods: one per provider, saying what its page offers, and no `method` sent', async () => {
    const { methods: _, ...bare } = CONFIG;
    const calls = stubProxy({ 'GET /v1/config': () => json(bare), 'POST /v1/checkouts': () => json(view(), 201) });
    const el = await form('id');
    const names = [...el.shadowRoot!.querySelectorAll('.method-name')].map((n) => n.textContent);
    expect(names).to.deep.equal([
      'Transfer bank / VA · QRIS · dompet digital — melalui Winpay',
      'QRIS · virtual account — melalui AMDigipay',
      'Kartu · Apple Pay · Google Pay — melalui UAPAY',
    ]);
    fill(el, { name: 'Budi' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect(Object.keys(calls.find((c) => c.method === 'POST')!.body as object)).to.not.include('method');
  });
});

/** The form, paid with `method`; the proxy creates `created` and then answers `states` to the GETs. */
async function payWith(method: string, created: CheckoutView, states: CheckoutView[] = [created], locale = 'en') {
  const calls = stubProxy({
    'GET /v1/config': () => json(CONFIG),
    'POST /v1/checkouts': () => json(created, 201),
    [`GET /v1/checkouts/${created.id}`]: states.map((s) => () => json(s)),
  });
  const el = await form(locale);
  (el.shadowRoot!.querySelector(`input[value="${method}"]`) as HTMLInputElement).click();
  fill(el, { name: 'Siti Rahma', email: 'siti@example.com' });
  const shown = oneEvent(el, 'kasir-created');
  button(el).click();
  await shown;
  await waitUntil(() => has(el, '[part="status"][data-status]'), 'no order panel');
  await settled(el);
  return { el, calls };
}

const in15min = () => new Date(Date.now() + 15 * 60_000).toISOString();

describe('<kasir-checkout> pay code and QR', () => {
  it('a BCA virtual account: bank name, the number in groups of four, copy, ATM / mobile / internet steps, the deadline', async () => {
    const order = view({ id: 'ord_va', paymentUrl: '', payCode: '8808123456789012', method: 'bca_va', channel: 'BCA', expiresAt: in15min(), amount: 34000000 / 100 });
    const { el } = await payWith('bca_va', order, [order], 'id');
    expect(text(el, '.channel')).to.equal('BCA Virtual Account');
    const groups = [...el.shadowRoot!.querySelectorAll('[part="pay-code"] span')].map((s) => s.textContent);
    expect(groups).to.deep.equal(['8808', '1234', '5678', '9012']);
    expect(text(el, '[part="steps"] h3')).to.equal('Cara membayar di BCA');
    const channels = [...el.shadowRoot!.querySelectorAll('[part="steps"] summary')].map((s) => s.textContent);
    expect(channels).to.deep.equal(['ATM', 'Mobile banking · BCA mobile (m-BCA)', 'Internet banking · KlikBCA']);
    expect(text(el, '[part="steps"] details[open] ol')).to.contain('Masukkan nomor virtual account 8808123456789012.');
    const deadline = new Intl.DateTimeFormat('id', { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(order.expiresAt));
    expect(text(el, '[part="deadline"]')).to.equal(`Bayar sebelum ${deadline}`);
    expect(text(el, '[part="countdown"]')).to.match(/^Sisa waktu pembayaran: 1[45]:\d\d$/);
    await expect(el).to.be.accessible();
  });

  it('a QRIS code: the merchant, a caption that says what it is, a button saving it as an image', async () => {
    const order = view({ id: 'ord_qris', provider: 'amdigipay', paymentUrl: '', method: 'qris', qrString: '00020101021226610016ID.CO.AMDIGIPAY0118', expiresAt: in15min() });
    const { el } = await payWith('qris', order);
    await waitUntil(() => has(el, 'svg[part="qr-image"] path'), 'no QR');
    expect(text(el, '.merchant')).to.equal('Pay to Toko Kasir');
    expect(text(el, '[part="qr"]')).to.contain('Scan this QR code with your banking or e-wallet app.');
    // Saving: a PNG download of the drawn code.
    let saved: { name: string; href: string } | undefined;
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      saved = { name: this.download, href: this.href };
    };
    try {
      $<HTMLButtonElement>(el, 'button[part="save-qr"]').click();
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(saved!.name).to.equal('qris-ord_qris.png');
    expect(saved!.href.startsWith('data:image/png;base64,')).to.equal(true);
    await expect(el).to.be.accessible();
  });
});

describe('<kasir-checkout> outcomes', () => {
  it('paid: a receipt with the order number, lines, total, date and method; "Continue shopping" starts again', async () => {
    const pending = view({ id: 'ord_rcpt', paymentUrl: '', payCode: '8808000011112222', method: 'bca_va', expiresAt: in15min(), amount: 340000 });
    const paid: CheckoutView = {
      ...pending,
      status: 'paid',
      ref: 'INV-2026-0042',
      paidAt: '2026-11-30T10:14:00.000Z',
      lines: [
        { sku: 'kopi-250', name: 'Kopi Gayo beans, 250 g', qty: 2, price: 95000 },
        { sku: 'tee-m', name: 'Batik T-shirt, M', qty: 1, price: 150000 },
      ],
    };
    const { el } = await payWith('bca_va', pending, [paid]);
    action(el, 'Check again').click();
    await waitUntil(() => has(el, '[data-status="paid"]'));
    await settled(el);
    expect(text(el, '.title')).to.equal('Payment received');
    const rows = [...el.shadowRoot!.querySelectorAll('.receipt div')].map(cells);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(paid.paidAt!));
    expect(rows).to.deep.equal(['Order number INV-2026-0042', `Date ${date}`, 'Payment method BCA Virtual Account']);
    expect(el.shadowRoot!.querySelectorAll('.lines li')).to.have.length(2);
    expect(cells($(el, '[part="status"] .total'))).to.equal('Total Rp 340,000');
    expect(actions(el)).to.deep.equal(['Continue shopping', 'Print receipt']);
    await expect(el).to.be.accessible();

    action(el, 'Continue shopping').click();
    await settled(el);
    expect(has(el, 'form')).to.equal(true);
    expect(input(el, 'name').value).to.equal('Siti Rahma');
    expect(sessionStorage.length).to.equal(0);
  });

  it('failed: the provider’s reason, and "Try again" keeps the details', async () => {
    const pending = view({ id: 'ord_fail', paymentUrl: '', payCode: '8808000011112222', expiresAt: in15min() });
    const { el } = await payWith('bca_va', pending, [{ ...pending, status: 'failed', reason: 'insufficient_funds' }]);
    action(el, 'Check again').click();
    await waitUntil(() => has(el, '[data-status="failed"]'));
    await settled(el);
    expect(text(el, '.reason')).to.equal('Reason: insufficient funds');
    action(el, 'Try again').click();
    await settled(el);
    expect([input(el, 'name').value, input(el, 'email').value]).to.deep.equal(['Siti Rahma', 'siti@example.com']);
  });
});

describe('<kasir-checkout> remembers the pending order for the tab', () => {
  const QR = view({ id: 'ord_mem', provider: 'amdigipay', paymentUrl: '', qrString: '00020101021226610016ID.CO.AMDIGIPAY', expiresAt: in15min() });

  it('a page opened again on a paid order: the receipt names the method, not the provider', async () => {
    const paid: CheckoutView = { ...view({ id: 'ord_again', paymentUrl: '', method: 'bca_va', expiresAt: in15min() }), status: 'paid', paidAt: '2026-11-30T10:14:00.000Z' };
    stubProxy({ 'GET /v1/config': () => json(CONFIG), 'GET /v1/checkouts/ord_again': () => json(paid) });
    sessionStorage.setItem(`kasir-order:${ENDPOINT}`, 'ord_again');
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    await waitUntil(() => has(el, '[data-status="paid"]'));
    const methodRow = () => [...el.shadowRoot!.querySelectorAll('.receipt div')].map(cells).find((r) => r.startsWith('Payment method'));
    await waitUntil(() => methodRow() === 'Payment method BCA Virtual Account', `receipt says: ${methodRow()}`);
  });

  it('a reload shows the QR, not an empty form, and fires kasir-pending; another endpoint does not see it', async () => {
    const { el } = await payWith('qris', QR);
    expect(sessionStorage.getItem(`kasir-order:${ENDPOINT}`)).to.equal('ord_mem');
    el.remove(); // the page goes away…

    const pendingSeen = oneEvent(document, 'kasir-pending');
    const again = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    expect((await pendingSeen).detail.id).to.equal('ord_mem');
    await settled(again);
    expect(has(again, 'form')).to.equal(false);
    await waitUntil(() => has(again, 'svg[part="qr-image"] path'), 'the QR is not back');
    expect(again.shadowRoot!.activeElement?.getAttribute('part')).to.equal('status');

    stubProxy({ 'GET /v1/config': () => json(CONFIG) });
    const other = await fixture<KasirCheckout>(html`<kasir-checkout endpoint="http://other.test" items=${ITEMS}></kasir-checkout>`);
    await settled(other);
    expect(has(other, 'form')).to.equal(true);
  });

  it('back from the payment page through the back/forward cache: the order, not the form left mid-redirect', async () => {
    const order = view({ id: 'ord_bfcache', paymentUrl: 'https://pay.example/ord_bfcache', expiresAt: in15min() });
    stubProxy({
      'GET /v1/config': () => json(CONFIG),
      'POST /v1/checkouts': () => json(order, 201),
      'GET /v1/checkouts/ord_bfcache': () => json(order),
    });
    const el = await form();
    const navigated: string[] = [];
    el.navigate = (url) => navigated.push(url);
    fill(el, { name: 'Budi' });
    button(el).click();
    await waitUntil(() => navigated.length === 1, 'no redirect');
    expect(text(el, 'button[part="button"]')).to.equal('Redirecting to payment…');
    // The shopper presses back: the page comes back from the cache as it was left.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await waitUntil(() => has(el, '[part="status"][data-status="pending"]'), 'the order is not shown');
    await settled(el);
    expect(has(el, 'form')).to.equal(false);
    expect(actions(el)).to.deep.equal(['Open the payment page', 'Check again', 'Choose another method']);
  });

  it('an order the proxy no longer knows is forgotten: the form shows', async () => {
    sessionStorage.setItem(`kasir-order:${ENDPOINT}`, 'ord_gone');
    stubProxy({
      'GET /v1/checkouts/ord_gone': () => json({ error: { code: 'order_not_found', message: 'Order not found.' } }, 404),
      'GET /v1/config': () => json(CONFIG),
    });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    await waitUntil(() => has(el, 'form'), 'no form');
    await settled(el);
    expect(sessionStorage.getItem(`kasir-order:${ENDPOINT}`)).to.equal(null);
  });
});
