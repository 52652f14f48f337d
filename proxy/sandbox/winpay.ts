// A faithful Winpay Checkout Page simulator: the same endpoints, headers, signature and clock
// checks, envelopes and response codes as the real service (docs/providers/winpay.md), plus a hosted
// pay page whose Pay button marks the invoice PAID, posts Winpay's callback to the merchant's notice
// URL (Winpay keeps one per client key) and sends the customer to back_url. Both of Winpay's fee
// models run: the customer pays the fee on top, or the merchant bears it (WINPAY_SANDBOX_FEE, or
// `fee=customer|merchant` on one invoice's pay action).
import { Hono } from 'hono';
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { timingSafeEqual } from '../lib/signing';
import { jakartaDateTime, jakartaTimestamp, parseJakartaDateTime } from '../lib/time';
import { winpaySignature } from '../providers/winpay';
import { postNotice } from './notice';
import { renderPayPage } from './page';
import { withheld } from './privacy';
import type { SandboxDeps } from '.';

const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** What the simulated channel charges per payment. */
const SANDBOX_FEE = 2500;

/** Who bears Winpay's fee: `customer` pays it on top (nett = total), `merchant` has it deducted (paid = total). */
export type WinpayFeeModel = 'customer' | 'merchant';
export const WINPAY_FEE_MODELS: readonly WinpayFeeModel[] = ['customer', 'merchant'];

// Real clients send integers, numeric strings, and Winpay's samples whole rupiah with decimals ("10000.00").
const wholeNumber = (message: string) =>
  v.pipe(
    v.union([v.number(message), v.pipe(v.string(message), v.regex(/^\d{1,15}(\.0+)?$/, message))], message),
    v.transform(Number),
    v.integer(message),
  );

const CreateInvoiceSchema = v.object({
  customer: v.object({
    name: v.pipe(v.string('customer.name is required'), v.minLength(1, 'customer.name is required')),
    email: v.optional(v.string()),
    phone: v.pipe(v.string('customer.phone is required'), v.minLength(1, 'customer.phone is required')),
  }),
  invoice: v.object({
    ref: v.pipe(v.string('invoice.ref is required'), v.minLength(1, 'invoice.ref is required')),
    products: v.pipe(
      v.array(
        v.object({
          name: v.string('invoice.products.name is required'),
          qty: v.pipe(wholeNumber('invoice.products.qty must be an integer'), v.minValue(1, 'invoice.products.qty must be an integer')),
          price: v.pipe(wholeNumber('invoice.products.price must be an integer'), v.minValue(1, 'invoice.products.price must be an integer')),
        }),
        'invoice.products is required',
      ),
      v.minLength(1, 'invoice.products is required'),
    ),
  }),
  back_url: v.pipe(v.string('back_url is required'), v.minLength(1, 'back_url is required')),
  interval: v.pipe(wholeNumber('interval must be an integer'), v.minValue(1, 'interval must be an integer')),
});
type CreateInvoiceOutput = v.InferOutput<typeof CreateInvoiceSchema>;

interface SandboxInvoice extends CreateInvoiceOutput {
  id: string;
  created_at: string;
  status: 'UNPAID' | 'PAID';
  products_uuid: string[];
  payment?: {
    uuid: string;
    channel: string;
    code: string;
    payment_ref: string;
    paid_amount: string;
    fee: string;
    nett: string;
    created_at: string;
    updated_at: string;
  };
}

/** `n` random decimal digits (a VA number, a payment reference). */
const randomDigits = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join('');

/** Find-invoice's payment times: UTC with microseconds ("2022-04-11T04:43:03.000000Z"). */
const microsecondsUtc = (at: Date) => at.toISOString().replace(/Z$/, '000Z');

/** What the payment records under each fee model, all as find-invoice's strings. */
export function winpayPaymentAmounts(total: number, fee: number, model: WinpayFeeModel) {
  const paid = model === 'customer' ? total + fee : total;
  return { paid_amount: String(paid), fee: String(fee), nett: String(paid - fee) };
}

