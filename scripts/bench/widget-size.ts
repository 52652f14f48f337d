// 1. Widget size: every file in dist/, raw, gzip and brotli, against the script-tag budget.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { type BenchSection, kib, table, verdict } from './report';

const DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
const BUDGETED = 'kasir.iife.js';
const ENTRIES = [BUDGETED, 'kasir.js'];
const BUDGET_GZIP_BYTES = 12 * 1024;

function roleOf(file: string, sources: Map<string, string>): string {
  if (file === BUDGETED) return 'script-tag entry (budget)';
  if (file === 'kasir.js') return 'ES module entry';
  if (file.endsWith('.d.ts')) return 'types';
  if (!file.endsWith('.js')) return 'other';
  const staticImport = new RegExp(`(?:from|import)\\s*["'\`]\\./${file.replaceAll('.', '\\.')}["'\`]`);
  const uses = ENTRIES.flatMap((entry) => {
    const source = sources.get(entry) ?? '';
    if (staticImport.test(source)) return [`loaded with ${entry}`];
    return source.includes(file) ? [`loaded on demand by ${entry}`] : [];
  });
  return uses.length ? `chunk ${uses.join('; ')}` : 'chunk that no entry names';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(DIST_DIR, join(entry.parentPath, entry.name)))
    .sort();
}

export function measureWidgetSize(): BenchSection {
  const title = 'Widget size';
  if (!existsSync(join(DIST_DIR, BUDGETED))) {
    return { title, body: `dist/${BUDGETED} not found: run \`npm run build\` first.`, failed: true };
  }
  const sources = new Map(ENTRIES.filter((entry) => existsSync(join(DIST_DIR, entry))).map((entry) => [entry, readFileSync(join(DIST_DIR, entry), 'utf8')]));
  const rows = filesUnder(DIST_DIR).map((file) => {
    const raw = readFileSync(join(DIST_DIR, file));
    return { file, raw: raw.length, gzip: gzipSync(raw).length, brotli: brotliCompressSync(raw).length };
  });
  const budgeted = rows.find((r) => r.file === BUDGETED)!;
  const ok = budgeted.gzip <= BUDGET_GZIP_BYTES;
  const body = [
    table(
      ['file', 'role', 'raw', 'gzip', 'brotli'],
      rows.map((r) => [`dist/${r.file}`, roleOf(r.file, sources), kib(r.raw), kib(r.gzip), kib(r.brotli)]),
    ),
    '',
    table(
      ['budget', 'limit', 'measured', 'headroom', 'result'],
      [[`dist/${BUDGETED} gzip`, kib(BUDGET_GZIP_BYTES), `${kib(budgeted.gzip)} (${budgeted.gzip} B)`, `${BUDGET_GZIP_BYTES - budgeted.gzip} B`, verdict(ok)]],
    ),
    '',
    'node:zlib defaults: gzip level 6, brotli quality 11. 1 KiB = 1024 bytes. Only the script-tag entry counts ' +
      'toward the budget; the ES module build is the alternative entry, and chunks (whatever loads them) are ' +
      'reported but not counted.',
  ].join('\n');
  return { title, body, failed: !ok };
}
