// POST /v1/checkouts creates a payment for a cart priced here; GET /v1/checkouts/:id reports it.
import { Hono } from 'hono';
import { CheckoutRequestSchema, type CheckoutRequestOutput } from '../lib/contract';
import { badRequest, KasirError, notFound } from '../lib/errors';
import { consumeCartNonce, type VerifiedCart, verifyCart } from '../lib/cart';
import { type PricedLine, totalOf } from '../lib/money';
import { applyStatus, toCheckoutView } from '../orders/repository';
import { resolveMethod } from '../lib/methods';
import { buildReturnUrl } from '../lib/return-url';
import { randomId, sha256Hex } from '../lib/signing';
import { parseJsonBody } from '../lib/validate';
import { attemptRefs, type Order } from '../orders/order';
import type { Provider } from '../providers/types';
import type { AppServices } from '../services';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** A pending order is refreshed from its provider at most this often, however often it is polled. */
const REFRESH_INTERVAL_MS = 5_000;
/** How long a poll waits for an order another request is changing, before it answers with the last known state. */
const POLL_LOCK_WAIT_MS = 1_000;

export function createCheckoutRoutes(services: AppServices) {
  const { config, providers, methods, orders, idempotency, log, providerContext, statusOf, now, store } = services;

  function providerFor(body: CheckoutRequestOutput): Provider {
    const provider = providers.get(resolveMethod(methods, body).provider);
    if (!provider) throw badRequest('provider_unavailable', 'This payment provider is not enabled.', 'provider');
    for (const field of provider.requires) {
      if (!body.customer[field]) throw badRequest(`${field}_required`, `${provider.name} needs the customer’s ${field}.`, `customer.${field}`);
    }
    return provider;
  }

  /** The chosen method and its channel, kept on the order (the provider's create reads the channel). */
  function methodFields(body: CheckoutRequestOutput): Pick<Order, 'method' | 'channel'> {
    const { method } = resolveMethod(methods, body);
    return method ? { method: method.id, ...(method.channel ? { channel: method.channel } : {}) } : {};
  }

  /** The priced lines: from a signed cart minted by the merchant's backend (returned too), or from the catalog. */
  function priceLines(body: CheckoutRequestOutput, provider: Provider): { lines: PricedLine[]; cart?: VerifiedCart } {
    if (body.cart === undefined) return { lines: config.catalog.priceLines(body.items ?? [], provider.currency) };
    if (!config.cartSecret) throw badRequest('cart_unsupported', 'Signed carts are not enabled on this proxy.', 'cart');
    const cart = verifyCart(config.cartSecret, body.cart, now());
    if (cart.currency !== provider.currency) {
      throw badRequest('currency_mismatch', `This cart is priced in ${cart.currency}; ${provider.name} takes ${provider.currency}.`, 'cart');
    }
    return { lines: cart.lines, cart };
  }

  async function newOrder(id: string, body: CheckoutRequestOutput, provider: Provider): Promise<Order> {
    const { lines, cart } = priceLines(body, provider);
    const order: Order = {
      id,
      provider: provider.id,
      status: 'pending',
      amount: totalOf(lines),
      currency: provider.currency,
      lines,
      ...(cart?.ref ? { ref: cart.ref } : {}),
      customer: body.customer,
      returnUrl: buildReturnUrl(body.returnUrl, config.returnUrls, id),
      locale: body.locale,
      ...methodFields(body),
      createdAt: now().toISOString(),
      providerRef: provider.refFor(id, 0),
    };
    // Spent last, once nothing in the request can still be refused (a bad returnUrl must not use up
    // the cart), and under its Idempotency-Key, so a retry of the same request resumes it instead
    // of being refused as a reuse.
    if (cart) await consumeCartNonce(store, cart.nonce, cart.expiresAt, now());
    return order;
  }

  /**
   * The order under this Idempotency-Key with its payment: created now, or resumed after an earlier
   * attempt whose answer was lost. Every reference is indexed before the provider hears of it, so
   * whatever happens next a notice finds its order.
   */
  async function placeOrder(orderId: string, resumed: boolean, body: CheckoutRequestOutput, provider: Provider): Promise<Order> {
    const earlier = resumed ? await orders.get(orderId) : undefined;
    if (earlier?.payment) return earlier;
    const ctx = providerContext(provider.id);
    let order = earlier;
    if (!order) {
      order = await newOrder(orderId, body, provider);
      await orders.create(order);
    } else {
      // The earlier attempt may have made a payment: a provider that can be asked by our reference
      // returns it. Otherwise a new attempt under a new reference (the provider refuses a second
      // create under the old one); the old one stays indexed, so its invoice, if paid, still counts.
      const found = await provider.findPayment({ providerRef: order.providerRef }, ctx);
      if (found) return orders.attachPayment(order.id, found);
      order = await orders.addAttempt(order, provider.refFor(order.id, attemptRefs(order).length));
    }
    const created = await orders.attachPayment(order.id, await provider.createPayment(order, ctx));
    log.info('checkout_created', { orderId: order.id, provider: provider.id, amount: order.amount });
    return created;
  }

  return new Hono()
    .post('/', async function createCheckout(c) {
      const key = c.req.header('Idempotency-Key');
      if (!key || !IDEMPOTENCY_KEY.test(key)) {
        throw badRequest('idempotency_key_required', 'An Idempotency-Key header of 1–255 visible characters is required.');
      }
      const body = await parseJsonBody(c.req.raw, CheckoutRequestSchema);
      const provider = providerFor(body);
      const start = await idempotency.start(key, sha256Hex(JSON.stringify(body)), () => randomId('ord_'));
      if (start.kind === 'replay') {
        c.header('Idempotent-Replayed', 'true');
        return c.json(start.body as object, start.status as 201);
      }
      try {
        const view = toCheckoutView(await placeOrder(start.orderId, start.resumed, body, provider));
        await start.finish(201, view);
        return c.json(view, 201);
      } catch (err) {
        await start.abandon();
        throw err;
      }
    })
    .get('/:id', async function getCheckout(c) {
      const order = await orders.get(c.req.param('id'));
      if (!order) throw notFound('order_not_found', 'No such checkout.');
      const provider = providers.get(order.provider);
      const due = (o: Order) => o.status === 'pending' && o.payment && now().getTime() - (o.checkedAt ? Date.parse(o.checkedAt) : 0) >= REFRESH_INTERVAL_MS;
      if (!provider || !due(order)) return c.json(toCheckoutView(order));
      try {
        // A poll never waits long behind a notice or the sweep: it shows what is known.
        const current = await orders.update(
          order.id,
          async function refreshStatus(o) {
            if (!due(o)) return o;
            const result = await statusOf(provider, o.payment!);
            return { ...applyStatus(o, result, log, { now }), checkedAt: now().toISOString() };
          },
          { waitMs: POLL_LOCK_WAIT_MS },
        );
        return c.json(toCheckoutView(current ?? order));
      } catch (err) {
        log.warn('status_refresh_failed', { orderId: order.id, code: err instanceof KasirError ? err.code : 'internal' });
        return c.json(toCheckoutView(order));
      }
    });
}
