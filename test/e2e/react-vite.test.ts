// `kasir/react` in real Chromium, as a React 19 shop built by Vite and rendered in the browser
// uses it: the form filled, paid on the Winpay simulator, and the shop's onKasirPaid handler run.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { buildShopScript, payAndSeePaid, shopPage, startShop } from './react-shop';

let browser: Browser;
let scripts: Awaited<ReturnType<typeof buildShopScript>>;

before(async () => {
  assert.ok(existsSync('dist/react.js'), 'run `npm run build` first (npm test does)');
  [scripts, browser] = await Promise.all([buildShopScript('client'), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await scripts?.remove();
});

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
    // 2 × Kopi Gayo (95,000) + 1 × Enamel mug (45,000).
    assert.equal(await payAndSeePaid(page, shop.shopUrl, /235,000/), 'Thank you: <id> paid 235000 IDR');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await shop.close();
  }
});
