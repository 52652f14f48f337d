import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { countReporter } from './scripts/wtr-reporter.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const QRIS = '00020101021226610016ID.CO.AMDIGIPAY0118936009180000000052045499530336054071500000';

/** The order the fake proxy of the embedding pages creates: a QR and a pay code, in place. */
function embedOrder(status = 'pending') {
  const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
  return { id: 'ord_embed', provider: 'amdigipay', status, amount: 150000, currency: 'IDR', paymentUrl: '', qrString: QRIS, payCode: '8808123456789012', expiresAt };
}

function page({ nonce, script, control = false, base, defer = false }) {
  const n = nonce ? ` nonce="${nonce}"` : '';
  const w = (control ? '' : n) + (base ? ` data-kasir-base="${base}"` : '') + (defer ? ' defer' : '');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Embedding</title>
    <script${n} src="/test/widget/fixtures/probe.js"></script>
    <script${w} src="${script}"></script>
    <script${w} src="${script}"></script>
  </head>
  <body>
    <kasir-checkout endpoint="/embed/proxy" provider="amdigipay" items='[{"sku":"tee-m","qty":1}]' locale="uk"></kasir-checkout>
  </body>
</html>`;
}

/**
 * Pages for the embedding tests (test/widget/embedding.test.ts), each loading the built IIFE
 * twice, as a careless storefront might:
 * - /embed/csp.html under a strict Content-Security-Policy with a per-response nonce (and
 *   /embed/csp-control.html, the same with the widget's script tags left without the nonce);
 * - /embed/deferred.html, the same without a policy and with `defer` (the README's embed);
 * - /embed/no-validator.html, whose copy of the script finds no kasir-validate.js beside it;
 * plus the tiny fake proxy they talk to (/embed/proxy/v1/...).
 */
async function embedPages(ctx, next) {
  const { path } = ctx;
  if (path === '/embed/csp.html' || path === '/embed/csp-control.html') {
    const nonce = randomBytes(16).toString('base64');
    ctx.set(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'`,
    );
    ctx.type = 'html';
    ctx.body = page({ nonce, script: '/dist/kasir.iife.js', control: path.endsWith('control.html') });
    return;
  }
  // The README's embed: `defer`, so the element is in the document when the script runs.
  if (path === '/embed/deferred.html') {
    ctx.type = 'html';
    ctx.body = page({ script: '/dist/kasir.iife.js', defer: true });
    return;
  }
  if (path === '/embed/no-validator.html') {
    ctx.type = 'html';
    ctx.body = page({ script: '/embed/nv/kasir.iife.js' });
    return;
  }
  // A copy whose chunk `name` cannot load (/embed/broken-qr.html, /embed/broken-order.html, …).
  const broken = /^\/embed\/broken-(\w+)(\.html|\/.*)$/.exec(path);
  if (broken) {
    const [, name, rest] = broken;
    if (rest === '.html') {
      ctx.type = 'html';
      ctx.body = page({ script: `/embed/broken-${name}/kasir.iife.js` });
      return;
    }
    if (rest === `/kasir-${name}.js`) {
      ctx.status = 503;
      return;
    }
    ctx.url = `/dist${rest}`;
    return next();
  }
  // A renamed copy with nothing beside it; data-kasir-base says where its chunks are.
  if (path === '/embed/based.html') {
    ctx.type = 'html';
    ctx.body = page({ script: '/embed/elsewhere/kasir-renamed.js', base: '/dist' });
    return;
  }
  if (path === '/embed/elsewhere/kasir-renamed.js') {
    ctx.url = '/dist/kasir.iife.js';
    return next();
  }
  if (path.startsWith('/embed/elsewhere/')) {
    ctx.status = 404;
    return;
  }
  if (path === '/embed/nv/kasir-validate.js') {
    ctx.status = 503; // unreachable, as behind a broken CDN
    return;
  }
  if (path.startsWith('/embed/nv/')) {
    ctx.url = path.replace('/embed/nv/', '/dist/');
    return next();
  }
  if (path === '/embed/proxy/v1/config') {
    ctx.body = { providers: [{ id: 'amdigipay', name: 'AMDigipay', currency: 'IDR', requires: [] }], catalog: [] };
    return;
  }
  if (path === '/embed/proxy/v1/checkouts' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const { customer } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    // The real proxy's answers to the two mistakes the tests make, so a click that beats the
    // validator chunk still meets the proxy's rules instead of making an order.
    const error = !customer.name
      ? { code: 'name_required', message: 'A name is required.', field: 'customer.name' }
      : customer.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(customer.email)
        ? { code: 'email_invalid', message: 'The email address is not valid.', field: 'customer.email' }
        : undefined;
    ctx.status = error ? 400 : 201;
    ctx.body = error ? { error } : embedOrder();
    return;
  }
  if (path === '/embed/proxy/v1/checkouts/ord_embed') {
    ctx.body = embedOrder();
    return;
  }
  return next();
}

export default {
  files: 'test/widget/**/*.test.ts',
  nodeResolve: true,
  middleware: [embedPages],
  // Without the tsconfig path esbuild does not lower the Lit decorators and the test file fails to load.
  plugins: [esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  // Lit's dev build (picked by the `development` export condition) greets every page; drop that line.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  reporters: [defaultReporter(), countReporter()],
  testFramework: { config: { timeout: 5000 } },
};
