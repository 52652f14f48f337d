// The order as the proxy keeps it: the one record that the order's life (create, confirm, expire,
// tell the merchant) reads and writes. It is also the outbox of the merchant's webhook: a state
// change and the event that tells it are one write of this record, so neither exists without the other.
import type { CheckoutView, CustomerOutput, Locale, PaymentStatus, ProviderId } from '../lib/contract';
import type { PricedLine } from '../lib/money';
import type { CreatedPayment } from '../providers/types';

/** A state change to tell the merchant, and how telling it goes. */
export interface OrderEvent {
  /** Stable: the same for the same order and status, on every attempt (receivers de-duplicate on it). */
  id: string;
  type: `order.${PaymentStatus}`;
  /** Unix seconds. */
  created: number;
  /** Paid after the order had been expired, cancelled or failed: the merchant fulfils or refunds. */
  late?: true;
  /** The order as it was at this change. */
  data: CheckoutView;
  state: 'pending' | 'delivered' | 'abandoned';
  /** Attempts made so far. */
  attempts: number;
  /** Epoch milliseconds. */
  nextAttemptAt: number;
}

/** A second payment of the same order (under another attempt's reference): recorded and alerted, never lost. */
export interface ExtraPayment {
  providerRef: string;
  amount?: number;
  paidAt: string;
}

/** An order as the proxy keeps it. Money in the minor unit. */
export interface Order {
  id: string;
  provider: ProviderId;
  status: PaymentStatus;
  amount: number;
  currency: string;
  lines: PricedLine[];
  customer: CustomerOutput;
  /** The merchant's own reference, from a signed cart. */
  ref?: string;
  /** Where the provider sends the customer back: the checkout's returnUrl plus kasir_order=<id>. */
  returnUrl?: string;
  locale?: Locale;
  /** The payment method the shopper chose (a PublicMethod id) and its channel at the provider. */
  method?: string;
  channel?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Our reference at the provider for the current attempt, derived from the order id (`refFor(id, attempt)`). */
  providerRef: string;
  /**
   * Every attempt's reference, attempt n at index n (absent: only `providerRef`). A create whose
   * answer was lost, at a provider that cannot be asked by reference, is retried under a new one.
   */
  attempts?: string[];
  /** Set once the provider accepted the payment. */
  payment?: CreatedPayment;
  paidAt?: string;
  /** The attempt reference that was paid. */
  paidRef?: string;
  /** Payments beyond the first, each under another attempt's reference. */
  extraPayments?: ExtraPayment[];
  /** The provider's fee on the payment, minor unit, when it names one (Winpay). */
  fee?: number;
  /** The provider's reason for a failure, a stable code when it gives one. */
  reason?: string;
  /** A lookup outside the sweep found it expired: the sweep closes it next tick (only the sweep expires). */
  expiryReported?: true;
  /** When the proxy last asked the provider for this order's status. */
  checkedAt?: string;
  /** The merchant's events for this order's changes (only when a webhook is configured). */
  events?: OrderEvent[];
}

/** Every attempt's reference, the first first. */
export const attemptRefs = (order: Pick<Order, 'providerRef' | 'attempts'>): string[] => order.attempts ?? [order.providerRef];
