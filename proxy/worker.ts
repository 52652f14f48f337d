// Cloudflare Workers entry point (wrangler.jsonc): the same app as on Node. Configuration comes from
// the Worker's vars and secrets, checked by the same loadConfig; state lives in a Durable Object;
// a Cron Trigger runs the reconciliation sweep that a timer runs on Node.
import { createApp } from './app';
import { ConfigError, type Env, loadConfig } from './lib/config';
import { createDurableObjectStore, type DurableObjectNamespace } from './store/durable-object';

export { KasirStoreObject } from './store/durable-object';

export interface WorkerEnv {
  KASIR_STORE_DO: DurableObjectNamespace;
  /** The catalog itself (not a path): a JSON object in wrangler.jsonc vars, or its JSON text. */
  KASIR_CATALOG?: unknown;
  [name: string]: unknown;
}

let app: ReturnType<typeof createApp> | undefined;

function createWorkerApp(env: WorkerEnv) {
  const vars: Env = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  if (env.KASIR_CATALOG !== undefined && typeof env.KASIR_CATALOG !== 'string') vars.KASIR_CATALOG = JSON.stringify(env.KASIR_CATALOG);
  // Notice URLs are built from it; the Node default (127.0.0.1:PORT) means nothing on Workers.
  if (!vars.KASIR_PUBLIC_URL) throw new ConfigError("KASIR_PUBLIC_URL is required on Workers (the Worker's own https URL)");
  const config = loadConfig(vars, (catalogJson) => catalogJson);
  if (!env.KASIR_STORE_DO) throw new ConfigError('KASIR_STORE_DO Durable Object binding is missing (see wrangler.jsonc)');
  return createApp(config, {
    store: createDurableObjectStore(env.KASIR_STORE_DO),
    clientIp: (c) => c.req.header('CF-Connecting-IP'),
  });
}

/** The app for this isolate, built on its first event; undefined (and logged) when the configuration is wrong. */
function appFor(env: WorkerEnv) {
  try {
    app ??= createWorkerApp(env);
    return app;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The line names the variable, never its value.
    console.error(`kasir: configuration error: ${err.message}`);
    return undefined;
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const current = appFor(env);
    if (!current) {
      return Response.json({ error: { code: 'configuration_error', message: 'The payment proxy is not configured correctly.' } }, { status: 500 });
    }
    return current.fetch(request);
  },

  async scheduled(_controller: unknown, env: WorkerEnv): Promise<void> {
    await appFor(env)?.reconcile();
  },
};
