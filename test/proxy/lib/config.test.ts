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

test('sandbox mode points every provider at its simulator', () => {
  const config = load({ KASIR_SANDBOX: '1', KASIR_PUBLIC_URL: 'https://pay.example/' });
  assert.equal(config.providers.faspay?.baseUrl, 'https://pay.example/sandbox/faspay');
  assert.deepEqual(Object.values(config.providers).map((p) => p.sandbox), [true, true, true, true]);
});

test('KASIR_SANDBOX=1 refuses to start next to any real provider credential, naming the variables, never their values', () => {
  for (const [name, value] of Object.entries({
    WINPAY_KEY: 'k', WINPAY_SECRET: 's', FASPAY_USERNAME: 'u', FASPAY_PASSWORD: 'p', FASPAY_SERVICE_ID: '6',
    UAPAY_CLIENT_ID: 'c', UAPAY_SECRET: 's', AMDIGIPAY_USERNAME: 'u', AMDIGIPAY_PASSWORD: 'p', AMDIGIPAY_PAYMENT_ID: '33',
  })) {
    assert.equal(failure({ KASIR_SANDBOX: '1', [name]: value }), `KASIR_SANDBOX=1 refuses to run with real provider credentials (${name}): unset them, or set KASIR_SANDBOX=0`);
  }
  const message = failure({ KASIR_SANDBOX: '1', UAPAY_CLIENT_ID: 'client-77', UAPAY_SECRET: 'very-secret-value', WINPAY_KEY: 'key-88', WINPAY_SECRET: 'x' });
  assert.match(message, /\(WINPAY_KEY, WINPAY_SECRET, UAPAY_CLIENT_ID, UAPAY_SECRET\)/);
  assert.doesNotMatch(message, /client-77|very-secret|key-88/);
  // Base URLs are not credentials; KASIR_SANDBOX=0 with credentials is the normal live setup.
  assert.equal(load({ KASIR_SANDBOX: '1', WINPAY_BASE_URL: 'https://winpay.example' }).providers.winpay?.sandbox, true);
  assert.equal(load({ KASIR_SANDBOX: '0', WINPAY_KEY: 'k', WINPAY_SECRET: 's' }).providers.winpay?.sandbox, false);
});

test('KASIR_WEBHOOK_SECRET: whsec_<base64 of 24–64 bytes>, or an older plain secret of 32+ characters', () => {
  const hook = { KASIR_WEBHOOK_URL: 'https://m.example/hook' };
  const whsec = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
  assert.equal(load({ ...hook, KASIR_WEBHOOK_SECRET: whsec }).webhookSecret, whsec);
  assert.equal(load({ ...hook, KASIR_WEBHOOK_SECRET: 'p'.repeat(32) }).webhookSecret, 'p'.repeat(32));
  for (const bad of ['p'.repeat(31), 'whsec_', `whsec_${Buffer.alloc(16).toString('base64')}`, 'whsec_!!not-base64!!-0123456789abcdefghij']) {
    assert.match(failure({ ...hook, KASIR_WEBHOOK_SECRET: bad }), /^KASIR_WEBHOOK_SECRET must be whsec_/);
  }
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
