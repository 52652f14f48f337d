// The `kasir` command as a merchant meets it: spawned as a process, read from its output and exit
// status. Here through tsx on the sources; package.test.ts runs the compiled bin from a packed install.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PROVIDER_ENV } from '../../proxy/lib/config';
import type { ProviderId } from '../../proxy/lib/contract';
import { type NodeProxy, startNode } from '../../proxy/node';
import { occupy, spawnKasir, waitFor } from './process';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = [`--import=${pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href}`, join(ROOT, 'proxy/cli.ts')];
const CATALOG = JSON.stringify({ items: [{ sku: 'tee', name: 'Tee', price: { IDR: 150000, UAH: 39900 } }, { sku: 'pin', name: 'Pin', price: { IDR: 10000, UAH: 5000 } }] });

let dir: string;
let catalog: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kasir-cli-'));
  catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, CATALOG);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `kasir …` (through tsx) in an empty folder with only the given variables (and PATH) set. */
const kasir = (args: string[], env: Record<string, string> = {}, options: { cwd?: string } = {}) =>
  spawnKasir([...CLI, ...args], env, options.cwd ?? dir);
const finish = (args: string[], env?: Record<string, string>, options?: { cwd?: string }) => kasir(args, env, options).done;

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('kasir --help and usage', () => {
  test('--help lists start, demo, check and check --live', async () => {
    const r = await finish(['--help']);
    assert.equal(r.code, 0);
    for (const word of ['kasir start', 'kasir demo', '--shop-port', 'DEMO_PORT', 'kasir check', '--live']) assert.ok(r.stdout.includes(word), word);
  });

  test('an unknown command is one line and exit 1', async () => {
    const r = await finish(['launch']);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), ['kasir: unknown command "launch" (kasir --help lists the commands)']);
  });
});

