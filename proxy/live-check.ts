// `kasir check --live <provider>`: settles, with the merchant's own sandbox credentials and at the
// merchant's site, what our simulators can only assume — that the provider accepts our signature,
// that we understand its lookup answer, and whether it lets us void. It goes through the Provider
// interface only, exactly as a checkout would, with the cheapest catalog item as the invoice.
import type { Config } from './lib/config';
import type { ProviderId } from './lib/contract';
import { KasirError } from './lib/errors';
import type { FetchLike } from './lib/http';
import { createLogger } from './lib/log';
import { randomId } from './lib/signing';
import type { Order } from './orders/order';
import { createProviders } from './providers';
import type { PaymentRef, ProviderContext } from './providers/types';

/** Where each provider takes our notice URL from: its dashboard, or each create request. */
export const NOTICE_URL_SET_IN: Record<ProviderId, string> = {
  winpay: 'set it in the Winpay dashboard, per client key',
  faspay: 'set it as the payment notification URL of your Faspay merchant account',
  uapay: 'nothing to set: it is sent with every invoice',
  amdigipay: 'set it as the callback URL in the AMDigipay dashboard',
};

/** Why a step failed, in words: our stable code and message, never a provider body or a secret. */
const reason = (err: unknown) => (err instanceof KasirError ? `${err.code}: ${err.message}` : err instanceof Error ? err.name : 'unknown error');

export async function runLiveCheck(
  config: Config,
  id: ProviderId,
  print: (line: string) => void,
  deps: { fetch?: FetchLike; now?: () => Date } = {},
): Promise<boolean> {
  const provider = createProviders(config).get(id);
  if (!provider) {
    print(`✗ ${id} is not enabled: set its credentials (see README, "Providers")`);
    return false;
  }
  const now = deps.now ?? (() => new Date());
  const warnings: string[] = [];
  const ctx: ProviderContext = {
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    now,
    // Provider warnings (an unknown status word, say) are part of what this check is for.
    log: createLogger((line) => {
      const { level, event, status } = JSON.parse(line) as { level: string; event: string; status?: unknown };
      if (level !== 'info') warnings.push(`${event}${status === undefined ? '' : ` (${String(status)})`}`);
    }),
    notifyUrl: `${config.publicUrl}/v1/notify/${id}`,
    timeoutMs: config.providerTimeoutMs,
  };
  const settings = config.providers[id]!;
  print(`kasir check --live ${id}: ${provider.name} at ${settings.baseUrl}${settings.sandbox ? ' (the built-in simulator)' : ''}`);

  const item = config.catalog.items
    .filter((i) => i.price[provider.currency] !== undefined)
    .sort((a, b) => a.price[provider.currency]! - b.price[provider.currency]!)[0];
  if (!item) {
    print(`✗ the catalog has no item priced in ${provider.currency}: add one to try ${provider.name}`);
    return false;
  }
  const orderId = randomId('chk_');
  const price = item.price[provider.currency]!;
  const order: Order = {
    id: orderId,
    provider: id,
    status: 'pending',
    amount: price,
    currency: provider.currency,
    lines: [{ sku: item.sku, name: item.name, qty: 1, price }],
    customer: {
      name: 'Kasir live check',
      email: 'kasir-check@example.com',
      phone: provider.currency === 'UAH' ? '+380501234567' : '+6281234567890',
    },
    returnUrl: `${config.returnUrls[0] ?? `${config.publicUrl}/`}?kasir_order=${orderId}`,
    createdAt: now().toISOString(),
    providerRef: provider.refFor(orderId),
  };

  let ref: PaymentRef;
  try {
    const created = await provider.createPayment(order, ctx);
    ref = { providerRef: created.providerRef, providerId: created.providerId };
    print(`✓ create: ${provider.name} accepted our signed request for ${price} ${provider.currency} (${item.sku})`);
    print(`    reference ${created.providerRef}${created.providerId ? `, ${provider.name} id ${created.providerId}` : ''}; expires ${created.expiresAt}`);
    print(`    payment page ${created.paymentUrl}`);
  } catch (err) {
    print(`✗ create failed — ${reason(err)}`);
    print('    check the credentials and the base URL; provider_auth_failed means the signature or login was refused');
    return false;
  }

  let ok = true;
  try {
    const status = await provider.getStatus(ref, ctx);
    print(`✓ lookup: the answer was understood — status ${status.status}`);
    if (status.status !== 'pending') print(`    (a new invoice should be pending; ${status.status} is worth a look)`);
  } catch (err) {
    print(`✗ lookup failed — ${reason(err)}`);
    ok = false;
  }

  try {
    const voided = await provider.cancelPayment(ref, ctx);
    print(voided ? '✓ void: the invoice was voided at the provider' : `- void: ${provider.name} offers no void; the invoice lapses at its expiry`);
  } catch (err) {
    print(`✗ void failed — ${reason(err)}`);
    ok = false;
  }

  for (const warning of warnings) print(`! provider warning: ${warning}`);
  print(`→ notice URL: ${ctx.notifyUrl} — ${NOTICE_URL_SET_IN[id]}`);
  if (/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(`${config.publicUrl}/`)) {
    print('! KASIR_PUBLIC_URL is local: the provider cannot reach that notice URL; set the public https URL');
  }
  print(ok ? `${provider.name}: ready` : `${provider.name}: not ready (see ✗ above)`);
  return ok;
}
