import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signJwt, verifyJwt } from '../../../proxy/lib/jwt';
import { hmacSha256 } from '../../../proxy/lib/signing';

const VECTOR =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJwYXJhbXMiOnsiY2xpZW50SWQiOiIxIn0sImlhdCI6MTcwMDAwMDAwMH0.eEfaVZ7sRxZ-oxj6dJWWtj2K-2wBt7FML6RohKQMdRg';

const b64url = (text: string) => Buffer.from(text).toString('base64url');

test('signJwt reproduces the HS256 vector in docs/providers/uapay.md', () => {
  assert.equal(signJwt({ params: { clientId: '1' }, iat: 1700000000 }, 'test-secret'), VECTOR);
});

test('verifyJwt returns the vector payload for the right key only', () => {
  assert.deepEqual(verifyJwt(VECTOR, 'test-secret'), { params: { clientId: '1' }, iat: 1700000000 });
  assert.equal(verifyJwt(VECTOR, 'test-secret '), undefined);
  assert.equal(verifyJwt(VECTOR, ''), undefined);
});

test('the key is the secret’s literal UTF-8 string, not its base64 decoding', () => {
  // "dGVzdA==" is base64 for "test": a library that decodes the key would sign with "test".
  const token = signJwt({ a: 1 }, 'dGVzdA==');
  const [h, p, s] = token.split('.');
  assert.equal(s, Buffer.from(hmacSha256('dGVzdA==', `${h}.${p}`)).toString('base64url'));
  assert.notEqual(s, Buffer.from(hmacSha256('test', `${h}.${p}`)).toString('base64url'));
});

test('non-ASCII payloads round-trip as UTF-8', () => {
  const payload = { description: 'Оплата замовлення №7', amount: 39900 };
  const token = signJwt(payload, 'секрет');
  assert.equal(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).description, 'Оплата замовлення №7');
  assert.deepEqual(verifyJwt(token, 'секрет'), payload);
});

test('verifyJwt refuses a tampered payload or signature', () => {
  const [h, , s] = VECTOR.split('.');
  assert.equal(verifyJwt(`${h}.${b64url('{"params":{"clientId":"2"},"iat":1700000000}')}.${s}`, 'test-secret'), undefined);
  assert.equal(verifyJwt(`${VECTOR.slice(0, -1)}A`, 'test-secret'), undefined);
  assert.equal(verifyJwt(VECTOR.split('.').slice(0, 2).join('.') + '.', 'test-secret'), undefined);
});

test('verifyJwt refuses any algorithm but HS256, even with a valid HMAC', () => {
  for (const alg of ['none', 'HS512', 'RS256', 'hs256']) {
    const signingInput = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url('{"a":1}')}`;
    const sig = Buffer.from(hmacSha256('k', signingInput)).toString('base64url');
    assert.equal(verifyJwt(`${signingInput}.${sig}`, 'k'), undefined, alg);
    assert.equal(verifyJwt(`${signingInput}.`, 'k'), undefined, alg);
  }
});

test('verifyJwt refuses malformed tokens', () => {
  for (const token of ['', 'a.b', 'a.b.c.d', VECTOR.replace('.', '.!'), `${b64url('not json')}.${b64url('{}')}.x`]) {
    assert.equal(verifyJwt(token, 'test-secret'), undefined, token);
  }
});
