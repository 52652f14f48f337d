import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertProviderFailures, createTestApp, CUSTOMER, hangingFetch, postCheckout, SHOP } from '../helpers';
import { createMemoryStore } from '../../../proxy/store';

const VALID = { provider: 'winpay', items: [{ sku: 'tee-m', qty: 2 }, { sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` };
const errorOf = async (res: Response) => ({ status: res.status, ...(await res.json()).error });

test('201 with the amount priced from the catalog', async () => {
  const { app } = createTestApp();
  const res = await postCheckout(app, VALID);
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.match(body.id, /^ord_[0-9A-Za-z]{22}$/);
  assert.equal(body.provider, 'winpay');
  assert.equal(body.status, 'pending');
  assert.equal(body.amount, 2 * 150000 + 45000);
  assert.equal(body.currency, 'IDR');
  assert.match(body.paymentUrl, /^http:\/\/kasir\.test\/sandbox\/winpay\/pay\//);
  assert.ok(Date.parse(body.expiresAt) > Date.now());
  assert.deepEqual(Object.keys(body).sort(), ['amount', 'createdAt', 'currency', 'expiresAt', 'id', 'lines', 'method', 'paymentUrl', 'provider', 'status']);
  assert.deepEqual(body.lines, [
    { sku: 'tee-m', name: 'T-shirt M', qty: 2, price: 150000 },
    { sku: 'mug', name: 'Mug', qty: 1, price: 45000 },
  ]);
});

test('a price, an amount or any unknown field is refused, not ignored', async () => {
  const { app, calls } = createTestApp();
  for (const body of [
    { ...VALID, amount: 1 },
    { ...VALID, items: [{ sku: 'tee-m', qty: 1, price: 1 }] },
    { ...VALID, currency: 'IDR' },
    { ...VALID, customer: { ...CUSTOMER, amount: 1 } },
  ]) {
    const err = await errorOf(await postCheckout(app, body));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'unknown_field');
  }
  assert.equal(calls.length, 0, 'nothing reached the provider');
});

test('bad input gets 400 with a stable code and the field, never the submitted value', async () => {
  const { app } = createTestApp();
  const cases: [unknown, string, string | undefined][] = [
    [{ ...VALID, customer: { ...CUSTOMER, name: ' ' } }, 'name_required', 'customer.name'],
    [{ ...VALID, customer: { ...CUSTOMER, email: 'not-an-email<script>' } }, 'email_invalid', 'customer.email'],
    [{ ...VALID, customer: { ...CUSTOMER, phone: 'call me' } }, 'phone_invalid', 'customer.phone'],
    [{ ...VALID, customer: { name: 'No Phone' } }, 'phone_required', 'customer.phone'],
    [{ ...VALID, items: [] }, 'items_empty', 'items'],
    [{ ...VALID, items: [{ sku: 'mug', qty: 0 }] }, 'qty_invalid', 'items.0.qty'],
    [{ ...VALID, items: [{ sku: 'mug', qty: 1.5 }] }, 'qty_invalid', 'items.0.qty'],
    [{ ...VALID, provider: 'paypal' }, 'provider_invalid', 'provider'],
    [{ ...VALID, provider: 'faspay', items: undefined }, 'items_or_cart', undefined],
    [{ ...VALID, returnUrl: 'https://evil.test/' }, 'return_url_not_allowed', 'returnUrl'],
    [{ ...VALID, returnUrl: undefined }, 'return_url_required', 'returnUrl'],
  ];
  for (const [body, code, field] of cases) {
    const res = await postCheckout(app, body);
    const text = await res.clone().text();
    const err = await errorOf(res);
    assert.equal(err.status, 400, code);
    assert.equal(err.code, code);
    assert.equal(err.field, field, code);
    assert.doesNotMatch(text, /<script|call me|evil\.test|paypal/);
  }
});

test('control characters (NUL, ANSI escapes, newlines) in customer fields get 400, never reach the provider', async () => {
  const { app, calls } = createTestApp();
  const cases: [keyof typeof CUSTOMER, string, string][] = [
    ['name', 'Siti\u0000Rahma', 'name_invalid'],
    ['name', '\u001b[31mSiti\u001b[0m', 'name_invalid'],
    ['name', 'Siti\nRahma', 'name_invalid'],
    ['name', 'Siti Rahma\r\n', 'name_invalid'],
    ['name', 'Siti\u0085Rahma', 'name_invalid'],
    ['name', 'Siti\u2028Rahma', 'name_invalid'],
    ['email', 'siti@example.com\n', 'email_invalid'],
    ['email', 'siti\u0000@example.com', 'email_invalid'],
    ['phone', '081234567890\n', 'phone_invalid'],
    ['phone', '\t081234567890', 'phone_invalid'],
  ];
  for (const [field, value, code] of cases) {
    const err = await errorOf(await postCheckout(app, { ...VALID, customer: { ...CUSTOMER, [field]: value } }));
    assert.deepEqual([err.status, err.code, err.field], [400, code, `customer.${field}`], JSON.stringify(value));
  }
  assert.equal(calls.length, 0, 'nothing reached the provider');
  // Letters of any script, apostrophes and ordinary spaces stay welcome.
  assert.equal((await postCheckout(app, { ...VALID, customer: { ...CUSTOMER, name: ' Олена О’Коннор-Прасетя ' } })).status, 201);
});

test('unknown sku → 400 unknown_sku; not JSON → 400 invalid_json; no Idempotency-Key → 400', async () => {
  const { app } = createTestApp();
  assert.deepEqual(await errorOf(await postCheckout(app, { ...VALID, items: [{ sku: 'nope', qty: 1 }] })), {
    status: 400,
    code: 'unknown_sku',
    message: 'An item in the cart is not in the catalog.',
  });
  const notJson = await app.request('/v1/checkouts', { method: 'POST', headers: { 'Idempotency-Key': 'k1' }, body: '{"provider":' });
  assert.equal((await errorOf(notJson)).code, 'invalid_json');
  const noKey = await app.request('/v1/checkouts', { method: 'POST', body: JSON.stringify(VALID) });
  assert.equal((await errorOf(noKey)).code, 'idempotency_key_required');
  const longKey = await postCheckout(app, VALID, 'k'.repeat(256));
  assert.equal((await errorOf(longKey)).code, 'idempotency_key_required');
});

test('a body over 16 KiB is refused with 413, whether its length is declared or streamed', async () => {
  const { app } = createTestApp();
  const body = JSON.stringify({ ...VALID, customer: { ...CUSTOMER, name: 'x'.repeat(17 * 1024) } });
  const declared = await app.request('/v1/checkouts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'big-1', 'Content-Length': String(body.length) },
    body,
  });
  assert.equal(declared.headers.get('Content-Type')?.includes('json'), true);
  assert.deepEqual([declared.status, (await declared.json()).error.code], [413, 'body_too_large']);
  const streamed = await postCheckout(app, JSON.parse(body));
  assert.deepEqual([streamed.status, (await streamed.json()).error.code], [413, 'body_too_large']);
  const small = JSON.stringify(VALID);
  const fits = await app.request('/v1/checkouts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'small-1', 'Content-Length': String(small.length) },
    body: small,
  });
  assert.equal(fits.status, 201);
});

test('the same Idempotency-Key replays the first response; another body with it is 422', async () => {
  const { app, calls } = createTestApp();
  const first = await postCheckout(app, VALID, 'key-1');
  const again = await postCheckout(app, VALID, 'key-1');
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('Idempotent-Replayed'), 'true');
  assert.deepEqual(await again.json(), await first.json());
  assert.equal(calls.filter((r) => r.url.endsWith('/api/create')).length, 1);
  const other = await postCheckout(app, { ...VALID, items: [{ sku: 'mug', qty: 3 }] }, 'key-1');
  assert.equal((await errorOf(other)).status, 422);
});

const REAL_WINPAY = { WINPAY_KEY: 'live-key', WINPAY_SECRET: 'live-secret-do-not-leak', WINPAY_BASE_URL: 'https://winpay.stub' };

test('provider 401, 400, 5xx and HTML become 502s with stable codes and no provider text', async () => {
  await assertProviderFailures(REAL_WINPAY, VALID, /live-key|Siti|SQLSTATE|nginx|live-secret/, [
    ['401', async () => Response.json({ responseCode: '4010300', responseMessage: 'Invalid signature for key live-key' }, { status: 401 }), 502, 'provider_auth_failed'],
    ['400', async () => Response.json({ responseCode: '4000301', responseMessage: 'Invalid', responseData: ['customer.phone Siti'] }, { status: 400 }), 502, 'provider_rejected'],
    ['500', async () => Response.json({ responseCode: '5000300', responseMessage: 'SQLSTATE[HY000] internal' }, { status: 500 }), 502, 'provider_unavailable'],
    ['html', async () => new Response('<html><body>502 Bad Gateway nginx</body></html>', { status: 200 }), 502, 'provider_bad_response'],
  ]);
});

test('a provider that does not answer gives 504 provider_timeout within the deadline', async () => {
  const { app } = createTestApp({ ...REAL_WINPAY, KASIR_PROVIDER_TIMEOUT_MS: '200' }, { outside: hangingFetch });
  const started = Date.now();
  const err = await errorOf(await postCheckout(app, VALID));
  assert.deepEqual([err.status, err.code], [504, 'provider_timeout']);
  assert.ok(Date.now() - started < 2000);
});

// A Winpay stub that keeps the invoices it made, as the real one does.
function winpayStub(onCreate: (ref: string, attempt: number) => 'ok' | 'fail' | 'hang') {
  const invoices = new Map<string, { id: string; ref: string; redirect_url: string; created_at: string }>();
  let attempt = 0;
  const calls: string[] = [];
  const outside = async (request: Request, init?: RequestInit) => {
    const url = new URL(request.url);
    calls.push(`${request.method} ${url.pathname}`);
    if (url.pathname.startsWith('/api/findByRef/')) {
      const inv = invoices.get(decodeURIComponent(url.pathname.split('/').pop()!));
      return inv
        ? Response.json({ responseCode: '2000300', responseData: { ...inv, status: 'UNPAID' } })
        : Response.json({ responseCode: '4040300', responseMessage: 'not found' }, { status: 404 });
    }
    const ref = (await request.json()).invoice.ref;
    const outcome = onCreate(ref, attempt++);
    if (outcome === 'fail') return new Response('busy', { status: 503 });
    const inv = { id: `inv-${attempt}`, ref, redirect_url: `https://pay.stub/${attempt}`, created_at: '2099-01-01 07:00:00' };
    invoices.set(ref, inv);
    if (outcome === 'hang') return hangingFetch(request, init);
    return Response.json({ responseCode: '2010300', responseData: inv }, { status: 201 });
  };
  return { outside, calls, invoices };
}

test('a retry after a failed create reuses the order, looks for the first attempt, then makes a second under a new reference', async () => {
  const stub = winpayStub((_ref, attempt) => (attempt === 0 ? 'fail' : 'ok'));
  const { app, store } = createTestApp(REAL_WINPAY, { outside: stub.outside as never });
  assert.equal((await postCheckout(app, VALID, 'retry-key')).status, 502);
  const second = await postCheckout(app, VALID, 'retry-key');
  assert.equal(second.status, 201);
  const { id } = await second.json();
  const ref0 = id.replace('_', '');
  assert.deepEqual(stub.calls, ['POST /api/create', `GET /api/findByRef/${ref0}`, 'POST /api/create']);
  assert.deepEqual([...stub.invoices.keys()], [`${ref0}-1`]);
  // Both references lead to the order, so a notice for either finds it.
  assert.equal(await store.get(`ref:winpay:${ref0}`), id);
  assert.equal(await store.get(`ref:winpay:${ref0}-1`), id);
});

test('a create that timed out at the provider is found by reference on retry, never made twice', async () => {
  const stub = winpayStub((_ref, attempt) => (attempt === 0 ? 'hang' : 'ok'));
  const { app } = createTestApp({ ...REAL_WINPAY, KASIR_PROVIDER_TIMEOUT_MS: '150' }, { outside: stub.outside as never });
  const first = await postCheckout(app, VALID, 'timeout-key');
  assert.equal((await errorOf(first)).code, 'provider_timeout');
  const second = await postCheckout(app, VALID, 'timeout-key');
  assert.equal(second.status, 201);
  assert.equal((await second.json()).paymentUrl, 'https://pay.stub/1');
  assert.equal(stub.calls.filter((c) => c === 'POST /api/create').length, 1);
  assert.equal(stub.invoices.size, 1);
});

test('GET /v1/checkouts/:id: unknown → 404; known → its state', async () => {
  const { app } = createTestApp();
  assert.deepEqual(await errorOf(await app.request('/v1/checkouts/ord_nope')), { status: 404, code: 'order_not_found', message: 'No such checkout.' });
  const created = await (await postCheckout(app, VALID)).json();
  const read = await (await app.request(`/v1/checkouts/${created.id}`)).json();
  assert.deepEqual(read, created);
});

test('CORS allows exactly the configured origins', async () => {
  const { app } = createTestApp();
  const preflight = (origin: string) =>
    app.request('/v1/checkouts', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' } });
  const ok = await preflight(SHOP);
  assert.equal(ok.headers.get('Access-Control-Allow-Origin'), SHOP);
  assert.match(ok.headers.get('Access-Control-Allow-Headers') ?? '', /Idempotency-Key/i);
  for (const origin of ['https://evil.test', 'https://shop.test.evil.test', 'http://shop.test', 'null']) {
    const res = await preflight(origin);
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), null, origin);
  }
});

