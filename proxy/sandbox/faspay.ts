// A faithful Faspay Billing API simulator (docs/providers/faspay.md): create / inquire / cancel with the same bodies, signature
// (sha1(md5(username + password + transaction_number))), service_id and field checks, and Faspay's
// reply shape (response_code "00" success / "01" failed, always HTTP 200 — A), plus a hosted bill page
// whose Pay button marks the bill PAID and posts Faspay's signed callback to the merchant's notice URL
// (Faspay keeps one per merchant, set in its dashboard). Faspay's create takes no return URL, so after
// paying the customer lands back on the bill page, which then shows the bill as paid.
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { timingSafeEqual } from '../lib/signing';
import { jakartaDateTime, parseJakartaDateTime } from '../lib/time';
import { faspaySignature } from '../providers/faspay';
import { postNotice } from './notice';
import { renderPayPage } from './page';
import type { SandboxDeps } from '.';

/** Faspay does not document its callback retries (A). */
const CALLBACK_ATTEMPTS = 3;
const DEFAULT_DUE_MS = 24 * 60 * 60_000;

// A missing key is reported by its object: name the key, as the field schemas do.
const missingKey = (issue: v.BaseIssue<unknown>) => (issue.path?.length ? `${String(issue.path.at(-1)!.key)} is required` : 'Invalid request body');
const required = (field: string) => v.pipe(v.string(`${field} is required`), v.minLength(1, `${field} is required`));
// "Numeric" fields: the docs send digit strings; a JSON integer is read the same way.
const numeric = (field: string) =>
  v.pipe(v.union([v.string(), v.number()], `${field} is required`), v.transform(String), v.regex(/^\d+$/, `${field} must be numeric`));
const dateTime = (field: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.check((s) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) && parseJakartaDateTime(s) !== undefined, `${field} must be YYYY-MM-DD hh:mm:ss`),
    ),
  );

const CreateBillingSchema = v.object({
  service_id: numeric('service_id'),
  transaction_number: numeric('transaction_number'),
  billing_total: numeric('billing_total'),
  billing_date: dateTime('billing_date'),
  billing_due_date: dateTime('billing_due_date'),
  billing_notes: v.optional(v.string()),
  items: v.optional(
    v.array(v.object({ item_name: required('item_name'), qty: numeric('qty'), item_amount: numeric('item_amount') }, missingKey), 'items must be a list'),
  ),
  billing_language: v.optional(v.picklist(['EN', 'ID'], 'billing_language must be EN or ID')),
  customer_name: required('customer_name'),
  customer_email: required('customer_email'),
  customer_phone: numeric('customer_phone'),
  customer_address: v.optional(v.string()),
  signature: required('signature'),
  static_va_no: v.optional(numeric('static_va_no')),
}, missingKey);

const BillingRequestSchema = v.object({
  service_id: numeric('service_id'),
  billing_id: numeric('billing_id'),
  transaction_number: numeric('transaction_number'),
  signature: required('signature'),
}, missingKey);

const AcceptedReplySchema = v.object({ response_code: v.literal('00') });

/**
 * A request's JSON body, GET included. A GET body never reaches a fetch Request (the runtime drops
 * it), so on Node it is read from the socket: @hono/node-server hands the raw request to the app as
 * `env.incoming` and leaves a GET's body unread.
 */
async function readJson(c: Context): Promise<unknown> {
  const incoming = (c.env as { incoming?: AsyncIterable<Uint8Array> } | undefined)?.incoming;
  if (c.req.method === 'GET' && incoming) {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of incoming) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return c.req.json().catch(() => undefined);
}

interface SandboxBilling {
  billing_id: number;
  transaction_number: string;
  billing_total: number;
  billing_date: string;
  billing_due_date: string;
  items: { item_name: string; qty: number; item_amount: number }[];
  status: 'UNPAID' | 'PAID' | 'CANCELLED';
  payment_details: { payment_id: string; payment_date: string; payment_nominal: string }[];
}

