// Planted secrets and customer contact details must appear in no response and no log line, and
// no input may produce a 5xx, whatever a client or a (stubbed, hostile) provider sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createTestApp, CUSTOMER, SHOP } from '../helpers';

const SECRETS = {
  WINPAY_KEY: 'PLANTED-winpay-key-7f3a',
  WINPAY_SECRET: 'PLANTED-winpay-secret-91c2',
  FASPAY_USERNAME: 'PLANTEDfaspayuser',
  FASPAY_PASSWORD: 'PLANTED-faspay-pass-44d1',
  FASPAY_SERVICE_ID: '31337',
  UAPAY_CLIENT_ID: 'PLANTED-uapay-client',
  UAPAY_SECRET: 'PLANTED-uapay-secret-0b9e',
  AMDIGIPAY_USERNAME: 'PLANTED-amdigipay-user',
  AMDIGIPAY_PASSWORD: 'PLANTED-amdigipay-pass-5e6f',
  AMDIGIPAY_PAYMENT_ID: '33',
  KASIR_CART_SECRET: 'PLANTED-cart-secret-0123456789abcdef0123',
  KASIR_WEBHOOK_URL: 'https://merchant.stub/hook',
  KASIR_WEBHOOK_SECRET: 'PLANTED-webhook-secret-0123456789abcdef',
};
const STUB_BASES = {
  WINPAY_BASE_URL: 'https://winpay.stub',
  FASPAY_BASE_URL: 'https://faspay.stub',
  UAPAY_BASE_URL: 'https://uapay.stub/api',
  AMDIGIPAY_BASE_URL: 'https://amdigipay.stub/api',
};
const CONTACT = { email: 'planted.customer@example.com', phone: '+628111222333' };
const FORBIDDEN = [...Object.values(SECRETS).filter((s) => s.startsWith('PLANTED')), CONTACT.email, CONTACT.phone, 'STACKTRACE', 'PROVIDER-INTERNAL'];

// A hostile provider: it answers with random statuses and bodies full of what it was sent plus internals.
async function hostileProvider(request: Request, pick: number): Promise<Response> {
  const echo = `${request.url} ${[...request.headers].join(' ')} ${await request.text()} PROVIDER-INTERNAL STACKTRACE`;
  switch (pick % 6) {
    case 0: return new Response(echo, { status: 500 });
    case 1: return new Response(`<html>${echo}</html>`, { status: 200 });
    case 2: return Response.json({ error: true, message: echo, responseCode: '4000301', responseData: [echo], response_code: '01', response_message: echo, status: 0 }, { status: 400 });
    case 3: return new Response(echo.slice(0, 20), { status: 200 });
    case 4: return Response.json({ responseCode: '4010300', responseMessage: echo }, { status: 401 });
    default: return new Response(`{"truncated": "${echo}`, { status: 201 });
  }
}

const jsonValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...Object.values(SECRETS), CONTACT.email, CONTACT.phone, '<script>', '../../etc/passwd', '\u0000', '9'.repeat(400)),
);
const checkoutBody = fc.record(
  {
    provider: fc.constantFrom('winpay', 'faspay', 'uapay', 'amdigipay', 'paypal', ''),
    items: fc.oneof(fc.array(fc.record({ sku: fc.constantFrom('tee-m', 'mug', 'idr-only', 'x', ''), qty: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.double()) }), { maxLength: 4 }), jsonValue),
    cart: jsonValue,
    customer: fc.oneof(fc.constant({ name: 'Siti', ...CONTACT }), fc.record({ name: jsonValue, email: jsonValue, phone: jsonValue }, { requiredKeys: [] }), jsonValue),
    returnUrl: fc.oneof(fc.constant(`${SHOP}/thanks`), fc.webUrl(), jsonValue),
    locale: fc.oneof(fc.constantFrom('en', 'id', 'uk'), jsonValue),
    amount: fc.integer(),
    price: fc.integer(),
  },
  { requiredKeys: [] },
);
const requestArb = fc.record({
  route: fc.constantFrom('POST /v1/checkouts', 'GET /v1/checkouts/:id', 'POST /v1/notify/:p', 'GET /v1/config', 'GET /healthz', 'OPTIONS /v1/checkouts', 'POST /nowhere'),
  provider: fc.constantFrom('winpay', 'faspay', 'uapay', 'amdigipay', 'nope'),
  id: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...Object.values(SECRETS))),
  key: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }), fc.constantFrom(...Object.values(SECRETS))),
  body: fc.oneof(checkoutBody.map((b) => JSON.stringify(b)), fc.string({ maxLength: 200 }), fc.json()),
  pick: fc.nat(),
});

test('thousands of fuzzed requests: no 5xx from our side, no planted secret or contact detail in any response or log line', async () => {
  let pick = 0;
  const { app, log } = createTestApp({ ...SECRETS, ...STUB_BASES, KASIR_SANDBOX: '0', KASIR_RATE_LIMIT: '0', KASIR_PROVIDER_TIMEOUT_MS: '200' }, {
    outside: (request) => hostileProvider(request as Request, pick),
  });
  const texts: string[] = [];
  let requests = 0;
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      pick = r.pick;
      const [method, pattern] = r.route.split(' ') as [string, string];
      const path = pattern.replace(':id', encodeURIComponent(r.id)).replace(':p', r.provider);
      const init: RequestInit = { method, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': r.key.replace(/[^\x20-\x7e]/g, ''), Origin: SHOP } };
      if (method === 'POST') init.body = r.body;
      const res = await app.request(path, init);
      requests++;
      const text = `${res.status} ${[...res.headers].join(' ')} ${await res.text()}`;
      texts.push(text);
      // 502/504 are the proxy's own answers about a provider; 500 would be ours.
      assert.ok(res.status < 500 || res.status === 502 || res.status === 504, `${r.route} gave ${res.status}`);
      if (res.status >= 400 && res.headers.get('Content-Type')?.includes('json')) {
        const body = JSON.parse(text.slice(text.indexOf('{')));
        assert.equal(typeof body.error?.code, 'string');
      }
    }),
    { numRuns: 3000, seed: 20261121 },
  );
  assert.equal(requests, 3000);
  const everything = [...texts, ...log.lines].join('\n');
  for (const secret of FORBIDDEN) assert.ok(!everything.includes(secret), `leaked: ${secret}`);
  assert.ok(log.lines.length >= 3000, 'one log line per request at least');
});

test('customer contact details sent in a valid checkout never reach the logs', async () => {
  const { app, log } = createTestApp();
  const res = await app.request('/v1/checkouts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-contact' },
    body: JSON.stringify({ provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: { ...CUSTOMER, ...CONTACT }, returnUrl: `${SHOP}/` }),
  });
  assert.equal(res.status, 201);
  const logs = log.lines.join('\n');
  assert.ok(logs.length > 0);
  assert.ok(!logs.includes(CONTACT.email) && !logs.includes(CONTACT.phone));
});
