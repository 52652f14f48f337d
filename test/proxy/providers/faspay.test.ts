import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KasirError } from '../../../proxy/lib/errors';
import { createMemoryLogger } from '../../../proxy/lib/log';
import {
  buildFaspayCancelRequest,
  buildFaspayCreateRequest,
  buildFaspayInquireRequest,
  createFaspayProvider,
  faspaySignature,
  faspayTransactionNumber,
  parseFaspayBilling,
  parseFaspayCreated,
  parseFaspayReply,
  signFaspayBody,
} from '../../../proxy/providers/faspay';
import type { Order } from '../../../proxy/orders/order';
import { assertProviderFailures, CUSTOMER, errorCode, hangingFetch, providerContexts, SHOP, testOrder, thrownCode } from '../helpers';

const ORDER_ID = 'ord_ABCdef1234567890XYZabc';
const TRX = '1994205257272380';
const TRX_SIGNATURE = '8f3c2d9a1bb8ba6b6ca0582f5607e5a64e291756'; // merchant + s3cret + TRX
const ORDER = testOrder('faspay', {
  customer: { name: 'Nadia Rizki', email: 'nadia@example.com', phone: '+62 878-8439-8009' },
  locale: 'id',
  createdAt: '2023-09-05T02:52:53.000Z',
  providerRef: TRX,
});
const SETTINGS = { username: 'merchant', password: 's3cret', serviceId: '6', baseUrl: 'https://faspay.stub/api', sandbox: false };
const NOW = new Date('2023-09-05T02:52:53Z');
const REF = { providerRef: TRX, providerId: '1051' };

const ctxWith = providerContexts('faspay', NOW);
const inquiry = (over: Record<string, unknown> = {}) => ({
  billing_id: 1051,
  transaction_number: TRX,
  billing_total: '345000',
  payment_details: [],
  billing_due_date: '2023-09-05 11:52:53',
  billing_url: 'https://s.faspay.co.id/gL',
  billing_status: 'UNPAID',
  response_code: '00',
  response_message: 'Success Inquiry Billing',
  ...over,
});
const notice = (over: Record<string, unknown> = {}) =>
  new Request('https://kasir.test/v1/notify/faspay', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      billing_id: 1051,
      service_id: 6,
      transaction_number: TRX,
      billing_total: '345000',
      signature: TRX_SIGNATURE,
      billing_status: 'PAID',
      payment_id: '1606804843001326',
      payment_amount: '345000',
      payment_method: 'PERMATA VA',
      payment_date: '2023-09-05 10:00:00',
      ...over,
    }),
  });

test('signature matches the vector in docs/providers/faspay.md', () => {
  assert.equal(faspaySignature('bot99999', 'p@ssw0rd', '145398922822218'), '3b15aa993c3ff270ab718f4fcf66046f24c2591b');
});

test('transaction_number is 16 digits derived from the order id', () => {
  assert.equal(faspayTransactionNumber(ORDER_ID), TRX);
  assert.equal(faspayTransactionNumber('ord_x'), '1190319607327170');
  assert.equal(createFaspayProvider(SETTINGS, { ttlMinutes: 60 }).refFor(ORDER_ID), TRX);
});

test('inquire and cancel bodies reproduce the docs’ sample requests', () => {
  const docs = { ...SETTINGS, username: 'bot99999', password: 'p@ssw0rd', serviceId: '1' };
  const expected = '{"service_id":"1","billing_id":"1041","transaction_number":"145398922822218","signature":"3b15aa993c3ff270ab718f4fcf66046f24c2591b"}';
  const ref = { providerRef: '145398922822218', providerId: '1041' };
  assert.equal(JSON.stringify(signFaspayBody(docs, buildFaspayInquireRequest('1', ref))), expected);
  assert.equal(JSON.stringify(signFaspayBody(docs, buildFaspayCancelRequest('1', ref))), expected);
  assert.throws(() => buildFaspayCancelRequest('1', { providerRef: '145398922822218' }), (e) => e instanceof KasirError && e.code === 'provider_not_found');
});

