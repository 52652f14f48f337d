// Shared set-up for proxy tests: a configuration, and an app whose outgoing calls to its own
// public URL (provider calls to the simulators, simulators' notices back) stay in-process.
import type { AppDeps } from '../../proxy/app';
import { createApp } from '../../proxy/app';
import { type Env, loadConfig } from '../../proxy/lib/config';
import type { FetchLike } from '../../proxy/lib/http';
import { createMemoryLogger } from '../../proxy/lib/log';
import { createMemoryStore } from '../../proxy/lib/store';

export const PUBLIC_URL = 'http://kasir.test';
export const SHOP = 'https://shop.test';

export const TEST_CATALOG = {
  items: [
    { sku: 'tee-m', name: 'T-shirt M', price: { IDR: 150000, UAH: 39900 } },
    { sku: 'mug', name: 'Mug', price: { IDR: 45000, UAH: 12000 } },
    { sku: 'idr-only', name: 'Rupiah only', price: { IDR: 10000 } },
  ],
};

export function testConfig(env: Env = {}) {
  return loadConfig(
    {
      KASIR_CATALOG: 'catalog.json',
      KASIR_SANDBOX: '1',
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
