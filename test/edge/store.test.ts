// The Store contract on the Durable Object, in real workerd: the same cases every other driver
// passes (test/proxy/store/store.test.ts), plus keys(). Each call below is its own request to the
// fixture Worker, so concurrent calls are concurrent requests racing inside the object.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Store } from '../../proxy/lib/store';
import { removeBuilds, startWorkerd, type Workerd } from './workerd';

const PORT = 18903;

let workerd: Workerd;
let store: Store;
before(async () => {
  workerd = await startWorkerd({ port: PORT, main: 'test/edge/store-fixture.ts' });
  const call = async (body: object) => ((await (await fetch(workerd.url, { method: 'POST', body: JSON.stringify(body) })).json()) as { result?: unknown }).result;
  store = {
    get: async <T>(key: string) => (await call({ op: 'get', key })) as T | undefined,
    set: async (key, value, options) => void (await call({ op: 'set', key, value, ...options })),
    add: async (key, value, options) => (await call({ op: 'add', key, value, ...options })) as boolean,
    delete: async (key) => void (await call({ op: 'delete', key })),
    keys: async (prefix) => (await call({ op: 'keys', prefix })) as string[],
  };
});
after(async () => {
  await workerd?.stop();
  removeBuilds();
});

const key = (label: string) => `test:${randomUUID()}:${label}`;
const elapse = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));

test('a missing key reads as undefined; set stores a value and set again replaces it', async () => {
  const k = key('order');
  assert.equal(await store.get(k), undefined);
  await store.set(k, { status: 'pending' });
  assert.deepEqual(await store.get(k), { status: 'pending' });
  await store.set(k, { status: 'paid' });
  assert.deepEqual(await store.get(k), { status: 'paid' });
});

test('values round-trip as JSON, including null, 0, false and the empty string', async () => {
  const value = { id: 'ord_1', amount: 150000, lines: [{ sku: 'tee-m', qty: 2 }], note: 'Kaos “biru” — ґ €', paidAt: null, ok: true };
  for (const [label, v] of [['object', value], ['null', null], ['zero', 0], ['false', false], ['empty', ''], ['array', [1, 'two', null]]] as const) {
    const k = key(label);
    await store.set(k, v);
    assert.deepEqual(await store.get(k), v, label);
  }
});

test('add sets an absent key once and never replaces a live one; delete frees it', async () => {
  const k = key('claim');
  assert.equal(await store.add(k, 'first'), true);
  assert.equal(await store.add(k, 'second'), false);
  assert.equal(await store.get(k), 'first');
  await store.set(k, 'set');
  assert.equal(await store.add(k, 'third'), false);
  assert.equal(await store.get(k), 'set');
  await store.delete(k);
  await store.delete(k);
  assert.equal(await store.get(k), undefined);
  assert.equal(await store.add(k, 'after delete'), true);
});

test('ttlSeconds expires set and add (for keys() too); a set without ttl keeps the key', async () => {
  const prefix = key('ttl');
  const [short, claim, forever, cleared] = ['short', 'claim', 'forever', 'cleared'].map((name) => `${prefix}:${name}`) as [string, string, string, string];
  await store.set(short, 'a', { ttlSeconds: 1 });
  assert.equal(await store.add(claim, 'b', { ttlSeconds: 1 }), true);
  await store.set(forever, 'c');
  await store.set(cleared, 'd', { ttlSeconds: 1 });
  await store.set(cleared, 'e');
  assert.equal(await store.add(claim, 'again', { ttlSeconds: 1 }), false);
  assert.deepEqual((await store.keys(prefix)).sort(), [claim, cleared, forever, short]);
  await elapse(1);
  assert.equal(await store.get(short), undefined);
  assert.equal(await store.get(claim), undefined);
  assert.equal(await store.get(forever), 'c');
  assert.equal(await store.get(cleared), 'e');
  assert.deepEqual((await store.keys(prefix)).sort(), [cleared, forever]);
  assert.equal(await store.add(claim, 'after expiry'), true);
  assert.equal(await store.get(claim), 'after expiry');
});

test('keys(prefix) lists exactly the keys that start with it', async () => {
  const base = key('keys');
  for (const k of [`${base}:pending:a`, `${base}:pending:b`, `${base}:pendinga`, `${base}:paid:c`]) await store.set(k, 1);
  assert.deepEqual((await store.keys(`${base}:pending:`)).sort(), [`${base}:pending:a`, `${base}:pending:b`]);
  assert.deepEqual(await store.keys(`${base}:none:`), []);
});

test('50 concurrent adds of one key: exactly one wins and its value stays', async () => {
  const k = key('race');
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.add(k, { winner: i }, { ttlSeconds: 60 })));
  assert.equal(results.filter(Boolean).length, 1);
  assert.deepEqual(await store.get(k), { winner: results.indexOf(true) });
});