test('create request is built from the order, byte for byte: strings, Jakarta dates, signature', () => {
  assert.equal(
    JSON.stringify(signFaspayBody(SETTINGS, buildFaspayCreateRequest(ORDER, '6', NOW, 120))),
    `{"service_id":"6","transaction_number":"${TRX}","billing_total":"345000",` +
      '"billing_date":"2023-09-05 09:52:53","billing_due_date":"2023-09-05 11:52:53",' +
      '"items":[{"item_name":"T-shirt M","qty":"2","item_amount":"150000"},{"item_name":"Mug","qty":"1","item_amount":"45000"}],' +
      '"billing_language":"ID","customer_name":"Nadia Rizki","customer_email":"nadia@example.com","customer_phone":"6287884398009",' +
      `"signature":"${TRX_SIGNATURE}"}`,
  );
  assert.equal(buildFaspayCreateRequest({ ...ORDER, locale: undefined }, '6', NOW, 120).billing_language, 'EN');
});

test('create request needs the customer’s email and phone', () => {
  const code = (customer: Order['customer']) => thrownCode(() => buildFaspayCreateRequest({ ...ORDER, customer }, '6', NOW, 60));
  assert.equal(code({ name: 'A', phone: '0812345678' }), 'email_required');
  assert.equal(code({ name: 'A', email: 'a@example.com' }), 'phone_required');
  assert.deepEqual(createFaspayProvider(SETTINGS, { ttlMinutes: 60 }).requires, ['email', 'phone']);
});

test('replies map to stable errors', () => {
  const code = (status: number, json: unknown) => thrownCode(() => parseFaspayReply({ status, json }));
  assert.equal(code(200, { response_code: '00', response_message: 'Success Create Billing' }), 'ok');
  assert.equal(code(200, { response_code: '01', response_message: 'Invalid signature' }), 'provider_rejected');
  assert.equal(code(200, { response_code: 1 }), 'provider_rejected');
  assert.equal(code(400, { response_code: '00' }), 'provider_rejected');
  assert.equal(code(401, { response_code: '01' }), 'provider_auth_failed');
  assert.equal(code(403, undefined), 'provider_auth_failed');
  assert.equal(code(404, undefined), 'provider_not_found');
  assert.equal(code(500, { response_code: '01' }), 'provider_unavailable');
  assert.equal(code(503, undefined), 'provider_unavailable');
  assert.equal(code(200, undefined), 'provider_bad_response');
  assert.equal(code(200, { unexpected: true }), 'provider_bad_response');
});

test('created: the docs’ reply shape (numbers and strings) gives the payment link and our due date', () => {
  const body = { response_code: '00', response_message: 'Success Create Billing', billing_id: 1051, transaction_number: TRX, billing_total: 345000, billing_url: 'https://s.faspay.co.id/gl' };
  assert.deepEqual(parseFaspayCreated(body, ORDER, NOW, 120), {
    providerRef: TRX,
    providerId: '1051',
    paymentUrl: 'https://s.faspay.co.id/gl',
    expiresAt: '2023-09-05T04:52:53.000Z',
  });
  assert.throws(() => parseFaspayCreated({ ...body, billing_total: 345001 }, ORDER, NOW, 120), (e) => e instanceof KasirError && e.code === 'provider_bad_response');
  assert.throws(() => parseFaspayCreated({ ...body, transaction_number: '1' }, ORDER, NOW, 120), (e) => e instanceof KasirError && e.code === 'provider_bad_response');
  assert.throws(() => parseFaspayCreated({ ...body, billing_url: 'not a url' }, ORDER, NOW, 120), (e) => e instanceof KasirError && e.code === 'provider_bad_response');
});

