// The outcomes: a receipt when paid (order number, lines, total, date, method, continue shopping,
// print); cancelled, failed (with the provider's reason when it gives one) and expired each say
// what happened in words, and lead back to the form with the shopper's details kept.
import type { Kit, TemplateResult } from './kit.js';
import type { OrderView } from './order-input.js';
import { ORDER_STRINGS as S } from './order-strings.js';

export function renderReceipt(input: OrderView, kit: Kit): TemplateResult {
  const { html, nothing } = kit;
  const { order } = input;
  const lines = order.lines ?? (input.summary?.currency === order.currency ? input.summary.lines : undefined);
  const when = order.paidAt ?? order.createdAt;
  const method = input.method ? input.method.label[kit.lang] || input.method.label.en : input.providerName;
  const row = (key: 'orderNumber' | 'date' | 'method', value: string) =>
    html`<div><dt>${kit.pick(S, key)}</dt><dd>${value}</dd></div>`;
  return html`<p>${kit.pick(S, 'paidText')}</p>
    <dl class="receipt">
      ${row('orderNumber', order.ref ?? order.id)}
      ${when ? row('date', new Intl.DateTimeFormat(kit.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(when))) : nothing}
      ${row('method', method)}
    </dl>
    ${lines?.length
      ? html`<ul class="lines">
          ${lines.map((l) => html`<li><span>${l.name}${l.qty > 1 ? ` × ${l.qty}` : ''}</span><span>${kit.money(l.price * l.qty, order.currency)}</span></li>`)}
        </ul>`
      : nothing}
    <p class="total"><span>${kit.pick(S, 'total')}</span><span>${kit.money(order.amount, order.currency)}</span></p>`;
}

export function renderUnpaid(input: OrderView, kit: Kit): TemplateResult {
  const { html, nothing } = kit;
  const { status, reason } = input.order;
  const text = status === 'cancelled' ? 'cancelledText' : status === 'expired' ? 'expiredText' : 'failedText';
  return html`<p>${kit.pick(S, text)}</p>
    ${reason && status === 'failed' ? html`<p class="reason">${kit.pick(S, 'reason').replace('{reason}', reason.replace(/_/g, ' '))}</p>` : nothing}
    <p>${kit.pick(S, 'amount')}: ${kit.money(input.order.amount, input.order.currency)}</p>`;
}
