// UAPAY Invoicer API — see docs/providers/uapay.md (sessions/create, invoicer/invoices/create, invoicer/invoices/show).
// Auth: every call is a POST of {params, data?, iat, token}, token = HS256 JWT of {params, data?, iat}
//   keyed with the merchant secret as its literal UTF-8 string; iat is Unix seconds and UAPAY refuses
//   clocks more than 20 s apart (TIMELIMIT_ERROR). Calls name a session from sessions/create, shared by
//   all checkouts and renewed (once, however many calls saw it fail) when UAPAY reports a session error.
//   Replies carry their payload in data.token, signed the same way, and verified before it is read;
//   the docs' own reply samples show the payload plain in data, which is read as it is (A).
// Notices: POST {"token": "<HS256 JWT>"} to the callbackUrl given per invoice, payload paymentId,
//   invoiceId, externalId, amount, status, paymentStatus (older clients name the ids id / orderId);
//   answered with HTTP 200, else UAPAY retries. A notice is only a trigger: the payment is confirmed
//   by a signed invoices/show.
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { badRequest, KasirError, providerErrors } from '../lib/errors';
import { fetchJson, type HttpReply } from '../lib/http';
import { signJwt, verifyJwt } from '../lib/jwt';
import { createUnknownStatusReporter } from '../lib/log';
import { alphanumericRef } from './refs';
import { kyivDateTime } from '../lib/time';
import type { Order } from '../orders/order';
import type { CreatedPayment, NoticeResult, PaymentRef, PaymentStatus, Provider, ProviderContext, StatusResult } from './types';

// ── Wire schemas ────────────────────────────────────────────────────────────────────────────────
const KopecksSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const UapayEnvelopeSchema = v.object({
  status: v.optional(v.number()),
  data: v.optional(v.unknown()),
  error: v.optional(v.object({ code: v.optional(v.string()), message: v.optional(v.string()), fields: v.optional(v.unknown()) })),
});

/** A success reply's `data`, and a notice's body. */
export const UapayTokenSchema = v.object({ token: v.string() });

export const UapaySessionSchema = v.object({ id: v.pipe(v.string(), v.minLength(1)) });

export const UapayCreatedSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  paymentPageUrl: v.pipe(v.string(), v.url()),
  paymentPageUrlQR: v.optional(v.pipe(v.string(), v.url())),
});

export const UapayInvoiceSchema = v.object({
  id: v.string(),
  externalId: v.optional(v.string()),
  invoiceStatus: v.string(),
  payments: v.nullish(v.array(v.object({ paymentStatus: v.string(), amount: v.optional(KopecksSchema) })), []),
});

/**
 * The docs name paymentId / invoiceId; older UAPAY clients (the 1C-Bitrix handler) read id / orderId,
 * and a notice in that form may lack externalId, which the signed invoice then supplies.
 */
export const UapayNoticeSchema = v.pipe(
  v.object({
    paymentId: v.optional(v.string()),
    id: v.optional(v.string()),
    invoiceId: v.optional(v.string()),
    orderId: v.optional(v.string()),
    externalId: v.optional(v.pipe(v.string(), v.minLength(1))),
    amount: v.optional(KopecksSchema),
    status: v.optional(v.string()),
    paymentStatus: v.optional(v.string()),
  }),
  v.check((n) => (n.invoiceId ?? n.orderId) !== undefined && (n.paymentStatus ?? n.status) !== undefined),
  v.transform((n) => ({
    paymentId: n.paymentId ?? n.id,
    invoiceId: (n.invoiceId ?? n.orderId)!,
    externalId: n.externalId,
    paymentStatus: (n.paymentStatus ?? n.status)!,
  })),
);

