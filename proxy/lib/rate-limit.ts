// Creates per client per minute, counted in the Store: every instance on one store (several Node
// processes on Redis, every isolate on the Durable Object) shares one count per client. A fixed
// one-minute window per client, so one counter key per client and minute, which expires by itself.
import type { Context, MiddlewareHandler } from 'hono';
import type { Store } from '../store';
import { KasirError } from './errors';

export function createRateLimit({ store, limit, windowMs = 60_000, now = Date.now, clientKey }: {
  store: Store;
  limit: number;
  windowMs?: number;
  now?: () => number;
  clientKey: (c: Context) => string;
}): MiddlewareHandler {
  return async function rateLimit(c, next) {
    if (limit <= 0 || c.req.method !== 'POST') return next();
    const t = now();
    const window = Math.floor(t / windowMs);
    const count = await store.increment(`rate:${clientKey(c)}:${window}`, { ttlSeconds: Math.ceil(windowMs / 1000) + 1 });
    if (count > limit) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(((window + 1) * windowMs - t) / 1000))));
      throw new KasirError(429, 'rate_limited', 'Too many checkouts from this client; try again shortly.');
    }
    return next();
  };
}
