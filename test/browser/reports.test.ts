/**
 * The demo's three reports (exposures, the tear sheet, the backtest of its planted signal), opened in a real browser (Debian's chromium): no request leaves the file,
 * no console or page error, every chart draws marks, a hover shows a tooltip, the data tables and
 * the sortable/filterable table work, and a screenshot of each page is saved to
 * test/browser/artifacts/ (gitignored) for a person to look at.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/commands/demo.js';
import { launch, marksPerChart, openWatched, type Browser } from './browser.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'factorlab-report-'));
  await runDemo({ out: dir, seed: 42, assets: 300, days: 756, json: true });
  // the demo writes backtest.html: its strategy against the equal-weighted market, with its exposures to the six factors
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const REPORTS = [
  {
    file: 'exposures.html',
    hover: 'exposures-bar',
    table: 'assets',
    horizons: [] as number[],
    charts: ['exposures-bar', 'rolling', 'rolling-own', 'coverage', 'variance-shares', 'variance-vol', 'densities', 'r2-hist', 'vol-hist'],
  },
  {
    file: 'backtest.html',
    hover: 'annual-returns',
    table: null,
    horizons: [] as number[],
    charts: ['nav', 'drawdown', 'rolling-return', 'annual-returns', 'holdings', 'turnover', 'weights', 'exposures', 'exposures-holdings'],
  },
  {
    file: 'tearsheet.html',
    hover: 'quantile-returns',
    table: null,
    horizons: [5, 21],
    charts: [
      'quantile-returns',
      'quantile-returns-demeaned',
      'nav',
      'long-short',
      'spread',
      'ic-series',
      'ic-hist',
      'ic-qq',
      'ic-heatmap',
      'ic-decay',
      'regression-t',
      'factor-return',
      'turnover',
      'rank-autocorrelation',
      'quantile-by-group',
      'group-demeaned',
      'ic-by-group',
      'event',
    ],
  },
];

describe.each(REPORTS)('$file in chromium', (r) => {
  it('is under 3 MB, opens offline without errors and draws marks in every chart', async () => {
    const path = join(dir, r.file);
    expect(statSync(path).size).toBeLessThan(3e6);
    const { page, blocked, errors } = await openWatched(browser.context, pathToFileURL(path).href);
    try {
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.evaluate<string | null>("document.documentElement.getAttribute('data-render-error')")).toBeNull();
      const marks = await marksPerChart(page);
      // the first horizon's charts keep their ids; every other horizon has its own copy of the
      // per-horizon charts (id-h5, id-h21), behind the horizon selector
      const first = Object.keys(marks).filter((id) => !/-h\d+$/.test(id));
      expect(first.sort()).toEqual([...r.charts].sort());
      for (const h of r.horizons) {
        const copies = Object.keys(marks).filter((id) => id.endsWith(`-h${h}`));
        expect(copies.length, `charts of horizon ${h}`).toBeGreaterThanOrEqual(12);
        for (const id of copies) expect(r.charts).toContain(id.slice(0, -`-h${h}`.length));
      }
      for (const [id, count] of Object.entries(marks)) expect(count, `marks drawn in chart ${id}`).toBeGreaterThan(0);

      if (r.horizons.length > 0) {
        // the horizon selector shows one horizon's charts at a time
        const h = r.horizons[r.horizons.length - 1];
        const visible = (id: string): Promise<boolean> => page.locator(`[data-chart="${id}"]`).isVisible();
        expect(await visible('ic-series')).toBe(true);
        expect(await visible(`ic-series-h${h}`)).toBe(false);
        await page.locator(`#ic .fl-variants button[data-show="h = ${h}"]`).click();
        expect(await visible('ic-series')).toBe(false);
        expect(await visible(`ic-series-h${h}`)).toBe(true);
        await page.locator(`[data-chart="ic-series-h${h}"] svg g.mark-rule.role-mark > line`).last().hover({ force: true });
        await page.locator('#ic .fl-variants button').first().click();
        expect(await visible('ic-series')).toBe(true);
      }

      // hover a bar: the tooltip appears with its numbers
      const bar = page.locator(`[data-chart="${r.hover}"] svg g.mark-rect.role-mark > path`).first();
      await bar.hover({ force: true });
      const tip = page.locator('.fl-tooltip');
      await expect.poll(() => tip.isVisible(), { timeout: 5000 }).toBe(true);
      expect((await tip.innerText()).length).toBeGreaterThan(3);

      // the data behind a chart
      const details = page.locator(`details[data-for="${r.hover}"]`);
      await details.locator('summary').click();
      // the table is filled on the details' toggle event, which the browser fires in a later task
      await expect.poll(() => details.locator('tbody tr').count(), { timeout: 5000 }).toBeGreaterThan(0);

      if (r.table !== null) {
        const t = page.locator(`[data-table="${r.table}"]`);
        const all = await t.locator('tbody tr').count();
        expect(all).toBeGreaterThan(10);
        await t.locator('.fl-filter').fill('A00');
        const some = await t.locator('tbody tr').count();
        expect(some).toBeGreaterThan(0);
        expect(some).toBeLessThan(all);
        await t.locator('.fl-filter').fill('');
        await t.locator('th', { hasText: 'R²' }).click();
        const r2 = await t.locator('tbody tr td:nth-last-child(2)').allInnerTexts();
        const values = r2.slice(0, 20).map(Number);
        expect(values.every((v, i) => i === 0 || v <= values[i - 1])).toBe(true);
      }
      // nothing is wider than the page's column (a long settings value used to push its table past it)
      const wide = await page.evaluate<string[]>(
        `(() => { const right = document.querySelector('main').getBoundingClientRect().right;
          return [...document.querySelectorAll('main table, main p, main h1, main h2, main h3')]
            .filter((e) => !e.closest('.fl-scroll, .fl-chart, .fl-tooltip') && e.getBoundingClientRect().right > right + 1)
            .map((e) => e.tagName + ' ' + (e.closest('[data-table]')?.getAttribute('data-table') ?? e.closest('section')?.id ?? '')); })()`,
      );
      expect(wide).toEqual([]);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(ARTIFACTS, r.file.replace('.html', '.png')), fullPage: true });
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
