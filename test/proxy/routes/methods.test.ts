// Payment methods (docs/methods.md): configured in the catalog, validated at start, listed by
// GET /v1/config, chosen by POST /v1/checkouts `method`, kept on the order, and the channel sent to
// the provider's create where its API has such a field (AMDigipay's payment_id).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../../proxy/lib/config';
import type { CheckoutView, PublicConfig } from '../../../proxy/lib/contract';
import { createTestApp, CUSTOMER, postCheckout, SHOP, TEST_CATALOG } from '../helpers';

const METHODS = [
  { id: 'bca_va', provider: 'amdigipay', channel: '22', group: 'va', label: { en: 'BCA Virtual Account', id: 'BCA Virtual Account', uk: 'Віртуальний рахунок BCA' } },
  { id: 'qris', provider: 'amdigipay', channel: '33', group: 'qris', label: { en: 'QRIS' } },
  { id: 'mandiri_va', provider: 'winpay', channel: 'MANDIRI', group: 'va', label: { en: 'Mandiri Virtual Account' }, logo: '/img/mandiri.svg' },
  { id: 'card', provider: 'uapay', group: 'card', label: { en: 'Card', uk: 'Картка' }, logo: 'https://shop.test/card.svg' },
];
const CATALOG = { ...TEST_CATALOG, methods: METHODS, merchant: { name: 'Toko Kasir' } };
const ITEMS = [{ sku: 'tee-m', qty: 1 }];
const RETURN = `${SHOP}/checkout`;

function configError(catalog: object, env: Record<string, string> = { KASIR_SANDBOX: '1' }) {
  try {
    loadConfig({ KASIR_CATALOG: 'c.json', ...env }, () => JSON.stringify(catalog));
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  }
  return 'ok';
}

test('GET /v1/config lists the configured methods in the merchant’s order, and the merchant', async () => {
  const { app } = createTestApp({}, { catalog: CATALOG });
  const body = (await (await app.request('/v1/config')).json()) as PublicConfig;
  assert.deepEqual(body.methods, METHODS);
  assert.deepEqual(body.merchant, { name: 'Toko Kasir' });
});

test('without methods, one default per enabled provider, labelled in en / id / uk, id = the provider', async () => {
  const { app } = createTestApp();
  const body = (await (await app.request('/v1/config')).json()) as PublicConfig;
  assert.deepEqual(body.methods?.map((m) => [m.id, m.provider, m.group]), [
    ['winpay', 'winpay', 'va'],
    ['faspay', 'faspay', 'va'],
    ['uapay', 'uapay', 'card'],
    ['amdigipay', 'amdigipay', 'qris'],
  ]);
  assert.equal(body.methods?.[0]?.label.en, 'Bank transfer / VA · QRIS · e-wallets — via Winpay');
  for (const m of body.methods ?? []) assert.ok(m.label.en && m.label.id && m.label.uk, m.id);
  // The sandbox's AMDigipay channel is QRIS (payment id 33): the default says so and carries it.
  assert.equal(body.methods?.[3]?.channel, '33');
  assert.equal(body.merchant, undefined);

  const only = createTestApp({ KASIR_SANDBOX: '0', WINPAY_KEY: 'k', WINPAY_SECRET: 's' });
  const single = (await (await only.app.request('/v1/config')).json()) as PublicConfig;
  assert.deepEqual(single.methods?.map((m) => m.id), ['winpay']);
});

