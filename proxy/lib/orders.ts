// Orders: how they are kept, found by provider reference, shown to the widget, and how a
// confirmed provider status changes them. The state rules live here and nowhere else.
import type { CheckoutView, PaymentStatus, ProviderId } from './contract';
import { FINAL_STATUSES } from './contract';
import type { Logger } from './log';
import type { Store } from './store';
import type { Order, StatusResult } from '../providers/types';

const ORDER_TTL_SECONDS = 90 * 24 * 60 * 60;

const orderKey = (id: string) => `order:${id}`;
const refKey = (provider: ProviderId, providerRef: string) => `ref:${provider}:${providerRef}`;

export function createOrderRepository(store: Store) {
  return {
    get: (id: string) => store.get<Order>(orderKey(id)),
    async save(order: Order) {
      await store.set(orderKey(order.id), order, { ttlSeconds: ORDER_TTL_SECONDS });
      await store.set(refKey(order.provider, order.providerRef), order.id, { ttlSeconds: ORDER_TTL_SECONDS });
    },
    async findByRef(provider: ProviderId, providerRef: string) {
      const id = await store.get<string>(refKey(provider, providerRef));
      return id === undefined ? undefined : store.get<Order>(orderKey(id));
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
    return { ...order, status: 'paid', paidAt: result.paidAt ?? new Date().toISOString() };
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
  };
}
