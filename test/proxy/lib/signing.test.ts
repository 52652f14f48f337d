import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hmacSha256Hex, md5Hex, randomId, sha1Hex, sha256Hex, timingSafeEqual } from '../../../proxy/lib/signing';

test('hash helpers give lowercase hex of the known digests', () => {
  assert.equal(md5Hex(''), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(sha1Hex('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // RFC 4231 test case 2
  assert.equal(hmacSha256Hex('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('timingSafeEqual compares whole strings', () => {
  assert.equal(timingSafeEqual('abc', 'abc'), true);
  assert.equal(timingSafeEqual('abc', 'abd'), false);
  assert.equal(timingSafeEqual('abc', 'abcd'), false);
  assert.equal(timingSafeEqual('', 'a'), false);
  assert.equal(timingSafeEqual('', ''), true);
});

test('randomId is prefixed, base62 and does not repeat, across many refills of its random pool', () => {
  const ids = new Set(Array.from({ length: 5000 }, () => randomId('ord_')));
  assert.equal(ids.size, 5000);
  for (const id of ids) assert.match(id, /^ord_[0-9A-Za-z]{22}$/);
});
