// `kasir/react` server-rendered with react-dom/server, then hydrated in real Chromium by a script
// Vite built: the props reach the element, Pay works on the Winpay simulator, onKasirPaid runs.
// This is the case a bare <kasir-checkout items={…}> fails in React 19: the element is hydrated
// without its `items`, and Pay answers `items_or_cart`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { type ComponentType, createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { launchChromium } from './chromium';
import { buildShopScript, payAndSeePaid, shopPage, startShop } from './react-shop';

const SHOP = fileURLToPath(new URL('./react-app/shop.tsx', import.meta.url));

let browser: Browser;
let scripts: Awaited<ReturnType<typeof buildShopScript>>;

before(async () => {
  assert.ok(existsSync('dist/react.js'), 'run `npm run build` first (npm test does)');
  [scripts, browser] = await Promise.all([buildShopScript('hydrate'), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await scripts?.remove();
});

test('server-rendered then hydrated: `items` reaches the element after hydration, and Pay works', async () => {
  // Imported by path: the project's type-check runs before the build that kasir/react's types come from.
  const { Shop } = (await import(SHOP)) as { Shop: ComponentType<{ endpoint: string }> };
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
    assert.match(html, /<\/button><kasir-checkout><\/kasir-checkout><\/main>/);

    await page.goto(`${shop.shopUrl}/`);
    const widget = page.locator('kasir-checkout');
    await widget.locator('button[part=button]').waitFor();
    assert.deepEqual(
      await widget.evaluate((el: HTMLElementTagNameMap['kasir-checkout']) => [el.endpoint, el.provider, el.items]),
      [shop.proxyUrl, 'winpay', [{ sku: 'kopi-250', qty: 2 }, { sku: 'mug', qty: 1 }]],
    );
    // A change of the cart after hydration reaches the element too.
    await page.getByRole('button', { name: 'Add a tote bag' }).click();
    assert.deepEqual(await widget.evaluate((el: HTMLElementTagNameMap['kasir-checkout']) => el.items?.map((i) => i.sku)), ['kopi-250', 'mug', 'tote']);
    // 2 × Kopi Gayo (95,000) + 1 × Enamel mug (45,000) + 1 × Canvas tote bag (65,000).
    assert.equal(await payAndSeePaid(page, shop.shopUrl, /300,000/), 'Thank you: <id> paid 300000 IDR');
    assert.deepEqual(problems, [], 'no hydration mismatch or other error');
  } finally {
    await page.close();
    await shop.close();
  }
});
