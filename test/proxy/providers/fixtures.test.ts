// Every documented sample in test/fixtures/providers, run against both sides: the provider code
// reads the documented replies and notices (and builds requests of the documented shape), and the
// simulator takes the documented requests and answers with the documented shape. See
// test/fixtures/providers/README.md for where each sample comes from, and docs/providers/*.md.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { signJwt, verifyJwt } from '../../../proxy/lib/jwt';
import { sha256Hex } from '../../../proxy/lib/signing';
import {
  amdigipaySignature,
  buildAmdigipayCreateRequest,
  buildAmdigipayLogin,
  createAmdigipayProvider,
  parseAmdigipayCreated,
  parseAmdigipayReply,
} from '../../../proxy/providers/amdigipay';
import { buildFaspayCreateRequest, createFaspayProvider, faspaySignature, parseFaspayBilling, parseFaspayCreated, parseFaspayReply, signFaspayBody } from '../../../proxy/providers/faspay';
import { buildUapayCreateRequest, createUapayProvider, parseUapayCreated, parseUapayReply, signUapayRequest } from '../../../proxy/providers/uapay';
import { buildWinpayCreateRequest, buildWinpayHeaders, createWinpayProvider, parseWinpayCreated, parseWinpayInvoice, parseWinpayReply } from '../../../proxy/providers/winpay';
import { createAmdigipaySandbox } from '../../../proxy/sandbox/amdigipay';
import { createFaspaySandbox } from '../../../proxy/sandbox/faspay';
import { createUapaySandbox } from '../../../proxy/sandbox/uapay';
import { createWinpaySandbox, type WinpayFeeModel } from '../../../proxy/sandbox/winpay';
import { createMemoryStore } from '../../../proxy/store';
import { assertSameShape, fixture } from '../fixtures';
import { providerContexts, testOrder } from '../helpers';

/** A simulator's dependencies, its clock at `now`, its notices caught in `notices` and answered with `reply`. */
function simDeps(now: Date, reply: () => Response = () => new Response('ACCEPTED')) {
  const notices: { body: string; contentType: string | null }[] = [];
  const fetch: FetchLike = async (_input, init) => {
    notices.push({ body: String(init?.body), contentType: new Headers(init?.headers).get('Content-Type') });
    return reply();
  };
  return { deps: { store: createMemoryStore(), fetch, now: () => now, log: createMemoryLogger(), notifyUrl: () => 'https://shop.test/notify' }, notices };
}
const notAFetch: FetchLike = async () => {
  throw new TypeError('no network in this test');
};

test('the shape check fails on a missing or extra key, another JSON type or another date format', () => {
  const doc = { a: 1, at: '2022-11-14T10:48:00+07:00', list: [{ b: 'x' }] };
  assertSameShape({ a: 2, at: '2030-01-01T00:00:00+07:00', list: [{ b: 'y' }, { b: 'z' }] }, doc);
  for (const wrong of [
    { at: doc.at, list: [] },
    { ...doc, extra: true },
    { ...doc, a: '1' },
    { ...doc, at: '2022-11-14T03:48:00.000Z' },
    { ...doc, list: [{ b: 1 }] },
  ]) {
    assert.throws(() => assertSameShape(wrong, doc), assert.AssertionError, JSON.stringify(wrong));
  }
});

// ── Winpay ──────────────────────────────────────────────────────────────────────────────────────

const WINPAY = { key: 'client-key', secret: 'test-secret-key', baseUrl: 'http://sim.test/winpay', sandbox: true };

