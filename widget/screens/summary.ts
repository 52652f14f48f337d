// The order summary shown above the form: each line (name × qty, line total) and the total. Display
// only: the lines come from the public catalog or the signed cart's payload; the proxy prices the order.
import type { Kit, Strings, Summary, TemplateResult } from './kit.js';

export const SUMMARY_STRINGS: Strings<'summary' | 'total'> = {
  en: { summary: 'Order summary', total: 'Total' },
  id: { summary: 'Ringkasan pesanan', total: 'Total' },
  uk: { summary: 'Ваше замовлення', total: 'Разом' },
};

/** The lines and total as a definition-like list; also used by the receipt. */
export function renderLines(summary: Summary, kit: Kit): TemplateResult {
  const { html } = kit;
  const { lines, currency, total } = summary;
  return html`<ul class="lines">
      ${lines.map(
        (l) => html`<li><span>${l.name}${l.qty > 1 ? ` × ${l.qty}` : ''}</span><span>${kit.money(l.price * l.qty, currency)}</span></li>`,
      )}
    </ul>
    <p class="total"><span>${kit.pick(SUMMARY_STRINGS, 'total')}</span><span>${kit.money(total, currency)}</span></p>`;
}

export function renderSummary(summary: Summary, kit: Kit): TemplateResult {
  const { html } = kit;
  return html`<section part="summary" aria-labelledby="kasir-summary">
    <h2 id="kasir-summary">${kit.pick(SUMMARY_STRINGS, 'summary')}</h2>
    ${renderLines(summary, kit)}
  </section>`;
}
