// What the element hands each screen when it renders it. Screens loaded on demand are separate
// ES modules (the IIFE cannot share its copy of Lit with them), so they import nothing at run time:
// Lit's template tags, the translations and the money format come in through this kit.
import type { TemplateResult, html, nothing } from 'lit';
import type { CheckoutLine, Locale } from '../../proxy/lib/contract.js';
import type { MessageKey } from '../i18n/en.js';

export type { TemplateResult };

export interface Kit {
  html: typeof html;
  nothing: typeof nothing;
  /** The language shown (its table may still be loading: English stands in). */
  lang: Locale;
  t(key: MessageKey): string;
  /** `amount` in the currency's minor unit, formatted for `lang`. */
  money(amount: number, currency: string): string;
  /** Looks `key` up in a screen's own table (`Strings`), in `lang`, falling back to English. */
  pick<K extends string>(table: Strings<K>, key: K): string;
}

/** The lines of the cart and their total, in one currency (display only: the proxy prices the order). */
export interface Summary {
  lines: CheckoutLine[];
  currency: string;
  total: number;
}

/** A screen's own strings in every language (English always). */
export type Strings<K extends string> = { en: Record<K, string> } & Partial<Record<Locale, Partial<Record<K, string>>>>;

