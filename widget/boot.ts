// Evaluated first (define.ts imports it before anything else), before Lit and the element: what
// the form waits on — GET /v1/config and the checkout chunk (picker, summary, money format) — is
// requested as soon as the script runs, not at the element's first update. On the phone profile
// that is ~100 ms earlier, and the form is usable when both have arrived.
// Only for elements already in the document that name their endpoint (a script tag at the end of
// the body, or `defer`); others load both at their first update, as before.
import { prefetchConfig } from './api.js';
import { loadCheckout } from './chunks.js';

// A second copy of the script (the element is already defined) leaves it to the first.
if (typeof document !== 'undefined' && !customElements.get('kasir-checkout')) {
  const elements = document.querySelectorAll('kasir-checkout[endpoint]');
  // The chunk first: it is the larger of the two, and arrives last. The element's own
  // loadCheckout() then gets the same module (one request); it reports a failure.
  if (elements.length) loadCheckout().catch(() => {});
  for (const el of elements) prefetchConfig(el.getAttribute('endpoint')!);
}
