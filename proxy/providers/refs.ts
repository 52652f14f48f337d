// Provider references derived from our order ids.

/**
 * An order id as a provider reference of letters and digits only (`ord_Ab3…` → `ordAb3…`); a later
 * attempt adds `-<n>`, which no attempt 0 can contain, so two orders' references never meet.
 */
export function alphanumericRef(orderId: string, attempt = 0): string {
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError('attempt must be a whole number ≥ 0');
  const ref = orderId.replace(/[^A-Za-z0-9]/g, '');
  return attempt === 0 ? ref : `${ref}-${attempt}`;
}
