// The method picker: the methods the merchant configured (or one per enabled provider), grouped
// as shoppers look for them — virtual account, QRIS, e-wallet, retail outlet, card — each with
// the merchant's logo or the group's neutral icon, and the cart's amount in that method's currency.
import type { MethodGroup, ProviderId, PublicMethod } from '../../proxy/lib/contract.js';
import { GROUP_ICONS } from './icons.js';
import { currencyOf, summaryOf, type Cart } from './cart.js';
import type { Kit, Strings, TemplateResult } from './kit.js';

export interface PickerInput {
  cart: Cart;
  methods: readonly PublicMethod[];
  selected?: string;
  select(id: string): void;
}

const GROUPS: Strings<MethodGroup | 'method'> = {
  en: { method: 'Payment method', va: 'Bank transfer (virtual account)', qris: 'QRIS', ewallet: 'E-wallet', retail: 'Retail outlet', card: 'Card' },
  id: { method: 'Metode pembayaran', va: 'Transfer bank (virtual account)', qris: 'QRIS', ewallet: 'Dompet digital', retail: 'Gerai ritel', card: 'Kartu' },
  uk: { method: 'Спосіб оплати', va: 'Банківський переказ (віртуальний рахунок)', qris: 'QRIS', ewallet: 'Електронний гаманець', retail: 'Роздрібна точка', card: 'Картка' },
};

/** What each provider's own page offers, for the picker without configured methods. */
const OFFERS: Strings<ProviderId | 'via'> = {
  en: { winpay: 'Bank transfer / VA · QRIS · e-wallets', faspay: 'Bank transfer / VA · retail outlets', uapay: 'Card · Apple Pay · Google Pay', amdigipay: 'QRIS · virtual account', via: 'via' },
  id: { winpay: 'Transfer bank / VA · QRIS · dompet digital', faspay: 'Transfer bank / VA · gerai ritel', uapay: 'Kartu · Apple Pay · Google Pay', amdigipay: 'QRIS · virtual account', via: 'melalui' },
  uk: { winpay: 'Банківський переказ / VA · QRIS · е-гаманці', faspay: 'Банківський переказ / VA · роздрібні точки', uapay: 'Картка · Apple Pay · Google Pay', amdigipay: 'QRIS · віртуальний рахунок', via: 'через' },
};

/** contract.ts's METHOD_GROUPS, the picker's order (not imported: that module pulls in valibot). */
const ORDER: readonly MethodGroup[] = ['va', 'qris', 'ewallet', 'retail', 'card'];

const PROVIDER_NAMES: Record<ProviderId, string> = { winpay: 'Winpay', faspay: 'Faspay', uapay: 'UAPAY', amdigipay: 'AMDigipay' };

export function methodLabel(m: PublicMethod, derived: boolean, kit: Kit): string {
  if (derived) return `${kit.pick(OFFERS, m.provider)} — ${kit.pick(OFFERS, 'via')} ${PROVIDER_NAMES[m.provider]}`;
  return m.label[kit.lang] || m.label.en;
}

/**
 * The cart's amount in the method's currency (the bare currency when unknown) — only for a method
 * in another currency than the first one's: the pay button says the amount of the chosen one.
 */
function estimate(cart: Cart, m: PublicMethod, first: PublicMethod, kit: Kit): string {
  const currency = currencyOf(cart.config, m.provider) ?? '';
  if (currency === currencyOf(cart.config, first.provider)) return '';
  const s = summaryOf(cart, currency);
  return s && s.currency === currency ? kit.money(s.total, currency) : currency;
}

export function renderPicker(input: PickerInput, kit: Kit): TemplateResult {
  const { html } = kit;
  const derived = !input.cart.config?.methods;
  const groups = ORDER.map((g) => [g, input.methods.filter((m) => m.group === g)] as const).filter(([, ms]) => ms.length);
  const icon = (m: PublicMethod) =>
    m.logo
      ? html`<img class="logo" src=${m.logo} alt="" width="24" height="24" />`
      : html`<svg class="logo" viewBox="0 0 24 24" aria-hidden="true"><path d=${GROUP_ICONS[m.group]}></path></svg>`;
  return html`<fieldset part="picker">
    <legend>${kit.pick(GROUPS, 'method')}</legend>
    ${groups.map(
      ([group, methods]) => html`<div class="group" role="group" aria-labelledby="kasir-g-${group}">
        <p class="group-name" id="kasir-g-${group}">${kit.pick(GROUPS, group)}</p>
        ${methods.map(
          (m) => html`<label part="method" class="method">
            <input type="radio" name="method" .value=${m.id} .checked=${m.id === input.selected} @change=${() => input.select(m.id)} />
            ${icon(m)}<span class="method-name">${methodLabel(m, derived, kit)}</span>
            <span class="estimate">${estimate(input.cart, m, input.methods[0]!, kit)}</span>
          </label>`,
        )}
      </div>`,
    )}
  </fieldset>`;
}
