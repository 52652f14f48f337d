// Signed carts: a merchant backend prices the cart itself and hands the browser a short-lived token
// that the proxy trusts instead of its catalog. Token v1: base64url(JSON payload) "." base64url(
// HMAC-SHA256 of that first segment under KASIR_CART_SECRET). The MAC covers the encoded text and
// is compared as text, so changing any character of either segment fails, however base64 is spelled.
import * as v from 'valibot';
import { CartItemSchema } from './contract';
import { KasirError } from './errors';
import { AmountSchema, MINOR_UNIT_DIGITS, type PricedLine } from './money';
import { base64Url, base64UrlJson, hmacSha256, jsonFromBase64Url, randomId, timingSafeEqual } from './signing';
import type { Store } from '../store';

export const CART_VERSION = 1;
export const CART_MAX_LIFETIME_SECONDS = 15 * 60;
/** How far a merchant backend's clock may run ahead of ours before its tokens are refused. */
const CLOCK_SKEW_SECONDS = 60;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_REF_LENGTH = 64;

/** Letters of any script, digits, punctuation and inner spaces; no control or invisible format characters (they forge logs and spoof text). */
function isPrintableRef(ref: string): boolean {
  return ref === ref.trim() && !/[\p{C}\p{Zl}\p{Zp}]/u.test(ref);
}

const UnixSecondsSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const CartSchema = v.strictObject({
  v: v.literal(CART_VERSION),
  items: v.pipe(
    v.array(v.strictObject({ ...CartItemSchema.entries, name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), price: AmountSchema })),
    v.minLength(1),
    v.maxLength(100),
  ),
  currency: v.picklist(Object.keys(MINOR_UNIT_DIGITS)),
  /** Issued at, unix seconds. */
  iat: UnixSecondsSchema,
  /** Expires at, unix seconds; at most CART_MAX_LIFETIME_SECONDS after iat. */
  exp: UnixSecondsSchema,
  /** Single use: a second checkout with the same nonce is refused. */
  nonce: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,128}$/)),
  /** The merchant's own reference (its order number), kept on the order and echoed in its views and webhooks. */
  ref: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_REF_LENGTH), v.check(isPrintableRef))),
});
export type CartInput = v.InferInput<typeof CartSchema>;
export type CartOutput = v.InferOutput<typeof CartSchema>;

export interface VerifiedCart {
  lines: PricedLine[];
  currency: string;
  nonce: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
  ref?: string;
}

const signatureOf = (secret: string, payloadSegment: string) => base64Url(hmacSha256(secret, payloadSegment));

const invalid = (message = 'The signed cart is not valid.') => new KasirError(401, 'cart_invalid', message);

/** A token for `cart` valid from `now` for `ttlSeconds` (at most 15 minutes). For merchant backends written in TypeScript, and tests. */
export function mintCart(
  secret: string,
  cart: Pick<CartInput, 'items' | 'currency' | 'ref'> & { nonce?: string; ttlSeconds?: number },
  now: Date,
): string {
  const ttlSeconds = cart.ttlSeconds ?? CART_MAX_LIFETIME_SECONDS;
  if (ttlSeconds < 1 || ttlSeconds > CART_MAX_LIFETIME_SECONDS) throw new RangeError(`ttlSeconds must be 1–${CART_MAX_LIFETIME_SECONDS}`);
  const iat = Math.floor(now.getTime() / 1000);
  const payload = v.parse(CartSchema, {
    v: CART_VERSION,
    items: cart.items,
    currency: cart.currency,
    iat,
    exp: iat + ttlSeconds,
    nonce: cart.nonce ?? randomId('cart_'),
    ...(cart.ref === undefined ? {} : { ref: cart.ref }),
  });
  const segment = base64UrlJson(payload);
  return `${segment}.${signatureOf(secret, segment)}`;
}

/** The priced lines of a cart token signed with `secret` and valid at `now`; a 401 KasirError otherwise. */
export function verifyCart(secret: string, token: string, now: Date): VerifiedCart {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts.every((part) => SEGMENT.test(part))) throw invalid();
  const [segment, signature] = parts as [string, string];
  if (!timingSafeEqual(signature, signatureOf(secret, segment))) {
    throw new KasirError(401, 'cart_signature_invalid', 'The signed cart’s signature does not match.');
  }

  const json = jsonFromBase64Url(segment);
  if (json === undefined) throw invalid();
  if ((json as { v?: unknown } | null)?.v !== CART_VERSION) throw invalid('The signed cart has a format version this proxy does not read.');
  const parsed = v.safeParse(CartSchema, json);
  if (!parsed.success) throw invalid();
  const { items, currency, iat, exp, nonce, ref } = parsed.output;
  if (exp <= iat || exp - iat > CART_MAX_LIFETIME_SECONDS) throw invalid('A signed cart may be valid for at most 15 minutes.');
  if (iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) throw invalid('The signed cart was issued in the future; check the merchant server’s clock.');
  if (now.getTime() >= exp * 1000) throw new KasirError(401, 'cart_expired', 'The signed cart has expired.');
  return { lines: items, currency, nonce, expiresAt: new Date(exp * 1000).toISOString(), ...(ref === undefined ? {} : { ref }) };
}

/** Marks a verified cart's nonce as used; a 401 `cart_reused` when it already was. */
export async function consumeCartNonce(store: Store, nonce: string, expiresAt: string, now: Date): Promise<void> {
  // Remembered until the token expires; after that the token is refused as expired anyway.
  const ttlSeconds = Math.max(1, Math.ceil((Date.parse(expiresAt) - now.getTime()) / 1000));
  if (!(await store.add(`cart-nonce:${nonce}`, 1, { ttlSeconds }))) {
    throw new KasirError(401, 'cart_reused', 'This signed cart has already been used for a checkout.');
  }
}
