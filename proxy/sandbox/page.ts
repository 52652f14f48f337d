// The hosted pay page every simulator shows, made to look like a provider's own: who is paid, how
// much, by when, for what and by which method, in English, Indonesian or Ukrainian. Plain HTML
// forms (no script), so it works under any Content-Security-Policy. Tests rely on two hooks: each
// outcome is a `<button name="pay|cancel|fail|expire">` in a form posting to `<pageUrl>/<outcome>`,
// and `.total` holds the amount.
import type { Context, MiddlewareHandler } from 'hono';
import { renderSVG } from 'uqr';
import { html, raw } from 'hono/html';
import { LOCALES, type Locale } from '../lib/contract';
import { MINOR_UNIT_DIGITS } from '../lib/money';

export type PayPageAction = 'pay' | 'cancel' | 'fail' | 'expire';
/** Where the payment stands once it is no longer open. */
export type PayPageState = 'paid' | 'expired' | 'cancelled' | 'declined';
/** What the provider calls the thing being paid (only English tells them apart). */
export type PayPageNoun = 'invoice' | 'bill' | 'transaction';

export interface PayPageOptions {
  lang: Locale;
  providerName: string;
  /** The merchant as the provider knows it (its dashboard name). */
  merchantName: string;
  reference: string;
  amount: number;
  currency: string;
  items: { name: string; qty: number; price: number }[];
  /** The method this page collects, already in `lang` (a channel name, or what the page offers). */
  method: string;
  /** When the payment closes, and the zone the provider states it in. */
  deadline?: { at: Date; timeZone: 'Asia/Jakarta' | 'Europe/Kyiv' };
  /** A virtual-account number or pay code to show, or a QR payload. */
  payCode?: string;
  qrString?: string;
  noun: PayPageNoun;
  state?: PayPageState;
  /** The order's return URL, when the provider's API takes one. */
  backUrl?: string;
  /** The page's own URL: each button posts to `<pageUrl>/<action>`. */
  pageUrl: string;
  actions: PayPageAction[];
}

const TEXT = {
  en: {
    badge: 'sandbox · no real money moves',
    payTo: 'Pay to',
    total: 'Total',
    before: 'Pay before',
    method: 'Payment method',
    reference: 'Reference',
    summary: 'Order summary',
    payCode: 'Pay code',
    qr: 'Scan with any banking or e-wallet app (QRIS)',
    qrData: 'QR data',
    simulate: 'What does the shopper do?',
    pay: 'Pay',
    cancel: 'Cancel',
    fail: 'Decline',
    expire: 'Let it expire',
    back: 'Back to the shop',
    language: 'Language',
    state: (s: PayPageState, noun: PayPageNoun) =>
      ({ paid: `This ${noun} is paid.`, expired: `This ${noun} has expired.`, cancelled: `This ${noun} was cancelled.`, declined: `This ${noun} was declined.` })[s],
    zone: { 'Asia/Jakarta': 'WIB', 'Europe/Kyiv': 'Kyiv time' },
  },
  id: {
    badge: 'sandbox · tanpa uang sungguhan',
    payTo: 'Bayar ke',
    total: 'Total',
    before: 'Bayar sebelum',
    method: 'Metode pembayaran',
    reference: 'Referensi',
    summary: 'Ringkasan pesanan',
    payCode: 'Kode bayar',
    qr: 'Pindai dengan aplikasi bank atau e-wallet apa pun (QRIS)',
    qrData: 'Data QR',
    simulate: 'Apa yang dilakukan pembeli?',
    pay: 'Bayar',
    cancel: 'Batalkan',
    fail: 'Tolak',
    expire: 'Biarkan kedaluwarsa',
    back: 'Kembali ke toko',
    language: 'Bahasa',
    state: (s: PayPageState) => ({ paid: 'Sudah dibayar.', expired: 'Sudah kedaluwarsa.', cancelled: 'Dibatalkan.', declined: 'Ditolak.' })[s],
    zone: { 'Asia/Jakarta': 'WIB', 'Europe/Kyiv': 'waktu Kyiv' },
  },
  uk: {
    badge: 'пісочниця · без справжніх грошей',
    payTo: 'Оплата для',
    total: 'Разом',
    before: 'Сплатіть до',
    method: 'Спосіб оплати',
    reference: 'Номер',
    summary: 'Ваше замовлення',
    payCode: 'Код оплати',
    qr: 'Скануйте будь-яким банківським застосунком (QRIS)',
    qrData: 'Дані QR',
    simulate: 'Що робить покупець?',
    pay: 'Сплатити',
    cancel: 'Скасувати',
    fail: 'Відхилити',
    expire: 'Дати строку минути',
    back: 'Повернутися до магазину',
    language: 'Мова',
    state: (s: PayPageState) => ({ paid: 'Оплачено.', expired: 'Строк оплати минув.', cancelled: 'Скасовано.', declined: 'Відхилено.' })[s],
    zone: { 'Asia/Jakarta': 'WIB', 'Europe/Kyiv': 'за київським часом' },
  },
} satisfies Record<Locale, unknown>;

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', id: 'id-ID', uk: 'uk-UA' };
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', id: 'Bahasa Indonesia', uk: 'Українська' };

