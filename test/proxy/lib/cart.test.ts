import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { CART_MAX_LIFETIME_SECONDS, consumeCartNonce, mintCart, verifyCart } from '../../../proxy/lib/cart';
import { KasirError } from '../../../proxy/lib/errors';
import { totalOf } from '../../../proxy/lib/money';
import { createMemoryStore } from '../../../proxy/store';

interface MintCartExample {
  signCart(secret: string, payload: unknown): string;
  mintCart(secret: string, items: unknown[], currency: string, options?: { ref?: string; now?: number }): string;
}
// Loaded by URL: the README example is plain JavaScript outside the type-checked tree, as a merchant has it.
const example = (await import(new URL('../../../docs/mint-cart.mjs', import.meta.url).href)) as MintCartExample;

const SECRET = 'cart-secret-0123456789abcdefghijklmnop';
const NOW = new Date('2025-01-15T03:00:00.000Z');
const IAT = NOW.getTime() / 1000;
const LINES = [
  { sku: 'tee-m', name: 'T-shirt M', qty: 2, price: 150000 },
  { sku: 'mug', name: 'Mug “enamel”', qty: 1, price: 45000 },
];
const payload = (over: Record<string, unknown> = {}) => ({ v: 1, items: LINES, currency: 'IDR', iat: IAT, exp: IAT + 900, nonce: 'nonce-0123456789abcdef', ...over });

function refused(code: string) {
  return (err: unknown) => {
    assert.ok(err instanceof KasirError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.code, code);
    return true;
  };
}

test('a minted cart verifies to its priced lines, currency, nonce and expiry', () => {
  const token = mintCart(SECRET, { items: LINES, currency: 'IDR', nonce: 'nonce-0123456789abcdef' }, NOW);
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(verifyCart(SECRET, token, NOW), {
    lines: LINES,
    currency: 'IDR',
    nonce: 'nonce-0123456789abcdef',
    expiresAt: '2025-01-15T03:15:00.000Z',
  });
  assert.equal(totalOf(verifyCart(SECRET, token, NOW).lines), 345000);
});

test('changing any one character of the token is refused', () => {
  const token = mintCart(SECRET, { items: LINES, currency: 'UAH' }, NOW);
  const codes = new Map<string, number>();
  for (let i = 0; i < token.length; i++) {
    const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    assert.throws(() => verifyCart(SECRET, tampered, NOW), (err: unknown) => {
      assert.ok(err instanceof KasirError);
      codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      return true;
    });
  }
  // Every payload and signature character is covered by the MAC; the separator makes the token malformed.
  assert.deepEqual(Object.fromEntries(codes), { cart_signature_invalid: token.length - 1, cart_invalid: 1 });
});

test('a token signed with another key or algorithm, or not signed, is refused', () => {
  const good = example.signCart(SECRET, payload());
  const [segment] = good.split('.') as [string];
  const signedWith = (algorithm: string, key = SECRET) => `${segment}.${createHmac(algorithm, key).update(segment).digest('base64url')}`;
  assert.doesNotThrow(() => verifyCart(SECRET, good, NOW));
  assert.throws(() => verifyCart('another-secret-0123456789abcdefghijkl', good, NOW), refused('cart_signature_invalid'));
  assert.throws(() => verifyCart(SECRET, signedWith('sha256', 'another-secret-0123456789abcdefghijkl'), NOW), refused('cart_signature_invalid'));
  assert.throws(() => verifyCart(SECRET, signedWith('sha512'), NOW), refused('cart_signature_invalid'));
  assert.throws(() => verifyCart(SECRET, signedWith('sha1'), NOW), refused('cart_signature_invalid'));
  assert.throws(() => verifyCart(SECRET, `${segment}.`, NOW), refused('cart_invalid'));
  assert.throws(() => verifyCart(SECRET, segment, NOW), refused('cart_invalid'));
  // A JWT-shaped token (alg none, or HS256 over header.payload) is not our format.
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  assert.throws(() => verifyCart(SECRET, `${header}.${segment}.`, NOW), refused('cart_invalid'));
  assert.throws(() => verifyCart(SECRET, `${header}.${good}`, NOW), refused('cart_invalid'));
  for (const junk of ['', '.', 'a.b.c', `${segment}.${'='.repeat(43)}`, `${segment} .x`, `${good}\n`]) {
    assert.throws(() => verifyCart(SECRET, junk, NOW), refused('cart_invalid'), JSON.stringify(junk));
  }
});

