/**
 * alphalens' own published hand cases, reproduced through factorlab's public API.
 *
 * Source: quantopian/alphalens (master, 77084f1) `alphalens/tests/test_performance.py` and
 * `alphalens/tests/test_utils.py` (the same cases and expected values are in
 * stefan-jansen/alphalens-reloaded `tests/`). Each `it` names the alphalens test and its
 * parameter row (0-based, in the order of `parameterized.expand`). Only the rows that factorlab
 * computes are here; where alphalens' convention and factorlab's documented definition differ on
 * purpose the test checks factorlab's own definition on the same input and says so.
 */
import { describe, expect, it } from 'vitest';
import { calendarFromIso, type Calendar } from '../core/calendar.js';
import { dayOfWeek, formatIsoDate, parseIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { alphaBeta } from '../backtest/performance.js';
import { denseWeights, isKeepAndBuy, signalProportional, type RuleContext } from '../backtest/rules.js';
import { eventReturns } from './eventReturns.js';
import { prepareFactorData } from './factorData.js';
import { resolveGroups, type GroupCodes } from './groups.js';
import { analyzeFactor } from './analyze.js';
import { icByGroup, icByPeriod, icMonthlyTable, informationCoefficient, icAnalysis } from './ic.js';
import { neutralize } from './preprocess.js';
import { quantileByGroup } from './quantileByGroup.js';
import { factorWeightedReturns, quantileLabels, quantileNav, quantileReturns, type BinSpec, type QuantileLabels } from './quantiles.js';
import { factorRankAutocorrelation, quantileTurnover } from './turnover.js';

const TOL = 1e-9;

/** |actual − expected| < 1e-9, or both NaN. */
function near(actual: number, expected: number, what = ''): void {
  if (Number.isNaN(expected)) {
    expect(actual, `${what} should be NaN`).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThan(TOL);
}

function nearAll(actual: ArrayLike<number>, expected: readonly number[], what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) near(actual[i], expected[i], `${what}[${i}]`);
}

/** `count` consecutive dates from `start`: every day ('D'), or Monday to Friday ('B'); `skip` drops dates. */
function dateRange(start: string, count: number, freq: 'D' | 'B', skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let d = parseIsoDate(start); out.length < count; d++) {
    if (freq === 'B' && dayOfWeek(d) >= 5) continue;
    const iso = formatIsoDate(d);
    if (skip.includes(iso)) continue;
    out.push(iso);
  }
  return out;
}

function panelOf(dates: readonly string[] | Calendar, assets: readonly string[], rows: readonly (readonly number[])[]): Panel {
  const cal = dates instanceof Int32Array ? dates : calendarFromIso(dates as string[]);
  return new Panel(cal, assets, Float64Array.from(rows.flat()));
}

/** Prices `r_j ** i` for i = 1..n (alphalens' test price frames). */
function powerPrices(dates: readonly string[], assets: readonly string[], r: readonly number[]): Panel {
  return panelOf(
    dates,
    assets,
    dates.map((_, t) => r.map((x) => x ** (t + 1))),
  );
}

/** The non-NaN cells of a panel in alphalens' stacked order (date, then asset). */
function stackedCells(p: Panel): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < p.nDates; t++) for (let j = 0; j < p.nAssets; j++) if (!Number.isNaN(p.at(t, j))) out.push([t, j]);
  return out;
}

/** Labels (0 = none) read at the given cells, NaN for 0, as alphalens' `factor_quantile`. */
function labelsAt(l: QuantileLabels, cells: [number, number][]): number[] {
  const m = l.assets.length;
  return cells.map(([t, j]) => (l.labels[t * m + j] === 0 ? NaN : l.labels[t * m + j]));
}

