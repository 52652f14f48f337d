// The one place state lives: orders, their provider-reference index, idempotency records.
// Values are JSON. `add` is set-if-absent, the primitive that makes claims and de-duplication safe.
export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  /** Sets the key only when it is absent; true when this call set it. */
  add(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix` (live ones only), for sweeps such as reconciliation. */
  keys(prefix: string): Promise<string[]>;
}

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
  const put = (key: string, value: unknown, ttlSeconds?: number) =>
    data.set(key, { json: JSON.stringify(value), expiresAt: ttlSeconds ? now() + ttlSeconds * 1000 : undefined });
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
