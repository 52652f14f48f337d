import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../proxy/lib/config';
import { KasirError } from '../../../proxy/lib/errors';
import type { FetchLike } from '../../../proxy/lib/http';
import {
  amdigipayNoticeReply,
  amdigipaySignature,
  buildAmdigipayCreateRequest,
  buildAmdigipayHeaders,
  buildAmdigipayLogin,
  createAmdigipayProvider,
  parseAmdigipayCreated,
  parseAmdigipayReply,
  parseAmdigipayTransaction,
} from '../../../proxy/providers/amdigipay';
import { assertProviderFailures, createTestApp, CUSTOMER, errorCode, hangingFetch, postCheckout, providerContexts, SHOP, testOrder, thrownCode } from '../helpers';

const ORDER = testOrder('amdigipay', { customer: { name: 'Delina Prasetya', email: 'delina@example.com', phone: '0823-4234 1' } });
const SETTINGS = { username: 'mitra-x', password: 'pw', paymentId: '22', baseUrl: 'https://amdigipay.stub/api', sandbox: false };
const NOW = new Date('2023-09-05T02:52:53Z');
// sha256_hex('mitra-x' + 'ordABCdef1234567890XYZabc'), computed outside this code base.
const ORDER_SIGNATURE = '09ca3f2b9421077c0a54d6fe43cde70978fb9049c62ade0c3ff94981cb412c16';
const SECRET_WORDS = 'Invalid username or password for mitra-x';

const ctxWith = providerContexts('amdigipay', NOW);

/** The docs' own create reply, moved onto our order. */
const created = (over: Record<string, unknown> = {}) => ({
  id: 6,
  payment_id: 22,
  payment_name: 'VA BCA',
  status_id: 2,
  status: 'On processing',
  transaction_id: ORDER.providerRef,
  transaction_total: '345000',
  expired_date: '2023-09-05 11:52:53',
  payment_links: null,
  payment_code: '1234500000000006',
  qr_code: null,
  item_details: [],
  ...over,
});
const ok = (data: unknown) => Response.json({ error: false, message: 'success', data });
const loginOk = (token: string, expiresIn: number | string = 3600) => ok({ access_token: token, token_type: 'bearer', expires_in: expiresIn });

/** A stub AMDigipay: answers login with tok-1, tok-2…, and the other calls with `answer`. */
function stub(answer: (request: Request, call: number) => Response | Promise<Response>, loginDelayMs = 0) {
  const seen: string[] = [];
  let logins = 0;
  let calls = 0;
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === '/api/login') {
      const form = request.headers.get('Content-Type') === 'application/x-www-form-urlencoded';
      seen.push(`login ${JSON.stringify(form ? Object.fromEntries(new URLSearchParams(await request.text())) : await request.json())}`);
      await new Promise((r) => setTimeout(r, loginDelayMs));
      return loginOk(`tok-${++logins}`);
    }
    seen.push(`${request.method} ${path} ${request.headers.get('Authorization')}`);
    return answer(request, ++calls);
  };
  return { fetch, seen, logins: () => logins };
}

test('signature matches the vector in docs/providers/amdigipay.md', () => {
  assert.equal(amdigipaySignature('mitra-x', 'TXN-1'), 'b1e0b2455f0732bd7061402d400a022eafac78c7cda4e013183edeb2d1992a35');
});

