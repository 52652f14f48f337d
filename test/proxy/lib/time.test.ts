import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jakartaDateTime, jakartaTimestamp, kyivDateTime, parseJakartaDateTime, parseKyivDateTime } from '../../../proxy/lib/time';

test('jakartaTimestamp is the UTC+7 wall clock with a +07:00 offset', () => {
  assert.equal(jakartaTimestamp(new Date('2023-09-05T02:52:53Z')), '2023-09-05T09:52:53+07:00');
  assert.equal(jakartaTimestamp(new Date('2024-01-01T00:00:00Z')), '2024-01-01T07:00:00+07:00');
});

test('jakartaTimestamp around midnight UTC and Jakarta midnight rolls the date correctly', () => {
  assert.equal(jakartaTimestamp(new Date('2024-03-31T23:59:59Z')), '2024-04-01T06:59:59+07:00');
  assert.equal(jakartaTimestamp(new Date('2024-02-28T16:59:59Z')), '2024-02-28T23:59:59+07:00');
  assert.equal(jakartaTimestamp(new Date('2024-02-28T17:00:00Z')), '2024-02-29T00:00:00+07:00');
  assert.equal(jakartaTimestamp(new Date('2023-12-31T17:00:00Z')), '2024-01-01T00:00:00+07:00');
});

test('jakartaTimestamp drops milliseconds instead of rounding them', () => {
  assert.equal(jakartaTimestamp(new Date('2024-05-05T05:05:05.999Z')), '2024-05-05T12:05:05+07:00');
});

test('jakartaDateTime and parseJakartaDateTime round-trip', () => {
  const at = new Date('2022-04-11T04:41:45Z');
  assert.equal(jakartaDateTime(at), '2022-04-11 11:41:45');
  assert.equal(parseJakartaDateTime('2022-04-11 11:41:45')?.toISOString(), '2022-04-11T04:41:45.000Z');
  assert.equal(parseJakartaDateTime('2023-09-05T09:52:53+07:00')?.toISOString(), '2023-09-05T02:52:53.000Z');
});

test('parseJakartaDateTime refuses other offsets and impossible dates', () => {
  assert.equal(parseJakartaDateTime('2023-09-05T09:52:53Z'), undefined);
  assert.equal(parseJakartaDateTime('2023-09-05T09:52:53+00:00'), undefined);
  assert.equal(parseJakartaDateTime('2023-02-30 10:00:00'), undefined);
  assert.equal(parseJakartaDateTime('yesterday'), undefined);
});

test('parseKyivDateTime reads Kyiv wall-clock time in winter (UTC+2) and summer (UTC+3), and refuses junk', () => {
  assert.equal(parseKyivDateTime('2026-01-15 12:00:00')?.toISOString(), '2026-01-15T10:00:00.000Z');
  assert.equal(parseKyivDateTime('2026-07-15 12:00:00')?.toISOString(), '2026-07-15T09:00:00.000Z');
  for (const at of ['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-10-25T02:30:00.000Z', '2026-11-30T11:00:00.000Z']) {
    assert.equal(parseKyivDateTime(kyivDateTime(new Date(at)))?.toISOString(), at);
  }
  assert.equal(parseKyivDateTime('2026-13-01 00:00:00'), undefined);
  assert.equal(parseKyivDateTime('soon'), undefined);
});