test('winpay, provider side: the documented create reply, both paid finds, the unpaid find and the callback are read', async () => {
  const now = new Date('2023-10-25T07:12:14Z');
  const created = parseWinpayCreated(parseWinpayReply({ status: 201, json: fixture('winpay', 'create-response') }, '2010300'), now, 120, '111130');
  assert.equal(created.providerId, '2edff262-6228-4da1-96d7-729bf9fc85f0');
  assert.equal(created.paymentUrl, 'https://checkout.winpay.id/upu90zxyid');
  const find = (name: string, at: Date) => parseWinpayInvoice(parseWinpayReply({ status: 200, json: fixture('winpay', name) }, '2000300'), at, 120, () => assert.fail('unknown'));
  assert.deepEqual(find('find-paid-customer-fee', now), { status: 'paid', paidAmount: 305300, fee: 1000, paidAt: '2022-04-11T04:43:03.000Z' });
  assert.deepEqual(find('find-paid-merchant-fee', now), { status: 'paid', paidAmount: 190000, fee: 3500, paidAt: '2023-09-05T03:10:00.000Z' });
  assert.deepEqual(find('find-unpaid', new Date('2023-09-05T03:00:00Z')), { status: 'pending' });
  const notice = await createWinpayProvider(WINPAY, { ttlMinutes: 120 }).handleNotice(
    new Request('https://kasir.test/v1/notify/winpay', { method: 'POST', body: JSON.stringify(fixture('winpay', 'callback')) }),
    providerContexts('winpay', now)(notAFetch),
  );
  assert.ok(notice.kind === 'notice');
  assert.deepEqual(notice.ref, { providerRef: '1172164-1668397659', providerId: 'f6bd0574-56ca-4926-849c-8c332694966c' });
  // The request the provider builds has the documented request's shape.
  assertSameShape(buildWinpayCreateRequest(testOrder('winpay'), 120), fixture('winpay', 'create-request'));
});

for (const model of ['customer', 'merchant'] as WinpayFeeModel[]) {
  test(`winpay, simulator side (${model} pays the fee): takes the documented create; find, callback and delete answer in the documented shapes`, async () => {
    const { deps, notices } = simDeps(new Date());
    const sim = createWinpaySandbox(WINPAY, deps, { feeModel: model });
    const headers = () => buildWinpayHeaders(WINPAY.key, WINPAY.secret, new Date());
    const created = await sim.request('/api/create', { method: 'POST', headers: headers(), body: JSON.stringify(fixture('winpay', 'create-request')) });
    assert.equal(created.status, 201);
    const createdBody = await created.json();
    assertSameShape(createdBody, fixture('winpay', 'create-response'));
    const id = createdBody.responseData.id;
    assertSameShape(await (await sim.request(`/api/find/${id}`, { headers: headers() })).json(), fixture('winpay', 'find-unpaid'));

    assert.equal((await sim.request(`/pay/${id}/pay`, { method: 'POST' })).status, 303);
    const found = await (await sim.request(`/api/find/${id}`, { headers: headers() })).json();
    assertSameShape(found, fixture('winpay', `find-paid-${model}-fee`));
    // The provider reads the simulator's find as it reads the documented one: paid for the total.
    assert.equal(parseWinpayInvoice(found.responseData, new Date(), 120, () => {}).paidAmount, 260000);
    const { payment } = found.responseData;
    assert.equal(model === 'customer' ? payment.nett : payment.paid_amount, '260000');
    assert.equal(Number(payment.paid_amount) - Number(payment.fee), Number(payment.nett));

    assert.equal(notices.length, 1);
    const callback = JSON.parse(notices[0]!.body);
    assertSameShape(callback, fixture('winpay', 'callback'));
    assert.equal(callback.nett_amount, callback.amount - callback.fee);

    const second = await sim.request('/api/create', {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ ...fixture('winpay', 'create-request'), invoice: { ref: 'to-delete', products: [{ name: 'x', qty: 1, price: 1000 }] } }),
    });
    const deleted = await sim.request(`/api/delete/${(await second.json()).responseData.id}`, { method: 'DELETE', headers: headers() });
    assertSameShape(await deleted.json(), fixture('winpay', 'delete-response'));
  });
}

