// Hashes, HMACs and comparisons used to sign provider requests and verify notices. Synchronous
// @noble/hashes so the same code runs on Node and Workers (WebCrypto has no MD5, which Faspay needs).
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';

export const sha256Hex = (message: string) => bytesToHex(sha256(utf8ToBytes(message)));
export const sha1Hex = (message: string) => bytesToHex(sha1(utf8ToBytes(message)));
export const md5Hex = (message: string) => bytesToHex(md5(utf8ToBytes(message)));
export const hmacSha256 = (key: string, message: string) => hmac(sha256, utf8ToBytes(key), utf8ToBytes(message));
export const hmacSha256Hex = (key: string, message: string) => bytesToHex(hmacSha256(key, message));

/** Constant-time string comparison: the time taken does not depend on where the strings differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = utf8ToBytes(a);
  const y = utf8ToBytes(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i % x.length] ?? 0) ^ (y[i % y.length] ?? 0);
  return diff === 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Random bytes are drawn from the CSPRNG a block at a time: a call per id cost more than the rest of
// the id (measured in the checkout's CPU profile). Bytes past 247 are skipped, so each character is
// uniform over the 62 (248 = 4 × 62).
const pool = new Uint8Array(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  return pool[used++]!;
}

/** Unguessable id: `prefix` + 22 base62 chars (~131 bits). */
export function randomId(prefix: string): string {
  let out = prefix;
  while (out.length < prefix.length + 22) {
    const b = randomByte();
    if (b < 248) out += BASE62[b % 62];
  }
  return out;
}

/** Unpadded base64url, as JWTs and signed carts write their segments. */
export const base64Url = (bytes: Uint8Array) => encodeBase64Url(bytes.slice().buffer).replace(/=+$/, '');

/** A value as a base64url segment of its JSON. */
export const base64UrlJson = (value: unknown) => base64Url(utf8ToBytes(JSON.stringify(value)));

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON a base64url segment holds, or undefined when it is not base64url, UTF-8 or JSON. */
export function jsonFromBase64Url(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    return JSON.parse(STRICT_UTF8.decode(decodeBase64Url(segment)));
  } catch {
    return undefined;
  }
}
