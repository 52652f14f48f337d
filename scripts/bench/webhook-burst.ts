// 6. Merchant webhooks under a burst (issue 9 §1): 150 orders paid at once — the time from the
// provider's 150 notices, sent together, until the merchant has the last order.paid. The proxy is
// a real process (`proxy/node.ts`), on the memory store and on a real redis-server; Winpay is a fake
// HTTP server that confirms every lookup; the merchant an HTTP server that answers 204.
import { startRedisServer } from '../../test/proxy/store/redis-server';
import { freePort, startFakeWinpay, startMerchant, startProxyProcess } from '../../test/resilience/servers';
import { type BenchSection, ms, table } from './report';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ORDERS = 150;
const GIVE_UP_MS = 60_000;
const CATALOG = { items: [{ sku: 'mug', name: 'Mug', price: { IDR: 45000 } }] };

interface BurstResult {
  told: number;
  lastMs: number;
  medianMs: number;
}

async function burst(store: string, dir: string): Promise<BurstResult> {
  const winpay = await startFakeWinpay();
  const merchant = await startMerchant();
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
  const proxy = await startProxyProcess({
    PORT: String(await freePort()),
    KASIR_CATALOG: join(dir, 'catalog.json'),
    KASIR_STORE: store,
    KASIR_WEBHOOK_URL: merchant.url,
    KASIR_WEBHOOK_SECRET: 'whsec-bench-0123456789abcdefghijklmnop',
    KASIR_RETURN_URLS: 'https://shop.test/',
    KASIR_RATE_LIMIT: '0',
    WINPAY_KEY: 'bench-key',
    WINPAY_SECRET: 'bench-secret',
    WINPAY_BASE_URL: winpay.url,
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < ORDERS; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, ORDERS - i) }, async () => {
          const res = await fetch(`${proxy.url}/v1/checkouts`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
            body: JSON.stringify({ provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: { name: 'Siti', phone: '081234567890' }, returnUrl: 'https://shop.test/' }),
          });
          if (res.status !== 201) throw new Error(`checkout answered ${res.status}`);
          return ((await res.json()) as { id: string }).id;
        }),
      );
      ids.push(...batch);
    }
    const notices = ids.map((id) => winpay.pay(id.replace(/[^A-Za-z0-9]/g, '')));
    const arrivals = new Map<string, number>();
    const started = performance.now();
    const watch = setInterval(() => {
      for (const e of merchant.events) if (e.type === 'order.paid' && !arrivals.has(e.data.id)) arrivals.set(e.data.id, performance.now() - started);
    }, 5);
    await Promise.all(notices.map((body) => fetch(`${proxy.url}/v1/notify/winpay`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then((r) => r.text())));
    while (arrivals.size < ORDERS && performance.now() - started < GIVE_UP_MS) await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(watch);
    const times = [...arrivals.values()].sort((a, b) => a - b);
    return { told: arrivals.size, lastMs: times.at(-1) ?? Number.NaN, medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN };
  } finally {
    await proxy.kill();
    await winpay.close();
    await merchant.close();
  }
}

export async function measureWebhookBurst(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-bench-webhook-'));
  const redis = await startRedisServer();
  try {
    const rows: (string | number)[][] = [];
    for (const [label, store] of [['memory', 'memory'], ['Redis', redis.url]] as const) {
      const r = await burst(store, dir);
      rows.push([label, `${r.told} / ${ORDERS}`, ms(r.medianMs, 0), r.told === ORDERS ? ms(r.lastMs, 0) : `not all within ${GIVE_UP_MS / 1000} s`]);
    }
    const body = [
      table(['store', 'order.paid received', 'median arrival', 'last order.paid'], rows),
      '',
      `How: a real proxy process (\`proxy/node.ts\`, default sweep) with ${ORDERS} pending Winpay checkouts; the fake ` +
        'Winpay marks every invoice paid, then its notices are sent at once; times are from the first notice sent ' +
        'to each order.paid arriving at the merchant (an HTTP server answering 204), all on 127.0.0.1.',
    ].join('\n');
    return { title: `Webhooks: ${ORDERS} orders paid at once`, body };
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
