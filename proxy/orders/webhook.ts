// Merchant webhooks: each order state change is POSTed to KASIR_WEBHOOK_URL, signed (Standard
// Webhooks, ../lib/standard-webhooks.ts), and retried with growing, jittered delays for a day. Deliveries live in the Store,
// not in memory, so a restart or an ended Worker isolate loses nothing; a scheduler calls
// deliverDue(). One index key lists what is pending and when, so a tick with nothing due is one read.
import type { CheckoutView, PaymentStatus } from '../lib/contract';
import { KasirError } from '../lib/errors';
import { type FetchLike, fetchJson } from '../lib/http';
import type { Logger } from '../lib/log';
import { toCheckoutView } from './repository';
import { sha256Hex } from '../lib/signing';
import { type Store, withStoreLock } from '../store';
import type { Order } from './order';
import { requireWebhookKey, standardWebhookHeaders } from '../lib/standard-webhooks';

export interface WebhookEvent {
  /** The same for the same order and status, however often it is enqueued: receivers de-duplicate on it. */
  id: string;
  type: `order.${PaymentStatus}`;
  /** Unix seconds. */
  created: number;
  data: CheckoutView;
}

interface Delivery {
  id: string;
  orderId: string;
  type: WebhookEvent['type'];
  /** The exact bytes sent on every attempt. */
  body: string;
  state: 'pending' | 'delivered' | 'abandoned';
  attempts: number;
  /** Epoch milliseconds. */
  createdAt: number;
  nextAttemptAt: number;
}

interface PendingEntry {
  id: string;
  /** Epoch milliseconds of the next attempt. */
  at: number;
}

const WEBHOOK_TIMEOUT_MS = 10_000;
const RETRY_BASE_MS = 30_000;
const RETRY_CAP_MS = 2 * 60 * 60 * 1000;
/** Each delay is scaled by a random factor in 1 ± this, so a merchant's outage does not end in a stampede. */
const RETRY_JITTER = 0.2;
/** The first attempt that fails this long after the event is the last: with the capped delay, give-up comes 24–26.4 h in. */
const RETRY_FOR_MS = 24 * 60 * 60 * 1000;
/** Finished deliveries are kept this long, so a repeated enqueue of the same change is not sent again. */
const DELIVERY_TTL_SECONDS = 7 * 24 * 60 * 60;
const MAX_PER_RUN = 25;
const INDEX_KEY = 'webhook:pending';
const INDEX_LOCK_KEY = 'webhook:pending-lock';
const INDEX_LOCK = { ttlSeconds: 10, waitMs: 2_000, busy: () => new Error('webhook index stayed locked') };

const deliveryKey = (id: string) => `webhook:delivery:${id}`;
const sendingKey = (id: string) => `webhook:sending:${id}`;

export const webhookEventId = (order: Pick<Order, 'id' | 'status'>) => `evt_${sha256Hex(`${order.id}\n${order.status}`).slice(0, 32)}`;

/** Delay before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min … capped at 2 h, ±20 %. */
function retryDelay(attempts: number): number {
  const nominal = Math.min(RETRY_BASE_MS * 2 ** (attempts - 1), RETRY_CAP_MS);
  return Math.round(nominal * (1 - RETRY_JITTER + 2 * RETRY_JITTER * Math.random()));
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  store: Store;
  fetch: FetchLike;
  now: () => Date;
  log: Logger;
  /** Deadline of one attempt. */
  timeoutMs?: number;
}

