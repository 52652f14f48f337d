import { expect } from '@open-wc/testing';
import {
  KasirApiError,
  createCheckout,
  defaultReturnUrl,
  getCheckout,
  getConfig,
  newIdempotencyKey,
  readOrderParam,
} from '../../widget/api.js';
import { json, networkDown, restoreFetch, stubFetch, view } from './helpers.js';

afterEach(restoreFetch);

async function rejection(promise: Promise<unknown>): Promise<KasirApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(KasirApiError);
    return err as KasirApiError;
  }
  throw new Error('expected a rejection');
}

describe('api', () => {
  it('createCheckout posts JSON with the Idempotency-Key and returns the view', async () => {
    const calls = stubFetch(() => json(view(), 201));
    const body = { provider: 'winpay' as const, items: [{ sku: 'a', qty: 1 }], customer: { name: 'A' } };
    expect(await createCheckout('https://p.test//', body, 'key-1')).to.deep.equal(view());
    expect(calls[0]!.url).to.equal('https://p.test/v1/checkouts');
    expect(calls[0]!.headers.get('idempotency-key')).to.equal('key-1');
    expect(calls[0]!.body).to.deep.equal(body);
  });

  it('getCheckout encodes the id; getConfig reads /v1/config', async () => {
    const calls = stubFetch(() => json(view()), () => json({ providers: [], catalog: [] }));
    await getCheckout('https://p.test', 'a/b?c');
    await getConfig('https://p.test');
    expect(calls.map((c) => c.url)).to.deep.equal(['https://p.test/v1/checkouts/a%2Fb%3Fc', 'https://p.test/v1/config']);
  });

  it('turns an error body into its code; a body without one into server_error / request_failed', async () => {
    stubFetch(
      () => json({ error: { code: 'items_empty', message: 'Empty', field: 'items' } }, 400),
      () => new Response('Bad Gateway', { status: 502 }),
      () => new Response('', { status: 429 }),
    );
    const a = await rejection(getConfig(''));
    expect([a.code, a.message, a.status, a.field, a.retryable]).to.deep.equal(['items_empty', 'Empty', 400, 'items', false]);
    const b = await rejection(getConfig(''));
    expect([b.code, b.status, b.retryable]).to.deep.equal(['server_error', 502, true]);
    const c = await rejection(getConfig(''));
    expect([c.code, c.status, c.retryable]).to.deep.equal(['request_failed', 429, false]);
  });

  it('turns a network failure into network_error and an abort into aborted', async () => {
    stubFetch(networkDown);
    const down = await rejection(getConfig(''));
    expect([down.code, down.status, down.retryable]).to.deep.equal(['network_error', 0, true]);
    const ctrl = new AbortController();
    ctrl.abort();
    stubFetch(() => Promise.reject(new DOMException('aborted', 'AbortError')));
    const aborted = await rejection(getConfig('', ctrl.signal));
    expect([aborted.code, aborted.retryable]).to.deep.equal(['aborted', true]);
  });

  it('an abort while the body is being read is aborted too, not invalid_response', async () => {
    // A poll cut short by the next look at the order (the popup came back) must stay silent: the
    // element reports every other code as kasir-error.
    const ctrl = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode('{"id":"ord_1",'));
        ctrl.signal.addEventListener('abort', () => stream.error(new DOMException('aborted', 'AbortError')));
      },
    });
    stubFetch(() => new Response(body, { headers: { 'content-type': 'application/json' } }));
    const pending = rejection(getCheckout('', 'ord_1', ctrl.signal));
    await new Promise((resolve) => setTimeout(resolve, 10));
    ctrl.abort();
    expect((await pending).code).to.equal('aborted');
  });

  it('reads and strips the kasir_order parameter', () => {
    expect(readOrderParam('https://s.test/p?x=1&kasir_order=ord_1')).to.equal('ord_1');
    expect(readOrderParam('https://s.test/p?x=1')).to.equal(undefined);
    expect(defaultReturnUrl('https://s.test/p?x=1&kasir_order=ord_1#top')).to.equal('https://s.test/p?x=1#top');
    expect(defaultReturnUrl('https://s.test/p?q=a%20b')).to.equal('https://s.test/p?q=a%20b');
  });

  it('makes a fresh key each time', () => {
    const keys = new Set(Array.from({ length: 20 }, newIdempotencyKey));
    expect(keys.size).to.equal(20);
  });
});
