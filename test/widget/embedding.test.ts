// Embedding: the built script under a strict Content-Security-Policy and loaded twice, a missing
// chunk, a hostile page stylesheet, and theming from outside (custom properties, ::part).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import type { KasirCheckout } from '../../widget/kasir-checkout.js';
import { $, button, configOf, fill, has, input, json, restoreFetch, settled, stubProxy, text } from './helpers.js';

interface ProbedWindow extends Window {
  violations: string[];
  errors: string[];
}

let frame: HTMLIFrameElement | undefined;
afterEach(() => {
  frame?.remove();
  frame = undefined;
  restoreFetch();
});

/** Loads an embedding page (web-test-runner.config.mjs) in an iframe; returns its window and element. */
async function embed(path: string): Promise<{ win: ProbedWindow; el: KasirCheckout }> {
  const built = await fetch('/dist/kasir.iife.js', { method: 'HEAD' });
  expect(built.status, 'dist/kasir.iife.js: run `npm run build` first').to.equal(200);
  // The frames share this page's sessionStorage: no test starts with another's remembered order.
  sessionStorage.clear();
  frame = document.createElement('iframe');
  frame.src = path;
  const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as ProbedWindow;
  const el = win.document.querySelector('kasir-checkout') as KasirCheckout;
  await waitUntil(() => el.shadowRoot?.querySelector('button[part="button"]'), 'the widget did not render', { timeout: 3000 });
  return { win, el };
}

describe('embedding the built script', () => {
  it('works under a strict CSP with a nonce, loaded twice: styles, lazy chunks, QR, no violation', async () => {
    const { win, el } = await embed('/embed/csp.html');
    const Element = win.customElements.get('kasir-checkout');
    expect(typeof Element).to.equal('function');
    expect(el instanceof Element!).to.equal(true);
    // The uk table is a chunk, imported by the script under its nonce (English shows until it arrives).
    await waitUntil(() => text(el, 'button[part="button"]') === 'Сплатити', 'the uk table did not load');
    // Lit's constructable stylesheets apply under style-src 'nonce-…'.
    expect(win.getComputedStyle(button(el)).backgroundColor).to.equal('rgb(10, 88, 202)');

    // The validator is a chunk too: it runs the proxy's rules here.
    // Clicked once it has arrived (a click that still beats it gets the same answer from the proxy).
    await waitUntil(() => win.performance.getEntriesByType('resource').some((e) => e.name.endsWith('/kasir-validate.js')), 'the validator did not load');
    await waitUntil(() => {
      fill(el, { name: 'Budi', email: 'nope' });
      button(el).click();
      return has(el, '#kasir-email-error');
    }, 'the validator did not load');
    expect(text(el, '#kasir-email-error')).to.equal('Введіть дійсну адресу пошти.');

    fill(el, { email: 'budi@example.com' });
    button(el).click();
    await waitUntil(() => el.shadowRoot!.querySelector('svg[part="qr-image"] path'), 'the QR was not drawn', { timeout: 3000 });
    expect(text(el, '[part="qr"]')).to.contain('8808123456789012');
    expect(win.violations).to.deep.equal([]);
    expect(win.errors).to.deep.equal([]);
  });

  it('with defer (the README embed), asks for the config and the checkout chunk as the script runs, once each, though it is there twice', async () => {
    const { win } = await embed('/embed/deferred.html');
    const started = (end: string) =>
      win.performance.getEntriesByType('resource').filter((e) => e.name.endsWith(end)).map((e) => e.startTime);
    // The validator is asked for once the element's config request has settled: every config
    // request made by then has an entry.
    await waitUntil(() => started('/kasir-validate.js').length && started('/kasir-uk.js').length, 'the validator did not load');
    expect(started('/embed/proxy/v1/config').length, 'config requests').to.equal(1);
    expect(started('/kasir-checkout.js').length, 'checkout chunk requests').to.equal(1);
    // The element's first update asks for its language's table (uk here): both were asked for before it.
    const [uk] = started('/kasir-uk.js');
    expect(started('/embed/proxy/v1/config')[0]! < uk!, 'config before the first update').to.equal(true);
    expect(started('/kasir-checkout.js')[0]! < uk!, 'chunk before the first update').to.equal(true);
  });

  it('the policy is enforced: without the nonce the script is refused (control)', async () => {
    await fetch('/dist/kasir.iife.js', { method: 'HEAD' });
    frame = document.createElement('iframe');
    frame.src = '/embed/csp-control.html';
    const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const win = frame.contentWindow as ProbedWindow;
    await waitUntil(() => win.violations.length === 2, 'no violation reported');
    expect(win.violations.every((v) => v.startsWith('script-src-elem '))).to.equal(true);
    expect(win.customElements.get('kasir-checkout')).to.equal(undefined);
  });

  it('without its validator chunk the widget still works: the proxy validates', async () => {
    const { win, el } = await embed('/embed/no-validator.html');
    await new Promise((r) => setTimeout(r, 100));
    fill(el, { name: '', email: 'nope' }); // not validated here: the proxy answers for the name
    button(el).click();
    await waitUntil(() => has(el, '#kasir-name-error'), 'the proxy error was not placed', { timeout: 3000 });
    expect(text(el, '#kasir-name-error')).to.equal('Вкажіть ваше ім’я.');
    expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('true');
    expect(win.errors).to.deep.equal([]);
  });
});

