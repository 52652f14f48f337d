// What the order panel is drawn from (type only: the element fills it in, the order chunk reads it).
import type { CheckoutView, PublicConfig, PublicMethod } from '../../proxy/lib/contract.js';
import type { QrDrawing } from '../qr.js';
import type { nothing } from 'lit';
import type { Summary, TemplateResult } from './kit.js';

export interface OrderInput {
  order: CheckoutView;
  /** An order GET is in flight. */
  loading: boolean;
  /** The alert of a failed request, drawn by the element. */
  error: TemplateResult | typeof nothing;
  /** The clock of the countdown (ms since the epoch). */
  now: number;
  /** The proxy's config, when the form loaded it (merchant name, methods, provider names). */
  config?: PublicConfig;
  /** The drawn QR (undefined while the encoder loads; `failed` when it cannot load). */
  qr?: QrDrawing | 'failed';
  copied: boolean;
  /** A payment window this widget opened may still be open (it cannot always tell: COOP). */
  windowOpen: boolean;
  /** The form's summary, for a receipt when the proxy sent no `lines`. */
  summary?: Summary;
  /** The bank steps' chunk, once loaded (`needBanks`). */
  banks?: typeof import('../banks/banks.js');
  on: {
    /** The pay code was copied to the clipboard. */
    copied(): void;
    reopen(): void;
    /** Ask the proxy now. */
    check(): void;
    /** Back to the form, the details kept (try again, choose another method, continue shopping). */
    restart(): void;
    /** The order panel shows a pay code at a bank it has steps for: load them. */
    needBanks(): void;
  };
}

/** The input with what the order chunk works out from it. */
export interface OrderView extends OrderInput {
  /** A small touch screen: the QR cannot be scanned by the phone showing it. */
  phone: boolean;
  merchant?: string;
  /** The method the order was made with (when the proxy lists methods), and the provider's display name. */
  method?: PublicMethod;
  providerName: string;
}