test('headers ask for JSON and carry the bearer token when there is one', () => {
  assert.deepEqual(buildAmdigipayHeaders('tok'), { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer tok' });
  assert.deepEqual(buildAmdigipayHeaders(), { 'Content-Type': 'application/json', Accept: 'application/json' });
});

test('create request is built from the order, byte for byte (numbers as numbers, Jakarta expiry)', () => {
  const expiresAt = new Date(NOW.getTime() + 120 * 60_000);
  assert.equal(
    JSON.stringify(buildAmdigipayCreateRequest(ORDER, SETTINGS, expiresAt)),
    `{"payment_id":22,"username":"mitra-x","signature":"${ORDER_SIGNATURE}","expired_date":"2023-09-05 11:52:53",` +
      '"nominal":345000,"admin_fee":0,"transaction_id":"ordABCdef1234567890XYZabc","transaction_total":345000,' +
      '"transaction_name":"Order ordABCdef1234567890XYZabc","transaction_desc":"2 x T-shirt M, 1 x Mug",' +
      '"customer_number":"082342341","customer_name":"Delina Prasetya","customer_email":"delina@example.com",' +
      '"item_details":[{"item_id":"tee-m","item_price":150000,"item_total_price":300000,"item_quantity":2,"item_name":"T-shirt M"},' +
      '{"item_id":"mug","item_price":45000,"item_total_price":45000,"item_quantity":1,"item_name":"Mug"}]}',
  );
});

test('create request sends customer_number empty and leaves out the email when the customer gave none', () => {
  const body = buildAmdigipayCreateRequest({ ...ORDER, customer: { name: 'A' } }, SETTINGS, NOW);
  assert.equal(body.customer_number, '');
  assert.equal('customer_email' in body, false);
  assert.equal(body.customer_name, 'A');
});

test('a payment id that is not a channel number stops the start', () => {
  assert.throws(() => createAmdigipayProvider({ ...SETTINGS, paymentId: 'QRIS' }, { ttlMinutes: 60 }), ConfigError);
});

test('replies map to stable errors', () => {
  const code = (status: number, json: unknown) => thrownCode(() => parseAmdigipayReply({ status, json }));
  assert.equal(code(200, { error: false, message: 'success', data: {} }), 'ok');
  assert.equal(code(401, { status: 'error', message: 'Invalid username or password', data: null }), 'provider_auth_failed');
  assert.equal(code(403, undefined), 'provider_auth_failed');
  assert.equal(code(400, { error: true, message: 'Invalid signature' }), 'provider_rejected');
  assert.equal(code(200, { error: true, message: 'Saldo tidak cukup' }), 'provider_rejected');
  assert.equal(code(200, { status: 'error', message: 'x', data: null }), 'provider_rejected');
  assert.equal(code(422, { message: 'x', data: null }), 'provider_rejected');
  assert.equal(code(404, { error: true, message: 'Transaction not found' }), 'provider_not_found');
  assert.equal(code(500, { status: 'error', message: 'Internal server error', data: null }), 'provider_unavailable');
  assert.equal(code(502, undefined), 'provider_unavailable');
  assert.equal(code(200, undefined), 'provider_bad_response');
  assert.equal(code(200, 'success'), 'provider_bad_response');
});

test('created: the docs’ reply with string numbers gives the gateway id, pay code and Jakarta expiry', () => {
  assert.deepEqual(parseAmdigipayCreated(created(), ORDER, NOW), {
    providerRef: ORDER.providerRef,
    providerId: '6',
    paymentUrl: '',
    payCode: '1234500000000006',
    expiresAt: '2023-09-05T04:52:53.000Z',
  });
  assert.deepEqual(
    parseAmdigipayCreated(created({ id: '77', payment_code: null, qr_code: '000201', payment_links: 'https://pay.example/x', expired_date: null }), ORDER, NOW),
    { providerRef: ORDER.providerRef, providerId: '77', paymentUrl: 'https://pay.example/x', qrString: '000201', expiresAt: NOW.toISOString() },
  );
});

test('created: a reply for another transaction, another total or with no way to pay is unusable', () => {
  for (const over of [{ transaction_id: 'other' }, { transaction_total: '345001' }, { payment_code: null }, { id: 'six' }]) {
    assert.throws(() => parseAmdigipayCreated(created(over), ORDER, NOW), (e) => e instanceof KasirError && e.code === 'provider_bad_response', JSON.stringify(over));
  }
});

test('detail: every documented status_id maps, paid carries the total without the admin fee', () => {
  const status = (status_id: number | string, over: Record<string, unknown> = {}) =>
    parseAmdigipayTransaction(created({ status_id, ...over }), ORDER.providerRef, NOW, () => assert.fail('not unknown'));
  for (const id of [1, 2, 13, '2']) assert.deepEqual(status(id), { status: 'pending' }, String(id));
  assert.deepEqual(status(3), { status: 'paid', paidAmount: 345000 });
  assert.deepEqual(status('4', { transaction_total: '348000', admin_fee: '3000' }), { status: 'paid', paidAmount: 345000 });
  assert.deepEqual(status(5, { status: 'Dibatalkan' }), { status: 'cancelled', reason: 'Dibatalkan' });
  assert.deepEqual(status(6), { status: 'refunded' });
  assert.deepEqual(status(14, { status: null }), { status: 'failed', reason: '14' });
});

test('detail: a pending transaction past its expired_date is expired', () => {
  const at = (iso: string) => parseAmdigipayTransaction(created(), ORDER.providerRef, new Date(iso), () => {});
  assert.deepEqual(at('2023-09-05T04:52:53Z'), { status: 'pending' });
  assert.deepEqual(at('2023-09-05T04:52:54Z'), { status: 'expired' });
});

test('getStatus: an unknown status_id is pending and logged once', async () => {
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const api = stub(() => ok(created({ status_id: 99 })));
  const ctx = ctxWith(api.fetch);
  const ref = { providerRef: ORDER.providerRef, providerId: '6' };
  assert.deepEqual(await provider.getStatus(ref, ctx), { status: 'pending' });
  assert.deepEqual(await provider.getStatus(ref, ctx), { status: 'pending' });
  assert.deepEqual(api.seen, [
    'login {"username":"mitra-x","password":"pw"}',
    'GET /api/payment/detail-transaction/6 Bearer tok-1',
    'GET /api/payment/detail-transaction/6 Bearer tok-1',
  ]);
  assert.equal(ctx.log.lines.filter((l) => l.includes('provider_unknown_status')).length, 1);
  assert.match(ctx.log.lines[0]!, /"status":99/);
});

test('createPayment logs in, then POSTs the signed body with the bearer token', async () => {
  let body: unknown;
  const api = stub(async (request) => {
    body = await request.json();
    return ok(created());
  });
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 120 });
  const payment = await provider.createPayment(ORDER, ctxWith(api.fetch));
  assert.deepEqual(api.seen, ['login {"username":"mitra-x","password":"pw"}', 'POST /api/payment/transaction Bearer tok-1']);
  assert.deepEqual(body, JSON.parse(JSON.stringify(buildAmdigipayCreateRequest(ORDER, SETTINGS, new Date(NOW.getTime() + 120 * 60_000)))));
  assert.equal(payment.providerId, '6');
});

