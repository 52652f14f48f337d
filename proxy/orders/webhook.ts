// Merchant webhooks: each order state change is POSTed to KASIR_WEBHOOK_URL, signed (Standard
// Webhooks, see signDelivery), and retried with growing, jittered delays for a day. The events live in the order
// record itself (order.ts: the record is the outbox), written in the same write as the change they
// tell, so a crash can never leave a change untold. `outbox:<id>` markers (repository.ts) say which
// orders still have one to send; a change sends at once, and every tick sends what is due.
import type { CheckoutView } from '../lib/contract';
import { KasirError } from '../lib/errors';
import { type FetchLike, fetchJson } from '../lib/http';
import type { Logger } from '../lib/log';
import { acquireLease, type Store } from '../store';
import type { Order, OrderEvent } from './order';
import type { OrderRepository } from './repository';
import { requireWebhookKey, standardWebhookHeaders } from '../lib/standard-webhooks';

export { webhookEventId } from './repository';

/** What the merchant receives. */
export interface WebhookEvent {
  /** The same for the same order and status, however often it is sent: receivers de-duplicate on it. */
  id: string;
  type: OrderEvent['type'];
  /** Unix seconds. */
  created: number;
  /** Paid after the order was expired, cancelled or failed: fulfil it, or refund it. */
  late?: true;
  data: CheckoutView;
}

const WEBHOOK_TIMEOUT_MS = 10_000;
const RETRY_BASE_MS = 30_000;
const RETRY_CAP_MS = 2 * 60 * 60 * 1000;
/** Each delay is scaled by a random factor in 1 ± this, so a merchant's outage does not end in a stampede. */
const RETRY_JITTER = 0.2;
/** The first attempt that fails this long after the event is the last: with the capped delay, give-up comes 24–26.4 h in. */
const RETRY_FOR_MS = 24 * 60 * 60 * 1000;
/** Orders whose events one tick sends side by side. */
const PARALLEL = 25;

const sendingKey = (id: string) => `webhook:sending:${id}`;

/**
 * The headers that sign one delivery of event `id` with `body` at `at` (epoch ms): Standard
 * Webhooks (../lib/standard-webhooks.ts). The one place that decides how a merchant authenticates us.
 */
export function signDelivery(key: Uint8Array, id: string, body: string, at: number): Record<string, string> {
  return standardWebhookHeaders(key, id, Math.floor(at / 1000), body);
}

/** The exact bytes of an event, the same on every attempt. */
export const eventBody = ({ id, type, created, late, data }: OrderEvent): string =>
  JSON.stringify({ id, type, created, ...(late ? { late } : {}), data } satisfies WebhookEvent);

/** Delay before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min … capped at 2 h, ±20 %. */
function retryDelay(attempts: number): number {
  const nominal = Math.min(RETRY_BASE_MS * 2 ** (attempts - 1), RETRY_CAP_MS);
  return Math.round(nominal * (1 - RETRY_JITTER + 2 * RETRY_JITTER * Math.random()));
}

const due = (order: Order | undefined, at: number) => order?.events?.filter((e) => e.state === 'pending' && e.nextAttemptAt <= at) ?? [];

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  orders: OrderRepository;
  store: Store;
  fetch: FetchLike;
  now: () => Date;
  log: Logger;
  /** Deadline of one attempt. */
  timeoutMs?: number;
}

export function createWebhookSender({ url, secret, orders, store, fetch, now, log, timeoutMs = WEBHOOK_TIMEOUT_MS }: WebhookSenderOptions) {
  const key = requireWebhookKey(secret);
  /** undefined when the merchant took it (any 2xx), else why not. Each attempt is signed when it is sent. */
  async function send(id: string, body: string, at: number): Promise<string | undefined> {
    try {
      const reply = await fetchJson(fetch, url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signDelivery(key, id, body, at) }, body }, timeoutMs);
      return reply.status >= 200 && reply.status < 300 ? undefined : `http_${reply.status}`;
    } catch (err) {
      return err instanceof KasirError && err.code === 'provider_timeout' ? 'timeout' : 'unreachable';
    }
  }

  /** The event after one attempt that ended in `failure` (undefined: delivered). */
  function afterAttempt(event: OrderEvent, failure: string | undefined, at: number): OrderEvent {
    const attempts = event.attempts + 1;
    if (failure === undefined) return { ...event, state: 'delivered', attempts };
    if (at - event.created * 1000 >= RETRY_FOR_MS) return { ...event, state: 'abandoned', attempts };
    return { ...event, attempts, nextAttemptAt: at + retryDelay(attempts) };
  }

  async function attempt(orderId: string, eventId: string): Promise<void> {
    // One sender at a time per event: the immediate try, a tick and another process may race. A
    // lease, so a sender that died mid-send holds it back only seconds.
    const release = await acquireLease(store, sendingKey(eventId), { waitMs: 0 });
    if (!release) return;
    try {
      const at = now().getTime();
      // Read again under the lease: another sender may have finished it since it was listed.
      const event = due(await orders.get(orderId), at).find((e) => e.id === eventId);
      if (!event) return;
      const failure = await send(event.id, eventBody(event), at);
      const after = afterAttempt(event, failure, at);
      await orders.update(orderId, (o) => ({ ...o, events: o.events?.map((e) => (e.id === eventId && e.state === 'pending' ? after : e)) }));
      const fields = { eventId, orderId, type: event.type, attempts: after.attempts };
      if (after.state === 'delivered') log.info('webhook_delivered', fields);
      else if (after.state === 'abandoned') log.error('webhook_abandoned', { ...fields, reason: failure });
      else log.warn('webhook_attempt_failed', { ...fields, reason: failure, nextAttemptAt: new Date(after.nextAttemptAt).toISOString() });
    } finally {
      await release();
    }
  }

  const failed = (orderId?: string) => (err: unknown) =>
    log.error('webhook_delivery_failed', { ...(orderId ? { orderId } : {}), name: err instanceof Error ? err.name : typeof err });

  /** Sends the order's due events, oldest first. Never rejects (a failure is logged and retried next tick). */
  async function deliver(orderId: string): Promise<number> {
    try {
      const order = await orders.get(orderId);
      // Nothing left to send: a marker left by a crash between two writes, tidied under the order's lease.
      if (order && !order.events?.some((e) => e.state === 'pending')) await orders.update(orderId, (o) => o, { tidy: true, waitMs: 1000 });
      const events = due(order, now().getTime());
      for (const event of events) await attempt(orderId, event.id);
      return events.length;
    } catch (err) {
      failed(orderId)(err);
      return 0;
    }
  }

  return {
    deliver,
    /** Sends every event whose time has come; the number of events tried. Never rejects. */
    async deliverDue(): Promise<number> {
      try {
        const ids = await orders.outboxIds();
        let tried = 0;
        for (let i = 0; i < ids.length; i += PARALLEL) {
          tried += (await Promise.all(ids.slice(i, i + PARALLEL).map(deliver))).reduce((a, b) => a + b, 0);
        }
        return tried;
      } catch (err) {
        failed()(err);
        return 0;
      }
    },
  };
}
export type WebhookSender = ReturnType<typeof createWebhookSender>;
