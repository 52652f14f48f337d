// The on-demand chunk of the form (dist/kasir-checkout.js): the method picker and the order
// summary, with their styles, and the money format every screen uses. The script starts loading it
// as it runs, beside GET /v1/config (boot.ts); the element also needs it to show an order.
export { methodLabel, renderPicker, type PickerInput } from './picker.js';
export { renderSummary } from './summary.js';
export { renderLocaleSwitch } from './locale-switch.js';
export { currencyOf, methodsOf, summaryOf, type Cart } from './cart.js';
export { formatAmount } from './money.js';

export const css = `
fieldset{display:grid;gap:calc(var(--kasir-spacing,1rem)/4);margin:0;padding:calc(var(--kasir-spacing,1rem)/2) var(--kasir-spacing,1rem);border:1px solid var(--kasir-color-border,#6e7781);border-radius:var(--kasir-radius,6px)}
legend{font-weight:600}
[part~=locale-switch]{justify-self:end;padding:.3em .5em;font:inherit;font-size:.875em;color:inherit;background:var(--kasir-color-background,#fff);border:1px solid var(--kasir-color-border,#6e7781);border-radius:var(--kasir-radius,6px)}
[part~=summary]{display:grid;gap:.5em}
h2{margin:0;font-size:1em}
.lines{display:grid;gap:.25em;margin:0;padding:0;list-style:none}
.lines li,.total{display:flex;justify-content:space-between;gap:1em}
.total{padding-top:.5em;border-top:1px solid var(--kasir-color-border,#6e7781);font-weight:600}
.group{display:grid;gap:.25em}
.group+.group{margin-top:.5em}
.group-name{font-size:.875em;font-weight:600;opacity:.8}
.method{display:flex;gap:.6em;align-items:center;min-height:2.75em;padding:.25em .5em;border:1px solid transparent;border-radius:var(--kasir-radius,6px);font-weight:400}
.method:has(:checked){border-color:var(--kasir-color-primary,#0a58ca)}
.logo{flex:none;width:24px;height:24px;fill:currentColor;object-fit:contain}
.method-name{flex:1;min-width:0;overflow-wrap:anywhere}
.estimate{flex:none;font-size:.875em;font-variant-numeric:tabular-nums}
`;
