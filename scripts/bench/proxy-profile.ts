// `npm run bench -- --profile`: where Kasir's CPU goes under saturating load, beside the bare Hono
// forwarder. Each runs under --cpu-prof for a warm-up and one saturating run; the self time of
// every sample is grouped by package (or source file) and divided by the requests served. The
// .cpuprofile files stay in the printed directory (open them in Chrome DevTools).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOneCheckout, fireCheckouts, startLoadServer } from './load-servers';
import { KASIR_PORT, STUB_PORT } from './proxy-throughput';
import { type BenchSection, table } from './report';

const PROFILED = [
  { kind: 'kasir', label: 'Kasir' },
  { kind: 'hono', label: 'bare Hono' },
] as const;
const SATURATING_CONNECTIONS = 50;
const TOP = 20;

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** `(garbage collector)`, `writev`, `node:undici`, `hono`, `proxy/store/index.ts`… */
function groupOf({ functionName, url }: CpuProfile['nodes'][number]['callFrame']): string {
  if (!url) return `(${functionName.replace(/^\((.*)\)$/, '$1')})`;
  const builtin = /^node:(?:internal\/)?(?:deps\/)?([^/]+)/.exec(url);
  if (builtin) return `node:${builtin[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  return url.replace(/^.*\/(proxy|scripts)\//, '$1/');
}

/** Microseconds of self time per group, idle excluded. */
function selfTimes(profile: CpuProfile): Map<string, number> {
  const groupById = new Map(profile.nodes.map((node) => [node.id, groupOf(node.callFrame)]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const group = groupById.get(id)!;
    if (group !== '(idle)') times.set(group, (times.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return times;
}

const busy = (times: Map<string, number>) => [...times.values()].reduce((a, b) => a + b, 0);

/** The main thread's times: of the process's profiles (tsx's loader thread writes one too), the busiest. */
function mainThreadTimes(dir: string): Map<string, number> {
  const all = readdirSync(dir).map((file) => selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile));
  const main = all.sort((a, b) => busy(b) - busy(a))[0];
  if (!main) throw new Error(`no .cpuprofile in ${dir}`);
  return main;
}

export async function profileProxy({ runSeconds, warmSeconds }: { runSeconds: number; warmSeconds: number }): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-profile-'));
  const perRequest = new Map<string, Map<string, number>>();
  const rps = new Map<string, number>();
  const stub = await startLoadServer('stub', STUB_PORT);
  try {
    for (const { kind } of PROFILED) {
      const server = await startLoadServer(kind, KASIR_PORT, { stubUrl: stub.url, execArgv: ['--cpu-prof', `--cpu-prof-dir=${join(dir, kind)}`] });
      let served = 1;
      try {
        await checkOneCheckout(server.url);
        served += (await fireCheckouts(server.url, { seconds: warmSeconds, connections: SATURATING_CONNECTIONS })).requests;
        const run = await fireCheckouts(server.url, { seconds: runSeconds, connections: SATURATING_CONNECTIONS });
        served += run.requests;
        rps.set(kind, run.rps);
      } finally {
        await server.stop();
      }
      const times = mainThreadTimes(join(dir, kind));
      perRequest.set(kind, new Map([...times].map(([group, us]) => [group, us / served])));
    }
  } finally {
    await stub.stop();
  }

  const kasir = perRequest.get('kasir')!;
  const hono = perRequest.get('hono')!;
  const us = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));
  const rows = [...kasir].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([group, value]) => [group, us(value), us(hono.get(group))]);
  const body = [
    table(
      ['self time per request (µs of CPU)', 'Kasir', 'bare Hono'],
      [['**all (idle excluded)**', us(busy(kasir)), us(busy(hono))], ...rows],
    ),
    '',
    `Under the profiler: Kasir ${Math.round(rps.get('kasir')!)} req/s, bare Hono ${Math.round(rps.get('hono')!)} req/s ` +
      `(${SATURATING_CONNECTIONS} connections, ${runSeconds} s after ${warmSeconds} s; the profile covers both and start-up). ` +
      `Profiles: ${dir}/{kasir,hono}/ (the busiest file is the main thread).`,
  ].join('\n');
  return { title: 'CPU profile, POST /v1/checkouts at saturation', body };
}
