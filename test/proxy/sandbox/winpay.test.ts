import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProviders } from '../../../proxy/providers';
import type { Order } from '../../../proxy/orders/order';
import { buildWinpayHeaders, winpaySignature } from '../../../proxy/providers/winpay';
import { appContext, createTestApp, CUSTOMER, errorCode, postCheckout, pressPayPageButton, SHOP, statusOf } from '../helpers';

const { app, config } = createTestApp();
const settings = config.providers.winpay!;
const BODY = {
  customer: { name: 'Delina', phone: '082342341' },
  invoice: { ref: 'sandbox-test-1', products: [{ name: 'Mug', qty: 2, price: 45000 }] },
  back_url: `${SHOP}/back`,
  interval: 60,
};
const create = (headers: Record<string, string>, body: unknown = BODY) =>
  app.request('/sandbox/winpay/api/create', { method: 'POST', headers, body: JSON.stringify(body) });

test('the simulator refuses a missing, wrong or stale signature and a wrong key, like Winpay', async () => {
  const good = buildWinpayHeaders(settings.key, settings.secret, new Date());
  const cases: Record<string, Record<string, string>> = {
    'no signature': { ...good, 'X-Winpay-Signature': '' },
    'wrong signature': { ...good, 'X-Winpay-Signature': winpaySignature('wrong-secret', good['X-Winpay-Timestamp']!) },
    'wrong key': { ...good, 'X-Winpay-Key': 'someone-else' },
    'UTC timestamp': (() => {
      const ts = new Date().toISOString().slice(0, 19) + 'Z';
      return { ...good, 'X-Winpay-Timestamp': ts, 'X-Winpay-Signature': winpaySignature(settings.secret, ts) };
    })(),
    'six minutes old': buildWinpayHeaders(settings.key, settings.secret, new Date(Date.now() - 6 * 60_000)),
  };
  for (const [name, headers] of Object.entries(cases)) {
    const res = await create(headers, { ...BODY, invoice: { ...BODY.invoice, ref: `auth-${name}` } });
    assert.equal(res.status, 401, name);
    assert.equal((await res.json()).responseCode, '4010300', name);
  }
});

test('the simulator creates and finds invoices, and refuses a repeated ref and bad parameters', async () => {
  const headers = () => buildWinpayHeaders(settings.key, settings.secret, new Date());
  const created = await create(headers());
  assert.equal(created.status, 201);
  const body = await created.json();
  assert.equal(body.responseCode, '2010300');
  assert.match(body.responseData.redirect_url, /^http:\/\/kasir\.test\/sandbox\/winpay\/pay\//);

  const found = await (await app.request(`/sandbox/winpay/api/find/${body.responseData.id}`, { headers: headers() })).json();
  assert.equal(found.responseCode, '2000300');
  assert.equal(found.responseData.status, 'UNPAID');
  assert.equal(found.responseData.products[0].price, '45000');
  const byRef = await (await app.request('/sandbox/winpay/api/findByRef/sandbox-test-1', { headers: headers() })).json();
  assert.equal(byRef.responseData.id, body.responseData.id);

  const again = await create(headers());
  assert.equal(again.status, 400);
  assert.equal((await again.json()).responseCode, '4000301');

  const bad = await create(headers(), { ...BODY, invoice: { ref: 'x2', products: [{ name: 'Mug', qty: 1, price: 10.5 }] }, customer: { name: 'A' } });
  assert.equal(bad.status, 400);
  const badBody = await bad.json();
  assert.equal(badBody.responseCode, '4000301');
  assert.ok(Array.isArray(badBody.responseData) && badBody.responseData.length === 2);

  const missing = await app.request('/sandbox/winpay/api/find/nope', { headers: headers() });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).responseCode, '4040300');
});

