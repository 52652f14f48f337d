// A tiny lookup: a missing key falls back to English, an unknown code to undefined (the caller
// then picks a generic message), and amounts are formatted in the order's currency.
import { LOCALES, type Locale } from '../../proxy/lib/contract.js';
import { en, type MessageKey, type Messages } from './en.js';
import { id } from './id.js';
import { uk } from './uk.js';

export type { MessageKey, Messages };

const TABLES: Readonly<Record<Locale, Messages>> = { en, id, uk };

/** Minor-unit digits of the currencies Kasir prices in; Intl's own (ISO) table says 2 for IDR. */
const MINOR_DIGITS: Readonly<Record<string, number>> = { IDR: 0, UAH: 2 };

/** `id-ID`, `uk`, `EN-gb` → a supported locale; anything else → undefined. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  const base = tag?.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l === base);
}

export function t(locale: Locale, key: MessageKey): string {
  return TABLES[locale][key] || en[key];
}

/** The message for a stable code (validation or error), or undefined if the code is unknown. */
export function translateCode(locale: Locale, code: string): string | undefined {
  return Object.hasOwn(en, code) ? t(locale, code as MessageKey) : undefined;
}

/** `amount` is an integer in the currency's minor unit. */
export function formatAmount(amount: number, currency: string, locale: Locale): string {
  const digits = MINOR_DIGITS[currency.toUpperCase()] ?? 2;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}
