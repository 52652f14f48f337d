// What a simulator keeps of a customer: placeholders. The simulators' credentials are public
// (proxy/lib/config.ts), so anything they store can be read back through their APIs by anyone; they
// check the contact details as the provider would, then keep none of them.
const PLACEHOLDERS = { name: 'Sandbox customer', email: 'customer@sandbox.invalid', phone: '0800000000' } as const;

/** The placeholder for a contact detail that was given; undefined stays undefined, as the provider would echo it. */
export function withheld<V extends string | undefined | null>(value: V, kind: keyof typeof PLACEHOLDERS): V | string {
  return value === undefined || value === null ? value : PLACEHOLDERS[kind];
}
