// What the form knows about the cart before the proxy prices it (display only): the methods on
// offer, and the lines and total — from the public catalog for `items`, from the signed cart
// token's payload for `cart` (its signature is the proxy's to check).
import type { CartItemInput, ProviderId, PublicConfig, PublicMethod } from '../../proxy/lib/contract.js';
import type { Summary } from './kit.js';

export interface Cart {
  config?: PublicConfig;
  /** The element's `provider` attribute: only that provider's methods. */
  provider?: string;
  items?: CartItemInput[];
  cart?: string;
}

/** The picker's group for a whole provider, when the proxy lists no methods. */
const PROVIDER_GROUP: Record<ProviderId, PublicMethod['group']> = { winpay: 'va', faspay: 'va', uapay: 'card', amdigipay: 'qris' };

/** The methods offered: the proxy's, else one per enabled provider; only the `provider` attribute's when set. */
export function methodsOf({ config, provider }: Cart): PublicMethod[] {
  if (!config) return [];
  const all =
    config.methods ??
    config.providers.map((p): PublicMethod => ({ id: p.id, provider: p.id, group: PROVIDER_GROUP[p.id], label: { en: p.name } }));
  return provider ? all.filter((m) => m.provider === provider) : all;
}

export const currencyOf = (config: PublicConfig | undefined, provider: string | undefined): string | undefined =>
  config?.providers.find((p) => p.id === provider)?.currency;

/** The cart's lines and total in `currency` (a signed cart's are in its own currency); undefined when a price is unknown. */
export function summaryOf({ config, items, cart }: Cart, currency: string | undefined): Summary | undefined {
  if (cart) return cartSummary(cart);
  if (!currency || !Array.isArray(items) || !items.length) return undefined;
  const lines: Summary['lines'] = [];
  for (const { sku, qty } of items) {
    const item = config?.catalog.find((i) => i.sku === sku);
    const price = item?.price[currency];
    if (price === undefined) return undefined;
    lines.push({ sku, name: item!.name, qty, price });
  }
  return { lines, currency, total: total(lines) };
}

const total = (lines: Summary['lines']) => lines.reduce((sum, l) => sum + l.price * l.qty, 0);

/** The display payload of a signed cart token (base64url JSON before the dot). */
function cartSummary(token: string): Summary | undefined {
  try {
    const b64 = token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const { items, currency } = JSON.parse(new TextDecoder().decode(bytes)) as { items: Summary['lines']; currency: string };
    return { lines: items, currency, total: total(items) };
  } catch {
    return undefined;
  }
}
