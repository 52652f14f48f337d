// English: the reference table, always in the main bundle (the others load on demand). Keys are
// UI strings, then stable codes (an order status, CustomerSchema's validation codes, the proxy's
// `error.code`s, the widget's own codes), so a code is looked up as it comes. A code without an
// entry gets a generic message.
export const en = {
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  methodsLoading: 'Loading payment methods…',
  pay: 'Pay',
  paying: 'Processing…',
  redirecting: 'Redirecting to payment…',
  checking: 'Checking your payment…',
  checkAgain: 'Check again',

  name_required: 'Please enter your name.',
  name_too_long: 'This name is too long.',
  email_required: 'Please enter your email.',
  email_invalid: 'Please enter a valid email address.',
  phone_required: 'Please enter your phone number.',
  phone_invalid: 'Please enter a valid phone number.',

  network_error: 'Cannot reach the payment service. Check your connection and try again.',
  server_error: 'The payment service is unavailable. Please try again.',
  request_failed: 'The payment could not be started.',
  unknown_sku: 'An item in your cart is not available.',
  items_or_cart: 'Your cart is empty.',
  price_unavailable: 'An item in your cart cannot be paid with this method.',
  order_not_found: 'Order not found.',
  idempotency_in_progress: 'Your payment is still being prepared. Please try again in a moment.',
  rate_limited: 'Too many attempts. Please wait a moment.',
  no_providers: 'No payment method is available.',
  chunk_unavailable: 'Part of the checkout did not load. Please reload the page.',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
