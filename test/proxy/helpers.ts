// Shared set-up for proxy tests: a configuration, and an app whose outgoing calls to its own
// public URL (provider calls to the simulators, simulators' notices back) stay in-process; and what
// every provider's tests use: an order, a provider context, and the checks on errors.
import assert from 'node:assert/strict';
import { createApp } from '../../proxy/app';
import type { AppDeps } from '../../proxy/services';
import { type Env, loadConfig, PROVIDER_ENV } from '../../proxy/lib/config';
import type { ProviderId } from '../../proxy/lib/contract';
import { KasirError } from '../../proxy/lib/errors';
import type { FetchLike } from '../../proxy/lib/http';
import { createMemoryLogger } from '../../proxy/lib/log';
import { createMemoryStore } from '../../proxy/store';
import type { Order } from '../../proxy/orders/order';
import type { ProviderContext } from '../../proxy/providers/types';

export const PUBLIC_URL = 'http://kasir.test';
export const SHOP = 'https://shop.test';

export const TEST_CATALOG = {
  items: [
    { sku: 'tee-m', name: 'T-shirt M', price: { IDR: 150000, UAH: 39900 } },
    { sku: 'mug', name: 'Mug', price: { IDR: 45000, UAH: 12000 } },
    { sku: 'idr-only', name: 'Rupiah only', price: { IDR: 10000 } },
  ],
};

/** Any provider credential in `env`: then the test is about a real provider (a stub), and the sandbox is off. */
const hasCredentials = (env: Env) => Object.values(PROVIDER_ENV).some((spec) => Object.values(spec.fields).some((name) => env[name] !== undefined));

export function testConfig(env: Env = {}) {
  return loadConfig(
    {
      KASIR_CATALOG: 'catalog.json',
      KASIR_SANDBOX: hasCredentials(env) ? '0' : '1',
      KASIR_PUBLIC_URL: PUBLIC_URL,
      KASIR_RETURN_URLS: `${SHOP}/`,
      KASIR_ALLOWED_ORIGINS: SHOP,
      ...env,
    },
    () => JSON.stringify(TEST_CATALOG),
  );
}

/**
 * An app on the test configuration. `outside` answers calls to any other host (a provider stub);
 * without it such calls fail as unreachable.
 */
export function createTestApp(env: Env = {}, deps: AppDeps & { outside?: FetchLike } = {}) {
  const log = createMemoryLogger();
  const store = deps.store ?? createMemoryStore();
  const config = testConfig(env);
  const calls: Request[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    calls.push(request.clone());
    if (request.url.startsWith(PUBLIC_URL)) return app.fetch(request);
    if (deps.outside) return deps.outside(request, { signal: init?.signal });
    throw new TypeError('fetch failed');
  };
  const app = createApp(config, { log, store, fetch, ...deps });
  return { app, config, log, store, calls };
}

export const CUSTOMER = { name: 'Siti Rahma', email: 'siti@example.com', phone: '081234567890' };

export function postCheckout(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, body: unknown, key: string = crypto.randomUUID()) {
  return app.request('/v1/checkouts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Origin: SHOP },
    body: JSON.stringify(body),
  });
}

/** The status GET /v1/checkouts/:id reads for a checkout. */
export async function statusOf(app: { request: (path: string) => Response | Promise<Response> }, id: string) {
  return ((await (await app.request(`/v1/checkouts/${id}`)).json()) as { status: string }).status;
}

/** Follows a pay-page form: posts the named action of a simulator's hosted page. */
export async function pressPayPageButton(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, paymentUrl: string, name: string) {
  const page = await (await app.request(paymentUrl)).text();
  const action = new RegExp(`<form method="post" action="([^"]+)"><button type="submit" name="${name}"`).exec(page)?.[1];
  if (!action) throw new Error(`no ${name} button on the pay page`);
  return app.request(action.replaceAll('&amp;', '&'), { method: 'POST' });
}

/** A fetch that never answers until aborted (it holds the event loop open, as a real socket would). */
export const hangingFetch: FetchLike = (input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const socket = setInterval(() => {}, 1000);
    signal?.addEventListener('abort', () => {
      clearInterval(socket);
      reject(signal.reason);
    });
  });

/** An order as the proxy keeps it, before its payment exists: two T-shirts and a mug, in rupiah. */
export function testOrder(provider: ProviderId, over: Partial<Order> = {}): Order {
  return {
    id: 'ord_ABCdef1234567890XYZabc',
    provider,
    status: 'pending',
    amount: 345000,
    currency: 'IDR',
    lines: [
      { sku: 'tee-m', name: 'T-shirt M', qty: 2, price: 150000 },
      { sku: 'mug', name: 'Mug', qty: 1, price: 45000 },
    ],
    customer: { name: 'Delina Prasetya', email: 'delina@example.com', phone: '082342341' },
    returnUrl: 'https://shop.test/thanks?kasir_order=ord_ABCdef1234567890XYZabc',
    createdAt: '2023-10-25T07:12:14.000Z',
    providerRef: 'ordABCdef1234567890XYZabc',
    ...over,
  };
}

/**
 * Contexts for calling `provider` directly: its notice URL, a fresh memory log and a 1 s deadline
 * unless given, and a clock stopped at `now` unless another is given.
 */
export function providerContexts(provider: ProviderId, now: Date) {
  return function ctxWith(fetch: FetchLike, options: { timeoutMs?: number; now?: () => Date; log?: ReturnType<typeof createMemoryLogger> } = {}) {
    const { timeoutMs = 1000, log = createMemoryLogger() } = options;
    return { fetch, now: options.now ?? (() => now), log, notifyUrl: `https://kasir.test/v1/notify/${provider}`, timeoutMs } satisfies ProviderContext;
  };
}

/** `status code` of the KasirError the promise rejects with; anything else fails the test. */
export async function errorCode(promise: Promise<unknown>) {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof KasirError, `expected a KasirError, got ${String(err)}`);
  return `${err.status} ${err.code}`;
}

/** 'ok' when `run` returns, else the code of the KasirError it throws; anything else fails the test. */
export function thrownCode(run: () => unknown) {
  try {
    run();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof KasirError, `expected a KasirError, got ${String(err)}`);
    return err.code;
  }
}

/**
 * Posts `checkout` once per case to an app on `env` whose provider is the case's stub (`outside`):
 * the answer has the case's status and error code, and neither it nor the log holds what `leak` matches.
 */
export async function assertProviderFailures(env: Env, checkout: object, leak: RegExp, cases: [name: string, outside: FetchLike, status: number, code: string][]) {
  for (const [name, outside, status, code] of cases) {
    const { app, log } = createTestApp(env, { outside });
    const res = await postCheckout(app, checkout);
    const text = await res.text();
    assert.equal(res.status, status, name);
    assert.equal(JSON.parse(text).error.code, code, name);
    assert.doesNotMatch(text, leak, name);
    assert.doesNotMatch(log.lines.join('\n'), leak, name);
  }
}

/** A provider context whose calls go to a test app in-process (its simulators), for calling a provider directly. */
export function appContext(t: ReturnType<typeof createTestApp>): ProviderContext {
  return {
    fetch: async (input, init) => t.app.request(new Request(input, init)),
    now: () => new Date(),
    log: t.log,
    notifyUrl: `${PUBLIC_URL}/v1/notify`,
    timeoutMs: 1000,
  };
}
