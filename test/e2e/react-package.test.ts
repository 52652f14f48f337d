// What an adopter gets from the packed tarball (`npm pack`), in a project of its own: the types of
// kasir/react's props and events, kasir/jsx (generated from custom-elements.json) for the tag
// itself in JSX, the manifest those come from (schema 2.1, the shipped module, nothing stray),
// and kasir/react's module as Node loads it for server rendering.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import type { CustomElementDeclaration, Package } from 'custom-elements-manifest/schema.js';

const run = promisify(execFile);
const ROOT = resolve('.');
const APP_DIR = join(ROOT, 'test/e2e/react-app');

let project: string;
let pkg: string;

before(async () => {
  assert.ok(existsSync('dist/react.js') && existsSync('dist/jsx.d.ts'), 'run `npm run build` first (npm test does)');
  project = mkdtempSync(join(tmpdir(), 'kasir-types-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  pkg = join(project, 'node_modules/kasir');
  mkdirSync(pkg, { recursive: true });
  await run('tar', ['xzf', join(project, filename), '-C', pkg, '--strip-components=1']);
  // What an install would put beside it: its dependencies, and React with its types (the app's).
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), 'react', 'react-dom', '@types/react', '@types/react-dom']) {
    mkdirSync(join(project, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
  mkdirSync(join(project, 'src'));
  for (const file of readdirSync(APP_DIR)) cpSync(join(APP_DIR, file), join(project, 'src', file));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Type-checks the shop's TSX files (test/e2e/react-app) against the packed package; returns tsc's report. */
async function typecheck(moduleResolution: 'bundler' | 'nodenext'): Promise<string> {
  const config = join(project, `tsconfig.${moduleResolution}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: moduleResolution === 'bundler' ? 'esnext' : 'nodenext',
        moduleResolution,
        lib: ['es2023', 'dom', 'dom.iterable'],
        jsx: 'react-jsx',
        strict: true,
        noEmit: true,
        types: [],
        // As most apps do. The @ts-expect-error lines still catch types that went `any`.
        skipLibCheck: true,
      },
      include: ['src'],
    }),
  );
  try {
    await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', config], { cwd: project });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout || err);
  }
}

const reports = new Map<string, Promise<string>>();
for (const resolution of ['bundler', 'nodenext'] as const) {
  test(`packed types (${resolution} resolution): kasir/react and kasir/jsx accept the documented uses and refuse wrong ones`, async () => {
    // Both checks start with the first test: they run side by side.
    if (reports.size === 0) for (const r of ['bundler', 'nodenext'] as const) reports.set(r, typecheck(r));
    // element.tsx and component.tsx hold @ts-expect-error lines: loose (`any`) types fail them too.
    assert.equal(await reports.get(resolution), '');
  });
}

test('custom-elements.json in the tarball: schema 2.1.0, one element at the shipped dist/kasir.js', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'dist/custom-elements.json'), 'utf8'));
  const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/custom-elements-manifest/schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile<Package>(schema);
  if (!validate(manifest)) assert.fail(JSON.stringify(validate.errors));
  assert.equal(manifest.schemaVersion, '2.1.0');

  const packageJson = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.equal(packageJson.customElements, 'dist/custom-elements.json');
  const modules = manifest.modules;
  assert.deepEqual(modules.map((m) => m.path), ['dist/kasir.js']);
  for (const m of modules) assert.ok(existsSync(join(pkg, m.path)), `${m.path} is in the tarball`);
  const [element, ...stray] = (modules[0]!.declarations ?? []) as CustomElementDeclaration[];
  assert.deepEqual(stray, [], 'no declaration but the element');
  assert.equal(element?.tagName, 'kasir-checkout');
  assert.deepEqual(
    modules[0]!.exports?.map((e) => `${e.kind}:${e.name}`),
    ['js:KasirCheckout', 'custom-element-definition:kasir-checkout'],
  );
  for (const attr of ['endpoint', 'provider', 'items', 'cart', 'return-url', 'locale', 'mode']) {
    assert.ok(element.attributes?.some((a) => a.name === attr), `attribute ${attr}`);
  }
  assert.deepEqual(
    element.events?.map((e) => e.name).sort(),
    ['kasir-close', 'kasir-created', 'kasir-error', 'kasir-expired', 'kasir-failed', 'kasir-open', 'kasir-paid', 'kasir-pending'],
  );
  assert.doesNotMatch(JSON.stringify(manifest), /\.ts"/, 'no TypeScript source is named');
});

test('kasir/react in the tarball imports only React and the element beside it; React is an optional peer', () => {
  const code = readFileSync(join(pkg, 'dist/react.js'), 'utf8');
  const imports = [...code.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2]).sort();
  // One element class and one customElements.define for an app that also imports `kasir`.
  assert.deepEqual(imports, ['./kasir.js', 'react']);
  assert.match(code, /^"use client";/);
  assert.match(code, /SPDX-License-Identifier: BSD-3-Clause/, "@lit/react's notice is kept with its code");
  const packageJson = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.deepEqual(packageJson.peerDependenciesMeta?.react, { optional: true });
  assert.equal(packageJson.dependencies['@lit/react'], undefined, 'bundled: no @types/react peer forced on widget-only installs');
  assert.equal(packageJson.dependencies.react, undefined);
});

test('the packed kasir/react renders on the server from an install (plain Node, no bundler)', async () => {
  const script = `
    import { createElement } from 'react';
    import { renderToString } from 'react-dom/server';
    import { KasirCheckout } from 'kasir/react';
    process.stdout.write(renderToString(createElement(KasirCheckout, { endpoint: 'https://pay.example.com', items: [{ sku: 'tee-m', qty: 1 }], className: 'checkout' })));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
  // Properties are set in the browser; the server writes the bare element (with React's own attributes).
  assert.equal(stdout, '<kasir-checkout class="checkout"></kasir-checkout>');
});