test('the token is cached until 60 s before expires_in runs out, then renewed', async () => {
  let now = NOW.getTime();
  const api = stub(() => ok(created()));
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(api.fetch, { now: () => new Date(now) });
  const ref = { providerRef: ORDER.providerRef, providerId: '6' };
  await provider.getStatus(ref, ctx);
  now += 3539_000;
  await provider.getStatus(ref, ctx);
  assert.equal(api.logins(), 1);
  now += 1000;
  await provider.getStatus(ref, ctx);
  assert.equal(api.logins(), 2);
  assert.equal(api.seen.at(-1), 'GET /api/payment/detail-transaction/6 Bearer tok-2');
});

test('20 concurrent calls share one login', async () => {
  const api = stub(() => ok(created()), 20);
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(api.fetch);
  await Promise.all(Array.from({ length: 20 }, () => provider.getStatus({ providerRef: ORDER.providerRef, providerId: '6' }, ctx)));
  assert.equal(api.logins(), 1);
  assert.equal(api.seen.filter((s) => s.endsWith('Bearer tok-1')).length, 20);
});

test('a 401 renews the token once and retries the call once', async () => {
  const api = stub((request) =>
    request.headers.get('Authorization') === 'Bearer tok-1' ? Response.json({ message: 'Unauthenticated.' }, { status: 401 }) : ok(created()),
  );
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const payment = await provider.createPayment(ORDER, ctxWith(api.fetch));
  assert.equal(payment.payCode, '1234500000000006');
  assert.deepEqual(api.seen, [
    'login {"username":"mitra-x","password":"pw"}',
    'POST /api/payment/transaction Bearer tok-1',
    'login {"username":"mitra-x","password":"pw"}',
    'POST /api/payment/transaction Bearer tok-2',
  ]);
});

