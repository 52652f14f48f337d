// SIGKILL of the proxy process while notices are being applied (issue 9 §1): 40 orders are paid at
// a real (fake) Winpay; its 40 notices are sent at once to a real proxy process, which is killed at
// a random moment, restarted, sent the notices it did not accept (providers retry until they get
// their reply), killed again… Then every paid order must reach the merchant within two sweeps of the
// last start. On the fs store and on a real redis-server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { webhookEventId } from '../../proxy/orders/webhook';
import { TEST_CATALOG } from '../proxy/helpers';
import { startRedisServer } from '../proxy/store/redis-server';
import { freePort, startFakeWinpay, startMerchant, startProxyProcess } from './servers';

const ORDERS = 40;
const KILLS = 3;
const SWEEP_SECONDS = 3;
const WEBHOOK_SECRET = 'whsec-crash-0123456789abcdefghijklmnop';

let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
const cleanups: (() => unknown)[] = [];
before(async () => {
  redisServer = await startRedisServer();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await redisServer?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const kind of ['fs', 'redis'] as const) {
  test(`SIGKILL at random points while ${ORDERS} notices are applied (${kind}): every paid order is told within two sweeps`, { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasir-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(TEST_CATALOG));
    const winpay = await startFakeWinpay();
    const merchant = await startMerchant();
    cleanups.push(winpay.close, merchant.close);
    const port = await freePort();
    const env = {
      PORT: String(port),
      KASIR_CATALOG: join(dir, 'catalog.json'),
      KASIR_STORE: kind === 'fs' ? `fs:${join(dir, 'store')}` : `${redisServer.url}/${1 + Math.floor(Math.random() * 14)}`,
      KASIR_WEBHOOK_URL: merchant.url,
      KASIR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      KASIR_RATE_LIMIT: '0',
      KASIR_RETURN_URLS: 'https://shop.test/',
      KASIR_SWEEP_SECONDS: String(SWEEP_SECONDS),
      WINPAY_KEY: 'crash-key',
      WINPAY_SECRET: 'crash-secret',
      WINPAY_BASE_URL: winpay.url,
    };
    let proxy = await startProxyProcess(env);
    cleanups.push(() => proxy.kill());

    const orders: { id: string; ref: string }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const res = await fetch(`${proxy.url}/v1/checkouts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `crash-${kind}-${i}` },
        body: JSON.stringify({ provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: { name: 'Siti', phone: '081234567890' }, returnUrl: 'https://shop.test/thanks' }),
      });
      const created = await res.json();
      assert.equal(res.status, 201, JSON.stringify(created));
      const { id } = created;
      orders.push({ id, ref: id.replace(/[^A-Za-z0-9]/g, '') });
    }
    const notices = new Map(orders.map((o) => [o.id, winpay.pay(o.ref)]));
    const accepted = new Set<string>();
    const sendNotices = () =>
      Promise.all(
        [...notices].filter(([id]) => !accepted.has(id)).map(async ([id, body]) => {
          const reply = await fetch(`${proxy.url}/v1/notify/winpay`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).catch(() => undefined);
          if (reply && (await reply.text()) === 'ACCEPTED') accepted.add(id);
        }),
      );

    const killedAt: number[] = [];
    for (let round = 0; round < KILLS; round++) {
      const sending = sendNotices();
      const delay = Math.floor(Math.random() * 300);
      killedAt.push(delay);
      await sleep(delay);
      await proxy.kill();
      await sending;
      proxy = await startProxyProcess(env);
    }
    const lastStart = Date.now();
    // The providers retry what was not accepted.
    while (accepted.size < ORDERS && Date.now() - lastStart < 10_000) await sendNotices();
    assert.equal(accepted.size, ORDERS, `kills after ${killedAt.join(', ')} ms`);

    const told = () => new Set(merchant.events.filter((e) => e.type === 'order.paid').map((e) => e.data.id));
    // Two sweeps, plus room for a machine under load (the file store syncs every write to disk).
    const deadline = lastStart + 2 * SWEEP_SECONDS * 1000 + 10_000;
    while (told().size < ORDERS && Date.now() < deadline) await sleep(100);
    const trail = () => proxy.lines.filter((l) => l.level !== 'info' || /webhook|proxy_started/.test(l.event)).map((l) => JSON.stringify(l)).slice(-15).join('\n');
    assert.equal(told().size, ORDERS, `told ${told().size} of ${ORDERS} (kills after ${killedAt.join(', ')} ms)\n${trail()}`);
    // At least once, and always under the order's one stable event id.
    for (const event of merchant.events) assert.equal(event.id, webhookEventId({ id: event.data.id, status: 'paid' }));
    assert.equal(proxy.lines.filter((l) => l.level === 'error').length, 0, JSON.stringify(proxy.lines.filter((l) => l.level === 'error')));
    await proxy.kill();
  });
}
