// One server of the proxy load benchmark, in its own process (forked by load-servers.ts):
//   stub  — a Winpay stub answering every create instantly (201 + Winpay's envelope)
//   kasir — the proxy app with a real-credential Winpay pointed at the stub
//   hono  — a bare Hono route that forwards the body to the stub (the ceiling of this stack)
//   node  — the same forward in plain node:http
// It reports `ready` over IPC, and on `memory` runs a full GC and reports RSS, heapTotal and heapUsed.
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../proxy/app';
import { loadConfig } from '../../proxy/lib/config';
import { createLogger } from '../../proxy/lib/log';
import { nodeFetch } from '../../proxy/node-http';
import { createNodeStore } from '../../proxy/store/node';
import { BENCH_ORIGIN, type ControlMessage, PROVIDER_TIMEOUT_MS, type ServerKind, type ServerMessage, STUB_CREATE_PATH } from './load-servers';

const [kind, portArg, stubUrl, storeSpec] = process.argv.slice(2) as [ServerKind, string, string, string];
const port = Number(portArg);
const HOST = '127.0.0.1';

function startStub(): Server {
  let next = 0;
  return createServer(function answerCreate(req, res) {
    req.resume();
    req.on('end', () => {
      const id = `inv-${++next}`;
      const body = JSON.stringify({
        responseCode: '2010300',
        responseMessage: 'Successful',
        responseData: { id, ref: id, redirect_url: `https://pay.bench.test/pay/${id}` },
      });
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(body);
    });
  }).listen(port, HOST);
}

function startKasir(): Server {
  const config = loadConfig(
    {
      PORT: portArg,
      KASIR_CATALOG: fileURLToPath(new URL('../../demo/catalog.json', import.meta.url)),
      KASIR_PUBLIC_URL: `http://${HOST}:${port}`,
      KASIR_ALLOWED_ORIGINS: BENCH_ORIGIN,
      KASIR_RETURN_URLS: `${BENCH_ORIGIN}/`,
      WINPAY_KEY: 'bench-key',
      WINPAY_SECRET: 'bench-secret',
      WINPAY_BASE_URL: `${stubUrl}/winpay`,
      KASIR_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    },
    (path) => readFileSync(path, 'utf8'),
  );
  // Lines are still built (redaction, JSON) but not written: logging I/O is not what is measured.
  const log = createLogger(() => {});
  const app = createApp(config, {
    log,
    store: createNodeStore(storeSpec, log),
    // The transport `kasir start` uses (proxy/node.ts).
    fetch: nodeFetch,
    fetchWithGetBody: nodeFetch,
    // Each checkout from its own shopper, as on a storefront; from one load generator the rate
    // limit would otherwise see a single client and refuse all but its first 30 a minute.
    clientIp: (c) => c.req.header('Idempotency-Key'),
  });
  return serve({ fetch: app.fetch, port, hostname: HOST }) as Server;
}

function startHonoForwarder(): Server {
  const app = new Hono().post('/v1/checkouts', async function forward(c) {
    const upstream = await fetch(`${stubUrl}${STUB_CREATE_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: await c.req.text(),
    });
    return c.body(await upstream.text(), upstream.status as 201, { 'Content-Type': 'application/json' });
  });
  return serve({ fetch: app.fetch, port, hostname: HOST }) as Server;
}

function startNodeForwarder(): Server {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(STUB_CREATE_PATH, stubUrl);
  return createServer(function forward(req, res) {
    const upstream = request(target, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, { 'Content-Type': 'application/json' });
      reply.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }).listen(port, HOST);
}

const STARTERS: Record<ServerKind, () => Server> = {
  stub: startStub,
  kasir: startKasir,
  hono: startHonoForwarder,
  node: startNodeForwarder,
};

const server = STARTERS[kind]();
const send = (message: ServerMessage) => process.send?.(message);
server.on('listening', () => send({ type: 'ready' }));

process.on('message', (message: ControlMessage) => {
  if (message === 'memory') {
    globalThis.gc?.();
    const { rss, heapTotal, heapUsed } = process.memoryUsage();
    send({ type: 'memory', rss, heapTotal, heapUsed });
  } else if (message === 'stop') {
    server.closeAllConnections();
    // exit (not a signal) so --cpu-prof can write its profile
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
