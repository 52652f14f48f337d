// The demo (sandbox proxy + shop) and one Chromium for an end-to-end test file: started on free
// ports before its tests, stopped after them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { startDemo } from '../../demo/start';
import { freePort } from '../resilience/servers';
import { launchChromium } from './chromium';

export interface E2e {
  demo: ReturnType<typeof startDemo>;
  browser: Browser;
}

export function useDemo(): E2e {
  const e2e = {} as E2e;
  before(async () => {
    assert.ok(existsSync('dist/kasir.iife.js'), 'run `npm run build` first (npm test does)');
    e2e.demo = startDemo({ proxyPort: await freePort(), shopPort: await freePort(), quiet: true });
    await e2e.demo.ready;
    e2e.browser = await launchChromium();
  });
  after(async () => {
    await e2e.browser?.close();
    await e2e.demo?.close();
  });
  return e2e;
}

/**
 * A browser context that keeps, in each page, the kasir-* events it hears (in order, `:mode` added
 * when `withMode` and the detail has one), the details of its kasir-error events (`kasirErrors`,
 * for a failing test's message) and every page's uncaught errors.
 */
export async function recordingContext(browser: Browser, names: string[], { withMode = false } = {}) {
  const context = await browser.newContext();
  const errors: string[] = [];
  context.on('page', (p) => p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`)));
  await context.addInitScript(
    ([names, withMode]) => {
      const seen: string[] = [];
      const failures: unknown[] = [];
      Object.assign(window, { kasirEvents: seen, kasirErrors: failures });
      for (const name of names) {
        document.addEventListener(`kasir-${name}`, (e) => {
          if (name === 'error') failures.push((e as CustomEvent).detail);
          const mode = withMode ? (e as CustomEvent<{ mode?: string }>).detail?.mode : undefined;
          seen.push(mode ? `kasir-${name}:${mode}` : `kasir-${name}`);
        });
      }
    },
    [names, withMode] as const,
  );
  return { context, errors };
}
