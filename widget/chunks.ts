// What loads on demand, as ES modules. The ES build code-splits these imports into
// dist/kasir-{validate,qr,id,uk,checkout,order,banks}.js; the IIFE build swaps this file for
// chunks.iife.ts, which imports the same files from beside the script (an IIFE cannot split).
// setBasePath() makes both load them from elsewhere (a CDN, a renamed copy).
import type { Messages } from './i18n/en.js';

let base: string | undefined;

/** Loads the on-demand chunks (`kasir-*.js`) from `url` (a folder) instead of beside the entry. */
export function setBasePath(url: string): void {
  base = new URL(url.replace(/\/*$/, '/'), location.href).href;
}

/** One import() per chunk and base: the element asks again each time it renders. */
const loads = new Map<string, Promise<unknown>>();

function load<T>(name: string, bundled: () => Promise<T>): Promise<T> {
  const key = `${base ?? ''}kasir-${name}.js`;
  if (!loads.has(key)) loads.set(key, base ? import(/* @vite-ignore */ key) : bundled());
  return loads.get(key) as Promise<T>;
}

export const loadValidator = (): Promise<typeof import('./validate.js')> => load('validate', () => import('./validate.js'));

export const loadQr = (): Promise<typeof import('./qr.js')> => load('qr', () => import('./qr.js'));

export const loadCheckout = (): Promise<typeof import('./screens/checkout.js')> =>
  load('checkout', () => import('./screens/checkout.js'));

export const loadOrder = (): Promise<typeof import('./screens/order.js')> => load('order', () => import('./screens/order.js'));

export const loadBanks = (): Promise<typeof import('./banks/banks.js')> => load('banks', () => import('./banks/banks.js'));

export const loadMessages = async (locale: 'id' | 'uk'): Promise<Messages> =>
  locale === 'id'
    ? (await load('id', () => import('./i18n/id.js'))).id
    : (await load('uk', () => import('./i18n/uk.js'))).uk;