test('a correctly signed payload of another version or shape is refused as invalid', () => {
  const bad: Record<string, unknown>[] = [
    payload({ v: 2 }),
    payload({ v: '1' }),
    payload({ v: undefined }),
    payload({ amount: 1 }),
    payload({ items: [{ ...LINES[0], discount: 1000 }] }),
    payload({ items: [{ ...LINES[0], qty: 0 }] }),
    payload({ items: [{ ...LINES[0], qty: 1000 }] }),
    payload({ items: [{ ...LINES[0], price: 1.5 }] }),
    payload({ items: [{ ...LINES[0], price: -1 }] }),
    payload({ items: [{ ...LINES[0], price: 2 ** 53 }] }),
    payload({ items: [{ ...LINES[0], sku: 'a b' }] }),
    payload({ items: [{ ...LINES[0], name: '' }] }),
    payload({ items: [] }),
    payload({ currency: 'USD' }),
    payload({ nonce: 'short' }),
    payload({ exp: IAT }),
    payload({ iat: String(IAT) }),
  ];
  for (const p of bad) assert.throws(() => verifyCart(SECRET, example.signCart(SECRET, p), NOW), refused('cart_invalid'), JSON.stringify(p));
  const notJson = Buffer.from('{"v":1,').toString('base64url');
  const signed = `${notJson}.${createHmac('sha256', SECRET).update(notJson).digest('base64url')}`;
  assert.throws(() => verifyCart(SECRET, signed, NOW), refused('cart_invalid'));
  assert.throws(() => verifyCart(SECRET, example.signCart(SECRET, payload({ v: 2 })), NOW), /format version/);
});

test('a cart is valid until the millisecond before exp and expired from exp on', () => {
  const token = example.signCart(SECRET, payload());
  const exp = (IAT + 900) * 1000;
  assert.equal(verifyCart(SECRET, token, new Date(exp - 1)).expiresAt, '2025-01-15T03:15:00.000Z');
  assert.throws(() => verifyCart(SECRET, token, new Date(exp)), refused('cart_expired'));
  assert.throws(() => verifyCart(SECRET, token, new Date(exp + 86_400_000)), refused('cart_expired'));
});

test('a lifetime over 15 minutes, or an issue time ahead of our clock by more than a minute, is refused', () => {
  assert.equal(CART_MAX_LIFETIME_SECONDS, 900);
  assert.doesNotThrow(() => verifyCart(SECRET, example.signCart(SECRET, payload({ exp: IAT + 900 })), NOW));
  assert.throws(() => verifyCart(SECRET, example.signCart(SECRET, payload({ exp: IAT + 901 })), NOW), refused('cart_invalid'));
  assert.throws(() => verifyCart(SECRET, example.signCart(SECRET, payload({ exp: IAT + 86_400 })), NOW), /at most 15 minutes/);
  // A merchant cannot stretch the lifetime by dating the token ahead.
  assert.doesNotThrow(() => verifyCart(SECRET, example.signCart(SECRET, payload({ iat: IAT + 60, exp: IAT + 960 })), NOW));
  assert.throws(() => verifyCart(SECRET, example.signCart(SECRET, payload({ iat: IAT + 61, exp: IAT + 961 })), NOW), refused('cart_invalid'));
});

test('mintCart refuses a lifetime over 15 minutes and a cart the proxy would refuse', () => {
  assert.throws(() => mintCart(SECRET, { items: LINES, currency: 'IDR', ttlSeconds: 901 }, NOW), RangeError);
  assert.throws(() => mintCart(SECRET, { items: LINES, currency: 'IDR', ttlSeconds: 0 }, NOW), RangeError);
  assert.throws(() => mintCart(SECRET, { items: [{ ...LINES[0]!, price: 0.5 }], currency: 'IDR' }, NOW), { name: 'ValiError' });
  const short = mintCart(SECRET, { items: LINES, currency: 'IDR', ttlSeconds: 60 }, NOW);
  assert.equal(verifyCart(SECRET, short, NOW).expiresAt, '2025-01-15T03:01:00.000Z');
  assert.notEqual(verifyCart(SECRET, mintCart(SECRET, { items: LINES, currency: 'IDR' }, NOW), NOW).nonce, verifyCart(SECRET, mintCart(SECRET, { items: LINES, currency: 'IDR' }, NOW), NOW).nonce);
});

