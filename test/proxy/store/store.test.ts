// The Store contract (./contract.ts) on three drivers — memory, a directory, a real Redis — then
// what only one driver does. A peer is a second fs store on the directory, or a second Redis connection.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { createMemoryStore } from '../../../proxy/store';
import { createFsStore } from '../../../proxy/store/fs';
import { createNodeStore, type NodeStore } from '../../../proxy/store/node';
import { describeStoreContract, elapse } from './contract';
import { startRedisServer } from './redis-server';

/** Nothing listens here. */
const DEAD_PORT = 18603;

const fakeClock = () => {
  let t = Date.parse('2025-01-01T00:00:00Z');
  return { now: () => t, advance: async (seconds: number) => void (t += seconds * 1000) };
};

/** Waits until `done()` holds, for at most 10 s (then the assertion after it fails). */
async function until(done: () => boolean) {
  for (const end = Date.now() + 10_000; !done() && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, 10));
}

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
  redisServer = await (redisStarting ??= startRedisServer());
};
const redisStores: NodeStore[] = [];
after(async () => {
  await Promise.all(redisStores.map((s) => s.close()));
  await (await redisStarting?.catch(() => undefined))?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('memory', () => {
  const clock = fakeClock();
  const store = createMemoryStore(clock.now);
  return { store, advance: clock.advance };
});

describeStoreContract('fs', () => {
  const clock = fakeClock();
  const dir = tempDir();
  return { store: createFsStore(dir, clock.now), peer: createFsStore(dir, clock.now), advance: clock.advance };
});

describeStoreContract(
  'redis',
  () => {
    const store = createNodeStore(redisServer.url, createMemoryLogger());
    const peer = createNodeStore(redisServer.url, createMemoryLogger());
    redisStores.push(store, peer);
    // Redis keeps its own time.
    return { store, peer, advance: elapse };
  },
  startRedis,
);

describe('memory store bounds', () => {
  test('keeps at most maxKeys keys: the oldest written go first', async () => {
    const clock = fakeClock();
    const store = createMemoryStore(clock.now, { maxKeys: 100 });
    for (let i = 0; i < 50; i++) await store.set(`short:${i}`, i, { ttlSeconds: 1 });
    await clock.advance(2);
    for (let i = 0; i < 100; i++) await store.set(`order:${i}`, i);
    assert.deepEqual(await store.keys('short:'), []);
    assert.equal((await store.keys('order:')).length, 100);
    for (let i = 100; i < 150; i++) await store.set(`order:${i}`, i);
    const kept = await store.keys('');
    assert.equal(kept.length, 100);
    assert.equal(await store.get('order:49'), undefined);
    assert.equal(await store.get('order:50'), 50);
    // Writing a key again makes it the newest.
    await store.set('order:50', 'again');
    await store.set('order:150', 150);
    assert.equal(await store.get('order:50'), 'again');
    assert.equal(await store.get('order:51'), undefined);
  });

  test('a write at the bound evicts the oldest key without sweeping every key', async () => {
    // Found by the throughput bench: once full, every write swept all 100,000 keys (20 ms a
    // checkout). A sweep reads the clock once, so clock reads count the sweeps.
    let reads = 0;
    const store = createMemoryStore(() => (reads++, 0), { maxKeys: 10 });
    for (let i = 0; i < 2000; i++) await store.set(`order:${i}`, i);
    assert.equal((await store.keys('order:')).length, 10);
    assert.ok(reads <= 2 + 10, `${reads} clock reads for 2,000 writes: the store swept on every write at its bound`);
  });

  test('expired keys are swept at most once per store-size writes, so a write pays for one key of the sweep', async () => {
    let reads = 0;
    const store = createMemoryStore(() => (reads++, 0));
    for (let i = 0; i < 10_000; i++) await store.set(`order:${i % 5000}`, i);
    assert.ok(reads <= 3, `${reads} sweeps of 5,000 keys in 10,000 writes`);
  });
});

/** A lock file a process left when it died, a minute ago (older than the store's stale limit). */
function deadLock(dir: string, file: string) {
  const lock = join(dir, file);
  writeFileSync(lock, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
}

describe('fs store on disk', () => {
  test('expired entries are removed from the directory: when read, and by the periodic sweep', async () => {
    const clock = fakeClock();
    const dir = tempDir();
    const store = createFsStore(dir, clock.now);
    await store.set('lock:read', 1, { ttlSeconds: 1 });
    for (let i = 0; i < 5; i++) await store.set(`idem:${i}`, i, { ttlSeconds: 60 });
    await store.set('order:kept', 'kept');
    assert.equal(readdirSync(dir).length, 7);
    await clock.advance(2);
    assert.equal(await store.get('lock:read'), undefined);
    // The removal runs beside the read; wait for it (not for a set time).
    await until(() => readdirSync(dir).length === 6);
    assert.equal(readdirSync(dir).length, 6);
    // Nobody reads the idempotency records again; a write after the sweep interval clears them.
    await clock.advance(11 * 60);
    await store.set('order:new', 'new');
    await until(() => readdirSync(dir).length === 2);
    assert.deepEqual(readdirSync(dir).sort(), ['order%3Akept.json', 'order%3Anew.json']);
    assert.equal(await store.get('order:kept'), 'kept');
  });

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
    deadLock(dir, 'idem-lock%3Ak.json.lock');
    assert.equal(await store.add('idem-lock:k', 1, { ttlSeconds: 60 }), true);
    assert.deepEqual(readdirSync(dir), ['idem-lock%3Ak.json']);
  });

  test('callers arriving one by one at a dead process\'s lock each hold it alone, in turn', async () => {
    // As after a SIGKILL inside a locked write (test/resilience/crash.test.ts): the restarted process
    // meets the lock, and notices and the sweep keep arriving for the same key. Two of them that both
    // found it stale used to break it twice, the second removing the first's fresh lock: both held
    // it, counts were lost, and one release failed with ENOENT.
    for (let round = 0; round < 10; round++) {
      const dir = tempDir();
      const store = createFsStore(dir);
      deadLock(dir, 'count%3Ak.json.lock');
      const n = 60;
      const arriving = (i: number) => new Promise((resolve) => setTimeout(resolve, i % 7)).then(() => store.increment('count:k', { ttlSeconds: 60 }));
      const counts = await Promise.all(Array.from({ length: n }, (_, i) => arriving(i)));
      assert.deepEqual(counts.sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i + 1), `round ${round}`);
      assert.deepEqual(readdirSync(dir), ['count%3Ak.json']);
    }
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
