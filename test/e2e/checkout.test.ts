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

test('the demo page preloads what the form waits for: the config and the picker chunk are fetched once, by the page', async () => {
  const page = await e2e.browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const initiators: Record<string, string[]> = {};
  cdp.on('Network.requestWillBeSent', (e) => {
    const path = new URL(e.request.url).pathname;
    // Who asked: the page's markup (a preload link), or the script on top of the stack.
    const top = e.initiator.stack?.callFrames[0]?.url;
    const by = e.initiator.type === 'parser' ? 'markup' : top ? new URL(top).pathname : e.initiator.type;
    // The shop's own script reads the config too (for its prices): not the widget's request.
    if (by !== '/shop.js' && (path === '/v1/config' || path === '/widget/kasir-checkout.js')) (initiators[path] ??= []).push(by);
  });
  await page.goto(e2e.demo.shopUrl);
  await page.getByRole('button', { name: 'Add Enamel mug to cart' }).click();
  await page.getByRole('radio').first().waitFor();
  // A preload the widget's own request did not match would show as a second, script-initiated request.
  assert.deepEqual(initiators, { '/v1/config': ['markup'], '/widget/kasir-checkout.js': ['markup'] });
  await page.close();
});
