// Orders: how they are kept, found by provider reference, shown to the widget, and how a
// confirmed provider status changes them. The state rules live here and nowhere else.
import type { CheckoutView, PaymentStatus, ProviderId } from '../lib/contract';
import { FINAL_STATUSES } from '../lib/contract';
import { KasirError } from '../lib/errors';
import type { Logger } from '../lib/log';
import { type Store, withStoreLock } from '../store';
import type { Order } from './order';
import type { StatusResult } from '../providers/types';

const ORDER_TTL_SECONDS = 90 * 24 * 60 * 60;
const LOCK_WAIT_MS = 15_000;
const orderBusy = () => new KasirError(503, 'order_busy', 'The order is being updated; try again shortly.');

const orderKey = (id: string) => `order:${id}`;
const refKey = (provider: ProviderId, providerRef: string) => `ref:${provider}:${providerRef}`;
const lockKey = (id: string) => `lock:order:${id}`;

/** One key per order still pending, so reconciliation finds them without scanning every order. */
const PENDING_PREFIX = 'pending:';

/**
 * `lockTtlSeconds` must outlast the longest change (a status lookup with its retries), or a second
 * instance could take the lock while the first still holds it; it only matters when a holder crashed.
 */
export function createOrderRepository(
  store: Store,
  { lockTtlSeconds, onStatusChange }: { lockTtlSeconds: number; onStatusChange: (before: Order, after: Order) => Promise<void> | void },
) {
  const get = (id: string) => store.get<Order>(orderKey(id));

  /** A new order, before its payment exists: the record and its provider-reference index (which never changes). */
  async function create(order: Order) {
    await store.set(orderKey(order.id), order, { ttlSeconds: ORDER_TTL_SECONDS });
    await store.set(refKey(order.provider, order.providerRef), order.id, { ttlSeconds: ORDER_TTL_SECONDS });
  }

  /** An order's new state: the record, and whether reconciliation must still look at it. */
  async function save(order: Order) {
    await store.set(orderKey(order.id), order, { ttlSeconds: ORDER_TTL_SECONDS });
    if (order.status === 'pending' && order.payment) await store.set(PENDING_PREFIX + order.id, 1, { ttlSeconds: ORDER_TTL_SECONDS });
    else await store.delete(PENDING_PREFIX + order.id);
  }

  return {
    get,
    create,
    save,
    async pendingIds() {
      return (await store.keys(PENDING_PREFIX)).map((key) => key.slice(PENDING_PREFIX.length));
    },
    async findByRef(provider: ProviderId, providerRef: string) {
      const id = await store.get<string>(refKey(provider, providerRef));
      return id === undefined ? undefined : get(id);
    },
    /**
     * Changes an order under a lock shared by every instance on the same store, so concurrent
     * notices, polls and reconciliation apply a change once. `change` returns the same object
     * for "no change".
     */
    async update(id: string, change: (order: Order) => Promise<Order> | Order): Promise<Order | undefined> {
      return withStoreLock(store, lockKey(id), { ttlSeconds: lockTtlSeconds, waitMs: LOCK_WAIT_MS, busy: orderBusy }, async () => {
        const order = await get(id);
        if (!order) return undefined;
        const next = await change(order);
        if (next === order) return order;
        await save(next);
        if (next.status !== order.status) await onStatusChange(order, next);
        return next;
      });
    },
  };
}
export type OrderRepository = ReturnType<typeof createOrderRepository>;

/**
 * The order after a status that a provider lookup confirmed, or the same order when nothing may
 * change: a final state is never left (except paid → refunded), and `paid` needs the exact amount.
 */
export function applyStatus(order: Order, result: StatusResult, log: Logger): Order {
  const next: PaymentStatus = result.status;
  if (next === order.status || next === 'pending') return order;
  if (FINAL_STATUSES.has(order.status) && !(order.status === 'paid' && next === 'refunded')) return order;
  if (next === 'paid') {
    if (result.paidAmount !== order.amount) {
      log.error('amount_mismatch', { orderId: order.id, provider: order.provider, expected: order.amount, paid: result.paidAmount ?? null });
      return order;
    }
    return { ...order, status: 'paid', paidAt: result.paidAt ?? new Date().toISOString(), ...(result.fee !== undefined ? { fee: result.fee } : {}) };
  }
  return { ...order, status: next };
}

export function toCheckoutView(order: Order): CheckoutView {
  const p = order.payment;
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
    expiresAt: p?.expiresAt ?? order.createdAt,
    // What the merchant ties the payment to its cart by (issue 9 §8).
    lines: order.lines.map(({ sku, name, qty, price }) => ({ sku, name, qty, price })),
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt } : {}),
    ...(order.ref ? { ref: order.ref } : {}),
    ...(order.reason ? { reason: order.reason } : {}),
  };
}
