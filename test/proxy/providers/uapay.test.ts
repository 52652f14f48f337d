import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import { signJwt, verifyJwt } from '../../../proxy/lib/jwt';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { kyivDateTime } from '../../../proxy/lib/time';
import {
  buildUapayCreateRequest,
  buildUapaySessionRequest,
  buildUapayShowRequest,
  createUapayProvider,
  isUapaySessionError,
  parseUapayCreated,
  parseUapayInvoice,
  parseUapayReply,
  signUapayRequest,
} from '../../../proxy/providers/uapay';
import { assertProviderFailures, createTestApp, CUSTOMER, errorCode, hangingFetch, postCheckout, providerContexts, SHOP, testOrder, thrownCode } from '../helpers';

const SECRET = 'test-secret';
const SETTINGS = { clientId: '1', secret: SECRET, baseUrl: 'https://api.uapay.stub/api', sandbox: false };
const STUB_ENV = { UAPAY_CLIENT_ID: '1', UAPAY_SECRET: SECRET, UAPAY_BASE_URL: 'https://api.uapay.stub/api' };
const VECTOR =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJwYXJhbXMiOnsiY2xpZW50SWQiOiIxIn0sImlhdCI6MTcwMDAwMDAwMH0.eEfaVZ7sRxZ-oxj6dJWWtj2K-2wBt7FML6RohKQMdRg';
/** 12:00:00 in Kyiv (UTC+2 in January). */
const NOW = new Date('2024-01-15T10:00:00Z');
const PROVIDER_TEXT = 'Secret provider detail 380971112233';
const CREATED = {
  id: 'd754517b-7138-46c3-9ce2-f4857910b120',
  paymentPageUrl: 'https://payment.demo.uapay.ua/i/d754517b-7138-46c3-9ce2-f4857910b120',
  paymentPageUrlQR: 'https://api.demo.uapay.ua/api/qr/invoicer/d754517b-7138-46c3-9ce2-f4857910b120',
};
const ORDER = testOrder('uapay', {
  amount: 63900,
  currency: 'UAH',
  lines: [
    { sku: 'tee-m', name: 'T-shirt M', qty: 1, price: 39900 },
    { sku: 'mug', name: 'Mug', qty: 2, price: 12000 },
  ],
  customer: { name: 'Олена Коваль', email: 'olena@example.com' },
  createdAt: NOW.toISOString(),
});

const signedReply = (payload: object, secret = SECRET) => Response.json({ status: 1, data: { token: signJwt(payload, secret) } });
const errorReply = (status: number, code: string) => Response.json({ status: 0, error: { code, message: PROVIDER_TEXT, fields: { data: { amount: PROVIDER_TEXT } } } }, { status });

/** A stand-in UAPAY: one handler per path, and every call it received (path and parsed body). */
function stubUapay(handlers: Record<string, (body: Record<string, any>) => Response | Promise<Response>>) {
  const calls: { path: string; body: Record<string, any> }[] = [];
  let sessions = 0;
  const defaults: typeof handlers = {
    'sessions/create': () => signedReply({ id: `session-${++sessions}` }),
    'invoicer/invoices/create': () => signedReply(CREATED),
  };
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace(/^\/api\//, '');
    const body = (await request.json()) as Record<string, any>;
    calls.push({ path, body });
    const handler = handlers[path] ?? defaults[path];
    if (!handler) throw new TypeError('fetch failed');
    return handler(body);
  };
  return { fetch, calls, count: (path: string) => calls.filter((c) => c.path === path).length };
}

