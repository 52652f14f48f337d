// Winpay Checkout Page ("invoice") API — see docs/providers/winpay.md (endpoints, fee models, assumptions).
// Auth: headers X-Winpay-Key (client key), X-Winpay-Timestamp (Jakarta time, +07:00) and
//   X-Winpay-Signature = lowercase hex HMAC-SHA256(secret, timestamp). Method, path and body are not signed.
// Notices: POST JSON to the URL set per client key in Winpay's dashboard, unsigned; answered with the
//   text ACCEPTED. A notice is only a trigger: the payment is confirmed by a signed find-invoice.
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { badRequest, providerErrors } from '../lib/errors';
import { fetchJson, type HttpReply } from '../lib/http';
import { createUnknownStatusReporter } from '../lib/log';
import { compactPhone, phoneRefused } from './phone';
import { alphanumericRef } from './refs';
import { hmacSha256Hex } from '../lib/signing';
import { jakartaTimestamp, parseJakartaDateTime } from '../lib/time';
import type { Order } from '../orders/order';
import type { CreatedPayment, NoticeResult, PaymentRef, PaymentStatus, Provider, ProviderContext, StatusResult } from './types';

// ── Wire schemas ────────────────────────────────────────────────────────────────────────────────
// Amounts arrive as numbers or strings ("305300"), and Winpay's own samples also write whole rupiah
// with decimals ("305300.00"). A fraction of a rupiah is not an amount.
export const WinpayAmountSchema = v.pipe(
  v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.pipe(v.string(), v.regex(/^\d{1,15}(\.0+)?$/))]),
  v.transform((n) => Math.trunc(Number(n))),
);

export const WinpayEnvelopeSchema = v.object({
  responseCode: v.string(),
  responseMessage: v.optional(v.string()),
  responseData: v.optional(v.unknown()),
});

export const WinpayCreatedSchema = v.object({
  id: v.string(),
  ref: v.string(),
  created_at: v.optional(v.string()),
  redirect_url: v.pipe(v.string(), v.url()),
});

export const WinpayInvoiceSchema = v.object({
  id: v.string(),
  ref: v.string(),
  created_at: v.string(),
  status: v.string(),
  products: v.optional(v.array(v.object({ qty: WinpayAmountSchema, price: WinpayAmountSchema }))),
  payment: v.nullish(
    v.object({
      paid_amount: v.optional(WinpayAmountSchema),
      fee: v.optional(WinpayAmountSchema),
      nett: v.optional(WinpayAmountSchema),
      created_at: v.optional(v.string()),
    }),
  ),
});
export type WinpayInvoiceOutput = v.InferOutput<typeof WinpayInvoiceSchema>;

export const WinpayNoticeSchema = v.object({
  invoice: v.object({ uuid: v.string(), ref: v.string() }),
});

// ── Status map ──────────────────────────────────────────────────────────────────────────────────
// Only UNPAID and PAID are documented. Winpay has no expired state: an UNPAID invoice past
// created_at + interval is expired (our derivation).
const WINPAY_STATUS: Record<string, PaymentStatus> = { UNPAID: 'pending', PAID: 'paid' };

const RESPONSE_CREATED = '2010300';
const RESPONSE_FOUND = '2000300';
// Delete Invoice's sample answers 2000300 "Invoice has been deleted".
const RESPONSE_DELETED = '2000300';

// ── Pure helpers ────────────────────────────────────────────────────────────────────────────────
export const winpaySignature = (secret: string, timestamp: string) => hmacSha256Hex(secret, timestamp);

export function buildWinpayHeaders(key: string, secret: string, now: Date): Record<string, string> {
  const timestamp = jakartaTimestamp(now);
  return {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'X-Winpay-Key': key,
    'X-Winpay-Timestamp': timestamp,
    'X-Winpay-Signature': winpaySignature(secret, timestamp),
  };
}

/** Winpay's samples send the phone as digits only ("082342341"); 6–15 of them (E.164's ceiling). */
export function winpayPhone(phone: string): string {
  const digits = compactPhone(phone).replace(/^\+/, '');
  if (!/^\d{6,15}$/.test(digits)) throw phoneRefused('Winpay');
  return digits;
}

export function buildWinpayCreateRequest(order: Order, intervalMinutes: number) {
  if (!order.customer.phone) throw badRequest('phone_required', 'Winpay needs the customer’s phone number.', 'customer.phone');
  return {
    customer: { name: order.customer.name, email: order.customer.email, phone: winpayPhone(order.customer.phone) },
    invoice: {
      ref: order.providerRef,
      products: order.lines.map((line) => ({ name: line.name, qty: line.qty, price: line.price })),
    },
    back_url: order.returnUrl,
    interval: intervalMinutes,
  };
}

/** Turns a Winpay reply into its responseData, or a stable proxy error (never Winpay's own words). */
export function parseWinpayReply(reply: HttpReply, expectedCode: string): unknown {
  if (reply.status === 401 || reply.status === 403) throw providerErrors.auth();
  if (reply.status >= 500) throw providerErrors.unavailable();
  const envelope = v.safeParse(WinpayEnvelopeSchema, reply.json);
  if (!envelope.success) throw providerErrors.badResponse();
  const { responseCode, responseData } = envelope.output;
  if (reply.status === 404 || responseCode.startsWith('404')) throw providerErrors.notFound();
  if (responseCode !== expectedCode) throw providerErrors.rejected();
  return responseData;
}

