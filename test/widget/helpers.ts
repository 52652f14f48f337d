// Shared helpers of the widget tests: a fetch stub that records calls, JSON responses, and
// shortcuts into the element's shadow root.
import { waitUntil } from '@open-wc/testing';
import type { CheckoutView } from '../../proxy/lib/contract.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';

export interface FetchCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

type Handler = (call: FetchCall) => Response | Promise<Response>;

const realFetch = window.fetch;

/** Replaces window.fetch; each call is answered by the next handler (the last one repeats). */
export function stubFetch(...handlers: Handler[]): FetchCall[] {
  const calls: FetchCall[] = [];
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: FetchCall = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const handler = handlers[Math.min(calls.length, handlers.length) - 1];
    if (!handler) throw new Error('no fetch handler');
    // Like the real fetch, give up when the signal aborts.
    const { signal } = init;
    return new Promise<Response>((resolve, reject) => {
      const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort);
      Promise.resolve(handler(call)).then(resolve, reject);
    });
  };
  return calls;
}

export function restoreFetch(): void {
  window.fetch = realFetch;
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A handler that fails the way fetch fails when the network is down. */
export const networkDown: Handler = () => Promise.reject(new TypeError('Failed to fetch'));

/** A response that arrives only when `release` is called. */
export function deferred(): { handler: Handler; release: (res: Response) => void } {
  let release!: (res: Response) => void;
  const promise = new Promise<Response>((resolve) => (release = resolve));
  return { handler: () => promise, release };
}

export function view(overrides: Partial<CheckoutView> = {}): CheckoutView {
  return {
    id: 'ord_7f3a9c',
    provider: 'winpay',
    status: 'pending',
    amount: 150000,
    currency: 'IDR',
    paymentUrl: 'https://sandbox.example/pay/ord_7f3a9c',
    expiresAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function $<T extends Element = HTMLElement>(el: KasirCheckout, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the shadow root`);
  return found;
}

/** Whether the shadow root has a match; assert on this, never on a node (a failing assertion
 * whose `actual` is a DOM node makes web-test-runner lose the browser). */
export function has(el: KasirCheckout, selector: string): boolean {
  return el.shadowRoot!.querySelector(selector) !== null;
}

/** The `name` of the focused input of the shadow root. */
export function focused(el: KasirCheckout): string | null | undefined {
  return el.shadowRoot!.activeElement?.getAttribute('name');
}

/** Waits until nothing in the element is loading (config or order). */
export async function settled(el: KasirCheckout): Promise<void> {
  await el.updateComplete;
  await waitUntil(() => !has(el, '[aria-busy="true"]'), 'the element kept loading', { timeout: 2000 });
  await el.updateComplete;
}

export function input(el: KasirCheckout, name: string): HTMLInputElement {
  return $<HTMLInputElement>(el, `input[name="${name}"]`);
}

export function button(el: KasirCheckout): HTMLButtonElement {
  return $<HTMLButtonElement>(el, 'button[part="button"]');
}

/** Types into the named inputs as a user would (an `input` event per field). */
export function fill(el: KasirCheckout, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const field = input(el, name);
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
}

/** Sets the page URL (e.g. a return page) for one test; returns the function that restores it. */
export function setPageUrl(search: string): () => void {
  const before = location.href;
  history.replaceState(null, '', `${location.pathname}${search}`);
  return () => history.replaceState(null, '', before);
}
