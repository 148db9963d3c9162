/**
 * The hover layer and the reference marks, in both outputs of the same runs (the CLI on the demo's
 * files: the tear sheet, the exposure report with rolling exposures, the backtest report):
 *
 * - `--svg`: a static chart has no pointer, so no hover layer (the invisible rule or points per row
 *   and their Voronoi cells: two thirds of a time-series SVG's bytes), and every constant reference
 *   (the zero rule, the ±2 band) is one element, not one per row;
 * - the page: the hover still shows a tooltip on a time-series chart, and every reference is still
 *   drawn once per chart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openWatched, type Browser } from './browser.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
let browser: Browser;
let dir: string;

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`factorlab ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
}

const RUNS = { tearsheet: 'tsvg', rolling: 'rsvg', backtest: 'bsvg' } as const;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'factorlab-static-svg-'));
  const f = (name: string): string => join(dir, name);
  cli(['demo', '--out', dir, '--assets', '120', '--days', '400', '--json']);
  cli(
    ['analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--clean', '--groups', f('sectors.csv')].concat([
      '--report',
      f('tearsheet.html'),
      '--svg',
      f(RUNS.tearsheet),
    ]),
  );
  cli(
    ['rolling', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--clean', '--weights', 'equal', '--window', '126'].concat([
      '--portfolio-regression',
      '--report',
      f('rolling.html'),
      '--svg',
      f(RUNS.rolling),
    ]),
  );
  cli(
    ['backtest', '--prices', f('prices.csv'), '--factor', f('signal.csv'), '--clean', '--rule', 'top-quantile', '--quantiles', '5'].concat([
      '--schedule',
      'month-end',
      '--benchmark',
      'equal',
      '--report',
      f('backtest.html'),
      '--svg',
      f(RUNS.backtest),
    ]),
  );
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The children of every `g.mark-rule.role-mark` (rules of the data, not of the axes) that repeat an earlier child of the same group, in the document. */
const REPEATED_RULES = `(() => {
  const out = [];
  document.querySelectorAll('g.mark-rule.role-mark').forEach((g) => {
    const seen = new Set();
    for (const el of g.children) {
      const s = el.outerHTML;
      if (seen.has(s)) { out.push(g.getAttribute('class')); break; }
      seen.add(s);
    }
  });
  return out;
})()`;

describe('--svg: no hover layer, one element per reference mark', () => {
  it('no chart of the three runs has a hover mark, a Voronoi cell, an invisible rule or a repeated rule', () => {
    let n = 0;
    for (const sub of Object.values(RUNS)) {
      for (const file of readdirSync(join(dir, sub))) {
        const svg = readFileSync(join(dir, sub, file), 'utf8');
        n++;
        expect(svg, file).not.toContain('hover_');
        expect(svg, file).not.toContain('voronoi');
        expect(svg, file).not.toMatch(/<(line|path)[^>]*opacity="0"/);
        // every rule of the data is distinct: a reference rule repeated per row would give identical lines
        for (const m of svg.matchAll(/<g class="mark-rule role-mark [^"]*"[^>]*>(.*?)<\/g>/g)) {
          const lines = m[1].match(/<line[^>]*\/>/g) ?? [];
          expect(new Set(lines).size, `${file}: ${m[0].slice(0, 60)}`).toBe(lines.length);
        }
      }
    }
    expect(n).toBeGreaterThanOrEqual(60);
  });

  it('draws in chromium with one zero rule, one ±2 band and no hover element', async () => {
    const page = await browser.context.newPage();
    try {
      const count = (sel: string): Promise<number> => page.locator(sel).count();
      await page.goto(pathToFileURL(join(dir, RUNS.tearsheet, 'ic-series.svg')).href);
      expect(await count('g.layer_0_marks > line')).toBe(1); // the zero rule
      expect(await count('g.layer_1_marks > path')).toBeGreaterThan(100); // a bar per date
      expect(await count('.hover_marks, .hover_voronoi')).toBe(0);
      await page.goto(pathToFileURL(join(dir, RUNS.tearsheet, 'regression-t.svg')).href);
      expect(await count('g.layer_0_marks > path')).toBe(1); // the ±2 band
      expect(await count('g.layer_1_marks > line')).toBe(1); // the zero rule
      for (const [sub, file] of [
        [RUNS.backtest, 'drawdown.svg'],
        [RUNS.rolling, 'rolling.svg'],
        [RUNS.rolling, 'densities.svg'],
      ]) {
        await page.goto(pathToFileURL(join(dir, sub, file)).href);
        expect(await count('g.role-mark > *'), file).toBeGreaterThan(0);
        expect(await count('.hover_marks, .hover_voronoi'), file).toBe(0);
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});

describe('the page keeps the hover and draws each reference once', () => {
  it.each([
    ['tearsheet.html', 'ic-series', 'rank IC'],
    ['tearsheet.html', 'spread', 'spread, bp'],
    ['backtest.html', 'drawdown', 'drawdown'],
    ['rolling.html', 'rolling', 'date'],
  ])(
    '%s: the pointer over %s shows its tooltip',
    async (file, chart, text) => {
      const { page, blocked, errors } = await openWatched(browser.context, pathToFileURL(join(dir, file)).href);
      try {
        expect(blocked).toEqual([]);
        expect(errors).toEqual([]);
        const svg = page.locator(`[data-chart="${chart}"] svg`);
        // the hover layer is in the page: a rule per date and its Voronoi cells
        expect(await page.locator(`[data-chart="${chart}"] g.hover_marks > line`).count()).toBeGreaterThan(100);
        expect(await page.locator(`[data-chart="${chart}"] g.hover_voronoi > path`).count()).toBeGreaterThan(100);
        const tip = page.locator('.fl-tooltip');
        expect(await tip.isVisible()).toBe(false);
        await svg.scrollIntoViewIfNeeded();
        const at = await svg.boundingBox();
        if (at === null) throw new Error(`chart ${chart} has no box`);
        await page.mouse.move(at.x + at.width * 0.55, at.y + at.height * 0.55);
        await expect.poll(() => tip.isVisible(), { timeout: 5000 }).toBe(true);
        const shown = await tip.innerText();
        expect(shown).toContain(text);
        // the date under the pointer first, as a date (it was the parsed timestamp: "date 1.539e+12")
        expect(shown).toMatch(/^(date|rebalance)\t\d{4}-\d{2}-\d{2}\n/);
        // and the hover rule of that date shows
        expect(await page.locator(`[data-chart="${chart}"] g.hover_marks > line:not([opacity="0"])`).count()).toBeGreaterThan(0);
        // every reference rule in the page is drawn once (each chart's rule groups have no repeated line)
        expect(await page.evaluate<string[]>(REPEATED_RULES)).toEqual([]);
      } finally {
        await page.close();
      }
    },
    180_000,
  );

  it('the zero rule of the IC chart is one line in the page', async () => {
    const { page } = await openWatched(browser.context, pathToFileURL(join(dir, 'tearsheet.html')).href);
    try {
      expect(await page.locator('[data-chart="ic-series"] g.layer_0_marks > line').count()).toBe(1);
      expect(await page.locator('[data-chart="regression-t"] g.layer_0_marks > path').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 180_000);
});
