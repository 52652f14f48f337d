// A fetch for Node that can do what fetch cannot: send a body with GET. Faspay documents its
// inquire call that way; undici (Node's fetch) and Workers refuse such a request outright, node:http
// sends it. Only the proxy's Node entry point imports this file, so the Worker bundle stays Node-free.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FetchLike } from './lib/http';

/** Statuses whose Response must not carry a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export const fetchWithGetBody: FetchLike = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      reject(new TypeError('fetchWithGetBody sends string bodies only'));
      return;
    }
    const body = init.body ?? undefined;
    const headers = Object.fromEntries(new Headers(init.headers));
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 502;
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) replyHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        resolve(new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), { status, headers: replyHeaders }));
      });
    });
    const signal = init.signal;
    if (signal) {
      if (signal.aborted) req.destroy(new DOMException('The operation was aborted.', 'AbortError'));
      else signal.addEventListener('abort', () => req.destroy(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
    }
    req.on('error', reject);
    req.end(body);
  });
