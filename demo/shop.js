// The storefront's own script: lists products, keeps a cart, and hands the cart to <kasir-checkout>.
// Prices shown here come from the proxy's catalog; the proxy prices the order itself. The "demo
// controls" panel sets the widget's mode, language and provider, as a merchant would in markup.
const proxy = document.body.dataset.proxy;
const checkout = document.querySelector('kasir-checkout');
const $ = (id) => document.getElementById(id);

const IMAGES = { 'kopi-250': '/img/kopi.svg', 'tee-m': '/img/tee.svg', tote: '/img/tote.svg', mug: '/img/mug.svg' };

const TEXT = {
  en: {
    hero: 'Small-batch goods from Aceh to Yogyakarta, shipped across Indonesia and to Ukraine.',
    products: 'Products', cart: 'Cart', yourCart: 'Your cart', empty: 'Your cart is empty.', total: 'Total',
    checkout: 'Checkout', toCheckout: 'Checkout →', add: 'Add to cart', added: 'Added ✓',
    addLabel: (n) => `Add ${n} to cart`, addedNote: (n) => `${n} added to the cart.`,
    remove: 'Remove', removeLabel: (n) => `Remove ${n}`, more: (n) => `One more ${n}`, less: (n) => `One less ${n}`,
    qty: (n) => `Quantity of ${n}`, items: (k) => (k === 1 ? '1 item' : `${k} items`), cartLink: (k) => `Cart, ${k === 1 ? '1 item' : `${k} items`}`,
  },
  id: {
    hero: 'Barang pilihan dari Aceh sampai Yogyakarta, dikirim ke seluruh Indonesia dan Ukraina.',
    products: 'Produk', cart: 'Keranjang', yourCart: 'Keranjang Anda', empty: 'Keranjang Anda kosong.', total: 'Total',
    checkout: 'Pembayaran', toCheckout: 'Bayar →', add: '+ Keranjang', added: 'Masuk keranjang ✓',
    addLabel: (n) => `Tambah ${n} ke keranjang`, addedNote: (n) => `${n} ditambahkan ke keranjang.`,
    remove: 'Hapus', removeLabel: (n) => `Hapus ${n}`, more: (n) => `Tambah satu ${n}`, less: (n) => `Kurangi satu ${n}`,
    qty: (n) => `Jumlah ${n}`, items: (k) => `${k} barang`, cartLink: (k) => `Keranjang, ${k} barang`,
  },
  uk: {
    hero: 'Крафтові товари від Ачеху до Джок’якарти, з доставкою по Індонезії та в Україну.',
    products: 'Товари', cart: 'Кошик', yourCart: 'Ваш кошик', empty: 'Ваш кошик порожній.', total: 'Разом',
    checkout: 'Оформлення', toCheckout: 'До оплати →', add: 'До кошика', added: 'Додано ✓',
    addLabel: (n) => `Додати «${n}» до кошика`, addedNote: (n) => `«${n}» додано до кошика.`,
    remove: 'Видалити', removeLabel: (n) => `Видалити «${n}»`, more: (n) => `Ще одна одиниця «${n}»`, less: (n) => `На одну менше «${n}»`,
    qty: (n) => `Кількість «${n}»`, items: (k) => `${k} шт.`, cartLink: (k) => `Кошик, ${k} шт.`,
  },
};
const NUMBER_LOCALE = { en: 'en-GB', id: 'id-ID', uk: 'uk-UA' };
const DIGITS = { IDR: 0, UAH: 2 };

// Demo controls, kept across visits.
const settings = {
  mode: localStorage.getItem('toko-mode') || 'redirect',
  lang: new URLSearchParams(location.search).get('lang') || localStorage.getItem('toko-lang') || 'en',
  provider: localStorage.getItem('toko-provider') || '',
};
if (!TEXT[settings.lang]) settings.lang = 'en';
const t = () => TEXT[settings.lang];
// The widget charges in its provider's currency: hryvnia for UAPAY, rupiah for the others.
const currency = () => (settings.provider === 'uapay' ? 'UAH' : 'IDR');
const money = (minor) =>
  new Intl.NumberFormat(NUMBER_LOCALE[settings.lang], { style: 'currency', currency: currency(), currencyDisplay: 'narrowSymbol', maximumFractionDigits: DIGITS[currency()], minimumFractionDigits: DIGITS[currency()] })
    .format(minor / 10 ** DIGITS[currency()]);

function applySettings() {
  checkout.mode = settings.mode;
  checkout.locale = settings.lang;
  if (settings.provider) checkout.provider = settings.provider;
  else checkout.removeAttribute('provider'), (checkout.provider = undefined);
  document.documentElement.lang = settings.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t()[el.dataset.i18n];
}

for (const [key, select] of [['mode', $('mode')], ['lang', $('lang')], ['provider', $('provider')]]) {
  select.value = settings[key];
  select.addEventListener('change', () => {
    settings[key] = select.value;
    localStorage.setItem(`toko-${key}`, select.value);
    applySettings();
    renderProducts();
    render();
  });
}

