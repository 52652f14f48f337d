// Creates per client per minute. Counted in this instance's memory: several instances each allow
// the limit (a cap on abuse per instance, not an exact global quota).
import type { Context, MiddlewareHandler } from 'hono';
import { KasirError } from './errors';

export function createRateLimit({ limit, windowMs = 60_000, now = Date.now, clientKey }: {
  limit: number;
  windowMs?: number;
  now?: () => number;
  clientKey: (c: Context) => string;
}): MiddlewareHandler {
  const hits = new Map<string, number[]>();
  let sweptAt = now();
  return async function rateLimit(c, next) {
    if (limit <= 0 || c.req.method !== 'POST') return next();
    const t = now();
    if (t - sweptAt > windowMs) {
      for (const [key, times] of hits) if (times[times.length - 1]! <= t - windowMs) hits.delete(key);
      sweptAt = t;
    }
    const key = clientKey(c);
    const recent = (hits.get(key) ?? []).filter((at) => at > t - windowMs);
    if (recent.length >= limit) {
      c.header('Retry-After', String(Math.ceil((recent[0]! + windowMs - t) / 1000)));
      throw new KasirError(429, 'rate_limited', 'Too many checkouts from this client; try again shortly.');
    }
    recent.push(t);
    hits.set(key, recent);
    return next();
  };
}
