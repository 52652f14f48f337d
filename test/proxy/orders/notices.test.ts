// Notices cost at most one lookup per order per few seconds; a poll never waits long behind a held
// order; a lease left by a crashed process is taken over within seconds (issue 9 §5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import { applyStatus, toCheckoutView } from '../../../proxy/orders/repository';
import { createMemoryStore, LEASE_SECONDS } from '../../../proxy/store';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createTestApp, CUSTOMER, postCheckout, SHOP, statusOf, testOrder } from '../helpers';

const REAL_WINPAY = { WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'https://winpay.stub', KASIR_RATE_LIMIT: '0' };
const VALID = { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };

/** A Winpay whose invoice stays UNPAID (or PAID once `paid` is set), each lookup taking `lookupMs`. */
function winpayStub({ lookupMs = 0 } = {}) {
  const state = { lookups: 0, paid: false, gate: undefined as Promise<void> | undefined };
  const outside: FetchLike = async (input) => {
    const request = input as Request;
    if (request.url.endsWith('/api/create')) {
      return Response.json({ responseCode: '2010300', responseData: { id: 'inv-1', ref: 'r', created_at: '2099-01-01 07:00:00', redirect_url: 'https://pay.stub/1' } }, { status: 201 });
    }
    state.lookups++;
    if (lookupMs) await new Promise((resolve) => setTimeout(resolve, lookupMs));
    await state.gate;
    const status = state.paid ? 'PAID' : 'UNPAID';
    return Response.json({ responseCode: '2000300', responseData: { id: 'inv-1', ref: 'r', created_at: '2099-01-01 07:00:00', status, ...(state.paid ? { payment: { nett: '45000' } } : {}) } });
  };
  return { state, outside };
}

const notice = (ref: string) => JSON.stringify({ invoice: { uuid: 'inv-1', ref } });
const notify = async (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, body: string) => {
  const res = await app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const text = await res.text();
  return res.status === 200 ? text : `${res.status} ${JSON.parse(text).error.code}`;
};

test('200 forged notices for one order at once, with a slow provider: one signed lookup, none waits for a lock in vain', async () => {
  const stub = winpayStub({ lookupMs: 300 });
  const { app } = createTestApp(REAL_WINPAY, { outside: stub.outside });
  const created = await (await postCheckout(app, VALID)).json();
  const ref = created.id.replace('_', '');
  const started = Date.now();
  const replies = await Promise.all(Array.from({ length: 200 }, () => notify(app, notice(ref))));
  // One per two seconds at most (the reuse window), however long the 200 take on a busy machine.
  assert.ok(stub.state.lookups <= 1 + Math.floor((Date.now() - started) / 2000), `${stub.state.lookups} lookups`);
  // The one that looked: not confirmed, answered as Winpay expects. The rest: asked to come back.
  assert.equal(replies.filter((r) => r === 'ACCEPTED').length, stub.state.lookups);
  assert.deepEqual(new Set(replies.filter((r) => r !== 'ACCEPTED')), new Set(['503 notice_throttled']));
  assert.equal(await statusOf(app, created.id), 'pending');
});

test('a repeated notice moments after a lookup that confirmed it costs no lookup and is accepted', async () => {
  const stub = winpayStub();
  stub.state.paid = true;
  const { app } = createTestApp(REAL_WINPAY, { outside: stub.outside });
  const created = await (await postCheckout(app, VALID)).json();
  const ref = created.id.replace('_', '');
  assert.equal(await notify(app, notice(ref)), 'ACCEPTED');
  assert.deepEqual(await Promise.all(Array.from({ length: 20 }, () => notify(app, notice(ref)))), Array(20).fill('ACCEPTED'));
  assert.equal(stub.state.lookups, 1);
  assert.equal(await statusOf(app, created.id), 'paid');
});

