import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReturnUrl, isAllowedReturnUrl } from '../../../proxy/lib/return-url';

const PREFIXES = ['https://shop.example/checkout/', 'http://localhost:5173/'];

test('URLs under an allowed prefix pass, with kasir_order added to the query', () => {
  assert.equal(isAllowedReturnUrl('https://shop.example/checkout/thanks?x=1#top', PREFIXES), true);
  assert.equal(isAllowedReturnUrl('http://localhost:5173/', PREFIXES), true);
  assert.equal(
    buildReturnUrl('https://shop.example/checkout/thanks?x=1', PREFIXES, 'ord_1'),
    'https://shop.example/checkout/thanks?x=1&kasir_order=ord_1',
  );
  assert.equal(buildReturnUrl('https://shop.example/checkout/?kasir_order=forged', PREFIXES, 'ord_2'), 'https://shop.example/checkout/?kasir_order=ord_2');
});

test('open-redirect tricks are refused', () => {
  for (const trick of [
    '//evil.example/checkout/',
    'https://shop.example@evil.example/checkout/',
    'https://user:pass@shop.example/checkout/',
    'https://shop.example.evil.example/checkout/',
    'https://evil.example/https://shop.example/checkout/',
    'https://shop.example/checkout/..%2F..%2F',
    'https://shop.example/other/',
    'https://shop.example/checkout', // above the prefix
    'javascript:alert(1)//https://shop.example/checkout/',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://shop.example\\@evil.example/checkout/',
    'https:\\\\evil.example/checkout/',
    'https://shop.example/checkout/\\..\\..\\evil',
    'http://shop.example/checkout/', // scheme downgrade
    'https://shop.example:8443/checkout/', // another port is another origin
    'https://xn--shp-5qa.example/checkout/', // look-alike host (punycode)
    'https://shöp.example/checkout/',
    'https://shop.example./checkout/',
    ' https://shop.example/checkout/',
    'https://shop.example/checkout/\nLocation: https://evil.example',
    'http://localhost.evil.example:5173/',
    '/checkout/thanks',
    '',
  ]) {
    assert.equal(isAllowedReturnUrl(trick, PREFIXES), false, trick);
  }
});

test('a path-traversal spelling cannot climb out of the prefix once normalised', () => {
  assert.equal(isAllowedReturnUrl('https://shop.example/checkout/../admin', PREFIXES), false);
  assert.equal(isAllowedReturnUrl('https://shop.example/checkout/%2e%2e/admin', PREFIXES), false);
});

test('buildReturnUrl explains a missing or refused URL with stable codes', () => {
  assert.throws(() => buildReturnUrl(undefined, PREFIXES, 'o'), { code: 'return_url_required' });
  assert.throws(() => buildReturnUrl('https://evil.example/', PREFIXES, 'o'), { code: 'return_url_not_allowed' });
});

test('a prefix matches at a path-segment boundary: /pay allows /pay and /pay/…, never /payday', () => {
  const prefixes = ['https://shop.test/pay', 'https://shop.test/checkout/'];
  assert.equal(isAllowedReturnUrl('https://shop.test/pay', prefixes), true);
  assert.equal(isAllowedReturnUrl('https://shop.test/pay?x=1', prefixes), true);
  assert.equal(isAllowedReturnUrl('https://shop.test/pay/done', prefixes), true);
  assert.equal(isAllowedReturnUrl('https://shop.test/payday', prefixes), false);
  assert.equal(isAllowedReturnUrl('https://shop.test/pay.html', prefixes), false);
  assert.equal(isAllowedReturnUrl('https://shop.test/checkout/thanks', prefixes), true);
  assert.equal(isAllowedReturnUrl('https://shop.test/checkoutx', prefixes), false);
});
