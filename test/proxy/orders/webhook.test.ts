import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import type { PaymentStatus } from '../../../proxy/lib/contract';
import type { FetchLike } from '../../../proxy/lib/http';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createOrderRepository, toCheckoutView } from '../../../proxy/orders/repository';
import { createMemoryStore, type Store } from '../../../proxy/store';
import { createWebhookSender, webhookEventId, type WebhookSender } from '../../../proxy/orders/webhook';
import type { Order } from '../../../proxy/orders/order';
import { verifyWebhook } from '../../../proxy/verify';
import { hangingFetch } from '../helpers';

const WEBHOOK_URL = 'https://shop.test/kasir/webhook?key=k';
const SECRET = 'whsec-0123456789abcdefghijklmnopqrstuv';
const T0 = Date.parse('2025-01-15T03:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function order(status: PaymentStatus = 'paid', id = 'ord_webhook0000000000000001'): Order {
  return {
    id,
    provider: 'winpay',
    status,
    amount: 345000,
    currency: 'IDR',
    lines: [{ sku: 'tee-m', name: 'T-shirt M', qty: 2, price: 150000 }, { sku: 'mug', name: 'Mug', qty: 1, price: 45000 }],
    customer: { name: 'Siti Rahma', email: 'siti@example.com' },
    createdAt: '2025-01-15T02:59:00.000Z',
    providerRef: 'ref-0001',
    payment: { providerRef: 'ref-0001', paymentUrl: 'https://pay.test/0001', expiresAt: '2025-01-15T04:00:00.000Z' },
  };
}

type Reply = number | 'unreachable' | 'hang';
interface Call {
  at: number;
  url: string;
  method: string;
  contentType: string | null;
  /** The Standard Webhooks headers: webhook-id, webhook-timestamp, webhook-signature. */
  headers: Record<string, string>;
  body: string;
}

/** A sender on a fake clock whose fetch answers with `replies` in turn (the last one repeats). */
function harness(replies: Reply[], { store = createMemoryStore(), timeoutMs }: { store?: Store; timeoutMs?: number } = {}) {
  const clock = { now: T0 };
  const calls: Call[] = [];
  const queue = [...replies];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    calls.push({
      at: clock.now,
      url: request.url,
      method: request.method,
      contentType: request.headers.get('content-type'),
      headers: Object.fromEntries([...request.headers].filter(([name]) => name.startsWith('webhook-'))),
      body: await request.text(),
    });
    const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (reply === 'hang') return hangingFetch(input, init);
    if (reply === 'unreachable') throw new TypeError('fetch failed');
    return new Response(null, { status: reply });
  };
  const log = createMemoryLogger();
  const now = () => new Date(clock.now);
  let sender: WebhookSender;
  const sends: Promise<unknown>[] = [];
  const orders = createOrderRepository(store, { events: true, now, onStatusChange: (_before, after) => void sends.push(sender.deliver(after.id)) });
  sender = createWebhookSender({ url: WEBHOOK_URL, secret: SECRET, orders, store, fetch, now, log, timeoutMs });
  /** The order's change, as the app makes it: the order pending, then moved to its status (which sends its event at once). */
  async function enqueue(o: Order) {
    if (!(await orders.get(o.id))) await orders.create({ ...o, status: 'pending' });
    await orders.update(o.id, (current) => (current.status === o.status ? current : { ...current, status: o.status }));
    await Promise.all(sends);
  }
  /** Scheduler ticks every `step` ms for `duration` ms. */
  async function run(duration: number, step = 1000) {
    for (const end = clock.now + duration; clock.now < end; ) {
      clock.now += step;
      await sender.deliverDue();
    }
  }
  const logged = (event: string) => log.lines.map((line) => JSON.parse(line)).filter((line) => line.event === event);
  return { sender: Object.assign(sender, { enqueue }), idle: () => Promise.all(sends), orders, calls, clock, log, logged, run, store };
}


test('an order change is POSTed once, as the signed event JSON', async () => {
  const h = harness([204]);
  await h.sender.enqueue(order('paid'));
  assert.equal(h.calls.length, 1);
  const [call] = h.calls as [Call];
  assert.equal(call.url, WEBHOOK_URL);
  assert.equal(call.method, 'POST');
  assert.equal(call.contentType, 'application/json');
  assert.deepEqual(JSON.parse(call.body), {
    id: webhookEventId(order('paid')),
    type: 'order.paid',
    created: T0 / 1000,
    data: toCheckoutView(order('paid')),
  });
  assert.match(JSON.parse(call.body).id, /^evt_[0-9a-f]{32}$/);
  const id = webhookEventId(order('paid'));
  assert.deepEqual(call.headers, {
    'webhook-id': id,
    'webhook-timestamp': String(T0 / 1000),
    'webhook-signature': `v1,${createHmac('sha256', SECRET).update(`${id}.${T0 / 1000}.${call.body}`).digest('base64')}`,
  });
  assert.deepEqual(h.logged('webhook_delivered').map((l) => [l.eventId, l.type, l.attempts]), [[webhookEventId(order('paid')), 'order.paid', 1]]);
  // Neither the URL (it may hold a token) nor the body or the customer reaches the log.
  assert.doesNotMatch(h.log.lines.join('\n'), /shop\.test|siti|345000|T-shirt/);
  await h.run(HOUR, MINUTE);
  assert.equal(h.calls.length, 1);
});

