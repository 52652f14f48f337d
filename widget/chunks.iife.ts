// The IIFE's stand-in for chunks.ts: the ES build's chunks, imported from the directory the
// script itself came from (a script tag on another origin works: the proxy sends them with CORS),
// or from the script tag's `data-kasir-base`, or from what setBasePath() was given.
import type { Messages } from './i18n/en.js';

// Read while the script runs: document.currentScript is null once it has finished.
const script = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null);
let base = script?.dataset['kasirBase'] ? folder(script.dataset['kasirBase']) : script?.src;

function folder(url: string): string {
  return new URL(url.replace(/\/*$/, '/'), location.href).href;
}

/** Loads the on-demand chunks (`kasir-*.js`) from `url` (a folder) instead of beside the script. */
export function setBasePath(url: string): void {
  base = folder(url);
}

/** One import() per chunk's URL: the element asks again each time it renders. */
const loads = new Map<string, Promise<unknown>>();

function load<T>(name: string): Promise<T> {
  const url = new URL(`kasir-${name}.js`, base || location.href).href;
  if (!loads.has(url)) loads.set(url, import(/* @vite-ignore */ url));
  return loads.get(url) as Promise<T>;
}

export const loadValidator = (): Promise<typeof import('./validate.js')> => load('validate');

export const loadQr = (): Promise<typeof import('./qr.js')> => load('qr');

export const loadCheckout = (): Promise<typeof import('./screens/checkout.js')> => load('checkout');

export const loadOrder = (): Promise<typeof import('./screens/order.js')> => load('order');

export const loadBanks = (): Promise<typeof import('./banks/banks.js')> => load('banks');

export const loadMessages = async (locale: 'id' | 'uk'): Promise<Messages> =>
  (await load<Record<string, Messages>>(locale))[locale]!;