export function createWinpaySandbox(settings: ProviderSettings<'winpay'>, deps: SandboxDeps, options: { feeModel?: WinpayFeeModel } = {}) {
  const defaultFeeModel = options.feeModel ?? 'customer';
  const { store, now } = deps;
  const invoiceKey = (id: string) => `sandbox:winpay:invoice:${id}`;
  const refKey = (ref: string) => `sandbox:winpay:ref:${ref}`;
  const total = (inv: SandboxInvoice) => inv.invoice.products.reduce((sum, p) => sum + p.qty * p.price, 0);

  const envelope = (responseCode: string, responseMessage: string, responseData: unknown = null) => ({
    responseCode,
    responseMessage,
    responseDate: jakartaTimestamp(now()),
    responseData,
  });

  /** Create answers prices as integers (its sample); find as strings (its sample and API reference). */
  function invoiceView(inv: SandboxInvoice, priceAs: 'number' | 'string' = 'string') {
    return {
      id: inv.id,
      ref: inv.invoice.ref,
      created_at: inv.created_at,
      redirect_url: `${settings.baseUrl}/pay/${inv.id}`,
      back_url: inv.back_url,
      status: inv.status,
      customer: inv.customer,
      products: inv.invoice.products.map((p, i) => ({ uuid: inv.products_uuid[i], name: p.name, qty: p.qty, price: priceAs === 'number' ? p.price : String(p.price) })),
      ...(inv.payment ? { payment: inv.payment } : {}),
    };
  }

  const app = new Hono();

  // Every API call is checked like the real one: key, +07:00 timestamp within 5 minutes, HMAC.
  app.use('/api/*', async function checkSignature(c, next) {
    const key = c.req.header('X-Winpay-Key') ?? '';
    const timestamp = c.req.header('X-Winpay-Timestamp') ?? '';
    const signature = c.req.header('X-Winpay-Signature') ?? '';
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/.test(timestamp) ? parseJakartaDateTime(timestamp) : undefined;
    const fresh = at !== undefined && Math.abs(at.getTime() - now().getTime()) <= MAX_CLOCK_SKEW_MS;
    if (!timingSafeEqual(key, settings.key) || !fresh || !timingSafeEqual(signature, winpaySignature(settings.secret, timestamp))) {
      return c.json(envelope('4010300', 'Unauthorized'), 401);
    }
    await next();
  });

  app.post('/api/create', async (c) => {
    const parsed = v.safeParse(CreateInvoiceSchema, await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(envelope('4000301', 'Invalid parameters', parsed.issues.map((i) => i.message)), 400);
    const body = parsed.output;
    if (!(await store.add(refKey(body.invoice.ref), '', {}))) {
      return c.json(envelope('4000301', 'Invalid parameters', ['invoice.ref has already been taken']), 400);
    }
    const inv: SandboxInvoice = {
      ...body,
      customer: { name: withheld(body.customer.name, 'name'), email: withheld(body.customer.email, 'email'), phone: withheld(body.customer.phone, 'phone') },
      id: crypto.randomUUID(),
      created_at: jakartaDateTime(now()),
      status: 'UNPAID',
      products_uuid: body.invoice.products.map(() => crypto.randomUUID()),
    };
    await store.set(invoiceKey(inv.id), inv);
    await store.set(refKey(body.invoice.ref), inv.id);
    const { status: _status, ...created } = invoiceView(inv, 'number');
    return c.json(envelope('2010300', 'Invoice created', created), 201);
  });

  async function find(id: string | undefined) {
    return id ? store.get<SandboxInvoice>(invoiceKey(id)) : undefined;
  }

  app.get('/api/find/:id', async (c) => {
    const inv = await find(c.req.param('id'));
    return inv ? c.json(envelope('2000300', 'Invoice Found', invoiceView(inv))) : c.json(envelope('4040300', 'Invoice not found'), 404);
  });

  app.get('/api/findByRef/:ref', async (c) => {
    const inv = await find(await store.get<string>(refKey(c.req.param('ref'))));
    return inv ? c.json(envelope('2000300', 'Invoice Found', invoiceView(inv))) : c.json(envelope('4040300', 'Invoice not found'), 404);
  });

  // A paid invoice cannot be deleted (4000302); a deleted one is gone for find and its page.
  app.delete('/api/delete/:id', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.json(envelope('4040300', 'Invoice not found'), 404);
    if (inv.status === 'PAID') return c.json(envelope('4000302', 'Invoice already paid'), 400);
    await store.delete(invoiceKey(inv.id));
    const { responseData: _none, ...deleted } = envelope('2000300', 'Invoice has been deleted');
    return c.json(deleted);
  });

  // ── Hosted pay page ──
  app.get('/pay/:id', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.text('Invoice not found', 404);
    const created = parseJakartaDateTime(inv.created_at)!;
    const expired = inv.status === 'UNPAID' && now().getTime() > created.getTime() + inv.interval * 60_000;
    return c.html(
      renderPayPage({
        providerName: 'Winpay',
        reference: inv.invoice.ref,
        amount: total(inv),
        currency: 'IDR',
        items: inv.invoice.products,
        state: inv.status === 'PAID' ? 'This invoice is paid.' : expired ? 'This invoice has expired.' : undefined,
        pageUrl: `${settings.baseUrl}/pay/${inv.id}`,
        actions: ['pay', 'cancel', 'expire'],
      }),
    );
  });

  app.post('/pay/:id/pay', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.text('Invoice not found', 404);
    const asked = c.req.query('fee');
    const feeModel = WINPAY_FEE_MODELS.find((m) => m === asked) ?? defaultFeeModel;
    if (inv.status === 'UNPAID') {
      const at = now();
      inv.status = 'PAID';
      inv.payment = {
        uuid: crypto.randomUUID(),
        channel: 'BSI',
        code: randomDigits(12),
        payment_ref: randomDigits(5),
        ...winpayPaymentAmounts(total(inv), SANDBOX_FEE, feeModel),
        created_at: microsecondsUtc(at),
        updated_at: microsecondsUtc(at),
      };
      await store.set(invoiceKey(inv.id), inv);
      await sendCallback(inv);
    }
    return c.redirect(inv.back_url, 303);
  });

  // The customer walks away: the invoice stays UNPAID, as on the real page.
  app.post('/pay/:id/cancel', async (c) => {
    const inv = await find(c.req.param('id'));
    return inv ? c.redirect(inv.back_url, 303) : c.text('Invoice not found', 404);
  });

  // Moves the invoice's creation back past its interval, so it reads as expired.
  app.post('/pay/:id/expire', async (c) => {
    const inv = await find(c.req.param('id'));
    if (!inv) return c.text('Invoice not found', 404);
    if (inv.status === 'UNPAID') {
      inv.created_at = jakartaDateTime(new Date(now().getTime() - (inv.interval + 1) * 60_000));
      await store.set(invoiceKey(inv.id), inv);
    }
    return c.redirect(inv.back_url, 303);
  });

  /** The callback as Winpay's sample has it: amounts as integers, created_at ISO 8601 in Jakarta time. */
  function callbackBody(inv: SandboxInvoice) {
    const p = inv.payment!;
    return {
      uuid: p.uuid,
      created_at: jakartaTimestamp(new Date(Date.parse(p.created_at))),
      ref: p.payment_ref,
      channel: p.channel,
      amount: Number(p.paid_amount),
      fee: Number(p.fee),
      nett_amount: Number(p.nett),
      products: inv.invoice.products.map((item) => ({ name: item.name, qty: item.qty, price: item.price })),
      invoice: {
        uuid: inv.id,
        ref: inv.invoice.ref,
        url: `${settings.baseUrl}/pay/${inv.id}`,
        customer: { name: inv.customer.name, email: inv.customer.email ?? '', phone: inv.customer.phone },
      },
    };
  }

  async function sendCallback(inv: SandboxInvoice) {
    const body = callbackBody(inv);
    // Winpay retries up to three times when the answer is not ACCEPTED.
    await postNotice(deps, 'winpay', deps.notifyUrl('winpay'), JSON.stringify(body), {
      attempts: 3,
      accepted: async (reply) => (await reply.text()).trim() === 'ACCEPTED',
    });
  }

  return app;
}
