// Two proxy instances on one real Redis, as behind a load balancer: each has its own connection,
// and both reach the same provider (instance A's simulator, whose state is in the same Redis).
// Then restarts: an order outlives the app that created it, on Redis and on a directory.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createNodeStore, type NodeStore } from '../../../proxy/store/node';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, SHOP, statusOf } from '../helpers';
import { startRedisServer } from './redis-server';

const VALID = { provider: 'winpay', items: [{ sku: 'mug', qty: 2 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };
const CREATE_PATH = '/sandbox/winpay/api/create';

let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
const stores: NodeStore[] = [];
before(async () => {
  redisServer = await startRedisServer();
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redisServer?.stop();
});

function openStore(spec: string) {
  const store = createNodeStore(spec, createMemoryLogger());
  stores.push(store);
  return store;
}

function twoInstances() {
  const provider = { paths: [] as string[], dropNotices: false, dropped: [] as Request[] };
  const toProvider: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    provider.paths.push(path);
    if (provider.dropNotices && path.startsWith('/v1/notify/')) {
      provider.dropped.push(request);
      return new Response('unavailable', { status: 503 });
    }
    return a.app.fetch(request);
  };
  const a = createTestApp({}, { store: openStore(redisServer.url), fetch: toProvider });
  const b = createTestApp({}, { store: openStore(redisServer.url), fetch: toProvider });
  const creates = () => provider.paths.filter((p) => p === CREATE_PATH).length;
  return { a, b, provider, creates };
}

test('an Idempotency-Key used on instance A replays on instance B, with one provider create', async () => {
  const { a, b, creates } = twoInstances();
  const key = randomUUID();
  const first = await postCheckout(a.app, VALID, key);
  assert.equal(first.status, 201);
  const created = await first.json();
  const again = await postCheckout(b.app, VALID, key);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('Idempotent-Replayed'), 'true');
  assert.deepEqual(await again.json(), created);
  const other = await postCheckout(b.app, { ...VALID, items: [{ sku: 'mug', qty: 3 }] }, key);
  assert.deepEqual([other.status, (await other.json()).error.code], [422, 'idempotency_key_reused']);
  assert.equal(creates(), 1);
});

test('identical requests at once, split across both instances, create one payment', async () => {
  const { a, b, creates } = twoInstances();
  const key = randomUUID();
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => postCheckout(i % 2 ? b.app : a.app, VALID, key)));
  const outcomes = await Promise.all(
    responses.map(async (r) => ({ status: r.status, replayed: r.headers.get('Idempotent-Replayed'), body: await r.json() })),
  );
  assert.equal(creates(), 1);
  const fresh = outcomes.filter((o) => o.status === 201 && o.replayed === null);
  assert.equal(fresh.length, 1);
  for (const o of outcomes.filter((o) => o !== fresh[0])) {
    if (o.status === 201) assert.deepEqual([o.replayed, o.body], ['true', fresh[0]!.body]);
    else assert.deepEqual([o.status, o.body.error.code], [409, 'idempotency_in_progress']);
  }
  const later = await postCheckout(b.app, VALID, key);
  assert.deepEqual([later.status, later.headers.get('Idempotent-Replayed'), await later.json()], [201, 'true', fresh[0]!.body]);
  assert.equal(creates(), 1);
});

test('the same notice delivered to both instances at once changes the order once', async () => {
  const { a, b, provider } = twoInstances();
  const checkout = await (await postCheckout(a.app, VALID)).json();
  // Pay at the provider but hold its notice back, so it can be delivered to both instances at once.
  provider.dropNotices = true;
  await pressPayPageButton(a.app, checkout.paymentUrl, 'pay');
  assert.equal(provider.dropped.length, 3);
  const notice = await provider.dropped[0]!.text();
  const deliver = (app: typeof a.app) =>
    app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: notice });
  const replies = await Promise.all([deliver(a.app), deliver(b.app)]);
  assert.deepEqual(await Promise.all(replies.map((r) => r.text())), ['ACCEPTED', 'ACCEPTED']);
  const changes = [...a.log.lines, ...b.log.lines].map((l) => JSON.parse(l)).filter((l) => l.event === 'order_status_changed');
  assert.deepEqual(
    changes.map((l) => [l.orderId, l.from, l.to]),
    [[checkout.id, 'pending', 'paid']],
  );
  assert.equal(await statusOf(b.app, checkout.id), 'paid');
});

test('the checkout rate limit is one count for every instance on the store', async () => {
  const store = openStore(redisServer.url);
  const peer = openStore(redisServer.url);
  const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
  const a = createTestApp({ KASIR_RATE_LIMIT: '3' }, { store, clientIp: () => ip });
  const b = createTestApp({ KASIR_RATE_LIMIT: '3' }, { store: peer, clientIp: () => ip });
  const statuses = [];
  for (const app of [a.app, b.app, a.app, b.app]) statuses.push((await postCheckout(app, VALID)).status);
  assert.deepEqual(statuses, [201, 201, 201, 429]);
  const other = createTestApp({ KASIR_RATE_LIMIT: '3' }, { store, clientIp: () => `${ip}0` });
  assert.equal((await postCheckout(other.app, VALID)).status, 201);
});

for (const kind of ['redis', 'fs'] as const) {
  test(`a restarted proxy on the same ${kind} store still has its orders and idempotency records`, async (t) => {
    let spec = redisServer.url;
    if (kind === 'fs') {
      const dir = mkdtempSync(join(tmpdir(), 'kasir-restart-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      spec = `fs:${dir}`;
    }
    const key = randomUUID();
    const firstStore = createNodeStore(spec, createMemoryLogger());
    const first = createTestApp({}, { store: firstStore });
    const created = await (await postCheckout(first.app, VALID, key)).json();
    await firstStore.close();

    const restarted = createTestApp({}, { store: openStore(spec) });
    const found = await restarted.app.request(`/v1/checkouts/${created.id}`);
    assert.equal(found.status, 200);
    assert.deepEqual(await found.json(), created);
    const retry = await postCheckout(restarted.app, VALID, key);
    assert.deepEqual([retry.status, retry.headers.get('Idempotent-Replayed'), await retry.json()], [201, 'true', created]);
    assert.equal(restarted.calls.filter((r) => new URL(r.url).pathname === CREATE_PATH).length, 0);
  });
}
