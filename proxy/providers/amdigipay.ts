// AMDigipay (Bisabiller / Bisatopup) H2H payment API — see docs/providers/amdigipay.md.
// Auth: POST /login {username, password} → a bearer token (expires_in seconds) sent on every other
//   call. Logged in with a form body, as the public clients do, falling back to the JSON the docs
//   show when the form is refused (and remembering which worked). The token is cached, renewed
//   shortly before it runs out, and renewed once on a 401.
//   Requests carry signature = sha256_hex(username + transaction_id): no secret, so it proves nothing.
// Notices: POST JSON or a form to the callback URL set in AMDigipay's dashboard, with the same
//   signature; answered with HTTP 200. The dashboard's test button sends an empty body or `testing`:
//   answered 200, nothing changes. As anyone can compute the signature, a notice is only a trigger:
//   the payment is confirmed by GET payment/detail-transaction/{id} (status_id 3/4 and the total).
import * as v from 'valibot';
import { ConfigError, type ProviderSettings } from '../lib/config';
import { badRequest, KasirError, providerErrors } from '../lib/errors';
import { fetchJson, type HttpReply } from '../lib/http';
import { createUnknownStatusReporter } from '../lib/log';
import { WireIntegerSchema } from '../lib/money';
import { indonesianPhone, phoneRefused } from './phone';
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
/** The dashboard's "test callback" button sends this literal (as the body, or as its signature), or nothing. */
const TEST_NOTICE = 'testing';
/** How a lost create is looked for in payment/list-transaction: this many of the newest, page by page (A). */
const LIST_PAGE_SIZE = 50;
const LIST_PAGES = 3;
/** Replies to a login whose body the server could not read: the other encoding is tried (A). */
const LOGIN_BODY_REFUSED = new Set([400, 415, 422]);

// ── Pure helpers ────────────────────────────────────────────────────────────────────────────────
/** (M) Undocumented; taken from production integrations. One function so it can be swapped alone. */
export const amdigipaySignature = (username: string, transactionId: string) => sha256Hex(username + transactionId);

/** (A) The reply format for notices is undocumented beyond "HTTP 200". */
export const amdigipayNoticeReply = () => Response.json({ status: 'ok' });

export function buildAmdigipayHeaders(token?: string, contentType = 'application/json'): Record<string, string> {
  return {
    'Content-Type': contentType,
    Accept: 'application/json',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
}

/** How the login body is encoded: a form first (as both public clients send it), JSON as the docs show. */
export type AmdigipayLoginEncoding = 'form' | 'json';

export function buildAmdigipayLogin(username: string, password: string, encoding: AmdigipayLoginEncoding) {
  return encoding === 'form'
    ? { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ username, password }).toString() }
    : { contentType: 'application/json', body: JSON.stringify({ username, password }) };
}

/** The samples write customer_number as an Indonesian number, digits only: 08… or 62…. */
export function amdigipayPhone(phone: string): string {
  const number = indonesianPhone(phone);
  if (number === undefined) throw phoneRefused('AMDigipay');
  return number;
}

/** Field order and types follow the docs' example request (test/fixtures/providers/amdigipay): amounts and payment_id are JSON numbers. */
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
    // Always sent, as every public client does; empty when the shopper gave no number.
    customer_number: phone ? amdigipayPhone(phone) : '',
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

/** A transaction as the payment the widget shows: its page, QR string or pay code, and expiry. */
function paymentOf(trx: AmdigipayTransactionOutput, fallbackExpiry: Date): CreatedPayment {
  // H2H: QRIS and VA channels may come without a hosted page; the widget shows the QR or code instead.
  if (!trx.payment_links && !trx.qr_code && !trx.payment_code) throw providerErrors.badResponse();
  const expires = (trx.expired_date && parseJakartaDateTime(trx.expired_date)) || fallbackExpiry;
  return {
    providerRef: trx.transaction_id,
    providerId: String(trx.id),
    paymentUrl: trx.payment_links ?? '',
    ...(trx.qr_code ? { qrString: trx.qr_code } : {}),
    ...(trx.payment_code ? { payCode: trx.payment_code } : {}),
    expiresAt: expires.toISOString(),
  };
}

export function parseAmdigipayCreated(data: unknown, order: Order, expiresAt: Date): CreatedPayment {
  const trx = parseTransaction(data, order.providerRef);
  if (trx.transaction_total !== order.amount + AMDIGIPAY_ADMIN_FEE) throw providerErrors.badResponse();
  return paymentOf(trx, expiresAt);
}

function mapStatus(statusId: number, onUnknown: (statusId: number) => void): PaymentStatus {
  const mapped = AMDIGIPAY_STATUS[statusId];
  if (mapped) return mapped;
  onUnknown(statusId);
  return 'pending';
}

/** The rows of a payment/list-transaction reply: a list, or a page object holding one in `data` (A). */
export function amdigipayListRows(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  const page = v.safeParse(v.object({ data: v.array(v.unknown()) }), data);
  return page.success ? page.output.data : undefined;
}

/** The transaction made under `providerRef`, as a created payment, from one page of rows. */
export function findAmdigipayTransaction(rows: unknown[], providerRef: string, fallbackExpiry: Date): CreatedPayment | undefined {
  const row = rows.find((r) => v.is(v.object({ transaction_id: v.literal(providerRef) }), r));
  return row === undefined ? undefined : paymentOf(parseTransaction(row, providerRef), fallbackExpiry);
}

