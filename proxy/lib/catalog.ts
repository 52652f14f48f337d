// The merchant's catalog: the only source of prices for an items checkout.
import * as v from 'valibot';
import { badRequest } from './errors';
import { MerchantSchema, MethodsSchema } from './methods';
import { AmountSchema, type PricedLine } from './money';

export const CatalogSchema = v.object({
  items: v.pipe(
    v.array(
      v.object({
        sku: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,64}$/)),
        name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
        price: v.record(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)), AmountSchema),
      }),
    ),
    v.check((items) => new Set(items.map((i) => i.sku)).size === items.length, 'duplicate sku'),
  ),
  /** What the picker offers (docs/methods.md); absent → one default method per enabled provider. */
  methods: v.optional(MethodsSchema),
  /** The shop's name as shoppers know it: shown on QR screens, receipts and the sandbox's pay pages. */
  merchant: v.optional(MerchantSchema),
});
export type CatalogOutput = v.InferOutput<typeof CatalogSchema>;

export interface Catalog {
  readonly items: CatalogOutput['items'];
  priceLines(items: readonly { sku: string; qty: number }[], currency: string): PricedLine[];
}

export function createCatalog(data: CatalogOutput): Catalog {
  const bySku = new Map(data.items.map((item) => [item.sku, item]));
  return {
    items: data.items,
    priceLines(items, currency) {
      return items.map(({ sku, qty }) => {
        const item = bySku.get(sku);
        if (!item) throw badRequest('unknown_sku', 'An item in the cart is not in the catalog.');
        const price = item.price[currency];
        if (price === undefined) throw badRequest('price_unavailable', `An item in the cart has no price in ${currency}.`);
        return { sku, name: item.name, qty, price };
      });
    },
  };
}
