import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDER_ENV } from '../../../proxy/lib/config';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createMemoryStore } from '../../../proxy/store';
import { createProviders } from '../../../proxy/providers';
import { buildFaspayCancelRequest, buildFaspayInquireRequest, faspaySignature, signFaspayBody } from '../../../proxy/providers/faspay';
import type { Order } from '../../../proxy/orders/order';
import { createFaspaySandbox } from '../../../proxy/sandbox/faspay';
import { appContext, createTestApp, CUSTOMER, errorCode, postCheckout, pressPayPageButton, PUBLIC_URL, SHOP, statusOf } from '../helpers';

const BASE = `${PUBLIC_URL}/sandbox/faspay`;
const CREDS = PROVIDER_ENV.faspay.sandbox;
const SETTINGS = { ...CREDS, baseUrl: BASE, sandbox: true };
const TRX = '145398922822777';

const createBody = (over: Record<string, unknown> = {}) => ({
  ...signFaspayBody(SETTINGS, {
    service_id: CREDS.serviceId,
    transaction_number: TRX,
    billing_total: '10000',
    billing_date: '2030-11-30 10:50:00',
    billing_due_date: '2030-12-20 10:50:00',
    billing_notes: 'Food Bill',
    items: [
      { item_name: 'Chicken', qty: '2', item_amount: '2500' },
      { item_name: 'Duck', qty: '1', item_amount: '5000' },
    ],
    billing_language: 'ID',
    customer_name: 'Nadia Rizki',
    customer_email: 'nadia@example.com',
    customer_phone: '087884398009',
    customer_address: 'Jalan pintu air',
  }),
  ...over,
});