// ── Status map ──────────────────────────────────────────────────────────────────────────────────
// Per payment attempt (paymentStatus). HOLDED only follows type HOLD, which the proxy never creates.
// Only FINISHED is paid, as in every public UAPAY client; PAYED (money taken, not yet settled) waits
// for FINISHED, and is logged once so a merchant whose payments stop there can tell (UAPAY_PAYED).
const UAPAY_PAYED = 'PAYED';
const UAPAY_PAYMENT_STATUS: Record<string, PaymentStatus> = {
  OPEN: 'pending',
  PENDING: 'pending',
  NEEDS_CONFIRMATION: 'pending',
  HOLDED: 'pending',
  [UAPAY_PAYED]: 'pending',
  FINISHED: 'paid',
  REVERSED: 'refunded',
  RETURNED: 'refunded',
  REJECTED: 'failed',
  CANCELED: 'cancelled',
  CLOSED: 'cancelled',
};
// An invoice no longer payable without a paid, failed or cancelled attempt has run out (our derivation).
const UAPAY_INVOICE_STATUS: Record<string, PaymentStatus> = { ACTIVE: 'pending', INACTIVE: 'expired' };

// Error codes: FORMAT_ERROR (production code) and TIMELIMIT_ERROR (docs) are known; the others are
// our simulator's (A). All of these are our configuration's fault, not the payment's.
const UAPAY_AUTH_ERRORS = new Set(['TIMELIMIT_ERROR', 'TOKEN_ERROR', 'CLIENT_NOT_FOUND']);
/** A session that is unknown or expired: a new one will do (A: UAPAY names it in the code). */
const isSessionCode = (code: string) => code.includes('SESSION');

// ── Pure helpers ────────────────────────────────────────────────────────────────────────────────
export interface UapayRequest {
  params: Record<string, unknown>;
  data?: Record<string, unknown>;
}

export const uapayIat = (now: Date) => Math.floor(now.getTime() / 1000);

/** The body UAPAY wants: the fields plain and, identically, inside the HS256 token. */
export function signUapayRequest(request: UapayRequest, secret: string, now: Date) {
  const claims = { params: request.params, ...(request.data ? { data: request.data } : {}), iat: uapayIat(now) };
  return { ...claims, token: signJwt(claims, secret) };
}



export const buildUapaySessionRequest = (clientId: string): UapayRequest => ({ params: { clientId } });

export function buildUapayCreateRequest(order: Order, sessionId: string, callbackUrl: string, expiresAt: Date): UapayRequest {
  return {
    params: { sessionId, systemType: 'ECOM' },
    data: {
      externalId: order.providerRef,
      type: 'PAY',
      reusability: false,
      description: `Order ${order.providerRef}`,
      amount: order.amount,
      ...(order.returnUrl ? { redirectUrl: order.returnUrl } : {}),
      callbackUrl,
      ...(order.customer.email ? { email: order.customer.email } : {}),
      payExpiresAt: kyivDateTime(expiresAt),
    },
  };
}

export const buildUapayShowRequest = (sessionId: string, id: string): UapayRequest => ({ params: { sessionId, id } });

export function isUapaySessionError(json: unknown): boolean {
  const envelope = v.safeParse(UapayEnvelopeSchema, json);
  return envelope.success && isSessionCode(envelope.output.error?.code ?? '');
}

/** Turns a UAPAY reply into its verified token payload, or a stable proxy error (never UAPAY's own words). */
export function parseUapayReply(reply: HttpReply, secret: string): unknown {
  if (reply.status >= 500) throw providerErrors.unavailable();
  if (reply.status === 401 || reply.status === 403) throw providerErrors.auth();
  if (reply.status === 404) throw providerErrors.notFound();
  const envelope = v.safeParse(UapayEnvelopeSchema, reply.json);
  if (!envelope.success) throw providerErrors.badResponse();
  const { status, data, error } = envelope.output;
  if (error || status !== 1) {
    const code = error?.code ?? '';
    throw UAPAY_AUTH_ERRORS.has(code) || isSessionCode(code) ? providerErrors.auth() : providerErrors.rejected();
  }
  // A token is verified; a reply without one carries its payload plain, as the docs' samples show.
  const token = v.safeParse(UapayTokenSchema, data);
  const payload = token.success ? verifyJwt(token.output.token, secret) : data;
  if (payload === null || typeof payload !== 'object' || Object.keys(payload).length === 0) throw providerErrors.badResponse();
  return payload;
}

