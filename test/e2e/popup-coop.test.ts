// End to end in popup mode at human speed, with a provider page that severs its opener.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingContext, useDemo } from './demo';

const e2e = useDemo();

// TOOLCHAIN pitfall 15 and 17: a provider page that sends Cross-Origin-Opener-Policy severs the
// popup from its opener (the opener's `win.closed` reads true at once though the window is open).
// Here the simulator's page is made to send it (whatever the proxy sends by default), and the
// shopper spends several seconds on it before paying, as a person does.
test('popup mode at human speed, provider page with COOP same-origin: the shop keeps waiting, then shows paid', async () => {
  const { context, errors } = await recordingContext(e2e.browser, ['open', 'created', 'paid', 'close', 'error']);
  let coopSent = 0;
  await context.route(/\/sandbox\/winpay\/pay\/[^/]+$/, async (route) => {
    const response = await route.fetch();
    coopSent += 1;
    await route.fulfill({ response, headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin' } });
  });
  const page = await context.newPage();
  await page.goto(`${e2e.demo.shopUrl}/`);
  await page.getByRole('button', { name: 'Add Canvas tote bag to cart' }).click();
  await page.getByLabel('Pay in').selectOption('popup');
  await page.getByRole('radio', { name: /^Mandiri/ }).check();
  const widget = page.locator('kasir-checkout');
  await widget.locator('input[name=name]').fill('Siti Rahma');
  await widget.locator('input[name=phone]').fill('081234567890');
  const popupOpened = context.waitForEvent('page');
  await widget.locator('button[part=button]').click();
  const popup = await popupOpened;
  await popup.waitForURL(/\/sandbox\/winpay\/pay\//);
  await popup.getByRole('button', { name: 'Pay' }).waitFor();
  assert.equal(coopSent, 1, 'the pay page went out with COOP same-origin');

  // Reading the pay page, at human speed.
  await popup.waitForTimeout(4000);
  assert.equal(popup.isClosed(), false);
  // The opener can no longer see the window: COOP took effect.
  assert.equal(await widget.evaluate((el) => (el as unknown as { _win?: Window })._win?.closed), true);
  assert.match(await widget.locator('[part=status][data-status=pending]').innerText(), /Complete the payment in the window that opened/);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { kasirEvents: string[] }).kasirEvents), ['kasir-created', 'kasir-open']);

  // The return page in the popup tells the shop, which answers, and the popup closes itself: an
  // event awaited (no deadline on how fast; the runner's own bounds the test).
  const popupClosed = popup.waitForEvent('close', { timeout: 0 });
  await popup.getByRole('button', { name: 'Pay' }).click();
  await popupClosed;
  await widget.locator('[part=status][data-status=paid]').waitFor({ timeout: 15_000 });
  assert.match(await widget.locator('[part=status]').innerText(), /Payment received/);
  assert.equal(context.pages().length, 1);
  const events = await page.evaluate(() => (window as unknown as { kasirEvents: string[] }).kasirEvents);
  assert.deepEqual(events.slice(0, 2), ['kasir-created', 'kasir-open']);
  assert.ok(events.includes('kasir-paid'));
  assert.deepEqual(errors, []);
  await context.close();
});