test('a cart nonce is consumed once, and remembered only until the cart expires', async () => {
  let clock = NOW.getTime();
  const store = createMemoryStore(() => clock);
  const cart = verifyCart(SECRET, example.signCart(SECRET, payload()), NOW);
  await consumeCartNonce(store, cart.nonce, cart.expiresAt, NOW);
  await assert.rejects(consumeCartNonce(store, cart.nonce, cart.expiresAt, NOW), refused('cart_reused'));
  clock += 899_000;
  await assert.rejects(consumeCartNonce(store, cart.nonce, cart.expiresAt, new Date(clock)), refused('cart_reused'));
  clock += 1_000;
  await consumeCartNonce(store, cart.nonce, cart.expiresAt, new Date(clock));
  await consumeCartNonce(store, 'another-nonce-0123456789', cart.expiresAt, NOW);
});

const lineArb = (price: fc.Arbitrary<number>) =>
  fc.record({
    sku: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    qty: fc.integer({ min: 1, max: 999 }),
    price,
  }).map((line) => ({ ...line })); // fc.record builds null-prototype objects; deepEqual compares prototypes
const exactTotal = (lines: { qty: number; price: number }[]) => lines.reduce((sum, l) => sum + BigInt(l.qty) * BigInt(l.price), 0n);

test('property: 1000 random carts verify to their exact total (BigInt reference)', () => {
  fc.assert(
    fc.property(fc.array(lineArb(fc.integer({ min: 0, max: 1e9 })), { minLength: 1, maxLength: 100 }), fc.constantFrom('IDR', 'UAH'), (items, currency) => {
      const cart = verifyCart(SECRET, mintCart(SECRET, { items, currency }, NOW), NOW);
      assert.deepEqual(cart.lines, items);
      assert.equal(cart.currency, currency);
      assert.equal(BigInt(totalOf(cart.lines)), exactTotal(items));
    }),
    { numRuns: 1000 },
  );
});

test('property: a total beyond exact integer arithmetic is refused with a clear error, never rounded', () => {
  const seen = { exact: 0, refused: 0 };
  fc.assert(
    fc.property(fc.array(lineArb(fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.maxSafeNat())), { minLength: 1, maxLength: 20 }), (items) => {
      const { lines } = verifyCart(SECRET, mintCart(SECRET, { items, currency: 'UAH' }, NOW), NOW);
      const exact = exactTotal(items);
      if (exact <= BigInt(Number.MAX_SAFE_INTEGER)) {
        seen.exact++;
        assert.equal(BigInt(totalOf(lines)), exact);
      } else {
        seen.refused++;
        assert.throws(() => totalOf(lines), (err: unknown) => err instanceof KasirError && err.status === 400 && err.code === 'amount_too_large');
      }
    }),
    { numRuns: 1000 },
  );
  // Both outcomes are exercised (about 1 in 10 runs fits).
  assert.ok(seen.exact > 20 && seen.refused > 20, JSON.stringify(seen));
});

test('the README example (docs/mint-cart.mjs, node:crypto only) mints tokens the proxy accepts', () => {
  const token = example.mintCart(SECRET, LINES, 'UAH', { now: NOW.getTime() });
  const cart = verifyCart(SECRET, token, NOW);
  assert.deepEqual(cart.lines, LINES);
  assert.equal(cart.currency, 'UAH');
  assert.equal(cart.expiresAt, '2025-01-15T03:15:00.000Z');
  assert.match(cart.nonce, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(verifyCart(SECRET, example.mintCart(SECRET, LINES, 'IDR'), new Date()).currency, 'IDR');
  assert.throws(() => verifyCart(SECRET, token, new Date(NOW.getTime() + 900_000)), refused('cart_expired'));
  assert.equal(verifyCart(SECRET, example.mintCart(SECRET, LINES, 'IDR', { ref: 'SO-2025-0042' }), new Date()).ref, 'SO-2025-0042');
});

test('a cart may carry the merchant’s own ref: short and printable, else the cart is refused', () => {
  for (const ref of ['SO-2025-0042', '#1001', 'Замовлення 12', 'a', 'x'.repeat(64)]) {
    assert.equal(verifyCart(SECRET, mintCart(SECRET, { items: LINES, currency: 'IDR', ref }, NOW), NOW).ref, ref);
  }
  assert.equal('ref' in verifyCart(SECRET, mintCart(SECRET, { items: LINES, currency: 'IDR' }, NOW), NOW), false);
  for (const ref of ['', 'x'.repeat(65), ' padded', 'padded ', 'line\nbreak', 'nul\u0000', '\u001b[31mred', 'bidi\u202eevil', 'tab\there', 42, null]) {
    assert.throws(() => verifyCart(SECRET, example.signCart(SECRET, payload({ ref })), NOW), refused('cart_invalid'), JSON.stringify(ref));
  }
});
