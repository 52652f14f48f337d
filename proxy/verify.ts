// `kasir/verify`: checks the Kasir-Signature header of a webhook from a Kasir proxy, in a merchant
// backend on any runtime (Node, Workers, Deno, Bun). Synchronous, no Node-only imports: the HMAC
// is @noble/hashes. Header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`; several
// v1 entries may appear (a secret being rotated), one match is enough.
import { hmacSha256Hex, timingSafeEqual } from './lib/signing';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type KasirSignatureErrorCode = 'signature_header_invalid' | 'signature_timestamp_stale' | 'signature_mismatch';

export class KasirSignatureError extends Error {
  constructor(
    readonly code: KasirSignatureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KasirSignatureError';
  }
}

/** The Kasir-Signature header value for `payload` sent at `timestamp` (unix seconds). */
export function kasirSignatureHeader(payload: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacSha256Hex(secret, `${timestamp}.${payload}`)}`;
}

/**
 * True when `header` signs `payload` (the raw request body, exactly as received: not re-serialised
 * JSON) under `secret` at a time within `toleranceSeconds` of `now`; throws KasirSignatureError
 * (with a stable `code`) otherwise, so an unchecked result cannot let a forgery through.
 */
export function verifyKasirSignature(
  payload: string,
  header: string | null | undefined,
  secret: string,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = new Date() }: { toleranceSeconds?: number; now?: Date } = {},
): true {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of (header ?? '').split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new KasirSignatureError('signature_header_invalid', 'The Kasir-Signature header is missing or malformed.');
  }
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) {
    throw new KasirSignatureError('signature_timestamp_stale', 'The Kasir-Signature timestamp is outside the tolerance (replayed, or a clock is wrong).');
  }
  const expected = hmacSha256Hex(secret, `${timestamp}.${payload}`);
  // Compare with every candidate, so the time taken does not tell which one (if any) matched.
  const matched = signatures.reduce((found, signature) => timingSafeEqual(expected, signature) || found, false);
  if (!matched) throw new KasirSignatureError('signature_mismatch', 'The Kasir-Signature does not match this body and secret.');
  return true;
}
