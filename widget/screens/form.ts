// The form: the order summary and the method picker (from the on-demand checkout chunk, once it
// has loaded), the customer's fields, the request's error, and the pay button saying the amount.
// In the entry bundle: it is the first render, and must not wait for anything.
import { html, nothing, type TemplateResult } from 'lit';
import { translateCode } from '../i18n/index.js';
import type { Kit } from './kit.js';

export type Field = 'name' | 'email' | 'phone';
export const FIELDS: readonly Field[] = ['name', 'email', 'phone'];

export interface FormInput {
  busy: 'paying' | 'redirecting' | false;
  /** The config is loading and the provider is not fixed by the attribute: nothing to pay with yet. */
  waiting: boolean;
  loading: boolean;
  values: Record<Field, string>;
  errors: Partial<Record<Field, string>>;
  required(field: Field): boolean;
  /** "IDR 340,000", when the cart's total is known. */
  total?: string;
  summary: TemplateResult | typeof nothing;
  picker: TemplateResult | typeof nothing;
  error: TemplateResult | typeof nothing;
  on: { submit(e: Event): void; input(e: Event): void; blur(e: Event): void };
}

export function renderForm(input: FormInput, kit: Kit): TemplateResult {
  const label = input.busy ? kit.t(input.busy) : input.total ? `${kit.t('pay')} ${input.total}` : kit.t('pay');
  return html`<form
    part="form"
    novalidate
    aria-busy=${input.loading ? 'true' : 'false'}
    @submit=${input.on.submit}
    @input=${input.on.input}
    @focusout=${input.on.blur}
  >
    ${input.summary} ${input.picker} ${FIELDS.map((f) => renderField(f, input, kit))} ${input.error}
    <button part="button" type="submit" ?disabled=${!!input.busy || input.waiting} aria-busy=${input.busy ? 'true' : 'false'}>
      ${label}
    </button>
  </form>`;
}

function renderField(f: Field, input: FormInput, kit: Kit): TemplateResult {
  const code = input.errors[f];
  const id = `kasir-${f}`;
  const auto = f === 'phone' ? 'tel' : f;
  // A live region: a message that appears under the field is announced.
  return html`<div part="field" aria-live="polite">
    <label part="label" for=${id}>${kit.t(f)}</label>
    <input
      part="input"
      id=${id}
      name=${f}
      type=${f === 'name' ? 'text' : auto}
      autocomplete=${auto}
      ?required=${input.required(f)}
      .value=${input.values[f]}
      aria-invalid=${code ? 'true' : 'false'}
      aria-describedby=${code ? `${id}-error` : nothing}
    />
    ${code
      ? html`<p part="field-error" id="${id}-error">
          ${translateCode(kit.lang, code) ?? kit.t(f === 'name' ? 'name_required' : (`${f}_invalid` as const))}
        </p>`
      : nothing}
  </div>`;
}
