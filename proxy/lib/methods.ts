// Payment methods: what the picker offers shoppers (a provider, optionally narrowed to one of its
// channels), from the catalog's `methods` or, without them, one sensible default per provider.
// docs/methods.md explains the configuration to merchants.
import * as v from 'valibot';
import { type Locale, METHOD_GROUPS, PROVIDER_IDS, type ProviderId, type PublicMethod } from './contract';
import { badRequest } from './errors';

const Label = v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80, 'must be at most 80 characters'));

/** A logo is the merchant's file: an absolute http(s) URL, or a path on the shop's own origin. */
const LogoSchema = v.pipe(
  v.string('must be a URL'),
  v.check(
    (s) => (s.startsWith('/') && !s.startsWith('//') && !s.includes('\\')) || (URL.canParse(s) && ['https:', 'http:'].includes(new URL(s).protocol)),
    'must be an http(s) URL or a path starting with /',
  ),
  v.maxLength(2048, 'must be at most 2048 characters'),
);

export const MethodSchema = v.strictObject({
  id: v.pipe(v.string('must be text'), v.regex(/^[a-z0-9_-]{1,64}$/, 'must be 1–64 of a-z, 0-9, _ and -')),
  provider: v.picklist(PROVIDER_IDS, `must be one of ${PROVIDER_IDS.join(', ')}`),
  channel: v.optional(v.pipe(v.string('must be text'), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, _ . or -'))),
  group: v.picklist(METHOD_GROUPS, `must be one of ${METHOD_GROUPS.join(', ')}`),
  label: v.strictObject({ en: Label, id: v.optional(Label), uk: v.optional(Label) }, 'must be an object with at least "en"'),
  logo: v.optional(LogoSchema),
});

export const MethodsSchema = v.pipe(
  v.array(MethodSchema, 'must be a list'),
  v.minLength(1, 'must list at least one method (or be left out for the defaults)'),
  v.maxLength(50, 'must list at most 50 methods'),
  v.check((methods) => new Set(methods.map((m) => m.id)).size === methods.length, 'has two methods with the same id'),
);

export const MerchantSchema = v.strictObject({
  name: v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80, 'must be at most 80 characters')),
});

/**
 * AMDigipay takes the channel at create (`payment_id`); the other providers' create APIs have no
 * channel field, so their channel only names what the shopper chose (their page offers the choice).
 * Returns what is wrong with a configured method, or undefined.
 */
export function methodProblem(method: PublicMethod): string | undefined {
  if (method.provider === 'amdigipay' && method.channel !== undefined && !/^\d{1,9}$/.test(method.channel)) {
    return 'channel must be an AMDigipay payment id (digits, such as 33)';
  }
  return undefined;
}

type Labels = PublicMethod['label'] & Record<Locale, string>;

/** AMDigipay's known payment ids (payment/payment-list), so a default can say what the channel is. */
const AMDIGIPAY_CHANNELS: Record<string, { group: PublicMethod['group']; label: Labels }> = {
  '22': { group: 'va', label: { en: 'BCA Virtual Account — via AMDigipay', id: 'BCA Virtual Account — via AMDigipay', uk: 'Віртуальний рахунок BCA — через AMDigipay' } },
  '33': { group: 'qris', label: { en: 'QRIS — via AMDigipay', id: 'QRIS — via AMDigipay', uk: 'QRIS — через AMDigipay' } },
  '37': { group: 'ewallet', label: { en: 'GoPay — via AMDigipay', id: 'GoPay — via AMDigipay', uk: 'GoPay — через AMDigipay' } },
};

const DEFAULTS: Record<Exclude<ProviderId, 'amdigipay'>, Omit<PublicMethod, 'id' | 'provider'>> = {
  winpay: {
    group: 'va',
    label: {
      en: 'Bank transfer / VA · QRIS · e-wallets — via Winpay',
      id: 'Transfer bank / VA · QRIS · e-wallet — via Winpay',
      uk: 'Банківський переказ / VA · QRIS · е-гаманці — через Winpay',
    },
  },
  faspay: {
    group: 'va',
    label: {
      en: 'Bank transfer / VA · e-wallets · Alfamart / Indomaret — via Faspay',
      id: 'Transfer bank / VA · e-wallet · Alfamart / Indomaret — via Faspay',
      uk: 'Банківський переказ / VA · е-гаманці · Alfamart / Indomaret — через Faspay',
    },
  },
  uapay: {
    group: 'card',
    label: { en: 'Card (Visa, Mastercard) — via UAPAY', id: 'Kartu (Visa, Mastercard) — via UAPAY', uk: 'Картка (Visa, Mastercard) — через UAPAY' },
  },
};

/** One method per enabled provider, id = the provider's id (so `method: "winpay"` and `provider: "winpay"` agree). */
export function defaultMethods(providers: readonly ProviderId[], amdigipayPaymentId?: string): PublicMethod[] {
  return providers.map((provider): PublicMethod => {
    if (provider !== 'amdigipay') return { id: provider, provider, ...DEFAULTS[provider] };
    const known = amdigipayPaymentId === undefined ? undefined : AMDIGIPAY_CHANNELS[amdigipayPaymentId];
    return {
      id: provider,
      provider,
      ...(amdigipayPaymentId === undefined ? {} : { channel: amdigipayPaymentId }),
      group: known?.group ?? 'va',
      label: known?.label ?? { en: 'Pay via AMDigipay', id: 'Bayar via AMDigipay', uk: 'Оплата через AMDigipay' },
    };
  });
}

/**
 * The method a checkout asked for: by `method` id, by `provider` (its first method), or both —
 * then they must agree. Stable codes: `method_unknown`, `method_provider_mismatch`.
 */
export function resolveMethod(
  methods: readonly PublicMethod[],
  request: { method?: string; provider?: ProviderId },
): { provider: ProviderId; method?: PublicMethod } {
  if (request.method === undefined) {
    // A provider alone keeps working as before; the order records the provider's method only when
    // it has exactly one (otherwise which one the shopper meant is unknown).
    const ofProvider = methods.filter((m) => m.provider === request.provider);
    return { provider: request.provider!, method: ofProvider.length === 1 ? ofProvider[0] : undefined };
  }
  const method = methods.find((m) => m.id === request.method);
  if (!method) throw badRequest('method_unknown', 'This payment method is not offered.', 'method');
  if (request.provider !== undefined && request.provider !== method.provider) {
    throw badRequest('method_provider_mismatch', 'The payment method belongs to another provider.', 'method');
  }
  return { provider: method.provider, method };
}