test('kasir/verify accepts a real delivery and refuses it changed (the full table: test/proxy/lib/standard-webhooks.test.ts)', async () => {
  const h = harness([200]);
  await h.sender.enqueue(order('paid'));
  const { body, headers } = h.calls[0]!;
  assert.equal(verifyWebhook(body, headers, SECRET, { now: new Date(T0) }).id, webhookEventId(order('paid')));
  assert.throws(() => verifyWebhook(body.replace('order.paid', 'order.pair'), headers, SECRET, { now: new Date(T0) }), { code: 'webhook_signature_mismatch' });
});

test('fails 3 times then 200: delivered once, attempt 4, each delay longer than the last', async () => {
  const h = harness([500, 429, 'unreachable', 200]);
  await h.sender.enqueue(order('paid'));
  await h.run(10 * MINUTE);
  assert.equal(h.calls.length, 4);
  assert.equal(new Set(h.calls.map((c) => c.body)).size, 1);
  for (const call of h.calls) {
    // Each attempt is signed when it is sent, so a receiver's tolerance window holds for late retries;
    // its webhook-id stays the event's, so the receiver can de-duplicate.
    assert.ok(verifyWebhook(call.body, call.headers, SECRET, { now: new Date(call.at), toleranceSeconds: 1 }));
    assert.equal(call.headers['webhook-id'], webhookEventId(order('paid')));
  }
  const gaps = h.calls.slice(1).map((c, i) => c.at - h.calls[i]!.at);
  const bounds = [30_000, 60_000, 120_000].map((nominal) => [nominal * 0.8, nominal * 1.2 + 1000]);
  gaps.forEach((gap, i) => assert.ok(gap >= bounds[i]![0]! && gap <= bounds[i]![1]!, `gap ${i}: ${gap}`));
  assert.ok(gaps[0]! < gaps[1]! && gaps[1]! < gaps[2]!, String(gaps));
  assert.deepEqual(h.logged('webhook_attempt_failed').map((l) => [l.attempts, l.reason]), [[1, 'http_500'], [2, 'http_429'], [3, 'unreachable']]);
  assert.deepEqual(h.logged('webhook_delivered').map((l) => l.attempts), [4]);
  assert.equal(await h.sender.deliverDue(), 0);
});

test('an attempt that times out is a failure and is retried', async () => {
  const h = harness(['hang', 200], { timeoutMs: 50 });
  await h.sender.enqueue(order('expired'));
  assert.deepEqual(h.logged('webhook_attempt_failed').map((l) => l.reason), ['timeout']);
  await h.run(MINUTE);
  assert.equal(h.calls.length, 2);
  assert.deepEqual(h.logged('webhook_delivered').map((l) => [l.type, l.attempts]), [['order.expired', 2]]);
});

test('gives up after about a day of failures and logs webhook_abandoned once', async () => {
  const h = harness([503]);
  await h.sender.enqueue(order('paid'));
  await h.run(27 * HOUR, 10_000);
  const abandoned = h.logged('webhook_abandoned');
  assert.deepEqual(abandoned.map((l) => [l.eventId, l.reason, l.attempts]), [[webhookEventId(order('paid')), 'http_503', h.calls.length]]);
  const span = h.calls.at(-1)!.at - h.calls[0]!.at;
  assert.ok(span >= 24 * HOUR && span <= 26.4 * HOUR + 10_000, `last attempt ${span / HOUR} h after the first`);
  assert.ok(h.calls.length >= 15 && h.calls.length <= 25, `${h.calls.length} attempts`);
  const gaps = h.calls.slice(1).map((c, i) => c.at - h.calls[i]!.at);
  for (let i = 1; i < 8; i++) assert.ok(gaps[i]! > gaps[i - 1]!, `gap ${i} grows: ${gaps.join()}`);
  assert.ok(Math.max(...gaps) <= 2.4 * HOUR + 10_000);
  const attempts = h.calls.length;
  await h.run(3 * HOUR, MINUTE);
  assert.equal(h.calls.length, attempts);
  assert.equal(await h.sender.deliverDue(), 0);
});

test('the event id is stable per state change: the same change is sent once, a new one again', async () => {
  const store = createMemoryStore();
  const h = harness([200], { store });
  const sameChangeOtherSnapshot: Order = { ...order('paid'), checkedAt: '2025-01-15T03:00:05.000Z' };
  assert.equal(webhookEventId(order('paid')), webhookEventId(sameChangeOtherSnapshot));
  assert.notEqual(webhookEventId(order('paid')), webhookEventId(order('refunded')));
  assert.notEqual(webhookEventId(order('paid')), webhookEventId(order('paid', 'ord_webhook0000000000000002')));

  await h.sender.enqueue(order('paid'));
  await h.sender.enqueue(order('paid'));
  await Promise.all([h.sender.enqueue(order('paid', 'ord_b')), h.sender.enqueue(order('paid', 'ord_b')), h.sender.enqueue(order('paid', 'ord_b'))]);
  await harness([200], { store }).sender.enqueue(order('paid'));
  await h.run(HOUR, MINUTE);
  assert.equal(h.calls.length, 2);

  await h.sender.enqueue(order('refunded'));
  const ids = h.calls.map((c) => JSON.parse(c.body).id);
  assert.deepEqual(ids, [webhookEventId(order('paid')), webhookEventId(order('paid', 'ord_b')), webhookEventId(order('refunded'))]);
});

