// Money is an integer in the currency's minor unit everywhere (IDR has none, UAH has kopecks).
import * as v from 'valibot';
import { badRequest } from './errors';

export const MINOR_UNIT_DIGITS: Record<string, number> = { IDR: 0, UAH: 2 };

export const AmountSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A whole number as providers send it: a JSON number or a string of digits (their samples mix both). */
export const WireIntegerSchema = v.pipe(
  v.union([AmountSchema, v.pipe(v.string(), v.regex(/^\d{1,15}$/))]),
  v.transform(Number),
);

export interface PricedLine {
  sku: string;
  name: string;
  qty: number;
  /** Unit price, minor unit. */
  price: number;
}

/** Sum of qty × price; refuses anything that would leave exact integer arithmetic. */
export function totalOf(lines: readonly PricedLine[]): number {
  let total = 0;
  for (const line of lines) total += line.qty * line.price;
  if (!Number.isSafeInteger(total)) throw badRequest('amount_too_large', 'The cart total is too large.');
  return total;
}
