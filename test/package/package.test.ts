// The package as an adopter gets it: `npm pack` of this build, installed into empty folders with
// npm and with pnpm (whose symlinked layout once made the proxy exit silently), then the `kasir`
// bin run from there with plain Node — no tsx, no repository. Also publint and arethetypeswrong on
// the same tarball. Needs `npm run build` first (npm test builds before it runs this).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startWorkerd } from '../edge/workerd';
import { occupy, spawnKasir, waitFor } from './process';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// pnpm's store outlives the run, so the next run installs from disk.
const PNPM_STORE = join(ROOT, 'node_modules/.cache/kasir-pnpm-store');

let work: string;
let tarball: string;
const shops: Record<'npm' | 'pnpm', string> = { npm: '', pnpm: '' };

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/cli.js')) && existsSync(join(ROOT, 'dist/kasir.iife.js')), 'run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'kasir-package-'));
  // --ignore-scripts: the tarball of the build just made (prepack would build again).
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT });
  tarball = join(work, stdout.trim().split('\n').at(-1)!);
  for (const pm of ['npm', 'pnpm'] as const) {
    shops[pm] = join(work, pm);
    mkdirSync(shops[pm]);
    writeFileSync(join(shops[pm], 'package.json'), JSON.stringify({ name: `shop-${pm}`, private: true }));
  }
  await Promise.all([
    run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: shops.npm }),
    run(join(BIN, 'pnpm'), ['add', tarball, '--store-dir', PNPM_STORE, '--prefer-offline', '--config.confirmModulesPurge=false'], { cwd: shops.pnpm }),
  ]);
});
after(() => rmSync(work, { recursive: true, force: true }));

const catalogOf = (shop: string) => join(shop, 'node_modules/kasir/demo/catalog.json');

describe('the packed tarball', () => {
  test('publint finds nothing to fix', async () => {
    const { stdout } = await run(join(BIN, 'publint'), [tarball, '--strict']);
    assert.match(stdout, /All good/);
  });

  test('arethetypeswrong: every entry resolves to its types (ESM package; node10 ignored)', async () => {
    // Exits non-zero on any problem; CommonJS importing the ESM entry is by design.
    await run(join(BIN, 'attw'), [tarball, '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii']);
  });

  test('ships the compiled proxy, the widget, the demo and the licence, and no TypeScript sources', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.trim().split('\n');
    for (const f of ['dist/cli.js', 'dist/cli.licenses.txt', 'dist/kasir.iife.js', 'dist/kasir.js', 'demo/index.html', 'demo/catalog.json', 'LICENSE', 'README.md']) {
      assert.ok(files.includes(`package/${f}`), f);
    }
    assert.deepEqual(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f)), []);
  });

  test('a widget-only install pulls no server dependency', () => {
    const installed = readdirSync(join(shops.npm, 'node_modules')).flatMap((d) =>
      d.startsWith('@') ? readdirSync(join(shops.npm, 'node_modules', d)).map((s) => `${d}/${s}`) : [d],
    );
    for (const server of ['hono', '@hono/node-server', 'ioredis', '@noble/hashes', 'uqr']) assert.ok(!installed.includes(server), server);
  });
});

