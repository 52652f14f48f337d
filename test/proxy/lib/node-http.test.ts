// nodeFetch (proxy/node-http.ts), how the proxy talks HTTP on Node, against real sockets on
// 127.0.0.1: what it sends, that it keeps connections, and that a reply too large or too slow
// cannot make it hold more than 1 MiB or wait past its deadline.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { fetchJson, MAX_REPLY_BYTES } from '../../../proxy/lib/http';
import { nodeFetch } from '../../../proxy/node-http';
import { errorCode } from '../helpers';

interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A server on a free port; `answer` replies to each request once its body is read. */
async function serve(answer: (req: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  let closed = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const s = { method: req.method!, headers: req.headers, body };
      seen.push(s);
      answer(s, res);
    });
  });
  server.on('connection', (socket) => {
    connections++;
    socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    seen,
    stats: () => ({ connections, closed }),
    /** Resolves once the server has seen a connection close (the client's side of it is what is tested). */
    async closedOne() {
      for (let i = 0; i < 200 && closed === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return closed === 1;
    },
  };
}

test('sends the method, headers and body, returns status, headers and body (readable once), and keeps the connection for the next call', async () => {
  const server = await serve((req, res) => res.writeHead(201, { 'Content-Type': 'application/json', 'X-Reply': 'yes' }).end(JSON.stringify({ got: req.body })));
  for (const n of [1, 2]) {
    const res = await nodeFetch(server.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sig': `s${n}` }, body: `{"n":${n}}` });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('X-Reply'), 'yes');
    assert.equal(res.ok, true);
    assert.deepEqual(await res.json(), { got: `{"n":${n}}` });
    // Read once, as a fetch Response is.
    assert.equal(res.bodyUsed, true);
    await assert.rejects(res.text(), TypeError);
  }
  assert.deepEqual(
    server.seen.map((s) => [s.method, s.headers['x-sig'], s.headers['content-length'], s.body]),
    [
      ['POST', 's1', '7', '{"n":1}'],
      ['POST', 's2', '7', '{"n":2}'],
    ],
  );
  assert.equal(server.stats().connections, 1, 'the second call reuses the first one’s connection');
});

test('a kept connection the server closes as the next request arrives: sent again once, on a new connection', async () => {
  let requests = 0;
  const server = await serve((_req, res) => {
    // The second request comes on the kept connection: dropped unanswered, as a server closing an
    // idle connection would.
    if (++requests === 2) res.socket!.destroy();
    else res.end('{}');
  });
  assert.equal((await nodeFetch(server.url, { method: 'POST', body: '1' })).status, 200);
  assert.equal((await nodeFetch(server.url, { method: 'POST', body: '2' })).status, 200);
  assert.deepEqual(server.seen.map((s) => s.body), ['1', '2', '2']);
  assert.equal(server.stats().connections, 2);
});

test('a new connection closed without a reply is not retried', async () => {
  const server = await serve((_req, res) => res.socket!.destroy());
  await assert.rejects(nodeFetch(server.url, { method: 'POST', body: '1' }), { code: 'ECONNRESET' });
  assert.equal(server.seen.length, 1);
});

test('a GET can carry a body (Faspay’s inquire)', async () => {
  const server = await serve((_req, res) => res.end('{}'));
  await (await nodeFetch(server.url, { method: 'GET', body: '{"q":1}' })).text();
  assert.deepEqual([server.seen[0]!.method, server.seen[0]!.body], ['GET', '{"q":1}']);
});

test('a reply that declares more than 1 MiB is refused before its body is read', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Length': String(MAX_REPLY_BYTES + 1) });
    res.write('{'); // and never the rest
  });
  assert.equal(await errorCode(fetchJson(nodeFetch, server.url, {}, 30_000)), '502 provider_bad_response');
});

test('an endless reply is cut off after 1 MiB and its connection closed, long before the deadline', async () => {
  let sent = 0;
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const more = () => {
      while (!res.destroyed && res.write(' '.repeat(64 * 1024))) sent += 64 * 1024;
      if (!res.destroyed) res.once('drain', more);
    };
    more();
  });
  assert.equal(await errorCode(fetchJson(nodeFetch, server.url, {}, 30_000)), '502 provider_bad_response');
  assert.ok(await server.closedOne(), 'the connection is closed, not kept for the next call');
  assert.ok(sent < 8 * MAX_REPLY_BYTES, `the server got to write ${sent} bytes`);
});

test('a provider slower than the 4 s idle timeout still has its answer read (that timeout is for idle connections)', async () => {
  const server = await serve((_req, res) => setTimeout(() => res.end('{"late":true}'), 5_000));
  assert.deepEqual(await (await nodeFetch(server.url, { method: 'POST', body: '{}' })).json(), { late: true });
});

test('a provider that never answers is abandoned at the deadline and its connection closed', async () => {
  const server = await serve(() => {});
  const started = Date.now();
  assert.equal(await errorCode(fetchJson(nodeFetch, server.url, { method: 'POST', body: '{}' }, 300)), '504 provider_timeout');
  assert.ok(Date.now() - started < 5_000);
  assert.ok(await server.closedOne(), 'the abandoned request’s connection is closed');
});

test('nobody listening is provider_unreachable', async () => {
  assert.equal(await errorCode(fetchJson(nodeFetch, 'http://127.0.0.1:9/none', {}, 5_000)), '502 provider_unreachable');
});
