import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../widget/define.js';
import type { CheckoutView } from '../../proxy/lib/contract.js';
import type { KasirErrorDetail } from '../../widget/events.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import {
  $,
  ENDPOINT,
  CONFIG,
  button,
  configOf,
  deferred,
  fill,
  focused,
  has,
  input,
  json,
  networkDown,
  restoreFetch,
  settled,
  stubProxy,
  text,
  view,
  type FetchCall,
} from './helpers.js';

const ITEMS = '[{"sku":"tee-m","qty":2}]';
const RETURN_URL = 'https://shop.test/thanks';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Answer = (call: FetchCall) => Response | Promise<Response>;

/** A proxy with winpay only (no required field beyond the name) answering POSTs with `created`. */
function proxy(...created: Answer[]): FetchCall[] {
  return stubProxy({
    'GET /v1/config': () => json(configOf('winpay')),
    'POST /v1/checkouts': created.length ? created : [() => json(view(), 201)],
  });
}

const posts = (calls: FetchCall[]) => calls.filter((c) => c.method === 'POST');

async function mount(locale = 'en'): Promise<{ el: KasirCheckout; navigated: string[] }> {
  const el = await fixture<KasirCheckout>(html`<kasir-checkout
    endpoint=${ENDPOINT}
    provider="winpay"
    items=${ITEMS}
    return-url=${RETURN_URL}
    locale=${locale}
  ></kasir-checkout>`);
  await settled(el);
  const navigated: string[] = [];
  el.navigate = (url) => navigated.push(url);
  return { el, navigated };
}

/** Clicks pay and waits for the attempt to end in `kasir-error`. */
async function payAndFail(el: KasirCheckout): Promise<KasirErrorDetail> {
  const failed = oneEvent<CustomEvent<KasirErrorDetail>>(el, 'kasir-error');
  button(el).click();
  return (await failed).detail;
}

/** Clicks pay twice in one task, as a double click does. */
function doubleClick(el: KasirCheckout): void {
  button(el).click();
  button(el).click();
}

afterEach(restoreFetch);

