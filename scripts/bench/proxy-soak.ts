// 4. Soak: a fresh Kasir process held at half of its peak, its state in a real redis-server (as
// several instances would run) so that the process's own memory shows leaks, not orders kept by
// design; its memory after a full GC before, right after, and once idle; every request that did
// not come back 2xx.
import { setTimeout as delay } from 'node:timers/promises';
import { checkOneCheckout, fireCheckouts, type LoadResult, type Memory, PROVIDER_TIMEOUT_MS, startLoadServer } from './load-servers';
import { startRedisServer } from '../../test/proxy/store/redis-server';
import { KASIR_PORT, STUB_PORT } from './proxy-throughput';
import { type BenchSection, ms, table, verdict } from './report';

const SETTLE_MS = PROVIDER_TIMEOUT_MS + 1_000;
const REDIS_PORT = 18730;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;

interface Soaked {
  start: Memory;
  end: Memory;
  settled: Memory;
  load: LoadResult;
}

async function soak(seconds: number, rate: number): Promise<Soaked> {
  const redis = await startRedisServer(REDIS_PORT);
  const stub = await startLoadServer('stub', STUB_PORT);
  try {
    const kasir = await startLoadServer('kasir', KASIR_PORT, { stubUrl: stub.url, store: redis.url });
    try {
      await checkOneCheckout(kasir.url);
      const start = await kasir.memory();
      const load = await fireCheckouts(kasir.url, { seconds, rate });
      const end = await kasir.memory();
      await delay(SETTLE_MS);
      return { start, end, settled: await kasir.memory(), load };
    } finally {
      await kasir.stop();
    }
  } finally {
    await stub.stop();
    await redis.stop();
  }
}

export async function soakProxy({ seconds, rate }: { seconds: number; rate: number }): Promise<BenchSection> {
  const { start, end, settled, load } = await soak(seconds, rate);
  const memoryRow = (name: string, key: keyof Memory) => [
    name,
    mib(start[key]),
    `${mib(end[key])} (${signedMib(end[key] - start[key])})`,
    `${mib(settled[key])} (${signedMib(settled[key] - start[key])})`,
  ];
  const perCheckout = (m: Memory) => Math.round((m.heapUsed - start.heapUsed) / load.requests);
  const body = [
    table(
      ['Kasir process (after a full GC)', 'start', `end of the ${seconds} s soak`, `${SETTLE_MS / 1000} s later, idle`],
      [memoryRow('RSS', 'rss'), memoryRow('heapTotal', 'heapTotal'), memoryRow('heapUsed', 'heapUsed')],
    ),
    '',
    table(
      ['requests', 'req/s (target)', 'p50', 'p99', 'errors (non-2xx + errors + timeouts)', 'zero errors'],
      [[load.requests, `${Math.round(load.rps)} (${rate})`, ms(load.p50, 2), ms(load.p99, 2), load.failures, verdict(load.failures === 0)]],
    ),
    '',
    `heapUsed per checkout: ${perCheckout(end)} bytes at the end, ${perCheckout(settled)} bytes once idle for ` +
      `${SETTLE_MS / 1000} s. Kasir keeps its state in a redis-server here (KASIR_STORE=redis://…, as several ` +
      'instances would), so what the process holds is its own: growth here would be a leak. With the memory ' +
      'store the process would also hold every order (90 days) and idempotency record (24 h) by design. ' +
      'A fresh Kasir process, set up as for the throughput runs, paced at half of its peak; it runs with ' +
      '--expose-gc and calls `gc()` before each reading.',
  ].join('\n');
  return { title: `Soak (${seconds} s at half of peak, Kasir on Node)`, body };
}
