// A faithful AMDigipay H2H simulator: the same login (JSON or form-encoded), bearer tokens that
// expire after expires_in, the create checks (username of the login, signature, arithmetic,
// unique transaction_id, known channel), envelopes and codes as the real service (docs/providers/amdigipay.md),
// plus a pay page standing in for the customer's bank or wallet app: Pay marks the transaction
// paid and posts AMDigipay's callback to the URL set in its dashboard (deps.notifyUrl). The API has
// no return URL field, so the customer is sent back to the pay page, which then shows the outcome.
import { Hono } from 'hono';
import { html } from 'hono/html';
import * as v from 'valibot';
import type { ProviderSettings } from '../lib/config';
import { randomId, timingSafeEqual } from '../lib/signing';
import { jakartaDateTime, parseJakartaDateTime } from '../lib/time';
import { amdigipaySignature } from '../providers/amdigipay';
import { postNotice } from './notice';
import { renderPayPage } from './page';
import { withheld } from './privacy';
import type { SandboxDeps } from '.';

/** The channels of GET payment/payment-list, by payment_id. */
const CHANNELS: Record<number, { name: string; kind: 'va' | 'qris' | 'ewallet' }> = {
  22: { name: 'VA BCA', kind: 'va' },
  33: { name: 'QRIS', kind: 'qris' },
  37: { name: 'GOPAY', kind: 'ewallet' },
};
const STATUS_NAMES: Record<number, string> = { 2: 'On processing', 3: 'Terbayar', 5: 'Dibatalkan' };
/** (A) AMDigipay's callback retry count is undocumented. */
const NOTICE_ATTEMPTS = 3;
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

const Int = (field: string) => v.pipe(v.number(`${field} must be a number`), v.safeInteger(`${field} must be an integer`), v.minValue(0, `${field} must not be negative`));
const Text = (field: string) => v.pipe(v.string(`${field} is required`), v.minLength(1, `${field} is required`));

const LoginSchema = v.object({ username: Text('username'), password: Text('password') });

const CreateTransactionSchema = v.object({
  payment_id: Int('payment_id'),
  username: Text('username'),
  signature: Text('signature'),
  expired_date: v.pipe(Text('expired_date'), v.check((s) => parseJakartaDateTime(s) !== undefined, 'expired_date must be YYYY-MM-DD HH:mm:ss')),
  nominal: v.pipe(Int('nominal'), v.minValue(1, 'nominal must be positive')),
  admin_fee: Int('admin_fee'),
  transaction_id: v.pipe(Text('transaction_id'), v.maxLength(64, 'transaction_id is too long')),
  transaction_total: Int('transaction_total'),
  transaction_name: Text('transaction_name'),
  transaction_desc: v.optional(v.string()),
  customer_number: v.optional(v.string()),
  customer_name: Text('customer_name'),
  customer_email: v.optional(v.string()),
  item_details: v.pipe(
    v.array(
      v.object({
        // Public clients send the shop's numeric product ids as numbers.
        item_id: v.pipe(v.union([v.string(), v.number()], 'item_details.item_id is required'), v.transform(String), v.minLength(1, 'item_details.item_id is required')),
        item_name: Text('item_details.item_name'),
        item_price: Int('item_details.item_price'),
        item_quantity: v.pipe(Int('item_details.item_quantity'), v.minValue(1, 'item_details.item_quantity must be positive')),
        item_total_price: Int('item_details.item_total_price'),
      }),
      'item_details is required',
    ),
    v.minLength(1, 'item_details is required'),
  ),
});
type CreateTransactionOutput = v.InferOutput<typeof CreateTransactionSchema>;

interface SandboxTransaction extends CreateTransactionOutput {
  id: number;
  status_id: number;
  payment_code: string | null;
  qr_code: string | null;
}

/** CRC-16/CCITT-FALSE, the checksum that closes every EMV (QRIS) payload. */
function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const tlv = (tag: string, value: string) => `${tag}${String(value.length).padStart(2, '0')}${value}`;

/** A dynamic QRIS-like EMV string: merchant account, IDR, the amount, the reference, the CRC. */
export function sandboxQris(amount: number, reference: string): string {
  const payload =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('26', tlv('00', 'ID.CO.BISABILLER.WWW') + tlv('01', '936000000000000001')) +
    tlv('52', '5999') +
    tlv('53', '360') +
    tlv('54', String(amount)) +
    tlv('58', 'ID') +
    tlv('59', 'KASIR SANDBOX') +
    tlv('60', 'JAKARTA') +
    tlv('62', tlv('01', reference.slice(0, 25)));
  return `${payload}6304${crc16(`${payload}6304`)}`;
}