test('GET /v1/config lists enabled providers and the catalog, and no secret', async () => {
  const { app } = createTestApp(REAL_WINPAY);
  const text = await (await app.request('/v1/config')).text();
  const body = JSON.parse(text);
  assert.deepEqual(body.providers.find((p: { id: string }) => p.id === 'winpay'), { id: 'winpay', name: 'Winpay', currency: 'IDR', requires: ['phone'] });
  assert.deepEqual(body.catalog[0], { sku: 'tee-m', name: 'T-shirt M', price: { IDR: 150000, UAH: 39900 } });
  assert.doesNotMatch(text, /live-|secret|sandbox-/);
});

test('healthz answers, unknown routes give the error shape', async () => {
  const { app } = createTestApp();
  assert.deepEqual(await (await app.request('/healthz')).json(), { ok: true });
  assert.deepEqual(await errorOf(await app.request('/nope')), { status: 404, code: 'not_found', message: 'No such route.' });
});

test('50 concurrent identical requests make exactly one create at the provider and all get its answer', async () => {
  const { app, calls } = createTestApp({ KASIR_RATE_LIMIT: '0' });
  const replies = await Promise.all(Array.from({ length: 50 }, () => postCheckout(app, VALID, 'same-key')));
  const bodies = await Promise.all(replies.map((r) => r.json()));
  assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([201]));
  assert.equal(new Set(bodies.map((b) => b.id)).size, 1);
  assert.equal(replies.filter((r) => r.headers.get('Idempotent-Replayed') === 'true').length, 49);
  assert.equal(calls.filter((r) => r.url.endsWith('/api/create')).length, 1);
});

