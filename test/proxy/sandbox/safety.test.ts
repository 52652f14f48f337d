// Sandbox stays a sandbox (issue 9 §6): the simulators' credentials are public, so what they can be
// made to do by anyone is checked here — notices only to this proxy, redirects only to the shop's
// allowed return URLs, no customer contact details on their pages or APIs, a warning when the
// sandbox is reachable from outside, and no start next to real provider credentials.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyJwt } from '../../../proxy/lib/jwt';
import { buildWinpayHeaders } from '../../../proxy/providers/winpay';
import { signUapayRequest, type UapayRequest } from '../../../proxy/providers/uapay';
import { createTestApp, CUSTOMER, postCheckout, pressPayPageButton, PUBLIC_URL, SHOP } from '../helpers';

type TestApp = ReturnType<typeof createTestApp>;
const EVIL = 'https://evil.test/phish';
const events = (t: TestApp, event: string) => t.log.lines.map((line) => JSON.parse(line)).filter((line) => line.event === event);

async function winpayInvoice(t: TestApp, backUrl: string) {
  const { key, secret } = t.config.providers.winpay!;
  const res = await t.app.request('/sandbox/winpay/api/create', {
    method: 'POST',
    headers: buildWinpayHeaders(key, secret, new Date()),
    body: JSON.stringify({
      customer: { name: 'Someone', phone: '0812345678' },
      invoice: { ref: crypto.randomUUID(), products: [{ name: 'Mug', qty: 1, price: 45000 }] },
      back_url: backUrl,
      interval: 60,
    }),
  });
  return ((await res.json()) as { responseData: { id: string; redirect_url: string } }).responseData;
}

async function uapay(t: TestApp, path: string, request: UapayRequest) {
  const { secret } = t.config.providers.uapay!;
  const res = await t.app.request(`/sandbox/uapay/${path}`, { method: 'POST', body: JSON.stringify(signUapayRequest(request, secret, new Date())) });
  return verifyJwt(((await res.json()) as { data: { token: string } }).data.token, secret) as Record<string, any>;
}

async function uapayInvoice(t: TestApp, data: Record<string, unknown>) {
  const { id: sessionId } = await uapay(t, 'sessions/create', { params: { clientId: t.config.providers.uapay!.clientId } });
  const created = await uapay(t, 'invoicer/invoices/create', {
    params: { sessionId, systemType: 'ECOM' },
    data: { externalId: crypto.randomUUID().replaceAll('-', ''), type: 'PAY', description: 'Mug', amount: 12000, ...data },
  });
  return { sessionId, id: created.id as string, paymentUrl: created.paymentPageUrl as string };
}

