// The entry of both builds: defines <kasir-checkout> once, so a second copy of the script (another
// tag, another bundle) is harmless. Importing it where there is no DOM (server rendering, Node)
// is harmless too: boot.ts looks for `document` first, and where there is no `customElements`
// nothing is defined.
// First: starts the requests the form waits on while the rest of the script is evaluated.
import './boot.js';
import { KasirCheckout } from './kasir-checkout.js';

export { KasirCheckout };
export { KasirApiError } from './api.js';
export { setBasePath } from './chunks.js';
export type * from './events.js';
export type { CheckoutView, PaymentStatus } from '../proxy/lib/contract.js';

export const TAG_NAME = 'kasir-checkout';

if (typeof customElements !== 'undefined' && !customElements.get(TAG_NAME)) {
  customElements.define(TAG_NAME, KasirCheckout);
}
