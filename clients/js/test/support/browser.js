// Headless Chromium (the system's /usr/bin/chromium, or CHROMIUM) driven by playwright-core, with a
// fresh profile per launch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'event-hub-e2e-'));
  // A persistent context is how playwright takes a --user-data-dir: here a fresh, empty one.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A page on the hub's origin with the client loaded from the hub's own /realtime.js, and helpers
 * (in the page) that record what each subscription receives: window.received[name] = [events].
 */
export async function clientPage(context, hub) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${hub.url}/q/health/live`);
  await page.evaluate(async () => {
    window.realtime = await import('/realtime.js');
    window.received = {};
    window.statuses = [];
    window.record = (name) => (event) => (window.received[name] ||= []).push(event);
  });
  return page;
}

/** Makes the page report itself hidden or visible, as a switch of tabs would (headless has no tabs to switch). */
export async function setVisibility(page, state) {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}
