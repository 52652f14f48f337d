// End to end, as a shopper: the demo storefront in real Chromium, the widget from the proxy's
// origin, the sandbox's hosted pay page, back to the shop, and the order shown paid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDemo } from './demo';
import { expectPaid, fillAndPay } from './shop';

const e2e = useDemo();

test('redirect mode: buy on the demo shop with Winpay, pay on the simulator, come back paid', async () => {
  const page = await e2e.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await fillAndPay(page, e2e.demo.shopUrl, 'Winpay');

  await page.waitForURL(/\/sandbox\/winpay\/pay\//);
  assert.match(await page.locator('.total').innerText(), /195,000/);
  await page.getByRole('button', { name: 'Pay' }).click();

  await page.waitForURL(new RegExp(`^${e2e.demo.shopUrl}/\\?kasir_order=ord_`));
  await expectPaid(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('redirect mode with UAPAY: the amount is in hryvnias, paid on the simulator, back to the shop', async () => {
  const page = await e2e.browser.newPage();
  await fillAndPay(page, e2e.demo.shopUrl, 'UAPAY');
  await page.waitForURL(/\/sandbox\/uapay\//);
  assert.match(await page.locator('.total').innerText(), /UAH\s?519\.00/);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(new RegExp(`^${e2e.demo.shopUrl}/\\?kasir_order=ord_`));
  await expectPaid(page);
  await page.close();
});
