// What the end-to-end tests do on the demo shop as a shopper: fill the cart and the form, and see paid.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** The demo catalog's method that each provider carries (demo/catalog.json lists methods, not providers). */
export const METHOD_OF: Record<string, RegExp> = { Winpay: /^Mandiri/i, UAPAY: /^Card/i, Faspay: /^Alfamart/i, AMDigipay: /^BCA/i };

export async function fillAndPay(page: Page, shopUrl: string, provider: string): Promise<{ id: string }> {
  // The widget's kasir-created event tells the page (and so the test) which order it made.
  const created = new Promise<{ id: string }>((resolve) => void page.exposeFunction('reportCreated', resolve));
  await page.addInitScript(() =>
    document.addEventListener('kasir-created', (e) => (window as unknown as { reportCreated: (d: unknown) => void }).reportCreated((e as CustomEvent).detail)),
  );
  await page.goto(`${shopUrl}/`);
  await page.getByRole('button', { name: 'Add Batik T-shirt, M to cart' }).click();
  await page.getByRole('button', { name: 'Add Enamel mug to cart' }).click();
  await page.getByRole('radio', { name: METHOD_OF[provider] ?? new RegExp(provider, 'i') }).check();
  const widget = page.locator('kasir-checkout');
  await widget.locator('input[name=name]').fill('Siti Rahma');
  await widget.locator('input[name=email]').fill('siti@example.com');
  await widget.locator('input[name=phone]').fill('081234567890');
  await widget.locator('button[part=button]').click();
  return created;
}

export async function expectPaid(page: Page) {
  const status = page.locator('kasir-checkout [part=status]');
  await status.and(page.locator('[data-status=paid]')).waitFor({ timeout: 10_000 });
  assert.match(await status.innerText(), /Payment received/i);
}
