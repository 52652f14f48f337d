// `npm run screenshots`: the demo shop and the widget in every state a shopper meets (form, picker,
// QR, pay code, waiting, paid, failed, cancelled, expired) and the simulators' pay pages, in
// en / id / uk, on a phone (390×844) and a desktop (1280×800), into docs/screenshots/ with stable
// names: `<state>-<lang>-<phone|desktop>.png`. It starts the demo on free ports and stops it.
//
// It drives the widget only through what a merchant or a shopper can rely on (the `customer`
// property, roles and accessible names, `part` names, `data-status`, the kasir-created event), so
// it keeps working when the widget's insides change. A state the widget cannot reach (say, no
// method matches "BCA") is reported and skipped; the run then exits with status 1.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startDemo } from '../demo/start';
import { launchChromium } from '../test/e2e/chromium';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const ALL_LANGS = ['en', 'id', 'uk'] as const;
type Lang = (typeof ALL_LANGS)[number];
// `npm run screenshots -- paid qr --lang=id --viewport=phone` retakes some of them.
const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',');
const ONLY = args.filter((a) => !a.startsWith('--'));
const LANGS = ALL_LANGS.filter((l) => option('lang')?.includes(l) ?? true);
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
} as const;
type Viewport = keyof typeof VIEWPORTS;
const STEP_MS = 15_000;
const CUSTOMER = { name: 'Siti Rahma', email: 'siti@example.com', phone: '081234567890' };
const CART = [['tee-m', 2], ['mug', 1]];

/**
 * The methods to pick, best match first: a method list (the catalog's names) or, with a widget
 * that lists providers, the provider. Matched against the accessible names of the picker's choices.
 */
const CHOICES = {
  winpay: [/Mandiri/i, /Winpay/i],
  qris: [/QRIS/i, /AMDigipay/i],
  va: [/BCA/i],
  card: [/Card|Kartu|Картка/i, /UAPAY/i],
  retail: [/Alfamart/i, /Faspay/i],
} as const;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const missing: string[] = [];
const written: string[] = [];

