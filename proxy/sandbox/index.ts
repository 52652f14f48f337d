// Mounts a simulator under /sandbox/<provider> for every provider the configuration points at the
// sandbox (KASIR_SANDBOX=1 and no credentials of its own).
import type { Hono } from 'hono';
import type { AppServices } from '../app';
import type { ProviderId } from '../lib/contract';
import type { FetchLike } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Store } from '../lib/store';
import { createWinpaySandbox } from './winpay';

export interface SandboxDeps {
  store: Store;
  fetch: FetchLike;
  now: () => Date;
  log: Logger;
  /** The proxy's notice URL for a provider (what the merchant would set in the provider's dashboard). */
  notifyUrl: (provider: ProviderId) => string;
}

export function mountSandboxes(app: Hono, { config, store, fetch, now, log }: AppServices) {
  const deps: SandboxDeps = { store, fetch, now, log, notifyUrl: (id) => `${config.publicUrl}/v1/notify/${id}` };
  const { winpay } = config.providers;
  if (winpay?.sandbox) app.route('/sandbox/winpay', createWinpaySandbox(winpay, deps));
}
