// Orders: how they are kept, found by provider reference, shown to the widget, and how a
// confirmed provider status changes them. The state rules live here and nowhere else.
//
// Keys: `order:<id>` is the record (and the outbox of its merchant events, see order.ts);
// `ref:<provider>:<ref>` finds it from any attempt's provider reference; two markers tell the
// background work where to look — `pending:<id>` (the sweep must still confirm or expire it) and
// `outbox:<id>` (an event waits for delivery). A marker is written before the record that needs it
// and removed only after a record that no longer needs it, so a crash between two writes leaves an
// extra marker (tidied by the sweep), never a missing one.
import type { CheckoutView, PaymentStatus, ProviderId } from '../lib/contract';
import { FINAL_STATUSES } from '../lib/contract';
import { KasirError } from '../lib/errors';
import type { Logger } from '../lib/log';
import { sha256Hex } from '../lib/signing';
import { type Store, withStoreLock } from '../store';
import { attemptRefs, type Order, type OrderEvent } from './order';
import type { CreatedPayment, StatusResult } from '../providers/types';

const ORDER_TTL_SECONDS = 90 * 24 * 60 * 60;
/** How long a notice or the sweep waits for an order another request is changing. */
const LOCK_WAIT_MS = 15_000;
const orderBusy = () => new KasirError(503, 'order_busy', 'The order is being updated; try again shortly.');

const orderKey = (id: string) => `order:${id}`;
const refKey = (provider: ProviderId, providerRef: string) => `ref:${provider}:${providerRef}`;
const lockKey = (id: string) => `lock:order:${id}`;
const PENDING_PREFIX = 'pending:';
const OUTBOX_PREFIX = 'outbox:';

/** The states an order can be paid from late: the money came after we had given up on it. */
const GIVEN_UP: ReadonlySet<PaymentStatus> = new Set(['expired', 'cancelled', 'failed']);

/** The same for the same order and status, however often it is made: receivers de-duplicate on it. */
export const webhookEventId = (order: Pick<Order, 'id' | 'status'>) => `evt_${sha256Hex(`${order.id}\n${order.status}`).slice(0, 32)}`;

const needsSweep = (order: Order | undefined) => order?.status === 'pending';
const hasOutbox = (order: Order | undefined) => !!order?.events?.some((e) => e.state === 'pending');