test('concurrent 401s on the same token share one renewal', async () => {
  const api = stub((request) => (request.headers.get('Authorization') === 'Bearer tok-1' ? new Response('', { status: 401 }) : ok(created())), 20);
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(api.fetch);
  await Promise.all(Array.from({ length: 5 }, () => provider.getStatus({ providerRef: ORDER.providerRef, providerId: '6' }, ctx)));
  assert.equal(api.logins(), 2);
});

test('a second 401 is an auth failure, not a loop', async () => {
  const api = stub(() => Response.json({ status: 'error', message: SECRET_WORDS, data: null }, { status: 401 }));
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(api.fetch))), '502 provider_auth_failed');
  assert.equal(api.seen.length, 4);
});

test('refused credentials and a failing login become stable errors', async () => {
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const refused = ctxWith(async () => Response.json({ status: 'error', message: SECRET_WORDS, data: null }, { status: 401 }));
  assert.equal(await errorCode(provider.createPayment(ORDER, refused)), '502 provider_auth_failed');
  const broken = ctxWith(async () => Response.json({ status: 'error', message: 'Internal server error', data: null }, { status: 500 }));
  assert.equal(await errorCode(provider.createPayment(ORDER, broken)), '502 provider_unavailable');
  const odd = ctxWith(async () => ok({ token: 'x' }));
  assert.equal(await errorCode(provider.createPayment(ORDER, odd)), '502 provider_bad_response');
});

test('a provider that never answers becomes a 504 after the deadline', async () => {
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const started = Date.now();
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(hangingFetch, { timeoutMs: 50 }))), '504 provider_timeout');
  assert.ok(Date.now() - started < 1000);
});

test('network failure, HTML and truncated JSON become 502s', async () => {
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const down = ctxWith(async () => {
    throw new TypeError('fetch failed');
  });
  assert.equal(await errorCode(provider.createPayment(ORDER, down)), '502 provider_unreachable');
  const html = stub(() => new Response('<html>Bad gateway</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(html.fetch))), '502 provider_bad_response');
  const truncated = stub(() => new Response('{"error":false,"data":{"id":', { status: 200 }));
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(truncated.fetch))), '502 provider_bad_response');
});

