// Node entry: the proxy as an HTTP server (the `kasir start` command, proxy/cli.ts). Serves the API
// and the built widget (dist/) so a storefront can load it with one script tag from this origin.
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from './app';
import { loadConfig } from './lib/config';
import { createLogger } from './lib/log';
import { nodeFetch } from './node-http';
import { compressWidgetFiles, createWidgetRoutes, isWidgetFile } from './routes/widget';
import { createNodeStore } from './store/node';

// Both this file (proxy/node.ts, run by tsx in the repository) and the compiled bin (dist/cli.js
// in the package) sit one level below the package root, so the same relative URLs hold for both.
const PACKAGE_ROOT = new URL('../', import.meta.url);
const DIST_DIR = fileURLToPath(new URL('dist/', PACKAGE_ROOT));

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string }).version;

/** The widget files a script tag loads, read once: a missing build serves 404s, it does not stop the API. */
function readWidgetFiles(dir: string): Map<string, string> {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter(isWidgetFile);
  } catch {
    // no build yet
  }
  return new Map(names.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

export interface NodeProxy {
  server: Server;
  config: ReturnType<typeof loadConfig>;
  /** Settles once the port is listening; rejects (e.g. EADDRINUSE) when it cannot. */
  ready: Promise<void>;
}

/** Throws ConfigError for a bad configuration; a port that cannot be taken rejects `ready`. */
export function startNode(
  env: NodeJS.ProcessEnv = process.env,
  options: { hostname?: string; quiet?: boolean; widgetDir?: string } = {},
): NodeProxy {
  const config = loadConfig(env, (path) => readFileSync(path, 'utf8'));
  const log = createLogger(options.quiet ? () => {} : undefined);
  const store = createNodeStore(config.store, log);
  // The socket's address: behind a load balancer every client shares its address, so put the
  // rate limit there too or set KASIR_RATE_LIMIT=0.
  const app = createApp(config, { log, store, fetch: nodeFetch, fetchWithGetBody: nodeFetch, clientIp: (c) => getConnInfo(c).remote.address });
  const widgetFiles = readWidgetFiles(options.widgetDir ?? DIST_DIR);
  app.route('/widget', createWidgetRoutes({ version: packageVersion(), files: widgetFiles, encoded: compressWidgetFiles(widgetFiles) }));
  const hostname = options.hostname ?? env.HOST ?? '0.0.0.0';
  const server = serve({ fetch: app.fetch, port: config.port, hostname }) as Server;
  // One sweep at a time; whatever fails is logged by the sweep itself, and it runs again next tick.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    app
      .reconcile()
      .catch((err: unknown) => log.error('reconcile_failed', { name: err instanceof Error ? err.name : typeof err }))
      .finally(() => (sweeping = false));
  }, config.sweepSeconds * 1000);
  sweep.unref();
  server.on('close', () => {
    clearInterval(sweep);
    void store.close();
  });
  const ready = new Promise<void>((resolve, reject) => {
    server.once('listening', () => {
      // Only now: a port already in use must not be preceded by a line saying we started.
      const { port } = server.address() as AddressInfo;
      log.info('proxy_started', { port, publicUrl: config.publicUrl, sandbox: config.sandbox });
      resolve();
    });
    server.once('error', (err) => {
      clearInterval(sweep);
      void store.close();
      reject(err);
    });
  });
  return { server, config, ready };
}
