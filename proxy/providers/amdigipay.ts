// AMDigipay (Bisabiller / Bisatopup) H2H payment API — https://h2h.amdigipay.com (Create Transaction).
// Auth: POST /login {username, password} → a bearer token (expires_in seconds) sent on every other
//   call. The token is cached, renewed shortly before it runs out, and renewed once on a 401.
//   Requests carry signature = sha256_hex(username + transaction_id): no secret, so it proves nothing.
// Notices: POST JSON to the callback URL set in AMDigipay's dashboard, with the same signature;
//   answered with HTTP 200. As anyone can compute the signature, a notice is only a trigger: the
//   payment is confirmed by GET payment/detail-transaction/{id} (status_id 3/4 and the total).
import * as v from 'valibot';
import { ConfigError, type ProviderSettings } from '../lib/config';
import { badRequest, KasirError, providerErrors } from '../lib/errors';
import { fetchJson, type HttpReply } from '../lib/http';
import { createUnknownStatusReporter } from '../lib/log';
import { WireIntegerSchema } from '../lib/money';
import { alphanumericRef } from './refs';
import { sha256Hex, timingSafeEqual } from '../lib/signing';
import { jakartaDateTime, parseJakartaDateTime } from '../lib/time';
import type { Order } from '../orders/order';
import type { CreatedPayment, NoticeResult, PaymentRef, PaymentStatus, Provider, ProviderContext, StatusResult } from './types';

// ── Wire schemas ────────────────────────────────────────────────────────────────────────────────
// Success is {error:false, message, data}; failures are {error:true, message} or {status:"error", message, data:null}.
export const AmdigipayEnvelopeSchema = v.object({
  error: v.optional(v.boolean()),
  status: v.optional(v.unknown()),
  data: v.optional(v.unknown()),
});

export const AmdigipayLoginSchema = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  token_type: v.optional(v.string()),
  expires_in: WireIntegerSchema,
});

export const AmdigipayTransactionSchema = v.object({
  id: WireIntegerSchema,
  status_id: WireIntegerSchema,
  status: v.nullish(v.string()),
  transaction_id: v.string(),
  transaction_total: WireIntegerSchema,
  admin_fee: v.nullish(WireIntegerSchema),
  expired_date: v.nullish(v.string()),
  payment_links: v.nullish(v.pipe(v.string(), v.url())),
  payment_code: v.nullish(v.string()),
  qr_code: v.nullish(v.string()),
});
export type AmdigipayTransactionOutput = v.InferOutput<typeof AmdigipayTransactionSchema>;

export const AmdigipayNoticeSchema = v.object({
  id: v.optional(WireIntegerSchema),
  transaction_id: v.pipe(v.string(), v.minLength(1)),
  signature: v.string(),
  status_id: WireIntegerSchema,
});

// ── Status map ──────────────────────────────────────────────────────────────────────────────────
// No expired status_id is documented: a pending transaction past its expired_date is expired (our derivation).
const AMDIGIPAY_STATUS: Record<number, PaymentStatus> = {
  1: 'pending',
  2: 'pending',
  13: 'pending',
  3: 'paid',
  4: 'paid',
  5: 'cancelled',
  6: 'refunded',
  14: 'failed',
};

/** What we charge the customer on top of the order: nothing. (A) kept apart so it can change alone. */
export const AMDIGIPAY_ADMIN_FEE = 0;
/** Renew the token this long before AMDigipay says it expires, so no call carries a dying token. */
const TOKEN_RENEW_MARGIN_MS = 60_000;
/** The dashboard's "test callback" button signs its notice with this literal. */
const TEST_NOTICE_SIGNATURE = 'testing';

// ── Pure helpers ────────────────────────────────────────────────────────────────────────────────
/** (M) Undocumented; taken from production integrations. One function so it can be swapped alone. */
export const amdigipaySignature = (username: string, transactionId: string) => sha256Hex(username + transactionId);

/** (A) The reply format for notices is undocumented beyond "HTTP 200". */
export const amdigipayNoticeReply = () => Response.json({ status: 'ok' });

export function buildAmdigipayHeaders(token?: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
}