export function parseWinpayCreated(data: unknown, createdAt: Date, intervalMinutes: number, providerRef: string): CreatedPayment {
  const created = v.safeParse(WinpayCreatedSchema, data);
  if (!created.success) throw providerErrors.badResponse();
  const start = (created.output.created_at && parseJakartaDateTime(created.output.created_at)) || createdAt;
  return {
    providerRef,
    providerId: created.output.id,
    paymentUrl: created.output.redirect_url,
    expiresAt: new Date(start.getTime() + intervalMinutes * 60_000).toISOString(),
  };
}

/**
 * What a PAID invoice received for its products. Winpay runs two fee models, per merchant account:
 * the customer pays the fee on top (find-invoice sample: paid_amount 306300 = 305300 + fee 1000,
 * nett 305300), or the merchant bears it (API reference: paid_amount = the total, nett = total − fee;
 * the callback defines nett_amount = amount − fee). Either way one of nett / paid_amount is the
 * invoice's own product total, and that total is what was paid. When neither is, the figure Winpay
 * reports is returned, so the order's amount check refuses it and logs the mismatch.
 */
export function winpaySettlement(invoice: WinpayInvoiceOutput): { paidAmount?: number; fee?: number } {
  const { products, payment } = invoice;
  const total = products?.reduce((sum, p) => sum + p.qty * p.price, 0);
  const fee = payment?.fee;
  const settled = total !== undefined && (payment?.nett === total || payment?.paid_amount === total);
  return { paidAmount: settled ? total : (payment?.paid_amount ?? payment?.nett), ...(fee !== undefined ? { fee } : {}) };
}

export function parseWinpayInvoice(data: unknown, now: Date, intervalMinutes: number, onUnknown: (status: string) => void): StatusResult {
  const invoice = v.safeParse(WinpayInvoiceSchema, data);
  if (!invoice.success) throw providerErrors.badResponse();
  const { status, created_at, payment } = invoice.output;
  let mapped = WINPAY_STATUS[status];
  if (!mapped) {
    onUnknown(status);
    mapped = 'pending';
  }
  // A PAID invoice is paid whatever its age: only an UNPAID one runs out.
  if (mapped === 'paid') {
    const paidAt = payment?.created_at && Date.parse(payment.created_at);
    return { status: 'paid', ...winpaySettlement(invoice.output), ...(paidAt ? { paidAt: new Date(paidAt).toISOString() } : {}) };
  }
  const created = parseJakartaDateTime(created_at);
  if (mapped === 'pending' && created && now.getTime() > created.getTime() + intervalMinutes * 60_000) return { status: 'expired' };
  return { status: mapped };
}

// ── I/O ─────────────────────────────────────────────────────────────────────────────────────────
function send(settings: ProviderSettings<'winpay'>, ctx: ProviderContext, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
  return fetchJson(
    ctx.fetch,
    `${settings.baseUrl}${path}`,
    {
      method,
      headers: buildWinpayHeaders(settings.key, settings.secret, ctx.now()),
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    ctx.timeoutMs,
  );
}

// ── Factory ─────────────────────────────────────────────────────────────────────────────────────
export function createWinpayProvider(settings: ProviderSettings<'winpay'>, options: { ttlMinutes: number }): Provider {
  const onUnknown = createUnknownStatusReporter('winpay');
  // Winpay calls the payment's lifetime its "interval".
  const intervalMinutes = options.ttlMinutes;

  return {
    id: 'winpay',
    name: 'Winpay',
    currency: 'IDR',
    requires: ['phone'],

    findsByRef: true,

    refFor: alphanumericRef,

    async createPayment(order, ctx) {
      const body = buildWinpayCreateRequest(order, intervalMinutes);
      const reply = await send(settings, ctx, 'POST', '/api/create', body);
      return parseWinpayCreated(parseWinpayReply(reply, RESPONSE_CREATED), ctx.now(), intervalMinutes, order.providerRef);
    },

    async findPayment(ref, ctx) {
      const reply = await send(settings, ctx, 'GET', `/api/findByRef/${encodeURIComponent(ref.providerRef)}`);
      if (reply.status === 404) return undefined;
      return parseWinpayCreated(parseWinpayReply(reply, RESPONSE_FOUND), ctx.now(), intervalMinutes, ref.providerRef);
    },

    async getStatus(ref: PaymentRef, ctx) {
      const path = ref.providerId
        ? `/api/find/${encodeURIComponent(ref.providerId)}`
        : `/api/findByRef/${encodeURIComponent(ref.providerRef)}`;
      const reply = await send(settings, ctx, 'GET', path);
      return parseWinpayInvoice(parseWinpayReply(reply, RESPONSE_FOUND), ctx.now(), intervalMinutes, onUnknown(ctx));
    },

    async cancelPayment(ref, ctx) {
      if (!ref.providerId) return false;
      // Winpay refuses to delete a paid invoice (4000302), which parseWinpayReply turns into an error.
      const reply = await send(settings, ctx, 'DELETE', `/api/delete/${encodeURIComponent(ref.providerId)}`);
      parseWinpayReply(reply, RESPONSE_DELETED);
      return true;
    },

    async handleNotice(request): Promise<NoticeResult> {
      const notice = v.safeParse(WinpayNoticeSchema, await request.json().catch(() => undefined));
      if (!notice.success) throw badRequest('notice_invalid', 'The notice is not a Winpay payment notice.');
      return {
        kind: 'notice',
        ref: { providerRef: notice.output.invoice.ref, providerId: notice.output.invoice.uuid },
        claimedStatus: 'paid',
        reply: () => new Response('ACCEPTED', { headers: { 'Content-Type': 'text/plain' } }),
      };
    },
  };
}
