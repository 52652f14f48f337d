// Customer validation with the proxy's own CustomerSchema, in a chunk of its own (valibot and the
// schema weigh ~1.7 kB gzip): the element loads it as soon as it shows the form.
import { safeParse } from 'valibot';
import { CustomerSchema, type CustomerOutput } from '../proxy/lib/contract.js';

export interface CustomerCheck {
  /** The trimmed customer, when every field is valid. */
  customer?: CustomerOutput;
  /** The first issue's code (`email_invalid`, …) of each invalid field. */
  errors: Record<string, string>;
}

export function checkCustomer(input: Record<string, string>): CustomerCheck {
  const result = safeParse(CustomerSchema, input);
  const errors: Record<string, string> = {};
  for (const issue of result.issues ?? []) errors[String(issue.path?.[0]?.key)] ??= issue.message;
  return result.success ? { customer: result.output, errors } : { errors };
}
