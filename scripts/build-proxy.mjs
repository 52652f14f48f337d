// Compiles the `kasir` command (proxy/cli.ts: the Node proxy, the demo, the checks) into one file,
// dist/cli.js, that plain Node ≥ 20.12 runs from an install: no tsx, no TypeScript sources; and the
// Workers entry (proxy/worker.ts) into dist/worker.js, for a wrangler.jsonc whose `main` is
// node_modules/kasir/dist/worker.js (wrangler bundles it again; it needs nothing installed).
// Every server dependency (hono, @hono/node-server, valibot, @noble/hashes, ioredis) is bundled in:
// the proxy runs as its own process, so nothing is shared with the app to dedupe, and a shop that
// only embeds the widget installs none of them (the package's one dependency is lit). The cost is
// that a fix in one of them reaches merchants through a Kasir release, not their own lockfile.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { metafile } = await build({
  entryPoints: ['proxy/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.12',
  minify: true,
  // Readable stack traces name our functions, not single letters.
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // ioredis and its helpers are CommonJS and require() Node's modules, which an ES module bundle
  // can only do through a real require.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __kasirCreateRequire } from 'node:module';\nconst require = __kasirCreateRequire(import.meta.url);",
  },
});

const worker = await build({
  entryPoints: ['proxy/worker.ts'],
  outfile: 'dist/worker.js',
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  target: 'es2022',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'import'],
  minify: true,
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
for (const [input, info] of Object.entries(worker.metafile.inputs)) metafile.inputs[input] ??= info;

// Their MIT/ISC/BSD licences ask for the notice to travel with the code: one file beside the bundle.
const packages = new Set();
for (const input of Object.keys(metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(input.slice(0, m.index + m[0].length));
}
const notices = [...packages].sort().map((dir) => {
  const { name, version, license } = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'));
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /^licen[cs]e/i.test(f)) : undefined;
  return `${name}@${version} (${license})\n\n${file ? readFileSync(dir + file, 'utf8').trim() : `${license}; no licence file in the package`}\n`;
});
writeFileSync('dist/cli.licenses.txt', `Third-party code bundled into dist/cli.js and dist/worker.js\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`);
