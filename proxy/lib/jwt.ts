// HS256 JSON Web Tokens (RFC 7519), the signature UAPAY puts on every request, reply and callback.
// The key is the secret's literal UTF-8 bytes (UAPAY does not base64-decode it). Only HS256 is
// accepted on verify: a token naming another algorithm ("none" included) is refused outright.
import { hmacSha256, timingSafeEqual } from './signing';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function base64UrlFromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The JSON a base64url segment holds, or undefined when it is not base64url, UTF-8 or JSON. */
function jsonFromBase64Url(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

const HEADER = base64UrlFromBytes(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

const signature = (secret: string, signingInput: string) => base64UrlFromBytes(hmacSha256(secret, signingInput));

export function signJwt(payload: unknown, secret: string): string {
  const signingInput = `${HEADER}.${base64UrlFromBytes(encoder.encode(JSON.stringify(payload)))}`;
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
