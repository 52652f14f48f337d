// Which providers this proxy runs: those whose credentials are configured, or all in sandbox mode.
import type { Config } from '../lib/config';
import type { ProviderId } from '../lib/contract';
import type { Provider } from './types';
import { createWinpayProvider } from './winpay';

export function createProviders(config: Config): Map<ProviderId, Provider> {
  const providers = new Map<ProviderId, Provider>();
  const { winpay } = config.providers;
  if (winpay) providers.set('winpay', createWinpayProvider(winpay, { intervalMinutes: config.paymentTtlMinutes }));
  return providers;
}
