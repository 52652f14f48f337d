// The sweep: providers retry notices only a few times, so pending orders are re-checked by status
// lookup on a schedule until they are final; an order past its expiry is voided at its provider
// (where it can be) and only then becomes `expired` — nothing else expires an order. The sweep also
// repairs what a crash can leave: a create whose answer was lost, a missing reference index, an
// untold change; and it sends the merchant's due events. Run by a timer on Node and by a Cron
// Trigger on Workers. It never rejects: a failure is logged as one line and tried again next tick.
import type { AppServices } from '../services';
import { KasirError } from '../lib/errors';
import { applyStatus } from './repository';
import { isRetryable } from '../lib/retry';
import type { Order } from './order';

/** Minimum time between two lookups of the same order, however often the sweep runs. */
const RECHECK_MS = 60_000;
/** An order this long past its expiry is closed even when its provider cannot be reached. */
const EXPIRY_GRACE_MS = 10 * 60_000;
/** A create that never got its payment is given up after its Idempotency-Key can no longer resume it. */
const CREATE_GIVE_UP_MS = 24 * 60 * 60_000 + EXPIRY_GRACE_MS;
/** The sweep does not wait long for an order a request is changing: it comes back next tick. */
const SWEEP_LOCK_WAIT_MS = 1_000;

const errorCode = (err: unknown) => (err instanceof KasirError ? err.code : err instanceof Error ? err.name : 'internal');

export function createReconciler({ orders, providers, statusOf, providerContext, log, now, webhooks }: AppServices) {
  async function recheck(order: Order, counts: { checked: number; changed: number }): Promise<Order> {
    const provider = providers.get(order.provider);
    const t = now().getTime();
    if (order.status !== 'pending' || !provider) return order;
    if (order.checkedAt && t - Date.parse(order.checkedAt) < RECHECK_MS && !order.expiryReported) return order;
    await orders.indexRefs(order);
    const ctx = providerContext(provider.id);
    if (!order.payment) {
      // The create's answer was lost and nobody retried it: the provider may still know the payment.
      const payment = await provider.findPayment({ providerRef: order.providerRef }, ctx);
      if (payment) return { ...order, payment, checkedAt: now().toISOString() };
      if (t - Date.parse(order.createdAt) < CREATE_GIVE_UP_MS) return { ...order, checkedAt: now().toISOString() };
      return { ...order, status: 'failed', reason: 'payment_not_created' };
    }
    counts.checked++;
    const pastExpiry = t - Date.parse(order.payment.expiresAt);
    let next = order;
    let reportedExpired = !!order.expiryReported;
    try {
      const result = await statusOf(provider, order.payment);
      reportedExpired ||= result.status === 'expired';
      next = applyStatus(order, result, log, { now });
    } catch (err) {
      if (pastExpiry < EXPIRY_GRACE_MS) throw err;
    }
    if (next.status === 'pending' && (pastExpiry > 0 || reportedExpired)) {
      // Void it at the provider first, so it cannot be paid once we call it expired (an "expired"
      // from a lookup may be our own reading of the provider's clock). A refusal (it was paid
      // meanwhile) leaves the order pending: the next lookup will find it paid. Past the grace
      // period an unreachable provider has long expired the payment itself; money that still
      // arrives is taken as a late payment (see applyStatus).
      const payment = order.payment;
      await provider.cancelPayment(payment, ctx).catch(async (err: unknown) => {
        if (isRetryable(err) && pastExpiry >= EXPIRY_GRACE_MS) return;
        // Some providers refuse to void what they have expired themselves: then their word stands.
        if (reportedExpired && (await statusOf(provider, payment)).status === 'expired') return;
        throw err;
      });
      next = applyStatus(order, { status: 'expired' }, log, { expire: true, now });
    }
    if (next.status !== order.status) counts.changed++;
    return { ...next, checkedAt: now().toISOString() };
  }

  return async function reconcile(): Promise<{ checked: number; changed: number }> {
    const counts = { checked: 0, changed: 0 };
    let ids: string[] = [];
    try {
      ids = await orders.pendingIds();
    } catch (err) {
      log.error('reconcile_failed', { code: errorCode(err) });
    }
    for (const id of ids) {
      try {
        await orders.update(id, (order) => recheck(order, counts), { tidy: true, waitMs: SWEEP_LOCK_WAIT_MS });
      } catch (err) {
        log.warn('reconcile_failed', { orderId: id, code: errorCode(err) });
      }
    }
    await webhooks?.deliverDue();
    return counts;
  };
}