for (const pm of ['npm', 'pnpm'] as const) {
  describe(`installed with ${pm}`, () => {
    // node_modules/.bin/kasir: a symlink (npm) or a shell shim (pnpm). Under pnpm also the path
    // through the node_modules/kasir symlink, the case that used to exit 0 without listening.
    const entries = () => [
      { name: '.bin/kasir', args: [] as string[], command: join(shops[pm], 'node_modules/.bin/kasir') },
      { name: 'node node_modules/kasir/dist/cli.js', args: [join(shops[pm], 'node_modules/kasir/dist/cli.js')], command: process.execPath },
    ];

    test('kasir check reads the configuration and prints providers and store', async () => {
      for (const entry of entries()) {
        const r = await spawnKasir([...entry.args, 'check'], { KASIR_CATALOG: catalogOf(shops[pm]), WINPAY_KEY: 'k', WINPAY_SECRET: 's' }, shops[pm], entry.command).done;
        assert.equal(r.code, 0, `${entry.name}: ${r.stderr}`);
        assert.match(r.stdout, /providers: +winpay/, entry.name);
        assert.match(r.stdout, /store: +memory/, entry.name);
        const bad = await spawnKasir([...entry.args, 'check'], {}, shops[pm], entry.command).done;
        assert.equal(bad.code, 1, entry.name);
        assert.match(bad.stderr, /^kasir: configuration error: KASIR_CATALOG must be set/);
      }
    });

    test('kasir start listens; /healthz, the widget (short cache) and the versioned widget + chunk (immutable, same bytes)', async () => {
      for (const entry of entries()) {
        const proc = spawnKasir([...entry.args, 'start'], { KASIR_CATALOG: catalogOf(shops[pm]), KASIR_SANDBOX: '1', PORT: '0', HOST: '127.0.0.1' }, shops[pm], entry.command);
        try {
          const [, port] = await waitFor(proc, /"event":"proxy_started","port":(\d+)/);
          const base = `http://127.0.0.1:${port}`;
          assert.equal((await fetch(`${base}/healthz`)).status, 200, entry.name);
          const latest = await fetch(`${base}/widget/kasir.iife.js`);
          assert.equal(latest.status, 200);
          assert.equal(latest.headers.get('Cache-Control'), 'public, max-age=300');
          const pinned = await fetch(`${base}/widget/${VERSION}/kasir.iife.js`);
          assert.equal(pinned.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
          assert.equal(pinned.headers.get('Access-Control-Allow-Origin'), '*');
          const sri = (bytes: Uint8Array) => createHash('sha384').update(bytes).digest('base64');
          const shipped = readFileSync(join(shops[pm], 'node_modules/kasir/dist/kasir.iife.js'));
          assert.equal(sri(new Uint8Array(await pinned.arrayBuffer())), sri(shipped), 'the served bytes match the hash the build printed');
          const chunk = await fetch(`${base}/widget/${VERSION}/kasir-qr.js`);
          assert.equal(chunk.status, 200);
          assert.equal(chunk.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
        } finally {
          proc.child.kill();
          await proc.done;
        }
      }
    });
  });
}

describe('from the npm install', () => {
  test('kasir demo serves the shop (demo files shipped) and the sandbox proxy', async () => {
    const [a, b] = [await occupy(), await occupy()];
    const ports = [a.port, b.port];
    a.close();
    b.close();
    const proc = spawnKasir(['demo', '--port', String(ports[0]), '--shop-port', String(ports[1])], {}, shops.npm, join(shops.npm, 'node_modules/.bin/kasir'));
    try {
      await waitFor(proc, /Ctrl\+C to stop/);
      const page = await fetch(`http://127.0.0.1:${ports[1]}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<kasir-checkout/);
      assert.equal((await fetch(`http://127.0.0.1:${ports[1]}/shop.js`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${ports[0]}/widget/kasir.iife.js`)).status, 200);
    } finally {
      proc.child.kill();
      await proc.done;
    }
  });

  test('kasir check --live winpay against a sandbox proxy started from the same install', async () => {
    const kasir = join(shops.npm, 'node_modules/.bin/kasir');
    const sandbox = spawnKasir(['start'], { KASIR_CATALOG: catalogOf(shops.npm), KASIR_SANDBOX: '1', PORT: '0', HOST: '127.0.0.1' }, shops.npm, kasir);
    try {
      const [, port] = await waitFor(sandbox, /"event":"proxy_started","port":(\d+)/);
      const r = await spawnKasir(
        ['check', '--live', 'winpay'],
        {
          KASIR_CATALOG: catalogOf(shops.npm),
          KASIR_PUBLIC_URL: 'https://pay.example.com',
          WINPAY_KEY: 'sandbox-winpay-key',
          WINPAY_SECRET: 'sandbox-winpay-secret',
          WINPAY_BASE_URL: `http://127.0.0.1:${port}/sandbox/winpay`,
        },
        shops.npm,
        kasir,
      ).done;
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /✓ create/);
      assert.match(r.stdout, /✓ lookup/);
      assert.match(r.stdout, /✓ void/);
      assert.match(r.stdout, /notice URL: https:\/\/pay\.example\.com\/v1\/notify\/winpay/);
    } finally {
      sandbox.child.kill();
      await sandbox.done;
    }
  });
});

describe('on Workers, from the npm install', () => {
  test('dist/worker.js, bundled by wrangler as `deploy` would and run on workerd, serves the API', async () => {
    // The repository's wrangler.jsonc stands in for the merchant's, with main pointed into node_modules.
    const workerd = await startWorkerd({ port: 0, main: join(shops.npm, 'node_modules/kasir/dist/worker.js'), vars: { KASIR_SANDBOX: '1' } });
    try {
      assert.equal((await fetch(`${workerd.url}/healthz`)).status, 200);
      const config = (await (await fetch(`${workerd.url}/v1/config`)).json()) as { providers: unknown[] };
      assert.equal(config.providers.length, 4);
    } finally {
      await workerd.stop();
    }
  });
});
