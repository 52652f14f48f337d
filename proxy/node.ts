// Node entry point: `npm run proxy`. Reads .env (if present) and the environment, then serves.
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ConfigError, loadConfig } from './lib/config';
import { createLogger } from './lib/log';

export function startNode(env: NodeJS.ProcessEnv = process.env, options: { hostname?: string } = {}) {
  const config = loadConfig(env, (path) => readFileSync(path, 'utf8'));
  const log = createLogger();
  const app = createApp(config, { log });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: options.hostname ?? env.HOST ?? '0.0.0.0' });
  log.info('proxy_started', { port: config.port, publicUrl: config.publicUrl, sandbox: config.sandbox, providers: Object.keys(config.providers) });
  return { server, config };
}

if (import.meta.url === `file://${process.argv[1]}`) {
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
