// The one interface every payment provider implements. The proxy's routes know nothing else
// about a provider: not its URLs, its signing, its wire formats or its status words.
import type { PaymentStatus, ProviderId } from '../lib/contract';
import type { FetchLike } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Order } from '../orders/order';

export type { PaymentStatus };

/** Identifies a payment at its provider: our derived reference and, once known, the provider's own id. */
export interface PaymentRef {
  providerRef: string;
  providerId?: string;
}

export interface ProviderContext {
  fetch: FetchLike;
  /**
   * A fetch that can send a body with GET (node:http on Node), for the one call documented that way
   * (Faspay's inquire). Absent where the runtime cannot (fetch on Workers): the provider then POSTs.
   */
  fetchWithGetBody?: FetchLike;
  now: () => Date;
  log: Logger;
  /** Where this provider's notices should be sent (our POST /v1/notify/:provider). */
  notifyUrl: string;
  /** Deadline for one call to the provider. */
  timeoutMs: number;
}

export interface CreatedPayment extends PaymentRef {
  paymentUrl: string;
  qrUrl?: string;
  qrString?: string;
  payCode?: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
}

export interface StatusResult {
  status: PaymentStatus;
  /** What the provider says was paid for the order, minor unit (fees excluded). */
  paidAmount?: number;
  /** ISO 8601 UTC. */
  paidAt?: string;
  /** The provider's fee on a paid payment, minor unit, when it names one (who bore it varies: see docs/providers). */
  fee?: number;
  /** The provider's own word for a failure or cancellation, when it gives one. */
  reason?: string;
}

/**
 * A provider's notice, read. `claimedStatus` is only a claim: nothing changes until a status
 * lookup confirms it. `reply` is the exact answer the provider expects.
 */
export type NoticeResult =
  | { kind: 'notice'; ref: PaymentRef; claimedStatus: PaymentStatus; reply: () => Response }
  | { kind: 'ignore'; reply: () => Response };

export interface Provider {
  readonly id: ProviderId;
  readonly name: string;
  /** ISO 4217 code of the only currency this provider takes. */
  readonly currency: string;
  /** Customer fields this provider insists on, beyond the name. */
  readonly requires: readonly ('email' | 'phone')[];
  /**
   * Derives the provider-side reference from our order id: stable, so a retry finds the first
   * attempt. Attempt 0 is the order's first reference; attempt n > 0 is another valid reference in
   * the provider's format, distinct from every order's attempt 0, for a create made again after its
   * first reply was lost where the provider has no lookup by reference.
   */
  refFor(orderId: string, attempt?: number): string;
  createPayment(order: Order, ctx: ProviderContext): Promise<CreatedPayment>;
  /**
   * The payment an earlier create made under `ref.providerRef`, when that create's answer was lost
   * (a timeout), so a retry resumes it instead of creating a second payable one. Undefined when
   * the provider has none, or offers no lookup by our reference.
   */
  findPayment(ref: PaymentRef, ctx: ProviderContext): Promise<CreatedPayment | undefined>;
  /**
   * Whether findPayment really looks payments up by our reference (Winpay, AMDigipay). When it
   * does, a payment it cannot find does not exist; when not, findPayment always answers undefined
   * and a notice's own payment id is the only way to name another attempt's payment.
   */
  readonly findsByRef: boolean;
  getStatus(ref: PaymentRef, ctx: ProviderContext): Promise<StatusResult>;
  /**
   * Voids a payment that is still open, so it cannot be paid after the proxy has expired its order.
   * False when the provider offers no way to; throws (e.g. provider_rejected) when it refuses,
   * which is what it does when the payment was made meanwhile.
   */
  cancelPayment(ref: PaymentRef, ctx: ProviderContext): Promise<boolean>;
  handleNotice(request: Request, ctx: ProviderContext): Promise<NoticeResult>;
}