// Once there is an order (a return page, or one paid in a popup or tab), the widget stays in view
// to show it, even when the cart is emptied.
let hasOrder = new URLSearchParams(location.search).has('kasir_order');
checkout.addEventListener('kasir-created', () => (hasOrder = true));
// The widget may also show an order it remembers (a reload, the back button) with no kasir_order
// in the URL: keep it in view then too.
for (const type of ['kasir-pending', 'kasir-paid', 'kasir-failed', 'kasir-expired']) {
  checkout.addEventListener(type, () => {
    if (hasOrder) return;
    hasOrder = true;
    render();
  });
}

const cart = new Map(JSON.parse(localStorage.getItem('toko-cart') || '[]'));
let catalog = [];
const itemOf = (sku) => catalog.find((i) => i.sku === sku);
const priceOf = (item) => item?.price[currency()];

function save() {
  localStorage.setItem('toko-cart', JSON.stringify([...cart]));
  render();
}

function button(text, label, onClick, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (label) b.setAttribute('aria-label', label);
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

function render() {
  const lines = [...cart].filter(([sku]) => itemOf(sku));
  $('cart').replaceChildren(
    ...lines.map(([sku, qty]) => {
      const item = itemOf(sku);
      const li = document.createElement('li');
      const img = Object.assign(document.createElement('img'), { src: IMAGES[sku] ?? '', alt: '', width: 56, height: 42 });
      const name = Object.assign(document.createElement('span'), { className: 'name', textContent: item.name });
      const stepper = document.createElement('span');
      stepper.className = 'stepper';
      const count = Object.assign(document.createElement('output'), { textContent: String(qty) });
      count.setAttribute('aria-label', t().qty(item.name));
      const change = (delta) => () => {
        const next = qty + delta;
        if (next <= 0) cart.delete(sku);
        else cart.set(sku, Math.min(next, 99));
        save();
      };
      stepper.append(button('−', t().less(item.name), change(-1)), count, button('+', t().more(item.name), change(+1)));
      const price = Object.assign(document.createElement('span'), { className: 'price', textContent: money(priceOf(item) * qty) });
      const remove = button('×', t().removeLabel(item.name), () => {
        cart.delete(sku);
        save();
      }, 'remove');
      remove.title = t().remove;
      li.append(img, name, stepper, price, remove);
      return li;
    }),
  );
  const units = lines.reduce((n, [, qty]) => n + qty, 0);
  const total = lines.reduce((sum, [sku, qty]) => sum + priceOf(itemOf(sku)) * qty, 0);
  $('cart-empty').hidden = lines.length > 0;
  $('cart-total').hidden = lines.length === 0;
  $('total-amount').textContent = money(total);
  $('cart-count').textContent = String(units);
  document.querySelector('.cart-link').setAttribute('aria-label', t().cartLink(units));
  $('cart-bar').hidden = lines.length === 0;
  $('cart-bar-count').textContent = t().items(units);
  $('cart-bar-total').textContent = money(total);
  $('checkout-title').hidden = checkout.hidden = lines.length === 0 && !hasOrder;
  checkout.items = lines.map(([sku, qty]) => ({ sku, qty }));
}

function renderProducts() {
  $('products').replaceChildren(
    ...catalog.map((item) => {
      const li = document.createElement('li');
      const img = Object.assign(document.createElement('img'), { src: IMAGES[item.sku] ?? '', alt: '', width: 240, height: 180 });
      const name = Object.assign(document.createElement('h2'), { textContent: item.name });
      const price = Object.assign(document.createElement('p'), { className: 'price', textContent: priceOf(item) === undefined ? '' : money(priceOf(item)) });
      const add = button(t().add, t().addLabel(item.name), () => {
        cart.set(item.sku, Math.min((cart.get(item.sku) || 0) + 1, 99));
        save();
        // Visible and announced feedback; the cart count in the header bumps too.
        add.textContent = t().added;
        add.classList.add('done');
        $('announce').textContent = t().addedNote(item.name);
        document.querySelector('.cart-link').classList.remove('bump');
        void document.querySelector('.cart-link').offsetWidth;
        document.querySelector('.cart-link').classList.add('bump');
        clearTimeout(add.timer);
        add.timer = setTimeout(() => {
          add.textContent = t().add;
          add.classList.remove('done');
        }, 1500);
      }, 'add');
      li.append(img, name, price, add);
      return li;
    }),
  );
}

async function start() {
  applySettings();
  catalog = (await (await fetch(`${proxy}/v1/config`)).json()).catalog;
  renderProducts();
  render();
}

// The bottom cart bar leads to the cart; once the checkout is on screen it steps aside, so it never
// covers the widget's buttons.
new IntersectionObserver(([entry]) => $('cart-bar').classList.toggle('away', entry.isIntersecting)).observe(checkout);

checkout.addEventListener('kasir-paid', () => {
  hasOrder = true; // an order remembered by the widget (no kasir_order in the URL) stays in view
  cart.clear();
  save();
});

start();
