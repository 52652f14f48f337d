import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/define.js';
import { en } from '../../widget/i18n/en.js';
import { id } from '../../widget/i18n/id.js';
import fc from 'fast-check';
import { loadMessages, matchLocale, t, translateCode } from '../../widget/i18n/index.js';
import { formatAmount } from '../../widget/screens/money.js';
import { countdown as formatCountdown } from '../../widget/screens/order.js';
import { uk } from '../../widget/i18n/uk.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import { configOf, json, restoreFetch, stubProxy, text } from './helpers.js';

afterEach(restoreFetch);

describe('i18n', () => {
  it('has every English key translated (non-empty, and not left in English) in id and uk', () => {
    const same = ['email', 'name_too_long'];
    for (const table of [id, uk]) {
      expect(Object.keys(table).sort()).to.deep.equal(Object.keys(en).sort());
      for (const [key, value] of Object.entries(table)) {
        expect(value, key).to.not.equal('');
        if (!same.includes(key) || table === uk) expect(value, key).to.not.equal(en[key as keyof typeof en]);
      }
    }
  });

  it('loads id and uk on demand; English is built in', async () => {
    expect(loadMessages('en')).to.equal(undefined);
    await loadMessages('uk');
    await loadMessages('id');
    expect(loadMessages('uk')).to.equal(undefined);
    expect([t('id', 'pay'), t('uk', 'pay'), t('en', 'pay')]).to.deep.equal(['Bayar', 'Сплатити', 'Pay']);
  });

  it('translates every CustomerSchema code and the widget codes', async () => {
    await loadMessages('uk');
    for (const code of ['name_required', 'name_too_long', 'email_invalid', 'phone_invalid', 'qr_unavailable', 'network_error']) {
      expect(translateCode('uk', code), code).to.equal(uk[code as keyof typeof uk]);
    }
    expect(translateCode('en', 'something_new')).to.equal(undefined);
    expect(translateCode('en', 'constructor')).to.equal(undefined);
  });

  it('matches locale tags', () => {
    expect(matchLocale('id-ID')).to.equal('id');
    expect(matchLocale('UK_ua')).to.equal('uk');
    expect(matchLocale('en-GB')).to.equal('en');
    expect(matchLocale('ru')).to.equal(undefined);
    expect(matchLocale('toString')).to.equal(undefined);
    expect(matchLocale(undefined)).to.equal(undefined);
  });

  it('formats minor units: IDR without decimals, UAH kopecks with two', () => {
    expect(formatAmount(150000, 'IDR', 'id')).to.equal('Rp\u00a0150.000');
    expect(formatAmount(150000, 'IDR', 'en')).to.equal('Rp\u00a0150,000');
    expect(formatAmount(39950, 'UAH', 'en')).to.equal('₴399.50');
    expect(formatAmount(39900, 'UAH', 'uk')).to.equal('399,00\u00a0₴');
  });

  // Intl.NumberFormat as the widget used it before IDR and UAH were written out by hand.
  const intl = (amount: number, currency: string, locale: string) => {
    const digits = currency === 'IDR' ? 0 : 2;
    const options = { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits } as const;
    return new Intl.NumberFormat(locale, options).format(amount / 10 ** digits);
  };

  it('writes IDR and UAH exactly as Intl.NumberFormat does, in every locale, for any amount', () => {
    const amount = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.maxSafeInteger().filter((n) => n >= 0), fc.constantFrom(0, 5, 99, 100, 999, 1000, 1001, 99_999, 100_000, 1_000_000));
    fc.assert(
      fc.property(amount, fc.constantFrom('IDR', 'UAH'), fc.constantFrom('en', 'id', 'uk'), (n, currency, locale) => {
        // Beyond 2^53 / 100 Intl works on the double amount / 100, which is no longer exact.
        if (currency === 'UAH' && n > Number.MAX_SAFE_INTEGER / 100) return;
        expect(formatAmount(n, currency, locale as 'en')).to.equal(intl(n, currency, locale));
      }),
      { numRuns: 2000 },
    );
  });

  it('formats IDR and UAH without Intl.NumberFormat (its first use costs tens of ms), other currencies with it', () => {
    const real = Intl.NumberFormat;
    let made = 0;
    Intl.NumberFormat = function (...args: ConstructorParameters<typeof Intl.NumberFormat>) {
      made++;
      return new real(...args);
    } as typeof Intl.NumberFormat;
    try {
      expect([formatAmount(150000, 'IDR', 'id'), formatAmount(89700, 'UAH', 'uk'), formatAmount(150000, 'idr', 'en')]).to.deep.equal([
        'Rp\u00a0150.000',
        '897,00\u00a0₴',
        'Rp\u00a0150,000',
      ]);
      expect(made).to.equal(0);
      expect(formatAmount(1999, 'EUR', 'en')).to.equal('€19.99');
      expect(made).to.equal(1);
    } finally {
      Intl.NumberFormat = real;
    }
  });

  it('formats the countdown as m:ss, h:mm:ss from an hour, rounding up and never below 0:00', () => {
    expect([0, 1, 999, 59_000, 61_500, 3_599_000].map(formatCountdown)).to.deep.equal(['0:00', '0:01', '0:01', '0:59', '1:02', '59:59']);
    expect([3_600_000, 3_661_000, 36_000_000, -5000].map(formatCountdown)).to.deep.equal(['1:00:00', '1:01:01', '10:00:00', '0:00']);
  });
});

describe('<kasir-checkout> language', () => {
  const languages = Object.getOwnPropertyDescriptor(Navigator.prototype, 'languages')!;
  afterEach(() => {
    delete (navigator as { languages?: unknown }).languages;
    Object.defineProperty(Navigator.prototype, 'languages', languages);
  });

  const mount = async (locale?: string) => {
    stubProxy({ 'GET /v1/config': () => json(configOf('winpay')) });
    return fixture<KasirCheckout>(
      html`<kasir-checkout endpoint="http://proxy.test" provider="winpay" locale=${locale ?? ''}></kasir-checkout>`,
    );
  };

  it('defaults to the first language of the browser it supports', async () => {
    Object.defineProperty(navigator, 'languages', { configurable: true, value: ['fr-FR', 'uk-UA', 'en'] });
    const el = await mount();
    expect(text(el, 'button[part="button"]')).to.equal('Сплатити');
    expect(el.shadowRoot!.querySelector('.view')!.getAttribute('lang')).to.equal('uk');
  });

  it('falls back to English when the browser speaks none of them', async () => {
    Object.defineProperty(navigator, 'languages', { configurable: true, value: ['fr-FR', 'de'] });
    const el = await mount();
    expect(text(el, 'button[part="button"]')).to.equal('Pay');
  });

  it('the locale attribute wins over the browser', async () => {
    Object.defineProperty(navigator, 'languages', { configurable: true, value: ['uk-UA'] });
    const el = await mount('id');
    expect(text(el, 'label[for="kasir-name"]')).to.equal('Nama');
    expect(text(el, 'button[part="button"]')).to.equal('Bayar');
  });
});
