// POST /v1/notify/:provider — a provider's payment notice. Verified by the provider file, then
// confirmed by a status lookup of the order we hold (never of ids the notice names), then applied
// once. The provider gets its expected reply even for notices we ignore, so it stops retrying.
import { Hono } from 'hono';
import { FINAL_STATUSES, type ProviderId } from '../lib/contract';
import { notFound } from '../lib/errors';
import { applyStatus } from '../orders/repository';
import type { AppServices } from '../services';

export function createNotifyRoutes({ providers, orders, log, providerContext, statusOf }: AppServices) {
  return new Hono().post('/:provider', async function receiveNotice(c) {
    const provider = providers.get(c.req.param('provider') as ProviderId);
    if (!provider) throw notFound('provider_unavailable', 'This payment provider is not enabled.');
    const ctx = providerContext(provider.id);
    const notice = await provider.handleNotice(c.req.raw, ctx);
    if (notice.kind === 'ignore') return notice.reply();

    const order = await orders.findByRef(provider.id, notice.ref.providerRef);
    if (!order?.payment) {
      log.warn('notice_unknown_order', { provider: provider.id });
      return notice.reply();
    }
    await orders.update(order.id, async function confirmNotice(current) {
      // A final order only moves on to refunded; a repeated notice costs no lookup.
      if (FINAL_STATUSES.has(current.status) && notice.claimedStatus !== 'refunded') return current;
      const result = await statusOf(provider, current.payment!);
      const next = applyStatus(current, result, log);
      if (next === current && notice.claimedStatus !== result.status) {
        log.warn('notice_not_confirmed', { orderId: current.id, provider: provider.id, claimed: notice.claimedStatus, confirmed: result.status });
      }
      return next;
    });
    return notice.reply();
  });
}
