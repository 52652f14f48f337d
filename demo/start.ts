// `npm start`: the proxy in sandbox mode (with all simulators) and the demo storefront on a
// different origin, as a real shop and its payment proxy would be.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { startNode } from '../proxy/node';

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url));

export function startDemo({ proxyPort = 8787, shopPort = 5173, quiet = false } = {}) {
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const shopUrl = `http://localhost:${shopPort}`;
  const proxy = startNode(
    {
      ...process.env,
      PORT: String(proxyPort),
      KASIR_SANDBOX: '1',
      KASIR_CATALOG: fileURLToPath(new URL('catalog.json', import.meta.url)),
      KASIR_PUBLIC_URL: proxyUrl,
      KASIR_ALLOWED_ORIGINS: shopUrl,
      KASIR_RETURN_URLS: `${shopUrl}/`,
    },
    { hostname: '127.0.0.1', quiet },
  );

  const page = readFileSync(new URL('index.html', import.meta.url), 'utf8').replaceAll('{{PROXY_URL}}', proxyUrl);
  const shop = new Hono()
    .get('/', (c) => c.html(page))
    .use('/*', serveStatic({ root: DEMO_DIR }));
  const shopServer = serve({ fetch: shop.fetch, port: shopPort, hostname: '127.0.0.1' });

  return {
    shopUrl,
    proxyUrl,
    close: () => Promise.all([new Promise((r) => proxy.server.close(r)), new Promise((r) => shopServer.close(r))]),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { shopUrl, proxyUrl } = startDemo({
    proxyPort: Number(process.env.PORT ?? 8787),
    shopPort: Number(process.env.DEMO_PORT ?? 5173),
  });
  console.log(`\n  Kasir demo storefront:  ${shopUrl}/\n  Proxy (sandbox mode):   ${proxyUrl}\n\n  Ctrl+C to stop.\n`);
}
