// `kasir/react`: <kasir-checkout> as a React component. React 19 renders custom elements itself,
// but after server rendering it hydrates them without setting object properties (a bare
// `<kasir-checkout items={…}>` keeps no `items`, and Pay fails with `items_or_cart`). The
// @lit/react wrapper sets every property and listener from a layout effect on the client, so it
// does not matter whether the element was rendered on the client or hydrated from the server.
//
// Built to dist/react.js by scripts/build-react.mjs: the element is imported from `./kasir.js`
// (the one copy an app shares with `import 'kasir'`), @lit/react is bundled in, React is not.
import { createComponent, type EventName } from '@lit/react';
import type { LitElement } from 'lit';
import * as React from 'react';
import { KasirCheckout as KasirCheckoutElement, TAG_NAME } from '../widget/define.js';
import type { KasirEventDetailMap, KasirEventName } from '../widget/events.js';

/** `kasir-paid` → `onKasirPaid`. */
type EventProp<N extends string> = N extends `kasir-${infer Rest}` ? `onKasir${Capitalize<Rest>}` : never;

/** One `onKasir…` prop per event of the element, each handed the element's CustomEvent with its typed `detail`. */
export type KasirCheckoutEventProps = {
  [N in KasirEventName as EventProp<N>]?: (event: CustomEvent<KasirEventDetailMap[N]>) => void;
};

/**
 * The element's own public properties (`endpoint`, `provider`, `items`, `cart`, `returnUrl`,
 * `locale`, `mode`, `customer`, …), each set as a property, never as an attribute: arrays and
 * objects arrive as they are.
 */
export type KasirCheckoutElementProps = Partial<Omit<KasirCheckoutElement, keyof LitElement>>;

export type KasirCheckoutProps = KasirCheckoutElementProps &
  KasirCheckoutEventProps &
  Omit<React.HTMLAttributes<KasirCheckoutElement>, keyof KasirCheckoutElementProps | keyof KasirCheckoutEventProps> &
  React.RefAttributes<KasirCheckoutElement>;

const EVENTS = {
  onKasirOpen: 'kasir-open',
  onKasirCreated: 'kasir-created',
  onKasirPending: 'kasir-pending',
  onKasirPaid: 'kasir-paid',
  onKasirFailed: 'kasir-failed',
  onKasirExpired: 'kasir-expired',
  onKasirClose: 'kasir-close',
  onKasirError: 'kasir-error',
} as const satisfies { [N in KasirEventName as EventProp<N>]: N };

/**
 * `<KasirCheckout endpoint="…" items={[{ sku: 'tee-m', qty: 1 }]} onKasirPaid={(e) => …} />`.
 * Importing this module defines `<kasir-checkout>` in the browser (and does nothing harmful
 * during server rendering); the ref is the element itself.
 */
export const KasirCheckout: React.ForwardRefExoticComponent<KasirCheckoutProps> = createComponent({
  react: React,
  tagName: TAG_NAME,
  elementClass: KasirCheckoutElement,
  events: EVENTS as { [P in keyof typeof EVENTS]: EventName<CustomEvent<KasirEventDetailMap[(typeof EVENTS)[P]]>> },
  displayName: 'KasirCheckout',
}) as React.ForwardRefExoticComponent<KasirCheckoutProps>;

export type { KasirCheckoutElement };
export type {
  KasirCloseDetail,
  KasirErrorDetail,
  KasirEventDetailMap,
  KasirEventName,
  KasirMode,
  KasirOpenDetail,
} from '../widget/events.js';
export type { CheckoutView, PaymentStatus } from '../proxy/lib/contract.js';
