// English: the reference table. Keys are UI strings, then stable codes (validation codes from
// CustomerSchema, `error.code`s from the proxy, widget codes) so a code can be looked up directly.
export const en = {
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  method: 'Payment method',
  methodsLoading: 'Loading payment methods…',
  pay: 'Pay',
  paying: 'Processing…',
  redirecting: 'Redirecting to payment…',
  amount: 'Amount',
  checking: 'Checking your payment…',
  checkAgain: 'Check again',
  tryAgain: 'Try again',

  paid: 'Payment received',
  pending: 'Waiting for your payment',
  failed: 'Payment failed',
  cancelled: 'Payment failed',
  expired: 'Payment expired',
  refunded: 'Payment refunded',

  name_required: 'Please enter your name.',
  name_too_long: 'This name is too long.',
  name_invalid: 'Please enter your name.',
  email_required: 'Please enter your email.',
  email_invalid: 'Please enter a valid email address.',
  phone_required: 'Please enter your phone number.',
  phone_invalid: 'Please enter a valid phone number.',

  network_error: 'We could not reach the payment service. Check your connection and try again.',
  server_error: 'The payment service is unavailable right now. Please try again.',
  request_failed: 'We could not start the payment. Please check your details and try again.',
  unknown_sku: 'An item in your cart is no longer available.',
  items_empty: 'Your cart is empty.',
  items_or_cart: 'Your cart is empty.',
  not_found: 'We could not find this order.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  no_providers: 'No payment method is available.',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
