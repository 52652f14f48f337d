// What the React tests (react-vite.test.ts, react-ssr.test.ts) share: the Kasir proxy in sandbox
// mode and a shop on another origin, each on a free port of 127.0.0.1; the shop's script built by
// Vite from test/e2e/react-app (React 19 + `kasir/react`, resolved as an installed package
// resolves it); and the shopper's part, from the form to the paid order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../../proxy/app';
import { loadConfig } from '../../proxy/lib/config';
import { createLogger } from '../../proxy/lib/log';

const APP_DIR = fileURLToPath(new URL('./react-app/', import.meta.url));
const CATALOG = fileURLToPath(new URL('../../demo/catalog.json', import.meta.url));

type Handler = (request: Request) => Response | Promise<Response>;

/** A server on a free port whose handler is given once its address is known. */
async function listen() {
  let handler: Handler = () => new Response('starting', { status: 503 });
  const server = serve({ fetch: (request) => handler(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    handle: (h: Handler) => void (handler = h),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Vite's production build of one page entry (`client` or `hydrate`) into a temporary folder, as `<entry>.js`. */
export async function buildShopScript(entry: 'client' | 'hydrate'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kasir-react-'));
  await build({
    configFile: false,
    root: APP_DIR,
    logLevel: 'warn',
    build: {
      outDir: dir,
      emptyOutDir: false,
      rolldownOptions: {
        input: { [entry]: join(APP_DIR, `${entry}.tsx`) },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        // dist/react.js starts with "use client" (for Next.js); @vitejs/plugin-react, which a
        // React app on Vite has, silences this same notice about it.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE' || !warning.message.includes('use client')) warn(warning);
        },
      },
    },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The page around the shop: its markup (empty, or server-rendered) and the props the script reads. */
export function shopPage(script: string, props: object, markup = ''): string {
  const json = JSON.stringify(props).replaceAll('<', '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Kopi shop</title></head>
<body><div id="root">${markup}</div><script>window.shopProps = ${json}</script>
<script type="module" src="/${script}"></script></body></html>`;
}

/**
 * Starts the proxy (sandbox, demo catalog) and the shop at http://localhost:<port>; `page(url)`
 * answers the shop's HTML pages, `/*.js` is served from `scripts`.
 */
export async function startShop(scripts: string, page: (url: URL, proxyUrl: string) => string | Promise<string>) {
  const [proxy, shop] = await Promise.all([listen(), listen()]);
  const proxyUrl = `http://127.0.0.1:${proxy.port}`;
  const shopUrl = `http://localhost:${shop.port}`;
  const config = loadConfig(
    {
      KASIR_SANDBOX: '1',
      KASIR_CATALOG: CATALOG,
      KASIR_PUBLIC_URL: proxyUrl,
      KASIR_ALLOWED_ORIGINS: shopUrl,
      KASIR_RETURN_URLS: `${shopUrl}/`,
    },
    (path) => readFileSync(path, 'utf8'),
  );
  proxy.handle(createApp(config, { log: createLogger(() => {}) }).fetch);
  shop.handle(async (request) => {
    const url = new URL(request.url);
    const file = /^\/([\w-]+\.js)$/.exec(url.pathname)?.[1];
    if (file) {
      try {
        return new Response(readFileSync(join(scripts, file)), { headers: { 'content-type': 'text/javascript' } });
      } catch {
        return new Response('not found', { status: 404 });
      }
    }
    return new Response(await page(url, proxyUrl), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  });
  return { shopUrl, proxyUrl, close: () => Promise.all([proxy.close(), shop.close()]) };
}

/** Fills the form, pays on the simulator, and waits for the shop's thank-you line (from onKasirPaid). */
export async function payAndSeePaid(page: Page, shopUrl: string, total: RegExp): Promise<string> {
  const widget = page.locator('kasir-checkout');
  await widget.locator('input[name=name]').fill('Siti Rahma');
  await widget.locator('input[name=email]').fill('siti@example.com');
  await widget.locator('input[name=phone]').fill('081234567890');
  await widget.locator('button[part=button]').click();

  await page.waitForURL(/\/sandbox\/winpay\/pay\//);
  // The amount the proxy priced from the items the React props carried.
  assert.match(await page.locator('.total').innerText(), total);
  await page.getByRole('button', { name: 'Pay' }).click();

  await page.waitForURL(new RegExp(`^${shopUrl}/\\?kasir_order=ord_`));
  const thanks = page.getByTestId('paid');
  await thanks.waitFor({ timeout: 15_000 });
  const created = await page.evaluate(() => sessionStorage.getItem('kasir-created'));
  assert.ok(created, 'onKasirCreated ran with the order id');
  return (await thanks.innerText()).replace(created, '<id>');
}
