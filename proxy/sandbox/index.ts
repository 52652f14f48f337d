// Mounts a simulator under /sandbox/<provider> for every provider the configuration points at the
// sandbox (KASIR_SANDBOX=1 and no credentials of its own).
import type { Hono } from 'hono';
import type { AppServices, KasirEnv } from '../services';
import type { ProviderId } from '../lib/contract';
import type { FetchLike } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Store } from '../store';
import { createAmdigipaySandbox } from './amdigipay';
import { createFaspaySandbox } from './faspay';
import { createUapaySandbox } from './uapay';
import { createWinpaySandbox } from './winpay';

export interface SandboxDeps {
  store: Store;
  fetch: FetchLike;
  now: () => Date;
  log: Logger;
  /** The proxy's notice URL for a provider (what the merchant would set in the provider's dashboard). */
  notifyUrl: (provider: ProviderId) => string;
}

export function mountSandboxes(app: Hono<KasirEnv>, { config, store, fetch, now, log }: AppServices) {
  const deps: SandboxDeps = { store, fetch, now, log, notifyUrl: (id) => `${config.publicUrl}/v1/notify/${id}` };
  const { winpay, faspay, uapay, amdigipay } = config.providers;
  if (winpay?.sandbox) app.route('/sandbox/winpay', createWinpaySandbox(winpay, deps, { feeModel: config.winpaySandboxFee }));
  if (faspay?.sandbox) app.route('/sandbox/faspay', createFaspaySandbox(faspay, deps));
  if (uapay?.sandbox) app.route('/sandbox/uapay', createUapaySandbox(uapay, deps));
  if (amdigipay?.sandbox) app.route('/sandbox/amdigipay', createAmdigipaySandbox(amdigipay, deps));
}
