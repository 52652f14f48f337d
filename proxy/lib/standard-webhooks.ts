// Merchant webhooks signed the Standard Webhooks way (standardwebhooks.com), so the official
// verifiers in JS, PHP, Python, Go, Ruby … accept them as they are: the headers `webhook-id` (the
// stable event id), `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 of
// HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, several space-separated when a secret is rotated.
//
// The key comes from KASIR_WEBHOOK_SECRET: `whsec_<base64>` is the standard form (the bytes after the
// prefix, base64-decoded). A plain secret of an older setup keeps working: its UTF-8 bytes are the
// key, which is the same as `whsec_` + base64(plain secret) for the official libraries.
// No Node-only imports: the proxy signs with it on every runtime, and kasir/verify bundles it.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The spec asks for 24–64 random bytes. */
export const MIN_KEY_BYTES = 24;
export const MAX_KEY_BYTES = 64;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The bytes of standard base64 (padded or not), or undefined when it is not that. */
export function base64Decode(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The HMAC key a KASIR_WEBHOOK_SECRET stands for; undefined when a `whsec_` secret is not valid base64 of 24–64 bytes. */
export function webhookKey(secret: string): Uint8Array | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return secret ? utf8ToBytes(secret) : undefined;
  const key = base64Decode(secret.slice(WEBHOOK_SECRET_PREFIX.length));
  return key && key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : undefined;
}

/** webhookKey for a secret that must be valid (loadConfig has checked it): throws at once otherwise. */
export function requireWebhookKey(secret: string): Uint8Array {
  const key = webhookKey(secret);
  if (!key) throw new TypeError('The webhook secret is neither whsec_<base64 of 24–64 bytes> nor a plain secret');
  return key;
}

/** `v1,<base64 signature>` of one delivery. */
export function webhookSignature(key: Uint8Array, id: string, timestamp: number, body: string): string {
  return `v1,${base64Encode(hmac(sha256, key, utf8ToBytes(`${id}.${timestamp}.${body}`)))}`;
}

/** The three headers of one delivery attempt; `timestamp` in unix seconds (a retry is signed anew). */
export function standardWebhookHeaders(key: Uint8Array, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(key, id, timestamp, body),
  };
}
