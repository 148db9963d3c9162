/**
 * Quantile labels, mean returns per quantile, spreads, the factor-weighted long-short return,
 * turnover and rank autocorrelation on real data, against a pandas implementation of alphalens'
 * conventions (test/real/python/quantiles_reference.py: pd.qcut per date, groupby means,
 * quantile_turnover, factor_rank_autocorrelation) to ~1e-9.
 *
 * - S&P 500 prices 2005-2017 (bad ticks cleaned by checkQuality + cleanBadTicks), 12-1 momentum
 *   sampled on month-end rows, horizons 1 and 21 price rows, GICS sectors (static map).
 * - SSE 50 sample: wide daily prices, the long P/E factor, industries (no header), horizons 1, 5.
 *
 * The test writes FactorData (the clean joint universe) as a long CSV; the Python side labels and
 * averages it itself and, for the SSE sample, recomputes the forward returns from the raw prices.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate, monthIndex } from '../../src/core/dates.js';
import { Panel } from '../../src/core/panel.js';
import { checkQuality, cleanBadTicks } from '../../src/core/quality.js';
import { readPanel } from '../../src/io/readPanel.js';
import { prepareFactorData, type FactorData } from '../../src/signals/factorData.js';
import { momentum } from '../../src/signals/momentum.js';
import { quantileLabels, quantileReturns } from '../../src/signals/quantiles.js';
import { factorRankAutocorrelation, quantileTurnover } from '../../src/signals/turnover.js';
import { DATA } from './data.js';

const SCRIPT = join(__dirname, 'python', 'quantiles_reference.py');
const PYTHON = '/usr/bin/python3';
const Q = 5;

function requireData(path: string): void {
  if (!existsSync(path))
    throw new Error(`real-data file ${path} is missing: these tests need ${DATA} (see its README.md); they never skip`);
}

interface RefHorizon {
  meanReturn: (number | null)[][];
  meanOverDates: number[];
  stdError: number[];
  demeaned: number[];
  spread: (number | null)[];
  spreadMean: number;
  spreadStd: number;
  factorWeighted: (number | null)[];
}
interface Ref {
  dates: string[];
  labels: number[];
  groupLabels: (number | null)[];
  turnover: (number | null)[][];
  rankAutocorrelation: (number | null)[];
  forwardCheck?: Record<string, number>;
  [h: string]: unknown;
}

function python(args: string[]): Ref {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: apt-get install python3-pandas python3-scipy python3-statsmodels python3-sklearn`);
  const res = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) {
    const missing = /ModuleNotFoundError|No module named/.test(res.stderr);
    throw new Error(
      `${SCRIPT} failed${missing ? ' (a Python module is missing: apt-get install python3-pandas python3-statsmodels python3-sklearn)' : ''}:\n${res.stderr}`,
    );
  }
  return JSON.parse(res.stdout) as Ref;
}

function expectClose(a: number, b: number | null | undefined, what: string, tol = 1e-9): void {
  if (b === null || b === undefined) {
    expect(a, what).toBeNaN();
    return;
  }
  const err = Math.abs(a - b);
  if (!(err <= tol * Math.max(1, Math.abs(b)))) expect.fail(`${what}: ${a} vs reference ${b} (|diff| ${err})`);
}

/** FactorData as a long CSV: date,asset,factor,group,entry,fwd<h>... (cells with a factor value). */
function writeLong(fd: FactorData, file: string): { t: number; j: number }[] {
  const cells: { t: number; j: number }[] = [];
  const lines = [`date,asset,factor,group,entry,${fd.horizons.map((h) => `fwd${h}`).join(',')}`];
  const m = fd.assets.length;
  for (let t = 0; t < fd.dates.length; t++) {
    const d = formatIsoDate(fd.dates[t]),
      entry = formatIsoDate(fd.priceDates[fd.entryRows[t]]);
    for (let j = 0; j < m; j++) {
      const f = fd.factor.at(t, j);
      if (!(f === f)) continue;
      cells.push({ t, j });
      const g = fd.groups !== undefined ? fd.groups.names[fd.groups.codes[t * m + j]] : 'all';
      lines.push(`${d},${fd.assets[j]},${f},${g},${entry},${fd.horizons.map((h) => String(fd.forward.get(h)?.at(t, j))).join(',')}`);
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return cells;
}

function compare(fd: FactorData, ref: Ref, cells: { t: number; j: number }[], lag: number): void {
  const m = fd.assets.length;
  expect(ref.dates).toEqual(Array.from(fd.dates, formatIsoDate));
  const labels = quantileLabels(fd.factor, { binning: Q });
  expect(labels.unlabeled).toBe(0);
  expect(cells.map(({ t, j }) => labels.labels[t * m + j])).toEqual(ref.labels);
  if (fd.groups !== undefined) {
    const gl = quantileLabels(fd.factor, { binning: Q, byGroup: true, groups: fd.groups });
    expect(cells.map(({ t, j }) => gl.labels[t * m + j] || null)).toEqual(ref.groupLabels);
  }
  for (const h of fd.horizons) {
    const r = ref[String(h)] as RefHorizon;
    const res = quantileReturns(labels, fd.forward.get(h) as Panel, { horizon: h, factor: fd.factor });
    for (let k = 0; k < Q; k++) {
      for (let t = 0; t < fd.dates.length; t++) expectClose(res.equal.perDate[k][t], r.meanReturn[k][t], `h=${h} q=${k + 1} date ${t}`);
      expectClose(res.equal.meanOverDates[k], r.meanOverDates[k], `h=${h} q=${k + 1} mean over dates`);
      expectClose(res.equal.stdError[k], r.stdError[k], `h=${h} q=${k + 1} std error`);
      expectClose(res.demeaned.meanOverDates[k], r.demeaned[k], `h=${h} q=${k + 1} demeaned`);
    }
    for (let t = 0; t < fd.dates.length; t++) {
      expectClose(res.equal.spread[t], r.spread[t], `h=${h} spread ${t}`);
      expectClose(res.factorWeighted?.perDate[t] ?? NaN, r.factorWeighted[t], `h=${h} factor-weighted ${t}`);
    }
    expectClose(res.equal.spreadStats.mean, r.spreadMean, `h=${h} spread mean`);
    expectClose(res.equal.spreadStats.std, r.spreadStd, `h=${h} spread std`);
  }
  const tv = quantileTurnover(labels, lag);
  for (let k = 0; k < Q; k++)
    for (let t = 0; t < fd.dates.length; t++) expectClose(tv.perDate[k][t], ref.turnover[k][t], `turnover q=${k + 1} date ${t}`);
  const ac = factorRankAutocorrelation(fd.factor, lag);
  for (let t = 0; t < fd.dates.length; t++) expectClose(ac.perDate[t], ref.rankAutocorrelation[t], `rank autocorrelation ${t}`);
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'factorlab-quantiles-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('S&P 500 12-1 momentum, monthly, GICS sectors', () => {
  it('labels, quantile means, spreads, turnover match pandas / alphalens conventions', async () => {
    const file = join(DATA, 'us', 'us_sp500_adj_ohlcv_2005_2017.csv.gz');
    const gicsFile = join(DATA, 'us', 'nyse_securities_gics_2017.csv');
    requireData(file);
    requireData(gicsFile);
    const raw = (await readPanel(file, { assetCol: 'ticker', valueCol: 'close', kind: 'prices' })).panel;
    const prices = cleanBadTicks(raw, checkQuality(raw, { maxFindingsPerKind: 1000 }));
    const mom = momentum(prices);
    const rows: number[] = [];
    for (let t = 0; t + 1 < prices.nDates; t++) if (monthIndex(prices.dates[t + 1]) !== monthIndex(prices.dates[t])) rows.push(t);
    const m = prices.nAssets;
    const fv = new Float64Array(rows.length * m);
    rows.forEach((t, i) => fv.set(mom.values.subarray(t * m, (t + 1) * m), i * m));
    const factor = new Panel(
      Int32Array.from(rows, (t) => prices.dates[t]),
      prices.assets,
      fv,
    );
    const sectors: Record<string, string> = {};
    for (const line of readFileSync(gicsFile, 'utf8').split('\n').slice(1)) {
      if (line.trim() === '') continue;
      const f = line.slice(1, -1).split('","');
      sectors[f[0]] = f[3];
    }
    const fd = prepareFactorData({ factor, prices, horizons: [1, 21], groups: sectors });
    expect(fd.periodsPerYear).toBe(12);
    expect(fd.dates.length).toBeGreaterThan(130);
    expect(fd.groups?.names.length).toBe(11);
    const long = join(dir, 'sp500.csv');
    const cells = writeLong(fd, long);
    expect(cells.length).toBeGreaterThan(50_000);
    const ref = python([long, '1,21', String(Q), '1']);
    compare(fd, ref, cells, 1);
  });
});

describe('SSE 50 sample, P/E factor, industries', () => {
  it('labels, quantile means, spreads, turnover and forward returns match pandas', async () => {
    const pricesFile = join(DATA, 'cn', 'sse50_2021q1_prices.csv');
    const factorFile = join(DATA, 'cn', 'sse50_2021q1_factor.csv');
    const idxFile = join(DATA, 'cn', 'sse50_2021q1_stock_2_idx.csv');
    requireData(pricesFile);
    requireData(factorFile);
    requireData(idxFile);
    const prices = (await readPanel(pricesFile, { kind: 'prices' })).panel;
    const factor = (await readPanel(factorFile, { assetCol: 'asset', valueCol: 'factor_value' })).panel;
    const industries = new Map<string, string>();
    for (const line of readFileSync(idxFile, 'utf8').split('\n')) {
      const [a, g] = line.trim().split(',');
      if (a !== undefined && g !== undefined && a !== '') industries.set(a, g);
    }
    const fd = prepareFactorData({ factor, prices, horizons: [1, 5], groups: industries });
    expect(fd.dates.length).toBe(36);
    expect(fd.dataLoss.initial).toBe(1728);
    const long = join(dir, 'sse.csv');
    const cells = writeLong(fd, long);
    const ref = python([long, '1,5', String(Q), '5', pricesFile]);
    for (const h of ['1', '5']) expect(ref.forwardCheck?.[h], `forward returns h=${h} vs pandas`).toBeLessThan(1e-15);
    compare(fd, ref, cells, 5);
  });
});
