// The pay code (virtual account or store code): the bank or channel, the number grouped by four
// for reading (the groups never break apart: one line on a phone), a copy button, and the steps
// to pay it by ATM, mobile and internet banking for the common Indonesian banks.
import type { BankSteps } from '../banks/banks.js';
import type { Kit, TemplateResult } from './kit.js';
import type { OrderView } from './order-input.js';
import { ORDER_STRINGS as S } from './order-strings.js';

const BANKS = ['bca', 'mandiri', 'bni', 'bri', 'permata'] as const;

/** The bank a channel, method id or label names (`bca_va`, `BCA Virtual Account`, …), if one of ours. */
export function bankOf(input: Pick<OrderView, 'order' | 'method'>): string | undefined {
  const words = [input.order.channel, input.method?.channel, input.method?.id, input.method?.label.en].join(' ').toLowerCase();
  return BANKS.find((b) => new RegExp(`(^|[^a-z])${b}([^a-z]|$)`).test(words));
}

export function renderPayCode(input: OrderView, kit: Kit): TemplateResult {
  const { html, nothing } = kit;
  const code = input.order.payCode!;
  const bank = bankOf(input);
  if (bank && !input.banks) input.on.needBanks();
  const steps = bank && input.banks?.stepsFor(bank, kit.lang);
  const where = input.method ? input.method.label[kit.lang] || input.method.label.en : steps && steps.name;
  const groups = code.match(/.{1,4}/g) ?? [code];
  return html`${where ? html`<p class="channel">${where}</p>` : nothing}
    <p class="code-label">${kit.pick(S, 'payCode')}</p>
    <p class="code-row">
      <code part="pay-code">${groups.map((g) => html`<span>${g}</span>`)}</code>
      <button part="copy" type="button" @click=${(e: Event) => copy(e, code, input.on.copied)}>${kit.pick(S, 'copy')}</button>
    </p>
    <p role="status" class="copied">${input.copied ? kit.pick(S, 'copied') : ''}</p>
    ${steps ? renderSteps(input, steps, kit) : nothing}`;
}

function renderSteps(input: OrderView, steps: BankSteps, kit: Kit): TemplateResult {
  const { html } = kit;
  const code = input.order.payCode!;
  const amount = kit.money(input.order.amount, input.order.currency);
  const fill = (s: string) => s.replace('{code}', code).replace('{amount}', amount);
  return html`<section part="steps" aria-labelledby="kasir-steps">
    <h3 id="kasir-steps">${kit.pick(S, 'howToPay').replace('{bank}', steps.name)}</h3>
    ${steps.channels.map(
      (c, i) => html`<details ?open=${i === 0}>
        <summary>${c.title}</summary>
        <ol>
          ${c.steps.map((s) => html`<li>${fill(s)}</li>`)}
        </ol>
      </details>`,
    )}
  </section>`;
}

async function copy(e: Event, code: string, copied: () => void): Promise<void> {
  const shown = (e.currentTarget as HTMLElement).parentElement?.querySelector('[part~="pay-code"]');
  try {
    await navigator.clipboard.writeText(code);
    copied();
  } catch {
    // No clipboard access: select the code, so the customer can copy it by hand.
    if (shown) getSelection()?.selectAllChildren(shown);
  }
}
