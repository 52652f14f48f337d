// Faspay Billing API (payment link) — see docs/providers/faspay.md (Create / Inquiry / Cancel Billing, Callback).
// Auth: no headers; every JSON body carries service_id and
//   signature = sha1_hex(md5_hex(username + password + transaction_number)) — create, inquire, cancel alike.
//   Inquire is documented as GET with a JSON body: sent so where the runtime can (node:http, through
//   ctx.fetchWithGetBody), falling back to POST of the same body when the server refuses the GET
//   (inquireRefusedGet) or fails it where a POST succeeds, and remembering which worked. fetch on
//   Workers cannot send it: POST there.
// Notices: POST JSON to the callback URL set in the Faspay merchant dashboard, signed with the same
//   formula — which covers only transaction_number, so service_id is checked here and status and amount
//   are confirmed by a signed inquire. The reply is undocumented (A: 200 JSON response_code "00").
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { badRequest, KasirError, providerErrors } from '../lib/errors';
import { fetchJson, type HttpReply } from '../lib/http';
import { createUnknownStatusReporter } from '../lib/log';
import { WireIntegerSchema } from '../lib/money';
import { md5Hex, sha1Hex, sha256Hex, timingSafeEqual } from '../lib/signing';
import { indonesianPhone, phoneRefused } from './phone';
import { jakartaDateTime, parseJakartaDateTime } from '../lib/time';
import type { Order } from '../orders/order';
import type { CreatedPayment, NoticeResult, PaymentRef, PaymentStatus, Provider, ProviderContext, StatusResult } from './types';

// ── Wire schemas ────────────────────────────────────────────────────────────────────────────────
// Faspay's "Numeric" fields arrive as numbers or digit strings (its samples mix both, even in one body).
const FaspayIdSchema = v.pipe(
  v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.pipe(v.string(), v.regex(/^\d+$/))]),
  v.transform(String),
);

export const FaspayReplySchema = v.object({
  response_code: v.pipe(v.union([v.string(), v.number()]), v.transform((code) => String(code).padStart(2, '0'))),
  response_message: v.optional(v.string()),
});

export const FaspayCreatedSchema = v.object({
  billing_id: FaspayIdSchema,
  transaction_number: FaspayIdSchema,
  billing_total: WireIntegerSchema,
  billing_url: v.pipe(v.string(), v.url()),
});

export const FaspayBillingSchema = v.object({
  billing_id: FaspayIdSchema,
  transaction_number: FaspayIdSchema,
  billing_total: WireIntegerSchema,
  billing_status: v.string(),
  payment_details: v.nullish(v.array(v.object({ payment_date: v.optional(v.string()) }))),
});

export const FaspayNoticeSchema = v.object({
  billing_id: FaspayIdSchema,
  service_id: FaspayIdSchema,
  // Typed Numeric like the rest: a JSON number is read as its digits (ours stay below 2^53).
  transaction_number: FaspayIdSchema,
  signature: v.string(),
  billing_status: v.string(),
});

// ── Status map ──────────────────────────────────────────────────────────────────────────────────
const FASPAY_STATUS: Record<string, PaymentStatus> = { UNPAID: 'pending', PAID: 'paid', EXPIRED: 'expired', CANCELLED: 'cancelled' };

const RESPONSE_SUCCESS = '00';
const FASPAY_REQUIRES = ['email', 'phone'] as const;

// ── Pure helpers ────────────────────────────────────────────────────────────────────────────────
export function mapFaspayStatus(status: string, onUnknown: (status: string) => void): PaymentStatus {
  const mapped = FASPAY_STATUS[status];
  if (mapped) return mapped;
  onUnknown(status);
  return 'pending';
}

export const faspaySignature = (username: string, password: string, transactionNumber: string) =>
  sha1Hex(md5Hex(username + password + transactionNumber));

/**
 * 16 digits: "1", then the first 8 bytes of sha256(orderId) mod 10^15, zero-padded. Fixed width with no
 * leading zero (a numeric column would drop it), and below 2^53, so it survives being read as a number
 * anywhere. Faspay's length limit is not published; its samples use 15 and 16 digits (A).
 */
