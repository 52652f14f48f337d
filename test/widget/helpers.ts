// Shared helpers of the widget tests: fetch stubs that record calls, a stand-in for window.open,
// a manual clock for the element's timers, and shortcuts into the element's shadow root.
import { waitUntil } from '@open-wc/testing';
import type { CheckoutView, PublicConfig } from '../../proxy/lib/contract.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';

export interface FetchCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

type Handler = (call: FetchCall) => Response | Promise<Response>;

const realFetch = window.fetch;

function install(answer: (call: FetchCall, calls: FetchCall[]) => Handler | undefined): FetchCall[] {
  const calls: FetchCall[] = [];
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: FetchCall = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const handler = answer(call, calls);
    if (!handler) throw new Error(`no fetch handler for ${call.method} ${call.url}`);
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

/** Replaces window.fetch; each call is answered by the next handler (the last one repeats). */
export function stubFetch(...handlers: Handler[]): FetchCall[] {
  return install((_call, calls) => handlers[Math.min(calls.length, handlers.length) - 1]);
}

/**
 * Replaces window.fetch with a fake proxy: `routes` maps `METHOD /path` (after the endpoint) to a
 * handler or a list of handlers answering successive calls (the last one repeats).
 */
export function stubProxy(routes: Record<string, Handler | Handler[]>): FetchCall[] {
  const seen = new Map<string, number>();
  return install((call) => {
    const route = `${call.method} ${new URL(call.url).pathname}`;
    const handlers = routes[route];
    if (!handlers) return undefined;
    const list = Array.isArray(handlers) ? handlers : [handlers];
    const n = seen.get(route) ?? 0;
    seen.set(route, n + 1);
    return list[Math.min(n, list.length - 1)];
  });
}

/** Puts the real fetch back, and forgets the orders the widget remembered (each test is a fresh tab session). */
export function restoreFetch(): void {
  window.fetch = realFetch;
  sessionStorage.clear();
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

/** The proxy every widget test talks to (its fetch is stubbed). */
export const ENDPOINT = 'http://proxy.test';

export const CONFIG: PublicConfig = {
  providers: [
    { id: 'winpay', name: 'Winpay', currency: 'IDR', requires: ['phone'] },
    { id: 'faspay', name: 'Faspay', currency: 'IDR', requires: ['email', 'phone'] },
    { id: 'uapay', name: 'UAPAY', currency: 'UAH', requires: [] },
  ],
  catalog: [],
};

/** The config of a proxy whose only provider is `id`, requiring nothing beyond the name. */
export function configOf(id: 'winpay' | 'faspay' | 'uapay' | 'amdigipay', requires: ('email' | 'phone')[] = []): PublicConfig {
  return { providers: [{ id, name: id, currency: id === 'uapay' ? 'UAH' : 'IDR', requires }], catalog: [] };
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

/** Whitespace-collapsed text of a match. */
export function text(el: KasirCheckout, selector: string): string {
  return ($(el, selector).textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The `name` (or `part`) of the focused element of the shadow root. */
export function focused(el: KasirCheckout): string | null | undefined {
  const active = el.shadowRoot!.activeElement;
  return active?.getAttribute('name') ?? active?.getAttribute('part');
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

/** The secondary button (`part="action"`) whose text is `label`. */
export function action(el: KasirCheckout, label: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="action"]')].find(
    (b) => b.textContent?.trim() === label,
  );
  if (!found) throw new Error(`no action "${label}"`);
  return found;
}

export function actions(el: KasirCheckout): string[] {
  return [...el.shadowRoot!.querySelectorAll('button[part="action"]')].map((b) => b.textContent?.trim() ?? '');
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

/** What the element did with the window it opened. */
export interface FakeWindow {
  closed: boolean;
  opener: unknown;
  /** Where `location.replace` sent it. */
  url: string;
  focused: number;
  location: { replace(url: string): void };
  close(): void;
  focus(): void;
}

/**
 * Replaces window.open: records each call and returns a fake window, or null (`blocked`), as a
 * popup blocker does. `restore` puts the real one back.
 */
export function stubOpen(blocked = false) {
  const calls: { url: string; target: string; features: string }[] = [];
  const windows: FakeWindow[] = [];
  const real = window.open;
  window.open = ((url = '', target = '', features = '') => {
    calls.push({ url: String(url), target, features });
    if (blocked) return null;
    const win: FakeWindow = {
      closed: false,
      opener: window,
      url: String(url),
      focused: 0,
      location: { replace: (to) => void (win.url = to) },
      close: () => void (win.closed = true),
      focus: () => void (win.focused += 1),
    };
    windows.push(win);
    return win as unknown as Window;
  }) as typeof window.open;
  return { calls, windows, restore: () => void (window.open = real) };
}

/**
 * A manual clock for the element's own timers (its polls and its 1 s tick, told apart by the call
 * stack) and for Date.now; every other timer stays real.
 */
export function manualClock(start: number) {
  const real = {
    setTimeout: setTimeout.bind(window),
    clearTimeout: clearTimeout.bind(window),
    setInterval: setInterval.bind(window),
    clearInterval: clearInterval.bind(window),
    now: Date.now,
  };
  const timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  let now = start;
  let nextId = 1_000_000;
  const add = (fn: () => void, ms: number, every?: number) => {
    timers.set(++nextId, { at: now + ms, fn, every });
    return nextId;
  };
  // Only the element's own timers: the test framework's and waitUntil's stay real.
  const mine = () => /\/widget\/kasir-checkout\.ts/.test(new Error().stack ?? '');
  window.setTimeout = ((fn: () => void, ms = 0, ...args: unknown[]) =>
    mine() ? add(fn, ms) : real.setTimeout(fn, ms, ...args)) as typeof setTimeout;
  window.setInterval = ((fn: () => void, ms = 0, ...args: unknown[]) =>
    mine() ? add(fn, ms, ms) : real.setInterval(fn, ms, ...args)) as typeof setInterval;
  const clear = ((id?: number) => {
    if (id !== undefined && !timers.delete(id)) real.clearTimeout(id);
  }) as typeof clearTimeout;
  window.clearTimeout = window.clearInterval = clear;
  Date.now = () => now;
  return {
    /** Delays (from now, ms) of the pending one-shot timers: the scheduled polls. */
    polls: () => [...timers.values()].filter((t) => !t.every).map((t) => t.at - now),
    /** Moves time forward, running in order whatever falls due, and lets promises settle. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        const [id, timer] = due;
        now = timer.at;
        if (timer.every) timer.at += timer.every;
        else timers.delete(id);
        timer.fn();
        await new Promise((r) => real.setTimeout(r, 0));
      }
      now = end;
      await new Promise((r) => real.setTimeout(r, 0));
    },
    restore() {
      Object.assign(window, { setTimeout: real.setTimeout, clearTimeout: real.clearTimeout });
      Object.assign(window, { setInterval: real.setInterval, clearInterval: real.clearInterval });
      Date.now = real.now;
    },
  };
}
