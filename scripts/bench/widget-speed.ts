// 2. Widget speed in headless Chromium, proxy and simulators local (the demo's startDemo):
//   (a) from the start of the script's fetch to the element's first render on screen, on a page of our own;
//   (b) from the click on Pay to the navigation request for the simulator's pay page, on the demo shop.
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { startDemo } from '../../demo/start';
import { launchChromium } from '../../test/e2e/chromium';
import { type BenchSection, median, ms, table, within } from './report';

const PROXY_PORT = 18700;
const SHOP_PORT = 18701;
const PAGE_PORT = 18702;
const STEP_TIMEOUT_MS = 15_000;
const PAY_PAGE = /\/sandbox\/winpay\/pay\//;

interface RenderTiming {
  fetchStart: number;
  responseEnd: number;
  renderedAt: number;
}
interface PayTiming {
  clickToNavigation: number;
  checkoutRoundTrip: number;
}

/**
 * A bare merchant page: the README's embed snippet, and a probe that notes the moment the element's
 * view is first on screen — drawn and not hidden (the form waits up to 500 ms for its config) — by a
 * MutationObserver on every shadow root kasir-checkout attaches.
 */
function renderPage(scriptUrl: string, proxyUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>kasir bench</title>
<script>
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    if (this.localName === 'kasir-checkout') {
      new MutationObserver((_records, observer) => {
        if (!root.querySelector('.view:not([hidden])')) return;
        const renderedAt = performance.now();
        observer.disconnect();
        const [script] = performance.getEntriesByName(${JSON.stringify(scriptUrl)});
        window.kasirBench = { fetchStart: script.startTime, responseEnd: script.responseEnd, renderedAt };
      }).observe(root, { childList: true, subtree: true, attributes: true });
    }
    return root;
  };
</script>
<script src="${scriptUrl}" defer></script>
</head><body>
<kasir-checkout endpoint="${proxyUrl}" provider="winpay" items='[{"sku":"tee-m","qty":1}]'></kasir-checkout>
</body></html>`;
}

function servePage(html: string): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
  return new Promise((resolve, reject) => server.once('error', reject).listen(PAGE_PORT, '127.0.0.1', () => resolve(server)));
}

async function timeFirstRender(browser: Browser, pageUrl: string): Promise<RenderTiming> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(pageUrl, { timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(() => 'kasirBench' in window, null, { timeout: STEP_TIMEOUT_MS });
    return await page.evaluate(() => (window as unknown as { kasirBench: RenderTiming }).kasirBench);
  } finally {
    await context.close();
  }
}

async function timePay(browser: Browser, shopUrl: string): Promise<PayTiming> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let clickedAt = Number.NaN;
    await page.exposeFunction('kasirBenchClick', (at: number) => (clickedAt = at));
    // When the navigation request was sent, by the browser's own record (known once it has finished).
    const navigation = new Promise<number>((resolve) =>
      page.on('requestfinished', (request) => {
        if (request.isNavigationRequest() && PAY_PAGE.test(request.url())) resolve(request.timing().startTime);
      }),
    );
    const checkout = new Promise<number>((resolve) =>
      page.on('requestfinished', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/v1/checkouts')) resolve(request.timing().responseEnd);
      }),
    );

    await page.goto(`${shopUrl}/`, { timeout: STEP_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Add Batik T-shirt, M to cart' }).click({ timeout: STEP_TIMEOUT_MS });
    await page.getByRole('radio', { name: /^Mandiri/i }).check({ timeout: STEP_TIMEOUT_MS });
    const widget = page.locator('kasir-checkout');
    await widget.locator('input[name=name]').fill('Siti Rahma');
    await widget.locator('input[name=email]').fill('siti@example.com');
    await widget.locator('input[name=phone]').fill('081234567890');
    const button = widget.locator('button[part=button]');
    // The page's own clock at the click (capture phase: before the widget's handlers run).
    await button.evaluate((b) =>
      b.addEventListener('click', () => (window as unknown as { kasirBenchClick: (at: number) => void }).kasirBenchClick(performance.timeOrigin + performance.now()), { capture: true }),
    );
    await button.click({ timeout: STEP_TIMEOUT_MS });
    const navigatedAt = await within(navigation, STEP_TIMEOUT_MS, 'navigation to the pay page');
    const checkoutRoundTrip = await within(checkout, STEP_TIMEOUT_MS, 'POST /v1/checkouts');
    return { clickToNavigation: navigatedAt - clickedAt, checkoutRoundTrip };
  } finally {
    await context.close();
  }
}

async function repeat<T>(runs: number, once: () => Promise<T>): Promise<T[]> {
  await once(); // warm-up: the proxy's and the browser's first run compiles what later runs reuse
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return results;
}

const stats = (values: number[]) => [ms(median(values)), ms(Math.min(...values)), ms(Math.max(...values))];

export async function measureWidgetSpeed({ runs }: { runs: number }): Promise<BenchSection> {
  const demo = startDemo({ proxyPort: PROXY_PORT, shopPort: SHOP_PORT, quiet: true });
  const scriptUrl = `${demo.proxyUrl}/widget/kasir.iife.js`;
  let page: Server | undefined;
  let browser: Browser | undefined;
  try {
    page = await servePage(renderPage(scriptUrl, demo.proxyUrl));
    browser = await launchChromium();
    const pageUrl = `http://127.0.0.1:${PAGE_PORT}/`;
    const renders = await repeat(runs, () => timeFirstRender(browser!, pageUrl));
    const pays = await repeat(runs, () => timePay(browser!, demo.shopUrl));
    const body = [
      table(
        ['first render on screen (a)', 'median', 'min', 'max'],
        [
          ['script fetch: fetch start → response end', ...stats(renders.map((r) => r.responseEnd - r.fetchStart))],
          ['parse, run, define, render, config: response end → on screen', ...stats(renders.map((r) => r.renderedAt - r.responseEnd))],
          ['**total: fetch start → on screen**', ...stats(renders.map((r) => r.renderedAt - r.fetchStart))],
        ],
      ),
      '',
      table(
        ['pay (b)', 'median', 'min', 'max'],
        [
          ['**click on Pay → navigation request for the pay page**', ...stats(pays.map((p) => p.clickToNavigation))],
          ['of which POST /v1/checkouts (request → response end)', ...stats(pays.map((p) => p.checkoutRoundTrip))],
        ],
      ),
      '',
      `Headless Chromium ${browser.version()} (playwright-core), ${runs} runs after one warm-up, each in a fresh ` +
        'browser context (cold cache: the script is fetched, and the CORS preflight made, every time); all on ' +
        '127.0.0.1, no network throttling. (a) a page of our own with the README\'s embed snippet ' +
        '(`<script defer>` from the proxy\'s origin, `provider` and `items` set, so no request is needed to ' +
        'render); the script\'s resource-timing entry against `performance.now()` when the element\'s shadow root ' +
        'first holds an element (a MutationObserver on it). (b) the demo storefront (`startDemo`, sandbox proxy): add an item, ' +
        'choose Winpay, fill the form; from the click (page clock, capture phase) to the navigation request for ' +
        'the Winpay simulator\'s pay page (its send time as Chromium recorded it, `request.timing().startTime`). It includes the preflight, the proxy pricing ' +
        'the cart and its signed call to the simulator over loopback.',
    ].join('\n');
    return { title: 'Widget speed (headless Chromium)', body };
  } finally {
    await browser?.close();
    await new Promise((resolve) => (page ? page.close(resolve) : resolve(undefined)));
    await demo.close();
  }
}
