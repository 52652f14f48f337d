// Minting a Kasir signed cart on the merchant's own server: Node and node:crypto only, no Kasir.
// Give the token to <kasir-checkout cart="…">; the proxy checks it with the same KASIR_CART_SECRET.
import { createHmac, randomBytes } from 'node:crypto';

export function signCart(secret, payload) {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

// items: [{ sku, name, qty, price }], price an integer in the currency's minor unit (IDR 150000 = Rp150.000).
// ref: your own order number (1–64 printable characters), echoed in GET /v1/checkouts/:id and every webhook.
export function mintCart(secret, items, currency, { ref, now = Date.now() } = {}) {
  const iat = Math.floor(now / 1000); // valid for 15 minutes at most, and for one checkout
  const nonce = randomBytes(16).toString('base64url');
  return signCart(secret, { v: 1, items, currency, iat, exp: iat + 15 * 60, nonce, ...(ref === undefined ? {} : { ref }) });
}
