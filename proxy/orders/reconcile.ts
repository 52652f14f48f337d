// Providers retry notices only a few times, so pending orders are re-checked by status lookup on
// a schedule until they are final, and an order past its expiry becomes `expired`. Run by a timer
// on Node and by a Cron Trigger on Workers.
import type { AppServices } from '../services';
import { KasirError } from '../lib/errors';
import { applyStatus } from './repository';
import { isRetryable } from '../lib/retry';

/** Minimum time between two lookups of the same order, however often the sweep runs. */
const RECHECK_MS = 60_000;
/** An order this long past its expiry is closed even when its provider cannot be reached. */
const EXPIRY_GRACE_MS = 10 * 60_000;

export function createReconciler({ orders, providers, statusOf, providerContext, log, now, webhooks }: AppServices) {
  return async function reconcile(): Promise<{ checked: number; changed: number }> {
    await webhooks?.deliverDue();
    let checked = 0;
    let changed = 0;
    for (const id of await orders.pendingIds()) {
      try {
        await orders.update(id, async function recheck(order) {
          const provider = providers.get(order.provider);
          const t = now().getTime();
          if (order.status !== 'pending' || !order.payment || !provider) return order;
          if (order.checkedAt && t - Date.parse(order.checkedAt) < RECHECK_MS) return order;
          checked++;
          const pastExpiry = t - Date.parse(order.payment.expiresAt);
          let next = order;
          try {
            next = applyStatus(order, await statusOf(provider, order.payment), log);
          } catch (err) {
            if (pastExpiry < EXPIRY_GRACE_MS) throw err;
          }
          if (next.status === 'pending' && pastExpiry > 0) {
            // Void it at the provider first, so it cannot be paid once we call it expired. A refusal
            // (it was paid meanwhile) leaves the order pending: the next lookup will find it paid.
            // Past the grace period an unreachable provider has long expired the payment itself.
            await provider.cancelPayment(order.payment, providerContext(provider.id)).catch((err: unknown) => {
              if (!(isRetryable(err) && pastExpiry >= EXPIRY_GRACE_MS)) throw err;
            });
            next = applyStatus(order, { status: 'expired' }, log);
          }
          if (next.status !== order.status) changed++;
          return { ...next, checkedAt: now().toISOString() };
        });
      } catch (err) {
        log.warn('reconcile_failed', { orderId: id, code: err instanceof KasirError ? err.code : 'internal' });
      }
    }
    return { checked, changed };
  };
}
