// 4. Soak: a fresh Kasir process held at half of its peak; its memory after a full GC before, right
// after, and once every provider-call deadline of the run has passed; every request that did not
// come back 2xx.
import { setTimeout as delay } from 'node:timers/promises';
import { checkOneCheckout, fireCheckouts, type LoadResult, type Memory, PROVIDER_TIMEOUT_MS, startLoadServer } from './load-servers';
import { KASIR_PORT, STUB_PORT } from './proxy-throughput';
import { type BenchSection, ms, table, verdict } from './report';

const SETTLE_MS = PROVIDER_TIMEOUT_MS + 1_000;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${mib(Math.abs(bytes))}`;

interface Soaked {
  start: Memory;
  end: Memory;
  settled: Memory;
  load: LoadResult;
}

async function soak(seconds: number, rate: number): Promise<Soaked> {
  const stub = await startLoadServer('stub', STUB_PORT);
  try {
    const kasir = await startLoadServer('kasir', KASIR_PORT, { stubUrl: stub.url });
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
      `${SETTLE_MS / 1000} s. The idle reading comes after every provider call's ${PROVIDER_TIMEOUT_MS / 1000} s ` +
      'deadline has passed: what it frees was held by those pending deadline timers. What stays is retention ' +
      'by design: the memory store keeps every order and idempotency record for 24 h, the rate limiter a ' +
      'one-minute window per client. RSS grows by more than heapUsed: V8 keeps the heap it has grown into ' +
      '(heapTotal) and native memory is not handed back. A fresh Kasir process, set up as for the throughput runs, paced at half of ' +
      'its peak; it runs with --expose-gc and calls `gc()` before each reading.',
  ].join('\n');
  return { title: `Soak (${seconds} s at half of peak, Kasir on Node)`, body };
}
