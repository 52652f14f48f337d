// The element's public events: names, detail types and the one helper that dispatches them.
// Every event bubbles and is composed, so a listener on `document` hears an element deep in
// someone else's shadow tree.
import type { CheckoutView, PaymentStatus } from '../proxy/lib/contract.js';

export type KasirMode = 'redirect' | 'popup' | 'tab';

/** Detail of `kasir-error`. `code` is the proxy's `error.code`, or a widget code (`network_error`, …). */
export interface KasirErrorDetail {
  code: string;
  /** Developer-facing English text (the proxy's `error.message`); the user sees a translated one. */
  message: string;
  /** HTTP status of the failed response; 0 when no response arrived. */
  status: number;
  /** The request field at fault (`customer.phone`), when the proxy names one. */
  field?: string;
}

/** Detail of `kasir-open`: the payment page is about to be opened. */
export interface KasirOpenDetail {
  id: string;
  paymentUrl: string;
  /** Where it opens: the `mode` asked for, or `redirect` when the browser blocked the popup / tab. */
  mode: KasirMode;
}

/** Detail of `kasir-close` (popup / tab modes): the payment window was closed. */
export interface KasirCloseDetail {
  id: string;
}

export interface KasirEventDetailMap {
  'kasir-open': KasirOpenDetail;
  'kasir-created': CheckoutView;
  'kasir-pending': CheckoutView;
  'kasir-paid': CheckoutView;
  'kasir-failed': CheckoutView;
  'kasir-expired': CheckoutView;
  'kasir-close': KasirCloseDetail;
  'kasir-error': KasirErrorDetail;
}
export type KasirEventName = keyof KasirEventDetailMap;
export type KasirEvents = { [K in KasirEventName]: CustomEvent<KasirEventDetailMap[K]> };

/** The event announced when an order is seen in a status: `cancelled` counts as failed; `refunded` has none (yet). */
export function statusEvent(status: PaymentStatus): KasirEventName | undefined {
  return status === 'refunded' ? undefined : `kasir-${status === 'cancelled' ? 'failed' : status}`;
}

/** Dispatches a bubbling, composed CustomEvent; returns false if a cancelable one was cancelled. */
export function emit<K extends KasirEventName>(
  target: EventTarget,
  name: K,
  detail: KasirEventDetailMap[K],
  cancelable = false,
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
}

declare global {
  interface HTMLElementEventMap extends KasirEvents {}
  interface DocumentEventMap extends KasirEvents {}
}
