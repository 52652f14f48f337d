// The language menu (`locale-switch` attribute): each language named in itself.
import type { Locale } from '../../proxy/lib/contract.js';
import type { Kit, TemplateResult } from './kit.js';

const LANGUAGES: Record<Locale, string> = { en: 'English', id: 'Bahasa Indonesia', uk: 'Українська' };

export function renderLocaleSwitch(current: Locale, choose: (locale: Locale) => void, kit: Kit): TemplateResult {
  const { html } = kit;
  return html`<select
    part="locale-switch"
    aria-label="Language · Bahasa · Мова"
    @change=${(e: Event) => choose((e.target as HTMLSelectElement).value as Locale)}
  >
    ${(Object.keys(LANGUAGES) as Locale[]).map((l) => html`<option value=${l} lang=${l} ?selected=${l === current}>${LANGUAGES[l]}</option>`)}
  </select>`;
}