test('status lookups retry a failing provider at most twice; creates are never retried', async () => {
  let finds = 0;
  let creates = 0;
  const { app } = createTestApp(REAL_WINPAY, {
    outside: async (request) => {
      if ((request as Request).url.endsWith('/api/create')) {
        creates++;
        return creates === 1
          ? new Response('busy', { status: 503 })
          : Response.json({ responseCode: '2010300', responseData: { id: 'inv-1', ref: 'r', redirect_url: 'https://pay.stub/1' } }, { status: 201 });
      }
      finds++;
      return new Response('busy', { status: 503 });
    },
  });
  assert.equal((await postCheckout(app, VALID)).status, 502);
  assert.equal(creates, 1);
  const created = await (await postCheckout(app, VALID)).json();
  const read = await app.request(`/v1/checkouts/${created.id}`);
  assert.equal(read.status, 200);
  assert.equal((await read.json()).status, 'pending');
  assert.equal(finds, 3);
});

test('creates over the per-client limit get 429 with Retry-After; other clients are unaffected', async () => {
  let ip = '203.0.113.7';
  const { app } = createTestApp({ KASIR_RATE_LIMIT: '3' }, { clientIp: () => ip });
  for (let i = 0; i < 3; i++) assert.equal((await postCheckout(app, VALID)).status, 201);
  const limited = await postCheckout(app, VALID);
  assert.equal(limited.status, 429);
  assert.equal((await limited.json()).error.code, 'rate_limited');
  const retryAfter = Number(limited.headers.get('Retry-After'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal((await app.request('/v1/config')).status, 200, 'reads are not limited');
  ip = '198.51.100.1';
  assert.equal((await postCheckout(app, VALID)).status, 201);
});

test('every response carries a request id, and one log line per request names it', async () => {
  const { app, log } = createTestApp();
  const res = await postCheckout(app, { ...VALID, items: [{ sku: 'nope', qty: 1 }] });
  const id = res.headers.get('X-Request-Id');
  assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  const lines = log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'request');
  assert.equal(lines.length, 1);
  assert.deepEqual({ ...lines[0], time: undefined, ms: undefined }, {
    time: undefined, ms: undefined, level: 'info', event: 'request', requestId: id, method: 'POST', route: '/v1/checkouts', status: 400,
  });
});

test('secure response headers are set', async () => {
  const { app } = createTestApp();
  const res = await app.request('/healthz');
  assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff');
  assert.equal(res.headers.get('X-Frame-Options'), 'SAMEORIGIN');
  assert.match(res.headers.get('Strict-Transport-Security') ?? '', /max-age=/);
  assert.equal(res.headers.get('Referrer-Policy'), 'no-referrer');
});

test('an unexpected failure answers 500 internal_error and logs what an operator needs, not its message', async () => {
  // A system error from the store, as a file store's lock or a disk gives (its message may hold a path).
  const failing = Object.assign(new Error('ENOENT: no such file, unlink /var/lib/kasir/order%3Aord_x.json.lock'), { code: 'ENOENT' });
  const store = { ...createMemoryStore(), get: async () => Promise.reject(failing) };
  const { app, log } = createTestApp({}, { store });
  const res = await app.request('/v1/checkouts/ord_x');
  assert.equal(res.status, 500);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'internal_error');
  const line = JSON.parse(log.lines.find((l) => l.includes('unhandled_error'))!);
  assert.equal(line.code, 'ENOENT');
  assert.equal(line.route, '/v1/checkouts/:id');
  assert.match(line.at, /checkouts\.test\.ts:\d+/);
  assert.doesNotMatch(JSON.stringify(line), /var\/lib|no such file/);
});
