// Which providers this proxy runs: those whose credentials are configured, or all in sandbox mode.
import type { Config } from '../lib/config';
import type { ProviderId } from '../lib/contract';
import { createAmdigipayProvider } from './amdigipay';
import type { Provider } from './types';
import { createFaspayProvider } from './faspay';
import { createUapayProvider } from './uapay';
import { createWinpayProvider } from './winpay';

export function createProviders(config: Config): Map<ProviderId, Provider> {
  const providers = new Map<ProviderId, Provider>();
  const { winpay } = config.providers;
  if (winpay) providers.set('winpay', createWinpayProvider(winpay, { ttlMinutes: config.paymentTtlMinutes }));
  if (config.providers.faspay) providers.set('faspay', createFaspayProvider(config.providers.faspay, { ttlMinutes: config.paymentTtlMinutes }));
  if (config.providers.amdigipay) providers.set('amdigipay', createAmdigipayProvider(config.providers.amdigipay, { ttlMinutes: config.paymentTtlMinutes }));
  if (config.providers.uapay) providers.set('uapay', createUapayProvider(config.providers.uapay, { ttlMinutes: config.paymentTtlMinutes }));
  return providers;
}
