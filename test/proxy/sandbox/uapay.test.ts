import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSVG } from 'uqr';
import type { FetchLike } from '../../../proxy/lib/http';
import { signJwt, verifyJwt } from '../../../proxy/lib/jwt';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createMemoryStore } from '../../../proxy/store';
import { type UapayRequest, signUapayRequest } from '../../../proxy/providers/uapay';
import { createUapaySandbox } from '../../../proxy/sandbox/uapay';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, PUBLIC_URL, SHOP, statusOf } from '../helpers';

type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };
const START = new Date('2024-01-15T10:00:00Z');
const SANDBOX_SECRET = 'sandbox-uapay-secret';

function setup() {
  const clock = { now: START };
  const test = createTestApp({}, { now: () => clock.now });
  return { ...test, clock };
}

async function post(app: App, path: string, body: unknown) {
  const res = await app.request(`/sandbox/uapay/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { status: number; data?: { token: string }; error?: { code: string; message: string; fields?: unknown } } };
}
const signed = (request: UapayRequest, at: Date, secret = SANDBOX_SECRET) => signUapayRequest(request, secret, at);
const payloadOf = (reply: Awaited<ReturnType<typeof post>>) => verifyJwt(reply.json.data!.token, SANDBOX_SECRET) as Record<string, any>;

async function openSession(app: App, at: Date) {
  const reply = await post(app, 'sessions/create', signed({ params: { clientId: '1' } }, at));
  assert.equal(reply.status, 200);
  return payloadOf(reply).id as string;
}
const invoiceData = (over: Record<string, unknown> = {}) => ({
  externalId: `ext${Math.random().toString(36).slice(2)}`,
  type: 'PAY',
  description: 'Order 1',
  amount: 39900,
  redirectUrl: `${SHOP}/thanks`,
  callbackUrl: `${PUBLIC_URL}/v1/notify/uapay`,
  ...over,
});
const createInvoice = (app: App, sessionId: string, at: Date, data: Record<string, unknown> = invoiceData()) =>
  post(app, 'invoicer/invoices/create', signed({ params: { sessionId, systemType: 'ECOM' }, data }, at));

async function checkout(app: App, items = [{ sku: 'tee-m', qty: 1 }]) {
  const res = await postCheckout(app, { provider: 'uapay', items, customer: CUSTOMER, returnUrl: `${SHOP}/thanks` });
  assert.equal(res.status, 201);
  return (await res.json()) as { id: string; status: string; amount: number; currency: string; paymentUrl: string; qrUrl: string; expiresAt: string };
}
const events = (log: { lines: string[] }, event: string) => log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === event);
const notify = (app: App, body: string) => app.request('/v1/notify/uapay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

// ── API checks ──────────────────────────────────────────────────────────────────────────────────

test('sessions/create answers a signed token whose payload holds the session id', async () => {
  const { app } = setup();
  const reply = await post(app, 'sessions/create', signed({ params: { clientId: '1' } }, START));
  assert.equal(reply.status, 200);
  assert.equal(reply.json.status, 1);
  const payload = payloadOf(reply);
  assert.match(payload.id, /^[0-9a-f-]{36}$/);
  assert.equal(payload.iat, 1705312800);
});

test('a wrong clientId is refused', async () => {
  const { app } = setup();
  const reply = await post(app, 'sessions/create', signed({ params: { clientId: '2' } }, START));
  assert.equal(reply.status, 401);
  assert.deepEqual(reply.json, { status: 0, error: { code: 'CLIENT_NOT_FOUND', message: 'Client not found' } });
});

test('a missing, wrong or algorithm-swapped token is refused', async () => {
  const { app } = setup();
  const plain = { params: { clientId: '1' }, iat: 1705312800 };
  const missing = await post(app, 'sessions/create', plain);
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.json, { status: 0, error: { code: 'FORMAT_ERROR', message: 'Invalid request format', fields: { token: 'REQUIRED' } } });
  for (const token of [signJwt(plain, 'wrong-secret'), `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(plain)).toString('base64url')}.`]) {
    const reply = await post(app, 'sessions/create', { ...plain, token });
    assert.equal(reply.status, 401);
    assert.equal(reply.json.error?.code, 'TOKEN_ERROR');
  }
});

test('plain fields must equal the token’s (key order aside)', async () => {
  const { app } = setup();
  const body = signed({ params: { clientId: '1' } }, START);
  const tampered = await post(app, 'sessions/create', { ...body, params: { clientId: '2' } });
  assert.equal(tampered.json.error?.code, 'TOKEN_ERROR');
  const extra = await post(app, 'sessions/create', { ...body, data: { x: 1 } });
  assert.equal(extra.json.error?.code, 'TOKEN_ERROR');
  const reordered = await post(app, 'sessions/create', { token: body.token, iat: body.iat, params: body.params });
  assert.equal(reordered.status, 200);
});

test('clocks more than 20 seconds apart give TIMELIMIT_ERROR', async () => {
  const { app } = setup();
  for (const [offset, expected] of [[-21_000, 401], [21_000, 401], [-19_000, 200], [19_000, 200]] as const) {
    const reply = await post(app, 'sessions/create', signed({ params: { clientId: '1' } }, new Date(START.getTime() + offset)));
    assert.equal(reply.status, expected, String(offset));
    if (expected === 401) assert.equal(reply.json.error?.code, 'TIMELIMIT_ERROR');
  }
});

test('an unknown or expired session gives UAPAY’s session error', async () => {
  const { app, clock } = setup();
  const unknown = await createInvoice(app, '613f7045-03a2-4bbb-8ff8-e2202e71d41f', START);
  assert.equal(unknown.status, 401);
  assert.deepEqual(unknown.json.error, { code: 'SESSION_NOT_FOUND', message: 'Session not found or expired', fields: { params: { sessionId: 'INVALID' } } });
  const sessionId = await openSession(app, START);
  clock.now = new Date(START.getTime() + 24 * 60 * 60_000 - 1000);
  assert.equal((await createInvoice(app, sessionId, clock.now)).status, 200);
  clock.now = new Date(START.getTime() + 24 * 60 * 60_000);
  assert.equal((await createInvoice(app, sessionId, clock.now)).json.error?.code, 'SESSION_NOT_FOUND');
  assert.equal((await post(app, 'invoicer/invoices/show', signed({ params: { sessionId, id: 'x' } }, clock.now))).json.error?.code, 'SESSION_NOT_FOUND');
});

test('the session lifetime is configurable', async () => {
  const settings = { clientId: '1', secret: 's', baseUrl: 'http://sim.test/api', sandbox: true };
  let now = START;
  const sim = createUapaySandbox(settings, { store: createMemoryStore(), fetch: fetch, now: () => now, log: createMemoryLogger(), notifyUrl: () => '' }, { sessionTtlSeconds: 60 });
  const call = async (path: string, request: UapayRequest) =>
    (await sim.request(`/${path}`, { method: 'POST', body: JSON.stringify(signUapayRequest(request, 's', now)) })).json() as Promise<Record<string, any>>;
  const sessionId = (verifyJwt((await call('sessions/create', { params: { clientId: '1' } })).data.token, 's') as { id: string }).id;
  now = new Date(START.getTime() + 61_000);
  assert.equal((await call('invoicer/invoices/show', { params: { sessionId, id: 'x' } })).error.code, 'SESSION_NOT_FOUND');
});

test('the amount must be a positive integer of kopecks, and required fields present', async () => {
  const { app } = setup();
  const sessionId = await openSession(app, START);
  for (const amount of [0, -100, 399.5, '39900', null]) {
    const reply = await createInvoice(app, sessionId, START, invoiceData({ amount }));
    assert.equal(reply.status, 400, String(amount));
    assert.deepEqual(reply.json.error, { code: 'FORMAT_ERROR', message: 'Invalid request format', fields: { data: { amount: 'INVALID' } } });
  }
  const { description: _d, ...noDescription } = invoiceData();
  assert.deepEqual((await createInvoice(app, sessionId, START, noDescription)).json.error?.fields, { data: { description: 'REQUIRED' } });
  const p2p = await post(app, 'invoicer/invoices/create', signed({ params: { sessionId, systemType: 'P2P' }, data: invoiceData() }, START));
  assert.deepEqual(p2p.json.error?.fields, { params: { systemType: 'INVALID' } });
});

test('externalId must be unique', async () => {
  const { app } = setup();
  const sessionId = await openSession(app, START);
  const data = invoiceData({ externalId: 'ord1' });
  assert.equal((await createInvoice(app, sessionId, START, data)).status, 200);
  const again = await createInvoice(app, sessionId, START, data);
  assert.equal(again.status, 400);
  assert.deepEqual(again.json.error, { code: 'FORMAT_ERROR', message: 'externalId is not unique', fields: { data: { externalId: 'DUPLICATE' } } });
});

test('create and show answer UAPAY’s shapes in signed tokens; QR address draws the page address', async () => {
  const { app } = setup();
  const sessionId = await openSession(app, START);
  const created = payloadOf(await createInvoice(app, sessionId, START, invoiceData({ externalId: 'ord2', payExpiresAt: '2024-01-15 13:00:00' })));
  assert.deepEqual(Object.keys(created).sort(), ['iat', 'id', 'paymentPageUrl', 'paymentPageUrlQR']);
  assert.equal(created.paymentPageUrl, `${PUBLIC_URL}/sandbox/uapay/i/${created.id}`);
  assert.equal(created.paymentPageUrlQR, `${PUBLIC_URL}/sandbox/uapay/qr/invoicer/${created.id}`);
  const shown = payloadOf(await post(app, 'invoicer/invoices/show', signed({ params: { sessionId, id: created.id } }, START)));
  assert.equal(shown.id, created.id);
  assert.equal(shown.externalId, 'ord2');
  assert.equal(shown.invoiceStatus, 'ACTIVE');
  assert.equal(shown.amount, 39900);
  assert.deepEqual(shown.payments, []);
  const qr = await app.request(created.paymentPageUrlQR);
  assert.equal(qr.headers.get('Content-Type'), 'image/svg+xml');
  assert.equal(await qr.text(), renderSVG(created.paymentPageUrl));
  const missing = await post(app, 'invoicer/invoices/show', signed({ params: { sessionId, id: 'nope' } }, START));
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error?.code, 'INVOICE_NOT_FOUND');
});

test('the callback is signed, shaped like UAPAY’s, and retried up to 5 times until HTTP 200', async () => {
  const settings = { clientId: '1', secret: 's', baseUrl: 'http://sim.test/api', sandbox: true };
  for (const [answers, attempts] of [[[500, 500, 200], 3], [[200], 1], [[201, 500, 404, 302, 500, 200], 5]] as const) {
    const received: string[] = [];
    const merchant: FetchLike = async (input, init) => {
      received.push(String(init?.body));
      return new Response('', { status: answers[received.length - 1] ?? 500 });
    };
    const sim = createUapaySandbox(settings, { store: createMemoryStore(), fetch: merchant, now: () => START, log: createMemoryLogger(), notifyUrl: () => '' });
    const call = async (path: string, request: UapayRequest) =>
      verifyJwt(((await (await sim.request(`/${path}`, { method: 'POST', body: JSON.stringify(signUapayRequest(request, 's', START)) })).json()) as any).data.token, 's') as Record<string, any>;
    const { id: sessionId } = await call('sessions/create', { params: { clientId: '1' } });
    const { id } = await call('invoicer/invoices/create', { params: { sessionId, systemType: 'ECOM' }, data: invoiceData({ externalId: 'ord3', callbackUrl: 'https://merchant.test/cb' }) });
    const pay = await sim.request(`/i/${id}/pay`, { method: 'POST' });
    assert.equal(pay.status, 303);
    assert.equal(pay.headers.get('Location'), `${SHOP}/thanks`);
    assert.equal(received.length, attempts);
    const payload = verifyJwt(JSON.parse(received[0]!).token, 's') as Record<string, unknown>;
    assert.deepEqual(Object.keys(JSON.parse(received[0]!)), ['token']);
    // Field for field as UAPAY's documented callback token: no iat, dates in ISO 8601 UTC.
    assert.deepEqual(
      { ...payload, paymentId: 'x', paymentNumber: 1, receiptPath: 'r' },
      {
        paymentId: 'x', invoiceId: id, externalId: 'ord3', paymentNumber: 1, cardFromMasked: '4111111111', cardToMasked: null,
        amount: 39900, status: 'FINISHED', type: 'PAY', systemType: 'ECOM', paymentStatus: 'FINISHED', receiptPath: 'r',
        extraInfo: null, createDate: START.toISOString(), payDate: START.toISOString(),
      },
    );
  }
});

// ── Through the proxy ───────────────────────────────────────────────────────────────────────────

test('full flow: checkout → Pay → the notice arrives → paid', async () => {
  const { app, calls, log } = setup();
  const created = await checkout(app, [{ sku: 'tee-m', qty: 1 }, { sku: 'mug', qty: 2 }]);
  assert.equal(created.status, 'pending');
  assert.equal(created.amount, 63900);
  assert.equal(created.currency, 'UAH');
  assert.match(created.paymentUrl, /^http:\/\/kasir\.test\/sandbox\/uapay\/i\/[0-9a-f-]{36}$/);
  assert.equal(created.qrUrl, created.paymentUrl.replace('/i/', '/qr/invoicer/'));
  assert.equal(created.expiresAt, '2024-01-15T11:00:00.000Z');
  const page = await (await app.request(created.paymentUrl)).text();
  assert.match(page, /data-amount="63900"/);
  const res = await pressPayPageButton(app, created.paymentUrl, 'pay');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('Location'), `${SHOP}/thanks?kasir_order=${created.id}`);
  assert.equal(calls.filter((c) => c.url === `${PUBLIC_URL}/v1/notify/uapay`).length, 1);
  assert.equal(events(log, 'order_status_changed').length, 1);
  assert.equal(await statusOf(app, created.id), 'paid');
});

test('a forged notice and a notice for an unknown order change nothing', async () => {
  const { app, log } = setup();
  const created = await checkout(app);
  const forged = await notify(app, JSON.stringify({ token: signJwt({ paymentId: 'p', invoiceId: 'i', externalId: created.id.replace('_', ''), amount: 39900, status: 'FINISHED', paymentStatus: 'FINISHED' }, 'guess') }));
  assert.equal(forged.status, 401);
  assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'notice_signature_invalid');
  const absent = await notify(app, '{}');
  assert.equal(absent.status, 401);
  const unknown = await notify(app, JSON.stringify({ token: signJwt({ paymentId: 'p', invoiceId: 'i', externalId: 'ordNOPE', amount: 39900, status: 'FINISHED', paymentStatus: 'FINISHED' }, SANDBOX_SECRET) }));
  assert.equal(unknown.status, 200);
  assert.equal(await unknown.text(), 'OK');
  assert.equal(events(log, 'notice_unknown_order').length, 1);
  assert.equal(events(log, 'order_status_changed').length, 0);
  assert.equal(await statusOf(app, created.id), 'pending');
});

test('a replayed notice is answered 200 and applied only once', async () => {
  const { app, calls, log } = setup();
  const created = await checkout(app);
  await pressPayPageButton(app, created.paymentUrl, 'pay');
  const original = await calls.find((c) => c.url === `${PUBLIC_URL}/v1/notify/uapay`)!.clone().text();
  for (let i = 0; i < 3; i++) {
    const replay = await notify(app, original);
    assert.equal(replay.status, 200);
    assert.equal(await replay.text(), 'OK');
  }
  assert.equal(events(log, 'order_status_changed').length, 1);
  assert.equal(await statusOf(app, created.id), 'paid');
});

test('a signed notice claiming paid that invoices/show does not confirm leaves the order pending', async () => {
  const { app, log } = setup();
  const created = await checkout(app);
  const invoiceId = created.paymentUrl.split('/').at(-1)!;
  const claim = JSON.stringify({ token: signJwt({ paymentId: 'p', invoiceId, externalId: created.id.replace('_', ''), amount: 39900, status: 'FINISHED', paymentStatus: 'FINISHED' }, SANDBOX_SECRET) });
  assert.equal((await notify(app, claim)).status, 200);
  assert.equal(events(log, 'notice_not_confirmed').length, 1);
  assert.equal(await statusOf(app, created.id), 'pending');
});

test('a paid invoice whose amount differs from the order is not taken as paid', async () => {
  const { app, log, store } = setup();
  const created = await checkout(app);
  const invoiceId = created.paymentUrl.split('/').at(-1)!;
  const key = `sandbox:uapay:invoice:${invoiceId}`;
  const invoice = (await store.get<Record<string, any>>(key))!;
  const payment = { paymentId: 'p', invoiceId, externalId: invoice.externalId, amount: 100, status: 'FINISHED', paymentStatus: 'FINISHED' };
  await store.set(key, { ...invoice, invoiceStatus: 'INACTIVE', payments: [payment] });
  assert.equal((await notify(app, JSON.stringify({ token: signJwt({ ...payment, amount: 39900 }, SANDBOX_SECRET) }))).status, 200);
  assert.equal(events(log, 'amount_mismatch').length, 1);
  assert.equal(await statusOf(app, created.id), 'pending');
});

test('Cancel leaves the order cancelled, Fail leaves it failed; neither is paid', async () => {
  for (const [button, expected] of [['cancel', 'cancelled'], ['fail', 'failed']] as const) {
    const { app } = setup();
    const created = await checkout(app);
    const res = await pressPayPageButton(app, created.paymentUrl, button);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('Location'), `${SHOP}/thanks?kasir_order=${created.id}`);
    assert.equal(await statusOf(app, created.id), expected);
    await assert.rejects(pressPayPageButton(app, created.paymentUrl, 'pay'), /no pay button/);
    assert.equal(await statusOf(app, created.id), expected);
  }
});

test('an invoice left past payExpiresAt reads as expired and can no longer be paid', async () => {
  const { app, clock } = setup();
  const created = await checkout(app);
  clock.now = new Date(START.getTime() + 61 * 60_000);
  // Only the sweep expires an order (issue 9 §3).
  await app.reconcile();
  assert.equal(await statusOf(app, created.id), 'expired');
  assert.match(await (await app.request(created.paymentUrl)).text(), /This invoice has expired/);
  const pay = await app.request(`${created.paymentUrl}/pay`, { method: 'POST' });
  assert.equal(pay.status, 303);
  assert.equal(await statusOf(app, created.id), 'expired');
});

test('what UAPAY’s own clients send is taken: a fractional iat, and the api/<method> path they join to the host', async () => {
  const { app } = setup();
  const body = signed({ params: { clientId: '1' } }, START);
  const claims = { params: body.params, iat: body.iat + 0.25 };
  const fractional = await post(app, 'sessions/create', { ...claims, token: signJwt(claims, SANDBOX_SECRET) });
  assert.equal(fractional.status, 200);
  const viaApi = await post(app, 'api/sessions/create', signed({ params: { clientId: '1' } }, START));
  assert.equal(viaApi.status, 200);
  assert.ok(payloadOf(viaApi).id);
});
