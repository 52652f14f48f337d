// The providers' documented samples (test/fixtures/providers) and the one comparison the fixture
// tests make of a simulator's output with them: same keys, same JSON types, same date formats.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** A documented sample, as parsed JSON (its shape is what the tests check). */
export function fixture(provider: string, name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/providers/${provider}/${name}.json`, import.meta.url), 'utf8'));
}

const DATE_FORMATS: [string, RegExp][] = [
  ['YYYY-MM-DD hh:mm:ss', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/],
  ['ISO 8601 +07:00', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/],
  ['ISO 8601 UTC, microseconds', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/],
  ['ISO 8601 UTC, milliseconds', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/],
];
const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const dateFormat = (value: unknown) => (typeof value === 'string' ? DATE_FORMATS.find(([, re]) => re.test(value))?.[0] : undefined);

/**
 * Fails unless `actual` has the documented sample's shape: every key and no other, each value of the
 * same JSON type (an array's items each shaped like the sample's first), dates in the same format.
 */
export function assertSameShape(actual: unknown, documented: unknown, path = '$'): void {
  assert.equal(kind(actual), kind(documented), `${path}: ${kind(actual)} where the docs have ${kind(documented)}`);
  assert.equal(dateFormat(actual), dateFormat(documented), `${path}: date format`);
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length > 0) actual.forEach((item, i) => assertSameShape(item, documented[0], `${path}[${i}]`));
  } else if (kind(documented) === 'object') {
    const a = actual as Record<string, unknown>;
    const d = documented as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(d).sort(), `${path}: keys`);
    for (const key of Object.keys(d)) assertSameShape(a[key], d[key], `${path}.${key}`);
  }
}
