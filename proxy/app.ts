// createApp(config, deps) → the Hono app. Identical on Node and Workers; the entry points only
// differ in where configuration, storage and the network come from.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from './lib/config';
import type { ProviderId } from './lib/contract';
import { KasirError } from './lib/errors';
import { defaultMethods } from './lib/methods';
import type { FetchLike } from './lib/http';
import { createLogger } from './lib/log';
import { withCheckedPayments } from './lib/payment-urls';
import { createRateLimit } from './lib/rate-limit';
import { withRetries } from './lib/retry';
import { createIdempotency } from './orders/idempotency';
import { createReconciler } from './orders/reconcile';
import { createOrderRepository } from './orders/repository';
import { createWebhookSender } from './orders/webhook';
import { createProviders } from './providers';
import type { ProviderContext } from './providers/types';
import { createCheckoutRoutes } from './routes/checkouts';
import { createConfigRoutes } from './routes/config';
import { createNotifyRoutes } from './routes/notify';
import { mountSandboxes } from './sandbox';
import type { AppDeps, AppServices, KasirEnv } from './services';
import { createMemoryStore, StoreUnavailableError } from './store';

const CHECKOUT_BODY_LIMIT = 16 * 1024;
const NOTICE_BODY_LIMIT = 64 * 1024;

export function createApp(config: Config, deps: AppDeps = {}) {
  const store = deps.store ?? createMemoryStore();
  const log = deps.log ?? createLogger();
  const now = deps.now ?? (() => new Date());
  const fetchFn: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));
  const providerContext = (id: ProviderId): ProviderContext => ({
    fetch: fetchFn,
    ...(deps.fetchWithGetBody ? { fetchWithGetBody: deps.fetchWithGetBody } : {}),
    now,
    log,
    notifyUrl: `${config.publicUrl}/v1/notify/${id}`,
    timeoutMs: config.providerTimeoutMs,
  });
  const orders = createOrderRepository(store, {
    events: !!(config.webhookUrl && config.webhookSecret),
    now,
    onStatusChange(before, after) {
      log.info('order_status_changed', { orderId: after.id, provider: after.provider, from: before.status, to: after.status });
      // The event was written with the change; sent now, outside the order's lease and without
      // holding up the provider's notice. A send cut short is retried by the sweep.
      void webhooks?.deliver(after.id);
    },
  });
  const webhooks =
    config.webhookUrl && config.webhookSecret
      ? createWebhookSender({ url: config.webhookUrl, secret: config.webhookSecret, orders, store, fetch: fetchFn, now, log })
      : undefined;
  const providers = withCheckedPayments(deps.providers ?? createProviders(config), config);
  const services: AppServices = {
    config,
    providers,
    methods: config.methods ?? defaultMethods([...providers.keys()], config.providers.amdigipay?.paymentId),
    orders,
    idempotency: createIdempotency(store, { waitMs: config.providerTimeoutMs + 2_000 }),
    store,
    log,
    now,
    fetch: fetchFn,
    providerContext,
    statusOf: (provider, ref) => withRetries(() => provider.getStatus(ref, providerContext(provider.id))),
    webhooks,
  };

  const tooLarge = (limit: number) => {
    const onError = () => {
      throw new KasirError(413, 'body_too_large', `The request body is larger than ${limit / 1024} KiB.`);
    };
    const streamed = bodyLimit({ maxSize: limit, onError });
    return async function limitBody(c: Context, next: () => Promise<void>) {
      // A declared length decides at once; only a streamed body is counted as it arrives (touching
      // the body stream makes @hono/node-server build a full Request for every checkout).
      const length = c.req.header('Content-Length');
      if (length === undefined || c.req.header('Transfer-Encoding') !== undefined) return streamed(c, next);
      if (Number(length) > limit) onError();
      await next();
    };
  };

  const app = new Hono<KasirEnv>();
  app.use(requestId({ headerName: '' }));
  app.use(async function logRequest(c, next) {
    const started = performance.now();
    await next();
    c.header('X-Request-Id', c.var.requestId);
    // The route pattern, not the path: paths can carry ids and whatever a client typed.
    log.info('request', {
      requestId: c.var.requestId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  // overwrite: false lets a route choose its own value: the simulators' hosted pages send
  // Cross-Origin-Opener-Policy: unsafe-none (sandbox/page.ts); every other route keeps same-origin.
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin', overwrite: false }));
  app.use(
    '/v1/*',
    cors({
      origin: (origin) => (config.allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Content-Type', 'Idempotency-Key'],
      exposeHeaders: ['Idempotent-Replayed'],
      maxAge: 600,
    }),
  );
  app.use('/v1/checkouts', tooLarge(CHECKOUT_BODY_LIMIT));
  app.use(
    '/v1/checkouts',
    createRateLimit({ store, limit: config.rateLimitPerMinute, now: () => now().getTime(), clientKey: (c) => deps.clientIp?.(c) ?? 'unknown' }),
  );
  app.use('/v1/notify/*', tooLarge(NOTICE_BODY_LIMIT));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/v1/config', createConfigRoutes(services));
  app.route('/v1/checkouts', createCheckoutRoutes(services));
  app.route('/v1/notify', createNotifyRoutes(services));
  if (config.sandbox) mountSandboxes(app, services);

  app.notFound((c) => c.json(new KasirError(404, 'not_found', 'No such route.').toBody(), 404));
  app.onError(function handleError(err, c) {
    if (err instanceof KasirError) return c.json(err.toBody(), err.status);
    if (err instanceof StoreUnavailableError) {
      log.error('store_unavailable', { code: err.code, route: c.req.routePath });
      c.header('Retry-After', '5');
      return c.json(new KasirError(503, 'store_unavailable', 'The proxy cannot reach its storage; try again shortly.').toBody(), 503);
    }
    if (err instanceof HTTPException) {
      return c.json(new KasirError(err.status as 400, 'bad_request', 'The request could not be read.').toBody(), err.status as 400);
    }
    // Never the message (a path, a provider's text); a system error's code and where it was thrown.
    const { code } = err as { code?: unknown };
    const at = /\n\s+at (.+)/.exec((err instanceof Error && err.stack) || '')?.[1];
    log.error('unhandled_error', {
      name: err instanceof Error ? err.name : typeof err,
      ...(typeof code === 'string' && { code }),
      ...(at && { at }),
      route: c.req.routePath,
    });
    return c.json(new KasirError(500, 'internal_error', 'Something went wrong on our side.').toBody(), 500);
  });
  // The app also carries the sweep that a scheduler runs (a timer on Node, a Cron Trigger on Workers).
  return Object.assign(app, { reconcile: createReconciler(services) });
}
