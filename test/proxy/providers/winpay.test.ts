import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KasirError } from '../../../proxy/lib/errors';
import {
  buildWinpayCreateRequest,
  buildWinpayHeaders,
  createWinpayProvider,
  parseWinpayInvoice,
  parseWinpayReply,
  winpaySignature,
} from '../../../proxy/providers/winpay';
import { errorCode, hangingFetch, providerContexts, testOrder, thrownCode } from '../helpers';

const ORDER = testOrder('winpay');
const SETTINGS = { key: 'client-key', secret: 'test-secret-key', baseUrl: 'https://winpay.stub', sandbox: false };
const NOW = new Date('2023-09-05T02:52:53Z');

const ctxWith = providerContexts('winpay', NOW);
const envelope = (responseCode: string, responseData: unknown = null) => ({ responseCode, responseMessage: 'x', responseDate: '', responseData });

test('signature matches the vector in docs/providers/winpay.md', () => {
  assert.equal(winpaySignature('test-secret-key', '2023-09-05T09:52:53+07:00'), '3d0e290c5e0b2752297e21aa5bff19abf602b42425db9e479e9e7df34ea7a57c');
});

test('headers carry the key, the Jakarta timestamp and its signature', () => {
  assert.deepEqual(buildWinpayHeaders('client-key', 'test-secret-key', NOW), {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'X-Winpay-Key': 'client-key',
    'X-Winpay-Timestamp': '2023-09-05T09:52:53+07:00',
    'X-Winpay-Signature': '3d0e290c5e0b2752297e21aa5bff19abf602b42425db9e479e9e7df34ea7a57c',
  });
});

test('create request is built from the order, byte for byte', () => {
  assert.equal(
    JSON.stringify(buildWinpayCreateRequest(ORDER, 120)),
    '{"customer":{"name":"Delina Prasetya","email":"delina@example.com","phone":"082342341"},' +
      '"invoice":{"ref":"ordABCdef1234567890XYZabc","products":[{"name":"T-shirt M","qty":2,"price":150000},{"name":"Mug","qty":1,"price":45000}]},' +
      '"back_url":"https://shop.test/thanks?kasir_order=ord_ABCdef1234567890XYZabc","interval":120}',
  );
});

test('create request needs a phone number', () => {
  assert.throws(() => buildWinpayCreateRequest({ ...ORDER, customer: { name: 'A' } }, 60), (e) => e instanceof KasirError && e.code === 'phone_required');
});

test('replies map to stable errors', () => {
  const code = (status: number, json: unknown) => thrownCode(() => parseWinpayReply({ status, json }, '2010300'));
  assert.equal(code(201, envelope('2010300')), 'ok');
  assert.equal(code(401, envelope('4010300')), 'provider_auth_failed');
  assert.equal(code(401, undefined), 'provider_auth_failed');
  assert.equal(code(400, envelope('4000301', ['invoice.ref has already been taken'])), 'provider_rejected');
  assert.equal(code(404, envelope('4040300')), 'provider_not_found');
  assert.equal(code(500, envelope('5000300')), 'provider_unavailable');
  assert.equal(code(502, undefined), 'provider_unavailable');
  assert.equal(code(200, undefined), 'provider_bad_response');
  assert.equal(code(200, { unexpected: true }), 'provider_bad_response');
  assert.equal(code(200, envelope('2000300')), 'provider_rejected');
});

const paidInvoice = (payment: Record<string, string>, products = [{ qty: 1, price: '190000' }]) => ({
  id: 'a3ef', ref: 'r', created_at: '2022-04-11 11:41:45', status: 'PAID', products,
  payment: { ...payment, created_at: '2022-04-11T04:43:03.000000Z' },
});

test('find: the customer pays the fee on top (nett = total): paid for the product total, fee recorded', () => {
  const data = paidInvoice({ paid_amount: '306300', fee: '1000', nett: '305300' }, [{ qty: 1, price: '305300' }]);
  assert.deepEqual(parseWinpayInvoice(data, NOW, 60, () => {}), { status: 'paid', paidAmount: 305300, fee: 1000, paidAt: '2022-04-11T04:43:03.000Z' });
});

test('find: the merchant bears the fee (paid_amount = total, nett = total − fee): paid for the product total', () => {
  const data = paidInvoice({ paid_amount: '190000', fee: '3500', nett: '186500' });
  assert.deepEqual(parseWinpayInvoice(data, NOW, 60, () => {}), { status: 'paid', paidAmount: 190000, fee: 3500, paidAt: '2022-04-11T04:43:03.000Z' });
});

test('find: when neither nett nor paid_amount is the product total, the reported figure goes to the amount check', () => {
  const data = paidInvoice({ paid_amount: '189000', fee: '3500', nett: '185500' });
  assert.equal(parseWinpayInvoice(data, NOW, 60, () => {}).paidAmount, 189000);
});

test('find: whole rupiah written with decimals ("190000.00") are read; a fraction of a rupiah is unreadable', () => {
  const data = paidInvoice({ paid_amount: '190000.00', fee: '3500.00', nett: '186500.00' }, [{ qty: 1, price: '190000.00' }]);
  assert.equal(parseWinpayInvoice(data, NOW, 60, () => {}).paidAmount, 190000);
  assert.throws(() => parseWinpayInvoice(paidInvoice({ paid_amount: '190000.50' }), NOW, 60, () => {}), (e) => e instanceof KasirError && e.code === 'provider_bad_response');
});

