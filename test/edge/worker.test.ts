// The proxy on real workerd, as deployed to Cloudflare Workers (proxy/worker.ts, wrangler.jsonc),
// in sandbox mode, over HTTP: every provider's simulator is paid, its notice travels over HTTP to
// the Worker's own notice URL, and the order reads paid. State lives in the Durable Object.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PROVIDER_IDS } from '../../proxy/lib/contract';
import { CUSTOMER, postCheckout, pressPayPageButton, SHOP, statusOf, TEST_CATALOG } from '../proxy/helpers';
import { removeBuilds, startWorkerd, type Workerd } from './workerd';

const PORT = 18901;
const BAD_CONFIG_PORT = 18902;
const LOG_WAIT_MS = 3_000;

let workerd: Workerd;
before(async () => {
  workerd = await startWorkerd({
    port: PORT,
    vars: {
      KASIR_SANDBOX: '1',
      // The simulators post their notices here: the Worker's own address.
      KASIR_PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      KASIR_ALLOWED_ORIGINS: SHOP,
      KASIR_RETURN_URLS: `${SHOP}/`,
      // As wrangler.jsonc holds it: the catalog as a JSON object (the broken Worker below gets JSON text).
      KASIR_CATALOG: TEST_CATALOG,
    },
  });
});
after(async () => {
  await workerd?.stop();
  removeBuilds();
});

/** The Worker over HTTP, in the `app.request` shape the proxy helpers take; redirects are not followed. */
const http = {
  request: (path: string, init: RequestInit = {}) => fetch(new URL(path, workerd.url), { redirect: 'manual', ...init }),
};

const checkout = (provider: string, key?: string, items = [{ sku: 'tee-m', qty: 2 }]) =>
  postCheckout(http, { provider, items, customer: CUSTOMER, returnUrl: `${SHOP}/` }, key);

/** Waits for a line the Worker logged (workerd's output reaches us a moment after the response). */
async function logged(logs: string[], matches: (line: string) => boolean) {
  for (const started = Date.now(); Date.now() - started < LOG_WAIT_MS; await new Promise((r) => setTimeout(r, 20))) {
    if (logs.some(matches)) return true;
  }
  return false;
}

const statusChangeLogged = (orderId: string, status: string) =>
  logged(workerd.logs, (line) => line.includes('"order_status_changed"') && line.includes(`"orderId":"${orderId}"`) && line.includes(`"to":"${status}"`));

test('workerd starts cold and answers its first request within seconds', (t) => {
  t.diagnostic(`workerd cold start: ${workerd.startupMs} ms (spawn to first answered request)`);
  assert.ok(workerd.startupMs > 0 && workerd.startupMs < 5_000, `startup ${workerd.startupMs} ms`);
});

test('GET /v1/config: the four providers the sandbox enables, and the catalog', async () => {
  const res = await http.request('/v1/config');
  assert.equal(res.status, 200);
  const body = (await res.json()) as { providers: { id: string; currency: string }[]; catalog: unknown };
  assert.deepEqual(
    body.providers.map(({ id, currency }) => ({ id, currency })).sort((a, b) => a.id.localeCompare(b.id)),
    [
      { id: 'amdigipay', currency: 'IDR' },
      { id: 'faspay', currency: 'IDR' },
      { id: 'uapay', currency: 'UAH' },
      { id: 'winpay', currency: 'IDR' },
    ],
  );
  assert.deepEqual(body.catalog, TEST_CATALOG.items);
});

for (const provider of PROVIDER_IDS) {
  test(`${provider}: checkout, Pay on the simulator, the notice reaches the Worker, the order reads paid`, async () => {
    const res = await checkout(provider);
    assert.equal(res.status, 201);
    const created = (await res.json()) as { id: string; status: string; amount: number; currency: string; paymentUrl: string };
    const expected = provider === 'uapay' ? { amount: 79800, currency: 'UAH' } : { amount: 300000, currency: 'IDR' };
    assert.deepEqual({ status: created.status, amount: created.amount, currency: created.currency }, { status: 'pending', ...expected });
    assert.ok(created.paymentUrl.startsWith(`${workerd.url}/sandbox/${provider}/`), created.paymentUrl);

    const paid = await pressPayPageButton(http, created.paymentUrl, 'pay');
    assert.equal(paid.status, 303);
    // Applied by the notice, before anything asked for the order (a GET would refresh it itself).
    assert.ok(await statusChangeLogged(created.id, 'paid'));
    assert.equal(await statusOf(http, created.id), 'paid');
  });
}

test('the same Idempotency-Key and body replay the first answer; another body is refused', async () => {
  const key = crypto.randomUUID();
  const first = await checkout('winpay', key);
  assert.equal(first.status, 201);
  assert.equal(first.headers.get('Idempotent-Replayed'), null);
  const firstBody = await first.json();

  const again = await checkout('winpay', key);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('Idempotent-Replayed'), 'true');
  assert.deepEqual(await again.json(), firstBody);

  const other = await checkout('winpay', key, [{ sku: 'mug', qty: 1 }]);
  assert.equal(other.status, 422);
  assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'idempotency_key_reused');
});

test('ten identical checkouts at once: one order, nine replays', async () => {
  const key = crypto.randomUUID();
  const responses = await Promise.all(Array.from({ length: 10 }, () => checkout('faspay', key)));
  const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string }[];
  assert.deepEqual(responses.map((r) => r.status), Array(10).fill(201));
  assert.equal(responses.filter((r) => r.headers.get('Idempotent-Replayed') === 'true').length, 9);
  assert.equal(new Set(bodies.map((b) => b.id)).size, 1);
});

test('the Cron Trigger reconciles: a lapsed invoice whose page sent no notice becomes expired', async () => {
  const created = (await (await checkout('winpay')).json()) as { id: string; paymentUrl: string };
  assert.equal((await pressPayPageButton(http, created.paymentUrl, 'expire')).status, 303);

  const cron = await http.request('/cdn-cgi/handler/scheduled?cron=*+*+*+*+*');
  assert.equal(cron.status, 200);
  await cron.arrayBuffer();
  assert.ok(await statusChangeLogged(created.id, 'expired'));
  assert.equal(await statusOf(http, created.id), 'expired');
});

test('a configuration error answers 500 configuration_error and logs one line naming the variable, not its value', async () => {
  const broken = await startWorkerd({
    port: BAD_CONFIG_PORT,
    vars: { KASIR_PUBLIC_URL: `http://127.0.0.1:${BAD_CONFIG_PORT}`, KASIR_CATALOG: JSON.stringify(TEST_CATALOG), KASIR_RETURN_URLS: 'http://shop.example/' },
  });
  try {
    const res = await fetch(`${broken.url}/v1/config`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: { code: 'configuration_error', message: 'The payment proxy is not configured correctly.' } });
    const line = 'kasir: configuration error: KASIR_RETURN_URLS must be a comma-separated list of URL prefixes, each https (http only for localhost)';
    assert.ok(await logged(broken.logs, (l) => l === line));
    // The same line for every request that found the configuration wrong, and never the value.
    assert.deepEqual([...new Set(broken.logs.filter((l) => l.startsWith('kasir:')))], [line]);
    assert.equal(broken.logs.some((l) => l.includes('shop.example')), false);
  } finally {
    await broken.stop();
  }
});