export function faspayTransactionNumber(orderId: string, attempt = 0): string {
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError('attempt must be a whole number ≥ 0');
  // A later attempt hashes the id with its number: another 16-digit number, as unlikely to meet any other.
  const n = BigInt(`0x${sha256Hex(attempt === 0 ? orderId : `${orderId}#${attempt}`).slice(0, 16)}`) % 10n ** 15n;
  return `1${n.toString().padStart(15, '0')}`;
}

/** The samples write customer_phone as an Indonesian number, digits only: 087884398009 (08…) or 62…. */
export function faspayPhone(phone: string): string {
  const number = indonesianPhone(phone);
  if (number === undefined) throw phoneRefused('Faspay');
  return number;
}

/**
 * A reply that says the server will not take inquire as a GET with a body — 405 / 501, or a 400 that
 * is not Faspay's JSON (a front server refusing the body) — as opposed to Faspay's own answer (A:
 * Faspay documents none). A GET "01" is tested against a POST instead (inquire in the factory).
 */
export const faspaySucceeded = (reply: HttpReply) => {
  const parsed = v.safeParse(FaspayReplySchema, reply.json);
  return reply.status === 200 && parsed.success && parsed.output.response_code === RESPONSE_SUCCESS;
};

export const inquireRefusedGet = (reply: HttpReply) =>
  reply.status === 405 || reply.status === 501 || (reply.status === 400 && !v.is(FaspayReplySchema, reply.json));

/** The body with its signature: what send() puts on the wire. */
export function signFaspayBody<T extends { transaction_number: string }>(settings: ProviderSettings<'faspay'>, body: T) {
  return { ...body, signature: faspaySignature(settings.username, settings.password, body.transaction_number) };
}

function customerField(order: Order, field: (typeof FASPAY_REQUIRES)[number]): string {
  const value = order.customer[field];
  if (!value) throw badRequest(`${field}_required`, `Faspay needs the customer’s ${field}.`, `customer.${field}`);
  return value;
}

export function buildFaspayCreateRequest(order: Order, serviceId: string, now: Date, ttlMinutes: number) {
  return {
    service_id: serviceId,
    transaction_number: order.providerRef,
    billing_total: String(order.amount),
    billing_date: jakartaDateTime(now),
    billing_due_date: jakartaDateTime(new Date(now.getTime() + ttlMinutes * 60_000)),
    items: order.lines.map((line) => ({ item_name: line.name, qty: String(line.qty), item_amount: String(line.price) })),
    billing_language: order.locale === 'id' ? 'ID' : 'EN',
    customer_name: order.customer.name,
    customer_email: customerField(order, 'email'),
    customer_phone: faspayPhone(customerField(order, 'phone')),
  };
}

/** Inquire and cancel take the same body. */
function buildFaspayBillingRequest(serviceId: string, ref: PaymentRef) {
  if (!ref.providerId) throw providerErrors.notFound();
  return { service_id: serviceId, billing_id: ref.providerId, transaction_number: ref.providerRef };
}
export const buildFaspayInquireRequest = buildFaspayBillingRequest;
export const buildFaspayCancelRequest = buildFaspayBillingRequest;

/** The notice reply Faspay expects is undocumented (A). */
export const faspayNoticeReply = () => Response.json({ response_code: '00', response_message: 'Success' });

/** Turns a Faspay reply into its body, or a stable proxy error (never Faspay's own words). */
export function parseFaspayReply(reply: HttpReply): unknown {
  if (reply.status === 401 || reply.status === 403) throw providerErrors.auth();
  if (reply.status >= 500) throw providerErrors.unavailable();
  if (reply.status === 404) throw providerErrors.notFound();
  const parsed = v.safeParse(FaspayReplySchema, reply.json);
  if (!parsed.success) throw providerErrors.badResponse();
  // "01 Failed" covers a bad signature, an unknown bill and a duplicate number alike.
  if (reply.status >= 400 || parsed.output.response_code !== RESPONSE_SUCCESS) throw providerErrors.rejected();
  return reply.json;
}

export function parseFaspayCreated(body: unknown, order: Order, createdAt: Date, ttlMinutes: number): CreatedPayment {
  const created = v.safeParse(FaspayCreatedSchema, body);
  if (!created.success) throw providerErrors.badResponse();
  const { billing_id, transaction_number, billing_total, billing_url } = created.output;
  if (transaction_number !== order.providerRef || billing_total !== order.amount) throw providerErrors.badResponse();
  return {
    providerRef: order.providerRef,
    providerId: billing_id,
    paymentUrl: billing_url,
    expiresAt: new Date(createdAt.getTime() + ttlMinutes * 60_000).toISOString(),
  };
}

export function parseFaspayBilling(body: unknown, ref: PaymentRef, onUnknown: (status: string) => void): StatusResult {
  const billing = v.safeParse(FaspayBillingSchema, body);
  if (!billing.success) throw providerErrors.badResponse();
  const { billing_id, transaction_number, billing_total, billing_status, payment_details } = billing.output;
  if (billing_id !== ref.providerId || transaction_number !== ref.providerRef) throw providerErrors.badResponse();
  const status = mapFaspayStatus(billing_status, onUnknown);
  if (status === 'cancelled' || status === 'expired') return { status, reason: billing_status };
  if (status !== 'paid') return { status };
  // A PAID bill is paid in full: its total is what the order received (channel fees are not in it).
  const paidOn = payment_details?.at(-1)?.payment_date;
  const paidAt = paidOn ? parseJakartaDateTime(paidOn) : undefined;
  return { status: 'paid', paidAmount: billing_total, paidAt: paidAt?.toISOString() };
}

// ── I/O ─────────────────────────────────────────────────────────────────────────────────────────
function send(settings: ProviderSettings<'faspay'>, ctx: ProviderContext, method: 'GET' | 'POST', path: string, body: { transaction_number: string }) {
  const fetchFn = method === 'GET' && ctx.fetchWithGetBody ? ctx.fetchWithGetBody : ctx.fetch;
  return fetchJson(
    fetchFn,
    `${settings.baseUrl}${path}`,
    {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(signFaspayBody(settings, body)),
    },
    ctx.timeoutMs,
  );
}

// ── Factory ─────────────────────────────────────────────────────────────────────────────────────
export function createFaspayProvider(settings: ProviderSettings<'faspay'>, options: { ttlMinutes: number }): Provider {
  const onUnknown = createUnknownStatusReporter('faspay');
  const { ttlMinutes } = options;
  // How inquire reached Faspay last: GET (as documented) until the server refuses it once.
  let inquireMethod: 'GET' | 'POST' = 'GET';

  async function inquire(ctx: ProviderContext, body: { transaction_number: string }) {
    if (inquireMethod === 'POST' || !ctx.fetchWithGetBody) return send(settings, ctx, 'POST', '/inquire', body);
    const reply = await send(settings, ctx, 'GET', '/inquire', body);
    const refused = inquireRefusedGet(reply);
    if (!refused && faspaySucceeded(reply)) return reply;
    // Refused, or failed as a server that dropped the GET body would fail: the same body as POST
    // decides. Only a refusal, or a POST that succeeds where the GET failed, moves us to POST.
    const posted = await send(settings, ctx, 'POST', '/inquire', body);
    if (!refused && !faspaySucceeded(posted)) return reply;
    inquireMethod = 'POST';
    ctx.log.warn('faspay_inquire_get_refused', { provider: 'faspay', status: reply.status });
    return posted;
  }

  return {
    id: 'faspay',
    name: 'Faspay',
    currency: 'IDR',
    requires: FASPAY_REQUIRES,

    findsByRef: false,

    refFor: faspayTransactionNumber,

    async createPayment(order, ctx) {
      const now = ctx.now();
      const reply = await send(settings, ctx, 'POST', '/create', buildFaspayCreateRequest(order, settings.serviceId, now, ttlMinutes));
      return parseFaspayCreated(parseFaspayReply(reply), order, now, ttlMinutes);
    },

    // Inquire needs the billing_id that the lost create reply carried, and no Billing API call looks a
    // bill up by transaction_number: a retry creates under the next attempt's number instead.
    findPayment: async () => undefined,

    async getStatus(ref, ctx) {
      const reply = await inquire(ctx, buildFaspayInquireRequest(settings.serviceId, ref));
      return parseFaspayBilling(parseFaspayReply(reply), ref, onUnknown(ctx));
    },

    async cancelPayment(ref, ctx) {
      const reply = await send(settings, ctx, 'POST', '/cancel', buildFaspayCancelRequest(settings.serviceId, ref));
      parseFaspayReply(reply);
      return true;
    },

    async handleNotice(request, ctx): Promise<NoticeResult> {
      const notice = v.safeParse(FaspayNoticeSchema, await request.json().catch(() => undefined));
      if (!notice.success) throw badRequest('notice_invalid', 'The notice is not a Faspay billing notice.');
      const { billing_id, service_id, transaction_number, signature, billing_status } = notice.output;
      if (!timingSafeEqual(signature, faspaySignature(settings.username, settings.password, transaction_number))) {
        throw new KasirError(401, 'notice_signature_invalid', 'The notice signature does not verify.');
      }
      // The signature does not cover service_id: a bill of another service must not pass as ours.
      if (service_id !== settings.serviceId) throw badRequest('notice_invalid', 'The notice is not for this Faspay service.');
      return {
        kind: 'notice',
        ref: { providerRef: transaction_number, providerId: billing_id },
        claimedStatus: mapFaspayStatus(billing_status, onUnknown(ctx)),
        reply: faspayNoticeReply,
      };
    },
  };
}
