// One contract, three drivers: memory, a directory, and a real Redis. `peer` is a second handle on
// the same data (another fs store on the directory, another Redis connection), as a second
// process would have.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createMemoryStore, type Store } from '../../../proxy/lib/store';
import { createFsStore } from '../../../proxy/lib/store-fs';
import { createNodeStore, type NodeStore } from '../../../proxy/lib/store-node';
import { startRedisServer } from './redis-server';

const REDIS_PORT = 18601;
/** Nothing listens here. */
const DEAD_PORT = 18603;

interface Subject {
  store: Store;
  peer: Store;
  /** Lets `seconds` pass for the store's clock. */
  advance: (seconds: number) => Promise<void>;
}

const fakeClock = () => {
  let t = Date.parse('2025-01-01T00:00:00Z');
  return { now: () => t, advance: async (seconds: number) => void (t += seconds * 1000) };
};

const tempDirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-store-'));
  tempDirs.push(dir);
  return dir;
};

// Started once, by the first suite that needs it, so the memory and fs suites run without it.
let redisStarting: ReturnType<typeof startRedisServer> | undefined;
let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
const startRedis = async () => {
  redisServer = await (redisStarting ??= startRedisServer(REDIS_PORT));
};
const redisStores: NodeStore[] = [];
after(async () => {
  await Promise.all(redisStores.map((s) => s.close()));
  await (await redisStarting?.catch(() => undefined))?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const DRIVERS: Record<string, () => Subject> = {
  memory() {
    const clock = fakeClock();
    const store = createMemoryStore(clock.now);
    return { store, peer: store, advance: clock.advance };
  },
  fs() {
    const clock = fakeClock();
    const dir = tempDir();
    return { store: createFsStore(dir, clock.now), peer: createFsStore(dir, clock.now), advance: clock.advance };
  },
  redis() {
    const store = createNodeStore(redisServer.url, createMemoryLogger());
    const peer = createNodeStore(redisServer.url, createMemoryLogger());
    redisStores.push(store, peer);
    // Redis keeps its own time: let it pass for real, plus a margin.
    return { store, peer, advance: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100)) };
  },
};

for (const [name, create] of Object.entries(DRIVERS)) {
  describe(`${name} store`, () => {
    if (name === 'redis') before(startRedis);
    // Keys are unique per test, so tests sharing one Redis cannot see each other.
    const namespace = () => `test:${randomUUID()}:`;
    const key = (label: string) => namespace() + label;

    test('a missing key reads as undefined', async () => {
      const { store } = create();
      assert.equal(await store.get(key('missing')), undefined);
    });

    test('set stores a value and set again replaces it, for every handle', async () => {
      const { store, peer } = create();
      const k = key('order');
      await store.set(k, { status: 'pending' });
      assert.deepEqual(await peer.get(k), { status: 'pending' });
      await peer.set(k, { status: 'paid' });
      assert.deepEqual(await store.get(k), { status: 'paid' });
    });

    test('values round-trip as JSON, including null, 0, false and the empty string', async () => {
      const { store } = create();
      const value = { id: 'ord_1', amount: 150000, lines: [{ sku: 'tee-m', qty: 2 }], note: 'Kaos “biru” — ґ €', paidAt: null, ok: true };
      for (const [label, v] of [['object', value], ['null', null], ['zero', 0], ['false', false], ['empty', ''], ['array', [1, 'two', null]]] as const) {
        const k = key(label);
        await store.set(k, v);
        assert.deepEqual(await store.get(k), v, label);
      }
    });

    test('add sets an absent key once and never replaces a live one', async () => {
      const { store } = create();
      const k = key('claim');
      assert.equal(await store.add(k, 'first'), true);
      assert.equal(await store.add(k, 'second'), false);
      assert.equal(await store.get(k), 'first');
      await store.set(k, 'set');
      assert.equal(await store.add(k, 'third'), false);
      assert.equal(await store.get(k), 'set');
    });

    test('delete removes a key (and a missing key is no error); add works again after it', async () => {
      const { store } = create();
      const k = key('lock');
      await store.set(k, 1);
      await store.delete(k);
      assert.equal(await store.get(k), undefined);
      await store.delete(k);
      assert.equal(await store.add(k, 2), true);
      assert.equal(await store.get(k), 2);
    });

    test('ttlSeconds expires set and add, for get and keys; a set without ttl keeps the key', async () => {
      const { store, peer, advance } = create();
      const ns = namespace();
      const [short, claim, forever, cleared] = ['short', 'claim', 'forever', 'cleared'].map((label) => ns + label) as [string, string, string, string];
      await store.set(short, 'a', { ttlSeconds: 1 });
      assert.equal(await store.add(claim, 'b', { ttlSeconds: 1 }), true);
      await store.set(forever, 'c');
      await store.set(cleared, 'd', { ttlSeconds: 1 });
      await store.set(cleared, 'e');
      assert.equal(await store.get(short), 'a');
      assert.equal(await store.add(claim, 'again', { ttlSeconds: 1 }), false);
      assert.deepEqual((await peer.keys(ns)).sort(), [claim, cleared, forever, short]);
      await advance(1);
      assert.equal(await store.get(short), undefined);
      assert.equal(await store.get(claim), undefined);
      assert.equal(await store.get(forever), 'c');
      assert.equal(await store.get(cleared), 'e');
      assert.deepEqual((await peer.keys(ns)).sort(), [cleared, forever]);
      assert.equal(await store.add(claim, 'after expiry'), true);
      assert.equal(await store.get(claim), 'after expiry');
    });

    test('keys lists exactly the keys under a prefix, whatever characters they or the prefix hold', async () => {
      const { store, peer } = create();
      const base = namespace();
      const prefix = `${base}[*]?.pending:`;
      const inside = ['ord_aB', 'ord_Ab', '../../etc/passwd', 'ґ € 💳', 'x'.repeat(300), ''].map((rest) => prefix + rest);
      for (const k of inside) await store.set(k, 1);
      // Each would match if the prefix were read as a glob or compared without case.
      for (const decoy of [`${base}*X.pending:1`, `${base}[*]?.PENDING:2`, `${base}[*]?.pending`]) await store.set(decoy, 1);
      assert.deepEqual((await peer.keys(prefix)).sort(), [...inside].sort());
      await store.delete(inside[0]!);
      assert.deepEqual((await peer.keys(prefix)).sort(), inside.slice(1).sort());
      assert.deepEqual(await store.keys(`${base}none:`), []);
    });

    test('50 concurrent adds of one key, from two handles: exactly one wins and its value stays', async () => {
      const { store, peer } = create();
      const k = key('race');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? peer : store).add(k, { winner: i }, { ttlSeconds: 60 })));
      assert.equal(results.filter(Boolean).length, 1);
      assert.deepEqual(await store.get(k), { winner: results.indexOf(true) });
    });
  });
}

