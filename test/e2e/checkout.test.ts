// End to end, as a shopper: the demo storefront in real Chromium, the widget from the proxy's
// origin, the sandbox's hosted pay page, back to the shop, and the order shown paid.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../demo/start';
import { launchChromium } from './chromium';

let demo: ReturnType<typeof startDemo>;
let browser: Browser;

before(async () => {
  assert.ok(existsSync('dist/kasir.iife.js'), 'run `npm run build` first (npm test does)');
  demo = startDemo({ proxyPort: 18787, shopPort: 15173, quiet: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

async function fillAndPay(page: Page, provider: string): Promise<{ id: string }> {
  // The widget's kasir-created event tells the page (and so the test) which order it made.
  const created = new Promise<{ id: string }>((resolve) => void page.exposeFunction('reportCreated', resolve));
  await page.addInitScript(() =>
    document.addEventListener('kasir-created', (e) => (window as unknown as { reportCreated: (d: unknown) => void }).reportCreated((e as CustomEvent).detail)),
  );
  await page.goto(`${demo.shopUrl}/`);
  await page.getByRole('button', { name: 'Add Batik T-shirt, M to cart' }).click();
  await page.getByRole('button', { name: 'Add Enamel mug to cart' }).click();
  await page.getByRole('radio', { name: new RegExp(provider, 'i') }).check();
  const widget = page.locator('kasir-checkout');
  await widget.locator('input[name=name]').fill('Siti Rahma');
  await widget.locator('input[name=email]').fill('siti@example.com');
  await widget.locator('input[name=phone]').fill('081234567890');
  await widget.locator('button[part=button]').click();
  return created;
}

async function expectPaid(page: Page) {
  const status = page.locator('kasir-checkout [part=status]');
  await status.and(page.locator('[data-status=paid]')).waitFor({ timeout: 10_000 });
  assert.match(await status.innerText(), /Payment received/i);
}

test('redirect mode: buy on the demo shop with Winpay, pay on the simulator, come back paid', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await fillAndPay(page, 'Winpay');

  await page.waitForURL(/\/sandbox\/winpay\/pay\//);
  assert.match(await page.locator('.total').innerText(), /195,000/);
  await page.getByRole('button', { name: 'Pay' }).click();

  await page.waitForURL(new RegExp(`^${demo.shopUrl}/\\?kasir_order=ord_`));
  await expectPaid(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('redirect mode with UAPAY: the amount is in hryvnias, paid on the simulator, back to the shop', async () => {
  const page = await browser.newPage();
  await fillAndPay(page, 'UAPAY');
  await page.waitForURL(/\/sandbox\/uapay\//);
  assert.match(await page.locator('.total').innerText(), /UAH\s?519\.00/);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(new RegExp(`^${demo.shopUrl}/\\?kasir_order=ord_`));
  await expectPaid(page);
  await page.close();
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
    const { id } = await fillAndPay(page, provider);
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
