// Standard Webhooks signing (proxy/lib/standard-webhooks.ts) and kasir/verify (proxy/verify.ts),
// checked against node:crypto and against the official `standardwebhooks` library.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { standardWebhookHeaders, webhookKey } from '../../../proxy/lib/standard-webhooks';
import { verifyWebhook, WebhookVerificationError } from '../../../proxy/verify';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const KEY = webhookKey(SECRET)!;
const T = 1_736_910_000;
const NOW = new Date(T * 1000);
const BODY = JSON.stringify({ id: 'evt_0123', type: 'order.paid', created: T, data: { id: 'ord_1', status: 'paid', amount: 45000 } });
const headers = (body = BODY, at = T, key = KEY) => standardWebhookHeaders(key, 'evt_0123', at, body);
const refused = (code: string) => (err: unknown) => err instanceof WebhookVerificationError && err.code === code;

test('webhook-signature is v1,<base64 HMAC-SHA256 of "id.timestamp.body"> under the whsec_ key bytes', () => {
  const raw = randomBytes(32);
  const h = standardWebhookHeaders(webhookKey(`whsec_${raw.toString('base64')}`)!, 'evt_x', T, BODY);
  const expected = createHmac('sha256', raw).update(`evt_x.${T}.${BODY}`).digest('base64');
  assert.deepEqual(h, { 'webhook-id': 'evt_x', 'webhook-timestamp': String(T), 'webhook-signature': `v1,${expected}` });
});

test('KASIR_WEBHOOK_SECRET: whsec_ of 24–64 bytes, or a plain secret whose UTF-8 bytes are the key', () => {
  assert.equal(webhookKey(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)!.length, 24);
  assert.equal(webhookKey(`whsec_${Buffer.alloc(64, 7).toString('base64').replace(/=+$/, '')}`)!.length, 64);
  for (const bad of ['whsec_', `whsec_${Buffer.alloc(23).toString('base64')}`, `whsec_${Buffer.alloc(65).toString('base64')}`, 'whsec_not base64!', 'whsec_abcde', '']) {
    assert.equal(webhookKey(bad), undefined, bad);
  }
  const plain = 'an-older-plain-secret-0123456789abcdef';
  assert.deepEqual(webhookKey(plain), new TextEncoder().encode(plain));
  // …which the official libraries take as whsec_ + base64 of it.
  const official = new Webhook(`whsec_${Buffer.from(plain).toString('base64')}`);
  assert.ok(official.verify(BODY, standardWebhookHeaders(webhookKey(plain)!, 'evt_0123', Math.floor(Date.now() / 1000), BODY)));
});

test('the official standardwebhooks library signs exactly as we do, and verifies what we sign', () => {
  const official = new Webhook(SECRET);
  assert.equal(official.sign('evt_0123', NOW, BODY), headers()['webhook-signature']);
  const fresh = Math.floor(Date.now() / 1000);
  assert.deepEqual(official.verify(BODY, headers(BODY, fresh)), JSON.parse(BODY));
  assert.throws(() => official.verify(BODY.replace('45000', '1'), headers(BODY, fresh)));
});

test('verifyWebhook returns the event for a genuine delivery, from fetch Headers, a Node headers object or bytes', () => {
  assert.deepEqual(verifyWebhook(BODY, headers(), SECRET, { now: NOW }), JSON.parse(BODY));
  assert.equal(verifyWebhook(BODY, new Headers(headers()), SECRET, { now: NOW }).id, 'evt_0123');
  const nodeStyle = Object.fromEntries(Object.entries(headers()).map(([k, v]) => [k.toUpperCase(), v]));
  assert.equal(verifyWebhook(new TextEncoder().encode(BODY), nodeStyle, SECRET, { now: NOW }).type, 'order.paid');
});

test('verifyWebhook refuses a changed body, id or timestamp, another secret, a stale time and malformed headers', () => {
  const h = headers();
  assert.throws(() => verifyWebhook(BODY.replace('45000', '45001'), h, SECRET, { now: NOW }), refused('webhook_signature_mismatch'));
  assert.throws(() => verifyWebhook(`${BODY} `, h, SECRET, { now: NOW }), refused('webhook_signature_mismatch'));
  assert.throws(() => verifyWebhook(BODY, { ...h, 'webhook-id': 'evt_other' }, SECRET, { now: NOW }), refused('webhook_signature_mismatch'));
  // Re-dating a captured delivery needs the secret.
  assert.throws(() => verifyWebhook(BODY, { ...h, 'webhook-timestamp': String(T + 1) }, SECRET, { now: NOW }), refused('webhook_signature_mismatch'));
  assert.throws(() => verifyWebhook(BODY, h, `whsec_${randomBytes(32).toString('base64')}`, { now: NOW }), refused('webhook_signature_mismatch'));
  assert.throws(() => verifyWebhook(BODY, h, 'whsec_short', { now: NOW }), refused('webhook_secret_invalid'));

  assert.ok(verifyWebhook(BODY, h, SECRET, { now: new Date((T + 300) * 1000) }));
  assert.throws(() => verifyWebhook(BODY, h, SECRET, { now: new Date((T + 301) * 1000) }), refused('webhook_timestamp_stale'));
  assert.throws(() => verifyWebhook(BODY, h, SECRET, { now: new Date((T - 301) * 1000) }), refused('webhook_timestamp_stale'));
  assert.throws(() => verifyWebhook(BODY, h, SECRET, { now: new Date((T + 61) * 1000), toleranceSeconds: 60 }), refused('webhook_timestamp_stale'));
  assert.throws(() => verifyWebhook(BODY, h, SECRET), refused('webhook_timestamp_stale'));

  const sig = h['webhook-signature']!;
  for (const broken of [{}, { ...h, 'webhook-id': '' }, { ...h, 'webhook-timestamp': 'abc' }, { ...h, 'webhook-signature': sig.replace('v1,', 'v2,') }, { ...h, 'webhook-signature': '' }]) {
    assert.throws(() => verifyWebhook(BODY, broken, SECRET, { now: NOW }), refused('webhook_headers_invalid'), JSON.stringify(broken));
  }
  // A secret being rotated: several signatures, one match is enough; other versions are ignored.
  assert.ok(verifyWebhook(BODY, { ...h, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} v2,x ${sig}` }, SECRET, { now: NOW }));
});
