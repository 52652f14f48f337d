import { expect } from '@open-wc/testing';
import { en } from '../../widget/i18n/en.js';
import { id } from '../../widget/i18n/id.js';
import { formatAmount, matchLocale, t, translateCode } from '../../widget/i18n/index.js';
import { uk } from '../../widget/i18n/uk.js';

describe('i18n', () => {
  it('has every English key translated (non-empty, and not left in English) in id and uk', () => {
    const same = ['email', 'name_too_long'];
    for (const table of [id, uk]) {
      expect(Object.keys(table).sort()).to.deep.equal(Object.keys(en).sort());
      for (const [key, text] of Object.entries(table)) {
        expect(text, key).to.not.equal('');
        if (!same.includes(key) || table === uk) expect(text, key).to.not.equal(en[key as keyof typeof en]);
      }
    }
  });

  it('translates every CustomerSchema code', () => {
    for (const code of ['name_required', 'name_too_long', 'email_invalid', 'phone_invalid']) {
      expect(translateCode('uk', code), code).to.be.a('string');
    }
    expect(translateCode('en', 'something_new')).to.equal(undefined);
    expect(translateCode('en', 'constructor')).to.equal(undefined);
    expect(t('id', 'pay')).to.equal('Bayar');
  });

  it('matches locale tags', () => {
    expect(matchLocale('id-ID')).to.equal('id');
    expect(matchLocale('UK_ua')).to.equal('uk');
    expect(matchLocale('en-GB')).to.equal('en');
    expect(matchLocale('ru')).to.equal(undefined);
    expect(matchLocale(undefined)).to.equal(undefined);
  });

  it('formats minor units: IDR without decimals, UAH kopecks with two', () => {
    expect(formatAmount(150000, 'IDR', 'id')).to.equal('Rp\u00a0150.000');
    expect(formatAmount(150000, 'IDR', 'en')).to.equal('IDR\u00a0150,000');
    expect(formatAmount(39950, 'UAH', 'en')).to.equal('UAH\u00a0399.50');
    expect(formatAmount(39900, 'UAH', 'uk')).to.match(/^399,00\s(₴|грн\.?)$/);
  });
});