export function createOrderRepository(
  store: Store,
  {
    events,
    now = () => new Date(),
    onStatusChange,
  }: {
    /** Whether changes are told to a merchant webhook (events are only recorded when someone delivers them). */
    events: boolean;
    now?: () => Date;
    onStatusChange: (before: Order, after: Order) => Promise<void> | void;
  },
) {
  const get = (id: string) => store.get<Order>(orderKey(id));

  /** Writes `next` over `before` (undefined for a new order), keeping the markers' rule above. */
  async function save(before: Order | undefined, next: Order) {
    if (needsSweep(next) && !needsSweep(before)) await store.set(PENDING_PREFIX + next.id, 1, { ttlSeconds: ORDER_TTL_SECONDS });
    if (hasOutbox(next) && !hasOutbox(before)) await store.set(OUTBOX_PREFIX + next.id, 1, { ttlSeconds: ORDER_TTL_SECONDS });
    await store.set(orderKey(next.id), next, { ttlSeconds: ORDER_TTL_SECONDS });
    if (!needsSweep(next) && needsSweep(before)) await store.delete(PENDING_PREFIX + next.id);
    if (!hasOutbox(next) && hasOutbox(before)) await store.delete(OUTBOX_PREFIX + next.id);
  }

  /** The order with the event for its current state, when a merchant is told and it has none yet. */
  function withEvent(order: Order, before?: Order): Order {
    if (!events || order.status === 'pending') return order;
    const id = webhookEventId(order);
    if (order.events?.some((e) => e.id === id)) return order;
    const at = now().getTime();
    const late = order.status === 'paid' && (before ? GIVEN_UP.has(before.status) : !!order.events?.some((e) => GIVEN_UP.has(e.type.slice(6) as PaymentStatus)));
    const event: OrderEvent = {
      id,
      type: `order.${order.status}`,
      created: Math.floor(at / 1000),
      ...(late ? { late: true as const } : {}),
      data: toCheckoutView(order),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: at,
    };
    return { ...order, events: [...(order.events ?? []), event] };
  }

  /**
   * Changes an order under its lease, which every instance on the same store respects, so
   * concurrent notices, polls and the sweep apply a change once. `change` returns the same object
   * for "no change". A status change and the event that tells it are one write. `waitMs`: how long
   * to wait for another holder before `order_busy`. `tidy`: also drop markers the order no longer
   * needs, and add a missing event for its state (the sweep's repair after a crash).
   */
  async function update(
    id: string,
    change: (order: Order) => Promise<Order> | Order,
    { waitMs = LOCK_WAIT_MS, tidy = false }: { waitMs?: number; tidy?: boolean } = {},
  ): Promise<Order | undefined> {
    let changed: [Order, Order] | undefined;
    const result = await withStoreLock(store, lockKey(id), { waitMs, busy: orderBusy }, async () => {
      const order = await get(id);
      if (!order) {
        if (tidy) await Promise.all([store.delete(PENDING_PREFIX + id), store.delete(OUTBOX_PREFIX + id)]);
        return undefined;
      }
      let next = await change(order);
      if (next.status !== order.status || tidy) next = withEvent(next, next.status !== order.status ? order : undefined);
      if (next === order) {
        if (tidy) {
          if (!needsSweep(order)) await store.delete(PENDING_PREFIX + id);
          if (!hasOutbox(order)) await store.delete(OUTBOX_PREFIX + id);
        }
        return order;
      }
      await save(order, next);
      if (next.status !== order.status) changed = [order, next];
      return next;
    });
    // Outside the lease: telling is not part of the change, and must not hold the order.
    if (changed) await onStatusChange(...changed);
    return result;
  }

  return {
    get,
    update,
    /**
     * A new order, before its provider is called: its reference index and its marker first, then the
     * record, so a notice for it finds it and the sweep sees it, whenever the process stops.
     */
    async create(order: Order) {
      for (const ref of attemptRefs(order)) await store.set(refKey(order.provider, ref), order.id, { ttlSeconds: ORDER_TTL_SECONDS });
      await save(undefined, order);
    },
    /** A new attempt under `ref` (its index first), for a create whose answer was lost. */
    async addAttempt(order: Order, ref: string): Promise<Order> {
      await store.set(refKey(order.provider, ref), order.id, { ttlSeconds: ORDER_TTL_SECONDS });
      const next = await update(order.id, (o) => ({ ...o, providerRef: ref, attempts: [...attemptRefs(o), ref] }));
      if (!next) throw new KasirError(404, 'order_not_found', 'No such checkout.');
      return next;
    },
    /** Every attempt's reference index, written again (the sweep's repair of orders from before the index came first). */
    async indexRefs(order: Order) {
      for (const ref of attemptRefs(order)) await store.set(refKey(order.provider, ref), order.id, { ttlSeconds: ORDER_TTL_SECONDS });
    },
    /** The payment the provider accepted, attached without touching whatever else changed meanwhile. */
    async attachPayment(id: string, payment: CreatedPayment): Promise<Order> {
      const next = await update(id, (o) => (o.payment ? o : { ...o, payment }));
      if (!next) throw new KasirError(404, 'order_not_found', 'No such checkout.');
      return next;
    },
    /** Whether the order lacks the event for its current state (a retried notice then adds it). */
    untold: (order: Order) => events && order.status !== 'pending' && !order.events?.some((e) => e.id === webhookEventId(order)),
    async pendingIds() {
      return (await store.keys(PENDING_PREFIX)).map((key) => key.slice(PENDING_PREFIX.length));
    },
    async outboxIds() {
      return (await store.keys(OUTBOX_PREFIX)).map((key) => key.slice(OUTBOX_PREFIX.length));
    },
    async findByRef(provider: ProviderId, providerRef: string) {
      const id = await store.get<string>(refKey(provider, providerRef));
      return id === undefined ? undefined : get(id);
    },
  };
}
export type OrderRepository = ReturnType<typeof createOrderRepository>;

