// The addresses a provider's create reply sends the shopper to: https only (http only for the
// sandbox's own simulators), checked once for every provider.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSafePaymentUrl, withCheckedPayments } from '../../../proxy/lib/payment-urls';
import type { Provider, ProviderContext } from '../../../proxy/providers/types';
import { assertProviderFailures, CUSTOMER, errorCode, SHOP, testOrder } from '../helpers';

const LIVE = { sandbox: false, publicUrl: 'https://pay.shop.test' };
const SANDBOX = { sandbox: true, publicUrl: 'http://kasir.test' };

test('https passes; http, other schemes and junk are refused outside the sandbox', () => {
  assert.equal(isSafePaymentUrl('https://checkout.provider.test/pay/1', LIVE), true);
  for (const url of [
    'http://checkout.provider.test/pay/1',
    'http://127.0.0.1:8787/sandbox/winpay/pay/1',
    'http://localhost/pay',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://provider.test/',
    '//provider.test/pay',
    '/pay/1',
    'not a url',
  ]) {
    assert.equal(isSafePaymentUrl(url, LIVE), false, url);
  }
});

test('in the sandbox, http is allowed on loopback and at the proxy’s own public URL only', () => {
  for (const url of ['http://127.0.0.1:8787/sandbox/winpay/pay/1', 'http://localhost:22000/x', 'http://[::1]:8787/x', 'http://kasir.test/sandbox/uapay/i/1']) {
    assert.equal(isSafePaymentUrl(url, SANDBOX), true, url);
  }
  for (const url of ['http://evil.test/pay', 'http://kasir.test.evil.test/pay', 'http://localhost.evil.test/', 'http://10.0.0.1/pay', 'javascript:alert(1)']) {
    assert.equal(isSafePaymentUrl(url, SANDBOX), false, url);
  }
});

test('a create reply whose paymentUrl or qrUrl is not https is refused as provider_bad_response', async () => {
  const env = { KASIR_SANDBOX: '0', WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'https://winpay.stub' };
  const winpayReply = (redirect_url: string) => async (request: Request | string | URL) => {
    const body = await (request as Request).json();
    return Response.json({ responseCode: '2010300', responseData: { id: 'i', ref: body.invoice.ref, redirect_url } }, { status: 201 });
  };
  const checkout = { provider: 'winpay', items: [{ sku: 'mug', qty: 1 }], customer: CUSTOMER, returnUrl: `${SHOP}/` };
  await assertProviderFailures(env, checkout, /evil|alert/, [
    ['http', winpayReply('http://evil.test/pay'), 502, 'provider_bad_response'],
    ['javascript', winpayReply('javascript:alert(1)'), 502, 'provider_bad_response'],
    ['relative', winpayReply('/pay/1'), 502, 'provider_bad_response'],
  ]);
});

test('every provider is wrapped: a found payment (findPayment) and a qrUrl are checked too', async () => {
  const payment = { providerRef: 'r', paymentUrl: 'https://p.test/1', expiresAt: '2030-01-01T00:00:00Z' };
  const stub = {
    id: 'uapay',
    name: 'Stub',
    createPayment: async () => ({ ...payment, qrUrl: 'http://evil.test/qr.svg' }),
    findPayment: async () => ({ ...payment, paymentUrl: 'http://evil.test/' }),
  } as unknown as Provider;
  const [checked] = withCheckedPayments(new Map([['uapay', stub]]), LIVE).values();
  assert.equal(checked!.name, 'Stub');
  assert.equal(await errorCode(checked!.createPayment(testOrder('uapay'), {} as ProviderContext)), '502 provider_bad_response');
  assert.equal(await errorCode(checked!.findPayment(payment, {} as ProviderContext)), '502 provider_bad_response');
  const fine = { ...stub, createPayment: async () => payment, findPayment: async () => undefined } as unknown as Provider;
  const [ok] = withCheckedPayments(new Map([['uapay', fine]]), LIVE).values();
  assert.deepEqual(await ok!.createPayment(testOrder('uapay'), {} as ProviderContext), payment);
  assert.equal(await ok!.findPayment(payment, {} as ProviderContext), undefined);
});