export function createWebhookSender({ url, secret, store, fetch, now, log, timeoutMs = WEBHOOK_TIMEOUT_MS }: WebhookSenderOptions) {
  // Longer than one attempt can take: a crashed sender's claim lapses without cutting a live one
  // short, and a tick leaves a new delivery to enqueue's own first try for this long.
  const claimTtlSeconds = Math.ceil(timeoutMs / 1000) + 30;

  // The index is read-modify-write, so changes are serialised with a set-if-absent lock: two
  // enqueues at once (or two processes on one Redis) must not drop each other's entry.
  const changeIndex = (change: (entries: PendingEntry[]) => PendingEntry[]) =>
    withStoreLock(store, INDEX_LOCK_KEY, INDEX_LOCK, async () => {
      await store.set(INDEX_KEY, change((await store.get<PendingEntry[]>(INDEX_KEY)) ?? []));
    });
  const schedule = (id: string, at: number) => changeIndex((entries) => [...entries.filter((e) => e.id !== id), { id, at }]);
  const unschedule = (id: string) => changeIndex((entries) => entries.filter((e) => e.id !== id));

  const key = requireWebhookKey(secret);
  /** undefined when the merchant took it (any 2xx), else why not. Each attempt is signed when it is sent. */
  async function send(id: string, body: string, at: number): Promise<string | undefined> {
    try {
      const reply = await fetchJson(
        fetch,
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...standardWebhookHeaders(key, id, Math.floor(at / 1000), body) },
          body,
        },
        timeoutMs,
      );
      return reply.status >= 200 && reply.status < 300 ? undefined : `http_${reply.status}`;
    } catch (err) {
      return err instanceof KasirError && err.code === 'provider_timeout' ? 'timeout' : 'unreachable';
    }
  }

  async function attempt(id: string): Promise<void> {
    // One sender at a time per delivery: the immediate try, a scheduler tick and another process may race.
    if (!(await store.add(sendingKey(id), 1, { ttlSeconds: claimTtlSeconds }))) return;
    try {
      const delivery = await store.get<Delivery>(deliveryKey(id));
      if (delivery?.state !== 'pending') return await unschedule(id);
      const at = now().getTime();
      // The index lags the record after a crash between their writes; the record decides.
      if (delivery.nextAttemptAt > at) return await schedule(id, delivery.nextAttemptAt);

      const failure = await send(delivery.id, delivery.body, at);
      const attempts = delivery.attempts + 1;
      const fields = { eventId: id, orderId: delivery.orderId, type: delivery.type, attempts };
      if (failure === undefined || at - delivery.createdAt >= RETRY_FOR_MS) {
        const state = failure === undefined ? 'delivered' : 'abandoned';
        await store.set(deliveryKey(id), { ...delivery, state, attempts }, { ttlSeconds: DELIVERY_TTL_SECONDS });
        await unschedule(id);
        if (failure === undefined) log.info('webhook_delivered', fields);
        else log.error('webhook_abandoned', { ...fields, reason: failure });
        return;
      }
      const nextAttemptAt = at + retryDelay(attempts);
      await store.set(deliveryKey(id), { ...delivery, attempts, nextAttemptAt }, { ttlSeconds: DELIVERY_TTL_SECONDS });
      await schedule(id, nextAttemptAt);
      log.warn('webhook_attempt_failed', { ...fields, reason: failure, nextAttemptAt: new Date(nextAttemptAt).toISOString() });
    } finally {
      await store.delete(sendingKey(id));
    }
  }

  const failed = (fields: { eventId?: string }) => (err: unknown) =>
    log.error('webhook_store_failed', { ...fields, name: err instanceof Error ? err.name : typeof err });

  return {
    /**
     * Persists the event for the order's current state, then (unless `send` is false) tries it once.
     * Resolves when that try is over (at most timeoutMs); never rejects. A repeated enqueue of the
     * same state is a no-op.
     */
    async enqueue(order: Order, { send = true } = {}): Promise<void> {
      const id = webhookEventId(order);
      try {
        const at = now().getTime();
        const type = `order.${order.status}` as const;
        const event: WebhookEvent = { id, type, created: Math.floor(at / 1000), data: toCheckoutView(order) };
        // Index first, as a fallback due once this call's own try is surely over: a crash before the
        // record leaves an entry that deliverDue drops, a crash after it one that deliverDue sends.
        // With send: false the caller only persists it (quickly, e.g. under a lock) and it is due now.
        const fallbackAt = send ? at + claimTtlSeconds * 1000 : at;
        await changeIndex((entries) => (entries.some((e) => e.id === id) ? entries : [...entries, { id, at: fallbackAt }]));
        const delivery: Delivery = { id, orderId: order.id, type, body: JSON.stringify(event), state: 'pending', attempts: 0, createdAt: at, nextAttemptAt: at };
        if ((await store.add(deliveryKey(id), delivery, { ttlSeconds: DELIVERY_TTL_SECONDS })) && send) await attempt(id);
      } catch (err) {
        failed({ eventId: id })(err);
      }
    },

    /** Sends every delivery whose time has come (up to MAX_PER_RUN); the number tried. Never rejects. */
    async deliverDue(): Promise<number> {
      try {
        const at = now().getTime();
        const due = ((await store.get<PendingEntry[]>(INDEX_KEY)) ?? [])
          .filter((e) => e.at <= at)
          .sort((a, b) => a.at - b.at)
          .slice(0, MAX_PER_RUN);
        await Promise.all(due.map((e) => attempt(e.id).catch(failed({ eventId: e.id }))));
        return due.length;
      } catch (err) {
        failed({})(err);
        return 0;
      }
    },
  };
}
export type WebhookSender = ReturnType<typeof createWebhookSender>;