test('winpay, simulator side: one invoice can run the other fee model (fee=merchant on its pay action)', async () => {
  const { deps } = simDeps(new Date());
  const sim = createWinpaySandbox(WINPAY, deps, { feeModel: 'customer' });
  const headers = () => buildWinpayHeaders(WINPAY.key, WINPAY.secret, new Date());
  const { responseData } = await (await sim.request('/api/create', { method: 'POST', headers: headers(), body: JSON.stringify(fixture('winpay', 'create-request')) })).json();
  await sim.request(`/pay/${responseData.id}/pay?fee=merchant`, { method: 'POST' });
  const { payment } = (await (await sim.request(`/api/find/${responseData.id}`, { headers: headers() })).json()).responseData;
  assert.deepEqual([payment.paid_amount, payment.fee, payment.nett], ['260000', '2500', '257500']);
});

// ── Faspay ──────────────────────────────────────────────────────────────────────────────────────

// The credentials of the docs' signature vector (docs/providers/faspay.md).
const FASPAY = { username: 'bot99999', password: 'p@ssw0rd', serviceId: '1', baseUrl: 'http://sim.test/faspay', sandbox: true };

test('faspay, provider side: the documented signature, create reply, inquiry reply and callback are read', async () => {
  const inquire = fixture('faspay', 'inquire-request');
  assert.equal(faspaySignature(FASPAY.username, FASPAY.password, inquire.transaction_number), inquire.signature);
  const order = testOrder('faspay', { amount: 10000, providerRef: '145398922822777' });
  const now = new Date('2020-11-30T03:50:00Z');
  assert.deepEqual(parseFaspayCreated(parseFaspayReply({ status: 200, json: fixture('faspay', 'create-response') }), order, now, 60), {
    providerRef: '145398922822777',
    providerId: '1051',
    paymentUrl: 'https://s.faspay.co.id/gl',
    expiresAt: '2020-11-30T04:50:00.000Z',
  });
  const ref = { providerRef: '145398922822218', providerId: '1051' };
  assert.deepEqual(parseFaspayBilling(parseFaspayReply({ status: 200, json: fixture('faspay', 'inquire-response') }), ref, () => {}), {
    status: 'paid',
    paidAmount: 10000,
    paidAt: '2020-12-01T02:15:00.000Z',
  });
  const notice = await createFaspayProvider(FASPAY, { ttlMinutes: 60 }).handleNotice(
    new Request('https://kasir.test/v1/notify/faspay', { method: 'POST', body: JSON.stringify(fixture('faspay', 'callback')) }),
    providerContexts('faspay', now)(notAFetch),
  );
  assert.ok(notice.kind === 'notice');
  assert.deepEqual([notice.ref, notice.claimedStatus], [ref, 'paid']);
  // The same callback with its Numeric fields as JSON numbers reads alike.
  const numeric = { ...fixture('faspay', 'callback'), transaction_number: 145398922822218 };
  const asNumbers = await createFaspayProvider(FASPAY, { ttlMinutes: 60 }).handleNotice(
    new Request('https://kasir.test/v1/notify/faspay', { method: 'POST', body: JSON.stringify(numeric) }),
    providerContexts('faspay', now)(notAFetch),
  );
  assert.ok(asNumbers.kind === 'notice');
  assert.deepEqual(asNumbers.ref, ref);
  const { signature: _signature, static_va_no: _va, customer_address: _address, billing_notes: _notes, ...documented } = fixture('faspay', 'create-request');
  const { customer_phone, ...built } = signFaspayBody(FASPAY, buildFaspayCreateRequest(testOrder('faspay', { customer: { name: 'N', email: 'n@example.com', phone: '+62 878-8439-8009' } }), '1', now, 60));
  assert.equal(customer_phone, '6287884398009');
  assertSameShape({ ...built, customer_phone }, { ...documented, signature: 'x' });
});

