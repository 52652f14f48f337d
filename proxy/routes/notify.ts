// POST /v1/notify/:provider — a provider's payment notice. Verified by the provider file, then
// confirmed by a status lookup of an attempt of the order we hold (found by our own reference
// index, never by ids the notice names), then applied once. The provider gets its expected reply
// even for notices we ignore, so it stops retrying — except when the order could not be safely
// changed (busy, store down): then an error, so the provider tries again later.
import { Hono } from 'hono';
import { FINAL_STATUSES, type ProviderId } from '../lib/contract';
import { KasirError, notFound } from '../lib/errors';
import { applyStatus } from '../orders/repository';
import type { Order } from '../orders/order';
import type { PaymentRef } from '../providers/types';
import type { AppServices } from '../services';
import { sleep } from '../lib/time';

/**
 * Notices for one order cost at most one provider lookup per this long (forged notices too: some
 * providers do not sign theirs, and each lookup is signed with the merchant's credentials). A
 * notice that comes sooner reuses the last lookup's result, already in the order: when that result
 * confirms the notice it is answered as accepted; when not, the notice may tell of something newer
 * than the lookup, so it is refused (503), and the provider sends it again a little later.
 */
const LOOKUP_REUSE_MS = 2_000;
/** Held by the notice whose lookup is in flight; lapses by itself if its process dies. */
const LOOKUP_CLAIM_SECONDS = 2;
const WAIT_POLL_MS = 25;
const throttled = () => new KasirError(503, 'notice_throttled', 'This order was looked up moments ago; send the notice again shortly.');

export function createNotifyRoutes({ providers, orders, store, log, now, providerContext, statusOf }: AppServices) {
  /** Whether the notice could change the order: anything but a repeat of what we already hold. */
  function worthALookup(order: Order, claimed: string, ref: string) {
    if (!FINAL_STATUSES.has(order.status)) return true;
    if (claimed === 'refunded') return order.status === 'paid';
    // Money for a given-up order (late), or for another attempt of a paid one (paid twice).
    return claimed === 'paid' && (order.status !== 'paid' || (order.paidRef !== undefined && order.paidRef !== ref && !order.extraPayments?.some((p) => p.providerRef === ref)));
  }

  return new Hono().post('/:provider', async function receiveNotice(c) {
    const provider = providers.get(c.req.param('provider') as ProviderId);
    if (!provider) throw notFound('provider_unavailable', 'This payment provider is not enabled.');
    const ctx = providerContext(provider.id);
    const notice = await provider.handleNotice(c.req.raw, ctx);
    if (notice.kind === 'ignore') return notice.reply();

    const ref = notice.ref.providerRef;
    const order = await orders.findByRef(provider.id, ref);
    if (!order) {
      log.warn('notice_unknown_order', { provider: provider.id });
      return notice.reply();
    }
    const lookedUpMomentsAgo = (o: Order) => o.checkedAt !== undefined && now().getTime() - Date.parse(o.checkedAt) < LOOKUP_REUSE_MS;
    if (!worthALookup(order, notice.claimedStatus, ref)) {
      // A repeat for a final order: nothing to confirm, but its change must have been told.
      if (orders.untold(order)) await orders.update(order.id, (o) => o, { tidy: true });
      return notice.reply();
    }
    if (lookedUpMomentsAgo(order)) throw throttled();
    // One lookup at a time per order: a notice that finds another one's lookup in flight waits for
    // its result by reading the order (not by queueing on its lease), then answers from it.
    if (!(await store.add(`notice-lookup:${order.id}`, 1, { ttlSeconds: LOOKUP_CLAIM_SECONDS }))) {
      for (const until = Date.now() + LOOKUP_CLAIM_SECONDS * 1000; Date.now() < until; await sleep(WAIT_POLL_MS)) {
        const current = await orders.get(order.id);
        if (current && !worthALookup(current, notice.claimedStatus, ref)) return notice.reply();
        if (current?.checkedAt !== order.checkedAt) break;
      }
      throw throttled();
    }
    try {
      await orders.update(order.id, async function confirmNotice(current) {
        if (!worthALookup(current, notice.claimedStatus, ref)) return current;
        if (lookedUpMomentsAgo(current)) throw throttled();
        // The current attempt's payment as we hold it. Another attempt's as the provider finds it by
        // our reference; only a provider that cannot be asked so is asked with the id the notice gave
        // (those check that what they answer is under our reference, and sign their notices).
        const lookup: PaymentRef =
          current.payment?.providerRef === ref
            ? current.payment
            : ((await provider.findPayment({ providerRef: ref }, ctx)) ?? { providerRef: ref, ...(notice.ref.providerId ? { providerId: notice.ref.providerId } : {}) });
        const result = await statusOf(provider, lookup);
        const next = applyStatus(current, result, log, { ref, now });
        if (next === current && notice.claimedStatus !== result.status) {
          log.warn('notice_not_confirmed', { orderId: current.id, provider: provider.id, claimed: notice.claimedStatus, confirmed: result.status });
        }
        return { ...next, checkedAt: now().toISOString() };
      });
    } finally {
      await store.delete(`notice-lookup:${order.id}`);
    }
    return notice.reply();
  });
}
