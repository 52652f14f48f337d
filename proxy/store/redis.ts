// The Store on Redis (`KASIR_STORE=redis://…` or `rediss://…`), for several proxy instances: every
// instance sees the same orders, idempotency records and claims. Node-only (ioredis speaks TCP).
// `add` is SET NX, so a claim is atomic across instances; expiry is Redis's own.
import { Redis } from 'ioredis';
import type { Logger } from '../lib/log';
import { type Store, StoreUnavailableError } from '.';

const KEY_PREFIX = 'kasir:';
/** While Redis is unreachable a request fails within about a second, rather than queueing for long. */
const MAX_RETRIES_PER_REQUEST = 2;
const RECONNECT_MAX_MS = 500;
/** A command on a connection that stopped answering (not closed) fails after this, instead of waiting forever. */
const COMMAND_TIMEOUT_MS = 2_000;
// Atomic in Redis: the counter gets its expiry only when this increment created it.
const INCREMENT_SCRIPT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";
const SCAN_COUNT = 500;

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

export function createRedisStore(url: string, log: Logger): Store & { close: () => Promise<void> } {
  const redis = new Redis(url, {
    keyPrefix: KEY_PREFIX,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 50, RECONNECT_MAX_MS),
  });
  // ioredis reconnects by itself and emits an error per failed attempt: one line per outage, with
  // the error code only (the URL may hold a password; without a listener ioredis prints stacks).
  let down = false;
  redis.on('ready', () => (down = false));
  redis.on('error', (err: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    log.error('store_unreachable', { store: 'redis', code: err.code ?? err.name });
  });
  // Every failure of Redis itself becomes one error the app answers with 503 store_unavailable.
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw new StoreUnavailableError((err as NodeJS.ErrnoException).code ?? (err as Error).name ?? 'error');
    }
  };
  const store: Store = {
    async get<T>(key: string) {
      const json = await redis.get(key);
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    async set(key, value, options) {
      const json = JSON.stringify(value);
      await (options?.ttlSeconds ? redis.set(key, json, 'EX', options.ttlSeconds) : redis.set(key, json));
    },
    async add(key, value, options) {
      const json = JSON.stringify(value);
      const reply = options?.ttlSeconds ? await redis.set(key, json, 'EX', options.ttlSeconds, 'NX') : await redis.set(key, json, 'NX');
      return reply === 'OK';
    },
    async increment(key, { ttlSeconds }) {
      return (await redis.eval(INCREMENT_SCRIPT, 1, key, ttlSeconds * 1000)) as number;
    },
    async delete(key) {
      await redis.del(key);
    },
    // SCAN walks the keyspace in steps, never blocking Redis as KEYS would; it may repeat a key.
    // ioredis does not apply keyPrefix to a MATCH pattern, nor strip it from the keys returned.
    async keys(prefix) {
      const found = new Set<string>();
      const match = `${escapeGlob(KEY_PREFIX + prefix)}*`;
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT);
        for (const key of batch) found.add(key.slice(KEY_PREFIX.length));
        cursor = next;
      } while (cursor !== '0');
      return [...found];
    },
  };
  const methods = Object.fromEntries(
    Object.entries(store).map(([name, method]) => [name, (...args: unknown[]) => guarded(() => (method as (...a: unknown[]) => Promise<unknown>)(...args))]),
  ) as unknown as Store;
  return {
    ...methods,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
