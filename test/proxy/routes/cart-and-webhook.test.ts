// Signed carts and the merchant webhook, through the HTTP API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { mintCart } from '../../../proxy/lib/cart';
import { verifyWebhook } from '../../../proxy/verify';
import { toCheckoutView } from '../../../proxy/orders/repository';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, SHOP, testOrder } from '../helpers';

const CART_SECRET = 'cart-secret-for-tests-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-for-tests-0123456789ab';
const base = { provider: 'winpay', customer: CUSTOMER, returnUrl: `${SHOP}/` };
const ITEMS = [{ sku: 'bundle', name: 'Merchant bundle', qty: 2, price: 125_000 }];
const errorCode = async (res: Response) => `${res.status} ${(await res.json()).error.code}`;

test('a signed cart is priced from its token; tampered, expired, reused or foreign-currency tokens are refused', async () => {
  const { app } = createTestApp({ KASIR_CART_SECRET: CART_SECRET });
  const token = mintCart(CART_SECRET, { items: ITEMS, currency: 'IDR' }, new Date());
  const created = await postCheckout(app, { ...base, cart: token });
  assert.equal(created.status, 201);
  assert.equal((await created.json()).amount, 250_000);

  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: token })), '401 cart_reused');
  const [payload, sig] = token.split('.') as [string, string];
  const richer = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), items: [{ ...ITEMS[0], price: 1 }] })).toString('base64url');
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: `${richer}.${sig}` })), '401 cart_signature_invalid');
  const old = mintCart(CART_SECRET, { items: ITEMS, currency: 'IDR', ttlSeconds: 60 }, new Date(Date.now() - 61_000));
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: old })), '401 cart_expired');
  const otherKey = mintCart('another-secret-0123456789abcdef0123', { items: ITEMS, currency: 'IDR' }, new Date());
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: otherKey })), '401 cart_signature_invalid');
  const uah = mintCart(CART_SECRET, { items: ITEMS, currency: 'UAH' }, new Date());
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: uah })), '400 currency_mismatch');
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: 'no-dot-here' })), '401 cart_invalid');
});

test('a retry of the same checkout with its Idempotency-Key replays instead of refusing the spent cart', async () => {
  const { app } = createTestApp({ KASIR_CART_SECRET: CART_SECRET });
  const token = mintCart(CART_SECRET, { items: ITEMS, currency: 'IDR' }, new Date());
  const first = await postCheckout(app, { ...base, cart: token }, 'cart-key');
  const again = await postCheckout(app, { ...base, cart: token }, 'cart-key');
  assert.equal(again.status, 201);
  assert.deepEqual(await again.json(), await first.json());
});

test('a signed cart’s nonce is spent only once the whole request is valid', async () => {
  const { app } = createTestApp({ KASIR_CART_SECRET: CART_SECRET });
  const token = mintCart(CART_SECRET, { items: ITEMS, currency: 'IDR' }, new Date());
  // Each of these is refused after the cart itself checked out; none may use it up.
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: token, returnUrl: 'https://evil.test/' })), '400 return_url_not_allowed');
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: token, returnUrl: undefined })), '400 return_url_required');
  const huge = mintCart(CART_SECRET, { items: [{ ...ITEMS[0]!, qty: 999, price: Number.MAX_SAFE_INTEGER }], currency: 'IDR' }, new Date());
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: huge })), '400 amount_too_large');
  assert.equal((await postCheckout(app, { ...base, cart: token })).status, 201);
});

test('signed carts are refused where no KASIR_CART_SECRET is configured', async () => {
  const { app } = createTestApp();
  const token = mintCart(CART_SECRET, { items: ITEMS, currency: 'IDR' }, new Date());
  assert.equal(await errorCode(await postCheckout(app, { ...base, cart: token })), '400 cart_unsupported');
});

test('property: over 1000 random carts, the amount sent to the provider is the amount computed on the server', async () => {
  const sent: number[] = [];
  const { app } = createTestApp(
    { KASIR_CART_SECRET: CART_SECRET, KASIR_RATE_LIMIT: '0', WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'https://winpay.stub' },
    {
      outside: async (request) => {
        const body = await (request as Request).json();
        sent.push(body.invoice.products.reduce((sum: number, p: { qty: number; price: number }) => sum + p.qty * p.price, 0));
        return Response.json({ responseCode: '2010300', responseData: { id: 'i', ref: body.invoice.ref, redirect_url: 'https://pay.stub/1' } }, { status: 201 });
      },
    },
  );
  const line = fc.record({
    sku: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    qty: fc.integer({ min: 1, max: 999 }),
    price: fc.integer({ min: 0, max: 10_000_000 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 20 }), async (items) => {
      const expected = items.reduce((sum, i) => sum + BigInt(i.qty) * BigInt(i.price), 0n);
      const res = await postCheckout(app, { ...base, cart: mintCart(CART_SECRET, { items, currency: 'IDR' }, new Date()) });
      const body = await res.json();
      assert.equal(res.status, 201, JSON.stringify(body));
      assert.equal(BigInt(body.amount), expected);
      assert.equal(BigInt(sent.at(-1)!), expected);
    }),
    { numRuns: 1000 },
  );
  assert.equal(sent.length, 1000);
});