/** Field order and types follow the seed's example request: amounts and payment_id are JSON numbers. */
export function buildAmdigipayCreateRequest(order: Order, settings: ProviderSettings<'amdigipay'>, expiresAt: Date) {
  const items = order.lines.map((line) => ({
    item_id: line.sku,
    item_price: line.price,
    item_total_price: line.price * line.qty,
    item_quantity: line.qty,
    item_name: line.name,
  }));
  if (AMDIGIPAY_ADMIN_FEE > 0) {
    items.push({ item_id: 'fee', item_price: AMDIGIPAY_ADMIN_FEE, item_total_price: AMDIGIPAY_ADMIN_FEE, item_quantity: 1, item_name: 'fee' });
  }
  const { phone, email } = order.customer;
  return {
    // The shopper's method may name the channel (docs/methods.md); else the configured default.
    payment_id: Number(order.channel ?? settings.paymentId),
    username: settings.username,
    signature: amdigipaySignature(settings.username, order.providerRef),
    expired_date: jakartaDateTime(expiresAt),
    nominal: order.amount,
    admin_fee: AMDIGIPAY_ADMIN_FEE,
    transaction_id: order.providerRef,
    transaction_total: order.amount + AMDIGIPAY_ADMIN_FEE,
    transaction_name: `Order ${order.providerRef}`,
    transaction_desc: order.lines.map((line) => `${line.qty} x ${line.name}`).join(', ').slice(0, 255),
    // The docs' sample writes the number as digits only (085925065195).
    ...(phone ? { customer_number: phone.replace(/[^\d+]/g, '') } : {}),
    customer_name: order.customer.name,
    ...(email ? { customer_email: email } : {}),
    item_details: items,
  };
}

/** Turns an AMDigipay reply into its data, or a stable proxy error (never AMDigipay's own words). */
export function parseAmdigipayReply(reply: HttpReply): unknown {
  if (reply.status === 401 || reply.status === 403) throw providerErrors.auth();
  if (reply.status >= 500) throw providerErrors.unavailable();
  const envelope = v.safeParse(AmdigipayEnvelopeSchema, reply.json);
  if (!envelope.success) throw providerErrors.badResponse();
  if (reply.status === 404) throw providerErrors.notFound();
  const { error, status, data } = envelope.output;
  if (reply.status >= 300 || error === true || status === 'error') throw providerErrors.rejected();
  return data;
}

export function parseAmdigipayLogin(data: unknown, now: Date): { value: string; renewAt: number } {
  const login = v.safeParse(AmdigipayLoginSchema, data);
  if (!login.success) throw providerErrors.badResponse();
  return { value: login.output.access_token, renewAt: now.getTime() + login.output.expires_in * 1000 - TOKEN_RENEW_MARGIN_MS };
}

function parseTransaction(data: unknown, providerRef: string): AmdigipayTransactionOutput {
  const trx = v.safeParse(AmdigipayTransactionSchema, data);
  // A reply about another transaction is as unusable as an unreadable one.
  if (!trx.success || trx.output.transaction_id !== providerRef) throw providerErrors.badResponse();
  return trx.output;
}

export function parseAmdigipayCreated(data: unknown, order: Order, expiresAt: Date): CreatedPayment {
  const trx = parseTransaction(data, order.providerRef);
  if (trx.transaction_total !== order.amount + AMDIGIPAY_ADMIN_FEE) throw providerErrors.badResponse();
  // H2H: QRIS and VA channels may come without a hosted page; the widget shows the QR or code instead.
  if (!trx.payment_links && !trx.qr_code && !trx.payment_code) throw providerErrors.badResponse();
  const expires = (trx.expired_date && parseJakartaDateTime(trx.expired_date)) || expiresAt;
  return {
    providerRef: order.providerRef,
    providerId: String(trx.id),
    paymentUrl: trx.payment_links ?? '',
    ...(trx.qr_code ? { qrString: trx.qr_code } : {}),
    ...(trx.payment_code ? { payCode: trx.payment_code } : {}),
    expiresAt: expires.toISOString(),
  };
}

function mapStatus(statusId: number, onUnknown: (statusId: number) => void): PaymentStatus {
  const mapped = AMDIGIPAY_STATUS[statusId];
  if (mapped) return mapped;
  onUnknown(statusId);
  return 'pending';
}

export function parseAmdigipayTransaction(data: unknown, providerRef: string, now: Date, onUnknown: (statusId: number) => void): StatusResult {
  const trx = parseTransaction(data, providerRef);
  const status = mapStatus(trx.status_id, onUnknown);
  if (status === 'paid') return { status, paidAmount: trx.transaction_total - (trx.admin_fee ?? 0) };
  const expires = trx.expired_date ? parseJakartaDateTime(trx.expired_date) : undefined;
  if (status === 'pending' && expires && now.getTime() > expires.getTime()) return { status: 'expired' };
  return { status };
}

