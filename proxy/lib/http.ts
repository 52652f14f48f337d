// The one way a provider file talks HTTP: a deadline on every call, network and timeout failures
// turned into stable proxy errors, and the body read as JSON when it is JSON. What a status code
// means is the provider file's business.
import { providerErrors } from './errors';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpReply {
  status: number;
  /** The parsed JSON body, or undefined when the body is empty, HTML, truncated or otherwise not JSON. */
  json: unknown;
}

export async function fetchJson(fetchFn: FetchLike, url: string, init: RequestInit, timeoutMs: number): Promise<HttpReply> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
  let status: number;
  // Race the deadline too: a fetch implementation that ignores the signal must not hold us past it.
  const deadline = new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  try {
    const res = await Promise.race([fetchFn(url, { ...init, signal, redirect: 'manual' }), deadline]);
    status = res.status;
    text = await Promise.race([res.text(), deadline]);
  } catch {
    if (signal.aborted) throw providerErrors.timeout();
    throw providerErrors.unreachable();
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, json };
}
