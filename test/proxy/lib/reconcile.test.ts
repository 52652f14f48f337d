import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, CUSTOMER, postCheckout, SHOP, statusOf } from '../helpers';

const VALID = { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };

function stubbedWinpay(findStatus: () => string, now: () => Date) {
  return createTestApp(
    { WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'https://winpay.stub', KASIR_PAYMENT_TTL_MINUTES: '60' },
    {
      now,
      outside: async (request) => {
        const created = '2030-01-01 07:00:00'; // Jakarta = 2030-01-01T00:00:00Z
        if ((request as Request).url.endsWith('/api/create')) {
          return Response.json({ responseCode: '2010300', responseData: { id: 'inv-1', ref: 'r', created_at: created, redirect_url: 'https://pay.stub/1' } }, { status: 201 });
        }
        const status = findStatus();
        return Response.json({
          responseCode: '2000300',
          responseData: { id: 'inv-1', ref: 'r', created_at: created, status, ...(status === 'PAID' ? { payment: { nett: '45000', fee: '0', paid_amount: '45000' } } : {}) },
        });
      },
    },
  );
}

test('a pending order whose notice never came is found paid by the sweep', async () => {
  let status = 'UNPAID';
  let t = Date.parse('2030-01-01T00:00:05Z');
  const { app } = stubbedWinpay(() => status, () => new Date(t));
  const created = await (await postCheckout(app, VALID)).json();
  assert.deepEqual(await app.reconcile(), { checked: 1, changed: 0 });
  status = 'PAID';
  assert.deepEqual(await app.reconcile(), { checked: 0, changed: 0 }, 'rechecked at most once a minute');
  t += 61_000;
  assert.deepEqual(await app.reconcile(), { checked: 1, changed: 1 });
  assert.equal(await statusOf(app, created.id), 'paid');
  t += 61_000;
  assert.deepEqual(await app.reconcile(), { checked: 0, changed: 0 }, 'a final order leaves the sweep');
});

test('an order past its expiry becomes expired, even when the provider still says UNPAID', async () => {
  let t = Date.parse('2030-01-01T00:00:05Z');
  const { app, log } = stubbedWinpay(() => 'UNPAID', () => new Date(t));
  const created = await (await postCheckout(app, VALID)).json();
  assert.equal(created.expiresAt, '2030-01-01T01:00:00.000Z');
  t = Date.parse('2030-01-01T00:59:00Z');
  await app.reconcile();
  assert.equal(await statusOf(app, created.id), 'pending');
  t = Date.parse('2030-01-01T01:00:01Z');
  assert.deepEqual(await app.reconcile(), { checked: 1, changed: 1 });
  assert.equal(await statusOf(app, created.id), 'expired');
  assert.ok(log.lines.some((l) => JSON.parse(l).event === 'order_status_changed' && JSON.parse(l).to === 'expired'));
});
