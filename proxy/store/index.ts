// The one place state lives: orders, their provider-reference index, idempotency records.
// Values are JSON. `add` is set-if-absent, the primitive that makes claims and de-duplication safe;
// `increment` is an atomic counter, so limits hold across every instance on one store.
import { sleep } from '../lib/time';

export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  /** Sets the key only when it is absent; true when this call set it. */
  add(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<boolean>;
  /**
   * Adds one to the counter at `key` and returns the new count (1 when it was absent or expired).
   * The counter expires `ttlSeconds` after it was created; later increments do not extend it.
   */
  increment(key: string, options: { ttlSeconds: number }): Promise<number>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix` (live ones only), for sweeps such as reconciliation. */
  keys(prefix: string): Promise<string[]>;
}

/** The store could not be reached or did not answer in time: the request may be retried (503). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(readonly code: string) {
    super(`store unavailable (${code})`);
  }
}

/** A lease is this long; its holder renews it every third of it, so a crashed holder's lapses within seconds. */
export const LEASE_SECONDS = 5;
const LOCK_POLL_MS = 20;

/**
 * Takes `key` as a short lease that every process on the same store respects, renewed while held.
 * Resolves to its release, or to undefined when another holder kept it for `waitMs`.
 */
export async function acquireLease(store: Store, key: string, { waitMs }: { waitMs: number }): Promise<(() => Promise<void>) | undefined> {
  const token = crypto.randomUUID();
  const started = Date.now();
  while (!(await store.add(key, token, { ttlSeconds: LEASE_SECONDS }))) {
    if (Date.now() - started >= waitMs) return undefined;
    await sleep(LOCK_POLL_MS);
  }
  // Renewed only while it is still ours: after a stall longer than the lease, another holder may have
  // it, and overwriting theirs would make two holders.
  let heldSince = Date.now();
  const renew = async () => {
    const at = Date.now();
    if ((await store.get(key).catch(() => undefined)) !== token) return;
    await store.set(key, token, { ttlSeconds: LEASE_SECONDS }).then(() => (heldSince = at), () => {});
  };
  const timer = setInterval(() => void renew(), (LEASE_SECONDS * 1000) / 3);
  (timer as { unref?: () => void }).unref?.();
  return async function release() {
    clearInterval(timer);
    // Surely still ours while well inside the lease: deleted at once. Later, only if it still is.
    if (Date.now() - heldSince < (LEASE_SECONDS * 1000) / 2 || (await store.get(key)) === token) await store.delete(key);
  };
}

/**
 * Runs `fn` holding `key` (a lease, see acquireLease). Waits up to `waitMs` for another holder,
 * then throws `busy()`.
 */
export async function withStoreLock<T>(store: Store, key: string, { waitMs, busy }: { waitMs: number; busy: () => Error }, fn: () => Promise<T>): Promise<T> {
  const release = await acquireLease(store, key, { waitMs });
  if (!release) throw busy();
  try {
    return await fn();
  } finally {
    await release();
  }
}

const SWEEP_EVERY = 1000;
/** The memory store keeps at most this many keys; past it the oldest written goes. */
export const MEMORY_STORE_MAX_KEYS = 100_000;

export function createMemoryStore(now: () => number = Date.now, { maxKeys = MEMORY_STORE_MAX_KEYS } = {}): Store {
  // A Map iterates in insertion order, and every write re-inserts: the first keys are the oldest written.
  const data = new Map<string, { json: string; expiresAt?: number }>();
  const live = (key: string) => {
    const entry = data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  // Expired keys are dropped when read, and swept so that keys nobody reads again (idempotency
  // records, finished locks) do not pile up in a long-running process: after SWEEP_EVERY writes, or
  // as many writes as there are keys if more, so that no write pays for more than one key's check.
  let writes = 0;
  const sweep = () => {
    const t = now();
    for (const [key, entry] of data) if (entry.expiresAt !== undefined && entry.expiresAt <= t) data.delete(key);
  };
  const put = (key: string, json: string, expiresAt: number | undefined) => {
    if (++writes >= Math.max(SWEEP_EVERY, data.size)) {
      writes = 0;
      sweep();
    }
    data.delete(key);
    data.set(key, { json, expiresAt });
    // A bound, so a flood of checkouts cannot grow a process without end: the memory store is for
    // one small instance; a shop with more state uses fs: or redis://.
    // Past the bound the oldest tenth goes at once, in one pass. Dropping one key per write costs
    // more with every write: a Map walks its deleted slots from the front again each time until it
    // compacts (30–60 µs a write at 100,000 keys, `scripts/bench` throughput rounds slowing as
    // they went). Expired keys go in the periodic sweep.
    if (data.size > maxKeys) {
      let excess = data.size - maxKeys + Math.ceil(maxKeys / 10) - 1;
      for (const oldest of data.keys()) {
        if (excess-- <= 0) break;
        data.delete(oldest);
      }
    }
  };
  const expiry = (ttlSeconds?: number) => (ttlSeconds ? now() + ttlSeconds * 1000 : undefined);
  return {
    async get<T>(key: string) {
      const entry = live(key);
      return entry ? (JSON.parse(entry.json) as T) : undefined;
    },
    async set(key, value, options) {
      put(key, JSON.stringify(value), expiry(options?.ttlSeconds));
    },
    async add(key, value, options) {
      if (live(key)) return false;
      put(key, JSON.stringify(value), expiry(options?.ttlSeconds));
      return true;
    },
    async increment(key, { ttlSeconds }) {
      const entry = live(key);
      const count = entry ? (JSON.parse(entry.json) as number) + 1 : 1;
      put(key, JSON.stringify(count), entry ? entry.expiresAt : expiry(ttlSeconds));
      return count;
    },
    async delete(key) {
      data.delete(key);
    },
    async keys(prefix) {
      return [...data.keys()].filter((key) => key.startsWith(prefix) && live(key));
    },
  };
}
