// Mounts a simulator under /sandbox/<provider> for every provider the configuration points at the
// sandbox (KASIR_SANDBOX=1 and no credentials of its own).
import type { Context, Hono } from 'hono';
import type { AppServices, KasirEnv } from '../services';
import type { Locale, ProviderId } from '../lib/contract';
import type { FetchLike } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Store } from '../store';
import { createAmdigipaySandbox } from './amdigipay';
import { createFaspaySandbox } from './faspay';
import { hostedPageHeaders, pageLocale } from './page';
import { createUapaySandbox } from './uapay';
import { createWinpaySandbox } from './winpay';

export interface SandboxDeps {
  store: Store;
  fetch: FetchLike;
  now: () => Date;
  log: Logger;
  /** The proxy's notice URL for a provider (what the merchant would set in the provider's dashboard). */
  notifyUrl: (provider: ProviderId) => string;
  /** The merchant's name, as a provider's dashboard would hold it (the catalog's `merchant.name`). */
  merchantName?: string;
  /**
   * The shopper's language for an order the page shows, by our reference at the provider. It stands
   * in for what a real page learns from the shopper's browser or account.
   */
  shopperLocale?: (provider: ProviderId, providerRef: string) => Promise<Locale | undefined>;
}

/** The language and merchant name a hosted page shows for one of our orders. */
export async function pageContext(c: Context, deps: SandboxDeps, provider: ProviderId, providerRef: string) {
  return { lang: pageLocale(c, await deps.shopperLocale?.(provider, providerRef)), merchantName: deps.merchantName ?? 'Kasir sandbox merchant' };
}

export function mountSandboxes(app: Hono<KasirEnv>, { config, store, fetch, now, log, orders }: AppServices) {
  const deps: SandboxDeps = {
    store,
    fetch,
    now,
    log,
    notifyUrl: (id) => `${config.publicUrl}/v1/notify/${id}`,
    merchantName: config.merchant?.name,
    shopperLocale: async (provider, ref) => (await orders.findByRef(provider, ref))?.locale,
  };
  app.use('/sandbox/*', hostedPageHeaders);
  const { winpay, faspay, uapay, amdigipay } = config.providers;
  if (winpay?.sandbox) app.route('/sandbox/winpay', createWinpaySandbox(winpay, deps, { feeModel: config.winpaySandboxFee }));
  if (faspay?.sandbox) app.route('/sandbox/faspay', createFaspaySandbox(faspay, deps));
  if (uapay?.sandbox) app.route('/sandbox/uapay', createUapaySandbox(uapay, deps));
  if (amdigipay?.sandbox) app.route('/sandbox/amdigipay', createAmdigipaySandbox(amdigipay, deps));
}