export function parseUapaySession(payload: unknown): string {
  const session = v.safeParse(UapaySessionSchema, payload);
  if (!session.success) throw providerErrors.badResponse();
  return session.output.id;
}

export function parseUapayCreated(payload: unknown, providerRef: string, expiresAt: Date): CreatedPayment {
  const created = v.safeParse(UapayCreatedSchema, payload);
  if (!created.success) throw providerErrors.badResponse();
  return {
    providerRef,
    providerId: created.output.id,
    paymentUrl: created.output.paymentPageUrl,
    ...(created.output.paymentPageUrlQR ? { qrUrl: created.output.paymentPageUrlQR } : {}),
    expiresAt: expiresAt.toISOString(),
  };
}

/** `onUnknown` hears the statuses worth a log line: unknown ones, and PAYED (known, but not yet paid). */
export function uapayPaymentStatus(paymentStatus: string, onUnknown: (status: string) => void): PaymentStatus {
  const mapped = UAPAY_PAYMENT_STATUS[paymentStatus];
  if (paymentStatus === UAPAY_PAYED) onUnknown(paymentStatus);
  if (mapped) return mapped;
  onUnknown(paymentStatus);
  return 'pending';
}

export function parseUapayInvoice(payload: unknown, onUnknown: (status: string) => void): StatusResult {
  const invoice = v.safeParse(UapayInvoiceSchema, payload);
  if (!invoice.success) throw providerErrors.badResponse();
  const attempts = invoice.output.payments.map((p) => ({
    amount: p.amount,
    word: p.paymentStatus,
    status: uapayPaymentStatus(p.paymentStatus, onUnknown),
  }));
  if (attempts.some((a) => a.status === 'refunded')) return { status: 'refunded' };
  const paid = attempts.find((a) => a.status === 'paid');
  if (paid) return { status: 'paid', paidAmount: paid.amount };
  if (attempts.some((a) => a.status === 'pending')) return { status: 'pending' };
  let state = UAPAY_INVOICE_STATUS[invoice.output.invoiceStatus];
  if (!state) {
    onUnknown(invoice.output.invoiceStatus);
    state = 'pending';
  }
  // While the invoice is payable a failed attempt is not the end: the customer can try again.
  if (state === 'pending') return { status: 'pending' };
  const ended = attempts.findLast((a) => a.status === 'failed' || a.status === 'cancelled');
  return ended ? { status: ended.status, reason: ended.word } : { status: state };
}

// ── I/O ─────────────────────────────────────────────────────────────────────────────────────────
function send(settings: ProviderSettings<'uapay'>, ctx: ProviderContext, path: string, request: UapayRequest) {
  return fetchJson(
    ctx.fetch,
    `${settings.baseUrl}/${path}`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(signUapayRequest(request, settings.secret, ctx.now())),
    },
    ctx.timeoutMs,
  );
}

