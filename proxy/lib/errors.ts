// One error type for everything the proxy refuses or fails at. The code is stable (clients and
// tests match on it); the message is ours, never a provider body, a submitted value or a stack.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from './contract';

export class KasirError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'KasirError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const badRequest = (code: string, message: string, field?: string) => new KasirError(400, code, message, field);
export const notFound = (code: string, message: string) => new KasirError(404, code, message);

// What a provider call can turn into. The proxy answers the widget with these, never with the
// provider's own words (they may hold customer data or internals).
export const providerErrors = {
  timeout: () => new KasirError(504, 'provider_timeout', 'The payment provider did not answer in time.'),
  unreachable: () => new KasirError(502, 'provider_unreachable', 'The payment provider could not be reached.'),
  badResponse: () => new KasirError(502, 'provider_bad_response', 'The payment provider sent an unreadable answer.'),
  unavailable: () => new KasirError(502, 'provider_unavailable', 'The payment provider is unavailable; try again shortly.'),
  auth: () => new KasirError(502, 'provider_auth_failed', 'The payment provider refused our credentials.'),
  rejected: () => new KasirError(502, 'provider_rejected', 'The payment provider refused the payment request.'),
  notFound: () => new KasirError(502, 'provider_not_found', 'The payment provider does not know this payment.'),
};
