// A tiny lookup. English is built in; `id` and `uk` load on demand (loadMessages). A missing key
// falls back to English, an unknown code to undefined (the caller then picks a generic message).
// Amounts are formatted by screens/money.ts, in the checkout chunk.
import type { Locale } from '../../proxy/lib/contract.js';
import { loadMessages as importMessages } from '../chunks.js';
import { en, type MessageKey, type Messages } from './en.js';

export type { MessageKey, Messages };

// A slot per locale (the type insists on every one), filled as its table arrives. No runtime
// import from contract.ts: that would pull valibot into the main bundle.
const TABLES: Record<Locale, Messages | undefined> = { en, id: undefined, uk: undefined };
const LOADING: Partial<Record<Locale, Promise<unknown>>> = {};

/** `id-ID`, `uk`, `EN-gb` → a supported locale; anything else → undefined. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  const base = tag?.toLowerCase().split(/[-_]/)[0];
  return base && Object.hasOwn(TABLES, base) ? (base as Locale) : undefined;
}

/**
 * Makes `locale`'s table available: undefined when it already is, else a promise that settles
 * once it is (if its chunk cannot load, English stands in for it).
 */
export function loadMessages(locale: Locale): Promise<unknown> | undefined {
  if (locale === 'en' || TABLES[locale]) return undefined;
  return (LOADING[locale] ??= importMessages(locale).then(
    (table) => (TABLES[locale] = table),
    () => (TABLES[locale] = en),
  ));
}

export function t(locale: Locale, key: MessageKey): string {
  return TABLES[locale]?.[key] || en[key];
}

/** The message for a stable code (validation or error), or undefined if the code is unknown. */
export function translateCode(locale: Locale, code: string): string | undefined {
  return Object.hasOwn(en, code) ? t(locale, code as MessageKey) : undefined;
}
