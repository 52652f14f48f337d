// Idempotency keys as payment APIs define them: one key, one body, one outcome. The same key with
// the same body replays the stored response; with another body it is refused. A key whose first
// attempt failed keeps its order (and so its provider reference), so the retry cannot create a
// second payable invoice under a new reference.
import { KasirError } from '../lib/errors';
import { acquireLease, type Store } from '../store';
import { sleep } from '../lib/time';

const RECORD_TTL_SECONDS = 24 * 60 * 60;
const POLL_MS = 25;

interface IdempotencyRecord {
  hash: string;
  orderId: string;
  response?: { status: number; body: unknown };
}

export type IdempotencyStart =
  | { kind: 'replay'; status: number; body: unknown }
  /** `resumed`: an earlier attempt under this key got as far as naming its order (which may exist). */
  | { kind: 'proceed'; orderId: string; resumed: boolean; finish: (status: number, body: unknown) => Promise<void>; abandon: () => Promise<void> };

/** `waitMs`: how long a request waits for an identical one in flight before answering 409. */
export function createIdempotency(store: Store, { waitMs = 10_000 } = {}) {
  const recordKey = (key: string) => `idem:${key}`;
  const lockKey = (key: string) => `idem-lock:${key}`;

  async function settled(key: string, hash: string): Promise<IdempotencyRecord | undefined> {
    const record = await store.get<IdempotencyRecord>(recordKey(key));
    if (record && record.hash !== hash) {
      throw new KasirError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
    }
    return record;
  }

  return {
    async start(key: string, hash: string, newOrderId: () => string): Promise<IdempotencyStart> {
      // Identical requests in flight wait for the first one and replay its answer.
      // The claim is a short lease renewed while the request runs, so one left by a crashed process
      // is taken over within seconds.
      const started = Date.now();
      let release = await acquireLease(store, lockKey(key), { waitMs: 0 });
      while (!release) {
        const before = await settled(key, hash);
        if (before?.response) return { kind: 'replay', ...before.response };
        if (Date.now() - started > waitMs) {
          throw new KasirError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
        }
        await sleep(POLL_MS);
        release = await acquireLease(store, lockKey(key), { waitMs: 0 });
      }
      const held = release;
      const record = await settled(key, hash).catch(async (err) => {
        await held();
        throw err;
      });
      if (record?.response) {
        await held();
        return { kind: 'replay', ...record.response };
      }
      const current: IdempotencyRecord = record ?? { hash, orderId: newOrderId() };
      await store.set(recordKey(key), current, { ttlSeconds: RECORD_TTL_SECONDS });
      return {
        kind: 'proceed',
        orderId: current.orderId,
        resumed: record !== undefined,
        async finish(status, body) {
          await store.set(recordKey(key), { ...current, response: { status, body } }, { ttlSeconds: RECORD_TTL_SECONDS });
          await held();
        },
        abandon: held,
      };
    },
  };
}
export type Idempotency = ReturnType<typeof createIdempotency>;
