// A create whose reply was lost (issue 9 §4), for each of the four providers, against their
// simulators — which, like the providers, refuse a second create under the same reference. The
// provider did make the payment; only its answer never came back. A retry with the same
// Idempotency-Key completes: Winpay's and AMDigipay's payment is found by our reference; Faspay and
// UAPAY cannot be asked by reference, so the retry creates a new invoice under a new attempt
// reference. Whichever invoice the customer pays, the order is paid; both paid → both recorded and
// an alert logged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FetchLike } from '../../../proxy/lib/http';
import type { Order } from '../../../proxy/orders/order';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, SHOP, statusOf } from '../helpers';

const CREATE_PATHS = {
  winpay: '/sandbox/winpay/api/create',
  faspay: '/sandbox/faspay/create',
  uapay: '/sandbox/uapay/invoicer/invoices/create',
  amdigipay: '/sandbox/amdigipay/payment/transaction',
} as const;
const PAY_PAGE = /http:\/\/kasir\.test\/sandbox\/\w+\/(?:pay|i)\/[^"\\]+/;

/** The pay page address in a create reply (UAPAY signs its replies as a JWT: the address is in its payload). */
function payPageIn(reply: string): string | undefined {
  const token = /"token":"[^.]+\.([^.]+)\./.exec(reply)?.[1];
  return PAY_PAGE.exec(token ? Buffer.from(token, 'base64url').toString() : reply)?.[0];
}

function appLosingFirstCreateReply(provider: keyof typeof CREATE_PATHS) {
  const lost: string[] = [];
  let skew = 0;
  const network: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const reply = await t.app.fetch(request);
    if (new URL(request.url).pathname === CREATE_PATHS[provider] && lost.length === 0) {
      // The provider made it; its answer is lost on the way back.
      lost.push(await reply.text());
      throw new TypeError('fetch failed');
    }
    return reply;
  };
  const t = createTestApp({ KASIR_RATE_LIMIT: '0' }, { fetch: network, now: () => new Date(Date.now() + skew) });
  return { ...t, lost, later: () => (skew += 5_000) };
}

for (const provider of ['winpay', 'faspay', 'uapay', 'amdigipay'] as const) {
  test(`${provider}: a create whose reply was lost completes on retry, and the lost invoice, paid, pays the order`, async () => {
    const { app, store, log, lost, later } = appLosingFirstCreateReply(provider);
    const body = { provider, items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };
    const first = await postCheckout(app, body, `lost-${provider}`);
    assert.equal(first.status, 502);
    const lostUrl = payPageIn(lost[0] ?? '');
    assert.ok(lostUrl, 'the provider made a payment whose answer was lost');

    const retry = await postCheckout(app, body, `lost-${provider}`);
    assert.equal(retry.status, 201);
    const created = await retry.json();
    const order = (await store.get<Order>(`order:${created.id}`))!;
    const findable = provider === 'winpay' || provider === 'amdigipay';
    if (findable) {
      // Found by our reference: the same invoice, no second one.
      assert.equal(created.paymentUrl, lostUrl);
      assert.equal(order.attempts, undefined);
    } else {
      assert.notEqual(created.paymentUrl, lostUrl);
      assert.equal(order.attempts?.length, 2);
      assert.notEqual(order.attempts![0], order.attempts![1]);
    }

    // The customer somehow pays the invoice whose answer was lost: its notice finds the order.
    assert.equal((await pressPayPageButton(app, lostUrl, 'pay')).status, 303);
    assert.equal(await statusOf(app, created.id), 'paid');
    if (findable) return;

    // …and then the one the retry made: both payments are kept, and someone is told to refund one.
    later();
    assert.equal((await pressPayPageButton(app, created.paymentUrl, 'pay')).status, 303);
    const paid = (await store.get<Order>(`order:${created.id}`))!;
    assert.equal(paid.status, 'paid');
    assert.equal(paid.paidRef, order.attempts![0]);
    assert.deepEqual(paid.extraPayments?.map((p) => p.providerRef), [order.attempts![1]]);
    const alerts = log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'order_paid_twice');
    assert.deepEqual(alerts.map((l) => [l.level, l.orderId]), [['error', created.id]]);
  });
}

for (const provider of ['winpay', 'amdigipay'] as const) {
  test(`${provider}: never retried, the order was indexed before the provider was called, so the lost invoice's notice still pays it`, async () => {
    const { app, store, lost } = appLosingFirstCreateReply(provider);
    const first = await postCheckout(app, { provider, items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` }, `never-${provider}`);
    assert.equal(first.status, 502);
    const [orderKey] = await store.keys('order:');
    const id = orderKey!.slice('order:'.length);
    assert.equal((await store.get<Order>(orderKey!))?.payment, undefined);
    assert.equal((await pressPayPageButton(app, payPageIn(lost[0]!)!, 'pay')).status, 303);
    assert.equal(await statusOf(app, id), 'paid');
  });
}

test('the sweep resumes a create whose reply was lost and that nobody retried (winpay: found by reference)', async () => {
  const { app, store, lost, later } = appLosingFirstCreateReply('winpay');
  assert.equal((await postCheckout(app, { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).status, 502);
  const [orderKey] = await store.keys('order:');
  later();
  await app.reconcile();
  assert.equal((await store.get<Order>(orderKey!))?.payment?.paymentUrl, payPageIn(lost[0]!));
});