test('a simulator sends notices only to this proxy’s own notify URL, never to a URL from a request', async () => {
  const t = createTestApp();
  const invoice = await uapayInvoice(t, { callbackUrl: 'https://evil.test/collect', redirectUrl: `${SHOP}/thanks` });
  const paid = await pressPayPageButton(t.app, invoice.paymentUrl, 'pay');
  assert.equal(paid.status, 303);
  assert.equal(t.calls.filter((c) => !c.url.startsWith(PUBLIC_URL)).length, 0, 'nothing left the proxy');
  // Nor to another provider's notify URL on this proxy.
  const sideways = await uapayInvoice(t, { callbackUrl: `${PUBLIC_URL}/v1/notify/winpay`, redirectUrl: `${SHOP}/thanks` });
  await pressPayPageButton(t.app, sideways.paymentUrl, 'pay');
  assert.equal(t.calls.filter((c) => c.url.includes('/v1/notify/')).length, 0);
  const refused = events(t, 'sandbox_notice_refused').length;
  assert.ok(refused >= 2, 'each attempt is refused and logged');
  assert.doesNotMatch(t.log.lines.join('\n'), /evil\.test/);

  // The proxy's own flow still gets its notice.
  const checkout = await (await postCheckout(t.app, { provider: 'uapay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json();
  await pressPayPageButton(t.app, checkout.paymentUrl, 'pay');
  assert.equal(t.calls.filter((c) => c.url === `${PUBLIC_URL}/v1/notify/uapay`).length, 1);
  assert.equal(events(t, 'sandbox_notice_refused').length, refused);
});

test('a simulator redirects only to the shop’s allowed return URLs, never to one from a request', async () => {
  const t = createTestApp();
  const evilWinpay = await winpayInvoice(t, EVIL);
  for (const action of ['cancel', 'expire', 'pay']) {
    const res = await pressPayPageButton(t.app, evilWinpay.redirect_url, action).catch(() => undefined);
    if (!res) continue; // a button the page no longer shows (it is paid)
    assert.equal(res.headers.get('Location'), null, action);
    assert.equal(res.status, 400, action);
  }
  const evilUapay = await uapayInvoice(t, { redirectUrl: EVIL });
  const res = await pressPayPageButton(t.app, evilUapay.paymentUrl, 'cancel');
  assert.equal(res.headers.get('Location'), null);
  assert.equal(res.status, 400);
  // An allowed one (what the proxy itself always sends) is followed as before.
  const fine = await winpayInvoice(t, `${SHOP}/thanks?x=1`);
  const back = await pressPayPageButton(t.app, fine.redirect_url, 'cancel');
  assert.equal(back.status, 303);
  assert.equal(back.headers.get('Location'), `${SHOP}/thanks?x=1`);
});

test('no simulator page or API shows the customer’s name, email or phone (their credentials are public)', async () => {
  const t = createTestApp();
  const leaks = new RegExp([CUSTOMER.name, CUSTOMER.email, CUSTOMER.phone, CUSTOMER.phone.slice(1)].join('|'));
  const checkout = async (provider: string) =>
    (await (await postCheckout(t.app, { provider, items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` })).json()) as { paymentUrl: string; id: string };
  const seen: string[] = [];
  const read = async (path: string, init?: RequestInit) => seen.push(await (await t.app.request(path, init)).text());

  const winpay = await checkout('winpay');
  const winpayId = winpay.paymentUrl.split('/').at(-1)!;
  const { key, secret } = t.config.providers.winpay!;
  await read(winpay.paymentUrl);
  await read(`/sandbox/winpay/api/find/${winpayId}`, { headers: buildWinpayHeaders(key, secret, new Date()) });

  const uapayCheckout = await checkout('uapay');
  await read(uapayCheckout.paymentUrl);
  const { id: sessionId } = await uapay(t, 'sessions/create', { params: { clientId: t.config.providers.uapay!.clientId } });
  seen.push(JSON.stringify(await uapay(t, 'invoicer/invoices/show', { params: { sessionId, id: uapayCheckout.paymentUrl.split('/').at(-1)! } })));

  const amdigipay = await checkout('amdigipay');
  await read(amdigipay.paymentUrl);
  const { username, password } = t.config.providers.amdigipay!;
  const login = await (await t.app.request('/sandbox/amdigipay/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) })).json();
  await read(`/sandbox/amdigipay/payment/detail-transaction/${amdigipay.paymentUrl.split('/').at(-1)}`, { headers: { Authorization: `Bearer ${login.data.access_token}` } });

  const faspay = await checkout('faspay');
  await read(faspay.paymentUrl);

  assert.equal(seen.length, 7);
  for (const text of seen) assert.doesNotMatch(text, leaks);
  // The pages and replies still answer (the test read something real).
  assert.ok(seen.every((text) => text.length > 100));
});

test('a sandbox reachable beyond loopback warns at start that anyone can mark its orders paid', () => {
  const warned = (env: Record<string, string>) => events(createTestApp(env), 'sandbox_public').length;
  assert.equal(warned({ KASIR_PUBLIC_URL: 'https://pay.shop.test' }), 1);
  assert.equal(warned({ KASIR_PUBLIC_URL: 'http://192.168.1.20:8787' }), 1);
  assert.equal(warned({ KASIR_PUBLIC_URL: PUBLIC_URL }), 1);
  for (const local of ['http://127.0.0.1:8787', 'http://localhost:22000', 'http://[::1]:8787']) assert.equal(warned({ KASIR_PUBLIC_URL: local }), 0, local);
  assert.equal(warned({ KASIR_PUBLIC_URL: 'https://pay.shop.test', KASIR_SANDBOX: '0' }), 0);
  const line = events(createTestApp({ KASIR_PUBLIC_URL: 'https://pay.shop.test' }), 'sandbox_public')[0];
  assert.equal(line.level, 'warn');
  assert.match(line.message, /anyone who can reach https:\/\/pay\.shop\.test can mark sandbox orders paid/);
});

test('KASIR_SANDBOX=1 next to a real credential: the proxy does not start, one line names the variable, exit 1', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'proxy/cli.ts', 'start'], {
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    env: { PATH: process.env.PATH, KASIR_SANDBOX: '1', KASIR_CATALOG: 'demo/catalog.json', PORT: '22001', UAPAY_CLIENT_ID: 'live-client', UAPAY_SECRET: 'live-secret-value' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /KASIR_SANDBOX=1 .*\(UAPAY_CLIENT_ID, UAPAY_SECRET\)/);
  assert.doesNotMatch(run.stderr, /live-client|live-secret/);
});
