/**
 * IC, summaries and the regression test on real prices, against scipy.stats (pearsonr, spearmanr,
 * ttest_1samp, skew, kurtosis), numpy and statsmodels (OLS params / tvalues / rsquared, HAC with
 * maxlags = h, no correction, use_t) through test/real/python/ic_reference.py, to ~1e-9.
 *
 * - SSE 50 sample (cn/sse50_2021q1_*): P/E factor, daily forward returns h = 1, 5; the Python side
 *   reads the raw files itself (pandas), including the industry map for the regression with dummies.
 * - S&P 500 prices 2005-2017 (bad ticks cleaned by checkQuality + cleanBadTicks) with 12-1 momentum
 *   p(t−21)/p(t−252) − 1 sampled on month-end rows; forward returns over 1 and 3 months. The test
 *   writes the aligned factor / forward panels to a temporary CSV that the Python side reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthIndex } from '../../src/core/dates.js';
import { Panel } from '../../src/core/panel.js';
import { checkQuality, cleanBadTicks } from '../../src/core/quality.js';
import { forwardReturns } from '../../src/core/returns.js';
import { readPanel } from '../../src/io/readPanel.js';
import { icAnalysis } from '../../src/signals/ic.js';
import { regressionTest } from '../../src/signals/regression.js';
import type { SeriesSummary } from '../../src/signals/summary.js';
import { DATA } from './data.js';

const SCRIPT = join(__dirname, 'python', 'ic_reference.py');
const PYTHON = '/usr/bin/python3';

function requireData(path: string): void {
  if (!existsSync(path))
    throw new Error(`real-data file ${path} is missing: these tests need ${DATA} (see its README.md); they never skip`);
}

interface RefSummary extends Record<string, number> {
  n: number;
}
interface RefHorizon {
  dates: string[];
  n: number[];
  pearson: (number | null)[];
  spearman: (number | null)[];
  summary: { pearson: RefSummary; spearman: RefSummary };
  regression: {
    factorReturn: (number | null)[];
    t: (number | null)[];
    r2: (number | null)[];
    summary: RefSummary;
    groups: { factorReturn: (number | null)[]; t: (number | null)[] } | null;
  };
}
type Ref = Record<string, RefHorizon>;

function python(args: string[]): Ref {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: apt-get install python3-statsmodels python3-sklearn python3-scipy python3-pandas`);
  const res = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) {
    const missing = /ModuleNotFoundError|No module named/.test(res.stderr);
    throw new Error(
      `${SCRIPT} failed${missing ? ' (a Python module is missing: apt-get install python3-statsmodels python3-sklearn)' : ''}:\n${res.stderr}`,
    );
  }
  return JSON.parse(res.stdout) as Ref;
}

/** |a − b| <= tol·max(scale, |b|); null in the reference means NaN here. */
function expectClose(a: number, b: number | null | undefined, what: string, tol = 1e-9, scale = 1): void {
  if (b === null || b === undefined) {
    expect(a, what).toBeNaN();
    return;
  }
  const err = Math.abs(a - b);
  if (!(err <= tol * Math.max(scale, Math.abs(b)))) expect.fail(`${what}: ${a} vs reference ${b} (|diff| ${err})`);
}

function compareSummary(s: SeriesSummary, r: RefSummary, what: string): void {
  expect(s.n, `${what} n`).toBe(r.n);
  for (const k of [
    'mean',
    'std',
    'ir',
    'tStat',
    'pValue',
    'tStatNW',
    'pValueNW',
    'skew',
    'kurtosis',
    'sharePositive',
    'shareAboveThreshold',
    'meanAbs',
  ] as const) {
    expectClose(s[k], r[k], `${what} ${k}`, 1e-9, k === 'mean' || k === 'std' || k === 'meanAbs' ? 1e-6 : 1);
  }
}

