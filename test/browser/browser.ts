/**
 * Debian's chromium through playwright-core (never a downloaded browser), for the report tests:
 * a fresh profile per launch, no network features, and a page that aborts (and records) every
 * request that is not `file:` and records every console error and page error.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install chromium; .ci/run installs it)`);
  const profile = mkdtempSync(join(tmpdir(), 'factorlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Requests that were not `file:` (aborted). */
  blocked: string[];
  /** Console errors and page errors. */
  errors: string[];
}

export async function openWatched(
  context: BrowserContext,
  url: string,
  viewport?: { width: number; height: number },
): Promise<WatchedPage> {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const blocked: string[] = [],
    errors: string[] = [];
  await page.route('**/*', async (route) => {
    const u = route.request().url();
    if (u.startsWith('file:')) await route.continue();
    else {
      blocked.push(u);
      await route.abort();
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  // the load event waits for every chart's first draw: on a busy 2-core machine that can take long
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  // (page functions as text: this file is compiled without the DOM library)
  await page.waitForFunction(
    "document.documentElement.hasAttribute('data-rendered') || document.documentElement.hasAttribute('data-render-error')",
    undefined,
    { timeout: 240_000 },
  );
  return { page, blocked, errors };
}

/** Data marks drawn in each chart (`g.role-mark` children of its SVG), by chart id. */
export async function marksPerChart(page: Page): Promise<Record<string, number>> {
  return page.evaluate<Record<string, number>>(`(() => {
    const out = {};
    document.querySelectorAll('[data-chart]').forEach((el) => {
      out[el.getAttribute('data-chart')] = el.querySelectorAll('svg g.role-mark > path, svg g.role-mark > line, svg g.role-mark > rect, svg g.role-mark > text').length;
    });
    return out;
  })()`);
}
