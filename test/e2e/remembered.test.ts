// End to end, redirect mode without a return URL (Faspay, AMDigipay): the shopper pays on the
// provider's page and comes back to the shop by typing its address. The widget remembered the order
// for the tab and shows its outcome instead of an empty form (issue 11 §2).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startDemo } from '../../demo/start';
import { launchChromium } from './chromium';
import { expectPaid, fillAndPay } from './shop';

let demo: ReturnType<typeof startDemo>;
let browser: Browser;

before(async () => {
  assert.ok(existsSync('dist/kasir.iife.js'), 'run `npm run build` first (npm test does)');
  demo = startDemo({ proxyPort: 18792, shopPort: 15177, quiet: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

// Faspay's billing and AMDigipay's transaction take no return URL: after paying, the shopper
// comes back to the shop on their own — typing its address, no `kasir_order` — and the widget,
// which remembered the order for this tab, asks the proxy about it: paid, and kasir-paid fires.
for (const provider of ['Faspay', 'AMDigipay']) {
  test(`${provider}: paid in redirect mode, then the shop's URL opened again shows paid and fires kasir-paid`, async () => {
    const page = await browser.newPage();
    const paid: string[] = [];
    await page.exposeFunction('reportPaid', (id: string) => paid.push(id));
    await page.addInitScript(() =>
      document.addEventListener('kasir-paid', (e) => (window as unknown as { reportPaid: (id: string) => void }).reportPaid((e as CustomEvent<{ id: string }>).detail.id)),
    );
    const { id } = await fillAndPay(page, demo.shopUrl, provider);
    if (provider === 'AMDigipay') {
      // Its QRIS string or VA number is shown in place; the provider's page is one click away.
      await page.locator('kasir-checkout [part=qr]').waitFor();
      await page.locator('kasir-checkout').getByRole('button', { name: 'Open the payment page' }).click();
    }
    await page.waitForURL(new RegExp(`/sandbox/${provider.toLowerCase()}/`));
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.getByText(/paid/i).first().waitFor();
    await page.goto(`${demo.shopUrl}/`);
    await expectPaid(page);
    assert.deepEqual(paid, [id]);
    assert.equal(await page.locator('kasir-checkout form').count(), 0, 'no empty form inviting a second payment');
    // The outcome is in view and has the focus.
    assert.equal(await page.locator('kasir-checkout [part=status]').evaluate((el) => el.matches(':focus')), true);
    await page.close();
  });
}