export interface ApplyOptions {
  /** The attempt reference the lookup was made for (default: the current one). */
  ref?: string;
  /** Only the sweep may expire an order (after voiding it at the provider where it can). */
  expire?: boolean;
  now?: () => Date;
}

/**
 * The order after a status that a provider lookup confirmed, or the same order when nothing may
 * change. A final state is never left, except paid → refunded, and paid after an order was given up
 * (expired, cancelled, failed): late money is taken, not lost. `paid` needs the exact amount.
 */
export function applyStatus(order: Order, result: StatusResult, log: Logger, { ref = order.providerRef, expire = false, now = () => new Date() }: ApplyOptions = {}): Order {
  const next: PaymentStatus = result.status;
  const paidAt = () => result.paidAt ?? now().toISOString();
  const fee = result.fee !== undefined ? { fee: result.fee } : {};
  if (next === 'pending') return order;
  // Reported expired by a lookup outside the sweep: noted, so the sweep closes it on its next tick.
  if (next === 'expired' && !expire) return order.status === 'pending' && !order.expiryReported ? { ...order, expiryReported: true } : order;
  if (next === 'paid' && result.paidAmount !== order.amount) {
    if (order.status !== 'paid' || order.paidRef !== ref) {
      log.error('amount_mismatch', { orderId: order.id, provider: order.provider, expected: order.amount, paid: result.paidAmount ?? null });
    }
    return order;
  }
  if (next === 'paid' && order.status === 'paid') {
    // Another attempt's invoice paid as well: both payments are kept, and someone must refund one.
    if (!order.paidRef || order.paidRef === ref || order.extraPayments?.some((p) => p.providerRef === ref)) return order;
    log.error('order_paid_twice', { orderId: order.id, provider: order.provider, amount: order.amount });
    return { ...order, extraPayments: [...(order.extraPayments ?? []), { providerRef: ref, amount: result.paidAmount, paidAt: paidAt() }] };
  }
  if (next === order.status) return order;
  if (next === 'paid' && GIVEN_UP.has(order.status)) {
    log.error('paid_after_expiry', { orderId: order.id, provider: order.provider, was: order.status, amount: order.amount });
    return { ...order, status: 'paid', paidAt: paidAt(), paidRef: ref, ...fee };
  }
  if (FINAL_STATUSES.has(order.status) && !(order.status === 'paid' && next === 'refunded')) return order;
  if (next === 'paid') return { ...order, status: 'paid', paidAt: paidAt(), paidRef: ref, ...fee };
  return { ...order, status: next, ...(result.reason ? { reason: result.reason } : {}) };
}

/** What the widget and the merchant see. A pending order past `expiresAt` is only shown so by the widget: the sweep decides. */
export function toCheckoutView(order: Order): CheckoutView {
  const p = order.payment;
  const expiresAt = p?.expiresAt ?? order.createdAt;
  return {
    id: order.id,
    provider: order.provider,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    paymentUrl: p?.paymentUrl ?? '',
    ...(p?.qrUrl ? { qrUrl: p.qrUrl } : {}),
    ...(p?.qrString ? { qrString: p.qrString } : {}),
    ...(p?.payCode ? { payCode: p.payCode } : {}),
    expiresAt,
    // What the merchant ties the payment to its cart by (issue 9 §8).
    lines: order.lines.map(({ sku, name, qty, price }) => ({ sku, name, qty, price })),
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt } : {}),
    ...(order.ref ? { ref: order.ref } : {}),
    ...(order.reason ? { reason: order.reason } : {}),
    ...(order.method ? { method: order.method } : {}),
    ...(order.channel ? { channel: order.channel } : {}),
  };
}
