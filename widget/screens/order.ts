// The on-demand chunk of the order panel (dist/kasir-order.js): the pay code, the QR, the waiting
// note and the outcomes, with their styles and strings. The element loads it when it has an order
// to show (and starts loading it with the click on Pay, beside the POST).
import type { ProviderId } from '../../proxy/lib/contract.js';
import type { Kit, TemplateResult } from './kit.js';
import type { OrderInput, OrderView } from './order-input.js';
import { ORDER_STRINGS as S } from './order-strings.js';
import { renderUnpaid, renderReceipt } from './outcome.js';
import { renderPayCode } from './pay-code.js';
import { renderQr } from './qr-panel.js';

export type { OrderInput };

const PROVIDER_NAMES: Record<ProviderId, string> = { winpay: 'Winpay', faspay: 'Faspay', uapay: 'UAPAY', amdigipay: 'AMDigipay' };

const isHttp = (url: string) => /^https?:\/\//i.test(url);

/** `expiresAt` as a wall-clock time in the shopper's zone ("17:14 WIB"), with the date when it is not today. */
function deadline(iso: string, now: number, lang: string): string {
  const at = new Date(iso);
  const today = new Date(now).toDateString() === at.toDateString();
  return new Intl.DateTimeFormat(lang, {
    ...(today ? {} : { day: 'numeric', month: 'short' }),
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

/** Milliseconds left as `m:ss`, or `h:mm:ss` from an hour up (rounded up: 0:00 means it is over). */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const mmss = `${Math.floor(s / 60) % 60}:${String(s % 60).padStart(2, '0')}`;
  return s < 3600 ? mmss : `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}`;
}

/** The order panel (its status as the title, the pay code / QR / waiting note / outcome under it) and the actions after it. */
export function renderOrder(given: OrderInput, kit: Kit): TemplateResult {
  const { title, body, actions } = parts(given, kit);
  const { html } = kit;
  return html`<div part="status" tabindex="-1" data-status=${given.order.status} aria-busy=${given.loading ? 'true' : 'false'}>
      <p class="title" role="status">${title}</p>
      ${body}
    </div>
    ${given.error}
    <div class="actions">${actions}</div>`;
}

function parts(given: OrderInput, kit: Kit): { title: string; body: TemplateResult; actions: TemplateResult } {
  const { html, nothing } = kit;
  const { order, on, config } = given;
  const input: OrderView = {
    ...given,
    phone: matchMedia('(pointer: coarse) and (max-width: 760px)').matches,
    merchant: config?.merchant?.name,
    method: config?.methods?.find((m) => m.id === order.method),
    providerName: config?.providers.find((p) => p.id === order.provider)?.name ?? PROVIDER_NAMES[order.provider],
  };
  const action = (label: string, onClick: () => void) => html`<button part="action" type="button" @click=${onClick}>${label}</button>`;
  const another = action(kit.pick(S, 'anotherMethod'), on.restart);
  const title = kit.pick(S, order.status);
  switch (order.status) {
    case 'paid':
      return {
        title,
        body: renderReceipt(input, kit),
        actions: html`${action(kit.pick(S, 'continueShopping'), on.restart)} ${action(kit.pick(S, 'print'), print)}`,
      };
    case 'cancelled':
      return {
        title,
        body: renderUnpaid(input, kit), actions: another };
    case 'failed':
    case 'expired':
      return {
        title,
        body: renderUnpaid(input, kit), actions: action(kit.pick(S, 'tryAgain'), on.restart) };
    case 'refunded':
      return {
        title,
        body: html`<p>${kit.pick(S, 'amount')}: ${kit.money(order.amount, order.currency)}</p>`, actions: html`${nothing}` };
  }
  const page = isHttp(order.paymentUrl) ? order.paymentUrl : undefined;
  const hasQr = !!(order.qrString || order.qrUrl);
  const code = hasQr || order.payCode;
  const body = html`<p>${kit.pick(S, 'amount')}: <strong>${kit.money(order.amount, order.currency)}</strong></p>
    ${input.windowOpen
      ? html`<p>${kit.pick(S, 'windowOpen')} ${kit.pick(S, 'windowMaybe')}</p>`
      : hasQr || order.payCode
        ? nothing
        : html`<p>${kit.pick(S, 'pendingText')}</p>`}
    ${code
      ? html`<div part="qr">
          ${hasQr ? renderQr(input, kit, page) : nothing} ${order.payCode ? renderPayCode(input, kit) : nothing}
          <p part="countdown" role="timer">${kit.pick(S, 'expiresIn')}: ${countdown(Date.parse(order.expiresAt) - input.now)}</p>
          <p part="deadline">${kit.pick(S, 'payBefore').replace('{time}', deadline(order.expiresAt, input.now, kit.lang))}</p>
        </div>`
      : nothing}`;
  // On a phone with a QR the app link (in the panel) is the way to the provider's page.
  const reopen = page && !(input.phone && hasQr) ? action(kit.pick(S, 'reopen'), on.reopen) : nothing;
  return { title, body, actions: html`${reopen} ${action(kit.t('checkAgain'), on.check)} ${another}` };
}

export const css = `
.actions{display:flex;flex-wrap:wrap;gap:calc(var(--kasir-spacing,1rem)/2)}
[part~=action]{justify-self:start;}
[part~=action],[part~=copy]{color:var(--kasir-color-primary,#0a58ca);background:transparent;}
[part~=status]{padding:var(--kasir-spacing,1rem);border:1px solid var(--kasir-color-border,#6e7781);border-left-width:4px;border-radius:var(--kasir-radius,6px);}
[data-status=paid]{border-color:var(--kasir-color-success,#1a7f37);}
[data-status=failed],[data-status=cancelled],[data-status=expired]{border-color:var(--kasir-color-error,#b3261e);}
[part~=qr]{display:grid;gap:calc(var(--kasir-spacing,1rem)/2);justify-items:center;text-align:center}
[part~=qr-image]{width:min(100%,var(--kasir-qr-size,240px));aspect-ratio:1;background:#fff}
.qr-loading{background:repeating-linear-gradient(45deg,#eee 0 8px,#fff 8px 16px)}
.merchant,.channel{font-weight:600}
.code-row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;justify-content:center}
[part~=pay-code]{white-space:nowrap;font:600 clamp(1.05em,5.4vw,1.35em) ui-monospace,monospace;letter-spacing:.02em}
[part~=pay-code] span{display:inline-block}
[part~=pay-code] span+span{margin-inline-start:.35em}
[part~=steps]{display:grid;gap:.25em;width:100%;text-align:start}
h3{margin:0;font-size:1em}
details{border-top:1px solid var(--kasir-color-border,#6e7781);padding:.4em 0}
summary{cursor:pointer;font-weight:600;min-height:1.75em}
ol{margin:.4em 0 0;padding-inline-start:1.4em;display:grid;gap:.25em}
[part~=deadline]{font-weight:600}
[part~=countdown]{font-variant-numeric:tabular-nums}
[part~=save-qr],[part~=app-link]{color:var(--kasir-color-primary,#0a58ca);background:transparent}
[part~=app-link]{display:block;padding:.75em 1em;font-weight:600;text-decoration:none;border:1px solid;border-radius:var(--kasir-radius,6px)}
.receipt{display:grid;gap:.25em;margin:0}
.receipt div{display:flex;justify-content:space-between;gap:1em}
dt{opacity:.8}
dd{margin:0;text-align:end;overflow-wrap:anywhere}
.lines{display:grid;gap:.25em;margin:0;padding:0;list-style:none}
.lines li,.total{display:flex;justify-content:space-between;gap:1em}
.total{padding-top:.5em;border-top:1px solid var(--kasir-color-border,#6e7781);font-weight:600}
@media print{[part~=action]{display:none}}
`;
