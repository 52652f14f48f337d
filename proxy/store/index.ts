// The one place state lives: orders, their provider-reference index, idempotency records.
// Values are JSON. `add` is set-if-absent, the primitive that makes claims and de-duplication safe.
import { sleep } from '../lib/time';

export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  /** Sets the key only when it is absent; true when this call set it. */
  add(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix` (live ones only), for sweeps such as reconciliation. */
  keys(prefix: string): Promise<string[]>;
}

/**
 * Runs `fn` holding `key`: a set-if-absent claim that every process on the same store respects.
 * The claim's TTL frees it if a holder crashes, so it must outlast the longest `fn`. Waits up to
 * `waitMs` for another holder, then throws `busy()`.
 */
export async function withStoreLock<T>(
  store: Store,
  key: string,
  { ttlSeconds, waitMs, busy }: { ttlSeconds: number; waitMs: number; busy: () => Error },
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  while (!(await store.add(key, 1, { ttlSeconds }))) {
    if (Date.now() - started > waitMs) throw busy();
    await sleep(LOCK_POLL_MS);
  }
  try {
    return await fn();
  } finally {
    await store.delete(key);
  }
}

const LOCK_POLL_MS = 20;
const SWEEP_EVERY = 1000;

export function createMemoryStore(now: () => number = Date.now): Store {
  const data = new Map<string, { json: string; expiresAt?: number }>();
  const live = (key: string) => {
    const entry = data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  // Expired keys are dropped when read, and swept every SWEEP_EVERY writes so that keys nobody
  // reads again (idempotency records, finished locks) do not pile up in a long-running process.
  let writes = 0;
  const sweep = () => {
    const t = now();
    for (const [key, entry] of data) if (entry.expiresAt !== undefined && entry.expiresAt <= t) data.delete(key);
  };
  const put = (key: string, value: unknown, ttlSeconds?: number) => {
    if (++writes % SWEEP_EVERY === 0) sweep();
    data.set(key, { json: JSON.stringify(value), expiresAt: ttlSeconds ? now() + ttlSeconds * 1000 : undefined });
  };
  return {
    async get<T>(key: string) {
      const entry = live(key);
      return entry ? (JSON.parse(entry.json) as T) : undefined;
    },
    async set(key, value, options) {
      put(key, value, options?.ttlSeconds);
    },
    async add(key, value, options) {
      if (live(key)) return false;
      put(key, value, options?.ttlSeconds);
      return true;
    },
    async delete(key) {
      data.delete(key);
    },
    async keys(prefix) {
      return [...data.keys()].filter((key) => key.startsWith(prefix) && live(key));
    },
  };
}