function labelsPanel(dates: readonly string[], assets: readonly string[], rows: number[][], quantiles: number): QuantileLabels {
  return {
    dates: calendarFromIso(dates as string[]),
    assets,
    quantiles,
    labels: Int32Array.from(rows.flat()),
    unlabeled: 0,
    singleValueSections: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// test_performance.py: PerformanceTestCase.factor_data
// ---------------------------------------------------------------------------------------------
const PERF_DATES = ['2015-01-01', '2015-01-02'];
const ABCD = ['A', 'B', 'C', 'D'];
const PERF_FACTOR = panelOf(PERF_DATES, ABCD, [
  [1, 2, 3, 4],
  [4, 3, 2, 1],
]);
const PERF_GROUP_MAP = { A: '1', B: '1', C: '2', D: '2' };
const perfGroups = (): GroupCodes => resolveGroups(PERF_GROUP_MAP, PERF_FACTOR.dates, ABCD);
const fwdOf = (vals: number[], factor = PERF_FACTOR): Panel => new Panel(factor.dates, factor.assets, Float64Array.from(vals));

describe('alphalens test_performance.py: test_information_coefficient', () => {
  // factor_information_coefficient is Spearman per date (factorlab `spearman`).
  it('row 0: fwd [4,3,2,1,1,2,3,4], no group_adjust, no by_group -> [-1, -1]', () => {
    const ic = informationCoefficient(PERF_FACTOR, fwdOf([4, 3, 2, 1, 1, 2, 3, 4]));
    nearAll(ic.spearman, [-1, -1], 'rank IC');
  });
  it('row 1: fwd [1,2,3,4,4,3,2,1], no group_adjust, no by_group -> [1, 1]', () => {
    const ic = informationCoefficient(PERF_FACTOR, fwdOf([1, 2, 3, 4, 4, 3, 2, 1]));
    nearAll(ic.spearman, [1, 1], 'rank IC');
  });
  it('row 2: by_group -> (date, group) [1, 1, 1, 1] (icByGroup, two names a group: minAssets 2)', () => {
    const g = icByGroup(PERF_FACTOR, fwdOf([1, 2, 3, 4, 4, 3, 2, 1]), perfGroups(), { minAssets: 2 });
    expect(g.groups).toEqual(['1', '2']);
    // alphalens index order (date, group): (d1,1), (d1,2), (d2,1), (d2,2)
    nearAll([g.spearman[0][0], g.spearman[1][0], g.spearman[0][1], g.spearman[1][1]], [1, 1, 1, 1], 'rank IC by group');
  });
  it('row 3: group_adjust + by_group -> [1, 1, 1, 1] (forward returns group-demeaned by neutralize, then icByGroup)', () => {
    // group_adjust = utils.demean_forward_returns by (date, group): factorlab `neutralize` on group dummies
    const groups = perfGroups();
    const adjusted = neutralize(fwdOf([1, 2, 3, 4, 4, 3, 2, 1]), { groups });
    const g = icByGroup(PERF_FACTOR, adjusted, groups, { minAssets: 2 });
    nearAll([g.spearman[0][0], g.spearman[1][0], g.spearman[0][1], g.spearman[1][1]], [1, 1, 1, 1], 'rank IC by group');
  });
});

describe('alphalens test_performance.py: test_information_coefficient, through the whole analysis', () => {
  it('row 3: group_adjust + by_group -> [1, 1, 1, 1] (analyzeFactor with groupAdjust: the returns demeaned in the prepared data)', () => {
    // prices whose 1-row forward returns are the case's: p0 = 1, p1 = 1 + fwd(d1), p2 = p1 (1 + fwd(d2))
    const fwd = [1, 2, 3, 4, 4, 3, 2, 1];
    const dates = calendarFromIso(['2015-01-01', '2015-01-02', '2015-01-05']);
    const p1 = fwd.slice(0, 4).map((x) => 1 + x);
    const prices = new Panel(dates, ABCD, Float64Array.from([1, 1, 1, 1, ...p1, ...p1.map((x, j) => x * (1 + fwd[4 + j]))]));
    const factor = panelOf(['2015-01-01', '2015-01-02'], ABCD, [
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ]);
    const r = analyzeFactor({ factor, prices }, { horizons: [1], groups: PERF_GROUP_MAP, groupAdjust: true, minAssets: 2, quantiles: 2 });
    const g = r.icByGroup?.['1'];
    expect(g?.groups).toEqual(['1', '2']);
    nearAll([g?.spearman[0][0], g?.spearman[1][0], g?.spearman[0][1], g?.spearman[1][1]].map(Number), [1, 1, 1, 1], 'rank IC by group');
    // and the returns the statistics saw are demeaned within each (date, group)
    const f = r.data.forward.get(1) as Panel;
    for (let t = 0; t < 2; t++) {
      near(f.at(t, 0) + f.at(t, 1), 0, 'group 1 sums to 0');
      near(f.at(t, 2) + f.at(t, 3), 0, 'group 2 sums to 0');
    }
  });
});

describe('alphalens test_performance.py: test_mean_information_coefficient', () => {
  it("row 0: by_time 'D' -> the daily ICs [-1, -1]", () => {
    const ic = informationCoefficient(PERF_FACTOR, fwdOf([4, 3, 2, 1, 1, 2, 3, 4]));
    nearAll(ic.spearman, [-1, -1], 'rank IC');
  });
  it("row 1: by_time 'W' -> [1] (both dates lie in the week ending 2015-01-04: the mean over the sample, and the month's)", () => {
    const a = icAnalysis(PERF_FACTOR, fwdOf([1, 2, 3, 4, 4, 3, 2, 1]));
    near(a.summary.spearman.mean, 1, 'mean rank IC');
    const table = icMonthlyTable(PERF_FACTOR.dates, a.spearman);
    near(table.mean[0][0], 1, 'January 2015 mean rank IC');
    const weekly = icByPeriod(PERF_FACTOR.dates, a.spearman, 'weekly'); // alphalens by_time='W'
    expect(weekly.periods).toEqual(['2015-01-04']);
    nearAll(weekly.mean, [1], "mean rank IC by_time 'W'");
  });
  it('row 2: by_group -> per-group mean [1, 1]', () => {
    const g = icByGroup(PERF_FACTOR, fwdOf([1, 2, 3, 4, 4, 3, 2, 1]), perfGroups(), { minAssets: 2 });
    nearAll(
      g.summary.map((s) => s.spearman.mean),
      [1, 1],
      'mean rank IC by group',
    );
  });
  it("row 3: by_group, by_time 'W' -> [1, 1] (one week: the per-group mean over the sample)", () => {
    const g = icByGroup(PERF_FACTOR, fwdOf([1, 2, 3, 4, 4, 3, 2, 1]), perfGroups(), { minAssets: 2 });
    nearAll(
      g.summary.map((s) => s.spearman.mean),
      [1, 1],
      'mean rank IC by group',
    );
    nearAll(
      g.spearman.map((series) => icByPeriod(PERF_FACTOR.dates, series, 'weekly').mean[0]),
      [1, 1],
      "mean rank IC by group, by_time 'W'",
    );
  });
});

describe('alphalens test_performance.py: test_mean_return_by_quantile (bins, by_date=False, demeaned=False)', () => {
  const tickers = ['A', 'B', 'C', 'D', 'E', 'F'];
  const groups = { A: '1', B: '1', C: '1', D: '2', E: '2', F: '2' };
  const priceDates = dateRange('2015-01-11', 4, 'D');
  const factorDates = priceDates.slice(0, 3);
  const cases: { row: number; rets: number[]; factor: number[][]; bins: number; byGroup: boolean; expected: number[] }[] = [
    {
      row: 0,
      rets: [1.1, 1.2, 1.1, 1.2, 1.1, 1.2],
      factor: [
        [1, 2, 1, 2, 1, 2],
        [1, 2, 1, 2, 1, 2],
        [1, 2, 1, 2, 1, 2],
      ],
      bins: 2,
      byGroup: false,
      expected: [0.1, 0.2],
    },
    {
      row: 1,
      rets: [1.1, 1.2, 1.1, 1.2, 1.1, 1.2],
      factor: [
        [1, 2, 1, 2, 1, 2],
        [1, 2, 1, 2, 1, 2],
        [1, 2, 1, 2, 1, 2],
      ],
      bins: 2,
      byGroup: true,
      expected: [0.1, 0.1, 0.2, 0.2],
    },
    {
      row: 2,
      rets: [1.1, 1.1, 1.1, 1.2, 1.2, 1.2],
      factor: [
        [1, 2, 3, 1, 2, 3],
        [1, 2, 3, 1, 2, 3],
        [1, 2, 3, 1, 2, 3],
      ],
      bins: 3,
      byGroup: false,
      expected: [0.15, 0.15, 0.15],
    },
    {
      row: 3,
      rets: [1.1, 1.1, 1.1, 1.2, 1.2, 1.2],
      factor: [
        [1, 2, 3, 1, 2, 3],
        [1, 2, 3, 1, 2, 3],
        [1, 2, 3, 1, 2, 3],
      ],
      bins: 3,
      byGroup: true,
      expected: [0.1, 0.2, 0.1, 0.2, 0.1, 0.2],
    },
    {
      row: 4,
      rets: [1.5, 1.5, 1.2, 1.0, 1.0, 1.0],
      factor: [
        [1, 1, 2, 2, 2, 2],
        [2, 2, 1, 2, 2, 2],
        [2, 2, 1, 2, 2, 2],
      ],
      bins: 2,
      byGroup: false,
      expected: [0.3, 0.15],
    },
    {
      row: 5,
      rets: [1.5, 1.5, 1.2, 1.0, 1.0, 1.0],
      factor: [
        [1, 1, 3, 2, 2, 2],
        [3, 3, 1, 2, 2, 2],
        [3, 3, 1, 2, 2, 2],
      ],
      bins: 3,
      byGroup: false,
      expected: [0.3, 0.0, 0.4],
    },
    {
      row: 6,
      rets: [1.6, 1.6, 1.0, 1.0, 1.0, 1.0],
      factor: [
        [1, 1, 2, 2, 2, 2],
        [2, 2, 1, 1, 1, 1],
        [2, 2, 1, 1, 1, 1],
      ],
      bins: 2,
      byGroup: false,
      expected: [0.2, 0.4],
    },
    {
      row: 7,
      rets: [1.6, 1.6, 1.0, 1.6, 1.6, 1.0],
      factor: [
        [1, 1, 2, 1, 1, 2],
        [2, 2, 1, 2, 2, 1],
        [2, 2, 1, 2, 2, 1],
      ],
      bins: 2,
      byGroup: true,
      expected: [0.2, 0.2, 0.4, 0.4],
    },
  ];
  for (const c of cases) {
    it(`row ${c.row}: bins ${c.bins}${c.byGroup ? ', by_group' : ''} -> [${c.expected.join(', ')}]`, () => {
      const fd = prepareFactorData({
        factor: panelOf(factorDates, tickers, c.factor),
        prices: powerPrices(priceDates, tickers, c.rets),
        horizons: [1],
        groups,
      });
      const labels = quantileLabels(fd.factor, { binning: { bins: c.bins } });
      const forward = fd.forward.get(1) as Panel;
      if (!c.byGroup) {
        nearAll(quantileReturns(labels, forward, { horizon: 1 }).equal.meanOverDates, c.expected, 'mean by quantile');
      } else {
        const g = quantileByGroup(labels, forward, fd.groups as GroupCodes);
        expect(g.groups).toEqual(['1', '2']);
        // alphalens index order (factor_quantile, group)
        const got: number[] = [];
        for (let q = 0; q < c.bins; q++) for (let k = 0; k < 2; k++) got.push(g.meanOverDates[k][q]);
        nearAll(got, c.expected, 'mean by quantile and group');
      }
    });
  }
});

describe('alphalens test_performance.py: test_quantile_turnover', () => {
  const up = [1, 2, 3, 4],
    down = [4, 3, 2, 1],
    swap = [1, 3, 2, 4];
  const t1 = [up, down, up, up],
    t2 = [up, up, up, up],
    t3 = [up, down, up, down];
  const t4 = [up, swap, up, swap, up, swap, up, swap, up, swap, up, swap];
  const t5 = [up, swap, up, swap, up, swap, up, swap, up, swap, up, up];
  const n = NaN;
  const cases: { rows: number[][]; q: number; period: number; expected: number[] }[] = [
    { rows: t1, q: 4, period: 1, expected: [n, 1, 1, 0] },
    { rows: t1, q: 4, period: 2, expected: [n, n, 0, 1] },
    { rows: t1, q: 4, period: 3, expected: [n, n, n, 0] },
    { rows: t2, q: 3, period: 1, expected: [n, 0, 0, 0] },
    { rows: t2, q: 3, period: 2, expected: [n, n, 0, 0] },
    { rows: t2, q: 3, period: 3, expected: [n, n, n, 0] },
    { rows: t3, q: 2, period: 1, expected: [n, 1, 1, 1] },
    { rows: t4, q: 3, period: 4, expected: [n, n, n, n, 0, 0, 0, 0, 0, 0, 0, 0] },
    { rows: t5, q: 3, period: 10, expected: [n, n, n, n, n, n, n, n, n, n, 0, 1] },
  ];
  // each case appears twice in alphalens, with freq '1B' (rows 2k) and '1D' (rows 2k + 1); factorlab counts rows
  cases.forEach((c, k) => {
    for (const [freq, row] of [
      ['B', 2 * k],
      ['D', 2 * k + 1],
    ] as const) {
      it(`row ${row}: freq 1${freq}, quantile ${c.q}, period ${c.period}`, () => {
        const l = labelsPanel(dateRange('2015-01-01', c.rows.length, freq), ABCD, c.rows, 4);
        nearAll(quantileTurnover(l, c.period).perDate[c.q - 1], c.expected, 'turnover');
      });
    }
  });
});

describe('alphalens test_performance.py: test_factor_rank_autocorrelation', () => {
  const up = [1, 2, 3, 4],
    down = [4, 3, 2, 1],
    mix = [2, 1, 4, 3];
  const n = NaN;
  const cases: { rows: number[][]; period: number; expected: number[] }[] = [
    { rows: [up, up, up, up], period: 1, expected: [n, 1, 1, 1] },
    { rows: [down, up, down, up], period: 1, expected: [n, -1, -1, -1] },
    {
      rows: [up, mix, down, up, mix, down, mix, down, up, mix, mix, down],
      period: 3,
      expected: [n, n, n, 1, 1, 1, 0.6, -0.6, -1, 1, -0.6, -1],
    },
  ];
  cases.forEach((c, k) => {
    for (const [freq, row] of [
      ['B', 2 * k],
      ['D', 2 * k + 1],
    ] as const) {
      it(`row ${row}: freq 1${freq}, period ${c.period}`, () => {
        const p = panelOf(dateRange('2015-01-01', c.rows.length, freq), ABCD, c.rows);
        nearAll(factorRankAutocorrelation(p, c.period).perDate, c.expected, 'rank autocorrelation');
      });
    }
  });
});

// every row of test_factor_weights and test_factor_returns, group_adjust and equal_weight too, is
// also checked through factorWeights / factorReturns in factorWeights.test.ts
describe('alphalens test_performance.py: test_factor_weights', () => {
  const tickers = ['A', 'B', 'C', 'D', 'E'];
  const dates = dateRange('2000-01-12', 3, 'D');
  const n = NaN;

  it('row 0: demeaned=False, group_adjust=False, equal_weight=False -> f / sum|f| (backtest signalProportional)', () => {
    const rows = [
      [3, 4, 2, 1, n],
      [3, 4, -2, -1, n],
      [3, n, n, 1, 4],
    ];
    const expected = [0.3, 0.4, 0.2, 0.1, 0.3, 0.4, -0.2, -0.1, 0.375, 0.125, 0.5];
    const rule = signalProportional();
    const got: number[] = [];
    const hist = panelOf(dates, tickers, rows);
    rows.forEach((r, t) => {
      const ctx: RuleContext = {
        row: t,
        date: hist.dates[t],
        assets: tickers,
        signal: Float64Array.from(r),
        tradable: new Uint8Array(tickers.length).fill(1),
        current: new Float64Array(tickers.length),
        history: () => hist,
      };
      const target = rule(ctx);
      if (isKeepAndBuy(target)) throw new Error('weights expected');
      const w = denseWeights(target, tickers.length);
      r.forEach((v, j) => {
        if (!Number.isNaN(v)) got.push(w[j]);
      });
    });
    nearAll(got, expected, 'weights');
  });

  it('row 1: demeaned=True, group_adjust=False, equal_weight=False -> (f - mean f) / sum|f - mean f| (factorWeightedReturns of unit returns)', () => {
    const rows = [
      [3, 4, 2, 1, n],
      [3, 4, -2, -1, n],
      [3, n, n, 1, 4],
    ];
    const expected = [0.125, 0.375, -0.125, -0.375, 0.2, 0.3, -0.3, -0.2, 0.1, -0.5, 0.4];
    const factor = panelOf(dates, tickers, rows);
    // the weight of asset k on date t is the factor-weighted return when asset k returns 1 and the others 0
    const w = tickers.map((_, k) =>
      factorWeightedReturns(
        factor,
        panelOf(
          dates,
          tickers,
          rows.map((r) => r.map((v, j) => (Number.isNaN(v) ? NaN : j === k ? 1 : 0))),
        ),
      ),
    );
    nearAll(
      stackedCells(factor).map(([t, j]) => w[j][t]),
      expected,
      'weights',
    );
  });
});

describe('alphalens test_performance.py: test_factor_returns (demeaned=True)', () => {
  it('row 0: factor [1,2,3,4,4,3,2,1], fwd [4,3,2,1,1,2,3,4], group_adjust=False -> [-1.25, -1.25]', () => {
    nearAll(factorWeightedReturns(PERF_FACTOR, fwdOf([4, 3, 2, 1, 1, 2, 3, 4])), [-1.25, -1.25], 'factor returns');
  });
  it('row 1: constant factor, group_adjust=False -> [NaN, NaN]', () => {
    const flat = fwdOf([1, 1, 1, 1, 1, 1, 1, 1]);
    nearAll(factorWeightedReturns(flat, fwdOf([4, 3, 2, 1, 1, 2, 3, 4])), [NaN, NaN], 'factor returns');
  });
});

describe('alphalens test_performance.py: test_factor_alpha_beta', () => {
  it('row 0: fwd [1,2,3,4,1,1,1,1] -> Ann. alpha -1, beta 5/6 (factorWeightedReturns on the universe mean, backtest alphaBeta, 252 periods)', () => {
    const fwd = fwdOf([1, 2, 3, 4, 1, 1, 1, 1]);
    const factorReturns = factorWeightedReturns(PERF_FACTOR, fwd);
    // universe mean return per date: the one quantile that holds every name
    const universe = quantileReturns(quantileLabels(PERF_FACTOR, { binning: 1 }), fwd, { horizon: 1 }).equal.perDate[0];
    nearAll(universe, [2.5, 1], 'universe mean');
    const ab = alphaBeta(factorReturns, universe, 252);
    near(ab.beta, 5 / 6, 'beta');
    near(ab.alpha, -1, 'annualised alpha');
  });
});

describe('alphalens test_performance.py: test_cumulative_returns', () => {
  const cases: { returns: number[]; expected: number[] }[] = [
    { returns: [1.0, 0.5, 1.0, 0.5, 0.5], expected: [2.0, 3.0, 6.0, 9.0, 13.5] },
    { returns: [0.1, 0.1, 0.1, 0.1, 0.1], expected: [1.1, 1.21, 1.331, 1.4641, 1.61051] },
    { returns: [-0.1, -0.1, -0.1, -0.1, -0.1], expected: [0.9, 0.81, 0.729, 0.6561, 0.59049] },
  ];
  // alphalens rows 0-2 use freq '1D', 3-5 '1B', 6-8 CDay(weekmask 'Tue Wed Thu Fri Sun'); period '1D'
  const calendars: [string, string[]][] = [
    ['1D', dateRange('1999-01-01', 5, 'D')],
    ['1B', dateRange('1999-01-01', 5, 'B')],
    ['1CD', ['1999-01-01', '1999-01-03', '1999-01-05', '1999-01-06', '1999-01-07']],
  ];
  calendars.forEach(([freq, dates], f) => {
    cases.forEach((c, k) => {
      it(`row ${3 * f + k}: freq ${freq}, returns [${c.returns.join(', ')}] (quantileNav, step 1)`, () => {
        const nav = quantileNav(calendarFromIso(dates), [Float64Array.from(c.returns)], 1, NaN);
        nearAll(nav.values[0], c.expected, 'cumulative returns');
      });
    });
  });
});

describe('alphalens test_performance.py: test_common_start_returns (mean_by_date=True, demean_by=factor)', () => {
  // factor on 2015-01-21..29, the frame r**i on 2015-01-17..02-02; mean_by_date with one quantile
  // holding every name, demeaned by that same universe: every mean and std is 0.
  const priceDates = dateRange('2015-01-17', 17, 'D');
  const prices = powerPrices(priceDates, ABCD, [1.2, 1.4, 0.9, 0.8]);
  const factor = panelOf(
    dateRange('2015-01-21', 9, 'D'),
    ABCD,
    Array.from({ length: 9 }, () => [3, 4, 2, 1]),
  );
  for (const [row, before, after] of [
    [3, 1, 4],
    [7, 6, 6],
  ] as const) {
    it(`row ${row}: before ${before}, after ${after}, mean_by_date, demeaned -> mean 0, std 0 at every offset`, () => {
      const fd = prepareFactorData({ factor, prices, horizons: [1], minAssets: 1 });
      const labels = quantileLabels(fd.factor, { binning: 1 });
      const ev = eventReturns({ prices, entryRows: fd.entryRows, labels }, { before, after, demeaned: true });
      expect(ev.offsets).toEqual(Array.from({ length: before + after + 1 }, (_, i) => i - before));
      nearAll(ev.mean[0], new Array<number>(before + after + 1).fill(0), 'mean');
      nearAll(ev.std[0], new Array<number>(before + after + 1).fill(0), 'std');
    });
  }
});

describe('alphalens test_performance.py: test_average_cumulative_return_by_quantile', () => {
  it('row 2: before 3, after 0, demeaned=False, 4 quantiles -> p(t+k)/p(t) - 1 per quantile', () => {
    const priceDates = dateRange('2015-01-15', 18, 'D');
    const prices = powerPrices(priceDates, ABCD, [1.25, 1.5, 1.0, 0.5]);
    const factor = panelOf(
      dateRange('2015-01-21', 6, 'D'),
      ABCD,
      Array.from({ length: 6 }, () => [3, 4, 2, 1]),
    );
    const fd = prepareFactorData({ factor, prices, horizons: [1], minAssets: 1 });
    const labels = quantileLabels(fd.factor, { binning: 4 });
    const ev = eventReturns({ prices, entryRows: fd.entryRows, labels }, { before: 3, after: 0, demeaned: false });
    const expected = [
      [7.0, 3.0, 1.0, 0.0],
      [0.0, 0.0, 0.0, 0.0],
      [0.0, 0.0, 0.0, 0.0],
      [0.0, 0.0, 0.0, 0.0],
      [-0.488, -0.36, -0.2, 0.0],
      [0.0, 0.0, 0.0, 0.0],
      [-0.703704, -0.55555555, -0.333333333, 0.0],
      [0.0, 0.0, 0.0, 0.0],
    ];
    for (let q = 0; q < 4; q++) {
      // alphalens prints -0.703704 (1.5^-3 - 1, to 6 decimals) and -0.55555555 (1.5^-2 - 1, cut at 8):
      // compare to the precision published
      const tol = q === 3 ? [1e-6, 1e-8, TOL, TOL] : [TOL, TOL, TOL, TOL];
      ev.mean[q].forEach((v, k) => expect(Math.abs(v - expected[2 * q][k])).toBeLessThan(tol[k]));
      nearAll(ev.std[q], expected[2 * q + 1], `std q${q + 1}`);
    }
  });
});

/**
 * The other rows of test_common_start_returns, test_average_cumulative_return_by_quantile and
 * test_average_cumulative_return_by_quantile_2 differ on purpose: alphalens master (since 32cfed8)
 * reads its `returns` frame as cumulative levels and averages the raw levels L(t + k) around the
 * event (e.g. 0.00512695 = mean of 0.5^6..0.5^11), while factorlab's documented definition
 * (eventReturns.ts, docs/definitions.md) is the cumulative return from day zero, p(t + k)/p(t) − 1.
 * On alphalens' inputs (prices r^i) that is r^k − 1 for every date, so by hand:
 *   mean_q(k) = mean over q's names of (r^k − 1) [− the same mean over every labelled name], std 0.
 */
describe("alphalens event-study rows, checked against factorlab's own definition (alphalens uses raw levels)", () => {
  const byHand = (sets: number[][], all: number[], k: number, q: number, demeaned: boolean): number => {
    const avg = (xs: number[]): number => xs.reduce((a, x) => a + (x ** k - 1), 0) / xs.length;
    return avg(sets[q]) - (demeaned ? avg(all) : 0);
  };
  const check = (
    ev: ReturnType<typeof eventReturns>,
    sets: number[][],
    all: number[],
    before: number,
    after: number,
    demeaned: boolean,
  ): void => {
    expect(ev.offsets).toEqual(Array.from({ length: before + after + 1 }, (_, i) => i - before));
    sets.forEach((_, q) => {
      nearAll(
        ev.mean[q],
        ev.offsets.map((k) => byHand(sets, all, k, q, demeaned)),
        `mean q${q + 1}`,
      );
      nearAll(ev.std[q], new Array<number>(ev.offsets.length).fill(0), `std q${q + 1}`);
    });
  };

  // test_common_start_returns rows 2 and 6: mean_by_date=True, demean_by=None (one quantile of every name)
  const csrRatios = [1.2, 1.4, 0.9, 0.8];
  const csrPrices = powerPrices(dateRange('2015-01-17', 17, 'D'), ABCD, csrRatios);
  const csrFactor = panelOf(
    dateRange('2015-01-21', 9, 'D'),
    ABCD,
    Array.from({ length: 9 }, () => [3, 4, 2, 1]),
  );
  for (const [row, before, after] of [
    [2, 3, 5],
    [6, 6, 6],
  ] as const) {
    it(`test_common_start_returns row ${row}: before ${before}, after ${after}, mean_by_date, not demeaned`, () => {
      const fd = prepareFactorData({ factor: csrFactor, prices: csrPrices, horizons: [1], minAssets: 1 });
      const labels = quantileLabels(fd.factor, { binning: 1 });
      const ev = eventReturns({ prices: csrPrices, entryRows: fd.entryRows, labels }, { before, after, demeaned: false });
      check(ev, [csrRatios], csrRatios, before, after, false);
    });
  }

  const ratios = [1.25, 1.5, 1.0, 0.5];
  // quantile sets of the ratios: factor [3, 4, 2, 1] -> 4 quantiles D, C, A, B; 2 quantiles {C, D}, {A, B}
  const sets4 = [[0.5], [1.0], [1.25], [1.5]],
    sets2 = [
      [1.0, 0.5],
      [1.25, 1.5],
    ];
  const acrPrices = powerPrices(dateRange('2015-01-15', 18, 'D'), ABCD, ratios);
  const acrFactor = panelOf(
    dateRange('2015-01-21', 6, 'D'),
    ABCD,
    Array.from({ length: 6 }, () => [3, 4, 2, 1]),
  );
  for (const [row, before, after, demeaned, q] of [
    [0, 1, 2, false, 4],
    [1, 1, 2, true, 4],
    [3, 0, 3, true, 4],
    [4, 3, 3, false, 2],
    [5, 3, 3, true, 2],
  ] as const) {
    it(`test_average_cumulative_return_by_quantile row ${row}: before ${before}, after ${after}, demeaned ${demeaned}, ${q} quantiles`, () => {
      const fd = prepareFactorData({
        factor: acrFactor,
        prices: acrPrices,
        horizons: Array.from({ length: Math.max(after, 1) }, (_, i) => i + 1),
      });
      const labels = quantileLabels(fd.factor, { binning: q });
      const ev = eventReturns({ prices: acrPrices, entryRows: fd.entryRows, labels }, { before, after, demeaned });
      check(ev, q === 4 ? sets4 : sets2, ratios, before, after, demeaned);
    });
  }

  // _2: six names, E moves as B (1.5) and F as C (1.0); A, B, C, D on 01-18 and 01-19, A, D, E, F on 01-20 and 01-21
  const n = NaN;
  const prices2 = powerPrices(dateRange('2015-01-15', 11, 'D'), ['A', 'B', 'C', 'D', 'E', 'F'], [1.25, 1.5, 1.0, 0.5, 1.5, 1.0]);
  const factor2 = panelOf(
    dateRange('2015-01-18', 4, 'D'),
    ['A', 'B', 'C', 'D', 'E', 'F'],
    [
      [3, 4, 2, 1, n, n],
      [3, 4, 2, 1, n, n],
      [3, n, n, 1, 4, 2],
      [3, n, n, 1, 4, 2],
    ],
  );
  for (const [row, before, after, demeaned, q] of [
    [0, 0, 2, false, 4],
    [1, 0, 3, true, 4],
    [2, 0, 3, false, 2],
    [3, 0, 3, true, 2],
  ] as const) {
    it(`test_average_cumulative_return_by_quantile_2 row ${row}: before ${before}, after ${after}, demeaned ${demeaned}, ${q} quantiles`, () => {
      const fd = prepareFactorData({ factor: factor2, prices: prices2, horizons: Array.from({ length: after }, (_, i) => i + 1) });
      const labels = quantileLabels(fd.factor, { binning: q });
      const ev = eventReturns({ prices: prices2, entryRows: fd.entryRows, labels }, { before, after, demeaned });
      check(ev, q === 4 ? sets4 : sets2, ratios, before, after, demeaned);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// test_utils.py
// ---------------------------------------------------------------------------------------------
describe('alphalens test_utils.py: compute_forward_returns', () => {
  const dates = dateRange('2015-01-01', 3, 'D');
  const prices = panelOf(
    dates,
    ['A', 'B'],
    [
      [1, 1],
      [1, 2],
      [2, 1],
    ],
  );
  it('test_compute_forward_returns: 1D [0, 1, 1, -0.5, NaN, NaN], 2D [1, 0, NaN x 4] (core forwardReturns)', () => {
    const fw = forwardReturns(prices, [1, 2]);
    nearAll((fw.get(1) as Panel).values, [0, 1, 1, -0.5, NaN, NaN], '1D');
    nearAll((fw.get(2) as Panel).values, [1, 0, NaN, NaN, NaN, NaN], '2D');
  });
  it('test_compute_forward_returns_index_out_of_bound: leading NaN price rows change nothing (prepareFactorData, pairwise)', () => {
    const pd = dateRange('2014-12-29', 6, 'D');
    const p = panelOf(
      pd,
      ['A', 'B'],
      [
        [NaN, NaN],
        [NaN, NaN],
        [NaN, NaN],
        [1, 1],
        [1, 2],
        [2, 1],
      ],
    );
    const factor = panelOf(
      dates,
      ['A', 'B'],
      [
        [1, 1],
        [1, 2],
        [2, 1],
      ],
    );
    const fd = prepareFactorData({ factor, prices: p, horizons: [1, 2], universe: 'pairwise', minAssets: 1, maxLoss: 1 });
    // the last factor date has no forward return (alphalens: NaN; factorlab drops the date)
    expect(fd.dates.length).toBe(2);
    nearAll((fd.forward.get(1) as Panel).values, [0, 1, 1, -0.5], '1D');
    nearAll((fd.forward.get(2) as Panel).values, [1, 0, NaN, NaN], '2D');
  });
  it('test_compute_forward_returns_non_cum: 2D non-cumulative [1, -0.5, NaN x 4] = the one-row return entered 1 row later (executionLag 1)', () => {
    const factor = panelOf(
      dates,
      ['A', 'B'],
      [
        [1, 1],
        [1, 2],
        [2, 1],
      ],
    );
    const fd = prepareFactorData({ factor, prices, horizons: [1], executionLag: 1, universe: 'pairwise', minAssets: 1, maxLoss: 1 });
    expect(fd.dates.length).toBe(1);
    nearAll((fd.forward.get(1) as Panel).values, [1, -0.5], '2D non-cumulative');
  });
});

describe('alphalens test_utils.py: test_quantize_factor', () => {
  const dates = ['2015-01-01', '2015-01-02'];
  const F = {
    assets: ABCD,
    rows: [
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ],
    groups: ['1', '1', '2', '2'],
  };
  // `columns=tickers.extend([...])` is None in alphalens, so the biased frame's columns are 0..7
  const BIASED = {
    assets: ['0', '1', '2', '3', '4', '5', '6', '7'],
    rows: [
      [-1, 3, -2, 4, -5, 7, -6, 8],
      [-4, 2, -3, 1, -8, 6, -7, 5],
    ],
    groups: ['1', '1', '2', '2', '1', '1', '2', '2'],
  };
  const n = NaN;
  type Data = typeof F;
  const cases: { row: number; data: Data; binning: BinSpec; byGroup: boolean; expected: number[]; note?: string }[] = [
    { row: 0, data: F, binning: { quantiles: 4 }, byGroup: false, expected: [1, 2, 3, 4, 4, 3, 2, 1] },
    { row: 1, data: F, binning: { quantiles: 2 }, byGroup: false, expected: [1, 1, 2, 2, 2, 2, 1, 1] },
    { row: 2, data: F, binning: { quantiles: 2 }, byGroup: true, expected: [1, 2, 1, 2, 2, 1, 2, 1] },
    { row: 9, data: F, binning: { quantileEdges: [0, 0.25, 0.5, 0.75, 1] }, byGroup: false, expected: [1, 2, 3, 4, 4, 3, 2, 1] },
    { row: 10, data: F, binning: { quantileEdges: [0, 0.5, 0.75, 1] }, byGroup: false, expected: [1, 1, 2, 3, 3, 2, 1, 1] },
    { row: 11, data: F, binning: { quantileEdges: [0, 0.25, 0.5, 1] }, byGroup: false, expected: [1, 2, 3, 3, 3, 3, 2, 1] },
    { row: 12, data: F, binning: { quantileEdges: [0, 0.5, 1] }, byGroup: false, expected: [1, 1, 2, 2, 2, 2, 1, 1] },
    { row: 13, data: F, binning: { quantileEdges: [0.25, 0.5, 0.75] }, byGroup: false, expected: [n, 1, 2, n, n, 2, 1, n] },
    { row: 14, data: F, binning: { quantileEdges: [0, 0.5, 1] }, byGroup: true, expected: [1, 2, 1, 2, 2, 1, 2, 1] },
    { row: 15, data: F, binning: { quantileEdges: [0.5, 1] }, byGroup: true, expected: [n, 1, n, 1, 1, n, 1, n] },
    { row: 16, data: F, binning: { quantileEdges: [0, 1] }, byGroup: true, expected: [1, 1, 1, 1, 1, 1, 1, 1] },
    { row: 17, data: F, binning: { bins: 4 }, byGroup: false, expected: [1, 2, 3, 4, 4, 3, 2, 1] },
    { row: 18, data: F, binning: { bins: 2 }, byGroup: false, expected: [1, 1, 2, 2, 2, 2, 1, 1] },
    { row: 19, data: F, binning: { bins: 3 }, byGroup: false, expected: [1, 1, 2, 3, 3, 2, 1, 1] },
    { row: 20, data: F, binning: { bins: 8 }, byGroup: false, expected: [1, 3, 6, 8, 8, 6, 3, 1] },
    { row: 21, data: F, binning: { binEdges: [0, 1, 2, 3, 5] }, byGroup: false, expected: [1, 2, 3, 4, 4, 3, 2, 1] },
    {
      row: 22,
      data: F,
      binning: { binEdges: [1, 2, 3] },
      byGroup: false,
      // alphalens (pd.cut, include_lowest=False): [NaN, 1, 2, NaN, NaN, 2, 1, NaN]. factorlab's documented
      // binEdges rule includes the first edge, so the value 1 (= the first edge) is labelled 1.
      expected: [1, 1, 2, n, n, 2, 1, 1],
      note: " (factorlab's documented rule: the first bin includes its lower edge)",
    },
    { row: 23, data: F, binning: { binEdges: [0, 2, 5] }, byGroup: false, expected: [1, 1, 2, 2, 2, 2, 1, 1] },
    { row: 24, data: F, binning: { binEdges: [0.5, 2.5, 4.5] }, byGroup: false, expected: [1, 1, 2, 2, 2, 2, 1, 1] },
    { row: 25, data: F, binning: { binEdges: [0.5, 2.5] }, byGroup: true, expected: [1, 1, n, n, n, n, 1, 1] },
    { row: 26, data: F, binning: { bins: 2 }, byGroup: true, expected: [1, 2, 1, 2, 2, 1, 2, 1] },
  ];
  for (const c of cases) {
    it(`row ${c.row}: ${JSON.stringify(c.binning)}${c.byGroup ? ', by_group' : ''}${c.note ?? ''}`, () => {
      const p = panelOf(dates, c.data.assets, c.data.rows);
      const groups = resolveGroups(Object.fromEntries(c.data.assets.map((a, j) => [a, c.data.groups[j]])), p.dates, c.data.assets);
      const l = quantileLabels(p, c.byGroup ? { binning: c.binning, byGroup: true, groups } : { binning: c.binning });
      nearAll(labelsAt(l, stackedCells(p)), c.expected, 'labels');
    });
  }

  // zero_aware: factorlab's `zeroAware` binning; checked too against the same labels composed from
  // two labelings, the non-negative values with Q/2 bins shifted up by Q/2 and the negative values with Q/2 bins.
  const zeroAware: { row: number; binning: (q: number) => BinSpec; q: number; byGroup: boolean; expected: number[] }[] = [
    { row: 3, binning: (q) => ({ quantiles: q }), q: 4, byGroup: false, expected: [2, 3, 2, 3, 1, 4, 1, 4, 2, 3, 2, 3, 1, 4, 1, 4] },
    { row: 4, binning: (q) => ({ quantiles: q }), q: 2, byGroup: false, expected: [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2] },
    { row: 5, binning: (q) => ({ quantiles: q }), q: 2, byGroup: true, expected: [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2] },
    { row: 6, binning: (q) => ({ bins: q }), q: 4, byGroup: false, expected: [2, 3, 2, 3, 1, 4, 1, 4, 2, 3, 2, 3, 1, 4, 1, 4] },
    { row: 7, binning: (q) => ({ bins: q }), q: 2, byGroup: false, expected: [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2] },
    { row: 8, binning: (q) => ({ bins: q }), q: 2, byGroup: true, expected: [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2] },
  ];
  for (const c of zeroAware) {
    it(`row ${c.row}: biased factor, ${JSON.stringify(c.binning(c.q))}${c.byGroup ? ', by_group' : ''}, zero_aware`, () => {
      const p = panelOf(dates, BIASED.assets, BIASED.rows);
      const groups = resolveGroups(Object.fromEntries(BIASED.assets.map((a, j) => [a, BIASED.groups[j]])), p.dates, BIASED.assets);
      const half = c.q / 2;
      const side = (keep: (v: number) => boolean): QuantileLabels => {
        const sub = new Panel(
          p.dates,
          p.assets,
          p.values.map((v) => (keep(v) ? v : NaN)),
        );
        return quantileLabels(sub, c.byGroup ? { binning: c.binning(half), byGroup: true, groups } : { binning: c.binning(half) });
      };
      const pos = side((v) => v >= 0),
        neg = side((v) => v < 0);
      const got = stackedCells(p).map(([t, j]) => {
        const i = t * p.nAssets + j;
        return pos.labels[i] > 0 ? pos.labels[i] + half : neg.labels[i] > 0 ? neg.labels[i] : NaN;
      });
      nearAll(got, c.expected, 'labels');
      const zb = { ...c.binning(c.q), zeroAware: true };
      const native = quantileLabels(p, c.byGroup ? { binning: zb, byGroup: true, groups } : { binning: zb });
      expect(native.quantiles).toBe(c.q);
      nearAll(labelsAt(native, stackedCells(p)), c.expected, 'labels');
    });
  }
});

describe('alphalens test_utils.py: get_clean_factor_and_forward_returns (daily)', () => {
  const tickers = ['A', 'B', 'C', 'D', 'E', 'F'];
  const groups = { A: '1', B: '2', C: '1', D: '2', E: '1', F: '2' };
  const r = [1.1, 0.5, 3.0, 0.9, 0.5, 1.0];
  const n = NaN;
  const block = [
    [3, 4, 2, 1, n, n],
    [3, n, n, 1, 4, 2],
    [3, 4, 2, 1, n, n],
  ];
  // [1D, 2D, 3D, factor, group, factor_quantile] per (date, asset), alphalens' expected_data
  const expectedBlock = [
    [0.1, 0.21, 0.331, 3.0, 1, 3],
    [-0.5, -0.75, -0.875, 4.0, 2, 4],
    [2.0, 8.0, 26.0, 2.0, 1, 2],
    [-0.1, -0.19, -0.271, 1.0, 2, 1],
    [0.1, 0.21, 0.331, 3.0, 1, 3],
    [-0.1, -0.19, -0.271, 1.0, 2, 1],
    [-0.5, -0.75, -0.875, 4.0, 1, 4],
    [0.0, 0.0, 0.0, 2.0, 2, 2],
    [0.1, 0.21, 0.331, 3.0, 1, 3],
    [-0.5, -0.75, -0.875, 4.0, 2, 4],
    [2.0, 8.0, 26.0, 2.0, 1, 2],
    [-0.1, -0.19, -0.271, 1.0, 2, 1],
  ];

  function check(factorDates: string[], priceDates: string[], rows: number[][], expected: number[][], minAssets?: number): void {
    const factor = panelOf(factorDates, tickers, rows);
    const fd = prepareFactorData({
      factor,
      prices: powerPrices(priceDates, tickers, r),
      horizons: [1, 2, 3],
      groups,
      ...(minAssets !== undefined ? { minAssets } : {}),
    });
    const labels = quantileLabels(fd.factor, { binning: 4 });
    const cells = stackedCells(fd.factor);
    expect(cells.length).toBe(expected.length);
    const g = fd.groups as GroupCodes;
    const m = fd.factor.nAssets;
    cells.forEach(([t, j], i) => {
      const e = expected[i];
      near((fd.forward.get(1) as Panel).at(t, j), e[0], `row ${i} 1D`);
      near((fd.forward.get(2) as Panel).at(t, j), e[1], `row ${i} 2D`);
      near((fd.forward.get(3) as Panel).at(t, j), e[2], `row ${i} 3D`);
      near(fd.factor.at(t, j), e[3], `row ${i} factor`);
      expect(g.names[g.codes[t * m + j]], `row ${i} group`).toBe(String(e[4]));
      expect(labels.labels[t * m + j], `row ${i} quantile`).toBe(e[5]);
    });
  }

  it('test_get_clean_factor_and_forward_returns_1: daily calendar 2015-01-11..16', () => {
    check(dateRange('2015-01-11', 3, 'D'), dateRange('2015-01-11', 6, 'D'), block, expectedBlock);
  });
  it('test_get_clean_factor_and_forward_returns_2: business-day calendar 2017-01-12..19', () => {
    check(dateRange('2017-01-12', 3, 'B'), dateRange('2017-01-12', 6, 'B'), block, expectedBlock);
  });
  it('test_get_clean_factor_and_forward_returns_4: an event factor, two names a date (minAssets 2)', () => {
    const rows = [
      [1, n, n, n, n, 6],
      [4, n, n, 7, n, n],
      [n, n, n, n, n, n],
      [n, 3, n, 2, n, n],
      [n, n, 1, n, 3, n],
    ];
    const expected = [
      [0.1, 0.21, 0.331, 1.0, 1, 1],
      [0.0, 0.0, 0.0, 6.0, 2, 4],
      [0.1, 0.21, 0.331, 4.0, 1, 1],
      [-0.1, -0.19, -0.271, 7.0, 2, 4],
      [-0.5, -0.75, -0.875, 3.0, 2, 4],
      [-0.1, -0.19, -0.271, 2.0, 2, 1],
      [2.0, 8.0, 26.0, 1.0, 1, 1],
      [-0.5, -0.75, -0.875, 3.0, 1, 4],
    ];
    check(dateRange('2017-01-12', 5, 'B'), dateRange('2017-01-12', 8, 'B'), rows, expected, 2);
  });
  it('test_get_clean_factor_and_forward_returns_6: business days with holidays 2017-01-13, 01-18, 01-30, 02-07', () => {
    const holidays = ['2017-01-13', '2017-01-18', '2017-01-30', '2017-02-07'];
    const rows = Array.from({ length: 6 }, () => block).flat();
    const expected = Array.from({ length: 6 }, () => expectedBlock).flat();
    const priceDates = dateRange('2017-01-12', 21, 'B', holidays);
    expect(priceDates[20]).toBe('2017-02-15');
    const factorDates = priceDates.slice(0, 18);
    expect(factorDates[17]).toBe('2017-02-10');
    check(factorDates, priceDates, rows, expected);
  });
});