test('a poll does not wait behind an order held by a slow notice: it answers with the last known state while the lookup still runs', async () => {
  const stub = winpayStub();
  let release!: () => void;
  stub.state.gate = new Promise((resolve) => (release = resolve));
  let t = Date.now();
  const { app } = createTestApp(REAL_WINPAY, { outside: stub.outside, now: () => new Date(t) });
  const created = await (await postCheckout(app, VALID)).json();
  stub.state.paid = true;
  const held = notify(app, notice(created.id.replace('_', '')));
  while (stub.state.lookups === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  t += 10_000; // the poll's own refresh is due
  let done = false;
  void held.then(() => (done = true));
  const poll = await (await app.request(`/v1/checkouts/${created.id}`)).json();
  assert.equal(poll.status, 'pending');
  assert.equal(done, false, 'the poll answered while the notice still held the order');
  release();
  assert.equal(await held, 'ACCEPTED');
  assert.equal(await statusOf(app, created.id), 'paid');
});

test(`a lease left by a crashed process is taken over once it lapses (${LEASE_SECONDS} s), not after a minute`, async () => {
  let storeClock = Date.now();
  const store = createMemoryStore(() => storeClock);
  const stub = winpayStub();
  const { app } = createTestApp(REAL_WINPAY, { outside: stub.outside, store });
  const created = await (await postCheckout(app, VALID)).json();
  // A process took the order and died: nobody renews or releases its lease.
  assert.equal(await store.add(`lock:order:${created.id}`, 'crashed', { ttlSeconds: LEASE_SECONDS }), true);
  stub.state.paid = true;
  const reply = notify(app, notice(created.id.replace('_', '')));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(stub.state.lookups, 0, 'waits while the lease is live');
  storeClock += (LEASE_SECONDS + 1) * 1000;
  assert.equal(await reply, 'ACCEPTED');
  assert.equal(await statusOf(app, created.id), 'paid');

  // The same for an Idempotency-Key claimed by a create that died.
  assert.equal(await store.add('idem-lock:dead-key', 'crashed', { ttlSeconds: LEASE_SECONDS }), true);
  const retry = postCheckout(app, VALID, 'dead-key');
  await new Promise((resolve) => setTimeout(resolve, 100));
  storeClock += (LEASE_SECONDS + 1) * 1000;
  assert.equal((await retry).status, 201);
});

test('a provider reason for a failure is kept on the order and shown', () => {
  const order = { ...testOrder('amdigipay'), payment: { providerRef: 'r', paymentUrl: 'https://pay.test/1', expiresAt: '2099-01-01T00:00:00Z' } };
  const failed = applyStatus(order, { status: 'failed', reason: 'card_declined' }, createMemoryLogger());
  assert.deepEqual([failed.status, failed.reason], ['failed', 'card_declined']);
  assert.equal(toCheckoutView(failed).reason, 'card_declined');
});

test('a forged notice naming an earlier attempt and another paid invoice does not pay the order', { todo: 'Winpay getStatus must refuse an invoice whose ref is not ours (its notices are unsigned): provider side' }, async () => {
  // Winpay: the first create failed outright, the retry made attempt 1. Someone else's invoice of the
  // same amount is paid. An (unsigned) notice names attempt 0's reference with that invoice's id.
  let creates = 0;
  const lookups: string[] = [];
  const outside: FetchLike = async (input) => {
    const { url, method } = input as Request;
    const path = new URL(url).pathname;
    if (path.endsWith('/api/create')) {
      if (creates++ === 0) return new Response('busy', { status: 503 });
      return Response.json({ responseCode: '2010300', responseData: { id: 'inv-ours', ref: 'r', created_at: '2099-01-01 07:00:00', redirect_url: 'https://pay.stub/1' } }, { status: 201 });
    }
    lookups.push(`${method} ${path}`);
    if (path.startsWith('/api/findByRef/')) return Response.json({ responseCode: '4040300' }, { status: 404 });
    const paid = path.endsWith('/inv-theirs');
    return Response.json({ responseCode: '2000300', responseData: { id: paid ? 'inv-theirs' : 'inv-ours', ref: 'x', created_at: '2099-01-01 07:00:00', status: paid ? 'PAID' : 'UNPAID', ...(paid ? { payment: { nett: '45000' } } : {}) } });
  };
  const { app } = createTestApp(REAL_WINPAY, { outside });
  assert.equal((await postCheckout(app, VALID, 'forged-key')).status, 502);
  const created = await (await postCheckout(app, VALID, 'forged-key')).json();
  const ref0 = created.id.replace('_', '');
  lookups.length = 0;
  const reply = await app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ invoice: { uuid: 'inv-theirs', ref: ref0 } }) });
  assert.equal(reply.status, 200);
  assert.equal(await statusOf(app, created.id), 'pending');
  // Attempt 0 was looked up by our reference (none there), never by the id the notice named.
  assert.ok(!lookups.some((l) => l.endsWith('/inv-theirs')), lookups.join());
});