export function createAmdigipaySandbox(settings: ProviderSettings<'amdigipay'>, deps: SandboxDeps, options: { expiresInSeconds?: number } = {}) {
  const { store, now } = deps;
  const expiresIn = options.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
  const tokenKey = (token: string) => `sandbox:amdigipay:token:${token}`;
  const trxKey = (id: string | number) => `sandbox:amdigipay:trx:${id}`;
  const refKey = (ref: string) => `sandbox:amdigipay:ref:${ref}`;
  const listKey = (username: string) => `sandbox:amdigipay:list:${username}`;
  const payPage = (trx: SandboxTransaction) => `${settings.baseUrl}/pay/${trx.id}`;

  const failure = (message: string) => ({ error: true, message });
  const authFailure = (message: string) => ({ status: 'error', message, data: null });

  const isExpired = (trx: SandboxTransaction) => now().getTime() > parseJakartaDateTime(trx.expired_date)!.getTime();

  // Amounts come back as strings, as in the docs' own create reply.
  function transactionView(trx: SandboxTransaction) {
    return {
      id: trx.id,
      payment_id: trx.payment_id,
      payment_name: CHANNELS[trx.payment_id]!.name,
      status_id: trx.status_id,
      status: STATUS_NAMES[trx.status_id],
      transaction_id: trx.transaction_id,
      transaction_total: String(trx.transaction_total),
      expired_date: trx.expired_date,
      transaction_name: trx.transaction_name,
      transaction_desc: trx.transaction_desc ?? null,
      customer_number: trx.customer_number ?? null,
      customer_name: trx.customer_name,
      payment_links: payPage(trx),
      payment_code: trx.payment_code,
      qr_code: trx.qr_code,
      item_details: trx.item_details.map((i) => ({
        item_id: i.item_id,
        item_price: String(i.item_price),
        item_quantity: String(i.item_quantity),
        item_total_price: String(i.item_total_price),
        item_name: i.item_name,
      })),
    };
  }

  const app = new Hono<{ Variables: { username: string } }>();

  app.post('/login', async (c) => {
    const type = c.req.header('Content-Type') ?? '';
    const raw = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
      ? await c.req.parseBody().catch(() => undefined)
      : await c.req.json().catch(() => undefined);
    const parsed = v.safeParse(LoginSchema, raw);
    if (!parsed.success) return c.json(failure(parsed.issues[0].message), 400);
    const { username, password } = parsed.output;
    if (!timingSafeEqual(username, settings.username) || !timingSafeEqual(password, settings.password)) {
      return c.json(authFailure('Invalid username or password'), 401);
    }
    const token = randomId('');
    await store.set(tokenKey(token), { username, expiresAt: now().getTime() + expiresIn * 1000 });
    return c.json({ error: false, message: 'success', data: { access_token: token, token_type: 'bearer', expires_in: expiresIn } });
  });

  app.use('/payment/*', async function checkBearer(c, next) {
    const token = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    const session = token ? await store.get<{ username: string; expiresAt: number }>(tokenKey(token)) : undefined;
    if (!session || now().getTime() >= session.expiresAt) return c.json(authFailure('Unauthenticated'), 401);
    c.set('username', session.username);
    await next();
  });

  app.get('/payment/payment-list', (c) =>
    c.json({ error: false, message: 'success', data: Object.entries(CHANNELS).map(([id, ch]) => ({ payment_id: Number(id), payment_name: ch.name })) }),
  );

  app.post('/payment/transaction', async (c) => {
    const parsed = v.safeParse(CreateTransactionSchema, await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(failure(parsed.issues[0].message), 400);
    const body = parsed.output;
    if (body.username !== c.get('username')) return c.json(failure('Username does not match the token'), 400);
    if (!timingSafeEqual(body.signature, amdigipaySignature(body.username, body.transaction_id))) return c.json(failure('Invalid signature'), 400);
    const channel = CHANNELS[body.payment_id];
    if (!channel) return c.json(failure('Payment method not found'), 400);
    if (body.transaction_total !== body.nominal + body.admin_fee) return c.json(failure('transaction_total must equal nominal + admin_fee'), 400);
    if (body.item_details.some((i) => i.item_total_price !== i.item_price * i.item_quantity)) {
      return c.json(failure('item_total_price must equal item_price x item_quantity'), 400);
    }
    if (body.item_details.reduce((sum, i) => sum + i.item_total_price, 0) !== body.transaction_total) {
      return c.json(failure('item_details must add up to transaction_total'), 400);
    }
    if (parseJakartaDateTime(body.expired_date)!.getTime() <= now().getTime()) return c.json(failure('expired_date must be in the future'), 400);
    if (!(await store.add(refKey(body.transaction_id), '', {}))) return c.json(failure('transaction_id already exists'), 400);

    let id = 0;
    do id = 100_000 + Math.floor(Math.random() * 900_000_000);
    while (!(await store.add(trxKey(id), null)));
    const trx: SandboxTransaction = {
      ...body,
      customer_name: withheld(body.customer_name, 'name'),
      customer_number: withheld(body.customer_number, 'phone'),
      customer_email: withheld(body.customer_email, 'email'),
      id,
      status_id: 2,
      payment_code: channel.kind === 'va' ? `12345${String(id).padStart(11, '0')}` : null,
      qr_code: channel.kind === 'qris' ? sandboxQris(body.transaction_total, body.transaction_id) : null,
    };
    await store.set(trxKey(id), trx);
    await store.set(listKey(body.username), [...((await store.get<number[]>(listKey(body.username))) ?? []), id]);
    return c.json({ error: false, message: 'success', data: transactionView(trx) });
  });

  const find = async (id: string) => (/^\d+$/.test(id) ? (await store.get<SandboxTransaction | null>(trxKey(id))) ?? undefined : undefined);

  // The merchant's transactions, newest first, a page at a time (A: the page object's shape).
  app.get('/payment/list-transaction', async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 10) || 10, 1), 100);
    const page = Math.max(Number(c.req.query('current_page') ?? 1) || 1, 1);
    const status = c.req.query('status');
    const mine = (await store.get<number[]>(listKey(c.get('username')))) ?? [];
    const rows: SandboxTransaction[] = [];
    for (const id of mine.toReversed()) {
      const trx = await find(String(id));
      if (trx && (!status || String(trx.status_id) === status)) rows.push(trx);
    }
    const data = rows.slice((page - 1) * limit, page * limit).map(transactionView);
    return c.json({ error: false, message: 'success', data: { current_page: page, per_page: limit, total: rows.length, data } });
  });

  app.get('/payment/detail-transaction/:id', async (c) => {
    const trx = await find(c.req.param('id'));
    if (!trx || trx.username !== c.get('username')) return c.json(failure('Transaction not found'), 404);
    return c.json({ error: false, message: 'success', data: transactionView(trx) });
  });

  // ── Pay page (the customer's bank / wallet app) ──
  app.get('/pay/:id', async (c) => {
    const trx = await find(c.req.param('id'));
    if (!trx) return c.text('Transaction not found', 404);
    const state =
      trx.status_id === 3 ? 'This transaction is paid.' : trx.status_id === 5 ? 'This transaction was cancelled.' : isExpired(trx) ? 'This transaction has expired.' : undefined;
    return c.html(
      renderPayPage({
        providerName: 'AMDigipay',
        reference: trx.transaction_id,
        amount: trx.transaction_total,
        currency: 'IDR',
        items: trx.item_details.map((i) => ({ name: i.item_name, qty: i.item_quantity, price: i.item_price })),
        state,
        extra: trx.qr_code
          ? html`<p>QRIS <code data-qr-code>${trx.qr_code}</code></p>`
          : trx.payment_code
            ? html`<p>${CHANNELS[trx.payment_id]!.name} <code data-payment-code>${trx.payment_code}</code></p>`
            : undefined,
        pageUrl: payPage(trx),
        actions: ['pay', 'cancel', 'expire'],
      }),
    );
  });

  app.post('/pay/:id/pay', async (c) => {
    const trx = await find(c.req.param('id'));
    if (!trx) return c.text('Transaction not found', 404);
    if (trx.status_id === 2 && !isExpired(trx)) {
      trx.status_id = 3;
      await store.set(trxKey(trx.id), trx);
      await sendCallback(trx);
    }
    return c.redirect(payPage(trx), 303);
  });

  app.post('/pay/:id/cancel', async (c) => {
    const trx = await find(c.req.param('id'));
    if (!trx) return c.text('Transaction not found', 404);
    if (trx.status_id === 2) {
      trx.status_id = 5;
      await store.set(trxKey(trx.id), trx);
    }
    return c.redirect(payPage(trx), 303);
  });

  // Moves expired_date into the past: the channel closes, the status stays "On processing".
  app.post('/pay/:id/expire', async (c) => {
    const trx = await find(c.req.param('id'));
    if (!trx) return c.text('Transaction not found', 404);
    if (trx.status_id === 2) {
      trx.expired_date = jakartaDateTime(new Date(now().getTime() - 60_000));
      await store.set(trxKey(trx.id), trx);
    }
    return c.redirect(payPage(trx), 303);
  });

  async function sendCallback(trx: SandboxTransaction) {
    const body = {
      id: trx.id,
      transaction_id: trx.transaction_id,
      transaction_total: String(trx.transaction_total),
      signature: amdigipaySignature(trx.username, trx.transaction_id),
      payment_id: trx.payment_id,
      payment: CHANNELS[trx.payment_id]!.name,
      status_id: trx.status_id,
      status: STATUS_NAMES[trx.status_id],
      expired_date: trx.expired_date,
    };
    await postNotice(deps, 'amdigipay', deps.notifyUrl('amdigipay'), JSON.stringify(body), {
      attempts: NOTICE_ATTEMPTS,
      headers: { Accept: 'application/json' },
    });
  }

  return app;
}
