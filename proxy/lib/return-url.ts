// The return URL a provider sends the customer to: only under a configured prefix (same origin,
// path beneath, at a path-segment boundary), so the proxy can never be used as an open redirect.
import { badRequest } from './errors';

export function isAllowedReturnUrl(candidate: string, prefixes: readonly string[]): boolean {
  if (!URL.canParse(candidate) || /[\\\s]/.test(candidate)) return false;
  const url = new URL(candidate);
  if (url.username || url.password) return false;
  // Encoded dots and slashes could climb out of the prefix on a server that decodes them late.
  if (/%2e|%2f|%5c/i.test(url.pathname)) return false;
  return prefixes.some((prefix) => {
    const allowed = new URL(prefix);
    if (url.origin !== allowed.origin) return false;
    // `/pay` covers `/pay` and `/pay/…`, not `/payday`: a prefix is whole path segments.
    const base = allowed.pathname;
    return url.pathname === base || url.pathname.startsWith(base.endsWith('/') ? base : `${base}/`);
  });
}

/** The checkout's returnUrl with `kasir_order=<order id>` added, or a 400. */
export function buildReturnUrl(candidate: string | undefined, prefixes: readonly string[], orderId: string): string {
  if (!candidate) throw badRequest('return_url_required', 'A returnUrl is required.', 'returnUrl');
  if (!isAllowedReturnUrl(candidate, prefixes)) throw badRequest('return_url_not_allowed', 'The returnUrl is not allowed.', 'returnUrl');
  const url = new URL(candidate);
  url.searchParams.set('kasir_order', orderId);
  return url.href;
}