describe('fs store on disk', () => {
  test('any key becomes one safe file name inside the directory, and nothing temporary is left', async () => {
    const dir = tempDir();
    const store = createFsStore(dir);
    const keys = ['../../etc/passwd', 'idem:a/b\\c:d*?"<>|', `idem:${'x'.repeat(300)}`, 'order:ord_aB', 'order:ord_Ab', '.', '..'];
    for (const [i, k] of keys.entries()) {
      await store.set(k, i);
      assert.equal(await store.add(`${k}:lock`, true, { ttlSeconds: 60 }), true);
    }
    for (const [i, k] of keys.entries()) assert.equal(await store.get(k), i);
    const files = readdirSync(dir);
    assert.equal(files.length, keys.length * 2);
    // Only [a-z0-9_-] and %XX: no two names differ only in letter case, none is a path.
    for (const file of files) assert.match(file, /^(?:[a-z0-9_-]|%[0-9A-F]{2}){1,200}\.json$|^#[0-9a-f]{64}\.json$/);
    assert.equal(new Set(files.map((f) => f.toLowerCase())).size, files.length);
    assert.ok(files.includes('order%3Aord_a%42.json'));
  });

  test('a lock left by a process that died inside add is broken, so the key is not stuck', async () => {
    const dir = tempDir();
    const store = createFsStore(dir);
    const lock = join(dir, 'idem-lock%3Ak.json.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    assert.equal(await store.add('idem-lock:k', 1, { ttlSeconds: 60 }), true);
    assert.deepEqual(readdirSync(dir), ['idem-lock%3Ak.json']);
  });
});

describe('redis store on the server', () => {
  before(startRedis);
  test('keys carry the kasir: prefix, values are JSON and ttlSeconds is a Redis expiry', async () => {
    const store = createNodeStore(redisServer.url, createMemoryLogger());
    redisStores.push(store);
    const raw = new Redis(redisServer.url);
    try {
      const k = `test:${randomUUID()}`;
      await store.set(k, { amount: 45000 }, { ttlSeconds: 120 });
      assert.equal(await raw.get(`kasir:${k}`), '{"amount":45000}');
      const ttl = await raw.ttl(`kasir:${k}`);
      assert.ok(ttl > 110 && ttl <= 120, `ttl ${ttl}`);
      await store.add(`${k}:nx`, 'x');
      assert.equal(await raw.ttl(`kasir:${k}:nx`), -1);
      assert.equal(await raw.get(k), null);
    } finally {
      await raw.quit();
    }
  });

  test('an unreachable Redis fails requests within seconds and is logged once, without its URL', async () => {
    const log = createMemoryLogger();
    const store = createNodeStore(`redis://:hunter2@127.0.0.1:${DEAD_PORT}`, log);
    redisStores.push(store);
    const started = Date.now();
    await assert.rejects(store.get('order:1'), (err: Error) => !err.message.includes('hunter2'));
    await assert.rejects(store.add('lock:1', 1));
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    assert.deepEqual(
      log.lines.map((l) => JSON.parse(l)).map((l) => [l.level, l.event, l.store, l.code]),
      [['error', 'store_unreachable', 'redis', 'ECONNREFUSED']],
    );
    assert.ok(!log.lines.join('').includes('hunter2'));
  });
});
