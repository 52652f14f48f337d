// Loaded on demand, in its own chunk (see widget/chunks.ts).
import type { Messages } from './en.js';

export const uk: Messages = {
  name: 'Ім’я',
  email: 'Електронна пошта',
  phone: 'Телефон',
  methodsLoading: 'Завантажуємо способи оплати…',
  pay: 'Сплатити',
  paying: 'Обробляємо…',
  redirecting: 'Переходимо до оплати…',
  checking: 'Перевіряємо оплату…',
  checkAgain: 'Перевірити ще раз',

  name_required: 'Вкажіть ваше ім’я.',
  name_too_long: 'Ім’я задовге.',
  email_required: 'Вкажіть електронну пошту.',
  email_invalid: 'Введіть дійсну адресу пошти.',
  phone_required: 'Вкажіть номер телефону.',
  phone_invalid: 'Введіть дійсний номер телефону.',

  network_error: 'Платіжний сервіс недосяжний. Перевірте з’єднання та спробуйте ще раз.',
  server_error: 'Платіжний сервіс недоступний. Спробуйте ще раз.',
  request_failed: 'Не вдалося розпочати оплату.',
  unknown_sku: 'Товару з кошика немає в наявності.',
  items_or_cart: 'Ваш кошик порожній.',
  price_unavailable: 'Товар із кошика не можна оплатити цим способом.',
  order_not_found: 'Замовлення не знайдено.',
  idempotency_in_progress: 'Оплата ще готується. Спробуйте ще раз за мить.',
  rate_limited: 'Забагато спроб. Зачекайте хвилинку.',
  no_providers: 'Немає доступних способів оплати.',
  chunk_unavailable: 'Частина сторінки оплати не завантажилась. Оновіть сторінку.',
};