type TestApp = ReturnType<typeof createTestApp>['app'];
async function call(app: TestApp, path: string, body: unknown, method = 'POST') {
  const res = await app.request(`${BASE}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
  return res.json() as Promise<Record<string, unknown>>;
}
const billingRef = (billingId: unknown, transactionNumber = TRX) => ({ providerRef: transactionNumber, providerId: String(billingId) });
const logEvents = (log: { lines: string[] }) => log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

async function checkout(app: TestApp, customer: Record<string, string> = CUSTOMER) {
  const res = await postCheckout(app, { provider: 'faspay', items: [{ sku: 'tee-m', qty: 2 }, { sku: 'mug', qty: 1 }], customer, returnUrl: `${SHOP}/thanks` });
  return { res, body: (await res.json()) as Record<string, string> };
}
const notify = (app: TestApp, body: unknown) =>
  app.request('/v1/notify/faspay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const callbackFor = (transactionNumber: string, billingId: unknown, over: Record<string, unknown> = {}) => ({
  billing_id: billingId,
  service_id: Number(CREDS.serviceId),
  transaction_number: transactionNumber,
  billing_total: '345000',
  signature: faspaySignature(CREDS.username, CREDS.password, transactionNumber),
  billing_status: 'PAID',
  payment_id: '1606804843001326',
  payment_amount: '345000',
  payment_method: 'PERMATA VA',
  payment_date: '2030-12-01 13:22:11',
  ...over,
});

test('create answers in Faspay’s shape: numeric billing_id and total, a payment link', async () => {
  const { app } = createTestApp();
  const created = await call(app, '/create', createBody());
  assert.equal(typeof created.billing_id, 'number');
  assert.deepEqual(created, {
    response_code: '00',
    response_message: 'Success Create Billing',
    billing_id: created.billing_id,
    transaction_number: TRX,
    billing_total: 10000,
    billing_url: `${BASE}/pay/${created.billing_id}`,
  });
  const page = await (await app.request(String(created.billing_url))).text();
  assert.match(page, /Chicken × 2/);
  assert.match(page, /data-amount="10000"/);
});

test('create refuses what Faspay refuses, with response_code 01', async () => {
  const { app } = createTestApp();
  const refused = async (body: unknown) => {
    const reply = await call(app, '/create', body);
    assert.equal(reply.response_code, '01');
    assert.deepEqual(Object.keys(reply), ['response_code', 'response_message']);
    return reply.response_message;
  };
  assert.equal(await refused(createBody({ signature: faspaySignature(CREDS.username, 'wrong', TRX) })), 'Invalid signature');
  assert.equal(await refused(createBody({ signature: undefined })), 'signature is required');
  assert.equal(await refused(createBody({ service_id: '1' })), 'Invalid service_id');
  assert.equal(await refused(createBody({ billing_total: '10001' })), 'billing_total does not match the items');
  assert.equal(await refused(createBody({ customer_email: undefined })), 'customer_email is required');
  assert.equal(await refused(createBody({ customer_phone: '+62 878' })), 'customer_phone must be numeric');
  assert.equal(await refused(createBody({ billing_due_date: '2030-12-20T10:50:00' })), 'billing_due_date must be YYYY-MM-DD hh:mm:ss');
  assert.equal(await refused(createBody({ billing_due_date: '2030-11-30 10:49:59' })), 'billing_due_date must be after billing_date');
  const sign = (transactionNumber: string) => faspaySignature(CREDS.username, CREDS.password, transactionNumber);
  assert.equal(await refused(createBody({ transaction_number: 'TRX-1', signature: sign('TRX-1') })), 'transaction_number must be numeric');
  assert.equal(await refused('not json'), 'Invalid request body');
  assert.equal(await refused(createBody({ items: [{ item_name: 'Duck', qty: '1' }] })), 'item_amount is required');
  assert.equal((await call(app, '/create', createBody())).response_code, '00');
  assert.equal(await refused(createBody()), 'transaction_number already exists');
  // Without items the total stands alone.
  const noItems = createBody({ items: undefined, transaction_number: '145398922822778', signature: sign('145398922822778') });
  assert.equal((await call(app, '/create', noItems)).response_code, '00');
});

test('inquire answers POST; cancel cancels an unpaid bill once', async () => {
  const { app } = createTestApp();
  const { billing_id } = await call(app, '/create', createBody());
  const body = signFaspayBody(SETTINGS, buildFaspayInquireRequest(CREDS.serviceId, billingRef(billing_id)));
  const expected = {
    billing_id,
    transaction_number: TRX,
    billing_total: '10000',
    billing_due_date: '2030-12-20 10:50:00',
    billing_url: `${BASE}/pay/${billing_id}`,
    billing_status: 'UNPAID',
    payment_details: [],
    response_code: '00',
    response_message: 'Success Inquiry Billing',
  };
  assert.deepEqual(await call(app, '/inquire', body), expected);

  const cancel = signFaspayBody(SETTINGS, buildFaspayCancelRequest(CREDS.serviceId, billingRef(billing_id)));
  assert.deepEqual(await call(app, '/cancel', cancel), {
    billing_id,
    transaction_number: TRX,
    billing_total: '10000',
    billing_due_date: '2030-12-20 10:50:00',
    billing_url: `${BASE}/pay/${billing_id}`,
    billing_status: 'CANCELLED',
    response_code: '00',
    response_message: 'Success Cancel Billing',
  });
  assert.deepEqual(await call(app, '/cancel', cancel), { response_code: '01', response_message: 'Only unpaid billing can be cancelled' });
  assert.equal((await call(app, '/inquire', body)).billing_status, 'CANCELLED');
});

test('inquire and cancel check signature, service and the bill', async () => {
  const { app } = createTestApp();
  const { billing_id } = await call(app, '/create', createBody());
  const body = signFaspayBody(SETTINGS, buildFaspayInquireRequest(CREDS.serviceId, billingRef(billing_id)));
  for (const path of ['/inquire', '/cancel']) {
    assert.deepEqual(await call(app, path, { ...body, signature: body.signature.toUpperCase() }), { response_code: '01', response_message: 'Invalid signature' });
    assert.deepEqual(await call(app, path, { ...body, service_id: '1' }), { response_code: '01', response_message: 'Invalid service_id' });
    assert.deepEqual(await call(app, path, { ...body, billing_id: '1' }), { response_code: '01', response_message: 'Billing not found' });
    const other = signFaspayBody(SETTINGS, buildFaspayInquireRequest(CREDS.serviceId, billingRef(billing_id, '145398922822779')));
    assert.deepEqual(await call(app, path, other), { response_code: '01', response_message: 'Billing not found' });
    assert.deepEqual(await call(app, path, { ...body, billing_id: undefined }), { response_code: '01', response_message: 'billing_id is required' });
  }
});

test('full flow: checkout → Pay → signed callback → paid', async () => {
  const { app, calls, log } = createTestApp();
  const { res, body } = await checkout(app);
  assert.equal(res.status, 201);
  assert.equal(body.provider, 'faspay');
  assert.equal(body.status, 'pending');
  assert.equal(body.amount, 345000);
  assert.equal(body.currency, 'IDR');
  assert.match(body.paymentUrl!, new RegExp(`^${BASE}/pay/\\d+$`));

  const paid = await pressPayPageButton(app, body.paymentUrl!, 'pay');
  assert.equal(paid.status, 303);
  assert.equal(paid.headers.get('Location'), body.paymentUrl);

  const notices = calls.filter((r) => r.url === `${PUBLIC_URL}/v1/notify/faspay`);
  assert.equal(notices.length, 1);
  const sent = (await notices[0]!.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(sent), [
    'billing_id', 'service_id', 'transaction_number', 'billing_total', 'signature',
    'billing_status', 'payment_id', 'payment_amount', 'payment_method', 'payment_date',
  ]);
  assert.equal(sent.service_id, 99999);
  assert.equal(sent.billing_total, '345000');
  assert.equal(sent.payment_amount, '345000');
  assert.equal(sent.billing_status, 'PAID');
  assert.equal(sent.signature, faspaySignature(CREDS.username, CREDS.password, String(sent.transaction_number)));
  assert.match(String(sent.payment_id), /^\d{16}$/);
  assert.equal(`${BASE}/pay/${sent.billing_id}`, body.paymentUrl);

  assert.equal(await statusOf(app, body.id!), 'paid');
  assert.match(await (await app.request(body.paymentUrl!)).text(), /This bill is paid\./);
  assert.equal(logEvents(log).filter((l) => l.event === 'order_status_changed').length, 1);

  // Replayed: answered as Faspay expects, changes nothing.
  const replay = await notify(app, sent);
  assert.equal(replay.status, 200);
  assert.deepEqual(await replay.json(), { response_code: '00', response_message: 'Success' });
  assert.equal(await statusOf(app, body.id!), 'paid');
  assert.equal(logEvents(log).filter((l) => l.event === 'order_status_changed').length, 1);
});

test('Faspay needs the customer’s email and phone', async () => {
  const { app } = createTestApp();
  const { res, body } = await checkout(app, { name: 'Siti Rahma', phone: '081234567890' });
  assert.equal(res.status, 400);
  assert.equal((body as unknown as { error: { code: string } }).error.code, 'email_required');
});

test('forged and unknown-order notices change nothing', async () => {
  const { app, store } = createTestApp();
  const { body } = await checkout(app);
  const order = (await store.get<{ providerRef: string; payment: { providerId: string } }>(`order:${body.id}`))!;
  const trx = order.providerRef;

  const forged = await notify(app, callbackFor(trx, Number(order.payment.providerId), { signature: faspaySignature(CREDS.username, 'guess', trx) }));
  assert.equal(forged.status, 401);
  assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'notice_signature_invalid');
  const foreign = await notify(app, callbackFor(trx, Number(order.payment.providerId), { service_id: 1 }));
  assert.equal(foreign.status, 400);

  const unknown = await notify(app, callbackFor('1000000000000001', 1234));
  assert.equal(unknown.status, 200);
  assert.deepEqual(await unknown.json(), { response_code: '00', response_message: 'Success' });
  assert.equal(await statusOf(app, body.id!), 'pending');
});

test('a signed notice claiming PAID that inquire does not confirm leaves the order pending', async () => {
  // A clock the test moves on, so the second notice comes after the first lookup's result may be reused.
  let skew = 0;
  const { app, store, log } = createTestApp({}, { now: () => new Date(Date.now() + skew) });
  const { body } = await checkout(app);
  const order = (await store.get<{ providerRef: string; payment: { providerId: string } }>(`order:${body.id}`))!;
  const billingId = Number(order.payment.providerId);

  // Still UNPAID at Faspay.
  const early = await notify(app, callbackFor(order.providerRef, billingId));
  assert.equal(early.status, 200);
  assert.equal(await statusOf(app, body.id!), 'pending');
  assert.ok(logEvents(log).some((l) => l.event === 'notice_not_confirmed'));

  // PAID, but for another total than the order's.
  const key = `sandbox:faspay:billing:${billingId}`;
  const billing = (await store.get<Record<string, unknown>>(key))!;
  await store.set(key, { ...billing, billing_total: 1000, status: 'PAID' });
  skew += 5_000;
  assert.equal((await notify(app, callbackFor(order.providerRef, billingId))).status, 200);
  assert.equal(await statusOf(app, body.id!), 'pending');
  assert.ok(logEvents(log).some((l) => l.event === 'amount_mismatch'));
});

test('Cancel and Expire on the bill page leave the order cancelled / expired, never paid', async () => {
  const { app, calls } = createTestApp();
  const first = (await checkout(app)).body;
  const cancelled = await pressPayPageButton(app, first.paymentUrl!, 'cancel');
  assert.equal(cancelled.status, 303);
  assert.equal(await statusOf(app, first.id!), 'cancelled');
  assert.match(await (await app.request(first.paymentUrl!)).text(), /This bill was cancelled\./);

  const second = (await checkout(app)).body;
  await pressPayPageButton(app, second.paymentUrl!, 'expire');
  // Only the sweep expires an order (issue 9 §3): a poll notes what the provider reports.
  await app.reconcile();
  assert.equal(await statusOf(app, second.id!), 'expired');
  assert.equal((await app.request(`${second.paymentUrl}/pay`, { method: 'POST' })).status, 303);
  assert.equal(await statusOf(app, second.id!), 'expired');
  assert.equal(calls.filter((r) => r.url.endsWith('/v1/notify/faspay')).length, 0);
});

test('the callback is retried three times, then given up and logged', async () => {
  const log = createMemoryLogger();
  let attempts = 0;
  const sandbox = createFaspaySandbox(
    { ...SETTINGS, baseUrl: 'http://faspay.test' },
    {
      store: createMemoryStore(),
      now: () => new Date('2030-12-01T00:00:00Z'),
      log,
      notifyUrl: (id) => `https://merchant.test/notify/${id}`,
      fetch: async (input) => {
        assert.equal(String(input), 'https://merchant.test/notify/faspay');
        attempts++;
        return attempts === 1 ? new Response('busy', { status: 500 }) : Response.json({ response_code: '01' });
      },
    },
  );
  const res = await sandbox.request('/create', { method: 'POST', body: JSON.stringify(createBody()) });
  const { billing_url } = (await res.json()) as { billing_url: string };
  assert.equal((await pressPayPageButton(sandbox, billing_url, 'pay')).status, 303);
  assert.equal(attempts, 3);
  assert.ok(logEvents(log).some((l) => l.event === 'sandbox_callback_not_accepted'));
});

test('cancelPayment cancels an open bill at Faspay; a paid bill is refused and stays paid', async () => {
  const t = createTestApp();
  const provider = createProviders(t.config).get('faspay')!;
  const ctx = appContext(t);
  const start = async () => (await postCheckout(t.app, { provider: 'faspay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  const open = await start();
  const openRef = (await t.store.get<Order>(`order:${open.id}`))!.payment!;
  assert.equal(await provider.cancelPayment(openRef, ctx), true);
  assert.equal((await provider.getStatus(openRef, ctx)).status, 'cancelled');

  const paid = await start();
  await pressPayPageButton(t.app, paid.paymentUrl, 'pay');
  const paidRef = (await t.store.get<Order>(`order:${paid.id}`))!.payment!;
  assert.equal(await errorCode(provider.cancelPayment(paidRef, ctx)), '502 provider_rejected');
  assert.equal((await provider.getStatus(paidRef, ctx)).status, 'paid');
});