describe('<kasir-checkout> form', () => {
  it('renders labelled name, email and phone fields and a pay button, accessibly', async () => {
    proxy();
    const { el } = await mount();
    for (const [name, label, type, auto] of [
      ['name', 'Name', 'text', 'name'],
      ['email', 'Email', 'email', 'email'],
      ['phone', 'Phone', 'tel', 'tel'],
    ] as const) {
      const field = input(el, name);
      expect(text(el, `label[for="${field.id}"]`)).to.equal(label);
      expect([field.getAttribute('part'), field.type, field.autocomplete]).to.deep.equal(['input', type, auto]);
      expect(field.getAttribute('aria-invalid')).to.equal('false');
      expect($(el, `label[for="${field.id}"]`).getAttribute('part')).to.equal('label');
    }
    expect(input(el, 'name').required).to.equal(true);
    expect(button(el).type).to.equal('submit');
    expect(text(el, 'button[part="button"]')).to.equal('Pay');
    await expect(el).to.be.accessible();
  });

  it('marks the fields the provider requires, from GET /v1/config, and checks them before sending', async () => {
    const calls = stubProxy({ 'GET /v1/config': () => json(CONFIG), 'POST /v1/checkouts': () => json(view(), 201) });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    await settled(el);
    // winpay (the first) requires the phone
    expect([input(el, 'email').required, input(el, 'phone').required]).to.deep.equal([false, true]);
    el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!.click(); // faspay: email and phone
    await el.updateComplete;
    expect([input(el, 'email').required, input(el, 'phone').required]).to.deep.equal([true, true]);
    fill(el, { name: 'Budi' });
    button(el).click();
    await el.updateComplete;
    expect(text(el, '#kasir-email-error')).to.equal('Please enter your email.');
    expect(text(el, '#kasir-phone-error')).to.equal('Please enter your phone number.');
    expect(focused(el)).to.equal('email');
    expect(posts(calls)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('translates its labels (uk, id) and falls back to en', async () => {
    proxy();
    const { el } = await mount('uk');
    expect(text(el, 'label[for="kasir-name"]')).to.equal('Ім’я');
    expect(text(el, 'button[part="button"]')).to.equal('Сплатити');
    el.locale = 'id-ID';
    await el.updateComplete;
    expect(text(el, 'label[for="kasir-phone"]')).to.equal('Nomor telepon');
    expect($(el, '.view').lang).to.equal('id');
    el.locale = 'fr';
    await el.updateComplete;
    expect(text(el, 'button[part="button"]')).to.equal(navigator.language.startsWith('id') ? 'Bayar' : 'Pay');
  });

  it('shows CustomerSchema messages under each invalid field, in live regions, and focuses the first', async () => {
    const calls = proxy();
    const { el } = await mount();
    fill(el, { name: '   ', email: 'not-an-email', phone: '12' });
    button(el).click();
    await el.updateComplete;
    await el.updateComplete;

    const expected = {
      name: 'Please enter your name.',
      email: 'Please enter a valid email address.',
      phone: 'Please enter a valid phone number.',
    };
    for (const [name, message] of Object.entries(expected)) {
      const field = input(el, name);
      expect(field.getAttribute('aria-invalid'), name).to.equal('true');
      const described = $(el, `#${field.getAttribute('aria-describedby')}`);
      expect(described.textContent?.trim()).to.equal(message);
      expect(described.getAttribute('part')).to.equal('field-error');
      expect(described.closest('[aria-live="polite"]')?.getAttribute('part')).to.equal('field');
    }
    expect(focused(el)).to.equal('name');
    expect(posts(calls)).to.have.length(0);
    await expect(el).to.be.accessible();

    // Fixing the name moves focus to the next invalid field; fixed fields lose their message.
    fill(el, { name: 'Budi' });
    button(el).click();
    await el.updateComplete;
    await el.updateComplete;
    expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('false');
    expect(input(el, 'name').hasAttribute('aria-describedby')).to.equal(false);
    expect(focused(el)).to.equal('email');
    expect(posts(calls)).to.have.length(0);
  });

  it('translates validation codes in the chosen locale', async () => {
    proxy();
    const { el } = await mount('id');
    button(el).click();
    await el.updateComplete;
    expect(text(el, '#kasir-name-error')).to.equal('Nama wajib diisi.');
  });

  it('clears a field message as soon as the value becomes valid', async () => {
    proxy();
    const { el } = await mount();
    fill(el, { email: 'nope' });
    input(el, 'email').dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(input(el, 'email').getAttribute('aria-invalid')).to.equal('true');
    fill(el, { email: 'budi@example.com' });
    await el.updateComplete;
    expect(input(el, 'email').getAttribute('aria-invalid')).to.equal('false');
    expect(has(el, '#kasir-email-error')).to.equal(false);
  });

  it('prefills the form from the customer property', async () => {
    proxy();
    const { el } = await mount();
    el.customer = { name: 'Siti', phone: '+62 811 111 111' };
    await el.updateComplete;
    expect(input(el, 'name').value).to.equal('Siti');
    expect(input(el, 'email').value).to.equal('');
    expect(input(el, 'phone').value).to.equal('+62 811 111 111');
  });

});

describe('<kasir-checkout> paying', () => {
  it('sends exactly {provider, items, customer, returnUrl, locale} with an Idempotency-Key', async () => {
    const calls = proxy();
    const { el } = await mount('id');
    fill(el, { name: '  Budi Santoso ', email: 'budi@example.com', phone: '' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;

    expect(calls.map((c) => `${c.method} ${c.url}`)).to.deep.equal([
      `GET ${ENDPOINT}/v1/config`,
      `POST ${ENDPOINT}/v1/checkouts`,
    ]);
    const call = posts(calls)[0]!;
    expect(call.headers.get('content-type')).to.equal('application/json');
    expect(call.headers.get('idempotency-key')).to.match(UUID);
    expect(call.body).to.deep.equal({
      provider: 'winpay',
      items: [{ sku: 'tee-m', qty: 2 }],
      customer: { name: 'Budi Santoso', email: 'budi@example.com' },
      returnUrl: RETURN_URL,
      locale: 'id',
    });
  });

  it('sends the cart token instead of items, and only sku and qty of each item', async () => {
    const calls = proxy();
    const { el } = await mount();
    fill(el, { name: 'Budi' });
    el.cart = 'signed.cart.token';
    await el.updateComplete;
    let created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect(posts(calls)[0]!.body).to.deep.equal({
      provider: 'winpay',
      cart: 'signed.cart.token',
      customer: { name: 'Budi' },
      returnUrl: RETURN_URL,
      locale: 'en',
    });

    // A property array with extra fields (a price!) is reduced to {sku, qty}.
    sessionStorage.clear(); // a new tab: the order just made is not shown again
    const { el: el2 } = await mount();
    el2.items = [{ sku: 'mug', qty: 1, price: 1 } as never];
    fill(el2, { name: 'Budi' });
    created = oneEvent(el2, 'kasir-created');
    button(el2).click();
    await created;
    expect((posts(calls)[1]!.body as { items: unknown }).items).to.deep.equal([{ sku: 'mug', qty: 1 }]);
  });

  it('cannot submit twice: a double click and requestSubmit while in flight send one request', async () => {
    const { handler, release } = deferred();
    const calls = proxy(handler);
    const { el } = await mount();
    fill(el, { name: 'Budi' });
    doubleClick(el); // before the re-render: only the code guard stops the second one
    await el.updateComplete;
    expect(button(el).disabled).to.equal(true);
    expect(button(el).getAttribute('aria-busy')).to.equal('true');
    expect(text(el, 'button[part="button"]')).to.equal('Processing…');
    $<HTMLFormElement>(el, 'form').requestSubmit();
    expect(posts(calls)).to.have.length(1);

    const failed = oneEvent(el, 'kasir-error');
    release(json({ error: { code: 'unknown_sku', message: 'Unknown SKU' } }, 400));
    await failed;
    await el.updateComplete;
    expect(button(el).disabled).to.equal(false);
    expect(button(el).getAttribute('aria-busy')).to.equal('false');
    expect(posts(calls)).to.have.length(1);
  });

  it('reuses the Idempotency-Key only to retry an unchanged body after a network error or 5xx', async () => {
    const calls = proxy(
      networkDown,
      () => json({ error: { code: 'provider_timeout', message: 'Provider timed out' } }, 504),
      () => json({ error: { code: 'unknown_sku', message: 'Unknown SKU' } }, 400),
      networkDown,
      networkDown,
    );
    const { el } = await mount();
    fill(el, { name: 'Budi' });
    expect((await payAndFail(el)).code).to.equal('network_error');
    expect((await payAndFail(el)).status).to.equal(504);
    expect((await payAndFail(el)).code).to.equal('unknown_sku');
    await payAndFail(el); // after a 400 the retry is a new attempt
    fill(el, { name: 'Budi S' });
    await payAndFail(el); // the body changed: a new attempt

    const keys = posts(calls).map((c) => c.headers.get('idempotency-key'));
    expect(keys).to.have.length(5);
    keys.forEach((key) => expect(key).to.match(UUID));
    expect(keys[1]).to.equal(keys[0]);
    expect(keys[2]).to.equal(keys[0]);
    expect(keys[3]).to.not.equal(keys[2]);
    expect(keys[4]).to.not.equal(keys[3]);
  });

  it('keeps the key when a move in the DOM aborts the request, and fires no error', async () => {
    const { handler } = deferred();
    const calls = proxy(handler, () => json(view(), 201));
    const { el, navigated } = await mount();
    const errors: string[] = [];
    el.addEventListener('kasir-error', (e) => errors.push(e.detail.code));
    fill(el, { name: 'Budi' });
    button(el).click();
    const parent = el.parentElement!;
    el.remove(); // aborts the POST in flight
    parent.append(el);
    await settled(el);
    expect(button(el).disabled).to.equal(false);
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect(errors).to.deep.equal([]);
    const [first, second] = posts(calls);
    expect(second!.headers.get('idempotency-key')).to.equal(first!.headers.get('idempotency-key'));
    expect(navigated).to.have.length(1);
  });

  it('redirect mode: fires kasir-created, then kasir-open, then navigates to paymentUrl', async () => {
    const created = view({ paymentUrl: 'https://sandbox.example/pay?ref=abc' });
    proxy(() => json(created, 201));
    const { el, navigated } = await mount();
    const order: string[] = [];
    el.addEventListener('kasir-created', () => order.push(`created:${navigated.length}`));
    el.addEventListener('kasir-open', (e) => order.push(`open:${e.detail.mode}:${navigated.length}`));
    fill(el, { name: 'Budi' });
    const event = oneEvent<CustomEvent<CheckoutView>>(document, 'kasir-created');
    button(el).click();
    const { detail, bubbles, composed } = await event;
    expect(detail).to.deep.equal(created);
    expect(bubbles && composed).to.equal(true);
    expect(order).to.deep.equal(['created:0', 'open:redirect:0']);
    expect(navigated).to.deep.equal(['https://sandbox.example/pay?ref=abc']);
    await el.updateComplete;
    expect(button(el).disabled).to.equal(true);
    expect(text(el, 'button[part="button"]')).to.equal('Redirecting to payment…');
  });

  it('does not navigate when kasir-open is cancelled, nor to a non-http paymentUrl', async () => {
    proxy(() => json(view(), 201), () => json(view({ paymentUrl: 'javascript:alert(1)' }), 201));
    const { el, navigated } = await mount();
    fill(el, { name: 'Budi' });
    el.addEventListener('kasir-open', (e) => e.preventDefault(), { once: true });
    const opened = oneEvent(el, 'kasir-open');
    button(el).click();
    await opened;
    expect(navigated).to.deep.equal([]);
    await el.updateComplete;
    expect(button(el).disabled).to.equal(false);

    const error = await payAndFail(el);
    expect(error.code).to.equal('invalid_response');
    expect(navigated).to.deep.equal([]);
  });

  it('shows a translated alert and fires kasir-error with the proxy code on a 400', async () => {
    proxy(() => json({ error: { code: 'unknown_sku', message: 'Unknown SKU: tee-m' } }, 400));
    const { el, navigated } = await mount();
    fill(el, { name: 'Budi' });
    const detail = await payAndFail(el);
    expect(detail).to.deep.equal({ code: 'unknown_sku', message: 'Unknown SKU: tee-m', status: 400 });
    await el.updateComplete;
    const alert = $(el, '[role="alert"]');
    expect(alert.getAttribute('part')).to.equal('error');
    expect(alert.textContent?.trim()).to.equal('An item in your cart is not available.');
    expect(button(el).disabled).to.equal(false);
    expect(navigated).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('shows a generic message for a 502, never the body it came with', async () => {
    proxy(() => new Response('<html>upstream said: secret-token-123</html>', { status: 502 }));
    const { el } = await mount('uk');
    fill(el, { name: 'Олена' });
    const detail = await payAndFail(el);
    expect(detail.code).to.equal('server_error');
    expect(detail.status).to.equal(502);
    await el.updateComplete;
    expect(text(el, '[part="error"]')).to.equal('Платіжний сервіс недоступний. Спробуйте ще раз.');
    expect(el.shadowRoot!.innerHTML).to.not.contain('secret-token-123');
  });

  it('shows a network failure as network_error', async () => {
    proxy(networkDown);
    const { el } = await mount();
    fill(el, { name: 'Budi' });
    const detail = await payAndFail(el);
    expect(detail).to.deep.equal({ code: 'network_error', message: 'Network request failed', status: 0 });
    await el.updateComplete;
    expect(text(el, '[part="error"]')).to.contain('Cannot reach the payment service');
  });

  it('puts a field error from the proxy (phone_required) under that field', async () => {
    proxy(() => json({ error: { code: 'phone_required', message: 'Winpay needs a phone number' } }, 400));
    const { el } = await mount();
    fill(el, { name: 'Budi' });
    expect((await payAndFail(el)).code).to.equal('phone_required');
    await el.updateComplete;
    await el.updateComplete;
    const phone = input(el, 'phone');
    expect(phone.getAttribute('aria-invalid')).to.equal('true');
    expect($(el, `#${phone.getAttribute('aria-describedby')}`).textContent?.trim()).to.equal(
      'Please enter your phone number.',
    );
    expect(focused(el)).to.equal('phone');
  });

  it('places a proxy error by its field (customer.email) and reports the field', async () => {
    proxy(() => json({ error: { code: 'email_required', message: 'Faspay needs the email.', field: 'customer.email' } }, 400));
    const { el } = await mount('id');
    fill(el, { name: 'Budi', phone: '+62 812 000 000' });
    const detail = await payAndFail(el);
    expect(detail).to.deep.equal({ code: 'email_required', message: 'Faspay needs the email.', status: 400, field: 'customer.email' });
    await el.updateComplete;
    await el.updateComplete;
    expect(input(el, 'email').getAttribute('aria-invalid')).to.equal('true');
    expect(text(el, '#kasir-email-error')).to.equal('Email wajib diisi.');
    expect(input(el, 'phone').getAttribute('aria-invalid')).to.equal('false');
    expect(focused(el)).to.equal('email');
  });

  it('reuses the key while the proxy still works on it (409 idempotency_in_progress)', async () => {
    const calls = proxy(
      () => json({ error: { code: 'idempotency_in_progress', message: 'Still processing.' } }, 409),
      () => json(view(), 201),
    );
    const { el } = await mount();
    fill(el, { name: 'Budi' });
    expect((await payAndFail(el)).status).to.equal(409);
    await el.updateComplete;
    expect(text(el, '[part="error"]')).to.equal('Your payment is still being prepared. Please try again in a moment.');
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    const [first, second] = posts(calls);
    expect(second!.headers.get('idempotency-key')).to.equal(first!.headers.get('idempotency-key'));
  });

  it('refuses to pay without items or cart, without a request', async () => {
    const calls = proxy();
    const el = await fixture<KasirCheckout>(
      html`<kasir-checkout endpoint=${ENDPOINT} provider="winpay" items="not json"></kasir-checkout>`,
    );
    await settled(el);
    fill(el, { name: 'Budi' });
    expect((await payAndFail(el)).code).to.equal('items_or_cart');
    expect(posts(calls)).to.have.length(0);
  });
});

describe('<kasir-checkout> provider picker', () => {
  it('lists the enabled providers with their currency and sends the picked one', async () => {
    const calls = stubProxy({ 'GET /v1/config': () => json(CONFIG), 'POST /v1/checkouts': () => json(view({ provider: 'uapay' }), 201) });
    const el = await fixture<KasirCheckout>(
      html`<kasir-checkout endpoint="http://proxy.test/" items=${ITEMS} locale="en"></kasir-checkout>`,
    );
    el.navigate = () => {};
    await settled(el);
    expect(calls[0]!.url).to.equal('http://proxy.test/v1/config');
    const picker = $(el, 'fieldset[part="picker"]');
    expect(picker.querySelector('legend')?.textContent?.trim()).to.equal('Payment method');
    const labels = [...picker.querySelectorAll('label')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim());
    expect(labels).to.deep.equal(['Bank transfer / VA · QRIS · e-wallets — via Winpay', 'Bank transfer / VA · retail outlets — via Faspay', 'Card · Apple Pay · Google Pay — via UAPAY UAH']);
    const radios = [...picker.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((r) => r.checked)).to.deep.equal([true, false, false]);
    await expect(el).to.be.accessible();

    radios[2]!.click();
    fill(el, { name: 'Olena' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect((calls[1]!.body as { provider: string }).provider).to.equal('uapay');
  });

  it('shows the cart’s amount for a method in another currency when the catalog prices every item', async () => {
    const catalog = [
      { sku: 'tee-m', name: 'T-shirt', price: { IDR: 150000, UAH: 39900 } },
      { sku: 'mug', name: 'Mug', price: { IDR: 45000 } },
    ];
    stubProxy({ 'GET /v1/config': () => json({ ...CONFIG, catalog }) });
    const label = async (items: string, locale = 'en') => {
      const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint="http://proxy.test/" items=${items} locale=${locale}></kasir-checkout>`);
      await settled(el);
      return [...$(el, 'fieldset[part="picker"]').querySelectorAll('label')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim());
    };
    expect(await label('[{"sku":"tee-m","qty":2}]')).to.deep.equal(['Bank transfer / VA · QRIS · e-wallets — via Winpay', 'Bank transfer / VA · retail outlets — via Faspay', 'Card · Apple Pay · Google Pay — via UAPAY ₴798.00']);
    // The mug has no UAH price: UAPAY shows its currency only, and the proxy would refuse the cart.
    expect(await label('[{"sku":"tee-m","qty":1},{"sku":"mug","qty":1}]')).to.deep.equal(['Bank transfer / VA · QRIS · e-wallets — via Winpay', 'Bank transfer / VA · retail outlets — via Faspay', 'Card · Apple Pay · Google Pay — via UAPAY UAH']);
  });

  it('uses the only enabled provider without a picker', async () => {
    const calls = stubProxy({
      'GET /v1/config': () => json(configOf('faspay')),
      'POST /v1/checkouts': () => json(view({ provider: 'faspay' }), 201),
    });
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    el.navigate = () => {};
    await settled(el);
    expect(has(el, '[part="picker"]')).to.equal(false);
    fill(el, { name: 'Budi' });
    const created = oneEvent(el, 'kasir-created');
    button(el).click();
    await created;
    expect((calls[1]!.body as { provider: string }).provider).to.equal('faspay');
  });

  it('reports a config failure and retries it on the next submit', async () => {
    const calls = stubProxy({ 'GET /v1/config': [networkDown, () => json(CONFIG)] });
    const failed = oneEvent<CustomEvent<KasirErrorDetail>>(document, 'kasir-error');
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    expect((await failed).detail.code).to.equal('network_error');
    await el.updateComplete;
    expect(text(el, '[role="alert"]')).to.contain('Cannot reach');
    fill(el, { name: 'Budi' });
    button(el).click();
    await settled(el);
    expect(calls.map((c) => c.url)).to.deep.equal([`${ENDPOINT}/v1/config`, `${ENDPOINT}/v1/config`]);
    expect(el.shadowRoot!.querySelectorAll('input[type="radio"]')).to.have.length(3);
  });

  it('reports no_providers when the proxy has none enabled', async () => {
    stubProxy({ 'GET /v1/config': () => json({ providers: [], catalog: [] }) });
    const failed = oneEvent<CustomEvent<KasirErrorDetail>>(document, 'kasir-error');
    const el = await fixture<KasirCheckout>(html`<kasir-checkout endpoint=${ENDPOINT} items=${ITEMS}></kasir-checkout>`);
    expect((await failed).detail).to.deep.equal({ code: 'no_providers', message: 'No provider enabled', status: 200 });
    await el.updateComplete;
    expect(text(el, '[role="alert"]')).to.equal('No payment method is available.');
  });
});
