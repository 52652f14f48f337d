// A plain string, adopted as one constructed sheet like the chunks' own: Lit's `css` tag (and
// its checks) would cost the entry bundle more than it gives. Named `css` for the build's minifier.
const css = String.raw;

// Every colour, radius, font and spacing is a --kasir-* custom property with a fallback, so a
// storefront themes the element from outside without reaching into its shadow tree. `all: initial`
// stops what a page's CSS would pass down by inheritance (letter-spacing, text-transform,
// text-align…); custom properties still come through.
export const styles = css`
  :host {
    all: initial;
    display: block;
    font-family: var(--kasir-font, system-ui, sans-serif);
    font-size: var(--kasir-font-size, 1rem);
    line-height: 1.4;
    color: var(--kasir-color-text, #1f2328);
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  * {
    box-sizing: border-box;
  }
  .view,
  form,
  [part~='status'] {
    display: grid;
    gap: var(--kasir-spacing, 1rem);
  }
  [part~='field'] {
    display: grid;
    gap: calc(var(--kasir-spacing, 1rem) / 4);
  }
  label {
    font-weight: 600;
  }
  input:not([type='radio']) {
    width: 100%;
    padding: 0.6em 0.75em;
    font: inherit;
    color: inherit;
    background: var(--kasir-color-background, #fff);
    border: 1px solid var(--kasir-color-border, #6e7781);
    border-radius: var(--kasir-radius, 6px);
  }
  input[aria-invalid='true'] {
    border-color: var(--kasir-color-error, #b3261e);
  }
  :focus-visible {
    outline: 2px solid var(--kasir-color-primary, #0a58ca);
    outline-offset: 2px;
  }
  p {
    margin: 0;
  }
  [part~='field-error'],
  [part~='error'] {
    color: var(--kasir-color-error, #b3261e);
    font-size: 0.875em;
  }
  [part~='error'] {
    padding: 0.6em 0.75em;
    background: var(--kasir-color-error-background, #fdeceb);
    border-radius: var(--kasir-radius, 6px);
  }
  button {
    padding: 0.75em 1em;
    font: inherit;
    font-weight: 600;
    color: var(--kasir-color-on-primary, #fff);
    background: var(--kasir-color-primary, #0a58ca);
    border: 1px solid var(--kasir-color-primary, #0a58ca);
    border-radius: var(--kasir-radius, 6px);
    cursor: pointer;
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  [part~='field']:has(:required) label::after {
    content: ' *' / '';
  }
  .title {
    font-size: 1.125em;
    font-weight: 600;
  }
`;