test('whole flow: checkout, pay on the hosted page, the notice is confirmed, the order is paid', async () => {
  const res = await postCheckout(app, { provider: 'winpay', items: [{ sku: 'tee-m', qty: 2 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` });
  assert.equal(res.status, 201);
  const checkout = await res.json();
  assert.equal(checkout.amount, 300000);

  const page = await (await app.request(checkout.paymentUrl)).text();
  assert.match(page, /IDR\s?300,000/);
  assert.match(page, /T-shirt M × 2/);

  const paid = await pressPayPageButton(app, checkout.paymentUrl, 'pay');
  assert.equal(paid.status, 303);
  assert.equal(paid.headers.get('Location'), `${SHOP}/thanks?kasir_order=${checkout.id}`);

  const order = await (await app.request(`/v1/checkouts/${checkout.id}`)).json();
  assert.equal(order.status, 'paid');
  assert.equal(order.amount, 300000);
});

test('Cancel leaves the order unpaid; Expire makes it expired', async () => {
  const start = async () => (await postCheckout(app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  const a = await start();
  assert.equal((await pressPayPageButton(app, a.paymentUrl, 'cancel')).status, 303);
  assert.equal(await statusOf(app, a.id), 'pending');

  const b = await start();
  assert.equal((await pressPayPageButton(app, b.paymentUrl, 'expire')).status, 303);
  // Only the sweep expires an order (issue 9 §3): a poll notes what the provider reports.
  await app.reconcile();
  assert.equal(await statusOf(app, b.id), 'expired');
  // The sweep voided it at Winpay before calling it expired.
  assert.match(await (await app.request(b.paymentUrl)).text(), /Invoice not found/);
});

test('the pay page is plain HTML with no script', async () => {
  const c = await (await postCheckout(app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  const page = await (await app.request(c.paymentUrl)).text();
  assert.doesNotMatch(page, /<script/i);
  assert.match(page, /name="pay"/);
});

test('cancelPayment deletes an open invoice; a paid one is refused (4000302) and stays paid', async () => {
  const t = createTestApp();
  const provider = createProviders(t.config).get('winpay')!;
  const ctx = appContext(t);
  const open = await (await postCheckout(t.app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  const openRef = (await t.store.get<Order>(`order:${open.id}`))!.payment!;
  assert.equal(await provider.cancelPayment(openRef, ctx), true);
  assert.equal((await t.app.request(open.paymentUrl)).status, 404);
  assert.equal(await errorCode(provider.getStatus(openRef, ctx)), '502 provider_not_found');

  const paid = await (await postCheckout(t.app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  await pressPayPageButton(t.app, paid.paymentUrl, 'pay');
  const paidRef = (await t.store.get<Order>(`order:${paid.id}`))!.payment!;
  assert.equal(await errorCode(provider.cancelPayment(paidRef, ctx)), '502 provider_rejected');
  assert.equal((await provider.getStatus(paidRef, ctx)).status, 'paid');
});

test('a merchant-fee account (WINPAY_SANDBOX_FEE=merchant): the notice is confirmed, the order is paid and keeps the fee', async () => {
  const t = createTestApp({ WINPAY_SANDBOX_FEE: 'merchant' });
  const c = await (await postCheckout(t.app, { provider: 'winpay', items: [{ sku: 'tee-m', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  await pressPayPageButton(t.app, c.paymentUrl, 'pay');
  assert.equal(await statusOf(t.app, c.id), 'paid');
  const order = (await t.store.get<Order>(`order:${c.id}`))!;
  assert.equal(order.fee, 2500);
  assert.equal(t.log.lines.filter((l) => l.includes('amount_mismatch')).length, 0);
  // Winpay reports the merchant's net: 150000 − 2500.
  const provider = createProviders(t.config).get('winpay')!;
  const found = await (await t.app.request(`/sandbox/winpay/api/find/${order.payment!.providerId}`, { headers: buildWinpayHeaders(settings.key, settings.secret, new Date()) })).json();
  assert.deepEqual([found.responseData.payment.paid_amount, found.responseData.payment.nett], ['150000', '147500']);
  assert.equal((await provider.getStatus(order.payment!, appContext(t))).status, 'paid');
});

test('a customer-fee account (the default): paid, with the fee the customer paid on top', async () => {
  const t = createTestApp();
  const c = await (await postCheckout(t.app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  await pressPayPageButton(t.app, c.paymentUrl, 'pay');
  assert.equal(await statusOf(t.app, c.id), 'paid');
  assert.equal((await t.store.get<Order>(`order:${c.id}`))!.fee, 2500);
});

test('the simulator takes what Winpay’s own samples send: string prices, whole rupiah with decimals', async () => {
  const headers = buildWinpayHeaders(settings.key, settings.secret, new Date());
  const res = await create(headers, { ...BODY, invoice: { ref: 'string-prices', products: [{ name: 'Mug', qty: '2', price: '45000.00' }] } });
  assert.equal(res.status, 201);
  assert.deepEqual((await res.json()).responseData.products.map((p: { qty: number; price: number }) => [p.qty, p.price]), [[2, 45000]]);
  const fraction = await create(buildWinpayHeaders(settings.key, settings.secret, new Date()), { ...BODY, invoice: { ref: 'fraction', products: [{ name: 'Mug', qty: 1, price: '45000.50' }] } });
  assert.equal(fraction.status, 400);
});

test('WINPAY_SANDBOX_FEE takes customer or merchant only', async () => {
  const { testConfig } = await import('../helpers');
  assert.equal(testConfig({ WINPAY_SANDBOX_FEE: 'merchant' }).winpaySandboxFee, 'merchant');
  assert.equal(testConfig().winpaySandboxFee, 'customer');
  assert.throws(() => testConfig({ WINPAY_SANDBOX_FEE: 'both' }), /WINPAY_SANDBOX_FEE must be customer or merchant/);
});

test('a merchant-fee invoice paid without a notice is found paid by the sweep past its expiry, not left pending', async () => {
  const clock = { now: new Date() };
  const t = createTestApp({ WINPAY_SANDBOX_FEE: 'merchant' }, { now: () => clock.now });
  const c = await (await postCheckout(t.app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  const order = (await t.store.get<Order>(`order:${c.id}`))!;
  // Paid at Winpay, its callback lost: the invoice reads PAID with the fee deducted.
  const key = `sandbox:winpay:invoice:${order.payment!.providerId}`;
  const invoice = (await t.store.get<Record<string, unknown>>(key))!;
  await t.store.set(key, {
    ...invoice,
    status: 'PAID',
    payment: { uuid: 'p', channel: 'BSI', code: '1', payment_ref: '1', paid_amount: '45000', fee: '2500', nett: '42500', created_at: clock.now.toISOString(), updated_at: clock.now.toISOString() },
  });
  clock.now = new Date(clock.now.getTime() + 2 * 60 * 60_000);
  await t.app.reconcile();
  assert.equal((await t.store.get<Order>(`order:${c.id}`))!.status, 'paid');
  assert.equal(t.log.lines.filter((l) => l.includes('amount_mismatch') || l.includes('reconcile_failed')).length, 0);
});