export function parseAmdigipayTransaction(data: unknown, providerRef: string, now: Date, onUnknown: (statusId: number) => void): StatusResult {
  const trx = parseTransaction(data, providerRef);
  const status = mapStatus(trx.status_id, onUnknown);
  if (status === 'paid') return { status, paidAmount: trx.transaction_total - (trx.admin_fee ?? 0) };
  if (status === 'cancelled' || status === 'failed') return { status, reason: trx.status || String(trx.status_id) };
  const expires = trx.expired_date ? parseJakartaDateTime(trx.expired_date) : undefined;
  if (status === 'pending' && expires && now.getTime() > expires.getTime()) return { status: 'expired' };
  return { status };
}

// ── I/O ─────────────────────────────────────────────────────────────────────────────────────────
/** `body` is sent as JSON, or as it is when already encoded (the login form). */
function send(
  settings: ProviderSettings<'amdigipay'>,
  ctx: ProviderContext,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token?: string,
  encoded?: { contentType: string; body: string },
) {
  return fetchJson(
    ctx.fetch,
    `${settings.baseUrl}${path}`,
    {
      method,
      headers: buildAmdigipayHeaders(token, encoded?.contentType),
      body: encoded ? encoded.body : body === undefined ? undefined : JSON.stringify(body),
    },
    ctx.timeoutMs,
  );
}

/** A notice's fields, from JSON or a form; 'test' for the dashboard's test button; undefined if unreadable. */
export async function readAmdigipayNotice(request: Request): Promise<unknown> {
  const text = (await request.text().catch(() => '')).trim();
  if (text === '' || text === TEST_NOTICE || text === `"${TEST_NOTICE}"`) return 'test';
  if ((request.headers.get('Content-Type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ── Factory ─────────────────────────────────────────────────────────────────────────────────────
export function createAmdigipayProvider(settings: ProviderSettings<'amdigipay'>, options: { ttlMinutes: number }): Provider {
  if (!/^\d+$/.test(settings.paymentId)) throw new ConfigError('AMDIGIPAY_PAYMENT_ID must be a channel number such as 33');
  const onUnknown = createUnknownStatusReporter('amdigipay');
  let token: { value: string; renewAt: number } | undefined;
  let loggingIn: Promise<string> | undefined;
  let loginEncoding: AmdigipayLoginEncoding = 'form';

  // Single flight: however many calls need a token at once, AMDigipay sees one login.
  function login(ctx: ProviderContext): Promise<string> {
    loggingIn ??= (async () => {
      try {
        const attempt = (encoding: AmdigipayLoginEncoding) =>
          send(settings, ctx, 'POST', '/login', undefined, undefined, buildAmdigipayLogin(settings.username, settings.password, encoding));
        let reply = await attempt(loginEncoding);
        if (LOGIN_BODY_REFUSED.has(reply.status)) {
          const other = loginEncoding === 'form' ? 'json' : 'form';
          const retried = await attempt(other);
          if (!LOGIN_BODY_REFUSED.has(retried.status)) loginEncoding = other;
          reply = retried;
        }
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
    // The docs mark neither customer_number nor customer_email as required.
    requires: [],

    findsByRef: true,

    refFor: alphanumericRef,

    async createPayment(order, ctx) {
      const expiresAt = new Date(ctx.now().getTime() + options.ttlMinutes * 60_000);
      const data = await call(ctx, 'POST', '/payment/transaction', buildAmdigipayCreateRequest(order, settings, expiresAt));
      return parseAmdigipayCreated(data, order, expiresAt);
    },

    // detail-transaction takes the gateway id, which the lost create reply carried: the transaction
    // is looked for by our transaction_id among the newest in list-transaction instead.
    async findPayment(ref, ctx) {
      const fallbackExpiry = new Date(ctx.now().getTime() + options.ttlMinutes * 60_000);
      for (let page = 1; page <= LIST_PAGES; page++) {
        const rows = amdigipayListRows(await call(ctx, 'GET', `/payment/list-transaction?limit=${LIST_PAGE_SIZE}&current_page=${page}`));
        if (rows === undefined) throw providerErrors.badResponse();
        const found = findAmdigipayTransaction(rows, ref.providerRef, fallbackExpiry);
        if (found || rows.length < LIST_PAGE_SIZE) return found;
      }
      return undefined;
    },

    async getStatus(ref: PaymentRef, ctx) {
      // The gateway id is only known from a successful create; without it there is nothing to look up.
      if (!ref.providerId) throw providerErrors.notFound();
      const data = await call(ctx, 'GET', `/payment/detail-transaction/${encodeURIComponent(ref.providerId)}`);
      return parseAmdigipayTransaction(data, ref.providerRef, ctx.now(), onUnknown(ctx));
    },

    // No cancel call is documented: the transaction closes at its expired_date.
    cancelPayment: async () => false,

    async handleNotice(request, ctx): Promise<NoticeResult> {
      const body = await readAmdigipayNotice(request);
      if (body === 'test' || v.is(v.object({ signature: v.literal(TEST_NOTICE) }), body)) return { kind: 'ignore', reply: amdigipayNoticeReply };
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
