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

// A Winpay whose own clock runs 30 minutes behind ours: past our expiry it still calls the invoice open.
function laggingWinpay(deleteAnswer: () => Response, now: () => Date) {
  const calls: string[] = [];
  const t = createTestApp(
    { WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'https://winpay.stub', KASIR_PAYMENT_TTL_MINUTES: '60' },
    {
      now,
      outside: async (request) => {
        const { method, url } = request as Request;
        calls.push(`${method} ${new URL(url).pathname}`);
        if (url.endsWith('/api/create')) {
          return Response.json({ responseCode: '2010300', responseData: { id: 'inv-1', ref: 'r', created_at: '2030-01-01 07:00:00', redirect_url: 'https://pay.stub/1' } }, { status: 201 });
        }
        if (method === 'DELETE') return deleteAnswer();
        return Response.json({ responseCode: '2000300', responseData: { id: 'inv-1', ref: 'r', created_at: '2030-01-01 07:30:00', status: 'UNPAID' } });
      },
    },
  );
  return { ...t, calls };
}

test('an order past its expiry that the provider still calls open is voided there before it is expired', async () => {
  let t = Date.parse('2030-01-01T00:00:05Z');
  const { app, calls } = laggingWinpay(() => Response.json({ responseCode: '2000300', responseMessage: 'Invoice deleted' }), () => new Date(t));
  const created = await (await postCheckout(app, VALID)).json();
  t = Date.parse('2030-01-01T01:00:01Z');
  assert.deepEqual(await app.reconcile(), { checked: 1, changed: 1 });
  assert.deepEqual(calls, ['POST /api/create', 'GET /api/find/inv-1', 'DELETE /api/delete/inv-1']);
  assert.equal(await statusOf(app, created.id), 'expired');
});

test('when the provider refuses to void it (paid meanwhile), the order stays pending for the next lookup', async () => {
  let t = Date.parse('2030-01-01T00:00:05Z');
  const { app, calls, log } = laggingWinpay(
    () => Response.json({ responseCode: '4000302', responseMessage: 'Invoice already paid' }, { status: 400 }),
    () => new Date(t),
  );
  const created = await (await postCheckout(app, VALID)).json();
  t = Date.parse('2030-01-01T01:00:01Z');
  assert.deepEqual(await app.reconcile(), { checked: 1, changed: 0 });
  assert.equal(calls.at(-1), 'DELETE /api/delete/inv-1');
  assert.equal(await statusOf(app, created.id), 'pending');
  assert.ok(log.lines.some((l) => JSON.parse(l).event === 'reconcile_failed' && JSON.parse(l).code === 'provider_rejected'));
});
