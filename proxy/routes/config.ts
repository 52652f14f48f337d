// GET /v1/config: what a storefront may know — the enabled providers, the payment methods to offer,
// the merchant's name and the catalog for display.
import { Hono } from 'hono';
import type { PublicConfig } from '../lib/contract';
import type { AppServices } from '../services';

export function createConfigRoutes({ config, providers, methods }: AppServices) {
  const body: PublicConfig = {
    providers: [...providers.values()].map((p) => ({ id: p.id, name: p.name, currency: p.currency, requires: [...p.requires] })),
    catalog: config.catalog.items.map(({ sku, name, price }) => ({ sku, name, price })),
    methods,
    ...(config.merchant ? { merchant: config.merchant } : {}),
  };
  return new Hono().get('/', function getConfig(c) {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(body);
  });
}
