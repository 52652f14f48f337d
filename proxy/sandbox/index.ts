// Mounts a simulator under /sandbox/<provider> for every provider (KASIR_SANDBOX=1 runs no real
// one: loadConfig refuses real credentials next to it). The simulators' credentials are public, so
// anyone can drive them; what they can make the proxy do is fenced here, once for all four:
// notices go only to this proxy's own notify URLs, redirects only to the shop's allowed return
// URLs, and a proxy reachable beyond loopback says at start that anyone can mark its orders paid.
import type { Hono } from 'hono';
import type { AppServices, KasirEnv } from '../services';
import type { Config } from '../lib/config';
import { PROVIDER_IDS, type ProviderId } from '../lib/contract';
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

/** Protocol, host and path: what a notice may be sent to, without a query a request could add. */
const target = (input: string | URL | Request) => {
  const url = new URL(input instanceof Request ? input.url : input);
  return `${url.origin}${url.pathname}`;
};

export function mountSandboxes(app: Hono<KasirEnv>, { config, store, fetch, now, log }: AppServices) {
  const notifyUrl = (id: ProviderId) => `${config.publicUrl}/v1/notify/${id}`;
  const ownNotifyUrls = new Set(PROVIDER_IDS.map(notifyUrl));
  // A simulator's only way out: anything but our own notify URLs (a UAPAY callbackUrl can be any
  // URL a caller typed) is refused before a connection is made.
  const noticesHomeOnly: FetchLike = async (input, init) => {
    if (URL.canParse(input instanceof Request ? input.url : input) && ownNotifyUrls.has(target(input))) return fetch(input, init);
    log.warn('sandbox_notice_refused', { reason: 'not this proxy’s notify URL' });
    throw new TypeError('sandbox notices go only to this proxy');
  };
  const deps: SandboxDeps = { store, fetch: noticesHomeOnly, now, log, notifyUrl };

  // A pay page's buttons send the shopper back to the URL given at create: only where the shop
  // allows (what the proxy itself always sends), or within the sandbox; never to any other site.
  app.use('/sandbox/*', async function returnOnlyToTheShop(c, next) {
    await next();
    const location = c.res.headers.get('Location');
    if (location === null) return;
    const inSandbox = URL.canParse(location) && new URL(location).origin === new URL(config.publicUrl).origin && new URL(location).pathname.startsWith('/sandbox/');
    if (inSandbox || isAllowedReturnUrl(location, config.returnUrls)) return;
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
  if (winpay?.sandbox) app.route('/sandbox/winpay', createWinpaySandbox(winpay, deps));
  if (faspay?.sandbox) app.route('/sandbox/faspay', createFaspaySandbox(faspay, deps));
  if (uapay?.sandbox) app.route('/sandbox/uapay', createUapaySandbox(uapay, deps));
  if (amdigipay?.sandbox) app.route('/sandbox/amdigipay', createAmdigipaySandbox(amdigipay, deps));
}
