// A Redis outage (issue 9 §2): a real proxy process on a real redis-server that the test stops for
// 35 s — longer than the default sweep interval — and starts again on the same data. Meanwhile the
// proxy answers at once with 503 store_unavailable, never exits, and logs its failed sweeps; after,
// it is whole: the notice that failed during the outage is accepted when the provider retries, the
// order is paid and the merchant told, and new checkouts work.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TEST_CATALOG } from '../proxy/helpers';
import { startRedisServer } from '../proxy/store/redis-server';
import { freePort, startFakeWinpay, startMerchant, startProxyProcess } from './servers';

const OUTAGE_MS = 35_000;
/** Answers during the outage must come at once, not after a queue drains: far below any client's patience. */
const PROMPT_MS = 5_000;

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('Redis stopped for 35 s: 503 store_unavailable at once, the process stays up, and is whole again after', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-outage-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'redis'));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(TEST_CATALOG));
  let redis = await startRedisServer(undefined, { dir: join(dir, 'redis') });
  cleanups.push(() => redis.stop());
  const winpay = await startFakeWinpay();
  const merchant = await startMerchant();
  cleanups.push(winpay.close, merchant.close);
  const proxy = await startProxyProcess({
    PORT: String(await freePort()),
    KASIR_CATALOG: join(dir, 'catalog.json'),
    KASIR_STORE: redis.url,
    KASIR_WEBHOOK_URL: merchant.url,
    KASIR_WEBHOOK_SECRET: 'whsec-outage-0123456789abcdefghijklmn',
    KASIR_RETURN_URLS: 'https://shop.test/',
    KASIR_SWEEP_SECONDS: '5',
    WINPAY_KEY: 'outage-key',
    WINPAY_SECRET: 'outage-secret',
    WINPAY_BASE_URL: winpay.url,
  });
  cleanups.push(() => proxy.kill());
  const checkout = (key: string) =>
    fetch(`${proxy.url}/v1/checkouts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: { name: 'Siti', phone: '081234567890' }, returnUrl: 'https://shop.test/' }),
    });
  const notify = (body: string) => fetch(`${proxy.url}/v1/notify/winpay`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const timed = async (request: () => Promise<Response>) => {
    const started = Date.now();
    const res = await request();
    const text = await res.text();
    return { status: res.status, code: res.status === 503 ? JSON.parse(text).error?.code : undefined, text, ms: Date.now() - started };
  };

  const created = await (await checkout('outage-1')).json();
  const notice = winpay.pay(created.id.replace('_', ''));

  await redis.stop();
  const stoppedAt = Date.now();
  const answers: Awaited<ReturnType<typeof timed>>[] = [];
  while (Date.now() - stoppedAt < OUTAGE_MS) {
    answers.push(await timed(() => fetch(`${proxy.url}/v1/checkouts/${created.id}`)));
    answers.push(await timed(() => checkout(`outage-${answers.length}`)));
    answers.push(await timed(() => notify(notice)));
    assert.equal((await fetch(`${proxy.url}/healthz`)).status, 200);
    await sleep(2_000);
  }
  assert.equal(proxy.child.exitCode, null, 'the process is still running');
  for (const answer of answers) {
    assert.deepEqual([answer.status, answer.code], [503, 'store_unavailable'], answer.text);
    assert.ok(answer.ms < PROMPT_MS, `answered after ${answer.ms} ms`);
  }
  const sweepsFailed = proxy.lines.filter((l) => l.event === 'reconcile_failed').length;
  assert.ok(sweepsFailed >= 5, `${sweepsFailed} failed sweeps logged`);
  assert.doesNotMatch(proxy.stderr(), /Unhandled|TypeError|Error:/);

  redis = await startRedisServer(redis.port, { dir: join(dir, 'redis') });
  let status = 0;
  for (const started = Date.now(); status !== 200 && Date.now() - started < 10_000; await sleep(200)) {
    status = (await fetch(`${proxy.url}/v1/checkouts/${created.id}`)).status;
  }
  assert.equal(status, 200);
  // Winpay retries its notice; this time it is taken, the order is paid and the merchant told.
  assert.equal(await (await notify(notice)).text(), 'ACCEPTED');
  assert.equal((await (await fetch(`${proxy.url}/v1/checkouts/${created.id}`)).json()).status, 'paid');
  for (const started = Date.now(); merchant.events.length === 0 && Date.now() - started < 10_000; ) await sleep(100);
  assert.deepEqual(merchant.events.map((e) => [e.type, e.data.id]), [['order.paid', created.id]]);
  assert.equal((await checkout('after-outage')).status, 201);
  assert.equal(proxy.child.exitCode, null);
});
