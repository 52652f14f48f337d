// The proxy load benchmarks' two halves: the servers, each in its own process (load-server.ts),
// and the load, autocannon from this process with a new Idempotency-Key on every request.
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { quantile, within } from './report';

export type ServerKind = 'stub' | 'kasir' | 'hono' | 'node';
export type ServerMessage = { type: 'ready' } | { type: 'memory'; rss: number; heapTotal: number; heapUsed: number };
export type ControlMessage = 'memory' | 'stop';
export type Memory = Omit<Extract<ServerMessage, { type: 'memory' }>, 'type'>;

export const STUB_CREATE_PATH = '/winpay/api/create';
export const BENCH_ORIGIN = 'https://shop.example';
/** Kasir's deadline of one provider call (the default, set explicitly so the soak can wait it out). */
export const PROVIDER_TIMEOUT_MS = 8_000;
export const CHECKOUT_BODY = JSON.stringify({
  provider: 'winpay',
  items: [{ sku: 'tee-m', qty: 1 }, { sku: 'mug', qty: 2 }],
  customer: { name: 'Siti Rahma', email: 'siti@example.com', phone: '081234567890' },
  returnUrl: `${BENCH_ORIGIN}/thanks`,
});

const SERVER_ENTRY = fileURLToPath(new URL('load-server.ts', import.meta.url));
const MESSAGE_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_S = 10;

export interface LoadServer {
  url: string;
  /** The server process's memory right after a full GC. */
  memory(): Promise<Memory>;
  stop(): Promise<void>;
}

function nextMessage<T extends ServerMessage['type']>(child: ChildProcess, type: T, what: string) {
  let cleanup = () => {};
  const message = new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
    const onMessage = (m: ServerMessage) => m.type === type && resolve(m as Extract<ServerMessage, { type: T }>);
    const onExit = (code: number | null) => reject(new Error(`${what} exited (code ${code})`));
    child.on('message', onMessage);
    child.on('exit', onExit);
    cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
  });
  return within(message, MESSAGE_TIMEOUT_MS, what).finally(() => cleanup());
}

/** Forks one server on 127.0.0.1:`port` and waits until it listens. `execArgv` adds Node flags (e.g. --cpu-prof); `store` is Kasir's KASIR_STORE. */
export async function startLoadServer(
  kind: ServerKind,
  port: number,
  options: { stubUrl?: string; execArgv?: string[]; store?: string } = {},
): Promise<LoadServer> {
  const child = fork(SERVER_ENTRY, [kind, String(port), options.stubUrl ?? '', options.store ?? 'memory'], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (message: ControlMessage) => child.send(message);
  try {
    await nextMessage(child, 'ready', `${kind} server`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async memory() {
      const reply = nextMessage(child, 'memory', `${kind} server`);
      send('memory');
      const { type: _type, ...memory } = await reply;
      return memory;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send('stop');
      await within(exited, STOP_TIMEOUT_MS, `${kind} server stop`).catch(() => {
        child.kill('SIGKILL');
        return exited;
      });
    },
  };
}

export interface LoadResult {
  /** Requests per second, autocannon's per-second average. */
  rps: number;
  requests: number;
  /** Latency percentiles in ms, from every response's own timing (autocannon's histogram rounds to 1 ms). */
  p50: number;
  p99: number;
  /** non-2xx + connection errors + timeouts */
  failures: number;
}

/**
 * autocannon paces a rate as a per-second quota per connection, sent back to back when each second
 * starts: one paced instance loads the server in bursts, not at the rate. So a rate is split over
 * PACED_INSTANCES one-connection instances started evenly across a second.
 */
export const PACED_INSTANCES = 25;

function launch(url: string, connections: number, seconds: number, rate: number | undefined, latencies: number[]) {
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    overallRate: rate,
    timeout: REQUEST_TIMEOUT_S,
    requests: [
      {
        method: 'POST',
        path: '/v1/checkouts',
        headers: { 'content-type': 'application/json', origin: BENCH_ORIGIN },
        body: CHECKOUT_BODY,
        setupRequest(request) {
          request.headers = { ...request.headers, 'idempotency-key': randomUUID() };
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  return instance;
}

/** POST /v1/checkouts for `seconds`: closed loop over `connections`, or paced at `rate` requests per second. */
export async function fireCheckouts(url: string, options: { seconds: number; connections?: number; rate?: number }): Promise<LoadResult> {
  const { seconds, rate } = options;
  const latencies: number[] = [];
  // At most one instance per request a second: an overallRate of 0 would mean no limit at all.
  const instances = Math.min(PACED_INSTANCES, rate ?? 0);
  const results = await Promise.all(
    rate === undefined
      ? [launch(url, options.connections ?? 1, seconds, undefined, latencies)]
      : Array.from({ length: instances }, (_, i) => {
          const share = Math.floor(rate / instances) + (i < rate % instances ? 1 : 0);
          return delay((i * 1000) / instances).then(() => launch(url, 1, seconds, share, latencies));
        }),
  );
  const sum = (pick: (r: (typeof results)[number]) => number) => results.reduce((n, r) => n + pick(r), 0);
  return {
    rps: sum((r) => r.requests.average),
    requests: sum((r) => r.requests.total),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    failures: sum((r) => r.non2xx + r.errors + r.timeouts),
  };
}

/** One checkout through `url`, so a run that would measure only errors stops before it starts. */
export async function checkOneCheckout(url: string): Promise<void> {
  const res = await fetch(`${url}/v1/checkouts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BENCH_ORIGIN, 'idempotency-key': randomUUID() },
    body: CHECKOUT_BODY,
    signal: AbortSignal.timeout(MESSAGE_TIMEOUT_MS),
  });
  const body = (await res.json()) as { paymentUrl?: string; responseData?: { redirect_url?: string } };
  if (res.status !== 201 || !(body.paymentUrl ?? body.responseData?.redirect_url)) {
    throw new Error(`${url}/v1/checkouts answered ${res.status}, not a created payment`);
  }
}
