// Where a provider's create reply sends the shopper (paymentUrl, qrUrl): https only, so a provider
// reply, or whatever answers at its address, cannot point the widget at javascript:, data: or a
// plain-http page. The sandbox's simulators live on the proxy itself, so there http is allowed on
// loopback and at the proxy's own KASIR_PUBLIC_URL. Checked here once, for every provider.
import { providerErrors } from './errors';
import type { ProviderId } from './contract';
import type { CreatedPayment, Provider } from '../providers/types';

export interface PaymentUrlRules {
  sandbox: boolean;
  /** The proxy's own public URL (the simulators' base). */
  publicUrl: string;
}

/** localhost, *.localhost, 127.x.x.x or [::1]: a host only this machine reaches. */
export const isLoopbackHost = (host: string) => host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

export function isSafePaymentUrl(candidate: string, { sandbox, publicUrl }: PaymentUrlRules): boolean {
  if (!URL.canParse(candidate)) return false;
  const url = new URL(candidate);
  if (url.protocol === 'https:') return true;
  return sandbox && url.protocol === 'http:' && (isLoopbackHost(url.hostname) || url.origin === new URL(publicUrl).origin);
}

function checked(payment: CreatedPayment, rules: PaymentUrlRules): CreatedPayment {
  // An empty paymentUrl means there is no page (a QR-only or pay-code payment).
  const urls = [payment.paymentUrl, payment.qrUrl].filter((url): url is string => !!url);
  if (!urls.every((url) => isSafePaymentUrl(url, rules))) throw providerErrors.badResponse();
  return payment;
}

/** The same providers, whose createPayment and findPayment refuse a payment with an unsafe URL. */
export function withCheckedPayments(providers: Map<ProviderId, Provider>, rules: PaymentUrlRules): Map<ProviderId, Provider> {
  const wrap = (provider: Provider): Provider =>
    Object.assign(Object.create(provider) as Provider, {
      createPayment: async (...args: Parameters<Provider['createPayment']>) => checked(await provider.createPayment(...args), rules),
      findPayment: async (...args: Parameters<Provider['findPayment']>) => {
        const found = await provider.findPayment(...args);
        return found && checked(found, rules);
      },
    });
  return new Map([...providers].map(([id, provider]) => [id, wrap(provider)]));
}