const ctxWith = providerContexts('uapay', NOW);
const CHECKOUT = { provider: 'uapay', items: [{ sku: 'tee-m', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` };
const checkout = (app: Parameters<typeof postCheckout>[0]) => postCheckout(app, CHECKOUT);

// ── Signing and requests ────────────────────────────────────────────────────────────────────────

test('the signed body carries the fields plain and the vector in docs/providers/uapay.md as token', () => {
  const body = signUapayRequest(buildUapaySessionRequest('1'), 'test-secret', new Date(1700000000_000));
  assert.equal(JSON.stringify(body), `{"params":{"clientId":"1"},"iat":1700000000,"token":"${VECTOR}"}`);
});

test('iat is whole Unix seconds, rounded down', () => {
  assert.equal(signUapayRequest(buildUapaySessionRequest('1'), SECRET, new Date('2024-01-15T10:00:00.999Z')).iat, 1705312800);
});

test('the create request for a known order, byte for byte, and identical inside the token', () => {
  const expiresAt = new Date(NOW.getTime() + 60 * 60_000);
  const request = buildUapayCreateRequest(ORDER, '613f7045-03a2-4bbb-8ff8-e2202e71d41f', 'https://kasir.test/v1/notify/uapay', expiresAt);
  const body = signUapayRequest(request, SECRET, NOW);
  const { token, ...plain } = body;
  assert.equal(
    JSON.stringify(plain),
    '{"params":{"sessionId":"613f7045-03a2-4bbb-8ff8-e2202e71d41f","systemType":"ECOM"},' +
      '"data":{"externalId":"ordABCdef1234567890XYZabc","type":"PAY","reusability":false,"description":"Order ordABCdef1234567890XYZabc",' +
      '"amount":63900,"redirectUrl":"https://shop.test/thanks?kasir_order=ord_ABCdef1234567890XYZabc",' +
      '"callbackUrl":"https://kasir.test/v1/notify/uapay","email":"olena@example.com","payExpiresAt":"2024-01-15 13:00:00"},' +
      '"iat":1705312800}',
  );
  assert.equal(token.split('.')[0], 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
  assert.deepEqual(verifyJwt(token, SECRET), plain);
});

test('optional fields are left out when the order has none', () => {
  const { returnUrl: _returnUrl, ...bare } = ORDER;
  const { data } = buildUapayCreateRequest({ ...bare, customer: { name: 'Taras' } }, 's', 'https://kasir.test/n', NOW);
  assert.deepEqual(Object.keys(data!), ['externalId', 'type', 'reusability', 'description', 'amount', 'callbackUrl', 'payExpiresAt']);
});

test('the show request names the session and UAPAY’s invoice id', () => {
  assert.deepEqual(buildUapayShowRequest('sess', 'inv'), { params: { sessionId: 'sess', id: 'inv' } });
});

test('payExpiresAt is Kyiv wall-clock time, daylight saving included', () => {
  assert.equal(kyivDateTime(new Date('2024-01-15T10:00:00Z')), '2024-01-15 12:00:00'); // EET, UTC+2
  assert.equal(kyivDateTime(new Date('2024-07-01T10:00:00Z')), '2024-07-01 13:00:00'); // EEST, UTC+3
  assert.equal(kyivDateTime(new Date('2024-03-31T00:59:59Z')), '2024-03-31 02:59:59');
  assert.equal(kyivDateTime(new Date('2024-03-31T01:00:00Z')), '2024-03-31 04:00:00');
  assert.equal(kyivDateTime(new Date('2024-12-31T22:00:00Z')), '2025-01-01 00:00:00');
  assert.equal(kyivDateTime(new Date('2024-05-05T05:05:05.999Z')), '2024-05-05 08:05:05');
});

test('refFor keeps the order id’s letters and digits', () => {
  assert.equal(createUapayProvider(SETTINGS, { ttlMinutes: 60 }).refFor('ord_ABCdef1234567890XYZabc'), 'ordABCdef1234567890XYZabc');
});

// ── Replies ─────────────────────────────────────────────────────────────────────────────────────

test('parseUapayReply returns the verified token payload', () => {
  const payload = parseUapayReply({ status: 200, json: { status: 1, data: { token: signJwt(CREATED, SECRET) } } }, SECRET);
  assert.deepEqual(payload, CREATED);
  assert.deepEqual(parseUapayCreated(payload, 'ref', NOW), {
    providerRef: 'ref',
    providerId: CREATED.id,
    paymentUrl: CREATED.paymentPageUrl,
    qrUrl: CREATED.paymentPageUrlQR,
    expiresAt: '2024-01-15T10:00:00.000Z',
  });
});

test('parseUapayReply turns every failure into a stable proxy error', () => {
  const cases: [number, unknown, string][] = [
    [200, { status: 0, error: { code: 'FORMAT_ERROR', message: PROVIDER_TEXT } }, 'provider_rejected'],
    [200, { status: 0 }, 'provider_rejected'],
    [200, { error: { code: 'FORMAT_ERROR' } }, 'provider_rejected'],
    [400, { status: 0, error: { code: 'TIMELIMIT_ERROR' } }, 'provider_auth_failed'],
    [200, { status: 0, error: { code: 'SESSION_NOT_FOUND' } }, 'provider_auth_failed'],
    [401, { status: 0, error: { code: 'TOKEN_ERROR' } }, 'provider_auth_failed'],
    [403, undefined, 'provider_auth_failed'],
    [404, { status: 0, error: { code: 'INVOICE_NOT_FOUND' } }, 'provider_not_found'],
    [500, { status: 0 }, 'provider_unavailable'],
    [503, undefined, 'provider_unavailable'],
    [200, undefined, 'provider_bad_response'],
    [200, { status: 1, data: {} }, 'provider_bad_response'],
    [200, { status: 1, data: { token: signJwt(CREATED, 'other-secret') } }, 'provider_bad_response'],
    [200, { status: 1, data: { token: 'not.a.jwt' } }, 'provider_bad_response'],
  ];
  for (const [status, json, code] of cases) assert.equal(thrownCode(() => parseUapayReply({ status, json }, SECRET)), code, JSON.stringify([status, json]));
});

test('isUapaySessionError recognises UAPAY’s session errors only', () => {
  assert.equal(isUapaySessionError({ status: 0, error: { code: 'SESSION_NOT_FOUND' } }), true);
  assert.equal(isUapaySessionError({ status: 0, error: { code: 'FORMAT_ERROR' } }), false);
  assert.equal(isUapaySessionError({ status: 1, data: { token: 'x' } }), false);
  assert.equal(isUapaySessionError(undefined), false);
});

// ── Status ──────────────────────────────────────────────────────────────────────────────────────

test('invoice and payment statuses map onto the status union', () => {
  const status = (invoiceStatus: string, ...payments: [string, number?][]) =>
    parseUapayInvoice({ id: 'i', invoiceStatus, payments: payments.map(([paymentStatus, amount]) => ({ paymentStatus, amount, status: 'X' })) }, () => {});
  assert.deepEqual(status('ACTIVE'), { status: 'pending' });
  assert.deepEqual(status('INACTIVE'), { status: 'expired' });
  assert.deepEqual(status('INACTIVE', ['FINISHED', 39900]), { status: 'paid', paidAmount: 39900 });
  // Only FINISHED is paid; PAYED waits for it (docs/providers/uapay.md).
  assert.deepEqual(status('ACTIVE', ['PAYED', 39900]), { status: 'pending' });
  assert.deepEqual(status('INACTIVE', ['REJECTED', 39900], ['FINISHED', 39900]), { status: 'paid', paidAmount: 39900 });
  assert.deepEqual(status('INACTIVE', ['REVERSED', 39900]), { status: 'refunded' });
  assert.deepEqual(status('INACTIVE', ['RETURNED', 39900]), { status: 'refunded' });
  assert.deepEqual(status('INACTIVE', ['REJECTED', 39900]), { status: 'failed', reason: 'REJECTED' });
  assert.deepEqual(status('INACTIVE', ['CANCELED', 39900]), { status: 'cancelled', reason: 'CANCELED' });
  assert.deepEqual(status('INACTIVE', ['CLOSED', 39900]), { status: 'cancelled', reason: 'CLOSED' });
  assert.deepEqual(status('INACTIVE', ['REJECTED'], ['CANCELED']), { status: 'cancelled', reason: 'CANCELED' });
  // A failed attempt on a still-payable invoice can be retried by the customer.
  assert.deepEqual(status('ACTIVE', ['REJECTED', 39900]), { status: 'pending' });
  for (const inProgress of ['OPEN', 'PENDING', 'NEEDS_CONFIRMATION', 'HOLDED']) {
    assert.deepEqual(status('INACTIVE', [inProgress, 39900]), { status: 'pending' }, inProgress);
  }
  assert.deepEqual(parseUapayInvoice({ id: 'i', invoiceStatus: 'ACTIVE', payments: null }, () => {}), { status: 'pending' });
  assert.throws(() => parseUapayInvoice({ id: 'i', payments: [] }, () => {}), /unreadable/);
  assert.throws(() => status('INACTIVE', ['FINISHED', 399.5]), /unreadable/);
});

test('getStatus confirms with a signed invoices/show of the stored invoice id', async () => {
  const stub = stubUapay({
    'invoicer/invoices/show': () => signedReply({ id: CREATED.id, invoiceStatus: 'INACTIVE', payments: [{ paymentStatus: 'FINISHED', status: 'FINISHED', amount: 63900 }] }),
  });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  assert.deepEqual(await provider.getStatus({ providerRef: ORDER.providerRef, providerId: CREATED.id }, ctxWith(stub.fetch)), { status: 'paid', paidAmount: 63900 });
  assert.deepEqual(stub.calls.map((c) => c.path), ['sessions/create', 'invoicer/invoices/show']);
  assert.deepEqual(stub.calls[1]!.body.params, { sessionId: 'session-1', id: CREATED.id });
  assert.equal(await errorCode(provider.getStatus({ providerRef: ORDER.providerRef }, ctxWith(stub.fetch))), '502 provider_not_found');
});

test('an unknown status reads as pending and is logged once', async () => {
  const stub = stubUapay({ 'invoicer/invoices/show': () => signedReply({ id: 'i', invoiceStatus: 'ACTIVE', payments: [{ paymentStatus: 'TELEPORTED', amount: 1 }] }) });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const log = createMemoryLogger();
  for (let i = 0; i < 3; i++) assert.deepEqual(await provider.getStatus({ providerRef: 'r', providerId: 'i' }, ctxWith(stub.fetch, { log })), { status: 'pending' });
  const warnings = log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'provider_unknown_status');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].status, 'TELEPORTED');
});

// ── Sessions ────────────────────────────────────────────────────────────────────────────────────

test('createPayment opens one session, reuses it, and sends the session id and iat', async () => {
  const stub = stubUapay({});
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 30 });
  const created = await provider.createPayment(ORDER, ctxWith(stub.fetch));
  await provider.createPayment({ ...ORDER, providerRef: 'second' }, ctxWith(stub.fetch));
  assert.deepEqual(created, { providerRef: ORDER.providerRef, providerId: CREATED.id, paymentUrl: CREATED.paymentPageUrl, qrUrl: CREATED.paymentPageUrlQR, expiresAt: '2024-01-15T10:30:00.000Z' });
  assert.deepEqual(stub.calls.map((c) => c.path), ['sessions/create', 'invoicer/invoices/create', 'invoicer/invoices/create']);
  assert.deepEqual(stub.calls[0]!.body.params, { clientId: '1' });
  assert.deepEqual(stub.calls[2]!.body.params, { sessionId: 'session-1', systemType: 'ECOM' });
  assert.equal(stub.calls[1]!.body.iat, 1705312800);
  assert.equal(stub.calls[1]!.body.data.payExpiresAt, '2024-01-15 12:30:00');
});

test('a session error renews the session once and retries the call once', async () => {
  let created = 0;
  const stub = stubUapay({
    'invoicer/invoices/create': (body) => (body.params.sessionId === 'session-1' ? errorReply(401, 'SESSION_NOT_FOUND') : (created++, signedReply(CREATED))),
  });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(stub.fetch);
  assert.equal((await provider.createPayment(ORDER, ctx)).providerId, CREATED.id);
  assert.deepEqual(stub.calls.map((c) => `${c.path} ${c.body.params.sessionId ?? ''}`.trim()), [
    'sessions/create',
    'invoicer/invoices/create session-1',
    'sessions/create',
    'invoicer/invoices/create session-2',
  ]);
  await provider.createPayment(ORDER, ctx);
  assert.equal(stub.count('sessions/create'), 2);
  assert.equal(created, 2);
});

test('a session error right after renewal fails the call instead of looping', async () => {
  const stub = stubUapay({ 'invoicer/invoices/create': () => errorReply(401, 'SESSION_NOT_FOUND') });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(stub.fetch))), '502 provider_auth_failed');
  assert.equal(stub.count('sessions/create'), 2);
  assert.equal(stub.count('invoicer/invoices/create'), 2);
});

test('concurrent calls that all hit an expired session renew it once', async () => {
  const stub = stubUapay({ 'invoicer/invoices/create': (body) => (body.params.sessionId === 'session-1' ? errorReply(401, 'SESSION_NOT_FOUND') : signedReply(CREATED)) });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(stub.fetch);
  await provider.getStatus({ providerRef: 'r', providerId: 'i' }, ctx).catch(() => undefined); // opens session-1
  const results = await Promise.all(Array.from({ length: 10 }, () => provider.createPayment(ORDER, ctx)));
  assert.equal(results.length, 10);
  assert.equal(stub.count('sessions/create'), 2);
  assert.equal(stub.count('invoicer/invoices/create'), 20);
});

test('a failed sessions/create is not kept: the next call asks again', async () => {
  let fail = true;
  const stub = stubUapay({ 'sessions/create': () => (fail ? errorReply(500, 'INTERNAL') : signedReply({ id: 'fresh' })) });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(stub.fetch))), '502 provider_unavailable');
  fail = false;
  assert.equal((await provider.createPayment(ORDER, ctxWith(stub.fetch))).providerId, CREATED.id);
  assert.equal(stub.calls.at(-1)!.body.params.sessionId, 'fresh');
});

test('a wrong clientId or a session reply without id fails as auth / bad response', async () => {
  const provider = () => createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  assert.equal(await errorCode(provider().createPayment(ORDER, ctxWith(stubUapay({ 'sessions/create': () => errorReply(401, 'CLIENT_NOT_FOUND') }).fetch))), '502 provider_auth_failed');
  assert.equal(await errorCode(provider().createPayment(ORDER, ctxWith(stubUapay({ 'sessions/create': () => signedReply({ sid: 'x' }) }).fetch))), '502 provider_bad_response');
});

test('twenty concurrent checkouts against the simulator open exactly one session', async () => {
  const { app, calls } = createTestApp();
  const responses = await Promise.all(Array.from({ length: 20 }, () => checkout(app)));
  assert.deepEqual(responses.map((r) => r.status), Array(20).fill(201));
  assert.equal(calls.filter((c) => c.url.endsWith('/sandbox/uapay/sessions/create')).length, 1);
  assert.equal(calls.filter((c) => c.url.endsWith('/sandbox/uapay/invoicer/invoices/create')).length, 20);
});

test('once the simulator expires the session, the next checkouts renew it once', async () => {
  let clock = new Date('2024-01-15T10:00:00Z');
  const { app, calls } = createTestApp({}, { now: () => clock });
  const count = (path: string) => calls.filter((c) => c.url.endsWith(`/sandbox/uapay/${path}`)).length;
  assert.equal((await checkout(app)).status, 201);
  clock = new Date(clock.getTime() + 24 * 60 * 60_000 + 1000);
  const responses = await Promise.all(Array.from({ length: 5 }, () => checkout(app)));
  assert.deepEqual(responses.map((r) => r.status), Array(5).fill(201));
  assert.equal(count('sessions/create'), 2);
  assert.equal(count('invoicer/invoices/create'), 1 + 5 * 2);
  assert.equal((await checkout(app)).status, 201);
  assert.equal(count('sessions/create'), 2);
});

// ── Errors through the proxy ────────────────────────────────────────────────────────────────────

test('each UAPAY failure on create becomes a stable proxy error without UAPAY’s words', async () => {
  const onCreate = (reply: () => Response | Promise<Response>) => stubUapay({ 'invoicer/invoices/create': reply }).fetch;
  await assertProviderFailures(STUB_ENV, CHECKOUT, /Secret provider detail/, [
    ['401 with UAPAY’s error body', onCreate(() => errorReply(401, 'TOKEN_ERROR')), 502, 'provider_auth_failed'],
    ['clock refused', onCreate(() => errorReply(400, 'TIMELIMIT_ERROR')), 502, 'provider_auth_failed'],
    ['400 FORMAT_ERROR', onCreate(() => errorReply(400, 'FORMAT_ERROR')), 502, 'provider_rejected'],
    ['status 0 on HTTP 200', onCreate(() => Response.json({ status: 0, error: { code: 'DUPLICATE', message: PROVIDER_TEXT } })), 502, 'provider_rejected'],
    ['500', onCreate(() => errorReply(500, 'INTERNAL')), 502, 'provider_unavailable'],
    ['HTML instead of JSON', onCreate(() => new Response(`<html><body>${PROVIDER_TEXT}</body></html>`, { headers: { 'Content-Type': 'text/html' } })), 502, 'provider_bad_response'],
    ['truncated JSON', onCreate(() => new Response(`{"status":1,"data":{"token":"${PROVIDER_TEXT}`)), 502, 'provider_bad_response'],
    ['reply signed with another secret', onCreate(() => signedReply(CREATED, 'not-the-secret')), 502, 'provider_bad_response'],
    ['reply token without a page URL', onCreate(() => signedReply({ id: CREATED.id, note: PROVIDER_TEXT })), 502, 'provider_bad_response'],
    ['network failure', onCreate(() => Promise.reject(new TypeError('fetch failed'))), 502, 'provider_unreachable'],
  ]);
});

test('UAPAY not answering in time is a 504 provider_timeout', async () => {
  const { app } = createTestApp({ ...STUB_ENV, KASIR_PROVIDER_TIMEOUT_MS: '100' }, { outside: hangingFetch });
  const started = Date.now();
  const res = await checkout(app);
  assert.equal(res.status, 504);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'provider_timeout');
  assert.ok(Date.now() - started < 2000);
});

