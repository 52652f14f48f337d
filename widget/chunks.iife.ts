// The IIFE's stand-in for chunks.ts: the ES build's chunks, imported from the directory the
// script itself came from (a script tag on another origin works: the proxy sends them with CORS).
import type { Messages } from './i18n/en.js';

// Read while the script runs: document.currentScript is null once it has finished.
const BASE = typeof document === 'undefined' ? undefined : (document.currentScript as HTMLScriptElement | null)?.src;

function load<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ new URL(`kasir-${name}.js`, BASE || location.href).href);
}

export const loadValidator = (): Promise<typeof import('./validate.js')> => load('validate');

export const loadQr = (): Promise<typeof import('./qr.js')> => load('qr');

export const loadMessages = async (locale: 'id' | 'uk'): Promise<Messages> =>
  (await load<Record<string, Messages>>(locale))[locale]!;