// ── I/O ─────────────────────────────────────────────────────────────────────────────────────────
function send(settings: ProviderSettings<'amdigipay'>, ctx: ProviderContext, method: 'GET' | 'POST', path: string, body?: unknown, token?: string) {
  return fetchJson(
    ctx.fetch,
    `${settings.baseUrl}${path}`,
    { method, headers: buildAmdigipayHeaders(token), body: body === undefined ? undefined : JSON.stringify(body) },
    ctx.timeoutMs,
  );
}

// ── Factory ─────────────────────────────────────────────────────────────────────────────────────
export function createAmdigipayProvider(settings: ProviderSettings<'amdigipay'>, options: { ttlMinutes: number }): Provider {
  if (!/^\d+$/.test(settings.paymentId)) throw new ConfigError('AMDIGIPAY_PAYMENT_ID must be a channel number such as 33');
  const onUnknown = createUnknownStatusReporter('amdigipay');
  let token: { value: string; renewAt: number } | undefined;
  let loggingIn: Promise<string> | undefined;

  // Single flight: however many calls need a token at once, AMDigipay sees one login.
  function login(ctx: ProviderContext): Promise<string> {
    loggingIn ??= (async () => {
      try {
        const reply = await send(settings, ctx, 'POST', '/login', { username: settings.username, password: settings.password });
        token = parseAmdigipayLogin(parseAmdigipayReply(reply), ctx.now());
        return token.value;
      } finally {
        loggingIn = undefined;
      }
    })();
    return loggingIn;
  }

  /** A usable token; `refused` is one AMDigipay just answered 401 to, so it is not handed out again. */
  function bearer(ctx: ProviderContext, refused?: string): Promise<string> {
    if (token && token.value !== refused && ctx.now().getTime() < token.renewAt) return Promise.resolve(token.value);
    return login(ctx);
  }

  async function call(ctx: ProviderContext, method: 'GET' | 'POST', path: string, body?: unknown) {
    const used = await bearer(ctx);
    const reply = await send(settings, ctx, method, path, body, used);
    if (reply.status !== 401) return parseAmdigipayReply(reply);
    return parseAmdigipayReply(await send(settings, ctx, method, path, body, await bearer(ctx, used)));
  }

  return {
    id: 'amdigipay',
    name: 'AMDigipay',
    currency: 'IDR',
    // Neither the docs nor PROVIDERS.md mark customer_number or customer_email as required.
    requires: [],

    refFor: alphanumericRef,

    async createPayment(order, ctx) {
      const expiresAt = new Date(ctx.now().getTime() + options.ttlMinutes * 60_000);
      const data = await call(ctx, 'POST', '/payment/transaction', buildAmdigipayCreateRequest(order, settings, expiresAt));
      return parseAmdigipayCreated(data, order, expiresAt);
    },

    // detail-transaction takes the gateway id, which the lost create reply carried.
    findPayment: async () => undefined,

    async getStatus(ref: PaymentRef, ctx) {
      // The gateway id is only known from a successful create; without it there is nothing to look up.
      if (!ref.providerId) throw providerErrors.notFound();
      const data = await call(ctx, 'GET', `/payment/detail-transaction/${encodeURIComponent(ref.providerId)}`);
      return parseAmdigipayTransaction(data, ref.providerRef, ctx.now(), onUnknown(ctx));
    },

    // No cancel call is documented: the transaction closes at its expired_date.
    cancelPayment: async () => false,

    async handleNotice(request, ctx): Promise<NoticeResult> {
      const body: unknown = await request.json().catch(() => undefined);
      if (v.is(v.object({ signature: v.literal(TEST_NOTICE_SIGNATURE) }), body)) return { kind: 'ignore', reply: amdigipayNoticeReply };
      const notice = v.safeParse(AmdigipayNoticeSchema, body);
      if (!notice.success) throw badRequest('notice_invalid', 'The notice is not an AMDigipay payment notice.');
      const { id, transaction_id, signature, status_id } = notice.output;
      if (!timingSafeEqual(signature, amdigipaySignature(settings.username, transaction_id))) {
        throw new KasirError(401, 'notice_signature_invalid', 'The notice signature does not verify.');
      }
      return {
        kind: 'notice',
        ref: { providerRef: transaction_id, ...(id !== undefined ? { providerId: String(id) } : {}) },
        claimedStatus: mapStatus(status_id, onUnknown(ctx)),
        reply: amdigipayNoticeReply,
      };
    },
  };
}
