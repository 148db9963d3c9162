/**
 * The optimiser's and the replicating basket's report pages, built from the demo market through
 * the commands' own code (`factorlab optimize --report`, `factorlab replicate --report`), opened in
 * Debian's chromium: no request leaves the file, no console or page error, every chart draws marks,
 * a hover shows a tooltip, the holdings table filters, and a screenshot of each page is saved to
 * test/browser/artifacts/ (gitignored) for a person to look at.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/commands/demo.js';
import { demoOptimizeFlags, demoReplicateFlags } from '../../src/cli/demoReports.js';
import { runOptimize } from '../../src/cli/commands/optimize.js';
import { runReplicate } from '../../src/cli/commands/replicate.js';
import type { CliStreams } from '../../src/cli/streams.js';
import { launch, marksPerChart, openWatched, type Browser } from './browser.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
let browser: Browser;
let dir: string;
const quiet: CliStreams = { stdout: () => {}, stderr: () => {} };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'factorlab-portreport-'));
  await runDemo({ out: dir, seed: 42, assets: 300, days: 756, json: true });
  await runOptimize({ ...demoOptimizeFlags(dir), report: join(dir, 'optimize.html') }, quiet);
  await runReplicate({ ...demoReplicateFlags(dir, '2019-12-31'), report: join(dir, 'replicate.html') }, quiet);
  // Black–Litterman views and the efficient frontier: their own sections
  writeFileSync(
    join(dir, 'views.csv'),
    'view,asset,weight,return,confidence\nA001,A001,1,0.25,0.6\ntech,A003,0.5,0.04,\ntech,A004,0.5,,\ntech,A005,-1,,\n',
  );
  const { maxNames: _k, groups: _g, groupBand: _b, activeExposure: _e, ...plain } = demoOptimizeFlags(dir);
  await runOptimize({ ...plain, views: join(dir, 'views.csv'), frontier: 6, report: join(dir, 'optimize-views.html') }, quiet);
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const REPORTS = [
  { file: 'optimize.html', hover: 'weights', table: 'holdings', charts: ['weights', 'exposures', 'constraint-bands', 'risk', 'trades'] },
  { file: 'replicate.html', hover: 'exposure-match', table: null, charts: ['exposure-match', 'tracking-error', 'holdings'] },
  {
    file: 'optimize-views.html',
    hover: 'views-moved',
    table: 'views-returns',
    charts: ['weights', 'views-moved', 'frontier', 'exposures', 'risk', 'trades'],
  },
];

describe.each(REPORTS)('$file in chromium', (r) => {
  it('opens offline without errors, draws marks in every chart, and shows a tooltip', async () => {
    const path = join(dir, r.file);
    expect(statSync(path).size).toBeLessThan(3e6);
    const { page, blocked, errors } = await openWatched(browser.context, pathToFileURL(path).href);
    try {
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.evaluate<string | null>("document.documentElement.getAttribute('data-render-error')")).toBeNull();
      const marks = await marksPerChart(page);
      expect(Object.keys(marks).sort()).toEqual([...r.charts].sort());
      for (const [id, count] of Object.entries(marks)) expect(count, `marks drawn in chart ${id}`).toBeGreaterThan(0);
      // the weights chart: portfolio, benchmark and active bar for each of the 25 largest names
      if (r.file === 'optimize.html')
        expect(await page.locator('[data-chart="weights"] svg g.mark-rect.role-mark > path').count()).toBe(75);

      const bar = page.locator(`[data-chart="${r.hover}"] svg g.mark-rect.role-mark > path`).first();
      await bar.hover({ force: true });
      const tip = page.locator('.fl-tooltip');
      await expect.poll(() => tip.isVisible(), { timeout: 5000 }).toBe(true);
      expect((await tip.innerText()).length).toBeGreaterThan(3);

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
      }
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(ARTIFACTS, r.file.replace('.html', '.png')), fullPage: true });
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
