/**
 * The two reports built from the real data beside the repository (../shared/data, through
 * test/real/data.ts) by the CLI as a user runs it, opened in chromium: FF5 + momentum exposures of
 * the equal-weighted portfolio of the S&P file (rolling 252-row windows with the portfolio's own
 * regression), and the 12-1 momentum tear sheet with GICS sectors (monthly formation dates,
 * horizons 21 and 63 rows). Every chart draws marks, nothing is requested from the network, no
 * error is logged; screenshots go to test/browser/artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataFile } from '../real/data.js';
import { launch, marksPerChart, openWatched, type Browser } from './browser.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
let browser: Browser;
let dir: string;

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`factorlab ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
}

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'factorlab-real-report-'));
  const sp500 = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
  cli([
    'rolling',
    '--prices',
    sp500,
    '--clean',
    '--factors',
    dataFile('ff/F-F_Research_Data_5_Factors_2x3_daily.CSV'),
    '--factors',
    dataFile('ff/F-F_Momentum_Factor_daily.CSV'),
    '--start',
    '2010-01-01',
    '--weights',
    'equal',
    '--window',
    '252',
    '--portfolio-regression',
    '--threads',
    '1',
    '--report',
    join(dir, 'sp500-exposures.html'),
    '--svg',
    join(dir, 'svg'),
  ]);
  cli([
    'analyze',
    '--factor',
    'momentum',
    '--sample',
    'monthly',
    '--prices',
    sp500,
    '--clean',
    '--groups',
    dataFile('us/nyse_securities_gics_2017.csv'),
    '--group-asset-col',
    'Ticker symbol',
    '--group-col',
    'GICS Sector',
    '--horizons',
    '21,63',
    '--decay',
    '6',
    '--threads',
    '1',
    '--report',
    join(dir, 'sp500-momentum.html'),
  ]);
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reports of the real data in chromium', () => {
  it.each(['sp500-exposures.html', 'sp500-momentum.html'])(
    '%s renders every chart offline',
    async (file) => {
      const path = join(dir, file);
      expect(statSync(path).size).toBeLessThan(3e6);
      const { page, blocked, errors } = await openWatched(browser.context, pathToFileURL(path).href);
      try {
        expect(blocked).toEqual([]);
        expect(errors).toEqual([]);
        const marks = await marksPerChart(page);
        expect(Object.keys(marks).length).toBeGreaterThanOrEqual(9);
        for (const [id, count] of Object.entries(marks)) expect(count, `marks drawn in chart ${id}`).toBeGreaterThan(0);
        // no section of these reports is empty: every number they need is in the run
        expect(await page.locator('.fl-empty').allInnerTexts()).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, file.replace('.html', '.png')), fullPage: true });
      } finally {
        await page.close();
      }
    },
    180_000,
  );

  it('--svg wrote every chart of the exposure report as a standalone SVG', () => {
    const files = readdirSync(join(dir, 'svg')).sort();
    expect(files).toEqual([
      'coverage.svg',
      'densities.svg',
      'exposures-bar.svg',
      'r2-hist.svg',
      'rolling-own.svg',
      'rolling.svg',
      'variance-shares.svg',
      'variance-vol.svg',
      'vol-hist.svg',
    ]);
  });
});
