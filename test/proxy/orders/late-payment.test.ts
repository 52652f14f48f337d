// Late money is never lost (issue 9 §3). Only the sweep expires an order; a poll that finds the
// provider calling it expired leaves the order pending. When money arrives for an order already
// expired, the notice is confirmed by a lookup, the order becomes paid, `paid_after_expiry` is
// logged at error level and the merchant gets order.paid with "late": true — for Winpay (which the
// sweep could not void: unreachable past the grace period) and AMDigipay (which cannot void at all,
// docs/providers/amdigipay.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import { amdigipaySignature } from '../../../proxy/providers/amdigipay';
import { createTestApp, CUSTOMER, postCheckout, SHOP, statusOf } from '../helpers';

const MINUTE = 60_000;
const WEBHOOK = { KASIR_WEBHOOK_URL: 'https://merchant.test/kasir', KASIR_WEBHOOK_SECRET: 'whsec-late-0123456789abcdefghijklmnopq' };

function lateApp({ unreachableVoid = false } = {}) {
  const clock = { t: Date.now() };
  const events: { id: string; type: string; late?: boolean; data: { id: string; status: string } }[] = [];
  const outside: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    events.push(await request.json());
    return new Response(null, { status: 204 });
  };
  const t = createTestApp(WEBHOOK, { outside, now: () => new Date(clock.t) });
  if (unreachableVoid) {
    // The provider cannot be reached to void the invoice (e.g. its outage while the sweep expires it).
    const inner = t.app.fetch.bind(t.app);
    t.app.fetch = ((request: Request, ...rest: unknown[]) =>
      request.method === 'DELETE' ? Promise.reject(new TypeError('fetch failed')) : inner(request, ...(rest as []))) as typeof t.app.fetch;
  }
  const logged = (event: string) => t.log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === event);
  return { ...t, clock, events, logged };
}

test('Winpay: a poll past expiry leaves the order pending; the sweep expires it; money that comes later is taken, late', async () => {
  const { app, store, clock, events, logged } = lateApp({ unreachableVoid: true });
  const created = await (await postCheckout(app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  clock.t = Date.parse(created.expiresAt) + MINUTE;
  // The simulator now derives "expired" from the invoice's age, as our Winpay reading does: a poll shows it, never decides it.
  assert.equal(await statusOf(app, created.id), 'pending');
  clock.t = Date.parse(created.expiresAt) + 11 * MINUTE;
  await app.reconcile();
  assert.equal(await statusOf(app, created.id), 'expired');

  // The customer pays the invoice Winpay still holds open (its clock behind ours); Winpay notifies.
  const ref = created.id.replace('_', '');
  const invoiceId = (await store.get<string>(`sandbox:winpay:ref:${ref}`))!;
  const invoice = (await store.get<Record<string, unknown>>(`sandbox:winpay:invoice:${invoiceId}`))!;
  await store.set(`sandbox:winpay:invoice:${invoiceId}`, { ...invoice, status: 'PAID', payment: { paid_amount: '47500', fee: '2500', nett: '45000', created_at: new Date(clock.t).toISOString() } });
  const notify = () => app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ invoice: { uuid: invoiceId, ref } }) });
  // Moments after the sweep's lookup, the notice may tell of something newer: refused, so Winpay sends it again.
  const early = await notify();
  assert.deepEqual([early.status, (await early.json()).error.code], [503, 'notice_throttled']);
  clock.t += 5_000;
  assert.equal(await (await notify()).text(), 'ACCEPTED');

  assert.equal(await statusOf(app, created.id), 'paid');
  assert.deepEqual(logged('paid_after_expiry').map((l) => [l.level, l.orderId, l.was]), [['error', created.id, 'expired']]);
  assert.deepEqual(events.map((e) => [e.type, e.late ?? false, e.data.status]), [['order.expired', false, 'expired'], ['order.paid', true, 'paid']]);
});

test('AMDigipay (no void): an expired order paid afterwards becomes paid, logged and told late', async () => {
  const { app, store, clock, events, logged, config } = lateApp();
  const created = await (await postCheckout(app, { provider: 'amdigipay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  clock.t = Date.parse(created.expiresAt) + MINUTE;
  await app.reconcile();
  assert.equal(await statusOf(app, created.id), 'expired');
  assert.deepEqual(events.map((e) => e.type), ['order.expired']);

  // The gateway takes the money anyway (its clock behind ours), and says so.
  const id = created.paymentUrl.split('/').at(-1);
  const key = `sandbox:amdigipay:trx:${id}`;
  await store.set(key, { ...(await store.get<Record<string, unknown>>(key))!, status_id: 3 });
  const ref = created.id.replace('_', '');
  const { username } = config.providers.amdigipay!;
  const claim = { id: Number(id), transaction_id: ref, transaction_total: String(created.amount), signature: amdigipaySignature(username, ref), payment_id: 33, payment: 'QRIS', status_id: 3, status: 'Terbayar', expired_date: '2030-01-01 00:00:00' };
  clock.t += 5_000;
  const reply = await app.request('/v1/notify/amdigipay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(claim) });
  assert.equal(reply.status, 200);

  assert.equal(await statusOf(app, created.id), 'paid');
  assert.deepEqual(logged('paid_after_expiry').map((l) => [l.level, l.orderId]), [['error', created.id]]);
  assert.deepEqual(events.map((e) => [e.type, e.late ?? false]), [['order.expired', false], ['order.paid', true]]);
  // A repeat of the notice changes nothing and tells nothing again.
  clock.t += MINUTE;
  await app.request('/v1/notify/amdigipay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(claim) });
  await app.reconcile();
  assert.equal(events.length, 2);
});
