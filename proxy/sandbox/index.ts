// Mounts a simulator under /sandbox/<provider> for every provider (KASIR_SANDBOX=1 runs no real
// one: loadConfig refuses real credentials next to it). The simulators' credentials are public, so
// anyone can drive them; what they can make the proxy do is fenced here, once for all four:
// notices go only to this proxy's own notify URLs, redirects only to the shop's allowed return
// URLs, and a proxy reachable beyond loopback says at start that anyone can mark its orders paid.
import type { Hono } from 'hono';
import type { AppServices, KasirEnv } from '../services';
import type { Config } from '../lib/config';
import type { ProviderId } from '../lib/contract';
import type { FetchLike } from '../lib/http';
import type { Logger } from '../lib/log';
import { isLoopbackHost } from '../lib/payment-urls';
import { isAllowedReturnUrl } from '../lib/return-url';
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

/** The start-up warning for a sandbox that others can reach, or undefined when it is on loopback only. */
export function sandboxExposureWarning(config: Pick<Config, 'sandbox' | 'publicUrl'>): string | undefined {
  if (!config.sandbox || isLoopbackHost(new URL(config.publicUrl).hostname)) return undefined;
  return `KASIR_SANDBOX=1 with KASIR_PUBLIC_URL ${config.publicUrl}: anyone who can reach ${config.publicUrl} can mark sandbox orders paid (no real money moves; keep it off a live shop).`;
}

/** Origin and path: where a notice goes, whatever query a caller added. */
const target = (url: string) => `${new URL(url).origin}${new URL(url).pathname}`;

export function mountSandboxes(app: Hono<KasirEnv>, { config, store, fetch, now, log }: AppServices) {
  const notifyUrl = (id: ProviderId) => `${config.publicUrl}/v1/notify/${id}`;
  // A simulator's only way out: its own provider's notify URL on this proxy. Anything else (a
  // UAPAY callbackUrl can be any URL a caller typed) is refused before a connection is made.
  const depsFor = (id: ProviderId): SandboxDeps => ({
    store,
    now,
    log,
    notifyUrl,
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (URL.canParse(url) && target(url) === notifyUrl(id)) return fetch(input, init);
      log.warn('sandbox_notice_refused', { provider: id, reason: 'not this proxy’s notify URL' });
      throw new TypeError('sandbox notices go only to this proxy');
    },
  });

  // A pay page's buttons send the shopper back to the URL given at create: only where the shop
  // allows (what the proxy itself always sends), or within the sandbox; never to any other site.
  const sandboxHome = new URL(`${config.publicUrl}/sandbox/`).href;
  app.use('/sandbox/*', async function returnOnlyToTheShop(c, next) {
    await next();
    const location = c.res.headers.get('Location');
    if (location === null) return;
    if (isAllowedReturnUrl(location, config.returnUrls) || (URL.canParse(location) && new URL(location).href.startsWith(sandboxHome))) return;
    // A fresh Response, so that no header of the refused one (its Location) is carried over.
    c.res = undefined;
    c.res = new Response('The sandbox returns shoppers only to the shop’s allowed return URLs (KASIR_RETURN_URLS).', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
    });
  });

  const warning = sandboxExposureWarning(config);
  if (warning) log.warn('sandbox_public', { message: warning });

  const { winpay, faspay, uapay, amdigipay } = config.providers;
  if (winpay?.sandbox) app.route('/sandbox/winpay', createWinpaySandbox(winpay, depsFor('winpay'), { feeModel: config.winpaySandboxFee }));
  if (faspay?.sandbox) app.route('/sandbox/faspay', createFaspaySandbox(faspay, depsFor('faspay')));
  if (uapay?.sandbox) app.route('/sandbox/uapay', createUapaySandbox(uapay, depsFor('uapay')));
  if (amdigipay?.sandbox) app.route('/sandbox/amdigipay', createAmdigipaySandbox(amdigipay, depsFor('amdigipay')));
}
