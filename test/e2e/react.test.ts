// `kasir/react` in real Chromium, as a React 19 shop uses it: a page built by Vite and rendered in
// the browser, and the same page rendered on the server (react-dom/server) then hydrated. Each one
// fills the form, pays on the Winpay simulator and sees the shop's onKasirPaid handler run.
// The server-rendered case is the one a bare <kasir-checkout items={…}> fails in React 19: the
// element is hydrated without its `items`, and Pay answers `items_or_cart`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { launchChromium } from './chromium';
import { buildShopScripts, shopPage, startShop } from './react-shop';

const SHOP = fileURLToPath(new URL('./react-app/shop.tsx', import.meta.url));

let browser: Browser;
let scripts: Awaited<ReturnType<typeof buildShopScripts>>;

before(async () => {
  assert.ok(existsSync('dist/react.js'), 'run `npm run build` first (npm test does)');
  [scripts, browser] = await Promise.all([buildShopScripts(), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await scripts?.remove();
});

/** Fills the form, pays on the simulator, and waits for the shop's thank-you line (from onKasirPaid). */
async function payAndSeePaid(page: Page, shopUrl: string): Promise<string> {
  const widget = page.locator('kasir-checkout');
  await widget.locator('input[name=name]').fill('Siti Rahma');
  await widget.locator('input[name=email]').fill('siti@example.com');
  await widget.locator('input[name=phone]').fill('081234567890');
  await widget.locator('button[part=button]').click();

  await page.waitForURL(/\/sandbox\/winpay\/pay\//);
  // 2 × Kopi Gayo (95,000) + 1 × Enamel mug (45,000): the items the React props carried.
  assert.match(await page.locator('.total').innerText(), /235,000/);
  await page.getByRole('button', { name: 'Pay' }).click();

  await page.waitForURL(new RegExp(`^${shopUrl}/\\?kasir_order=ord_`));
  const thanks = page.getByTestId('paid');
  await thanks.waitFor({ timeout: 15_000 });
  const created = await page.evaluate(() => sessionStorage.getItem('kasir-created'));
  assert.ok(created, 'onKasirCreated ran with the order id');
  return (await thanks.innerText()).replace(created, '<id>');
}

test('Vite, rendered in the browser: the props reach the element, Pay works, onKasirPaid runs', async () => {
  const shop = await startShop(scripts.dir, (_url, endpoint) => shopPage('client.js', { endpoint }));
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Console errors of the shop's pages (a hydration mismatch is reported there); the simulator's page is not ours.
  page.on('console', (m) => m.type() === 'error' && page.url().startsWith(shop.shopUrl) && problems.push(m.text()));
  try {
    await page.goto(`${shop.shopUrl}/`);
    const widget = page.locator('kasir-checkout');
    await widget.locator('button[part=button]').waitFor();
    assert.deepEqual(
      await widget.evaluate((el: HTMLElementTagNameMap['kasir-checkout']) => [el.endpoint, el.provider, el.items]),
      [shop.proxyUrl, 'winpay', [{ sku: 'kopi-250', qty: 2 }, { sku: 'mug', qty: 1 }]],
    );
    assert.equal(await payAndSeePaid(page, shop.shopUrl), 'Thank you: <id> paid 235000 IDR');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await shop.close();
  }
});

test('server-rendered then hydrated: `items` reaches the element after hydration, and Pay works', async () => {
  const { Shop } = (await import(SHOP)) as typeof import('./react-app/shop');
  const shop = await startShop(scripts.dir, (_url, endpoint) =>
    shopPage('hydrate.js', { endpoint }, renderToString(createElement(Shop, { endpoint }))),
  );
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Console errors of the shop's pages (a hydration mismatch is reported there); the simulator's page is not ours.
  page.on('console', (m) => m.type() === 'error' && page.url().startsWith(shop.shopUrl) && problems.push(m.text()));
  try {
    // The server's HTML holds the element, and nothing of the cart (it is a property, not an attribute).
    const html = await (await fetch(`${shop.shopUrl}/`)).text();
    assert.match(html, /<main><h1>Kopi shop<\/h1><kasir-checkout><\/kasir-checkout><\/main>/);

    await page.goto(`${shop.shopUrl}/`);
    const widget = page.locator('kasir-checkout');
    await widget.locator('button[part=button]').waitFor();
    assert.deepEqual(
      await widget.evaluate((el: HTMLElementTagNameMap['kasir-checkout']) => [el.endpoint, el.provider, el.items]),
      [shop.proxyUrl, 'winpay', [{ sku: 'kopi-250', qty: 2 }, { sku: 'mug', qty: 1 }]],
    );
    assert.equal(await payAndSeePaid(page, shop.shopUrl), 'Thank you: <id> paid 235000 IDR');
    assert.deepEqual(problems, [], 'no hydration mismatch or other error');
  } finally {
    await page.close();
    await shop.close();
  }
});
