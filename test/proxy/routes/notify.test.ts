import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildWinpayHeaders } from '../../../proxy/providers/winpay';
import { createTestApp, CUSTOMER, postCheckout, SHOP, statusOf } from '../helpers';

const VALID = { provider: 'winpay', items: [{ sku: 'mug', qty: 2 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };

const notify = (app: { request: (p: string, i: RequestInit) => Response | Promise<Response> }, body: unknown) =>
  app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function setUp() {
  const t = createTestApp();
  const checkout = await (await postCheckout(t.app, VALID)).json();
  const settings = t.config.providers.winpay!;
  const find = async (path: string) =>
    (await (await t.app.request(`/sandbox/winpay/api/${path}`, { headers: buildWinpayHeaders(settings.key, settings.secret, new Date()) })).json()).responseData;
  const invoiceId = new URL(checkout.paymentUrl).pathname.split('/').pop()!;
  const invoice = await find(`find/${invoiceId}`);
  const status = () => statusOf(t.app, checkout.id);
  return { ...t, checkout, invoice, status };
}

test('a notice that find-invoice does not confirm changes nothing, and is still ACCEPTED', async () => {
  const { app, invoice, status, log } = await setUp();
  const res = await notify(app, { uuid: 'p1', amount: '90000', invoice: { uuid: invoice.id, ref: invoice.ref } });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ACCEPTED');
  assert.equal(await status(), 'pending');
  assert.ok(log.lines.some((l) => JSON.parse(l).event === 'notice_not_confirmed'));
});

test('a notice for an unknown ref changes nothing', async () => {
  const { app, status, log } = await setUp();
  const res = await notify(app, { invoice: { uuid: 'x', ref: 'no-such-ref' } });
  assert.equal(await res.text(), 'ACCEPTED');
  assert.equal(await status(), 'pending');
  assert.ok(log.lines.some((l) => JSON.parse(l).event === 'notice_unknown_order'));
});

test('a notice naming another, paid invoice for our ref is checked against our own invoice', async () => {
  const a = await setUp();
  // Pay a second order in the same sandbox, then claim its invoice id under the first order's ref.
  const other = await (await postCheckout(a.app, VALID)).json();
  const otherId = new URL(other.paymentUrl).pathname.split('/').pop()!;
  await a.app.request(`/sandbox/winpay/pay/${otherId}/pay`, { method: 'POST' });
  assert.equal(await statusOf(a.app, other.id), 'paid');
  await notify(a.app, { invoice: { uuid: otherId, ref: a.invoice.ref } });
  assert.equal(await a.status(), 'pending');
});

test('a malformed notice is a 400 with a stable code', async () => {
  const { app } = await setUp();
  const res = await app.request('/v1/notify/winpay', { method: 'POST', body: 'ref=1' });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, 'notice_invalid');
  const unknown = await app.request('/v1/notify/paypal', { method: 'POST', body: '{}' });
  assert.equal(unknown.status, 404);
});

test('paid with the wrong amount stays unpaid and is logged as an alert', async () => {
  const t = createTestApp({ WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'https://winpay.stub' }, {
    outside: async (request) => {
      const url = (request as Request).url;
      if (url.endsWith('/api/create')) {
        return Response.json({ responseCode: '2010300', responseData: { id: 'inv-1', ref: 'r', redirect_url: 'https://pay.stub/1' } }, { status: 201 });
      }
      return Response.json({
        responseCode: '2000300',
        responseData: { id: 'inv-1', ref: 'r', created_at: '2099-01-01 00:00:00', status: 'PAID', payment: { paid_amount: '1000', fee: '0', nett: '1000' } },
      });
    },
  });
  const created = await (await postCheckout(t.app, VALID)).json();
  const order = (await t.store.get<{ providerRef: string }>(`order:${created.id}`))!;
  await notify(t.app, { invoice: { uuid: 'inv-1', ref: order.providerRef } });
  assert.equal(await statusOf(t.app, created.id), 'pending');
  const alert = t.log.lines.map((l) => JSON.parse(l)).find((l) => l.event === 'amount_mismatch');
  assert.deepEqual([alert?.level, alert?.expected, alert?.paid], ['error', 90000, 1000]);
});

test('the same notice five times (three at once) pays the order once', async () => {
  const { app, invoice, status, log } = await setUp();
  const invoiceId = invoice.id;
  await app.request(`/sandbox/winpay/pay/${invoiceId}/pay`, { method: 'POST' });
  const notice = { invoice: { uuid: invoice.id, ref: invoice.ref } };
  const replies = [
    ...(await Promise.all([notify(app, notice), notify(app, notice), notify(app, notice)])),
    await notify(app, notice),
    await notify(app, notice),
  ];
  for (const r of replies) assert.equal(await r.text(), 'ACCEPTED');
  assert.equal(await status(), 'paid');
  assert.equal(log.lines.filter((l) => JSON.parse(l).event === 'order_status_changed').length, 1);
});

test('a notice body over 64 KiB is refused with 413 before it is read', async () => {
  const { app, log } = createTestApp();
  const res = await app.request('/v1/notify/winpay', { method: 'POST', body: JSON.stringify({ invoice: { uuid: 'x', ref: 'y' }, pad: 'x'.repeat(65 * 1024) }) });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'body_too_large');
  assert.ok(!log.lines.some((l) => JSON.parse(l).event === 'notice_unknown_order'));
  const small = await app.request('/v1/notify/winpay', { method: 'POST', body: JSON.stringify({ invoice: { uuid: 'x', ref: 'y' }, pad: 'x'.repeat(60 * 1024) }) });
  assert.equal(small.status, 200);
});
