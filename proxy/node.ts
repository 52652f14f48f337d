// Node entry point: `npm run proxy`. Reads .env (if present) and the environment, serves the API
// and the built widget (dist/) so a storefront can load it with one script tag from this origin.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { createApp } from './app';
import { ConfigError, loadConfig } from './lib/config';
import { createLogger } from './lib/log';
import { fetchWithGetBody } from './node-http';
import { createNodeStore } from './store/node';

const DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));
const RECONCILE_EVERY_MS = 30_000;

export function startNode(env: NodeJS.ProcessEnv = process.env, options: { hostname?: string; quiet?: boolean } = {}) {
  const config = loadConfig(env, (path) => readFileSync(path, 'utf8'));
  const log = createLogger(options.quiet ? () => {} : undefined);
  const store = createNodeStore(config.store, log);
  // The socket's address: behind a load balancer every client shares its address, so put the
  // rate limit there too or set KASIR_RATE_LIMIT=0.
  const app = createApp(config, { log, store, fetchWithGetBody, clientIp: (c) => getConnInfo(c).remote.address });
  app.use(
    '/widget/*',
    serveStatic({
      root: DIST_DIR,
      rewriteRequestPath: (path) => path.replace(/^\/widget/, ''),
      onFound: (_path, c) => {
        // Loaded cross-origin by storefronts, with Subresource Integrity (which needs CORS).
        c.header('Access-Control-Allow-Origin', '*');
        c.header('Cache-Control', 'public, max-age=300');
      },
    }),
  );
  const hostname = options.hostname ?? env.HOST ?? '0.0.0.0';
  const server = serve({ fetch: app.fetch, port: config.port, hostname });
  const sweep = setInterval(() => void app.reconcile(), RECONCILE_EVERY_MS);
  sweep.unref();
  server.on('close', () => {
    clearInterval(sweep);
    void store.close();
  });
  log.info('proxy_started', { port: config.port, publicUrl: config.publicUrl, sandbox: config.sandbox });
  return { server, config };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.loadEnvFile();
  } catch {
    // no .env file: the environment alone
  }
  try {
    startNode();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`kasir: configuration error: ${err.message}`);
    process.exit(1);
  }
}
