// The public contract between the widget and the proxy: request schemas and response shapes.
// The widget imports this file too, so customer validation is written once and agrees on both
// sides. Keep it free of anything server-only.
import * as v from 'valibot';

export const PAYMENT_STATUSES = ['pending', 'paid', 'expired', 'cancelled', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<PaymentStatus> = new Set(['paid', 'expired', 'cancelled', 'failed', 'refunded']);

export const PROVIDER_IDS = ['winpay', 'faspay', 'uapay', 'amdigipay'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const LOCALES = ['en', 'id', 'uk'] as const;
export type Locale = (typeof LOCALES)[number];

// Validation messages are stable codes; the widget translates them, the proxy reports them.
// Control characters (NUL, ESC of ANSI sequences, newlines, line separators) are refused before
// trimming: they would forge log lines, headers or provider fields, and no person types them.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const printable = (code: string) => v.check<string, string>((s) => !CONTROL.test(s), code);
export const CustomerSchema = v.strictObject({
  name: v.pipe(v.string('name_required'), printable('name_invalid'), v.trim(), v.minLength(1, 'name_required'), v.maxLength(100, 'name_too_long')),
  email: v.optional(
    v.pipe(v.string('email_invalid'), printable('email_invalid'), v.trim(), v.maxLength(254, 'email_invalid'), v.email('email_invalid')),
  ),
  phone: v.optional(
    v.pipe(v.string('phone_invalid'), printable('phone_invalid'), v.trim(), v.regex(/^\+?[0-9][0-9 ().-]{5,22}$/, 'phone_invalid')),
  ),
});
export type CustomerInput = v.InferInput<typeof CustomerSchema>;
export type CustomerOutput = v.InferOutput<typeof CustomerSchema>;

export const CartItemSchema = v.strictObject({
  sku: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,64}$/, 'sku_invalid')),
  qty: v.pipe(v.number(), v.integer('qty_invalid'), v.minValue(1, 'qty_invalid'), v.maxValue(999, 'qty_invalid')),
});
export type CartItemInput = v.InferInput<typeof CartItemSchema>;

// strictObject everywhere: a price, an amount or any other unknown field is refused, never ignored.
export const CheckoutRequestSchema = v.pipe(
  v.strictObject({
    provider: v.picklist(PROVIDER_IDS, 'provider_invalid'),
    items: v.optional(v.pipe(v.array(CartItemSchema), v.minLength(1, 'items_empty'), v.maxLength(100, 'items_too_many'))),
    cart: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4096))),
    customer: CustomerSchema,
    returnUrl: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    locale: v.optional(v.picklist(LOCALES)),
  }),
  v.check((body) => (body.items === undefined) !== (body.cart === undefined), 'items_or_cart'),
);
export type CheckoutRequestInput = v.InferInput<typeof CheckoutRequestSchema>;
export type CheckoutRequestOutput = v.InferOutput<typeof CheckoutRequestSchema>;

/** What shoppers choose from: a provider, optionally narrowed to one of its channels. */
export const METHOD_GROUPS = ['va', 'qris', 'ewallet', 'retail', 'card'] as const;
export type MethodGroup = (typeof METHOD_GROUPS)[number];

/** A payment method as `GET /v1/config` lists it (from the catalog's `methods`, or defaults per provider). */
export interface PublicMethod {
  /** Stable id the widget sends back as `method` (`[a-z0-9_-]{1,64}`). */
  id: string;
  provider: ProviderId;
  /** The provider's own channel code (e.g. an AMDigipay payment id, a bank code); absent = the provider's page offers its channels. */
  channel?: string;
  group: MethodGroup;
  /** Label per locale; `en` always present. */
  label: { en: string } & Partial<Record<Locale, string>>;
  /** URL of the merchant's logo for this method; absent → the widget's neutral icon for the group. */
  logo?: string;
}

/** One priced line of an order, as the widget and the merchant see it. Money in the minor unit. */
export interface CheckoutLine {
  sku: string;
  name: string;
  qty: number;
  /** Unit price, minor unit. */
  price: number;
}

/** What `POST /v1/checkouts` and `GET /v1/checkouts/:id` return. */
export interface CheckoutView {
  id: string;
  provider: ProviderId;
  status: PaymentStatus;
  /** Integer, in the currency's minor unit. */
  amount: number;
  currency: string;
  paymentUrl: string;
  qrUrl?: string;
  qrString?: string;
  payCode?: string;
  /** ISO 8601, UTC. */
  expiresAt: string;
  /** The priced lines the amount is the sum of (issue 9 §8). */
  lines?: CheckoutLine[];
  /** ISO 8601, UTC: when the order was made, and when it was paid. */
  createdAt?: string;
  paidAt?: string;
  /** The method the shopper chose (a `PublicMethod.id`), and its channel at the provider. */
  method?: string;
  channel?: string;
  /** The merchant's own reference, carried by a signed cart. */
  ref?: string;
  /** The provider's reason for a failure, a stable code when it gives one. */
  reason?: string;
}

/** What `GET /v1/config` returns. */
export interface PublicConfig {
  /** `requires`: customer fields this provider insists on, beyond the name. */
  providers: { id: ProviderId; name: string; currency: string; requires: ('email' | 'phone')[] }[];
  catalog: { sku: string; name: string; price: Record<string, number> }[];
  /** What the picker offers, in the merchant's order. */
  methods?: PublicMethod[];
  /** Shown on the QR screen and the receipt. */
  merchant?: { name: string };
}

/** Every error response body. */
export interface ErrorBody {
  /** `field` names the request field at fault (a schema path such as `customer.email`), when there is one. */
  error: { code: string; message: string; field?: string };
}
