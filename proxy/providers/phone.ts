// Shoppers type phone numbers every way ("+62 812-3456-7890", "0812 3456 7890"); each provider's
// samples show one shape. Each provider file has one function that turns the number into that
// shape, built from these, and refuses a number that cannot be one before the provider is called.
import { badRequest } from '../lib/errors';

/** The number without its separators; a leading + is kept, so the caller can tell 62… from +62…. */
export const compactPhone = (phone: string) => phone.trim().replace(/[\s().-]/g, '');

/**
 * An Indonesian number as Faspay's and AMDigipay's samples write it: the trunk form `08…`
 * (`0` + 8–13 digits) or the country form `62…`, digits only. `+62 …` becomes `62…`; a number of
 * another country, or with neither prefix, is not one.
 */
export function indonesianPhone(phone: string): string | undefined {
  const compact = compactPhone(phone);
  const digits = compact.replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if (compact.startsWith('+') && !digits.startsWith('62')) return undefined;
  return /^(0|62)\d{8,13}$/.test(digits) ? digits : undefined;
}

export const phoneRefused = (providerName: string) =>
  badRequest('phone_invalid', `${providerName} cannot take this phone number; use a number such as 0812 3456 7890.`, 'customer.phone');