test('UAPAY not answering invoices/create in time is a 504 too', async () => {
  const stub = stubUapay({});
  const fetch: FetchLike = (input, init) => (String(input).endsWith('/invoices/create') ? hangingFetch(input, init) : stub.fetch(input, init));
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(fetch, { timeoutMs: 100 }))), '504 provider_timeout');
  assert.equal(stub.count('sessions/create'), 1);
});

// ── Notices ─────────────────────────────────────────────────────────────────────────────────────

const NOTICE = { paymentId: 'p-1', invoiceId: CREATED.id, externalId: ORDER.providerRef, amount: 63900, status: 'FINISHED', paymentStatus: 'FINISHED' };
const noticeRequest = (body: string) => new Request('https://kasir.test/v1/notify/uapay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

test('a signed notice names our reference and UAPAY’s invoice, and is answered with 200', async () => {
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const result = await provider.handleNotice(noticeRequest(JSON.stringify({ token: signJwt(NOTICE, SECRET) })), ctxWith(stubUapay({}).fetch));
  assert.equal(result.kind, 'notice');
  if (result.kind !== 'notice') return;
  assert.deepEqual(result.ref, { providerRef: ORDER.providerRef, providerId: CREATED.id });
  assert.equal(result.claimedStatus, 'paid');
  const reply = result.reply();
  assert.equal(reply.status, 200);
  assert.equal(await reply.text(), 'OK');
});

test('forged, absent or malformed notices are refused', async () => {
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(stubUapay({}).fetch);
  const refused = (body: string) => errorCode(provider.handleNotice(noticeRequest(body), ctx));
  assert.equal(await refused(JSON.stringify({ token: signJwt(NOTICE, 'forger') })), '401 notice_signature_invalid');
  assert.equal(await refused(JSON.stringify({ token: `${signJwt(NOTICE, SECRET)}x` })), '401 notice_signature_invalid');
  assert.equal(await refused(JSON.stringify({ ...NOTICE })), '401 notice_signature_invalid');
  assert.equal(await refused(JSON.stringify({ token: signJwt({ ...NOTICE, invoiceId: undefined }, SECRET) })), '400 notice_invalid');
  // Without externalId, and an invoice that names none either.
  const noRef = stubUapay({ 'invoicer/invoices/show': () => signedReply({ id: CREATED.id, invoiceStatus: 'ACTIVE', payments: [] }) });
  const token = JSON.stringify({ token: signJwt({ ...NOTICE, externalId: undefined }, SECRET) });
  assert.equal(await errorCode(provider.handleNotice(noticeRequest(token), ctxWith(noRef.fetch))), '400 notice_invalid');
  assert.equal(await refused('not json'), '400 notice_invalid');
});

test('a notice naming the ids id / orderId (as the 1C-Bitrix handler reads them) is read like paymentId / invoiceId', async () => {
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const { paymentId, invoiceId, paymentStatus, ...rest } = NOTICE as Record<string, unknown>;
  const variant = { ...rest, id: paymentId, orderId: invoiceId, status: paymentStatus };
  const result = await provider.handleNotice(noticeRequest(JSON.stringify({ token: signJwt(variant, SECRET) })), ctxWith(stubUapay({}).fetch));
  assert.ok(result.kind === 'notice');
  assert.deepEqual(result.ref, { providerRef: ORDER.providerRef, providerId: CREATED.id });
  assert.equal(result.claimedStatus, 'paid');
  const neither = { ...rest, paymentStatus };
  assert.equal(await errorCode(provider.handleNotice(noticeRequest(JSON.stringify({ token: signJwt(neither, SECRET) })), ctxWith(stubUapay({}).fetch))), '400 notice_invalid');
});

test('a signed notice without externalId (the older form) learns our reference from the invoice it names', async () => {
  const stub = stubUapay({
    'invoicer/invoices/show': () => signedReply({ id: CREATED.id, externalId: ORDER.providerRef, invoiceStatus: 'INACTIVE', payments: [] }),
  });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const older = { id: 'p-1', orderId: CREATED.id, number: 14, amount: 63900, status: 'FINISHED', createdAt: 1705312800 };
  const result = await provider.handleNotice(noticeRequest(JSON.stringify({ token: signJwt(older, SECRET) })), ctxWith(stub.fetch));
  assert.ok(result.kind === 'notice');
  assert.deepEqual(result.ref, { providerRef: ORDER.providerRef, providerId: CREATED.id });
  assert.deepEqual(stub.calls.map((c) => c.path), ['sessions/create', 'invoicer/invoices/show']);
  // A forged one costs no lookup.
  const forged = stubUapay({});
  assert.equal(await errorCode(provider.handleNotice(noticeRequest(JSON.stringify({ token: signJwt(older, 'forger') })), ctxWith(forged.fetch))), '401 notice_signature_invalid');
  assert.equal(forged.calls.length, 0);
});

test('PAYED is pending, not paid, and is logged once however often it is seen', async () => {
  const stub = stubUapay({
    'invoicer/invoices/show': () => signedReply({ id: CREATED.id, invoiceStatus: 'ACTIVE', payments: [{ paymentStatus: 'PAYED', status: 'PAID', amount: 63900 }] }),
  });
  const provider = createUapayProvider(SETTINGS, { ttlMinutes: 60 });
  const log = createMemoryLogger();
  const ctx = ctxWith(stub.fetch, { log });
  const ref = { providerRef: ORDER.providerRef, providerId: CREATED.id };
  for (let i = 0; i < 3; i++) assert.deepEqual(await provider.getStatus(ref, ctx), { status: 'pending' });
  const notice = await provider.handleNotice(noticeRequest(JSON.stringify({ token: signJwt({ ...NOTICE, paymentStatus: 'PAYED' }, SECRET) })), ctx);
  assert.ok(notice.kind === 'notice' && notice.claimedStatus === 'pending');
  assert.equal(log.lines.filter((l) => l.includes('uapay_payed_pending')).length, 1);
  assert.equal(log.lines.filter((l) => l.includes('provider_unknown_status')).length, 0);
});
