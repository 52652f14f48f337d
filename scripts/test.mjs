// `npm test`: type-check, build the widget, then every suite — proxy unit tests (node:test),
// bursts, crashes and outages against real proxy processes and a real redis-server (test/resilience),
// the Worker on real workerd, widget tests in Chromium (web-test-runner), end-to-end through the
// demo (node:test + Chromium), and the packed package as an adopter installs it.
// Prints each suite's counts and one closing line `N passed, N failed` for CI.
import { spawn } from 'node:child_process';

const steps = [
  { name: 'typecheck', cmd: 'npm run --silent typecheck' },
  { name: 'build', cmd: 'npm run --silent build' },
  { name: 'unit', cmd: 'npm run --silent test:unit', counts: 'node' },
  { name: 'resilience', cmd: 'npm run --silent test:resilience', counts: 'node' },
  { name: 'edge', cmd: 'npm run --silent test:edge', counts: 'node' },
  { name: 'browser', cmd: 'npm run --silent test:browser', counts: 'wtr' },
  { name: 'e2e', cmd: 'npm run --silent test:e2e', counts: 'node' },
  // The `kasir` command spawned as a process; the packed tarball installed with npm and pnpm, its
  // bin run from there; publint, attw.
  { name: 'package', cmd: 'npm run --silent test:package', counts: 'node' },
];
const only = process.argv.slice(2);

function run(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

function countsOf(kind, out) {
  if (kind === 'wtr') {
    const m = /^browser: (\d+) passed, (\d+) failed/m.exec(out);
    return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
  }
  const pick = (word) => [...out.matchAll(new RegExp(`^(?:#|ℹ) ${word} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  const passed = pick('pass');
  const failed = pick('fail') + pick('cancelled');
  return passed + failed > 0 ? { passed, failed } : undefined;
}

let passed = 0;
let failed = 0;
const summary = [];
for (const step of steps.filter((s) => only.length === 0 || only.includes(s.name))) {
  const started = Date.now();
  const { code, out } = await run(step.cmd);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!step.counts) {
    if (code !== 0) failed++;
    summary.push(`${step.name}: ${code === 0 ? 'ok' : 'FAILED'} (${seconds} s)`);
    continue;
  }
  const counts = countsOf(step.counts, out) ?? { passed: 0, failed: 1 };
  // A runner that exits non-zero has failed even when its own counts say otherwise.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  summary.push(`${step.name}: ${counts.passed} passed, ${counts.failed} failed (${seconds} s)`);
}
console.log(`\n${summary.join('\n')}\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
