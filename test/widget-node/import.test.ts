// Server rendering and other DOM-less imports: the widget's modules load in plain Node without
// throwing, and loading them twice is harmless.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

const DIST = new URL('../../dist/kasir.js', import.meta.url);

test('there is no DOM here', () => {
  assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
});

test('the built ES module (dist/kasir.js) imports without a window', async () => {
  assert.ok(existsSync(DIST), 'dist/kasir.js is missing: run `npm run build` first');
  const mod = (await import(DIST.href)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(mod).sort(), ['KasirApiError', 'KasirCheckout', 'TAG_NAME', 'setBasePath']);
  assert.equal(mod['TAG_NAME'], 'kasir-checkout');
  assert.equal(typeof mod['KasirCheckout'], 'function');
  const error = new (mod['KasirApiError'] as new (code: string, message: string, status: number) => { code: string; retryable: boolean })(
    'network_error',
    'Network request failed',
    0,
  );
  assert.deepEqual([error.code, error.retryable], ['network_error', true]);
});

test('the source entry (widget/define.ts) imports without a window, and a second copy is harmless', async () => {
  const first = await import('../../widget/define.js');
  const second = (await import(`${new URL('../../widget/define.ts', import.meta.url).href}?again`)) as typeof first;
  assert.equal(first.TAG_NAME, 'kasir-checkout');
  assert.equal(typeof first.KasirCheckout, 'function');
  assert.equal(second.TAG_NAME, 'kasir-checkout');
  // Where Lit's server build provides a registry (it does in Node), the element is in it once.
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry) assert.equal(typeof registry.get('kasir-checkout'), 'function');
});
