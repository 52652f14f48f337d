// HS256 JSON Web Tokens (RFC 7519), the signature UAPAY puts on every request, reply and callback.
// The key is the secret's literal UTF-8 bytes (UAPAY does not base64-decode it). Only HS256 is
// accepted on verify: a token naming another algorithm ("none" included) is refused outright.
import { base64Url, base64UrlJson, hmacSha256, jsonFromBase64Url, timingSafeEqual } from './signing';

const HEADER = base64UrlJson({ alg: 'HS256', typ: 'JWT' });

const signature = (secret: string, signingInput: string) => base64Url(hmacSha256(secret, signingInput));

export function signJwt(payload: unknown, secret: string): string {
  const signingInput = `${HEADER}.${base64UrlJson(payload)}`;
  return `${signingInput}.${signature(secret, signingInput)}`;
}

/** The payload of a token signed with `secret` using HS256, or undefined for anything else. */
export function verifyJwt(token: string, secret: string): unknown {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, sig] = parts as [string, string, string];
  const head = jsonFromBase64Url(header);
  if (typeof head !== 'object' || head === null || (head as { alg?: unknown }).alg !== 'HS256') return undefined;
  if (!timingSafeEqual(sig, signature(secret, `${header}.${payload}`))) return undefined;
  return jsonFromBase64Url(payload);
}