describe('kasir check', () => {
  test('a missing KASIR_CATALOG is one plain sentence naming it, exit 1', async () => {
    const r = await finish(['check']);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), ['kasir: configuration error: KASIR_CATALOG must be set to the path to your catalog JSON file']);
    assert.equal(r.stdout, '');
  });

  test('a bad value names the variable and what it expects, never the value', async () => {
    const r = await finish(['check'], { KASIR_CATALOG: catalog, KASIR_CART_SECRET: 'hunter2' });
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), ['kasir: configuration error: KASIR_CART_SECRET must be a secret of at least 32 characters']);
  });

  test('no provider enabled: a warning naming the variables to set; memory store: a warning that a restart loses orders', async () => {
    const r = await finish(['check'], { KASIR_CATALOG: catalog });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /providers: +none/);
    const warnings = lines(r.stderr);
    const none = warnings.find((w) => w.includes('no payment provider is enabled'));
    assert.ok(none, r.stderr);
    for (const spec of Object.values(PROVIDER_ENV)) for (const name of Object.values(spec.fields)) assert.ok(none.includes(name), name);
    assert.ok(none.includes('KASIR_SANDBOX=1'));
    assert.ok(warnings.some((w) => /KASIR_STORE is memory: a restart loses every order/.test(w)), r.stderr);
  });

  test('prints the enabled providers, store and notice URLs; a complete production setup has no warnings', async () => {
    const r = await finish(['check'], {
      KASIR_CATALOG: catalog,
      WINPAY_KEY: 'k',
      WINPAY_SECRET: 's',
      KASIR_STORE: 'redis://:pw@redis.internal:6379/0',
      KASIR_PUBLIC_URL: 'https://pay.example.com',
      KASIR_ALLOWED_ORIGINS: 'https://shop.example.com',
    });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /providers: +winpay \(https:\/\/sandbox-checkout\.winpay\.id\)/);
    assert.match(r.stdout, /store: +redis:\/\/…@redis\.internal:6379\/0/);
    assert.doesNotMatch(r.stdout, /pw@/, 'the store password is not printed');
    assert.match(r.stdout, /notice URL: https:\/\/pay\.example\.com\/v1\/notify\/winpay/);
  });

  test('sandbox mode: every simulator enabled and no memory-store warning', async () => {
    const r = await finish(['check'], { KASIR_CATALOG: catalog, KASIR_SANDBOX: '1' });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /winpay \(simulator\), faspay \(simulator\), uapay \(simulator\), amdigipay \(simulator\)/);
    assert.equal(r.stderr, '');
  });

  test('reads .env from the working directory; the environment wins over it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kasir-env-'));
    try {
      writeFileSync(join(cwd, '.env'), `KASIR_CATALOG=${catalog}\nKASIR_SANDBOX=1\nPORT=1234\n`);
      const r = await finish(['check'], { PORT: '4321' }, { cwd });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /public URL: http:\/\/127\.0\.0\.1:4321/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('kasir start and kasir demo', () => {
  test('start: warnings first, then the banner once listening; /healthz answers', async () => {
    const proc = kasir(['start'], { KASIR_CATALOG: catalog, PORT: '0' });
    try {
      const [, port] = await waitFor(proc, /"event":"proxy_started","port":(\d+)/);
      assert.match(proc.run.stderr, /warning: KASIR_STORE is memory/);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(res.status, 200);
    } finally {
      proc.child.kill();
      await proc.done;
    }
  });

  test('start on a busy port: one line suggesting PORT, no stack trace, no success banner', async () => {
    const busy = await occupy();
    try {
      const r = await finish(['start'], { KASIR_CATALOG: catalog, KASIR_SANDBOX: '1', PORT: String(busy.port) });
      assert.equal(r.code, 1);
      assert.deepEqual(lines(r.stderr), [`kasir: port ${busy.port} is already in use; set PORT (or --port) to a free port`]);
      assert.equal(r.stdout, '', 'no proxy_started line');
    } finally {
      busy.close();
    }
  });

  test('demo on a busy shop port names DEMO_PORT; on a busy proxy port names PORT; no banner', async () => {
    const busy = await occupy();
    const free = await occupy();
    const freePort = free.port;
    free.close();
    try {
      const shop = await finish(['demo', '--port', String(freePort)], { DEMO_PORT: String(busy.port) });
      assert.equal(shop.code, 1);
      assert.deepEqual(lines(shop.stderr), [`kasir: port ${busy.port} is already in use; set DEMO_PORT (or --shop-port) to a free port`]);
      assert.doesNotMatch(shop.stdout, /storefront/);
      const proxy = await finish(['demo', '--shop-port', String(freePort)], { PORT: String(busy.port) });
      assert.equal(proxy.code, 1);
      assert.deepEqual(lines(proxy.stderr), [`kasir: port ${busy.port} is already in use; set PORT (or --port) to a free port`]);
    } finally {
      busy.close();
    }
  });

  test('demo: ports from --port / --shop-port; the shop page loads the widget from the sandbox proxy', async () => {
    const a = await occupy();
    const b = await occupy();
    const [proxyPort, shopPort] = [a.port, b.port];
    a.close();
    b.close();
    const proc = kasir(['demo', '--port', String(proxyPort), '--shop-port', String(shopPort)]);
    try {
      await waitFor(proc, /Ctrl\+C to stop/);
      assert.match(proc.run.stdout, new RegExp(`http://localhost:${shopPort}/`));
      const page = await (await fetch(`http://127.0.0.1:${shopPort}/`)).text();
      assert.ok(page.includes(`http://127.0.0.1:${proxyPort}/widget/`), 'the shop embeds the widget from the proxy');
      const config = (await (await fetch(`http://127.0.0.1:${proxyPort}/v1/config`)).json()) as { providers: unknown[] };
      assert.equal(config.providers.length, 4);
    } finally {
      proc.child.kill();
      await proc.done;
    }
  });
});

describe('kasir check --live against the simulators', () => {
  let sandbox: NodeProxy;
  let base: string;
  before(async () => {
    sandbox = startNode({ KASIR_CATALOG: catalog, KASIR_SANDBOX: '1', PORT: '0' }, { hostname: '127.0.0.1', quiet: true });
    await sandbox.ready;
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => sandbox.server.close(r)));

  /** The merchant's environment: the simulator's credentials and base URL, as if they were the provider's. */
  const liveEnv = (id: ProviderId, override: Record<string, string> = {}) => ({
    KASIR_CATALOG: catalog,
    KASIR_PUBLIC_URL: 'https://pay.example.com',
    [PROVIDER_ENV[id].baseUrl]: `${base}/sandbox/${id}`,
    ...Object.fromEntries(Object.entries(PROVIDER_ENV[id].fields).map(([field, name]) => [name, (PROVIDER_ENV[id].sandbox as Record<string, string>)[field]!])),
    ...override,
  });

  for (const id of Object.keys(PROVIDER_ENV) as ProviderId[]) {
    test(`${id}: create, lookup and void (where offered) work, and the notice URL is printed; exit 0`, async () => {
      const r = await finish(['check', '--live', id], liveEnv(id));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /✓ create: .* accepted our signed request for (10000 IDR|5000 UAH) \(pin\)/, 'the cheapest catalog item');
      assert.match(r.stdout, /✓ lookup: the answer was understood — status pending/);
      assert.match(r.stdout, /(✓ void: the invoice was voided|- void: .* offers no void)/);
      assert.ok(r.stdout.includes(`→ notice URL: https://pay.example.com/v1/notify/${id}`));
      assert.match(r.stdout, /: ready$/m);
    });
  }

  test('wrong credentials: the create is refused, said plainly, exit 1, and the secret is not printed', async () => {
    const secretVar = { winpay: 'WINPAY_SECRET', faspay: 'FASPAY_PASSWORD', uapay: 'UAPAY_SECRET', amdigipay: 'AMDIGIPAY_PASSWORD' } as const;
    for (const id of ['winpay', 'uapay'] as const) {
      const r = await finish(['check', '--live', id], liveEnv(id, { [secretVar[id]]: 'wrong-secret-value-123' }));
      assert.equal(r.code, 1, `${id}: ${r.stdout}`);
      assert.match(r.stdout, /✗ create failed — provider_/);
      assert.doesNotMatch(r.stdout + r.stderr, /wrong-secret-value-123/);
    }
  });

  test('a provider that is not configured: one line naming it, exit 1', async () => {
    const r = await finish(['check', '--live', 'faspay'], { KASIR_CATALOG: catalog });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /faspay is not enabled/);
  });
});
