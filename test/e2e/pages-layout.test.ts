// The simulators' hosted pages and the demo shop in real Chromium: a pay page opened as a popup
// keeps its opener while a person reads it (TOOLCHAIN pitfall 15), pay pages and the shop fit a
// 320 px phone in every language, a pay code never breaks mid-group at 390 px, and the cart stays
// within reach on a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDemo } from './demo';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** A fresh browser context for one test, closed whatever happens. */
async function withContext<T>(options: Parameters<Browser['newContext']>[0], run: (context: BrowserContext) => Promise<T>) {
  const context = await e2e.browser.newContext(options);
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

const e2e = useDemo();

/** A checkout made as the widget would, for the demo catalog's method `method`. */
async function checkout(method: string, locale = 'en') {
  const res = await fetch(`${e2e.demo.proxyUrl}/v1/checkouts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: e2e.demo.shopUrl },
    body: JSON.stringify({
      method,
      items: [{ sku: 'tee-m', qty: 2 }, { sku: 'kopi-250', qty: 1 }],
      customer: { name: 'Siti Rahma', email: 'siti@example.com', phone: '081234567890' },
      returnUrl: `${e2e.demo.shopUrl}/`,
      locale,
    }),
  });
  assert.equal(res.status, 201);
  return (await res.json()) as { id: string; paymentUrl: string; payCode?: string };
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('a pay page opened as a popup from the shop keeps its opener while the shopper reads it', async () => {
  const { paymentUrl } = await checkout('mandiri_va');
  await withContext({}, async (context) => {
    const shop = await context.newPage();
    await shop.goto(`${e2e.demo.shopUrl}/`);
    const opened = context.waitForEvent('page');
    await shop.evaluate((url) => void ((window as unknown as { payWindow: Window | null }).payWindow = window.open(url, 'kasir-pay', 'popup,width=480,height=720')), paymentUrl);
    const popup = await opened;
    await popup.waitForLoadState();
    await popup.locator('button[name="pay"]').waitFor();
    // A person reads the page for a few seconds before doing anything.
    await shop.waitForTimeout(3_000);
    assert.equal(await shop.evaluate(() => (window as unknown as { payWindow: Window }).payWindow.closed), false, 'the opener still sees its window');
    assert.equal(await popup.evaluate(() => window.opener !== null), true, 'the page still has its opener');
  });
});

test('pay pages fit a 320 px phone in en / id / uk, and a pay code stays on one line at 390 px', async () => {
  await withContext({ viewport: { width: 320, height: 640 }, isMobile: true }, async (context) => {
    const page = await context.newPage();
    const orders = await Promise.all(['bca_va', 'qris', 'mandiri_va', 'alfamart', 'card'].map((m) => checkout(m)));
    for (const order of orders) {
      for (const lang of ['en', 'id', 'uk']) {
        await page.goto(`${order.paymentUrl}?lang=${lang}`);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        assert.equal(await overflow(page), 0, `${order.paymentUrl} in ${lang} overflows at 320 px`);
      }
    }
    const va = orders[0]!;
    assert.match(va.payCode ?? '', /^\d{16}$/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(va.paymentUrl);
    const code = page.locator('[data-payment-code]');
    assert.equal(await code.innerText(), va.payCode!.replace(/(\d{4})(?=\d)/g, '$1 '));
    const lines = await code.evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight));
    assert.ok(lines < 1.5, `the pay code takes ${lines.toFixed(1)} lines`);
  });
});

test('the demo shop fits a 320 px phone and keeps the cart one tap away', async () => {
  await withContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true }, async (context) => {
    const page = await context.newPage();
    for (const lang of ['en', 'id', 'uk']) {
      await page.goto(`${e2e.demo.shopUrl}/?lang=${lang}`);
      await page.locator('.products .add').first().waitFor();
      await page.locator('.products .add').nth(1).tap();
      // Visible feedback on the button itself, and the count in the header.
      assert.equal(await page.locator('.products .add').nth(1).getAttribute('class'), 'add done');
      assert.notEqual(await page.locator('#cart-count').innerText(), '0');
      assert.equal(await overflow(page), 0, `the shop in ${lang} overflows at 320 px`);
    }
    const bar = page.locator('#cart-bar');
    assert.ok(await bar.isVisible(), 'the cart bar is on screen');
    await bar.tap();
    await page.waitForFunction(() => document.getElementById('cart-title')!.getBoundingClientRect().top < innerHeight / 2);
    assert.match(await page.locator('#cart-total').innerText(), /Rp/);
  });
});