describe('chunks: where they load from, and when they cannot', () => {
  it('a renamed copy with data-kasir-base loads its chunks from there (uk table, order panel, QR)', async () => {
    const { win, el } = await embed('/embed/based.html');
    await waitUntil(() => text(el, 'button[part="button"]') === 'Сплатити', 'the uk table did not load from data-kasir-base');
    fill(el, { name: 'Budi' });
    button(el).click();
    await waitUntil(() => el.shadowRoot!.querySelector('svg[part="qr-image"] path'), 'the QR was not drawn', { timeout: 3000 });
    expect(win.errors).to.deep.equal([]);
  });

  it('a QR encoder that cannot load: an error where the QR would be and kasir-error — never a caption without a code', async () => {
    const { win, el } = await embed('/embed/broken-qr.html');
    const codes: string[] = [];
    el.addEventListener('kasir-error', (e) => codes.push(e.detail.code));
    fill(el, { name: 'Budi' });
    button(el).click();
    await waitUntil(() => codes.includes('qr_unavailable'), 'no kasir-error', { timeout: 3000 });
    await waitUntil(() => has(el, '[part="qr"] [role="alert"]'), 'no error in the QR panel');
    expect(text(el, '[part="qr"] [role="alert"]')).to.equal('Не вдалося показати QR-код. Спробуйте ще раз.');
    expect(text(el, '[part="qr"]')).to.not.contain('Скануйте');
    expect(has(el, '[part="qr-image"]')).to.equal(false);
    expect(text(el, '[part="pay-code"]')).to.equal('8808123456789012'); // the pay code still shows
    expect(win.violations).to.deep.equal([]);
  });

  it('an order panel that cannot load: the status panel says so and kasir-error fires (chunk_unavailable)', async () => {
    const { el } = await embed('/embed/broken-order.html');
    const errors: { code: string; message: string }[] = [];
    el.addEventListener('kasir-error', (e) => errors.push(e.detail));
    fill(el, { name: 'Budi' });
    button(el).click();
    await waitUntil(() => errors.some((e) => e.code === 'chunk_unavailable'), 'no kasir-error', { timeout: 3000 });
    expect(errors.find((e) => e.code === 'chunk_unavailable')!.message).to.equal('kasir-order.js could not be loaded');
    await waitUntil(() => has(el, '[part="status"] [role="alert"]'), 'no error in the panel');
    expect(text(el, '[part="status"] [role="alert"]')).to.equal('Частина сторінки оплати не завантажилась. Оновіть сторінку.');
  });

  it('a picker that cannot load: the form says so and kasir-error fires; the fields still work', async () => {
    const { el } = await embed('/embed/broken-checkout.html');
    await waitUntil(() => has(el, 'form [role="alert"]'), 'no error in the form', { timeout: 3000 });
    // In English until the uk table arrives (the failure may come first), then in Ukrainian.
    await waitUntil(() => text(el, 'form [role="alert"]') === 'Частина сторінки оплати не завантажилась. Оновіть сторінку.', 'not in Ukrainian');
    expect(has(el, 'input[name="name"]')).to.equal(true);
  });
});

describe('styling', () => {
  const mount = async () => {
    stubProxy({ 'GET /v1/config': () => json(configOf('winpay')) });
    const el = await fixture<KasirCheckout>(
      html`<kasir-checkout endpoint="http://proxy.test" provider="winpay" locale="en"></kasir-checkout>`,
    );
    await settled(el);
    return el;
  };

  it("a page's global CSS does not leak in", async () => {
    const hostile = document.createElement('style');
    hostile.textContent = `
      body { letter-spacing: 9px; text-transform: uppercase; text-align: right; line-height: 5; font: italic 40px serif; color: rgb(255, 0, 0); }
      button, input, label, form, p { all: unset; display: none !important; background: red !important; }
      * { box-sizing: content-box !important; }`;
    document.head.append(hostile);
    try {
      const el = await mount();
      const style = getComputedStyle(button(el));
      expect([style.display, style.backgroundColor, style.letterSpacing, style.textTransform]).to.deep.equal([
        'block', // a grid item: blockified, not `none`
        'rgb(10, 88, 202)',
        'normal',
        'none',
      ]);
      const label = getComputedStyle($(el, 'label'));
      expect([label.color, label.fontStyle, label.textAlign, label.boxSizing]).to.deep.equal([
        'rgb(31, 35, 40)',
        'normal',
        'start',
        'border-box',
      ]);
      expect(getComputedStyle(input(el, 'name')).display).to.equal('block');
    } finally {
      hostile.remove();
    }
  });

  it('is themed from outside with --kasir-* properties and ::part()', async () => {
    const theme = document.createElement('style');
    theme.textContent = `
      kasir-checkout { --kasir-color-primary: rgb(0, 128, 0); --kasir-radius: 0px; --kasir-font: monospace; --kasir-spacing: 2rem; }
      kasir-checkout::part(input) { border-width: 3px; }
      kasir-checkout::part(label) { text-transform: uppercase; }`;
    document.head.append(theme);
    try {
      const el = await mount();
      const pay = getComputedStyle(button(el));
      expect([pay.backgroundColor, pay.borderTopLeftRadius, pay.fontFamily]).to.deep.equal(['rgb(0, 128, 0)', '0px', 'monospace']);
      expect(getComputedStyle(input(el, 'name')).borderTopWidth).to.equal('3px');
      expect(getComputedStyle($(el, 'label')).textTransform).to.equal('uppercase');
      expect(getComputedStyle($(el, 'form')).rowGap).to.equal('32px');
    } finally {
      theme.remove();
    }
  });
});