// ── Factory ─────────────────────────────────────────────────────────────────────────────────────
export function createUapayProvider(settings: ProviderSettings<'uapay'>, options: { ttlMinutes: number }): Provider {
  const onUnknownStatus = createUnknownStatusReporter('uapay');
  // PAYED is known but not paid: one line per process says payments were seen waiting there.
  let payedLogged = false;
  const onUnknown = (ctx: ProviderContext) => (status: string) => {
    if (status !== UAPAY_PAYED) return onUnknownStatus(ctx)(status);
    if (payedLogged) return;
    payedLogged = true;
    ctx.log.warn('uapay_payed_pending', { provider: 'uapay', status });
  };
  const { ttlMinutes } = options;
  // The session every call uses. Held as a promise so concurrent checkouts share one sessions/create.
  let session: Promise<string> | undefined;

  function openSession(ctx: ProviderContext): Promise<string> {
    const opening: Promise<string> = send(settings, ctx, 'sessions/create', buildUapaySessionRequest(settings.clientId))
      .then((reply) => parseUapaySession(parseUapayReply(reply, settings.secret)))
      .catch((err: unknown) => {
        if (session === opening) session = undefined;
        throw err;
      });
    session = opening;
    return opening;
  }

  /** One call in a session; on a session error, renewed once (unless another call already did) and retried once. */
  async function call(ctx: ProviderContext, path: string, request: (sessionId: string) => UapayRequest): Promise<unknown> {
    const held = session ?? openSession(ctx);
    let reply = await send(settings, ctx, path, request(await held));
    if (isUapaySessionError(reply.json)) {
      const renewed = session === held || !session ? openSession(ctx) : session;
      reply = await send(settings, ctx, path, request(await renewed));
    }
    return parseUapayReply(reply, settings.secret);
  }

  return {
    id: 'uapay',
    name: 'UAPAY',
    currency: 'UAH',
    requires: [],

    findsByRef: false,

    refFor: alphanumericRef,

    async createPayment(order, ctx) {
      const expiresAt = new Date(ctx.now().getTime() + ttlMinutes * 60_000);
      const payload = await call(ctx, 'invoicer/invoices/create', (sessionId) => buildUapayCreateRequest(order, sessionId, ctx.notifyUrl, expiresAt));
      return parseUapayCreated(payload, order.providerRef, expiresAt);
    },

    // invoices/show takes UAPAY's invoice id only, which the lost create reply carried; the Invoicer
    // API has no lookup by externalId, so a retry creates under the next attempt's reference.
    findPayment: async () => undefined,

    async getStatus(ref: PaymentRef, ctx) {
      const { providerId } = ref;
      // invoices/show only takes UAPAY's invoice id, which every created payment stores.
      if (!providerId) throw providerErrors.notFound();
      const payload = await call(ctx, 'invoicer/invoices/show', (sessionId) => buildUapayShowRequest(sessionId, providerId));
      return parseUapayInvoice(payload, onUnknown(ctx));
    },

    // The Invoicer API documents no way to close an invoice early: it closes at payExpiresAt.
    cancelPayment: async () => false,

    async handleNotice(request, ctx): Promise<NoticeResult> {
      const body: unknown = await request.json().catch(() => undefined);
      if (body === undefined) throw badRequest('notice_invalid', 'The notice is not a UAPAY payment notice.');
      const token = v.safeParse(UapayTokenSchema, body);
      const claims = token.success ? verifyJwt(token.output.token, settings.secret) : undefined;
      if (claims === undefined) throw new KasirError(401, 'notice_signature_invalid', 'The notice signature is not valid.');
      const notice = v.safeParse(UapayNoticeSchema, claims);
      if (!notice.success) throw badRequest('notice_invalid', 'The notice is not a UAPAY payment notice.');
      const { invoiceId } = notice.output;
      // A signed notice without our reference: the invoice it names says which one is ours.
      let providerRef = notice.output.externalId;
      if (providerRef === undefined) {
        const invoice = v.safeParse(UapayInvoiceSchema, await call(ctx, 'invoicer/invoices/show', (sessionId) => buildUapayShowRequest(sessionId, invoiceId)));
        providerRef = invoice.success ? invoice.output.externalId : undefined;
        if (!providerRef) throw badRequest('notice_invalid', 'The notice names no invoice of ours.');
      }
      return {
        kind: 'notice',
        ref: { providerRef, providerId: invoiceId },
        claimedStatus: uapayPaymentStatus(notice.output.paymentStatus, onUnknown(ctx)),
        reply: () => new Response('OK', { headers: { 'Content-Type': 'text/plain' } }),
      };
    },
  };
}