test('a bad methods list stops the start with one line naming the entry and what is wrong', () => {
  const bad = (methods: unknown, extra: object = {}) => configError({ ...TEST_CATALOG, methods, ...extra });
  const m = METHODS[0]!;
  const PREFIX = 'KASIR_CATALOG must name a valid catalog (see README, "Catalog"): at ';
  assert.equal(bad([{ ...m, group: 'crypto' }]), `${PREFIX}methods.0.group, expected ("va" | "qris" | "ewallet" | "retail" | "card")`);
  assert.match(bad([{ ...m, label: { id: 'BCA' } }]), /at methods\.0\.label\.en, a required field is missing/);
  assert.match(bad([{ ...m, label: { en: 'BCA', fr: 'BCA' } }]), /at methods\.0\.label/);
  assert.match(bad([{ ...m, id: 'BCA VA' }]), /at methods\.0\.id, /);
  assert.match(bad([{ ...m, provider: 'stripe' }]), /at methods\.0\.provider, expected \("winpay" \| "faspay" \| "uapay" \| "amdigipay"\)/);
  assert.match(bad([m, { ...m, label: { en: 'Again' } }]), /at methods, has two methods with the same id/);
  assert.match(bad([{ ...m, logo: 'javascript:alert(1)' }]), /at methods\.0\.logo, must be an http\(s\) URL or a path starting with \//);
  assert.match(bad([{ ...m, logo: '//evil.example/x.svg' }]), /methods\.0\.logo/);
  assert.match(bad([{ ...m, channel: 'BCA' }]), /at methods\.0 \("bca_va"\), channel must be an AMDigipay payment id/);
  assert.match(bad([]), /at methods/);
  assert.match(bad(METHODS, { merchant: { name: '' } }), /at merchant\.name/);
  // Methods of providers not enabled here are left out (one catalog for sandbox and production)…
  const winpayOnly = loadConfig({ KASIR_CATALOG: 'c.json', WINPAY_KEY: 'k', WINPAY_SECRET: 's' }, () => JSON.stringify(CATALOG));
  assert.deepEqual(winpayOnly.methods?.map((x) => x.id), ['mandiri_va']);
  // …but a list that leaves nothing to offer is a mistake.
  assert.equal(
    configError({ ...TEST_CATALOG, methods: [m] }, { WINPAY_KEY: 'k', WINPAY_SECRET: 's' }),
    'KASIR_CATALOG must name a valid catalog (see README, "Catalog"): at methods, none of its providers is enabled (amdigipay)',
  );
  assert.equal(configError(CATALOG), 'ok');
});

test('POST with a method: the order keeps the method and its channel, and the view returns them', async () => {
  const { app } = createTestApp({}, { catalog: CATALOG });
  const res = await postCheckout(app, { method: 'mandiri_va', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN });
  assert.equal(res.status, 201);
  const view = (await res.json()) as CheckoutView;
  assert.equal(view.provider, 'winpay');
  assert.equal(view.method, 'mandiri_va');
  assert.equal(view.channel, 'MANDIRI');
  const again = (await (await app.request(`/v1/checkouts/${view.id}`)).json()) as CheckoutView;
  assert.equal(again.method, 'mandiri_va');
  assert.equal(again.channel, 'MANDIRI');

  // Method and provider together are fine when they agree.
  const both = await postCheckout(app, { method: 'card', provider: 'uapay', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN });
  assert.equal(both.status, 201);
  const card = (await both.json()) as CheckoutView;
  assert.equal(card.method, 'card');
  assert.equal(card.channel, undefined);
});

test('AMDigipay: the method’s channel is the payment id sent at create (a VA gets a pay code, QRIS a QR)', async () => {
  const { app, calls } = createTestApp({}, { catalog: CATALOG });
  const va = (await (await postCheckout(app, { method: 'bca_va', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN })).json()) as CheckoutView;
  const qris = (await (await postCheckout(app, { method: 'qris', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN })).json()) as CheckoutView;
  const sent = await Promise.all(calls.filter((r) => r.url.endsWith('/sandbox/amdigipay/payment/transaction')).map((r) => r.json() as Promise<{ payment_id: number }>));
  assert.deepEqual(sent.map((b) => b.payment_id), [22, 33]);
  assert.match(va.payCode ?? '', /^\d{16}$/);
  assert.equal(va.qrString, undefined);
  assert.ok(qris.qrString);
  assert.equal(qris.payCode, undefined);
  assert.equal(va.channel, '22');
});

test('a provider alone still works; it records the method when the provider has exactly one', async () => {
  const { app } = createTestApp({}, { catalog: CATALOG });
  const winpay = (await (await postCheckout(app, { provider: 'winpay', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN })).json()) as CheckoutView;
  assert.equal(winpay.method, 'mandiri_va');
  const amdigipay = (await (await postCheckout(app, { provider: 'amdigipay', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN })).json()) as CheckoutView;
  assert.equal(amdigipay.method, undefined, 'two AMDigipay methods: which one is unknown');

  const defaults = createTestApp();
  const view = (await (await postCheckout(defaults.app, { method: 'faspay', items: ITEMS, customer: CUSTOMER, returnUrl: RETURN })).json()) as CheckoutView;
  assert.equal(view.provider, 'faspay');
  assert.equal(view.method, 'faspay');
});

test('stable 400 codes: unknown method, method of another provider, neither, a malformed method', async () => {
  const { app } = createTestApp({}, { catalog: CATALOG });
  const errorOf = async (body: object) => {
    const res = await postCheckout(app, { items: ITEMS, customer: CUSTOMER, returnUrl: RETURN, ...body });
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.doesNotMatch(text, /gopay|<b>/, 'the submitted value is never echoed');
    return (JSON.parse(text) as { error: { code: string; field?: string } }).error;
  };
  assert.deepEqual(await errorOf({ method: 'gopay' }), { code: 'method_unknown', message: 'This payment method is not offered.', field: 'method' });
  assert.equal((await errorOf({ method: 'card', provider: 'winpay' })).code, 'method_provider_mismatch');
  assert.equal((await errorOf({})).code, 'method_required');
  assert.equal((await errorOf({ method: '<b>' })).code, 'method_invalid');
  // A method of a provider the proxy does not run is refused like an unknown one.
  assert.equal((await errorOf({ method: 'winpay' })).code, 'method_unknown');
});
