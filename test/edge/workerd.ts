// Real workerd for the edge tests and benchmarks. The Worker is bundled exactly as `wrangler deploy`
// would upload it (`--dry-run --outdir`), and run by Miniflare — wrangler's own local runtime around
// the workerd binary — with the compatibility date, flags, Durable Object binding and vars that
// wrangler.jsonc declares. Offline: no Request.cf lookup (cf: false), DO storage in memory.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Json, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const ROOT = resolve(import.meta.dirname, '../..');
const WRANGLER_BIN = join(ROOT, 'node_modules/.bin/wrangler');
const CONFIG = join(ROOT, 'wrangler.jsonc');
const READY_TIMEOUT_MS = 10_000;
// No telemetry from wrangler (offline).
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

export interface Workerd {
  url: string;
  /** Milliseconds from spawning workerd to the first answered request (GET /healthz). */
  startupMs: number;
  /** What the Worker wrote with console.*, one entry per call. */
  logs: string[];
  stop: () => Promise<void>;
}

export interface WorkerdOptions {
  port: number;
  /** Vars and secrets, over the vars of wrangler.jsonc (a var may be any JSON value, as there). */
  vars?: Record<string, unknown>;
  /** Entry module (default: wrangler.jsonc's main, proxy/worker.ts). */
  main?: string;
}

const builds = new Map<string, Promise<string>>();
const buildDirs: string[] = [];

/** Bundles `main` as `wrangler deploy` would, once per process; resolves to the bundle's path. */
export function buildWorker(main: string): Promise<string> {
  let build = builds.get(main);
  if (!build) {
    const outdir = mkdtempSync(join(tmpdir(), 'kasir-edge-'));
    buildDirs.push(outdir);
    const args = ['deploy', main, '--config', CONFIG, '--dry-run', '--outdir', outdir];
    build = promisify(execFile)(WRANGLER_BIN, args, { cwd: ROOT, env: WRANGLER_ENV }).then(() => join(outdir, `${basename(main, extname(main))}.js`));
    builds.set(main, build);
  }
  return build;
}

/** Removes the bundles buildWorker made. */
export function removeBuilds() {
  for (const dir of buildDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  builds.clear();
}

export async function startWorkerd({ port, vars = {}, main }: WorkerdOptions): Promise<Workerd> {
  const config = unstable_getMiniflareWorkerOptions(CONFIG);
  const { workerOptions } = config;
  const scriptPath = await buildWorker(main ?? config.main!);
  const logs: string[] = [];
  const started = performance.now();
  const mf = new Miniflare({
    ...workerOptions,
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    bindings: { ...workerOptions.bindings, ...(vars as Record<string, Json>) },
    host: '127.0.0.1',
    port,
    cf: false,
    // Cron Triggers, as the platform would fire them: GET /cdn-cgi/handler/scheduled.
    unsafeTriggerHandlers: true,
    handleStructuredLogs: ({ message }) => void logs.push(message),
  });
  const stop = () => mf.dispose();
  try {
    const url = (await mf.ready).origin;
    for (;;) {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) }).catch(() => undefined);
      if (res) {
        await res.arrayBuffer();
        return { url, startupMs: Math.round(performance.now() - started), logs, stop };
      }
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`workerd did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