test('nothing is lost when the sender is re-created on the same store, even after concurrent enqueues', async () => {
  const store = createMemoryStore();
  const before = harness(['unreachable'], { store });
  const orders = Array.from({ length: 20 }, (_, i) => order('paid', `ord_restart${String(i).padStart(2, '0')}`));
  await Promise.all(orders.map((o) => before.sender.enqueue(o)));
  assert.equal(before.calls.length, 20);

  const after = harness([200], { store });
  after.clock.now = T0 + 40_000;
  assert.equal(await after.sender.deliverDue(), 20);
  assert.deepEqual(after.calls.map((c) => c.body).sort(), before.calls.map((c) => c.body).sort());
  assert.deepEqual(after.logged('webhook_delivered').map((l) => l.attempts), Array(20).fill(2));
  assert.equal(await after.sender.deliverDue(), 0);
});

test('a tick with nothing waiting is one store call and no request', async () => {
  const counts = { get: 0, set: 0, add: 0, increment: 0, delete: 0, keys: 0 };
  const inner = createMemoryStore();
  const store: Store = {
    get: <T>(key: string) => (counts.get++, inner.get<T>(key)),
    set: (key, value, options) => (counts.set++, inner.set(key, value, options)),
    add: (key, value, options) => (counts.add++, inner.add(key, value, options)),
    increment: (key, options) => (counts.increment++, inner.increment(key, options)),
    delete: (key) => (counts.delete++, inner.delete(key)),
    keys: (prefix) => (counts.keys++, inner.keys(prefix)),
  };
  const h = harness([200], { store });
  const reset = () => Object.assign(counts, { get: 0, set: 0, add: 0, increment: 0, delete: 0, keys: 0 });
  assert.equal(await h.sender.deliverDue(), 0);
  assert.deepEqual(counts, { get: 0, set: 0, add: 0, increment: 0, delete: 0, keys: 1 });
  await h.sender.enqueue(order('paid'));
  assert.equal(h.calls.length, 1);
  reset();
  h.clock.now += MINUTE;
  assert.equal(await h.sender.deliverDue(), 0);
  assert.deepEqual(counts, { get: 0, set: 0, add: 0, increment: 0, delete: 0, keys: 1 });
});

test('overlapping ticks, here or in another process on the same store, send a due delivery once', async () => {
  const store = createMemoryStore();
  const h = harness(['unreachable', 200], { store });
  const other = harness([200], { store });
  await h.sender.enqueue(order('paid'));
  h.clock.now = other.clock.now = T0 + 40_000;
  await Promise.all([h.sender.deliverDue(), h.sender.deliverDue(), other.sender.deliverDue()]);
  assert.equal(h.calls.length + other.calls.length, 2);
  assert.equal(h.logged('webhook_delivered').length + other.logged('webhook_delivered').length, 1);
});

test('a crash at any store write of a change loses nothing: the change and its event are one write', async () => {
  // The change is made on a store that fails its n-th write (a process dying there); then a fresh
  // process on the same data runs the sweep. Either the order is unchanged (the notice was not
  // answered, so the provider sends it again) or it is paid and its order.paid goes out.
  for (let n = 1; n <= 4; n++) {
    const inner = createMemoryStore();
    let writes = -Infinity;
    const crashing: Store = {
      ...inner,
      set: async (key, value, options) => {
        if (++writes === n) throw new Error('crash');
        return inner.set(key, value, options);
      },
    };
    const id = `ord_crash${n}`;
    const before = harness(['unreachable'], { store: crashing });
    await before.orders.create({ ...order('pending', id) });
    writes = 0;
    const outcome = await before.orders.update(id, (o) => ({ ...o, status: 'paid' })).then(() => 'changed', () => 'crashed');
    await before.idle();
    const after = harness([200], { store: inner });
    after.clock.now = T0 + 2 * MINUTE;
    await after.sender.deliverDue();
    const stored = await after.orders.get(id);
    if (stored?.status === 'paid') {
      assert.deepEqual(after.calls.map((c) => JSON.parse(c.body).id).concat(before.calls.map((c) => JSON.parse(c.body).id)).slice(-1), [webhookEventId(order('paid', id))], `write ${n}`);
      assert.equal(after.calls.length, 1, `write ${n}: sent once more after the crash`);
    } else {
      assert.equal(outcome, 'crashed', `write ${n}`);
      assert.equal(stored?.status, 'pending', `write ${n}`);
      assert.equal(after.calls.length, 0);
    }
    assert.equal(await after.sender.deliverDue(), 0, `write ${n}: nothing left`);
  }
});
