// The Store on Cloudflare Workers: a Durable Object. Workers KV is eventually consistent and has no
// set-if-absent, so two isolates could both claim one Idempotency-Key or lock, or read an order
// that another just changed. A Durable Object is one single-threaded instance in the world with
// strongly consistent storage, so `add` is atomic and every read sees the last write.
//
// One object (KASIR_STORE_DO, name "kasir") holds every key in a SQLite table. Expired rows are
// invisible at once (every read compares `expires_at` with the clock) and an alarm deletes them
// in batches. One object serves on the order of a thousand small operations a second, which is
// hundreds of checkouts a minute with room to spare.
import * as v from 'valibot';
import type { Store } from '.';

// The subset of the Workers runtime types used here (the project carries no @cloudflare/workers-types).
interface SqlStorage {
  exec<T extends Record<string, string | number | null>>(query: string, ...bindings: (string | number | null)[]): { toArray(): T[] };
}
export interface DurableObjectState {
  storage: {
    sql: SqlStorage;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number): Promise<void>;
  };
}
export interface DurableObjectNamespace {
  getByName(name: string): { fetch(request: Request): Promise<Response> };
}

const OBJECT_NAME = 'kasir';
// The object is reached only through its binding; the host is a placeholder the runtime requires.
const OBJECT_URL = 'https://store.kasir.internal/';
/** Expired rows are deleted at most this late, so one alarm clears many expiries at once. */
const SWEEP_BATCH_MS = 60_000;

const CommandSchema = v.variant('op', [
  v.object({ op: v.picklist(['get', 'delete']), key: v.string() }),
  v.object({ op: v.picklist(['set', 'add']), key: v.string(), json: v.string(), ttlSeconds: v.optional(v.number()) }),
  v.object({ op: v.literal('keys'), prefix: v.string() }),
  v.object({ op: v.literal('increment'), key: v.string(), ttlSeconds: v.number() }),
]);
type Command = v.InferOutput<typeof CommandSchema>;

/** The Durable Object class; wrangler.jsonc binds it as KASIR_STORE_DO (SQLite-backed). */
export class KasirStoreObject {
  private readonly sql: SqlStorage;

  constructor(private readonly state: DurableObjectState) {
    this.sql = state.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, json TEXT NOT NULL, expires_at INTEGER)');
    this.sql.exec('CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (expires_at) WHERE expires_at IS NOT NULL');
  }

  private live(key: string, now: number) {
    return this.sql.exec<{ json: string }>('SELECT json FROM entries WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)', key, now).toArray()[0];
  }

  private put(key: string, json: string, expiresAt: number | null) {
    this.sql.exec(
      'INSERT INTO entries (key, json, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json, expires_at = excluded.expires_at',
      key,
      json,
      expiresAt,
    );
  }

  private async scheduleSweep(expiresAt: number) {
    const at = await this.state.storage.getAlarm();
    if (at === null || at > expiresAt + SWEEP_BATCH_MS) await this.state.storage.setAlarm(expiresAt + SWEEP_BATCH_MS);
  }

  // Each command runs its SQL synchronously: nothing else can run between a read and its write,
  // which is what makes `add` atomic.
  private async run(command: Command, now: number): Promise<unknown> {
    switch (command.op) {
      case 'get':
        return { json: this.live(command.key, now)?.json ?? null };
      case 'delete':
        this.sql.exec('DELETE FROM entries WHERE key = ?', command.key);
        return {};
      case 'keys': {
        // A range on the primary key: every string that starts with the prefix sorts inside it.
        const rows = this.sql.exec<{ key: string }>(
          'SELECT key FROM entries WHERE key >= ?1 AND key < ?1 || char(1114111) AND (expires_at IS NULL OR expires_at > ?2)',
          command.prefix,
          now,
        );
        return { keys: rows.toArray().map((row) => row.key) };
      }
      case 'increment': {
        const row = this.sql
          .exec<{ json: string; expires_at: number | null }>('SELECT json, expires_at FROM entries WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)', command.key, now)
          .toArray()[0];
        const count = row ? Number(JSON.parse(row.json)) + 1 : 1;
        const expiresAt = row ? row.expires_at : now + command.ttlSeconds * 1000;
        this.put(command.key, String(count), expiresAt);
        if (!row && expiresAt !== null) await this.scheduleSweep(expiresAt);
        return { count };
      }
      case 'set':
      case 'add': {
        if (command.op === 'add' && this.live(command.key, now)) return { added: false };
        const expiresAt = command.ttlSeconds ? now + command.ttlSeconds * 1000 : null;
        this.put(command.key, command.json, expiresAt);
        if (expiresAt !== null) await this.scheduleSweep(expiresAt);
        return { added: true };
      }
    }
  }

  async fetch(request: Request): Promise<Response> {
    const command = v.safeParse(CommandSchema, await request.json().catch(() => undefined));
    if (!command.success) return Response.json({ error: 'bad_command' }, { status: 400 });
    return Response.json(await this.run(command.output, Date.now()));
  }

  async alarm() {
    const now = Date.now();
    this.sql.exec('DELETE FROM entries WHERE expires_at <= ?', now);
    const [next] = this.sql.exec<{ at: number | null }>('SELECT MIN(expires_at) AS at FROM entries').toArray();
    if (next?.at != null) await this.state.storage.setAlarm(next.at + SWEEP_BATCH_MS);
  }
}

/** The Store client of the object: one small JSON command per call. */
export function createDurableObjectStore(namespace: DurableObjectNamespace): Store {
  async function send<T>(command: Command): Promise<T> {
    // A stub per call: stubs belong to the request that made them, and this client outlives requests.
    const res = await namespace.getByName(OBJECT_NAME).fetch(new Request(OBJECT_URL, { method: 'POST', body: JSON.stringify(command) }));
    if (!res.ok) throw new Error(`store object answered ${res.status}`);
    return (await res.json()) as T;
  }

  return {
    async get<T>(key: string) {
      const { json } = await send<{ json: string | null }>({ op: 'get', key });
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    async set(key, value, options) {
      await send({ op: 'set', key, json: JSON.stringify(value), ttlSeconds: options?.ttlSeconds });
    },
    async add(key, value, options) {
      return (await send<{ added: boolean }>({ op: 'add', key, json: JSON.stringify(value), ttlSeconds: options?.ttlSeconds })).added;
    },
    async increment(key, { ttlSeconds }) {
      return (await send<{ count: number }>({ op: 'increment', key, ttlSeconds })).count;
    },
    async delete(key) {
      await send({ op: 'delete', key });
    },
    async keys(prefix) {
      return (await send<{ keys: string[] }>({ op: 'keys', prefix })).keys;
    },
  };
}
