// The order as the proxy keeps it: the one record that the order's life (create, confirm, expire,
// tell the merchant) reads and writes.
import type { CustomerOutput, Locale, PaymentStatus, ProviderId } from '../lib/contract';
import type { PricedLine } from '../lib/money';
import type { CreatedPayment } from '../providers/types';

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
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Our reference at the provider, derived from the order id. */
  providerRef: string;
  /** Set once the provider accepted the payment. */
  payment?: CreatedPayment;
  paidAt?: string;
  /** The provider's fee on the payment, minor unit, when it names one (Winpay). */
  fee?: number;
  /** The provider's reason for a failure, a stable code when it gives one. */
  reason?: string;
  /** When the proxy last asked the provider for this order's status. */
  checkedAt?: string;
}