test('through the proxy: provider failures are stable errors without AMDigipay’s words', async () => {
  const env = {
    AMDIGIPAY_USERNAME: 'mitra-x',
    AMDIGIPAY_PASSWORD: 'pw',
    AMDIGIPAY_PAYMENT_ID: '33',
    AMDIGIPAY_BASE_URL: 'https://amdigipay.stub/api',
    KASIR_PROVIDER_TIMEOUT_MS: '100',
  };
  const checkout = { provider: 'amdigipay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` };
  await assertProviderFailures(env, checkout, /mitra-x|Invalid username/, [
    ['timeout', hangingFetch, 504, 'provider_timeout'],
    ['network', async () => { throw new TypeError('fetch failed'); }, 502, 'provider_unreachable'],
    ['bad credentials', async () => Response.json({ status: 'error', message: SECRET_WORDS, data: null }, { status: 401 }), 502, 'provider_auth_failed'],
    ['rejected', stub(() => Response.json({ error: true, message: SECRET_WORDS }, { status: 400 })).fetch, 502, 'provider_rejected'],
    ['server error', stub(() => Response.json({ status: 'error', message: SECRET_WORDS, data: null }, { status: 500 })).fetch, 502, 'provider_unavailable'],
    ['html', stub(() => new Response(`<html>${SECRET_WORDS}</html>`)).fetch, 502, 'provider_bad_response'],
  ]);
});

test('20 concurrent checkouts through the proxy log in exactly once', async () => {
  const { app, calls } = createTestApp();
  const results = await Promise.all(
    Array.from({ length: 20 }, () => postCheckout(app, { provider: 'amdigipay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })),
  );
  assert.deepEqual(results.map((r) => r.status), Array(20).fill(201));
  assert.equal(calls.filter((r) => r.url.endsWith('/sandbox/amdigipay/login')).length, 1);
  assert.equal(calls.filter((r) => r.url.endsWith('/sandbox/amdigipay/payment/transaction')).length, 20);
});

test('notices: the dashboard test is ignored, a good signature is read, a bad one is refused', async () => {
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(fetch);
  const post = (body: unknown) => new Request('https://kasir.test/v1/notify/amdigipay', { method: 'POST', body: JSON.stringify(body) });
  const base = { id: 6, transaction_id: 'TXN-1', transaction_total: '13000', payment_id: 33, payment: 'QRIS', status_id: 3, status: 'Terbayar', expired_date: '2025-05-21 18:23:10' };

  const dashboard = await provider.handleNotice(post({ ...base, signature: 'testing' }), ctx);
  assert.equal(dashboard.kind, 'ignore');
  const reply = dashboard.reply();
  assert.equal(reply.status, 200);
  assert.deepEqual(await reply.json(), { status: 'ok' });

  const notice = await provider.handleNotice(post({ ...base, signature: 'b1e0b2455f0732bd7061402d400a022eafac78c7cda4e013183edeb2d1992a35' }), ctx);
  assert.ok(notice.kind === 'notice');
  assert.deepEqual(notice.ref, { providerRef: 'TXN-1', providerId: '6' });
  assert.equal(notice.claimedStatus, 'paid');
  assert.deepEqual(await notice.reply().json(), await amdigipayNoticeReply().json());

  assert.equal(await errorCode(provider.handleNotice(post({ ...base, signature: amdigipaySignature('someone-else', 'TXN-1') }), ctx)), '401 notice_signature_invalid');
  assert.equal(await errorCode(provider.handleNotice(post({ ...base, signature: '' }), ctx)), '401 notice_signature_invalid');
  assert.equal(await errorCode(provider.handleNotice(post({ id: 6, status_id: 3 }), ctx)), '400 notice_invalid');
  assert.equal(
    await errorCode(provider.handleNotice(new Request('https://kasir.test/', { method: 'POST', body: '{"transaction_id":' }), ctx)),
    '400 notice_invalid',
  );
});

test('login is sent as a form first; a server that cannot read the form gets JSON, and that is remembered', async () => {
  const seen: string[] = [];
  let logins = 0;
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === '/api/login') {
      const type = request.headers.get('Content-Type');
      seen.push(`login ${type}`);
      if (type !== 'application/json') return Response.json({ message: 'The username field is required.' }, { status: 422 });
      return loginOk(`tok-${++logins}`, 61);
    }
    return ok(created());
  };
  const clock = { now: NOW };
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(fetch, { now: () => clock.now });
  await provider.getStatus({ providerRef: ORDER.providerRef, providerId: '6' }, ctx);
  clock.now = new Date(NOW.getTime() + 5_000); // past the renewal margin of a 61 s token
  await provider.getStatus({ providerRef: ORDER.providerRef, providerId: '6' }, ctx);
  assert.deepEqual(seen, ['login application/x-www-form-urlencoded', 'login application/json', 'login application/json']);
});

test('the login body: a form of username and password, or the docs’ JSON', () => {
  assert.deepEqual(buildAmdigipayLogin('mitra x', 'p&w=1', 'form'), { contentType: 'application/x-www-form-urlencoded', body: 'username=mitra+x&password=p%26w%3D1' });
  assert.deepEqual(buildAmdigipayLogin('mitra', 'pw', 'json'), { contentType: 'application/json', body: '{"username":"mitra","password":"pw"}' });
});

test('notices: an empty body or `testing` is the dashboard’s test; a form is read like JSON', async () => {
  const provider = createAmdigipayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(fetch);
  for (const body of ['', '  ', 'testing']) {
    assert.equal((await provider.handleNotice(new Request('https://kasir.test/', { method: 'POST', body }), ctx)).kind, 'ignore', JSON.stringify(body));
  }
  const form = new URLSearchParams({ id: '6', transaction_id: 'TXN-1', status_id: '3', signature: 'b1e0b2455f0732bd7061402d400a022eafac78c7cda4e013183edeb2d1992a35' });
  const notice = await provider.handleNotice(new Request('https://kasir.test/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form }), ctx);
  assert.ok(notice.kind === 'notice');
  assert.deepEqual([notice.ref, notice.claimedStatus], [{ providerRef: 'TXN-1', providerId: '6' }, 'paid']);
});