function compareHorizon(
  factor: Panel,
  forward: Panel,
  h: number,
  ref: RefHorizon,
  periodsPerYear: number,
  groups?: { names: string[]; codes: Int32Array },
): void {
  const ic = icAnalysis(factor, forward, { horizon: h, periodsPerYear });
  expect(ic.dates).toEqual(ref.dates);
  expect(ic.n).toEqual(ref.n);
  ic.pearson.forEach((v, t) => expectClose(v, ref.pearson[t], `h=${h} pearson ${ic.dates[t]}`));
  ic.spearman.forEach((v, t) => expectClose(v, ref.spearman[t], `h=${h} spearman ${ic.dates[t]}`));
  compareSummary(ic.summary.pearson, ref.summary.pearson, `h=${h} IC summary`);
  compareSummary(ic.summary.spearman, ref.summary.spearman, `h=${h} rank IC summary`);
  expectClose(ic.summary.pearson.irAnnualized, ref.summary.pearson.ir * Math.sqrt(periodsPerYear / h), 'annualised IR');

  const reg = regressionTest(factor, forward, { horizon: h, periodsPerYear });
  reg.factorReturn.forEach((v, t) => expectClose(v, ref.regression.factorReturn[t], `h=${h} factor return ${reg.dates[t]}`, 1e-9, 1e-12));
  reg.t.forEach((v, t) => expectClose(v, ref.regression.t[t], `h=${h} t ${reg.dates[t]}`));
  reg.r2.forEach((v, t) => expectClose(v, ref.regression.r2[t], `h=${h} R² ${reg.dates[t]}`));
  const rs = ref.regression.summary;
  compareSummary(reg.summary.factorReturn, rs, `h=${h} factor-return summary`);
  expectClose(reg.summary.meanFactorReturn, rs.mean, 'meanFactorReturn', 1e-9, 1e-12);
  expectClose(reg.summary.tStat, rs.tStat, 'regression tStat');
  expectClose(reg.summary.tStatNW, rs.tStatNW, 'regression tStatNW');
  expectClose(reg.summary.meanAbsT, rs.meanAbsT, 'meanAbsT');
  expectClose(reg.summary.shareAbsTAbove2, rs.shareAbsTAbove2, 'shareAbsTAbove2');
  expectClose(reg.summary.meanR2, rs.meanR2, 'meanR2');

  if (groups && ref.regression.groups) {
    const g = regressionTest(factor, forward, { horizon: h, groups });
    g.factorReturn.forEach((v, t) =>
      expectClose(v, ref.regression.groups!.factorReturn[t], `h=${h} factor return with industry dummies ${g.dates[t]}`, 1e-9, 1e-12),
    );
    g.t.forEach((v, t) => expectClose(v, ref.regression.groups!.t[t], `h=${h} t with industry dummies ${g.dates[t]}`));
  }
}

/** The factor's rows, on the price panel's assets; forward returns of `prices` at those rows. */
function alignToPrices(factor: Panel, prices: Panel, horizons: number[]): { factor: Panel; forward: Map<number, Panel> } {
  const m = prices.nAssets;
  const rows = Array.from(factor.dates, (d) => {
    const t = prices.dateIndex(d);
    if (t < 0) throw new Error(`factor date ${d} is not a price date`);
    return t;
  });
  const f = new Float64Array(rows.length * m).fill(NaN);
  prices.assets.forEach((a, j) => {
    const k = factor.assetIndex(a);
    if (k >= 0) for (let r = 0; r < rows.length; r++) f[r * m + j] = factor.at(r, k);
  });
  const fwdAll = forwardReturns(prices, horizons);
  const forward = new Map<number, Panel>();
  for (const h of horizons) {
    const src = fwdAll.get(h)!;
    const v = new Float64Array(rows.length * m);
    rows.forEach((t, r) => v.set(src.row(t), r * m));
    forward.set(h, new Panel(factor.dates, prices.assets, v));
  }
  return { factor: new Panel(factor.dates, prices.assets, f), forward };
}

