// Script-tag entry: defines <kasir-checkout> once. Importing it where there is no DOM (SSR,
// Node tests) is harmless: nothing is defined and nothing touches `window`.
import { KasirCheckout } from './kasir-checkout.js';

export { KasirCheckout };
export { KasirApiError } from './api.js';
export type * from './events.js';

export const TAG_NAME = 'kasir-checkout';

if (typeof customElements !== 'undefined' && !customElements.get(TAG_NAME)) {
  customElements.define(TAG_NAME, KasirCheckout);
}