test('faspay, simulator side: takes the documented create and inquiry; answers and calls back in the documented shapes', async () => {
  const { deps, notices } = simDeps(new Date('2020-12-01T02:15:00Z'), () => Response.json({ response_code: '00', response_message: 'Success' }));
  const sim = createFaspaySandbox(FASPAY, deps);
  const post = async (path: string, body: unknown) => (await sim.request(path, { method: 'POST', body: JSON.stringify(body) })).json();
  // The docs' create sample carries the inquiry sample's signature: it is the bill of 145398922822218.
  const created = await post('/create', { ...fixture('faspay', 'create-request'), transaction_number: '145398922822218' });
  assertSameShape(created, fixture('faspay', 'create-response'));
  const inquire = { ...fixture('faspay', 'inquire-request'), billing_id: String(created.billing_id) };
  assert.equal((await post('/inquire', inquire)).billing_status, 'UNPAID');
  assert.equal((await sim.request(`/pay/${created.billing_id}/pay`, { method: 'POST' })).status, 303);
  assertSameShape(await post('/inquire', inquire), fixture('faspay', 'inquire-response'));
  assert.equal(notices.length, 1);
  assertSameShape(JSON.parse(notices[0]!.body), fixture('faspay', 'callback'));
});

// ── UAPAY ───────────────────────────────────────────────────────────────────────────────────────

const UAPAY = { clientId: '1', secret: 'uapay-secret', baseUrl: 'http://sim.test/uapay', sandbox: true };

test('uapay, provider side: the documented create reply (plain or as a token) and the callback token are read', async () => {
  const reply = fixture('uapay', 'create-response');
  for (const json of [reply, { status: 1, data: { token: signJwt(reply.data, UAPAY.secret) } }]) {
    const created = parseUapayCreated(parseUapayReply({ status: 200, json }, UAPAY.secret), 'r', new Date(0));
    assert.equal(created.providerId, 'd754517b-7138-46c3-9ce2-f4857910b120');
    assert.equal(created.qrUrl, reply.data.paymentPageUrlQR);
  }
  const provider = createUapayProvider(UAPAY, { ttlMinutes: 60 });
  const ctx = providerContexts('uapay', new Date())(notAFetch);
  const payload = fixture('uapay', 'callback-payload');
  const notice = await provider.handleNotice(new Request('https://kasir.test/', { method: 'POST', body: JSON.stringify({ token: signJwt(payload, UAPAY.secret) }) }), ctx);
  assert.ok(notice.kind === 'notice');
  assert.deepEqual([notice.ref, notice.claimedStatus], [{ providerRef: payload.externalId, providerId: payload.invoiceId }, 'paid']);
  // The request the provider builds carries the documented request's keys (and ours: callbackUrl, email, payExpiresAt).
  const { data } = buildUapayCreateRequest(testOrder('uapay'), 's', 'https://kasir.test/n', new Date());
  for (const key of ['externalId', 'reusability', 'description', 'amount', 'redirectUrl', 'type']) assert.ok(key in data!, key);
});

test('uapay, simulator side: takes the documented create (at /api/<method> too) and calls back with the documented token payload', async () => {
  const now = new Date('2021-04-12T10:03:10Z');
  const { deps, notices } = simDeps(now);
  const sim = createUapaySandbox(UAPAY, deps);
  const call = async (path: string, request: { params: Record<string, unknown>; data?: Record<string, unknown> }) =>
    (await sim.request(path, { method: 'POST', body: JSON.stringify(signUapayRequest(request, UAPAY.secret, now)) })).json();
  const session = verifyJwt((await call('/api/sessions/create', { params: { clientId: '1' } })).data.token, UAPAY.secret) as { id: string };
  const documented = fixture('uapay', 'create-request');
  const reply = await call('/api/invoicer/invoices/create', {
    params: { ...documented.params, sessionId: session.id },
    data: { ...documented.data, callbackUrl: 'https://shop.test/notify' },
  });
  const { iat: _iat, ...payload } = verifyJwt(reply.data.token, UAPAY.secret) as Record<string, unknown>;
  assertSameShape({ ...reply, data: payload }, fixture('uapay', 'create-response'));
  assert.equal((await sim.request(`/i/${payload.id}/pay`, { method: 'POST' })).status, 303);
  assert.equal(notices.length, 1);
  assertSameShape(verifyJwt(JSON.parse(notices[0]!.body).token, UAPAY.secret), fixture('uapay', 'callback-payload'));
});