test('inquiry: every documented status maps, PAID carries the bill total and the payment date', () => {
  const none = () => assert.fail('no unknown status here');
  const paid = inquiry({ billing_status: 'PAID', payment_details: [{ payment_id: '1606988333001352', payment_date: '2023-09-05 10:00:00', payment_nominal: '345000' }] });
  assert.deepEqual(parseFaspayBilling(paid, REF, none), { status: 'paid', paidAmount: 345000, paidAt: '2023-09-05T03:00:00.000Z' });
  assert.deepEqual(parseFaspayBilling(inquiry(), REF, none), { status: 'pending' });
  assert.deepEqual(parseFaspayBilling(inquiry({ billing_status: 'EXPIRED' }), REF, none), { status: 'expired', reason: 'EXPIRED' });
  assert.deepEqual(parseFaspayBilling(inquiry({ billing_status: 'CANCELLED' }), REF, none), { status: 'cancelled', reason: 'CANCELLED' });
  assert.throws(() => parseFaspayBilling(inquiry({ billing_id: 1052 }), REF, none), (e) => e instanceof KasirError && e.code === 'provider_bad_response');
  assert.throws(() => parseFaspayBilling(inquiry({ billing_total: '3.5' }), REF, none), (e) => e instanceof KasirError && e.code === 'provider_bad_response');
});

test('inquiry: an unknown status is pending and logged once', async () => {
  const log = createMemoryLogger();
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(async () => Response.json(inquiry({ billing_status: 'REFUNDING' })), { log });
  assert.deepEqual(await provider.getStatus(REF, ctx), { status: 'pending' });
  assert.deepEqual(await provider.getStatus(REF, ctx), { status: 'pending' });
  const warnings = log.lines.map((line) => JSON.parse(line)).filter((l) => l.event === 'provider_unknown_status');
  assert.deepEqual(warnings.map((w) => [w.provider, w.status]), [['faspay', 'REFUNDING']]);
});

test('createPayment posts the signed body to /create and reads the payment link', async () => {
  let seen: Request | undefined;
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 120 });
  const payment = await provider.createPayment(
    ORDER,
    ctxWith(async (input, init) => {
      seen = new Request(input, init);
      return Response.json({ response_code: '00', response_message: 'Success Create Billing', billing_id: 1051, transaction_number: TRX, billing_total: 345000, billing_url: 'https://s.faspay.co.id/gl' });
    }),
  );
  assert.equal(seen?.method, 'POST');
  assert.equal(seen?.url, 'https://faspay.stub/api/create');
  assert.equal(seen?.headers.get('Content-Type'), 'application/json');
  assert.equal(await seen?.text(), JSON.stringify(signFaspayBody(SETTINGS, buildFaspayCreateRequest(ORDER, '6', NOW, 120))));
  assert.deepEqual(payment, { providerRef: TRX, providerId: '1051', paymentUrl: 'https://s.faspay.co.id/gl', expiresAt: '2023-09-05T04:52:53.000Z' });
});

test('getStatus POSTs the signed inquiry body to /inquire where the runtime cannot send a GET body', async () => {
  let seen: Request | undefined;
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 60 });
  const result = await provider.getStatus(
    REF,
    ctxWith(async (input, init) => {
      seen = new Request(input, init);
      return Response.json(inquiry());
    }),
  );
  assert.deepEqual(result, { status: 'pending' });
  assert.equal(seen?.method, 'POST');
  assert.equal(seen?.url, 'https://faspay.stub/api/inquire');
  assert.equal(await seen?.text(), `{"service_id":"6","billing_id":"1051","transaction_number":"${TRX}","signature":"${TRX_SIGNATURE}"}`);
});

test('a provider that never answers becomes a 504 after the deadline', async () => {
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 60 });
  const started = Date.now();
  assert.equal(await errorCode(provider.getStatus(REF, ctxWith(hangingFetch, { timeoutMs: 50 }))), '504 provider_timeout');
  assert.ok(Date.now() - started < 1000);
});