test('find: a PAID invoice is paid however long after its interval (never expired)', () => {
  const data = paidInvoice({ paid_amount: '190000', fee: '3500', nett: '186500' });
  assert.equal(parseWinpayInvoice(data, new Date('2030-01-01T00:00:00Z'), 60, () => {}).status, 'paid');
});

test('find: UNPAID is pending until created_at + interval, then expired', () => {
  const data = { id: 'a', ref: 'r', created_at: '2023-09-05 09:00:00', status: 'UNPAID' };
  assert.deepEqual(parseWinpayInvoice(data, new Date('2023-09-05T02:59:59Z'), 60, () => {}), { status: 'pending' });
  assert.deepEqual(parseWinpayInvoice(data, new Date('2023-09-05T03:00:01Z'), 60, () => {}), { status: 'expired' });
});

test('find: an unknown status is pending and reported', () => {
  const seen: string[] = [];
  const result = parseWinpayInvoice({ id: 'a', ref: 'r', created_at: '2023-09-05 09:00:00', status: 'REFUNDING' }, NOW, 60, (s) => seen.push(s));
  assert.deepEqual(result, { status: 'pending' });
  assert.deepEqual(seen, ['REFUNDING']);
});

test('createPayment signs a POST to /api/create and reads the hosted page', async () => {
  let seen: Request | undefined;
  const provider = createWinpayProvider(SETTINGS, { ttlMinutes: 120 });
  const payment = await provider.createPayment(
    ORDER,
    ctxWith(async (input, init) => {
      seen = new Request(input, init);
      return Response.json(envelope('2010300', { id: 'inv-1', ref: ORDER.providerRef, created_at: '2023-09-05 09:52:53', redirect_url: 'https://checkout.winpay.id/abc' }), { status: 201 });
    }),
  );
  assert.equal(seen?.method, 'POST');
  assert.equal(seen?.url, 'https://winpay.stub/api/create');
  assert.equal(seen?.headers.get('X-Winpay-Signature'), '3d0e290c5e0b2752297e21aa5bff19abf602b42425db9e479e9e7df34ea7a57c');
  assert.deepEqual(await seen?.json(), JSON.parse(JSON.stringify(buildWinpayCreateRequest(ORDER, 120))));
  assert.deepEqual(payment, {
    providerRef: ORDER.providerRef,
    providerId: 'inv-1',
    paymentUrl: 'https://checkout.winpay.id/abc',
    expiresAt: '2023-09-05T04:52:53.000Z',
  });
});

test('getStatus finds by invoice id, or by ref when the id is unknown', async () => {
  const urls: string[] = [];
  const provider = createWinpayProvider(SETTINGS, { ttlMinutes: 60 });
  const ctx = ctxWith(async (input, init) => {
    const request = new Request(input, init);
    urls.push(`${request.method} ${request.url}`);
    return Response.json(envelope('2000300', { id: 'inv-1', ref: 'r', created_at: '2023-09-05 09:50:00', status: 'UNPAID' }));
  });
  assert.deepEqual(await provider.getStatus({ providerRef: 'r', providerId: 'inv-1' }, ctx), { status: 'pending' });
  assert.deepEqual(await provider.getStatus({ providerRef: 'r/1' }, ctx), { status: 'pending' });
  assert.deepEqual(urls, ['GET https://winpay.stub/api/find/inv-1', 'GET https://winpay.stub/api/findByRef/r%2F1']);
});

test('a provider that never answers becomes a 504 after the deadline', async () => {
  const provider = createWinpayProvider(SETTINGS, { ttlMinutes: 60 });
  const started = Date.now();
  assert.equal(await errorCode(provider.createPayment(ORDER, ctxWith(hangingFetch, { timeoutMs: 50 }))), '504 provider_timeout');
  assert.ok(Date.now() - started < 1000);
});

test('a network failure and an HTML page become 502s', async () => {
  const provider = createWinpayProvider(SETTINGS, { ttlMinutes: 60 });
  const down = ctxWith(async () => {
    throw new TypeError('fetch failed');
  });
  assert.equal(await errorCode(provider.createPayment(ORDER, down)), '502 provider_unreachable');
  const html = ctxWith(async () => new Response('<html>Bad gateway</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
  assert.equal(await errorCode(provider.createPayment(ORDER, html)), '502 provider_bad_response');
  const truncated = ctxWith(async () => new Response('{"responseCode":"2010300","responseData":{"id"', { status: 201 }));
  assert.equal(await errorCode(provider.createPayment(ORDER, truncated)), '502 provider_bad_response');
});

test('a notice names the invoice by uuid and ref, and is answered ACCEPTED', async () => {
  const provider = createWinpayProvider(SETTINGS, { ttlMinutes: 60 });
  const notice = await provider.handleNotice(
    new Request('https://kasir.test/v1/notify/winpay', { method: 'POST', body: JSON.stringify({ uuid: 'pay-1', amount: '1000', invoice: { uuid: 'inv-1', ref: 'r1' } }) }),
    ctxWith(fetch),
  );
  assert.equal(notice.kind, 'notice');
  assert.ok(notice.kind === 'notice');
  assert.deepEqual(notice.ref, { providerRef: 'r1', providerId: 'inv-1' });
  assert.equal(await notice.reply().text(), 'ACCEPTED');
  await assert.rejects(
    provider.handleNotice(new Request('https://kasir.test/', { method: 'POST', body: '{"nope":1}' }), ctxWith(fetch)),
    (e) => e instanceof KasirError && e.code === 'notice_invalid',
  );
});
