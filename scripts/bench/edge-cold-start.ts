// 5. Edge cold start: from spawning workerd (Miniflare around the real binary) to the first answered
// request, with the Worker bundled as `wrangler deploy` would upload it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchSection, median, ms, table } from './report';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKER_MAIN = 'proxy/worker.ts';
const REQUIRED = [WORKER_MAIN, 'wrangler.jsonc', 'test/edge/workerd.ts'];
const PORTS = [18720, 18721, 18722];

export async function measureEdgeColdStart(): Promise<BenchSection> {
  const title = 'Edge cold start (workerd)';
  const missing = REQUIRED.find((file) => !existsSync(`${ROOT}${file}`));
  if (missing) return { title, body: `skipped: ${missing} not present` };

  const helper = new URL('../../test/edge/workerd.ts', import.meta.url).href;
  const { buildWorker, removeBuilds, startWorkerd }: typeof import('../../test/edge/workerd') = await import(helper);
  try {
    const bundleStarted = performance.now();
    await buildWorker(WORKER_MAIN);
    const bundleMs = performance.now() - bundleStarted;
    const startups: number[] = [];
    for (const port of PORTS) {
      const worker = await startWorkerd({
        port,
        main: WORKER_MAIN,
        // wrangler.jsonc's vars, with this origin and one provider's credentials, as in production.
        vars: { KASIR_PUBLIC_URL: `http://127.0.0.1:${port}`, WINPAY_KEY: 'bench-key', WINPAY_SECRET: 'bench-secret' },
      });
      startups.push(worker.startupMs);
      await worker.stop();
    }
    const body = [
      table(
        ['measure', 'median', ...PORTS.map((_, i) => `run ${i + 1}`)],
        [['spawn workerd → first answered GET /healthz', ms(median(startups), 0), ...startups.map((t) => ms(t, 0))]],
      ),
      '',
      `The bundle (\`wrangler deploy --dry-run\`, once, not counted) took ${ms(bundleMs, 0)}. Each run starts a new ` +
        'workerd through Miniflare (test/edge/workerd.ts: wrangler.jsonc\'s compatibility date, flags, Durable ' +
        'Object binding and vars) on 127.0.0.1 and polls GET /healthz; the time includes Miniflare\'s own set-up, ' +
        'loading the bundle and building the app on the first request. Not a measure of Cloudflare\'s edge.',
    ].join('\n');
    return { title, body };
  } finally {
    removeBuilds();
  }
}