test('a network failure, an HTML page and truncated JSON become 502s', async () => {
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 60 });
  const down = ctxWith(async () => {
    throw new TypeError('fetch failed');
  });
  assert.equal(await errorCode(provider.createPayment(ORDER, down)), '502 provider_unreachable');
  const html = ctxWith(async () => new Response('<html>Bad gateway</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
  assert.equal(await errorCode(provider.createPayment(ORDER, html)), '502 provider_bad_response');
  const truncated = ctxWith(async () => new Response('{"response_code":"00","billing_id":10', { status: 200 }));
  assert.equal(await errorCode(provider.getStatus(REF, truncated)), '502 provider_bad_response');
});

test('through the proxy, Faspay’s failures become stable errors without its words', async () => {
  const env = { FASPAY_USERNAME: 'merchant', FASPAY_PASSWORD: 's3cret', FASPAY_SERVICE_ID: '6', FASPAY_BASE_URL: 'https://faspay.stub/api', KASIR_PROVIDER_TIMEOUT_MS: '100' };
  const LEAK = 'Merchant bot99999 password mismatch at db-7';
  await assertProviderFailures(env, { provider: 'faspay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` }, /bot99999|db-7/, [
    ['01', async () => Response.json({ response_code: '01', response_message: LEAK }), 502, 'provider_rejected'],
    ['401', async () => Response.json({ response_code: '01', response_message: LEAK }, { status: 401 }), 502, 'provider_auth_failed'],
    ['500', async () => new Response(LEAK, { status: 500 }), 502, 'provider_unavailable'],
    ['html', async () => new Response(`<html>${LEAK}</html>`, { headers: { 'Content-Type': 'text/html' } }), 502, 'provider_bad_response'],
    ['truncated', async () => new Response(`{"response_code":"00","response_message":"${LEAK}`), 502, 'provider_bad_response'],
    ['network', async () => Promise.reject(new TypeError(LEAK)), 502, 'provider_unreachable'],
    // Answers only after the 100 ms deadline. (Not hangingFetch on request.signal: undici holds the Request's
    // own AbortController weakly, so after a GC that signal may never follow the deadline.)
    ['timeout', () => new Promise((_resolve, reject) => setTimeout(() => reject(new TypeError(LEAK)), 400)), 504, 'provider_timeout'],
  ]);
});

test('a notice with a good signature names the bill and is answered with response_code 00', async () => {
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 60 });
  const result = await provider.handleNotice(notice(), ctxWith(fetch));
  assert.ok(result.kind === 'notice');
  assert.deepEqual(result.ref, { providerRef: TRX, providerId: '1051' });
  assert.equal(result.claimedStatus, 'paid');
  const reply = result.reply();
  assert.equal(reply.status, 200);
  assert.equal(reply.headers.get('Content-Type'), 'application/json');
  assert.equal(await reply.text(), '{"response_code":"00","response_message":"Success"}');
  // service_id as a string is the same service.
  const asString = await provider.handleNotice(notice({ service_id: '6', billing_id: '1051' }), ctxWith(fetch));
  assert.ok(asString.kind === 'notice');
  assert.deepEqual(asString.ref, { providerRef: TRX, providerId: '1051' });
});

test('a forged, foreign or malformed notice is refused', async () => {
  const provider = createFaspayProvider(SETTINGS, { ttlMinutes: 60 });
  const refused = (request: Request) => errorCode(provider.handleNotice(request, ctxWith(fetch)));
  assert.equal(await refused(notice({ signature: TRX_SIGNATURE.replace('8f', '9f') })), '401 notice_signature_invalid');
  assert.equal(await refused(notice({ signature: faspaySignature('merchant', 'wrong', TRX) })), '401 notice_signature_invalid');
  assert.equal(await refused(notice({ transaction_number: '1994205257272381' })), '401 notice_signature_invalid');
  assert.equal(await refused(notice({ service_id: 7 })), '400 notice_invalid');
  assert.equal(await refused(notice({ signature: undefined })), '400 notice_invalid');
  assert.equal(await refused(notice({ transaction_number: 'TRX-1' })), '400 notice_invalid');
  assert.equal(await refused(new Request('https://kasir.test/', { method: 'POST', body: '<xml/>' })), '400 notice_invalid');
});