// ── AMDigipay ───────────────────────────────────────────────────────────────────────────────────

const AMDIGIPAY = { username: '2LOMCMIUV6', password: 'pw', paymentId: '37', baseUrl: 'http://sim.test/amdigipay', sandbox: true };

test('amdigipay, provider side: the documented create reply, login failure and callback are read', async () => {
  const reply = fixture('amdigipay', 'create-response');
  const order = testOrder('amdigipay', { amount: 13000, providerRef: reply.data.transaction_id });
  assert.deepEqual(parseAmdigipayCreated(parseAmdigipayReply({ status: 200, json: reply }), order, new Date(0)), {
    providerRef: order.providerRef,
    providerId: '6',
    paymentUrl: reply.data.payment_links,
    expiresAt: '2023-03-23T11:23:10.000Z',
  });
  assert.throws(() => parseAmdigipayReply({ status: 401, json: fixture('amdigipay', 'login-failed') }), /refused our credentials/);
  const callback = fixture('amdigipay', 'callback');
  assert.equal(amdigipaySignature(AMDIGIPAY.username, callback.transaction_id), callback.signature);
  const provider = createAmdigipayProvider(AMDIGIPAY, { ttlMinutes: 60 });
  const ctx = providerContexts('amdigipay', new Date())(notAFetch);
  const asJson = await provider.handleNotice(new Request('https://kasir.test/', { method: 'POST', body: JSON.stringify(callback) }), ctx);
  const asForm = await provider.handleNotice(
    new Request('https://kasir.test/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(callback).toString() }),
    ctx,
  );
  for (const notice of [asJson, asForm]) {
    assert.ok(notice.kind === 'notice');
    assert.deepEqual([notice.ref, notice.claimedStatus], [{ providerRef: callback.transaction_id, providerId: '6' }, 'paid']);
  }
  const built = buildAmdigipayCreateRequest(testOrder('amdigipay', { customer: { name: 'A' } }), AMDIGIPAY, new Date());
  const { customer_email: _email, ...documentedKeys } = { ...fixture('amdigipay', 'create-request'), customer_email: '' };
  assertSameShape(built, documentedKeys);
});

test('amdigipay, simulator side: takes a form login and the documented create; answers and calls back in the documented shapes', async () => {
  const { deps, notices } = simDeps(new Date('2023-03-23T10:00:00Z'));
  const sim = createAmdigipaySandbox({ ...AMDIGIPAY }, deps);
  const form = buildAmdigipayLogin(AMDIGIPAY.username, 'pw', 'form');
  const login = await (await sim.request('/login', { method: 'POST', headers: { 'Content-Type': form.contentType }, body: form.body })).json();
  const auth = { Authorization: `Bearer ${login.data.access_token}`, 'Content-Type': 'application/json' };
  // Re-signed (the docs' signature reproduces from no visible field), on GOPAY as in the docs' reply.
  const documented = fixture('amdigipay', 'create-request');
  const body = { ...documented, payment_id: 37, signature: amdigipaySignature(AMDIGIPAY.username, documented.transaction_id) };
  const created = await sim.request('/payment/transaction', { method: 'POST', headers: auth, body: JSON.stringify(body) });
  assert.equal(created.status, 200);
  const reply = await created.json();
  assertSameShape(reply, fixture('amdigipay', 'create-response'));
  assert.equal((await sim.request(`/pay/${reply.data.id}/pay`, { method: 'POST' })).status, 303);
  assert.equal(notices.length, 1);
  assertSameShape(JSON.parse(notices[0]!.body), fixture('amdigipay', 'callback'));
  assert.equal(sha256Hex(AMDIGIPAY.username + documented.transaction_id), JSON.parse(notices[0]!.body).signature);
});