async function main() {
  if (!existsSync(fileURLToPath(new URL('../dist/kasir.iife.js', import.meta.url)))) {
    throw new Error('dist/kasir.iife.js is missing: run `npm run build` first (`npm run screenshots` does)');
  }
  mkdirSync(OUT, { recursive: true });
  const demo = startDemo({ proxyPort: await freePort(), shopPort: await freePort(), quiet: true });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    for (const lang of LANGS) {
      for (const vp of (Object.keys(VIEWPORTS) as Viewport[]).filter((v) => option('viewport')?.includes(v) ?? true)) {
        // Deadlines read in the shopper's own zone: Jakarta for the Indonesian shop, Kyiv in Ukrainian.
        const context = await browser.newContext({ ...VIEWPORTS[vp], locale: lang, timezoneId: lang === 'uk' ? 'Europe/Kyiv' : 'Asia/Jakarta' });
        context.setDefaultTimeout(STEP_MS);
        try {
          await captureAll(context, demo.shopUrl, lang, vp);
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser?.close();
    await demo.close();
  }
  console.log(`${written.length} screenshots in docs/screenshots/`);
  if (missing.length) {
    console.error(`not captured (${missing.length}):\n  ${missing.join('\n  ')}`);
    process.exitCode = 1;
  }
}

async function captureAll(context: BrowserContext, shopUrl: string, lang: Lang, vp: Viewport) {
  const shot = async (name: string, target: Page | Locator) => {
    const file = `${name}-${lang}-${vp}.png`;
    await target.screenshot({ path: `${OUT}${file}`, animations: 'disabled', caret: 'hide' });
    written.push(file);
  };
  /** One state on a fresh page (its own tab session, so no order is remembered from another). */
  const state = async (name: string, run: (page: Page, created: Promise<{ id: string; paymentUrl: string }>) => Promise<void>) => {
    if (ONLY.length && !ONLY.includes(name)) return;
    const page = await context.newPage();
    try {
      const created = new Promise<{ id: string; paymentUrl: string }>((resolve) => void page.exposeFunction('kasirCreated', resolve));
      await page.addInitScript(
        ({ lang, cart }) => {
          localStorage.setItem('toko-lang', lang);
          localStorage.setItem('toko-cart', JSON.stringify(cart));
          localStorage.setItem('toko-provider', '');
          localStorage.setItem('toko-mode', 'redirect');
          document.addEventListener('kasir-created', (e) => (window as unknown as { kasirCreated: (d: unknown) => void }).kasirCreated((e as CustomEvent).detail));
        },
        { lang, cart: CART },
      );
      await run(page, created);
    } catch (err) {
      missing.push(`${name}-${lang}-${vp}: ${String(err instanceof Error ? err.message.split('\n')[0] : err)}`);
    } finally {
      await page.close();
    }
  };

  const widgetOf = (page: Page) => page.locator('kasir-checkout');
  /** The widget in its page, as the shopper sees it: the viewport, with `focus` brought into view. */
  const shotWidget = async (name: string, page: Page, focus?: Locator) => {
    await (focus ?? widgetOf(page)).evaluate((el, block: ScrollLogicalPosition) => {
      el.scrollIntoView({ block });
      // Clear of the shop's sticky header.
      if (block === 'start') window.scrollBy(0, -72);
    }, focus ? 'center' : 'start');
    await page.waitForTimeout(200);
    await shot(name, page);
  };

  async function openShop(page: Page, mode: 'redirect' | 'popup' = 'redirect') {
    await page.goto(`${shopUrl}/`);
    if (mode !== 'redirect') {
      await page.getByLabel('Pay in').selectOption(mode);
    }
    await page.locator('.products li').first().waitFor({ timeout: STEP_MS });
    await page.evaluate((customer) => Object.assign(document.querySelector('kasir-checkout')!, { customer }), CUSTOMER);
  }

  async function choose(page: Page, choice: keyof typeof CHOICES) {
    const widget = widgetOf(page);
    await widget.getByRole('radio').first().waitFor({ timeout: STEP_MS });
    for (const name of CHOICES[choice]) {
      const radio = widget.getByRole('radio', { name });
      if ((await radio.count()) > 0) {
        await radio.first().check();
        return;
      }
    }
    throw new Error(`no method in the picker matches ${CHOICES[choice].join(' or ')}`);
  }

  const submit = (page: Page) => widgetOf(page).locator('[part~="button"]').click();
  const status = (page: Page, value: string) => widgetOf(page).locator(`[part~="status"][data-status="${value}"]`).waitFor({ timeout: STEP_MS });

  /** Pays (or not) on a simulator's page reached by redirect, and comes back to the shop. */
  async function onPayPage(page: Page, provider: string, action: string, created: Promise<{ id: string }>, pageShot?: string) {
    await page.waitForURL(new RegExp(`/sandbox/${provider}/`), { timeout: STEP_MS });
    if (pageShot) await shot(pageShot, page);
    await page.locator(`button[name="${action}"]`).click();
    const { id } = await created;
    // Winpay and UAPAY send the shopper back; Faspay and AMDigipay have no return URL, so the
    // shopper comes back by opening the shop again, as after typing its address.
    await page.waitForURL(new RegExp(`kasir_order=${id}`), { timeout: 3_000 }).catch(() => page.goto(`${shopUrl}/?kasir_order=${id}`));
  }

  await state('shop', async (page) => {
    await openShop(page);
    // The feedback of "Add to cart": the button says so and the cart count in the header bumps.
    await page.locator('.products .add').first().click();
    await shot('shop', page);
    if (vp === 'phone') {
      await page.locator('#cart-bar').click();
      await page.waitForTimeout(300);
      await shot('cart', page);
    }
  });

  await state('form', async (page) => {
    await openShop(page);
    await choose(page, 'winpay');
    await shotWidget('form', page);
    await shot('picker', widgetOf(page).locator('[part~="picker"]'));
  });

  await state('waiting', async (page) => {
    await openShop(page, 'popup');
    await choose(page, 'winpay');
    const popup = page.context().waitForEvent('page', { timeout: STEP_MS });
    await submit(page);
    const win = await popup;
    await status(page, 'pending');
    // A person takes a few seconds on the provider's page; the widget must still be waiting then.
    await page.waitForTimeout(2_000);
    await status(page, 'pending');
    await shotWidget('waiting', page, widgetOf(page).locator('[part~="status"]'));
    await win.close();
  });

  await state('paid', async (page, created) => {
    await openShop(page);
    await choose(page, 'winpay');
    await submit(page);
    await onPayPage(page, 'winpay', 'pay', created, 'page-winpay');
    await status(page, 'paid');
    await shotWidget('paid', page, widgetOf(page).locator('[part~="status"]'));
  });

  await state('qr', async (page, created) => {
    await openShop(page);
    await choose(page, 'qris');
    await submit(page);
    await widgetOf(page).locator('[part~="qr-image"]').waitFor({ timeout: STEP_MS });
    await shotWidget('qr', page, widgetOf(page).locator('[part~="qr"]'));
    await page.goto((await created).paymentUrl);
    await shot('page-amdigipay-qris', page);
  });

  await state('paycode', async (page, created) => {
    await openShop(page);
    await choose(page, 'va');
    await submit(page);
    await widgetOf(page).locator('[part~="pay-code"]').waitFor({ timeout: STEP_MS });
    await shotWidget('paycode', page, widgetOf(page).locator('[part~="qr"]'));
    await page.goto((await created).paymentUrl);
    await shot('page-amdigipay-va', page);
  });

  await state('failed', async (page, created) => {
    await openShop(page);
    await choose(page, 'card');
    await submit(page);
    await onPayPage(page, 'uapay', 'fail', created, 'page-uapay');
    await status(page, 'failed');
    await shotWidget('failed', page, widgetOf(page).locator('[part~="status"]'));
  });

  await state('cancelled', async (page, created) => {
    await openShop(page);
    await choose(page, 'card');
    await submit(page);
    await onPayPage(page, 'uapay', 'cancel', created);
    await status(page, 'cancelled');
    await shotWidget('cancelled', page, widgetOf(page).locator('[part~="status"]'));
  });

  await state('expired', async (page, created) => {
    await openShop(page);
    await choose(page, 'retail');
    await submit(page);
    await page.waitForURL(/\/sandbox\/faspay\//, { timeout: STEP_MS });
    await shot('page-faspay', page);
    await page.locator('button[name="expire"]').click();
    await page.locator('[role="status"]').waitFor({ timeout: STEP_MS });
    await shot('page-expired', page);
    await page.goto(`${shopUrl}/?kasir_order=${(await created).id}`);
    await status(page, 'expired');
    await shotWidget('expired', page, widgetOf(page).locator('[part~="status"]'));
  });
}

await main();
