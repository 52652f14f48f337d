// What loads on demand, as ES modules. The ES build code-splits these imports into
// dist/kasir-{validate,qr,id,uk}.js; the IIFE build swaps this file for chunks.iife.ts, which
// imports the same files from beside the script (an IIFE cannot split).
import type { Messages } from './i18n/en.js';

export const loadValidator = (): Promise<typeof import('./validate.js')> => import('./validate.js');

export const loadQr = (): Promise<typeof import('./qr.js')> => import('./qr.js');

export const loadMessages = async (locale: 'id' | 'uk'): Promise<Messages> =>
  locale === 'id' ? (await import('./i18n/id.js')).id : (await import('./i18n/uk.js')).uk;
