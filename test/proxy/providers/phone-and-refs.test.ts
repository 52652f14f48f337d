// Each provider's phone format and its references for later attempts (docs/providers/*.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amdigipayPhone, createAmdigipayProvider } from '../../../proxy/providers/amdigipay';
import { createFaspayProvider, faspayPhone, faspayTransactionNumber } from '../../../proxy/providers/faspay';
import { createUapayProvider } from '../../../proxy/providers/uapay';
import { createWinpayProvider, winpayPhone } from '../../../proxy/providers/winpay';
import { createTestApp, CUSTOMER, postCheckout, PUBLIC_URL, thrownCode } from '../helpers';

test('Winpay gets the phone as digits only, as its samples send it', () => {
  assert.equal(winpayPhone('+62 812-3456-7890'), '6281234567890');
  assert.equal(winpayPhone('0812 3456 7890'), '081234567890');
  assert.equal(winpayPhone('(021) 555-0123'), '0215550123');
  assert.equal(thrownCode(() => winpayPhone('+1 23')), 'phone_invalid');
  assert.equal(thrownCode(() => winpayPhone('1234567890123456')), 'phone_invalid');
});

test('Faspay and AMDigipay get an Indonesian number, 08… or 62…, digits only', () => {
  for (const format of [faspayPhone, amdigipayPhone]) {
    assert.equal(format('+62 812-3456-7890'), '6281234567890');
    assert.equal(format('62 812 3456 7890'), '6281234567890');
    assert.equal(format('0812-3456-7890'), '081234567890');
    assert.equal(format('087884398009'), '087884398009');
    for (const foreign of ['+380 67 123 4567', '+1 415 555 0100', '812 3456 7890', '0812', '08123456789012345']) {
      assert.equal(thrownCode(() => format(foreign)), 'phone_invalid', foreign);
    }
  }
});

test('a number a provider cannot take is refused with a stable 400 before the provider is called', async () => {
  for (const [provider, phone] of [['faspay', '+380 67 123 4567'], ['amdigipay', '+1 415 555 0100'], ['winpay', '+1 23 45']] as const) {
    const t = createTestApp();
    const res = await postCheckout(t.app, { provider, items: [{ sku: 'mug', qty: 1 }], customer: { ...CUSTOMER, phone }, returnUrl: 'https://shop.test/thanks' });
    assert.equal(res.status, 400, provider);
    const body = await res.json();
    assert.deepEqual([body.error.code, body.error.field], ['phone_invalid', 'customer.phone'], provider);
    assert.doesNotMatch(JSON.stringify(body), /380|415|\+1/, provider);
    assert.equal(t.calls.filter((c) => c.url.startsWith(`${PUBLIC_URL}/sandbox/`)).length, 0, provider);
  }
});

const ORDER_ID = 'ord_ABCdef1234567890XYZabc';
const settings = { sandbox: true, baseUrl: 'https://x.test' };
const providers = [
  createWinpayProvider({ ...settings, key: 'k', secret: 's' }, { ttlMinutes: 60 }),
  createFaspayProvider({ ...settings, username: 'u', password: 'p', serviceId: '1' }, { ttlMinutes: 60 }),
  createUapayProvider({ ...settings, clientId: '1', secret: 's' }, { ttlMinutes: 60 }),
  createAmdigipayProvider({ ...settings, username: 'u', password: 'p', paymentId: '33' }, { ttlMinutes: 60 }),
];

test('refFor: attempt 0 is the order’s reference as before; later attempts are distinct and stable', () => {
  for (const provider of providers) {
    assert.equal(provider.refFor(ORDER_ID, 0), provider.refFor(ORDER_ID), provider.id);
    const refs = [0, 1, 2, 3].map((n) => provider.refFor(ORDER_ID, n));
    assert.equal(new Set(refs).size, 4, provider.id);
    assert.deepEqual([0, 1, 2, 3].map((n) => provider.refFor(ORDER_ID, n)), refs, provider.id);
    // No later attempt of one order is another order's first reference.
    assert.notEqual(provider.refFor('ord_a', 1), provider.refFor('ord_a1'), provider.id);
    assert.throws(() => provider.refFor(ORDER_ID, -1), RangeError, provider.id);
  }
  assert.equal(providers[0]!.refFor(ORDER_ID), 'ordABCdef1234567890XYZabc');
  assert.equal(providers[0]!.refFor(ORDER_ID, 2), 'ordABCdef1234567890XYZabc-2');
});

test('refFor: Faspay’s attempts stay 16 digits, no leading zero, below 2^53', () => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const ref = faspayTransactionNumber(`ord_${attempt}x`, attempt);
    assert.match(ref, /^1\d{15}$/);
    assert.ok(Number(ref) < 2 ** 53 && String(Number(ref)) === ref);
  }
});
