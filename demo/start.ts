// `kasir demo` (and `npm start`, proxy/cli.ts): the proxy in sandbox mode (with all simulators)
// and the demo storefront on a different origin, as a real shop and its payment proxy would be.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { startNode } from '../proxy/node';

// From demo/start.ts and from the compiled bin (dist/cli.js) alike: both are one level below the
// package root, and the package ships demo/.
const DEMO_DIR = fileURLToPath(new URL('../demo/', import.meta.url));

export function startDemo({ proxyPort = 8787, shopPort = 5173, quiet = false } = {}) {
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const shopUrl = `http://localhost:${shopPort}`;
  const proxy = startNode(
    {
      ...process.env,
      PORT: String(proxyPort),
      KASIR_SANDBOX: '1',
      KASIR_CATALOG: `${DEMO_DIR}catalog.json`,
      KASIR_PUBLIC_URL: proxyUrl,
      KASIR_ALLOWED_ORIGINS: shopUrl,
      KASIR_RETURN_URLS: `${shopUrl}/`,
    },
    { hostname: '127.0.0.1', quiet },
  );

  const page = readFileSync(`${DEMO_DIR}index.html`, 'utf8').replaceAll('{{PROXY_URL}}', proxyUrl);
  const shop = new Hono()
    .get('/', (c) => c.html(page))
    .use('/*', serveStatic({ root: DEMO_DIR }));
  const shopServer = serve({ fetch: shop.fetch, port: shopPort, hostname: '127.0.0.1' });
  const shopReady = new Promise<void>((resolve, reject) => {
    shopServer.once('listening', resolve);
    shopServer.once('error', reject);
  });

  return {
    shopUrl,
    proxyUrl,
    /** Settles when both servers listen; rejects (e.g. EADDRINUSE) when one cannot. */
    ready: Promise.all([proxy.ready, shopReady]).then(() => {}),
    close: () => Promise.all([new Promise((r) => proxy.server.close(r)), new Promise((r) => shopServer.close(r))]),
  };
}
