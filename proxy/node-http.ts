// How the proxy talks HTTP on Node: node:http and node:https with a keep-alive agent each, behind
// the fetch signature every provider file uses (lib/http.ts). Two reasons to leave Node's fetch:
// it cannot send a body with GET, which Faspay documents for its inquire call (undici and Workers
// refuse such a request outright); and each fetch builds a Request, AbortSignals, web streams and a
// Response, which the checkout's CPU profile showed costing more than the rest of the provider call.
// The reply is counted as it arrives and refused past MAX_REPLY_BYTES, so nothing larger is held,
// and handed back read (NodeReply), as much of a Response as lib/http.ts's FetchReply asks for.
// Only the proxy's Node entry point imports this file, so the Worker bundle stays Node-free.
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { providerErrors } from './lib/errors';
import { type FetchLike, type FetchReply, MAX_REPLY_BYTES } from './lib/http';

/** Statuses whose reply carries no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

// An idle connection is closed after 4 s, or sooner when the server's Keep-Alive header says it
// closes sooner (Node honours the hint only under an agent timeout): before the 5 s of Node's own
// servers, so a reused connection is rarely one the server is closing.
const IDLE_MS = 4_000;
const agents = { 'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_MS }), 'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_MS }) };

const aborted = () => new DOMException('The operation was aborted.', 'AbortError');

/**
 * A reply already read in full: what the proxy reads of a Response (lib/http.ts FetchReply), without
 * the web stream, Headers and Response a fetch builds for each reply.
 */
class NodeReply implements FetchReply {
  readonly body = null;
  bodyUsed = false;
  readonly headers: FetchReply['headers'];
  constructor(
    readonly status: number,
    headers: IncomingHttpHeaders,
    private readonly content: string,
  ) {
    this.headers = { get: (name) => headerValue(headers[name.toLowerCase()]) };
  }
  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  async text() {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.bodyUsed = true;
    return this.content;
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

const headerValue = (value: string | string[] | undefined) => (value === undefined ? null : Array.isArray(value) ? value.join(', ') : value);

/** Lower-cased names: a plain object, as every provider file passes, without the cost of a Headers. */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  if (!init || init instanceof Headers || Array.isArray(init)) return Object.fromEntries(new Headers(init));
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(init)) record[name.toLowerCase()] = value;
  return record;
}

/** A kept connection closed before any reply: taken as one the server had closed while idle. */
class StaleConnectionError extends Error {}

const send = (input: string | URL | Request, init: RequestInit = {}) =>
  new Promise<FetchReply>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new TypeError(`nodeFetch cannot fetch ${url.protocol} URLs`));
      return;
    }
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      reject(new TypeError('nodeFetch sends string bodies only'));
      return;
    }
    const { signal } = init;
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const body = init.body ?? undefined;
    const headers = headerRecord(init.headers);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const onAbort = () => req.destroy(aborted());
    let replied = false;
    const req = request(url, { method: init.method ?? 'GET', headers, agent: agents[url.protocol] }, (res) => {
      replied = true;
      if (Number(res.headers['content-length']) > MAX_REPLY_BYTES) {
        req.destroy(providerErrors.badResponse());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) req.destroy(providerErrors.badResponse());
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        const status = res.statusCode ?? 502;
        resolve(new NodeReply(status, res.headers, NULL_BODY.has(status) ? '' : Buffer.concat(chunks, size).toString('utf8')));
      });
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const stale = req.reusedSocket && !replied && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      reject(stale ? new StaleConnectionError(err.message) : err);
    });
    req.end(body);
  });

/**
 * Rarely, a server closes a kept connection just as a request goes out on it. Closed before any
 * reply on a reused connection, the request is taken as never read and sent once more, as Node's
 * documentation advises; a fresh connection's failure is not retried.
 */
export const nodeFetch: FetchLike = (input, init) =>
  send(input, init).catch((err: unknown) => {
    if (!(err instanceof StaleConnectionError)) throw err;
    return send(input, init);
  });
