// POST /v1/notify/:provider — a provider's payment notice. Verified by the provider file, then
// confirmed by a status lookup of the order we hold (never of ids the notice names), then applied
// once. The provider gets its expected reply even for notices we ignore, so it stops retrying.
import { Hono } from 'hono';
import type { ProviderId } from '../lib/contract';
import { notFound } from '../lib/errors';
import { applyStatus } from '../lib/orders';
import type { AppServices } from '../app';

export function createNotifyRoutes({ providers, orders, log, providerContext }: AppServices) {
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
    const result = await provider.getStatus(order.payment, ctx);
    const next = applyStatus(order, result, log);
    if (next !== order) {
      await orders.save(next);
      log.info('order_status_changed', { orderId: order.id, provider: provider.id, from: order.status, to: next.status });
    } else if (notice.claimedStatus !== result.status) {
      log.warn('notice_not_confirmed', { orderId: order.id, provider: provider.id, claimed: notice.claimedStatus, confirmed: result.status });
    }
    return notice.reply();
  });
}