export function createFaspaySandbox(settings: ProviderSettings<'faspay'>, deps: SandboxDeps) {
  const { store, now } = deps;
  const billingKey = (id: string | number) => `sandbox:faspay:billing:${id}`;
  const numberKey = (transactionNumber: string) => `sandbox:faspay:trx:${transactionNumber}`;
  const billingUrl = (b: SandboxBilling) => `${settings.baseUrl}/pay/${b.billing_id}`;
  const signatureValid = (signature: string, transactionNumber: string) =>
    timingSafeEqual(signature, faspaySignature(settings.username, settings.password, transactionNumber));
  const failed = (response_message: string) => ({ response_code: '01', response_message });

  function statusOf(b: SandboxBilling) {
    return b.status === 'UNPAID' && now().getTime() > parseJakartaDateTime(b.billing_due_date)!.getTime() ? 'EXPIRED' : b.status;
  }

  const billingView = (b: SandboxBilling) => ({
    billing_id: b.billing_id,
    transaction_number: b.transaction_number,
    billing_total: String(b.billing_total),
    billing_due_date: b.billing_due_date,
    billing_url: billingUrl(b),
    billing_status: statusOf(b),
  });

  const app = new Hono();

  app.post('/create', async (c) => {
    const parsed = v.safeParse(CreateBillingSchema, await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(failed(parsed.issues[0].message));
    const body = parsed.output;
    if (body.service_id !== settings.serviceId) return c.json(failed('Invalid service_id'));
    if (!signatureValid(body.signature, body.transaction_number)) return c.json(failed('Invalid signature'));
    const total = Number(body.billing_total);
    const items = (body.items ?? []).map((i) => ({ item_name: i.item_name, qty: Number(i.qty), item_amount: Number(i.item_amount) }));
    if (body.items && items.reduce((sum, i) => sum + i.qty * i.item_amount, 0) !== total) {
      return c.json(failed('billing_total does not match the items'));
    }
    const billingDate = body.billing_date ?? jakartaDateTime(now());
    const dueDate = body.billing_due_date ?? jakartaDateTime(new Date(parseJakartaDateTime(billingDate)!.getTime() + DEFAULT_DUE_MS));
    if (parseJakartaDateTime(dueDate)!.getTime() <= parseJakartaDateTime(billingDate)!.getTime()) {
      return c.json(failed('billing_due_date must be after billing_date'));
    }
    let billingId: number;
    do billingId = 1000 + crypto.getRandomValues(new Uint32Array(1))[0]!;
    while (!(await store.add(billingKey(billingId), null)));
    if (!(await store.add(numberKey(body.transaction_number), billingId))) {
      await store.delete(billingKey(billingId));
      return c.json(failed('transaction_number already exists'));
    }
    const billing: SandboxBilling = {
      billing_id: billingId,
      transaction_number: body.transaction_number,
      billing_total: total,
      billing_date: billingDate,
      billing_due_date: dueDate,
      items,
      status: 'UNPAID',
      payment_details: [],
    };
    await store.set(billingKey(billingId), billing);
    return c.json({
      response_code: '00',
      response_message: 'Success Create Billing',
      billing_id: billing.billing_id,
      transaction_number: billing.transaction_number,
      billing_total: billing.billing_total,
      billing_url: billingUrl(billing),
    });
  });

  /** Reads and checks an inquire / cancel body; a reply when it fails, else the bill. */
  async function findRequested(raw: unknown): Promise<{ failure: ReturnType<typeof failed> } | { billing: SandboxBilling }> {
    const parsed = v.safeParse(BillingRequestSchema, raw);
    if (!parsed.success) return { failure: failed(parsed.issues[0].message) };
    const body = parsed.output;
    if (body.service_id !== settings.serviceId) return { failure: failed('Invalid service_id') };
    if (!signatureValid(body.signature, body.transaction_number)) return { failure: failed('Invalid signature') };
    const billing = await store.get<SandboxBilling | null>(billingKey(body.billing_id));
    if (!billing || billing.transaction_number !== body.transaction_number) return { failure: failed('Billing not found') };
    return { billing };
  }

  // Documented as GET with a JSON body; POST is taken too, since fetch cannot send a GET body.
  app.on(['GET', 'POST'], '/inquire', async (c) => {
    const found = await findRequested(await readJson(c));
    if ('failure' in found) return c.json(found.failure);
    const { billing } = found;
    return c.json({
      ...billingView(billing),
      payment_details: billing.payment_details,
      response_code: '00',
      response_message: 'Success Inquiry Billing',
    });
  });

  app.post('/cancel', async (c) => {
    const found = await findRequested(await readJson(c));
    if ('failure' in found) return c.json(found.failure);
    const { billing } = found;
    if (statusOf(billing) !== 'UNPAID') return c.json(failed('Only unpaid billing can be cancelled'));
    billing.status = 'CANCELLED';
    await store.set(billingKey(billing.billing_id), billing);
    return c.json({ ...billingView(billing), response_code: '00', response_message: 'Success Cancel Billing' });
  });

  // ── Hosted bill page ──
  async function find(id: string) {
    return /^\d+$/.test(id) ? ((await store.get<SandboxBilling | null>(billingKey(id))) ?? undefined) : undefined;
  }

  app.get('/pay/:id', async (c) => {
    const billing = await find(c.req.param('id'));
    if (!billing) return c.text('Billing not found', 404);
    const status = statusOf(billing);
    return c.html(
      renderPayPage({
        providerName: 'Faspay',
        reference: billing.transaction_number,
        amount: billing.billing_total,
        currency: 'IDR',
        items: billing.items.length
          ? billing.items.map((i) => ({ name: i.item_name, qty: i.qty, price: i.item_amount }))
          : [{ name: 'Billing', qty: 1, price: billing.billing_total }],
        state: { UNPAID: undefined, PAID: 'This bill is paid.', EXPIRED: 'This bill has expired.', CANCELLED: 'This bill was cancelled.' }[status],
        pageUrl: billingUrl(billing),
        actions: ['pay', 'cancel', 'expire'],
      }),
    );
  });

  app.post('/pay/:id/pay', async (c) => {
    const billing = await find(c.req.param('id'));
    if (!billing) return c.text('Billing not found', 404);
    if (statusOf(billing) === 'UNPAID') {
      const at = now();
      billing.status = 'PAID';
      billing.payment_details.push({
        // Faspay's payment ids are Unix seconds followed by a 6-digit sequence.
        payment_id: `${Math.floor(at.getTime() / 1000)}${String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000).padStart(6, '0')}`,
        payment_date: jakartaDateTime(at),
        payment_nominal: String(billing.billing_total),
      });
      await store.set(billingKey(billing.billing_id), billing);
      await sendCallback(billing);
    }
    return c.redirect(billingUrl(billing), 303);
  });

  // As the merchant's Cancel Billing would: an unpaid bill becomes CANCELLED.
  app.post('/pay/:id/cancel', async (c) => {
    const billing = await find(c.req.param('id'));
    if (!billing) return c.text('Billing not found', 404);
    if (statusOf(billing) === 'UNPAID') {
      billing.status = 'CANCELLED';
      await store.set(billingKey(billing.billing_id), billing);
    }
    return c.redirect(billingUrl(billing), 303);
  });

  // Moves the due date into the past, so the bill reads as EXPIRED.
  app.post('/pay/:id/expire', async (c) => {
    const billing = await find(c.req.param('id'));
    if (!billing) return c.text('Billing not found', 404);
    if (statusOf(billing) === 'UNPAID') {
      billing.billing_due_date = jakartaDateTime(new Date(now().getTime() - 60_000));
      await store.set(billingKey(billing.billing_id), billing);
    }
    return c.redirect(billingUrl(billing), 303);
  });

  async function sendCallback(billing: SandboxBilling) {
    const payment = billing.payment_details.at(-1)!;
    // Types as in Faspay's sample: billing_id and service_id numbers, the rest strings.
    const body = {
      billing_id: billing.billing_id,
      service_id: Number(settings.serviceId),
      transaction_number: billing.transaction_number,
      billing_total: String(billing.billing_total),
      signature: faspaySignature(settings.username, settings.password, billing.transaction_number),
      billing_status: 'PAID',
      payment_id: payment.payment_id,
      payment_amount: payment.payment_nominal,
      payment_method: 'SANDBOX VA',
      payment_date: payment.payment_date,
    };
    await postNotice(deps, 'faspay', deps.notifyUrl('faspay'), JSON.stringify(body), {
      attempts: CALLBACK_ATTEMPTS,
      accepted: async (reply) => reply.ok && v.is(AcceptedReplySchema, await reply.json().catch(() => undefined)),
    });
  }

  return app;
}
