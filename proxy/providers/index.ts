// Which providers this proxy runs: those whose credentials are configured, or all in sandbox mode.
import type { Config } from '../lib/config';
import type { ProviderId } from '../lib/contract';
import { createAmdigipayProvider } from './amdigipay';
import { createFaspayProvider } from './faspay';
import type { Provider } from './types';
import { createUapayProvider } from './uapay';
import { createWinpayProvider } from './winpay';

export function createProviders(config: Config): Map<ProviderId, Provider> {
  const { winpay, faspay, uapay, amdigipay } = config.providers;
  const options = { ttlMinutes: config.paymentTtlMinutes };
  const providers = new Map<ProviderId, Provider>();
  if (winpay) providers.set('winpay', createWinpayProvider(winpay, options));
  if (faspay) providers.set('faspay', createFaspayProvider(faspay, options));
  if (uapay) providers.set('uapay', createUapayProvider(uapay, options));
  if (amdigipay) providers.set('amdigipay', createAmdigipayProvider(amdigipay, options));
  return providers;
}
