// Amounts as shoppers read them: "Rp 340.000", "₴897.00", "897,00 ₴". In the checkout chunk (the
// cart's amounts are its business); every other screen gets it through the kit's `money`, so the
// element loads that chunk wherever it shows an amount.
//
// IDR and UAH, the currencies Kasir prices in, are written out here exactly as Chromium's
// Intl.NumberFormat writes them with `currencyDisplay: 'narrowSymbol'` (test/widget/i18n.test.ts
// compares the two over random amounts): a page's first NumberFormat loads ICU's number data,
// 30–70 ms on a desktop and four times that on a phone, and it would fall between the config's
// arrival and a usable form. Any other currency goes through Intl.
import type { Locale } from '../../proxy/lib/contract.js';

/** Minor-unit digits (Intl's own ISO table says 2 for IDR), the narrow symbol, and what stands between it and a number written after it. */
const CURRENCIES: Readonly<Record<string, readonly [digits: number, symbol: string, gap: string]>> = { IDR: [0, 'Rp', '\u00a0'], UAH: [2, '₴', ''] };

/** Group and decimal separators in each locale, as CLDR has them (uk groups with a no-break space). */
const SEPARATORS: Record<Locale, readonly [group: string, point: string]> = { en: [',', '.'], id: ['.', ','], uk: ['\u00a0', ','] };

/** `amount` is an integer in the currency's minor unit. */
export function formatAmount(amount: number, currency: string, locale: Locale): string {
  const known = CURRENCIES[currency.toUpperCase()];
  const digits = known?.[0] ?? 2;
  if (!known || !Number.isSafeInteger(amount) || amount < 0) {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      // Rp and ₴, as shoppers write them (the default spells UAH "грн" in uk and IDR "IDR" in en).
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount / 10 ** digits);
  }
  const symbol = known[1];
  const [group, point] = SEPARATORS[locale];
  const unit = 10 ** digits;
  // Grouped by threes from the right; no regular expression: compiling one costs more than the formatting.
  let whole = String(Math.floor(amount / unit));
  for (let at = whole.length - 3; at > 0; at -= 3) whole = whole.slice(0, at) + group + whole.slice(at);
  const number = digits ? `${whole}${point}${String(amount % unit).padStart(digits, '0')}` : whole;
  // After the number in uk; before it elsewhere (a symbol made of letters, Rp, with a no-break space).
  return locale === 'uk' ? `${number}\u00a0${symbol}` : symbol + known[2] + number;
}
