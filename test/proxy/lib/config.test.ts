import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../../proxy/lib/config';

const CATALOG = JSON.stringify({ items: [{ sku: 'a', name: 'A', price: { IDR: 1000 } }] });
const load = (env: Record<string, string>, catalog = CATALOG) => loadConfig({ KASIR_CATALOG: 'c.json', ...env }, () => catalog);
const failure = (env: Record<string, string>, catalog?: string) => {
  try {
    load(env, catalog);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  }
  assert.fail('expected a ConfigError');
};

test('defaults: port 8787, memory store, no sandbox, no providers without credentials', () => {
  const config = load({});
  assert.equal(config.port, 8787);
  assert.equal(config.store, 'memory');
  assert.equal(config.sandbox, false);
  assert.deepEqual(config.providers, {});
  assert.equal(config.publicUrl, 'http://127.0.0.1:8787');
  assert.equal(config.providerTimeoutMs, 8000);
});

test('a provider with credentials is enabled at its default sandbox host', () => {
  const config = load({ WINPAY_KEY: 'k', WINPAY_SECRET: 's' });
  assert.deepEqual(config.providers.winpay, { key: 'k', secret: 's', baseUrl: 'https://sandbox-checkout.winpay.id', sandbox: false });
});

test('sandbox mode points providers without credentials at the simulators', () => {
  const config = load({ KASIR_SANDBOX: '1', KASIR_PUBLIC_URL: 'https://pay.example/', WINPAY_KEY: 'k', WINPAY_SECRET: 's' });
  assert.equal(config.providers.winpay?.sandbox, false);
  assert.equal(config.providers.faspay?.baseUrl, 'https://pay.example/sandbox/faspay');
  assert.equal(config.providers.faspay?.sandbox, true);
});

test('each bad variable stops the start with one line naming it', () => {
  assert.match(failure({ PORT: 'eighty' }), /^PORT /);
  assert.match(failure({ PORT: '70000' }), /^PORT /);
  assert.equal(load({ PORT: '0' }).port, 0, 'PORT=0 takes any free port (tests)');
  assert.match(failure({ KASIR_PUBLIC_URL: 'not a url' }), /^KASIR_PUBLIC_URL /);
  assert.match(failure({ KASIR_ALLOWED_ORIGINS: 'https://shop.example/path' }), /^KASIR_ALLOWED_ORIGINS /);
  assert.match(failure({ KASIR_RETURN_URLS: 'http://shop.example/' }), /^KASIR_RETURN_URLS .*https/);
  assert.match(failure({ KASIR_STORE: 'mongo://x' }), /^KASIR_STORE /);
  assert.match(failure({ KASIR_SANDBOX: 'yes' }), /^KASIR_SANDBOX /);
  assert.match(failure({ WINPAY_KEY: 'k' }), /^WINPAY_SECRET is required/);
  assert.match(failure({ WINPAY_KEY: 'k', WINPAY_SECRET: 's', WINPAY_BASE_URL: 'ftp://x' }), /^WINPAY_BASE_URL /);
  assert.match(failure({ KASIR_WEBHOOK_URL: 'https://m.example/hook' }), /^KASIR_WEBHOOK_SECRET /);
  assert.match(failure({ KASIR_CART_SECRET: 'short' }), /^KASIR_CART_SECRET /);
});

test('a missing or bad catalog names KASIR_CATALOG', () => {
  assert.match(String((() => { try { loadConfig({}, () => CATALOG); } catch (e) { return (e as Error).message; } })()), /^KASIR_CATALOG /);
  assert.match(failure({}, '{'), /^KASIR_CATALOG .*valid JSON/);
  assert.match(failure({}, JSON.stringify({ items: [{ sku: 'a', name: 'A', price: { IDR: 10.5 } }] })), /^KASIR_CATALOG .*items\.0\.price\.IDR/);
  assert.match(failure({}, JSON.stringify({ items: [{ sku: 'a', name: 'A', price: {} }, { sku: 'a', name: 'B', price: {} }] })), /^KASIR_CATALOG .*duplicate/);
});

test('secrets never appear in a configuration error', () => {
  const message = failure({ WINPAY_KEY: 'super-secret-key-value', WINPAY_SECRET: 'super-secret-secret', WINPAY_BASE_URL: 'nope' });
  assert.doesNotMatch(message, /super-secret/);
});

test('a missing KASIR_CATALOG says what to set it to, in plain words', () => {
  let message = '';
  try {
    loadConfig({}, () => CATALOG);
  } catch (err) {
    message = (err as Error).message;
  }
  assert.equal(message, 'KASIR_CATALOG must be set to the path to your catalog JSON file');
});

test('every configuration error is one plain sentence: the variable, then what it expects, no validator jargon', () => {
  const bad: Record<string, string>[] = [
    { PORT: 'eighty' },
    { PORT: '65536' },
    { KASIR_PUBLIC_URL: 'ftp://x' },
    { KASIR_ALLOWED_ORIGINS: 'shop.example' },
    { KASIR_RETURN_URLS: 'http://shop.example/' },
    { KASIR_CART_SECRET: 'short' },
    { KASIR_WEBHOOK_URL: 'x', KASIR_WEBHOOK_SECRET: 'y'.repeat(40) },
    { KASIR_STORE: 'mongo://x' },
    { KASIR_SANDBOX: 'yes' },
    { KASIR_PROVIDER_TIMEOUT_MS: '5' },
    { KASIR_PAYMENT_TTL_MINUTES: 'soon' },
    { KASIR_RATE_LIMIT: '-1' },
  ];
  for (const env of bad) {
    const name = Object.keys(env)[0]!;
    const message = failure(env);
    assert.match(message, new RegExp(`^${name} must be [a-z0-9]`), message);
    assert.doesNotMatch(message, /Invalid|Expected|received|undefined/, message);
  }
  const catalogIssue = failure({}, JSON.stringify({ items: [{ sku: 'a', name: 'A', price: { IDR: 10.5 } }] }));
  assert.doesNotMatch(catalogIssue, /Invalid|received/, catalogIssue);
});
