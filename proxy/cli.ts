// The `kasir` command (package.json "bin": dist/cli.js, compiled from this file; in the repository
// `npm run proxy` / `npm start` run it through tsx). It is only ever an entry point, so it needs no
// "am I the main module" check — the check that, comparing a symlinked path, made the proxy exit
// silently under pnpm.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDemo } from '../demo/start';
import { ConfigError, configWarnings, loadConfig, PROVIDER_ENV } from './lib/config';
import type { ProviderId } from './lib/contract';
import { runLiveCheck } from './live-check';
import { packageVersion, startNode } from './node';

const HELP = `kasir — checkout proxy for Winpay, Faspay, UAPAY and AMDigipay

Usage:
  kasir start                    run the proxy, configured from the environment and ./.env
  kasir demo [--port N] [--shop-port N]
                                 the sandbox: proxy with every simulator + a demo shop
                                 (ports also from PORT and DEMO_PORT; default 8787 and 5173)
  kasir check                    read the configuration, print providers, store and warnings
  kasir check --live <provider>  create the smallest invoice with your credentials, look it up,
                                 void it where the provider can (${Object.keys(PROVIDER_ENV).join(', ')})
  kasir --version | --help

Configuration: README.md, "Configuration". Exit status 1 on any error.
`;

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`kasir: ${line}\n`);

/** Reads ./.env the way Node's --env-file does: variables already set win. */
function loadDotEnv() {
  try {
    process.loadEnvFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function portOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new ConfigError(`${name} must be a port number from 1 to 65535`);
  return value;
}

/** One line for a port that cannot be taken, naming the variable that moves it; no stack. */
function listenFailure(err: unknown, variables: Record<number, string>): never {
  const e = err as NodeJS.ErrnoException & { port?: number };
  const fix = e.port !== undefined && variables[e.port] ? `; set ${variables[e.port]} to a free port` : '';
  if (e.code === 'EADDRINUSE') complain(`port ${e.port} is already in use${fix}`);
  else if (e.code === 'EACCES') complain(`not allowed to listen on port ${e.port}${fix}`);
  else throw err;
  process.exit(1);
}

const warnAll = (warnings: string[]) => warnings.forEach((w) => complain(`warning: ${w}`));

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      port: { type: 'string' },
      'shop-port': { type: 'string' },
      live: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.version) return say(packageVersion());
  if (values.help || command === undefined || command === 'help') return say(HELP);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  loadDotEnv();

  if (command === 'start') {
    const env = { ...process.env, ...(values.port ? { PORT: portOption(values.port, '--port') } : {}) };
    const { config, ready } = startNode(env);
    warnAll(configWarnings(config));
    await ready.catch((err) => listenFailure(err, { [config.port]: 'PORT (or --port)' }));
    return;
  }
  if (command === 'demo') {
    const proxyPort = Number(portOption(values.port, '--port') ?? portOption(process.env.PORT, 'PORT') ?? 8787);
    const shopPort = Number(portOption(values['shop-port'], '--shop-port') ?? portOption(process.env.DEMO_PORT, 'DEMO_PORT') ?? 5173);
    const demo = startDemo({ proxyPort, shopPort, quiet: true });
    await demo.ready.catch((err) => listenFailure(err, { [proxyPort]: 'PORT (or --port)', [shopPort]: 'DEMO_PORT (or --shop-port)' }));
    say(`\n  Kasir demo storefront:  ${demo.shopUrl}/\n  Proxy (sandbox mode):   ${demo.proxyUrl}\n\n  Ctrl+C to stop.\n`);
    return;
  }
  if (command === 'check') {
    const config = loadConfig(process.env, (path) => readFileSync(path, 'utf8'));
    if (values.live !== undefined) {
      if (!(values.live in PROVIDER_ENV)) throw new UsageError(`--live takes one of ${Object.keys(PROVIDER_ENV).join(', ')}`);
      const ok = await runLiveCheck(config, values.live as ProviderId, say);
      process.exitCode = ok ? 0 : 1;
      return;
    }
    const enabled = Object.entries(config.providers).map(([id, p]) => `${id} (${p.sandbox ? 'simulator' : p.baseUrl})`);
    say('configuration OK');
    say(`  providers:  ${enabled.join(', ') || 'none'}`);
    say(`  store:      ${config.store.replace(/\/\/[^@/]*@/, '//…@')}`);
    say(`  public URL: ${config.publicUrl}${config.sandbox ? '  (sandbox mode: simulators mounted)' : ''}`);
    say(`  catalog:    ${config.catalog.items.length} item(s)`);
    for (const id of Object.keys(config.providers)) say(`  notice URL: ${config.publicUrl}/v1/notify/${id}`);
    warnAll(configWarnings(config));
    return;
  }
  throw new UsageError(`unknown command "${command}"`);
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) complain(`configuration error: ${err.message}`);
  else if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    complain(`${(err as Error).message} (kasir --help lists the commands)`);
  } else throw err;
  process.exit(1);
});
