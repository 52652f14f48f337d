// The Store contract, once for every driver: memory, a directory and Redis (store.test.ts) and the
// Durable Object on real workerd (test/edge/store.test.ts) each register it for their subject.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { Store } from '../../../proxy/store';

export interface StoreSubject {
  store: Store;
  /** A second handle on the same data, as a second process would have (default: `store` itself). */
  peer?: Store;
  /** Lets `seconds` pass for the store's clock. */
  advance: (seconds: number) => Promise<void>;
}

/** For a store that keeps its own time: lets the seconds pass for real, plus a margin. */
export const elapse = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000 + 100));

/** Registers the contract as the suite `<name> store`. `setUp` runs before it; `create` runs inside each test. */
export function describeStoreContract(name: string, create: () => StoreSubject, setUp?: () => Promise<void>) {
  describe(`${name} store`, () => {
    if (setUp) before(setUp);
    // Keys are unique per test, so tests sharing one server cannot see each other.
    const namespace = () => `test:${randomUUID()}:`;
    const key = (label: string) => namespace() + label;
    const subject = () => {
      const { store, peer = store, advance } = create();
      return { store, peer, advance };
    };

    test('a missing key reads as undefined', async () => {
      const { store } = subject();
      assert.equal(await store.get(key('missing')), undefined);
    });

    test('set stores a value and set again replaces it, for every handle', async () => {
      const { store, peer } = subject();
      const k = key('order');
      await store.set(k, { status: 'pending' });
      assert.deepEqual(await peer.get(k), { status: 'pending' });
      await peer.set(k, { status: 'paid' });
      assert.deepEqual(await store.get(k), { status: 'paid' });
    });

    test('values round-trip as JSON, including null, 0, false and the empty string', async () => {
      const { store } = subject();
      const value = { id: 'ord_1', amount: 150000, lines: [{ sku: 'tee-m', qty: 2 }], note: 'Kaos “biru” — ґ €', paidAt: null, ok: true };
      for (const [label, v] of [['object', value], ['null', null], ['zero', 0], ['false', false], ['empty', ''], ['array', [1, 'two', null]]] as const) {
        const k = key(label);
        await store.set(k, v);
        assert.deepEqual(await store.get(k), v, label);
      }
    });

    test('add sets an absent key once and never replaces a live one', async () => {
      const { store } = subject();
      const k = key('claim');
      assert.equal(await store.add(k, 'first'), true);
      assert.equal(await store.add(k, 'second'), false);
      assert.equal(await store.get(k), 'first');
      await store.set(k, 'set');
      assert.equal(await store.add(k, 'third'), false);
      assert.equal(await store.get(k), 'set');
    });

    test('delete removes a key (and a missing key is no error); add works again after it', async () => {
      const { store } = subject();
      const k = key('lock');
      await store.set(k, 1);
      await store.delete(k);
      assert.equal(await store.get(k), undefined);
      await store.delete(k);
      assert.equal(await store.add(k, 2), true);
      assert.equal(await store.get(k), 2);
    });

    test('ttlSeconds expires set and add, for get and keys; a set without ttl keeps the key', async () => {
      const { store, peer, advance } = subject();
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
      const { store, peer } = subject();
      const base = namespace();
      const prefix = `${base}[*]?.pending:`;
      const inside = ['ord_aB', 'ord_Ab', '../../etc/passwd', 'ґ € 💳', 'x'.repeat(300), ''].map((rest) => prefix + rest);
      for (const k of inside) await store.set(k, 1);
      // Each would match if the prefix were read as a glob, compared without case, or cut short by
      // its last character.
      for (const decoy of [`${base}*X.pending:1`, `${base}[*]?.PENDING:2`, `${base}[*]?.pending`, `${base}[*]?.pendinga`]) await store.set(decoy, 1);
      assert.deepEqual((await peer.keys(prefix)).sort(), [...inside].sort());
      await store.delete(inside[0]!);
      assert.deepEqual((await peer.keys(prefix)).sort(), inside.slice(1).sort());
      assert.deepEqual(await store.keys(`${base}none:`), []);
    });

    test('50 concurrent adds of one key, from two handles: exactly one wins and its value stays', async () => {
      const { store, peer } = subject();
      const k = key('race');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? peer : store).add(k, { winner: i }, { ttlSeconds: 60 })));
      assert.equal(results.filter(Boolean).length, 1);
      assert.deepEqual(await store.get(k), { winner: results.indexOf(true) });
    });

    test('increment counts atomically from two handles', async () => {
      const { store, peer } = subject();
      const k = key('counter');
      const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? peer : store).increment(k, { ttlSeconds: 60 })));
      assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1));
      assert.equal(await peer.get(k), 40);
    });

    test('a count expires ttlSeconds after it began: later increments do not extend it', async () => {
      const { store, peer, advance } = subject();
      const k = key('window');
      assert.equal(await store.increment(k, { ttlSeconds: 3 }), 1);
      await advance(1);
      assert.equal(await peer.increment(k, { ttlSeconds: 3 }), 2);
      await advance(2);
      assert.equal(await store.increment(k, { ttlSeconds: 3 }), 1);
    });
  });
}
