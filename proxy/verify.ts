// `kasir/verify`: checks a webhook from a Kasir proxy in a merchant backend on any runtime (Node,
// Workers, Deno, Bun), from `import` or `require`. Kasir signs the Standard Webhooks way
// (docs/webhooks.md), so any official Standard Webhooks library accepts the same deliveries; this
// one has no dependencies and is synchronous. Pass the raw body exactly as received (not
// re-serialised JSON), the request's headers and KASIR_WEBHOOK_SECRET.
import type { CheckoutView, PaymentStatus } from './lib/contract.js';
import { timingSafeEqual } from './lib/signing';
import { webhookKey, webhookSignature } from './lib/standard-webhooks';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** What every delivery's body holds. `id` is the same on every retry of one event: de-duplicate on it. */
export interface KasirWebhookEvent {
  id: string;
  type: `order.${PaymentStatus}`;
  /** Unix seconds. */
  created: number;
  data: CheckoutView;
}

export type WebhookVerificationErrorCode =
  | 'webhook_secret_invalid'
  | 'webhook_headers_invalid'
  | 'webhook_timestamp_stale'
  | 'webhook_signature_mismatch'
  | 'webhook_payload_invalid';

export class WebhookVerificationError extends Error {
  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** A fetch `Headers`, or a plain object of them as Node's `req.headers` and most frameworks give (any letter case). */
export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

/**
 * The event a delivery carries, once its `webhook-signature` is found to sign `payload` under
 * `secret` at a `webhook-timestamp` within `toleranceSeconds` of `now`. Throws
 * WebhookVerificationError (with a stable `code`) otherwise, so an unchecked result cannot let a
 * forgery through.
 */
export function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = new Date() }: { toleranceSeconds?: number; now?: Date } = {},
): KasirWebhookEvent {
  const key = webhookKey(secret);
  if (!key) throw new WebhookVerificationError('webhook_secret_invalid', 'The secret is not whsec_<base64 of 24–64 bytes> nor a plain secret.');
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = (header(headers, 'webhook-signature') ?? '').split(' ').filter((s) => s.startsWith('v1,'));
  if (!id || !timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    throw new WebhookVerificationError('webhook_headers_invalid', 'The webhook-id, webhook-timestamp or webhook-signature header is missing or malformed.');
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    throw new WebhookVerificationError('webhook_timestamp_stale', 'The webhook-timestamp is outside the tolerance (replayed, or a clock is wrong).');
  }
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  const expected = webhookSignature(key, id, Number(timestamp), body);
  // Compare with every candidate, so the time taken does not tell which one (if any) matched.
  const matched = signatures.reduce((found, signature) => timingSafeEqual(expected, signature) || found, false);
  if (!matched) throw new WebhookVerificationError('webhook_signature_mismatch', 'The webhook-signature does not match this body and secret.');
  try {
    return JSON.parse(body) as KasirWebhookEvent;
  } catch {
    throw new WebhookVerificationError('webhook_payload_invalid', 'The signed body is not JSON.');
  }
}
