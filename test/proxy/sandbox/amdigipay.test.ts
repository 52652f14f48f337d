import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createMemoryStore } from '../../../proxy/store';
import { jakartaDateTime } from '../../../proxy/lib/time';
import { amdigipaySignature, createAmdigipayProvider } from '../../../proxy/providers/amdigipay';
import type { Order } from '../../../proxy/orders/order';
import { createAmdigipaySandbox, sandboxQris } from '../../../proxy/sandbox/amdigipay';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, SHOP, statusOf } from '../helpers';

// A clock the tests move on, so a second notice can come after the first lookup's result may be reused.
let skew = 0;
const { app, config, calls, log, store } = createTestApp({}, { now: () => new Date(Date.now() + skew) });
const settings = config.providers.amdigipay!;
const API = '/sandbox/amdigipay';

async function login(body: BodyInit = JSON.stringify({ username: settings.username, password: settings.password }), type = 'application/json') {
  return app.request(`${API}/login`, { method: 'POST', headers: { 'Content-Type': type }, body });
}
async function token() {
  return (await (await login()).json()).data.access_token as string;
}

let seq = 0;
/** A valid create body for a fresh transaction_id (the docs' example, test/fixtures/providers/amdigipay, in our sandbox's name). */
function transaction(over: Record<string, unknown> = {}) {
  const transaction_id = `sandbox-test-${++seq}`;
  return {
    payment_id: 22,
    username: settings.username,
    signature: amdigipaySignature(settings.username, transaction_id),
    expired_date: jakartaDateTime(new Date(Date.now() + 3_600_000)),
    nominal: 10000,
    admin_fee: 3000,
    transaction_id,
    transaction_total: 13000,
    transaction_name: 'testing',
    transaction_desc: 'testing',
    customer_number: '085925065195',
    customer_name: 'testing',
    item_details: [
      { item_id: 'testing', item_price: 10000, item_total_price: 10000, item_quantity: 1, item_name: 'testing' },
      { item_id: 'fee', item_price: 3000, item_total_price: 3000, item_quantity: 1, item_name: 'fee' },
    ],
    ...over,
  };
}
async function create(body: unknown, bearer?: string) {
  const res = await app.request(`${API}/payment/transaction`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${bearer ?? (await token())}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const checkout = async (sku = 'mug') =>
  (await postCheckout(app, { provider: 'amdigipay', items: [{ sku, qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` })).json();
const notify = (body: unknown) =>
  app.request('/v1/notify/amdigipay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const notices = () => calls.filter((r) => r.url.endsWith('/v1/notify/amdigipay'));

test('login takes JSON or a form, and refuses wrong credentials like AMDigipay', async () => {
  const json = await login();
  assert.equal(json.status, 200);
  const body = await json.json();
  assert.equal(body.data.token_type, 'bearer');
  assert.equal(body.data.expires_in, 3600);
  assert.match(body.data.access_token, /^[0-9A-Za-z]{22}$/);

  const form = await login(new URLSearchParams({ username: settings.username, password: settings.password }), 'application/x-www-form-urlencoded');
  assert.equal(form.status, 200);

  const wrong = await login(JSON.stringify({ username: settings.username, password: 'nope' }));
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), { status: 'error', message: 'Invalid username or password', data: null });
  assert.equal((await login(JSON.stringify({ username: 'someone', password: settings.password }))).status, 401);
  assert.equal((await login('{}')).status, 400);
});

test('API calls need a live bearer token', async () => {
  for (const bearer of ['', 'made-up']) {
    const res = await create(transaction(), bearer);
    assert.equal(res.status, 401, bearer);
    assert.deepEqual(res.body, { status: 'error', message: 'Unauthenticated', data: null });
  }
  const list = await app.request(`${API}/payment/payment-list`);
  assert.equal(list.status, 401);
});

test('tokens expire after expires_in', async () => {
  let now = Date.parse('2025-05-21T10:00:00Z');
  const sandbox = createAmdigipaySandbox(
    settings,
    { store: createMemoryStore(), fetch, now: () => new Date(now), log: createMemoryLogger(), notifyUrl: () => 'http://kasir.test/v1/notify/amdigipay' },
    { expiresInSeconds: 120 },
  );
  const res = await sandbox.request('/login', { method: 'POST', body: JSON.stringify({ username: settings.username, password: settings.password }) });
  const { data } = await res.json();
  assert.equal(data.expires_in, 120);
  const list = () => sandbox.request('/payment/payment-list', { headers: { Authorization: `Bearer ${data.access_token}` } });
  now += 119_000;
  assert.equal((await list()).status, 200);
  now += 1_000;
  assert.equal((await list()).status, 401);
});

test('the channel list names the known channels', async () => {
  const res = await app.request(`${API}/payment/payment-list`, { headers: { Authorization: `Bearer ${await token()}` } });
  assert.deepEqual(await res.json(), {
    error: false,
    message: 'success',
    data: [
      { payment_id: 22, payment_name: 'VA BCA' },
      { payment_id: 33, payment_name: 'QRIS' },
      { payment_id: 37, payment_name: 'GOPAY' },
    ],
  });
});

test('create checks the signature, username, arithmetic, channel and uniqueness', async () => {
  const cases: Record<string, Record<string, unknown>> = {
    'missing signature': { signature: undefined },
    'wrong signature': { signature: amdigipaySignature('someone-else', 'x') },
    'another username': { username: 'someone-else', signature: amdigipaySignature('someone-else', 'sandbox-test-x') },
    'total is not nominal + admin_fee': { transaction_total: 10000, item_details: [{ item_id: 'a', item_price: 10000, item_total_price: 10000, item_quantity: 1, item_name: 'a' }] },
    'items do not add up': { item_details: [{ item_id: 'a', item_price: 10000, item_total_price: 10000, item_quantity: 1, item_name: 'a' }] },
    'item total is not price x qty': { item_details: [{ item_id: 'a', item_price: 6000, item_total_price: 13000, item_quantity: 2, item_name: 'a' }] },
    'unknown channel': { payment_id: 99 },
    'amount as a string': { nominal: '10000' },
    'no item_details': { item_details: [] },
    'expired_date in ISO form': { expired_date: new Date(Date.now() + 3_600_000).toISOString() },
    'expired_date in the past': { expired_date: jakartaDateTime(new Date(Date.now() - 60_000)) },
  };
  for (const [name, over] of Object.entries(cases)) {
    const body = transaction(over);
    if (name === 'another username') body.transaction_id = 'sandbox-test-x';
    const res = await create(body);
    assert.equal(res.status, 400, name);
    assert.equal(res.body.error, true, name);
    assert.equal(typeof res.body.message, 'string', name);
  }

  const body = transaction();
  assert.equal((await create(body)).status, 200);
  const again = await create(body);
  assert.equal(again.status, 400);
  assert.deepEqual(again.body, { error: true, message: 'transaction_id already exists' });
});

test('create answers like the docs: string amounts, a VA code for channel 22, a QRIS string for 33', async () => {
  const va = await create(transaction());
  assert.equal(va.status, 200);
  assert.equal(va.body.error, false);
  assert.equal(va.body.data.status_id, 2);
  assert.equal(va.body.data.status, 'On processing');
  assert.equal(va.body.data.transaction_total, '13000');
  assert.deepEqual(va.body.data.item_details[1], { item_id: 'fee', item_price: '3000', item_quantity: '1', item_total_price: '3000', item_name: 'fee' });
  assert.match(va.body.data.payment_code, /^12345\d{11}$/);
  assert.equal(va.body.data.qr_code, null);
  assert.equal(va.body.data.payment_links, `http://kasir.test${API}/pay/${va.body.data.id}`);

  const qris = await create(transaction({ payment_id: 33 }));
  assert.equal(qris.body.data.payment_code, null);
  assert.equal(qris.body.data.qr_code, sandboxQris(13000, qris.body.data.transaction_id));
  assert.match(qris.body.data.qr_code, /^000201010212.*5303360540513000.*5802ID.*6304[0-9A-F]{4}$/);

  const gopay = await create(transaction({ payment_id: 37 }));
  assert.equal(gopay.body.data.payment_code, null);
  assert.equal(gopay.body.data.qr_code, null);

  const detail = await app.request(`${API}/payment/detail-transaction/${va.body.data.id}`, { headers: { Authorization: `Bearer ${await token()}` } });
  assert.deepEqual(await detail.json(), va.body);
  const missing = await app.request(`${API}/payment/detail-transaction/1`, { headers: { Authorization: `Bearer ${await token()}` } });
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { error: true, message: 'Transaction not found' });
});

test('the QRIS string is EMV tag-length-value, closed by its CRC-16/CCITT-FALSE', () => {
  // The expected value, CRC included, was computed outside this code base (Python binascii.crc_hqx, init 0xFFFF).
  assert.equal(
    sandboxQris(13000, 'sandbox-test-1'),
    '00020101021226460020ID.CO.BISABILLER.WWW0118936000000000000001520459995303360540513000' +
      '5802ID5913KASIR SANDBOX6007JAKARTA62180114sandbox-test-163048E2B',
  );
});

test('whole flow: checkout, pay on the pay page, the notice is confirmed, the order is paid', async () => {
  const res = await postCheckout(app, { provider: 'amdigipay', items: [{ sku: 'tee-m', qty: 2 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` });
  assert.equal(res.status, 201);
  const c = await res.json();
  assert.equal(c.provider, 'amdigipay');
  assert.equal(c.amount, 300000);
  assert.equal(c.currency, 'IDR');
  assert.equal(c.status, 'pending');
  assert.match(c.paymentUrl, /^http:\/\/kasir\.test\/sandbox\/amdigipay\/pay\/\d+$/);
  assert.match(c.qrString, /^000201010212.*54063000005802ID.*6304[0-9A-F]{4}$/);

  const page = await (await app.request(c.paymentUrl)).text();
  assert.match(page, /IDR\s?300,000/);
  assert.match(page, /T-shirt M × 2/);
  assert.ok(page.includes(c.qrString));
  assert.doesNotMatch(page, /<script/i);

  const before = notices().length;
  const paid = await pressPayPageButton(app, c.paymentUrl, 'pay');
  assert.equal(paid.status, 303);
  assert.equal(paid.headers.get('Location'), c.paymentUrl);
  assert.equal(notices().length, before + 1);
  const notice = await notices().at(-1)!.json();
  assert.equal(notice.signature, amdigipaySignature(settings.username, notice.transaction_id));
  assert.equal(notice.status_id, 3);
  assert.equal(notice.transaction_total, '300000');
  assert.deepEqual(Object.keys(notice), ['id', 'transaction_id', 'transaction_total', 'signature', 'payment_id', 'payment', 'status_id', 'status', 'expired_date']);

  assert.equal(await statusOf(app, c.id), 'paid');
  assert.match(await (await app.request(c.paymentUrl)).text(), /is paid/);

  // The same notice again changes nothing.
  const changes = () => log.lines.filter((l) => l.includes('order_status_changed') && l.includes(c.id)).length;
  assert.equal(changes(), 1);
  const replay = await notify(notice);
  assert.equal(replay.status, 200);
  assert.deepEqual(await replay.json(), { status: 'ok' });
  assert.equal(changes(), 1);
  assert.equal(await statusOf(app, c.id), 'paid');
});

test('forged, unknown and dashboard-test notices change nothing', async () => {
  const c = await checkout();
  const id = c.paymentUrl.split('/').at(-1);
  const ref = c.id.replace('_', '');
  const body = { id: Number(id), transaction_id: ref, transaction_total: String(c.amount), payment_id: 33, payment: 'QRIS', status_id: 3, status: 'Terbayar', expired_date: '2030-01-01 00:00:00' };

  const forged = await notify({ ...body, signature: amdigipaySignature('someone-else', ref) });
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).error.code, 'notice_signature_invalid');

  const unknown = await notify({ ...body, transaction_id: 'ordNOPE', signature: amdigipaySignature(settings.username, 'ordNOPE') });
  assert.equal(unknown.status, 200);

  const dashboard = await notify({ ...body, signature: 'testing' });
  assert.equal(dashboard.status, 200);
  assert.deepEqual(await dashboard.json(), { status: 'ok' });

  assert.equal(await statusOf(app, c.id), 'pending');
});

test('a validly signed notice the lookup does not confirm leaves the order pending', async () => {
  const c = await checkout();
  const id = c.paymentUrl.split('/').at(-1);
  const ref = c.id.replace('_', '');
  const claim = { id: Number(id), transaction_id: ref, transaction_total: String(c.amount), signature: amdigipaySignature(settings.username, ref), payment_id: 33, payment: 'QRIS', status_id: 3, status: 'Terbayar', expired_date: '2030-01-01 00:00:00' };

  // Still unpaid at the gateway.
  assert.equal((await notify(claim)).status, 200);
  assert.equal(await statusOf(app, c.id), 'pending');

  // Paid at the gateway, but for another total.
  const key = `sandbox:amdigipay:trx:${id}`;
  const trx = (await store.get<Record<string, unknown>>(key))!;
  await store.set(key, { ...trx, status_id: 3, transaction_total: c.amount - 1 });
  skew += 5_000;
  assert.equal((await notify(claim)).status, 200);
  assert.equal(await statusOf(app, c.id), 'pending');
  assert.ok(log.lines.some((l) => l.includes('amount_mismatch') && l.includes(c.id)));
});

test('Cancel leaves the order cancelled, Expire makes it expired, and neither sends a notice', async () => {
  const before = notices().length;
  const a = await checkout();
  const cancelled = await pressPayPageButton(app, a.paymentUrl, 'cancel');
  assert.equal(cancelled.status, 303);
  assert.equal(await statusOf(app, a.id), 'cancelled');
  assert.match(await (await app.request(a.paymentUrl)).text(), /was cancelled/);

  const b = await checkout();
  assert.equal((await pressPayPageButton(app, b.paymentUrl, 'expire')).status, 303);
  // Only the sweep expires an order (issue 9 §3): a poll notes what the provider reports.
  await app.reconcile();
  assert.equal(await statusOf(app, b.id), 'expired');
  assert.match(await (await app.request(b.paymentUrl)).text(), /has expired/);
  assert.equal(notices().length, before);
});

test('a token the simulator no longer honours is renewed once and the call retried', async () => {
  // The simulator's clock runs ahead of the proxy's, so the proxy still trusts a token it has expired.
  let sandboxNow = Date.now();
  const sandbox = createAmdigipaySandbox(
    { ...settings, baseUrl: 'http://amdigipay.sim' },
    { store: createMemoryStore(), fetch, now: () => new Date(sandboxNow), log: createMemoryLogger(), notifyUrl: () => 'http://kasir.test/v1/notify/amdigipay' },
    { expiresInSeconds: 600 },
  );
  const seen: string[] = [];
  const toSandbox: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    seen.push(new URL(request.url).pathname);
    return sandbox.fetch(request);
  };
  const provider = createAmdigipayProvider({ ...settings, baseUrl: 'http://amdigipay.sim' }, { ttlMinutes: 60 });
  const ctx = { fetch: toSandbox, now: () => new Date(), log: createMemoryLogger(), notifyUrl: '', timeoutMs: 1000 };
  const order = (id: string): Order => ({
    id,
    provider: 'amdigipay',
    status: 'pending',
    amount: 45000,
    currency: 'IDR',
    lines: [{ sku: 'mug', name: 'Mug', qty: 1, price: 45000 }],
    customer: { name: 'A' },
    createdAt: new Date().toISOString(),
    providerRef: id.replace('_', ''),
  });

  const first = await provider.createPayment(order('ord_first'), ctx);
  sandboxNow += 601_000;
  const second = await provider.createPayment(order('ord_second'), ctx);
  assert.deepEqual(seen, ['/login', '/payment/transaction', '/payment/transaction', '/login', '/payment/transaction']);
  assert.equal((await provider.getStatus(second, ctx)).status, 'pending');
  assert.equal((await provider.getStatus(first, ctx)).status, 'pending');
  assert.equal(seen.length, 7);
});

test('the dashboard’s Test button — an empty body, or `testing` — gets 200 and changes nothing', async () => {
  const c = await checkout();
  const changes = () => log.lines.filter((l) => l.includes('order_status_changed')).length;
  const before = changes();
  const tests: [string, string][] = [['', 'application/json'], ['', 'application/x-www-form-urlencoded'], ['testing', 'text/plain'], ['"testing"', 'application/json']];
  for (const [body, type] of tests) {
    const res = await app.request('/v1/notify/amdigipay', { method: 'POST', headers: { 'Content-Type': type }, body });
    assert.equal(res.status, 200, `${type} ${JSON.stringify(body)}`);
    assert.deepEqual(await res.json(), { status: 'ok' });
  }
  assert.equal(changes(), before);
  assert.equal(await statusOf(app, c.id), 'pending');
});

test('a form-encoded notice is read like a JSON one: the order is paid once the lookup confirms it', async () => {
  const c = await checkout();
  const id = c.paymentUrl.split('/').at(-1);
  // Paid at AMDigipay without its own notice reaching us: ours comes as a form.
  const stored = (await store.get<Order>(`order:${c.id}`))!;
  const trx = (await store.get<Record<string, unknown>>(`sandbox:amdigipay:trx:${id}`))!;
  await store.set(`sandbox:amdigipay:trx:${id}`, { ...trx, status_id: 3 });
  const ref = stored.providerRef;
  const form = new URLSearchParams({ id: String(id), transaction_id: ref, transaction_total: String(c.amount), signature: amdigipaySignature(settings.username, ref), payment_id: '33', payment: 'QRIS', status_id: '3', status: 'Terbayar', expired_date: '2030-01-01 00:00:00' });
  const res = await app.request('/v1/notify/amdigipay', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  assert.equal(res.status, 200);
  assert.equal(await statusOf(app, c.id), 'paid');
});

test('list-transaction pages the merchant’s transactions newest first; findPayment finds a lost create there', async () => {
  const t = createTestApp();
  const provider = createAmdigipayProvider(t.config.providers.amdigipay!, { ttlMinutes: 60 });
  const ctx = { fetch: async (input: string | URL | Request, init?: RequestInit) => t.app.request(new Request(input, init)), now: () => new Date(), log: t.log, notifyUrl: '', timeoutMs: 2000 };
  const order = (n: number): Order => ({
    id: `ord_list${n}`, provider: 'amdigipay', status: 'pending', amount: 45000, currency: 'IDR',
    lines: [{ sku: 'mug', name: 'Mug', qty: 1, price: 45000 }], customer: { name: 'A' }, createdAt: new Date().toISOString(), providerRef: `ordlist${n}`,
  });
  const made = [];
  for (let n = 0; n < 3; n++) made.push(await provider.createPayment(order(n), ctx));
  assert.deepEqual(await provider.findPayment({ providerRef: 'ordlist1' }, ctx), made[1]);
  assert.equal(await provider.findPayment({ providerRef: 'ordlist9' }, ctx), undefined);
  const bearer = (await (await t.app.request(`${API}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: settings.username, password: settings.password }) })).json()).data.access_token;
  const page = await (await t.app.request(`${API}/payment/list-transaction?limit=2&current_page=1`, { headers: { Authorization: `Bearer ${bearer}` } })).json();
  assert.deepEqual(page.data.data.map((r: { transaction_id: string }) => r.transaction_id), ['ordlist2', 'ordlist1']);
  assert.equal(page.data.total, 3);
});

test('create takes a numeric item_id, as public clients send shop product ids', async () => {
  const body = transaction();
  body.item_details = body.item_details.map((item, i) => ({ ...item, item_id: (1000 + i) as unknown as string }));
  const res = await create(body);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.data.item_details.map((i: { item_id: string }) => i.item_id), ['1000', '1001']);
});