test('each state change reaches the merchant webhook, signed so kasir/verify accepts it, once', async () => {
  const received: { body: string; headers: Headers }[] = [];
  const { app } = createTestApp(
    { KASIR_WEBHOOK_URL: 'https://merchant.stub/kasir', KASIR_WEBHOOK_SECRET: WEBHOOK_SECRET },
    {
      outside: async (request) => {
        received.push({ body: await (request as Request).text(), headers: (request as Request).headers });
        return new Response(null, { status: 204 });
      },
    },
  );
  const checkout = await (await postCheckout(app, { ...base, items: [{ sku: 'mug', qty: 1 }] })).json();
  await pressPayPageButton(app, checkout.paymentUrl, 'pay');
  await app.request(`/v1/checkouts/${checkout.id}`);
  await app.reconcile();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(received.length, 1);
  const event = JSON.parse(received[0]!.body);
  assert.equal(event.type, 'order.paid');
  assert.match(event.id, /^evt_/);
  assert.deepEqual({ id: event.data.id, status: event.data.status, amount: event.data.amount }, { id: checkout.id, status: 'paid', amount: 45000 });
  assert.equal(verifyWebhook(received[0]!.body, received[0]!.headers, WEBHOOK_SECRET).id, event.id);
  assert.equal(received[0]!.headers.get('webhook-id'), event.id);
  assert.throws(() => verifyWebhook(received[0]!.body.replace('45000', '1'), received[0]!.headers, WEBHOOK_SECRET));
});

test('the merchant can tie a payment to its cart: priced lines, times and its own ref in the view and the webhook', async () => {
  const received: { body: string; headers: Headers }[] = [];
  const { app } = createTestApp(
    { KASIR_CART_SECRET: CART_SECRET, KASIR_WEBHOOK_URL: 'https://merchant.stub/kasir', KASIR_WEBHOOK_SECRET: WEBHOOK_SECRET },
    {
      outside: async (request) => {
        received.push({ body: await (request as Request).text(), headers: (request as Request).headers });
        return new Response(null, { status: 204 });
      },
    },
  );
  const lines = [...ITEMS, { sku: 'ship', name: 'Shipping', qty: 1, price: 20_000 }];
  const token = mintCart(CART_SECRET, { items: lines, currency: 'IDR', ref: 'SO-2025-0042' }, new Date());
  const created = await (await postCheckout(app, { ...base, cart: token })).json();
  assert.deepEqual([created.lines, created.ref, created.amount], [lines, 'SO-2025-0042', 270_000]);
  assert.ok(Math.abs(Date.parse(created.createdAt) - Date.now()) < 60_000);
  assert.equal(created.paidAt, undefined);

  await pressPayPageButton(app, created.paymentUrl, 'pay');
  const view = await (await app.request(`/v1/checkouts/${created.id}`)).json();
  assert.deepEqual([view.status, view.lines, view.ref, view.createdAt], ['paid', lines, 'SO-2025-0042', created.createdAt]);
  assert.ok(Date.parse(view.paidAt) >= Date.parse(created.createdAt));

  await new Promise((resolve) => setTimeout(resolve, 50));
  const event = verifyWebhook(received.at(-1)!.body, received.at(-1)!.headers, WEBHOOK_SECRET);
  assert.equal(event.type, 'order.paid');
  assert.deepEqual(event.data, view);

  // A catalog checkout carries its catalog lines, and no ref.
  const plain = await (await postCheckout(app, { ...base, items: [{ sku: 'mug', qty: 2 }] })).json();
  assert.deepEqual(plain.lines, [{ sku: 'mug', name: 'Mug', qty: 2, price: 45_000 }]);
  assert.equal('ref' in plain, false);
});

test('the checkout view carries an order’s lines, times, ref and failure reason, and nothing of the customer', () => {
  const order = testOrder('winpay', { status: 'failed', ref: 'SO-7', reason: 'card_declined', paidAt: undefined });
  const view = toCheckoutView(order);
  assert.deepEqual([view.lines, view.createdAt, view.ref, view.reason, 'paidAt' in view], [order.lines, order.createdAt, 'SO-7', 'card_declined', false]);
  assert.equal(toCheckoutView({ ...order, status: 'paid', paidAt: '2023-10-25T07:20:00.000Z' }).paidAt, '2023-10-25T07:20:00.000Z');
  assert.doesNotMatch(JSON.stringify(view), /Delina|delina@|082342341/);
});
