// The types the app and its route factories share, apart from app.ts so that routes need not
// import the module that mounts them.
import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Config } from './lib/config';
import type { ProviderId } from './lib/contract';
import type { FetchLike } from './lib/http';
import type { Logger } from './lib/log';
import type { Idempotency } from './orders/idempotency';
import type { OrderRepository } from './orders/repository';
import type { WebhookSender } from './orders/webhook';
import type { PaymentRef, Provider, ProviderContext, StatusResult } from './providers/types';
import type { Store } from './store';

export interface AppDeps {
  store?: Store;
  /** Used for every outgoing call (providers, simulators' notices). */
  fetch?: FetchLike;
  /** A fetch that can send a GET with a body (see ProviderContext.fetchWithGetBody); Node passes one. */
  fetchWithGetBody?: FetchLike;
  now?: () => Date;
  log?: Logger;
  /** Replaces the providers built from config (tests). */
  providers?: Map<ProviderId, Provider>;
  /** The client's address, for rate limiting (the runtime knows it: socket on Node, CF-Connecting-IP on Workers). */
  clientIp?: (c: Context) => string | undefined;
}

export type KasirEnv = { Variables: RequestIdVariables };

/** What the route factories share. */
export interface AppServices {
  config: Config;
  providers: Map<ProviderId, Provider>;
  orders: OrderRepository;
  idempotency: Idempotency;
  store: Store;
  log: Logger;
  now: () => Date;
  fetch: FetchLike;
  providerContext: (id: ProviderId) => ProviderContext;
  /** A status lookup with retries (lookups are safe to repeat; creates never are). */
  statusOf: (provider: Provider, ref: PaymentRef) => Promise<StatusResult>;
  /** The merchant's webhook, when KASIR_WEBHOOK_URL is set. */
  webhooks?: WebhookSender;
}
