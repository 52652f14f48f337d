// A faithful UAPAY Invoicer simulator: the same paths, HS256-signed bodies (plain fields must equal
// the token's), clientId and session checks, 20-second clock window, replies signed with the secret
// and {status: 0, error: {code, message, fields}} errors as the real service (docs/providers/uapay.md),
// plus a hosted pay page whose buttons settle the invoice, post UAPAY's signed callback to the
// callbackUrl given at create and send the customer to its redirectUrl. The API answers both at
// /sandbox/uapay/<method> and, as UAPAY's own clients join base URL and `api/<method>`, at
// /sandbox/uapay/api/<method>.
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { renderSVG } from 'uqr';
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { signJwt, verifyJwt } from '../lib/jwt';
import { timingSafeEqual } from '../lib/signing';
import { kyivDateTime } from '../lib/time';
import { uapayIat } from '../providers/uapay';
import { postNotice } from './notice';
import { renderPayPage } from './page';
import { withheld } from './privacy';
import type { SandboxDeps } from '.';

const MAX_CLOCK_SKEW_MS = 20_000;
/** UAPAY asks integrators to renew sessions at least daily. */
const SESSION_TTL_SECONDS = 24 * 60 * 60;
/** The real service retries at 5 s, 5 min, 1 h, 2 h, 24 h; here the retries are immediate. */
const CALLBACK_ATTEMPTS = 5;

const SignedRequestSchema = v.object({
  params: v.record(v.string(), v.unknown()),
  data: v.optional(v.record(v.string(), v.unknown())),
  // Unix seconds; UAPAY's own plugin sends a fractional microtime, which the clock check reads alike.
  iat: v.pipe(v.number(), v.finite()),
  token: v.string(),
});

const SessionCreateSchema = v.object({ params: v.object({ clientId: v.string() }) });

const InvoiceCreateSchema = v.object({
  // P2P (cardTo) and HOLD / SUBSCRIBE are not simulated.
  params: v.object({ sessionId: v.string(), systemType: v.literal('ECOM') }),
  data: v.object({
    externalId: v.pipe(v.string(), v.minLength(1)),
    type: v.literal('PAY'),
    reusability: v.optional(v.boolean()),
    description: v.pipe(v.string(), v.minLength(1)),
    amount: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    redirectUrl: v.optional(v.pipe(v.string(), v.url())),
    callbackUrl: v.optional(v.pipe(v.string(), v.url())),
    email: v.optional(v.pipe(v.string(), v.email())),
    payExpiresAt: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/))),
    /** A JSON-encoded string, handed back in the callback. */
    extraInfo: v.optional(v.string()),
  }),
});
type InvoiceCreateOutput = v.InferOutput<typeof InvoiceCreateSchema>;

const InvoiceShowSchema = v.object({ params: v.object({ sessionId: v.string(), id: v.string() }) });

/** A payment attempt, with the fields (and types) of UAPAY's documented callback payload. */
interface SandboxPayment {
  paymentId: string;
  invoiceId: string;
  externalId: string;
  paymentNumber: number;
  cardFromMasked: string | null;
  cardToMasked: string | null;
  amount: number;
  status: string;
  type: 'PAY';
  systemType: 'ECOM';
  paymentStatus: string;
  receiptPath: string;
  extraInfo: string | null;
  /** ISO 8601 UTC with milliseconds, as the callback sample writes them. */
  createDate: string;
  payDate: string | null;
}

interface SandboxInvoice extends Omit<InvoiceCreateOutput['data'], 'type' | 'reusability'> {
  id: string;
  invoiceStatus: 'ACTIVE' | 'INACTIVE';
  payments: SandboxPayment[];
}

/** What each pay-page button does to the attempt it records. */
const OUTCOMES = {
  pay: { status: 'FINISHED', paymentStatus: 'FINISHED' },
  cancel: { status: 'CANCELED', paymentStatus: 'CANCELED' },
  fail: { status: 'CANCELED', paymentStatus: 'REJECTED' },
} as const;

interface Reply {
  status: ContentfulStatusCode;
  body: unknown;
}

type Fields = Record<string, string | Record<string, string>>;

