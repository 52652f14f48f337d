// End to end, redirect mode without a return URL (Faspay, AMDigipay): the shopper pays on the
// provider's page and comes back to the shop by typing its address. The widget remembered the order
// for the tab and shows its outcome instead of an empty form (issue 11 §2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDemo } from './demo';
import { expectPaid, fillAndPay } from './shop';

const e2e = useDemo();

// Faspay's billing and AMDigipay's transaction take no return URL: after paying, the shopper
// comes back to the shop on their own — typing its address, no `kasir_order` — and the widget,
// which remembered the order for this tab, asks the proxy about it: paid, and kasir-paid fires.
for (const provider of ['Faspay', 'AMDigipay']) {
  test(`${provider}: paid in redirect mode, then the shop's URL opened again shows paid and fires kasir-paid`, async () => {
    const page = await e2e.browser.newPage();
    const paid: string[] = [];
    await page.exposeFunction('reportPaid', (id: string) => paid.push(id));
    await page.addInitScript(() =>
      document.addEventListener('kasir-paid', (e) => (window as unknown as { reportPaid: (id: string) => void }).reportPaid((e as CustomEvent<{ id: string }>).detail.id)),
    );
    const { id } = await fillAndPay(page, e2e.demo.shopUrl, provider);
    if (provider === 'AMDigipay') {
      // Its QRIS string or VA number is shown in place; the provider's page is one click away.
      await page.locator('kasir-checkout [part=qr]').waitFor();
      await page.locator('kasir-checkout').getByRole('button', { name: 'Open the payment page' }).click();
    }
    await page.waitForURL(new RegExp(`/sandbox/${provider.toLowerCase()}/`));
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.getByText(/paid/i).first().waitFor();
    await page.goto(`${e2e.demo.shopUrl}/`);
    await expectPaid(page);
    assert.deepEqual(paid, [id]);
    assert.equal(await page.locator('kasir-checkout form').count(), 0, 'no empty form inviting a second payment');
    // The outcome is in view and has the focus.
    assert.equal(await page.locator('kasir-checkout [part=status]').evaluate((el) => el.matches(':focus')), true);
    await page.close();
  });
}
