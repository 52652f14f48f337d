// The storefront's own script: lists products, keeps a cart, and hands the cart to <kasir-checkout>.
// Prices shown here come from the proxy's catalog; the proxy prices the order itself.
const proxy = document.body.dataset.proxy;
const checkout = document.querySelector('kasir-checkout');
const productsEl = document.getElementById('products');
const cartEl = document.getElementById('cart');
const emptyEl = document.getElementById('cart-empty');
const modeEl = document.getElementById('mode');

// How the widget opens the payment page (its `mode`), kept across visits.
modeEl.value = localStorage.getItem('toko-mode') || 'redirect';
checkout.mode = modeEl.value;
modeEl.addEventListener('change', () => {
  checkout.mode = modeEl.value;
  localStorage.setItem('toko-mode', modeEl.value);
});

// Once there is an order (a return page, or one paid in a popup or tab), the widget stays in view
// to show it, even when the cart is emptied.
let hasOrder = new URLSearchParams(location.search).has('kasir_order');
checkout.addEventListener('kasir-created', () => (hasOrder = true));

const cart = new Map(JSON.parse(localStorage.getItem('toko-cart') || '[]'));
let catalog = [];

const idr = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });

function save() {
  localStorage.setItem('toko-cart', JSON.stringify([...cart]));
  render();
}

function render() {
  cartEl.replaceChildren(
    ...[...cart].map(([sku, qty]) => {
      const item = catalog.find((i) => i.sku === sku);
      const li = document.createElement('li');
      li.textContent = `${item ? item.name : sku} × ${qty}`;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${item ? item.name : sku}`);
      remove.addEventListener('click', () => {
        cart.delete(sku);
        save();
      });
      li.append(' ', remove);
      return li;
    }),
  );
  emptyEl.hidden = cart.size > 0;
  checkout.hidden = cart.size === 0 && !hasOrder;
  checkout.items = [...cart].map(([sku, qty]) => ({ sku, qty }));
}

async function start() {
  catalog = (await (await fetch(`${proxy}/v1/config`)).json()).catalog;
  productsEl.replaceChildren(
    ...catalog.map((item) => {
      const li = document.createElement('li');
      const name = document.createElement('h3');
      name.textContent = item.name;
      const price = document.createElement('p');
      price.textContent = item.price.IDR !== undefined ? idr.format(item.price.IDR) : '';
      const add = document.createElement('button');
      add.type = 'button';
      add.textContent = 'Add to cart';
      add.setAttribute('aria-label', `Add ${item.name} to cart`);
      add.addEventListener('click', () => {
        cart.set(item.sku, (cart.get(item.sku) || 0) + 1);
        save();
      });
      li.append(name, price, add);
      return li;
    }),
  );
  render();
}

checkout.addEventListener('kasir-paid', () => {
  hasOrder = true; // an order remembered by the widget (no kasir_order in the URL) stays in view
  cart.clear();
  save();
});

start();