/** Key order does not matter when UAPAY compares the plain fields with the token's. */
const canonical = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(canonical)
    : x !== null && typeof x === 'object'
      ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, canonical((x as Record<string, unknown>)[k])]))
      : x;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export function createUapaySandbox(settings: ProviderSettings<'uapay'>, deps: SandboxDeps, options = { sessionTtlSeconds: SESSION_TTL_SECONDS }) {
  const { store, now } = deps;
  const sessionKey = (id: string) => `sandbox:uapay:session:${id}`;
  const invoiceKey = (id: string) => `sandbox:uapay:invoice:${id}`;
  const refKey = (externalId: string) => `sandbox:uapay:ref:${externalId}`;
  const pageUrl = (id: string) => `${settings.baseUrl}/i/${id}`;

  const fail = (status: ContentfulStatusCode, code: string, message: string, fields?: Fields): Reply => ({
    status,
    body: { status: 0, error: { code, message, ...(fields ? { fields } : {}) } },
  });
  const ok = (payload: object): Reply => ({
    status: 200,
    body: { status: 1, data: { token: signJwt({ ...payload, iat: uapayIat(now()) }, settings.secret) } },
  });

  function formatError(issues: v.BaseIssue<unknown>[]): Reply {
    const fields: Fields = {};
    for (const issue of issues) {
      const [group, name] = issue.path?.map((p) => String(p.key)) ?? [];
      if (!group) continue;
      const verdict = issue.input === undefined ? 'REQUIRED' : 'INVALID';
      if (name === undefined) fields[group] = verdict;
      else fields[group] = { ...(fields[group] as Record<string, string> | undefined), [name]: verdict };
    }
    return fail(400, 'FORMAT_ERROR', 'Invalid request format', fields);
  }

  async function sessionAlive(id: string) {
    const session = await store.get<{ createdAt: number }>(sessionKey(id));
    return session !== undefined && now().getTime() - session.createdAt < options.sessionTtlSeconds * 1000;
  }
  const sessionError = () => fail(401, 'SESSION_NOT_FOUND', 'Session not found or expired', { params: { sessionId: 'INVALID' } });

  const isExpired = (inv: SandboxInvoice) =>
    inv.invoiceStatus === 'ACTIVE' && inv.payExpiresAt !== undefined && kyivDateTime(now()) > inv.payExpiresAt;

  const find = (id: string) => store.get<SandboxInvoice>(invoiceKey(id));

  const app = new Hono();

  /** Every API call: a signed body whose plain fields equal the token's, within the clock window. */
  function api<S extends v.GenericSchema>(path: string, schema: S, handle: (input: v.InferOutput<S>) => Promise<Reply>) {
    app.post(path, handleApiCall);
    app.post(`/api${path}`, handleApiCall);
    async function handleApiCall(c: Context) {
      const reply = await answer(await c.req.json().catch(() => undefined));
      return c.json(reply.body, reply.status);
    }

    async function answer(body: unknown): Promise<Reply> {
      const request = v.safeParse(SignedRequestSchema, body);
      if (!request.success) return formatError(request.issues);
      const { token, ...plain } = request.output;
      const claims = verifyJwt(token, settings.secret);
      if (claims === undefined || !sameJson(claims, plain)) return fail(401, 'TOKEN_ERROR', 'Invalid token');
      if (Math.abs(plain.iat * 1000 - now().getTime()) > MAX_CLOCK_SKEW_MS) return fail(401, 'TIMELIMIT_ERROR', 'Request time limit exceeded');
      const input = v.safeParse(schema, plain);
      return input.success ? handle(input.output) : formatError(input.issues);
    }
  }

  api('/sessions/create', SessionCreateSchema, async ({ params }) => {
    if (!timingSafeEqual(params.clientId, settings.clientId)) return fail(401, 'CLIENT_NOT_FOUND', 'Client not found');
    const id = crypto.randomUUID();
    await store.set(sessionKey(id), { createdAt: now().getTime() }, { ttlSeconds: options.sessionTtlSeconds });
    return ok({ id });
  });

  api('/invoicer/invoices/create', InvoiceCreateSchema, async ({ params, data }) => {
    if (!(await sessionAlive(params.sessionId))) return sessionError();
    if (!(await store.add(refKey(data.externalId), ''))) return fail(400, 'FORMAT_ERROR', 'externalId is not unique', { data: { externalId: 'DUPLICATE' } });
    const { type: _type, reusability: _reusability, ...rest } = data;
    const inv: SandboxInvoice = { ...rest, email: withheld(rest.email, 'email'), id: crypto.randomUUID(), invoiceStatus: 'ACTIVE', payments: [] };
    await store.set(invoiceKey(inv.id), inv);
    await store.set(refKey(data.externalId), inv.id);
    return ok({ id: inv.id, paymentPageUrl: pageUrl(inv.id), paymentPageUrlQR: `${settings.baseUrl}/qr/invoicer/${inv.id}` });
  });

  api('/invoicer/invoices/show', InvoiceShowSchema, async ({ params }) => {
    if (!(await sessionAlive(params.sessionId))) return sessionError();
    const inv = await find(params.id);
    if (!inv) return fail(404, 'INVOICE_NOT_FOUND', 'Invoice not found');
    const { callbackUrl: _callbackUrl, ...view } = inv;
    return ok({ ...view, invoiceStatus: isExpired(inv) ? 'INACTIVE' : inv.invoiceStatus, paymentPageUrl: pageUrl(inv.id) });
  });

  // The QR address answers with a scannable QR code of the pay page's address.
  app.get('/qr/invoicer/:id', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.text('Invoice not found', 404);
    return c.body(renderSVG(pageUrl(inv.id)), 200, { 'Content-Type': 'image/svg+xml' });
  });

  // ── Hosted pay page ──
  app.get('/i/:id', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.text('Invoice not found', 404);
    const settled = inv.payments.at(-1)?.paymentStatus;
    return c.html(
      renderPayPage({
        providerName: 'UAPAY',
        reference: inv.externalId,
        amount: inv.amount,
        currency: 'UAH',
        items: [{ name: inv.description, qty: 1, price: inv.amount }],
        state: settled ? `This invoice is closed (${settled}).` : isExpired(inv) ? 'This invoice has expired.' : undefined,
        pageUrl: pageUrl(inv.id),
        actions: ['pay', 'cancel', 'fail'],
      }),
    );
  });

  // A one-time (non-reusable) invoice closes with its first settled attempt.
  app.post('/i/:id/:action{pay|cancel|fail}', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.text('Invoice not found', 404);
    if (inv.invoiceStatus === 'ACTIVE' && !isExpired(inv)) {
      const outcome = OUTCOMES[c.req.param('action') as keyof typeof OUTCOMES];
      const at = now().toISOString();
      const paymentId = crypto.randomUUID();
      const payment: SandboxPayment = {
        paymentId,
        invoiceId: inv.id,
        externalId: inv.externalId,
        paymentNumber: crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000,
        cardFromMasked: '4111111111',
        cardToMasked: null,
        amount: inv.amount,
        status: outcome.status,
        type: 'PAY',
        systemType: 'ECOM',
        paymentStatus: outcome.paymentStatus,
        receiptPath: `${settings.baseUrl}/acquiring/receipts/v2/${paymentId}.pdf`,
        extraInfo: inv.extraInfo ?? null,
        createDate: at,
        payDate: outcome.paymentStatus === 'FINISHED' ? at : null,
      };
      inv.payments.push(payment);
      inv.invoiceStatus = 'INACTIVE';
      await store.set(invoiceKey(inv.id), inv);
      if (inv.callbackUrl) await sendCallback(inv.callbackUrl, payment);
    }
    return c.redirect(inv.redirectUrl ?? pageUrl(inv.id), 303);
  });

  async function sendCallback(url: string, payment: SandboxPayment) {
    // The documented callback token carries the payment's fields and no iat.
    const body = JSON.stringify({ token: signJwt(payment, settings.secret) });
    // Delivered once the merchant answers HTTP 200; anything else is retried.
    await postNotice(deps, 'uapay', url, body, { attempts: CALLBACK_ATTEMPTS });
  }

  return app;
}