describe('SSE 50 sample: P/E factor, h = 1 and 5', () => {
  it('IC, summaries and regression (plain and with industry dummies) match scipy / statsmodels', async () => {
    const pricesFile = join(DATA, 'cn/sse50_2021q1_prices.csv'),
      factorFile = join(DATA, 'cn/sse50_2021q1_factor.csv');
    const idxFile = join(DATA, 'cn/sse50_2021q1_stock_2_idx.csv');
    [pricesFile, factorFile, idxFile].forEach(requireData);
    const prices = (await readPanel(pricesFile, { kind: 'prices' })).panel;
    const rawFactor = (await readPanel(factorFile, { layout: 'long', assetCol: 'asset', valueCol: 'factor_value' })).panel;
    expect(prices.nAssets).toBe(48);
    expect(rawFactor.nDates).toBe(36);
    const { factor, forward } = alignToPrices(rawFactor, prices, [1, 5]);
    const industry = new Map(
      readFileSync(idxFile, 'utf8')
        .trim()
        .split(/\r?\n/)
        .map((l) => l.split(',') as [string, string]),
    );
    const names = [...new Set(industry.values())].sort();
    const codes = new Int32Array(factor.nDates * factor.nAssets);
    for (let t = 0; t < factor.nDates; t++)
      factor.assets.forEach((a, j) => {
        const g = industry.get(a);
        codes[t * factor.nAssets + j] = g === undefined ? -1 : names.indexOf(g);
      });
    const ref = python(['sse', DATA, '1,5']);
    for (const h of [1, 5]) compareHorizon(factor, forward.get(h)!, h, ref[String(h)], 252, { names, codes });
  });
});

describe('S&P 500 2005-2017: 12-1 momentum on month-end rows, 1 and 3 months', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'factorlab-ic-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('IC, summaries and regression match scipy / statsmodels', async () => {
    const file = join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
    requireData(file);
    const raw = (await readPanel(file, { layout: 'long', assetCol: 'ticker', valueCol: 'close', kind: 'prices' })).panel;
    const report = checkQuality(raw, { maxFindingsPerKind: 1_000_000 });
    expect(report.counts['bad-tick']).toBeGreaterThanOrEqual(11);
    const prices = cleanBadTicks(raw, report);
    const n = prices.nDates,
      m = prices.nAssets,
      p = prices.values;
    // month-end rows (last trading day of each month) with a full 252-row history
    const ends: number[] = [];
    for (let t = 252; t < n; t++) if (t === n - 1 || monthIndex(prices.dates[t + 1]) !== monthIndex(prices.dates[t])) ends.push(t);
    const k = ends.length;
    const dates = Int32Array.from(ends, (t) => prices.dates[t]);
    const mom = new Float64Array(k * m),
      px = new Float64Array(k * m);
    ends.forEach((t, r) => {
      for (let j = 0; j < m; j++) {
        mom[r * m + j] = p[(t - 21) * m + j] / p[(t - 252) * m + j] - 1;
        px[r * m + j] = p[t * m + j];
      }
    });
    const factor = new Panel(dates, prices.assets, mom);
    const monthly = new Panel(dates, prices.assets, px);
    const forward = forwardReturns(monthly, [1, 3]);
    expect(k).toBeGreaterThan(140);

    const iso = factor.isoDates();
    const lines = ['date,asset,factor,fwd1,fwd3'];
    const f1 = forward.get(1)!.values,
      f3 = forward.get(3)!.values;
    const cell = (v: number): string => (Number.isNaN(v) ? '' : v.toPrecision(17));
    for (let r = 0; r < k; r++)
      for (let j = 0; j < m; j++) {
        const v = mom[r * m + j];
        if (!Number.isNaN(v)) lines.push(`${iso[r]},${prices.assets[j]},${cell(v)},${cell(f1[r * m + j])},${cell(f3[r * m + j])}`);
      }
    const csv = join(dir, 'momentum.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
    const ref = python(['panel', csv, '1,3']);
    for (const h of [1, 3]) {
      // the reference only sees dates with a factor value; ours has every month-end row
      const keep = iso.map((d, r) => (ref[String(h)].dates.includes(d) ? r : -1)).filter((r) => r >= 0);
      expect(keep.length).toBe(ref[String(h)].dates.length);
      const sub = (q: Panel): Panel =>
        new Panel(
          Int32Array.from(keep, (r) => q.dates[r]),
          q.assets,
          Float64Array.from(keep.flatMap((r) => Array.from(q.row(r)))),
        );
      compareHorizon(sub(factor), sub(forward.get(h)!), h, ref[String(h)], 12);
    }
  });
});