export function formatMoney(amount: number, currency: string, lang: Locale = 'en'): string {
  const digits = MINOR_UNIT_DIGITS[currency] ?? 2;
  // English keeps the ISO code ("IDR 195,000"); Indonesian and Ukrainian use the local sign.
  const locale = lang === 'en' ? 'en' : INTL_LOCALE[lang];
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: lang === 'en' ? 'code' : 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(amount / 10 ** digits)
    .replace(/\u00a0/g, ' ');
}

function formatDeadline(deadline: NonNullable<PayPageOptions['deadline']>, lang: Locale): string {
  const when = new Intl.DateTimeFormat(INTL_LOCALE[lang], { timeZone: deadline.timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(deadline.at);
  return `${when} ${TEXT[lang].zone[deadline.timeZone]}`;
}

/** Digits in groups of four, as banks print account numbers (each group kept whole on wrap). */
const groupDigits = (code: string) => (/^\d{8,}$/.test(code) ? code.replace(/(\d{4})(?=\d)/g, '$1 ') : code);

/**
 * The page's language: `?lang=`, else the order's locale, else the browser's first language,
 * else English.
 */
export function pageLocale(c: Context, orderLocale?: string): Locale {
  const isLocale = (x: string | undefined): x is Locale => (LOCALES as readonly string[]).includes(x ?? '');
  const query = c.req.query('lang');
  if (isLocale(query)) return query;
  if (isLocale(orderLocale)) return orderLocale;
  const browser = c.req.header('Accept-Language')?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return isLocale(browser) ? browser : 'en';
}

/**
 * Headers of a hosted page: it must not cut itself from the shop's window that opened it (a popup
 * or tab the widget watches; TOOLCHAIN pitfall 15), and a back or reload must show its current
 * state, never a cached "unpaid" copy.
 */
export const hostedPageHeaders: MiddlewareHandler = async function hostedPageHeaders(c, next) {
  await next();
  c.header('Cache-Control', 'no-store');
  if (c.res.headers.get('Content-Type')?.startsWith('text/html') || c.res.status === 303) c.header('Cross-Origin-Opener-Policy', 'unsafe-none');
};

const STYLE = raw(`
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#eef2f7;margin:0}
.bar{display:flex;align-items:center;justify-content:space-between;gap:8px;flex-wrap:wrap;background:#0f172a;color:#fff;padding:10px 16px}
.brand{display:flex;flex-wrap:wrap;align-items:center;gap:2px 8px;font-weight:700;letter-spacing:.02em}.badge{font-size:12px;font-weight:500;background:#fde68a;color:#422006;border-radius:99px;padding:1px 8px}
.langs{display:flex;gap:4px;font-size:14px}.langs a{color:#cbd5e1;text-decoration:none;padding:2px 6px;border-radius:4px}
.langs a[aria-current]{background:#fff;color:#0f172a;font-weight:600}
main{max-width:480px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px #0f172a1a,0 8px 24px #0f172a12;padding:20px}
.merchant{margin:0;color:#475569;font-size:14px}.merchant strong{display:block;color:#111827;font-size:18px}
.total{font-size:32px;font-weight:700;margin:12px 0 0;letter-spacing:-.01em;font-variant-numeric:tabular-nums}
.deadline{margin:2px 0 0;color:#b45309;font-size:14px;font-weight:500}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:16px 0 0;font-size:14px}dt{color:#64748b}dd{margin:0;text-align:right;overflow-wrap:anywhere}
.code{margin:16px 0 0;padding:12px;border:1px dashed #94a3b8;border-radius:10px;background:#f8fafc}
.code p{margin:0;font-size:13px;color:#475569}.code .digits{font:600 22px/1.3 ui-monospace,Menlo,Consolas,monospace;color:#111827;word-spacing:-.1em}
.code .digits span{white-space:nowrap}.code .qr{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;color:#111827;overflow-wrap:anywhere}
.qr-box{text-align:center}.qr-image{width:min(220px,70vw);margin:8px auto 0}.qr-image svg{display:block;width:100%;height:auto}
.qr-box details{margin-top:8px;border:0;padding:0;text-align:left;font-size:12px}dd code{font-size:12px}
details{margin:16px 0 0;border-top:1px solid #e2e8f0;padding-top:12px;font-size:14px}summary{cursor:pointer;font-weight:600}
table{width:100%;border-collapse:collapse;margin:8px 0 0}td{padding:4px 0;vertical-align:top}td:first-child{overflow-wrap:anywhere}td:last-child{text-align:right;white-space:nowrap;padding-left:12px}
.state{margin:20px 0 0;padding:12px;border-radius:10px;background:#f1f5f9;font-weight:600;text-align:center}
.state[data-state=paid]{background:#dcfce7;color:#14532d}.state[data-state=expired],.state[data-state=cancelled]{background:#fef3c7;color:#713f12}.state[data-state=declined]{background:#fee2e2;color:#7f1d1d}
.simulate{margin:20px 0 0;font-size:13px;color:#64748b}.actions{display:grid;gap:8px;margin-top:6px}.actions form{margin:0;display:flex}.actions button{flex:1}
button{font:inherit;width:100%;min-height:48px;padding:10px 16px;border-radius:10px;border:1px solid #cbd5e1;background:#fff;color:#0f172a;cursor:pointer}
button[name=pay]{background:#15803d;border-color:#15803d;color:#fff;font-weight:600;font-size:17px}
button:focus-visible,a:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.back{display:inline-block;margin:16px 0 0;color:#1d4ed8;font-weight:500}
footer{max-width:480px;margin:0 auto;padding:0 16px 24px;color:#64748b;font-size:12px;text-align:center}
@media (min-width:720px){main{padding-top:48px}.card{padding:28px 32px}.actions{grid-template-columns:1fr 1fr}.actions form:first-child{grid-column:1/-1}}`);

export function renderPayPage(o: PayPageOptions) {
  const t = TEXT[o.lang];
  const money = (n: number) => formatMoney(n, o.currency, o.lang);
  const total = money(o.amount);
  const label: Record<PayPageAction, string> = { pay: `${t.pay} ${total}`, cancel: t.cancel, fail: t.fail, expire: t.expire };
  const langUrl = (lang: Locale) => `?lang=${lang}`;
  return html`<!doctype html>
<html lang="${o.lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${o.merchantName} · ${total} · ${o.providerName}</title>
    <style>${STYLE}</style>
  </head>
  <body>
    <header class="bar">
      <span class="brand">${o.providerName}<span class="badge">${t.badge}</span></span>
      <nav class="langs" aria-label="${t.language}">
        ${LOCALES.map((l) => html`<a href="${langUrl(l)}" hreflang="${l}" lang="${l}" title="${LANGUAGE_NAMES[l]}" ${o.lang === l ? raw('aria-current="true"') : ''}>${l.toUpperCase()}</a>`)}
      </nav>
    </header>
    <main>
      <div class="card">
        <h1 class="merchant">${t.payTo} <strong>${o.merchantName}</strong></h1>
        <p class="total" data-amount="${o.amount}" aria-label="${t.total}: ${total}">${total}</p>
        ${o.deadline && !o.state ? html`<p class="deadline">${t.before} ${formatDeadline(o.deadline, o.lang)}</p>` : ''}
        <dl>
          <dt>${t.method}</dt><dd data-method>${o.method}</dd>
          <dt>${t.reference}</dt><dd><code>${o.reference}</code></dd>
        </dl>
        ${o.payCode && !o.state
          ? html`<div class="code"><p>${t.payCode}</p><p class="digits" data-payment-code="${o.payCode}">${groupDigits(o.payCode).split(' ').map((g, i) => html`${i ? ' ' : ''}<span>${g}</span>`)}</p></div>`
          : ''}
        ${o.qrString && !o.state
          ? html`<div class="code qr-box"><p>${t.qr}</p><div class="qr-image" role="img" aria-label="QR">${raw(renderSVG(o.qrString, { border: 1 }))}</div>
              <details><summary>${t.qrData}</summary><p class="qr" data-qr-code>${o.qrString}</p></details></div>`
          : ''}
        <details ${o.state ? '' : raw('open')}>
          <summary>${t.summary}</summary>
          <table>
            ${o.items.map((i) => html`<tr><td>${i.name} × ${i.qty}</td><td>${money(i.price * i.qty)}</td></tr>`)}
          </table>
        </details>
        ${o.state
          ? html`<p class="state" role="status" data-state="${o.state}">${t.state(o.state, o.noun)}</p>`
          : html`<p class="simulate">${t.simulate}</p>
              <div class="actions">
                ${o.actions.map((a) => html`<form method="post" action="${o.pageUrl}/${a}"><button type="submit" name="${a}">${label[a]}</button></form>`)}
              </div>`}
        ${o.backUrl ? html`<a class="back" href="${o.backUrl}">← ${t.back}</a>` : ''}
      </div>
    </main>
    <footer>Kasir · ${o.providerName} ${t.badge}</footer>
  </body>
</html>`;
}
