// The one way a provider file talks HTTP: a deadline on every call, network and timeout failures
// turned into stable proxy errors, a reply read up to 1 MiB (a provider, or whatever answers at its
// address, cannot make us hold more), and the body read as JSON when it is JSON. What a status code
// means is the provider file's business.
import { KasirError, providerErrors } from './errors';

/** The largest provider reply read; anything longer is cut off and refused. */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** What the proxy reads of a reply: a fetch Response is one; Node's transport returns a lighter one (node-http.ts). */
export type FetchReply = Pick<Response, 'status' | 'ok' | 'body' | 'bodyUsed' | 'text' | 'json'> & { headers: Pick<Headers, 'get'> };

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<FetchReply>;

export interface HttpReply {
  status: number;
  /** The parsed JSON body, or undefined when the body is empty, HTML, truncated or otherwise not JSON. */
  json: unknown;
}

/** The body as text, counted as it arrives: past MAX_REPLY_BYTES the rest is cancelled and the reply refused. */
async function readCapped(res: FetchReply): Promise<string> {
  if (Number(res.headers.get('Content-Length')) > MAX_REPLY_BYTES) {
    await res.body?.cancel().catch(() => {});
    throw providerErrors.badResponse();
  }
  // No stream: an empty body, or a reply Node's transport has already read (and held to the cap).
  if (!res.body) return res.text();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel().catch(() => {});
      throw providerErrors.badResponse();
    }
    text += decoder.decode(value, { stream: true });
  }
}

export async function fetchJson(fetchFn: FetchLike, url: string, init: RequestInit, timeoutMs: number): Promise<HttpReply> {
  // A timer we clear ourselves: AbortSignal.timeout would keep every call's objects alive for the
  // whole deadline. The race also holds a fetch that ignores its signal to the deadline.
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(providerErrors.timeout());
    }, timeoutMs);
  });
  let text: string;
  let status: number;
  try {
    const res = await Promise.race([fetchFn(url, { ...init, signal: controller.signal, redirect: 'manual' }), deadline]);
    status = res.status;
    text = await Promise.race([readCapped(res), deadline]);
  } catch (err) {
    throw controller.signal.aborted ? providerErrors.timeout() : err instanceof KasirError ? err : providerErrors.unreachable();
  } finally {
    clearTimeout(timer);
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, json };
}
