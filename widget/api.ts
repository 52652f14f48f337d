// Typed client of the Kasir proxy. Every failure becomes a KasirApiError carrying a stable code:
// the proxy's `error.code` for a non-2xx answer, `network_error` when no answer arrived.
import type { CheckoutRequestInput, CheckoutView, ErrorBody, PublicConfig } from '../proxy/lib/contract.js';

/** The query parameter the proxy adds to the return URL. */
export const ORDER_PARAM = 'kasir_order';
export const NETWORK_ERROR = 'network_error';
export const ABORTED = 'aborted';

export class KasirApiError extends Error {
  readonly code: string;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** The request field at fault, as the proxy names it (`customer.phone`). */
  readonly field?: string;

  constructor(code: string, message: string, status = 0, field?: string) {
    super(message);
    this.name = 'KasirApiError';
    this.code = code;
    this.status = status;
    this.field = field;
  }

  /**
   * The attempt may have reached the provider (no answer, a 5xx, or the proxy still working on
   * that key): a retry of the same body must reuse its Idempotency-Key.
   */
  get retryable(): boolean {
    return this.status >= 500 || [NETWORK_ERROR, ABORTED, 'idempotency_in_progress'].includes(this.code);
  }
}

export function toApiError(err: unknown): KasirApiError {
  return err instanceof KasirApiError ? err : new KasirApiError('unexpected_error', String(err));
}

function isErrorBody(data: unknown): data is ErrorBody {
  const error = (data as Partial<ErrorBody> | null)?.error;
  return typeof error?.code === 'string';
}

function url(endpoint: string, path: string): string {
  return endpoint.replace(/\/+$/, '') + path;
}

async function request<T>(href: string, init: RequestInit = {}): Promise<T> {
  const aborted = () => new KasirApiError(ABORTED, 'Request aborted');
  let res: Response;
  try {
    res = await fetch(href, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    throw init.signal?.aborted ? aborted() : new KasirApiError(NETWORK_ERROR, 'Network request failed');
  }
  const data: unknown = await res.json().catch(() => undefined);
  // Cut while the body was read: the caller's abort, not an unreadable answer.
  if (init.signal?.aborted) throw aborted();
  if (!res.ok) {
    if (isErrorBody(data)) {
      const { code, message, field } = data.error;
      throw new KasirApiError(code, String(message ?? ''), res.status, typeof field === 'string' ? field : undefined);
    }
    throw new KasirApiError(res.status >= 500 ? 'server_error' : 'request_failed', `HTTP ${res.status}`, res.status);
  }
  if (data === undefined || data === null) throw new KasirApiError('invalid_response', 'Unreadable response', res.status);
  return data as T;
}

/** `POST /v1/checkouts`. The body carries what the customer chose, never a price. */
export function createCheckout(
  endpoint: string,
  body: CheckoutRequestInput,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<CheckoutView> {
  return request(url(endpoint, '/v1/checkouts'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
    signal,
  });
}

/** `GET /v1/checkouts/:id`: the order's current state, as the proxy knows it. */
export function getCheckout(endpoint: string, id: string, signal?: AbortSignal): Promise<CheckoutView> {
  return request(url(endpoint, `/v1/checkouts/${encodeURIComponent(id)}`), { signal });
}

/** GET /v1/config requests started before an element asked (prefetchConfig), by endpoint. */
const prefetched = new Map<string, Promise<PublicConfig>>();

/**
 * `GET /v1/config`: the enabled providers and the catalog. The first call for an endpoint takes a
 * prefetched request, which `signal` cannot abort: the caller checks `signal.aborted` itself.
 */
export function getConfig(endpoint: string, signal?: AbortSignal): Promise<PublicConfig> {
  const early = prefetched.get(endpoint);
  prefetched.delete(endpoint);
  return early ?? request(url(endpoint, '/v1/config'), { signal });
}

/** Starts `GET /v1/config` now, for the element that will ask for it (boot.ts). */
export function prefetchConfig(endpoint: string): void {
  if (prefetched.has(endpoint)) return;
  const config = getConfig(endpoint);
  // The element that takes it reports a failure; one that nobody takes must not surface as an unhandled rejection.
  config.catch(() => {});
  prefetched.set(endpoint, config);
}

/** The order id the proxy put on the return URL, if this page is one. */
export function readOrderParam(href: string): string | undefined {
  return new URL(href).searchParams.get(ORDER_PARAM) || undefined;
}

/** The page's own URL minus a previous `kasir_order`, so the proxy can add a fresh one. */
export function defaultReturnUrl(href: string): string {
  const u = new URL(href);
  if (!u.searchParams.has(ORDER_PARAM)) return href;
  u.searchParams.delete(ORDER_PARAM);
  return u.href;
}

/** A random key: a UUID where `crypto.randomUUID` exists (secure contexts only), else 32 hex digits. */
export function newIdempotencyKey(): string {
  return (
    crypto.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
  );
}
