// Provider references derived from our order ids.

/** An order id as a provider reference of letters and digits only (`ord_Ab3…` → `ordAb3…`). */
export const alphanumericRef = (orderId: string) => orderId.replace(/[^A-Za-z0-9]/g, '');
