// 150 orders paid at once (issue 9 §1), on a real redis-server and on the fs store: every one
// reaches the merchant as exactly one order.paid, each with its own stable event id, and nothing is
// sent again by later sweeps. The notices are held back at the provider, then delivered together.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FetchLike } from '../../proxy/lib/http';
import { createMemoryLogger } from '../../proxy/lib/log';
import { webhookEventId } from '../../proxy/orders/webhook';
import { createNodeStore, type NodeStore } from '../../proxy/store/node';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, SHOP } from '../proxy/helpers';
import { startRedisServer } from '../proxy/store/redis-server';

const ORDERS = 150;
const WEBHOOK_URL = 'https://merchant.test/kasir';
const WEBHOOK_SECRET = 'whsec-burst-0123456789abcdefghijklmnop';
const VALID = { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };

let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
const stores: NodeStore[] = [];
const dirs: string[] = [];
before(async () => {
  redisServer = await startRedisServer();
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redisServer?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function until(done: () => boolean, ms: number) {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, 50));
}

for (const kind of ['redis', 'fs'] as const) {
  test(`${ORDERS} orders paid at once on the ${kind} store: exactly ${ORDERS} order.paid, each event id once`, { timeout: 120_000 }, async () => {
    let spec = redisServer.url;
    if (kind === 'fs') {
      const dir = mkdtempSync(join(tmpdir(), 'kasir-burst-'));
      dirs.push(dir);
      spec = `fs:${dir}`;
    }
    const store = createNodeStore(spec, createMemoryLogger());
    stores.push(store);
    const held: string[] = [];
    const deliveries: { id: string; type: string; orderId: string }[] = [];
    let holdNotices = true;
    const network: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      const { pathname } = new URL(request.url);
      if (request.url.startsWith(WEBHOOK_URL)) {
        const event = await request.json();
        deliveries.push({ id: event.id, type: event.type, orderId: event.data.id });
        return new Response(null, { status: 204 });
      }
      // The provider's notices are held (answered 503, so the simulator stops after its retries).
      if (holdNotices && pathname.startsWith('/v1/notify/')) {
        held.push(await request.text());
        return new Response('held', { status: 503 });
      }
      return t.app.fetch(request);
    };
    const t = createTestApp({ KASIR_RATE_LIMIT: '0', KASIR_WEBHOOK_URL: WEBHOOK_URL, KASIR_WEBHOOK_SECRET: WEBHOOK_SECRET }, { store, fetch: network });

    const created: { id: string; paymentUrl: string }[] = [];
    for (let i = 0; i < ORDERS; i += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, ORDERS - i) }, async () => (await postCheckout(t.app, VALID)).json()));
      created.push(...batch);
    }
    for (let i = 0; i < ORDERS; i += 25) await Promise.all(created.slice(i, i + 25).map((c) => pressPayPageButton(t.app, c.paymentUrl, 'pay')));
    const notices = [...new Set(held)];
    assert.equal(notices.length, ORDERS);
    holdNotices = false;

    const replies = await Promise.all(
      notices.map(async (body) => (await t.app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).text()),
    );
    assert.deepEqual([...new Set(replies)], ['ACCEPTED']);
    await until(() => deliveries.length >= ORDERS, 20_000);
    // Later sweeps and repeated notices send nothing again.
    await t.app.reconcile();
    await Promise.all(notices.slice(0, 20).map(async (body) => t.app.request('/v1/notify/winpay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })));
    await t.app.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 200));

    assert.equal(deliveries.length, ORDERS);
    assert.deepEqual(new Set(deliveries.map((d) => d.type)), new Set(['order.paid']));
    assert.equal(new Set(deliveries.map((d) => d.id)).size, ORDERS);
    assert.deepEqual(
      deliveries.map((d) => d.id).sort(),
      created.map((c) => webhookEventId({ id: c.id, status: 'paid' })).sort(),
    );
    assert.deepEqual(await store.keys('outbox:'), [], 'no delivery left waiting');
  });
}
