// The simulators' hosted pay pages, as a shopper's browser gets them: they keep their opener
// (Cross-Origin-Opener-Policy: unsafe-none, TOOLCHAIN pitfall 15), are never cached, speak the
// order's language (or ?lang=), lead back to the shop where the provider's API takes a return URL,
// and keep the hooks tests use (a <button name="…"> per outcome in a form posting to <page>/<outcome>).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckoutView, ProviderId } from '../../../proxy/lib/contract';
import { createTestApp, CUSTOMER, postCheckout, SHOP, TEST_CATALOG } from '../helpers';

const PROVIDERS: { id: ProviderId; actions: string[]; back: boolean }[] = [
  { id: 'winpay', actions: ['pay', 'cancel', 'expire'], back: true },
  { id: 'faspay', actions: ['pay', 'cancel', 'expire'], back: false },
  { id: 'uapay', actions: ['pay', 'cancel', 'fail'], back: true },
  { id: 'amdigipay', actions: ['pay', 'cancel', 'expire'], back: false },
];

async function checkout(provider: ProviderId, locale: 'en' | 'id' | 'uk', catalog: object = { ...TEST_CATALOG, merchant: { name: 'Toko Kasir' } }) {
  const { app } = createTestApp({}, { catalog });
  const res = await postCheckout(app, { provider, items: [{ sku: 'tee-m', qty: 2 }], customer: CUSTOMER, returnUrl: `${SHOP}/checkout`, locale });
  assert.equal(res.status, 201);
  return { app, view: (await res.json()) as CheckoutView };
}

for (const { id, actions, back } of PROVIDERS) {
  test(`${id}: the pay page keeps its opener, is not cached, has no script, and keeps the outcome hooks`, async () => {
    const { app, view } = await checkout(id, 'en');
    const res = await app.request(view.paymentUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cross-Origin-Opener-Policy'), 'unsafe-none');
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const page = await res.text();
    assert.doesNotMatch(page, /<script/i);
    assert.match(page, /<html lang="en">/);
    assert.match(page, /Toko Kasir/);
    for (const action of actions) {
      assert.match(page, new RegExp(`<form method="post" action="${view.paymentUrl.replace(/[?.]/g, '\\$&')}/${action}"><button type="submit" name="${action}">`));
    }
    // The redirect after an outcome keeps the opener too, and is not cached.
    const posted = await app.request(`${view.paymentUrl}/cancel`, { method: 'POST' });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('Cross-Origin-Opener-Policy'), 'unsafe-none');
    assert.equal(posted.headers.get('Cache-Control'), 'no-store');
  });

  test(`${id}: the pay page speaks the order's language, ?lang= overrides it, and links back only where the provider allows`, async () => {
    const { app, view } = await checkout(id, 'id');
    const indonesian = await (await app.request(view.paymentUrl)).text();
    assert.match(indonesian, /<html lang="id">/);
    assert.match(indonesian, id === 'uapay' ? /name="pay">Bayar ₴798,00/ : /name="pay">Bayar Rp 300.000/);
    const ukrainian = await (await app.request(`${view.paymentUrl}?lang=uk`)).text();
    assert.match(ukrainian, /<html lang="uk">/);
    assert.match(ukrainian, /name="pay">Сплатити /);
    assert.match(ukrainian, /Скасувати/);
    const link = /<a class="back" href="([^"]+)">/.exec(indonesian)?.[1];
    if (back) {
      assert.ok(link?.startsWith(`${SHOP}/checkout?kasir_order=${view.id}`), link);
      assert.match(indonesian, /Kembali ke toko/);
    } else {
      assert.equal(link, undefined, 'the provider knows no return URL');
    }
  });
}

test('the API keeps its own secure headers: COOP same-origin, and the config is cacheable', async () => {
  const { app } = createTestApp();
  const res = await app.request('/v1/config');
  assert.equal(res.headers.get('Cross-Origin-Opener-Policy'), 'same-origin');
  assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff');
});

test('AMDigipay VA page: the bank channel and the pay code in groups of four that never break mid-group', async () => {
  const { app, view } = await checkout('amdigipay', 'en', {
    ...TEST_CATALOG,
    methods: [{ id: 'bca_va', provider: 'amdigipay', channel: '22', group: 'va', label: { en: 'BCA Virtual Account' } }],
  });
  const page = await (await app.request(view.paymentUrl)).text();
  assert.match(page, /<dd data-method>VA BCA<\/dd>/);
  const code = view.payCode!;
  const groups = code.match(/\d{1,4}/g)!.map((g) => `<span>${g}</span>`).join(' ');
  assert.ok(page.includes(`data-payment-code="${code}">${groups}</p>`), 'grouped pay code');
  assert.match(page, /Pay before \d{1,2} \w{3}, \d{2}:\d{2} WIB/);
  // Without a merchant in the catalog the page still names someone to pay.
  assert.match(page, /Kasir sandbox merchant/);
});

test('a paid page says so in the shopper’s language and offers no buttons', async () => {
  const { app, view } = await checkout('winpay', 'uk');
  await app.request(`${view.paymentUrl}/pay`, { method: 'POST' });
  const page = await (await app.request(view.paymentUrl)).text();
  assert.match(page, /data-state="paid">Оплачено\./);
  assert.doesNotMatch(page, /<button/);
});
