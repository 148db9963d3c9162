/**
 * The cross-sectional regression test (the seed's "regression test"), one OLS per formation date:
 *
 *     fwd_h(t, i) = a_t + b_t · f(t, i) [+ Σ_g d_{t,g}·1[group(i) = g] + γ_t · log size(t, i)] + e_{t,i}
 *
 * b_t is the date's factor return, with its classical OLS t-value t_t = b_t / se(b_t) and R²_t
 * (statsmodels `OLS(y, add_constant(X)).fit()`: params, tvalues, rsquared). Options:
 * - `factorScale: 'zscore'`: the factor is z-scored (ddof 1, unweighted) over the date's
 *   regression sample first, so b_t is the return per cross-sectional standard deviation (t and
 *   R² do not change);
 * - `groups`: group dummies (one per group present but the first, next to the intercept);
 * - `size`: log(size) as a control (`logSize: false` uses the values as given);
 * - `weights` (e.g. market cap): WLS with weights w = sqrt(weight) (`weightTransform: 'none'` uses
 *   them as given), i.e. minimise Σ w e² (statsmodels `WLS(y, X, weights=w)`; R² = 1 − Σw e² /
 *   Σ w (y − ȳ_w)², its centred weighted R²).
 * With p coefficients and n assets, σ² = Σ w e² / (n − p), se(b) = sqrt(σ² / Σ w x̃²) where x̃ is
 * the factor's (weighted) residual on the controls: the Frisch–Waugh–Lovell closed form, exact,
 * with no matrix work (preprocess.ts `partialOut`). Without controls this is the simple regression
 * b = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)², from one gather of the row's pairs and three dense passes
 * (pairMoments.ts; the analysis shares the first two with the IC).
 *
 * The sample of a date: the assets with a factor value and a forward return (and a group, a
 * finite log size, a positive weight when those are used). A date with fewer than `minAssets`
 * (default 3) or with no residual degree of freedom (n <= p) is skipped and counted as too few; a
 * date whose factor is constant (centred sum of squares <= 1e-12 × its raw sum of squares) or
 * explained by the controls (1 − R² of the factor on them < 1e-10) is skipped and counted as
 * rank-deficient. Skipped dates are NaN, never 0.
 *
 * Summary over the fitted dates: the mean factor return with its t and p (plain, n − 1 df) and
 * Newey-West t and p (lags h by default, summary.ts), the mean of |t|, the share of |t| > 2, the
 * share of the significant dates (|t| > 2) whose t has the majority sign among them, and mean R².
 */
import { InputError } from '../core/errors.js';
import { checkOneOf, checkOptionNames, checkSameGrid } from '../core/checks.js';
import { calendarToIso, type Calendar } from '../core/calendar.js';
import type { Panel } from '../core/panel.js';
import { COLLINEAR_TOL, checkGroups, createCrossSectionScratch, partialOut } from './preprocess.js';
import type { CrossSectionScratch } from './preprocess.js';
import type { GroupCodes } from './groups.js';
import { createPairMoments, gatherPairs, pairMoments, type PairMoments } from './pairMoments.js';
import { createCorrelationScratch, type CorrelationScratch } from '../stats/correlation.js';
import { DEFAULT_MIN_ASSETS } from './factorData.js';
import type { NumArray } from './ic.js';
import { summarizeSeriesOf } from './summary.js';
import type { SeriesSummary, SeriesSummaryOptions } from './summary.js';

const CONSTANT_TOL = 1e-12;

export interface RegressionOptions extends SeriesSummaryOptions {
  /** Minimum assets per date (default 3); a date also needs n > number of coefficients. */
  minAssets?: number;
  /** 'raw' (default) or 'zscore' (per date over the regression sample, ddof 1). */
  factorScale?: 'raw' | 'zscore';
  groups?: GroupCodes;
  size?: Panel;
  /** Use log(size) (default true). */
  logSize?: boolean;
  /** WLS weights source, e.g. market cap (same shape as the factor). */
  weights?: Panel;
  /** 'sqrt' (default: w = sqrt(weight)) or 'none'. */
  weightTransform?: 'sqrt' | 'none';
  /** |t| above this counts as significant (default 2). */
  tThreshold?: number;
}

export interface RegressionSummary {
  /** Dates with a fitted regression. */
  n: number;
  meanFactorReturn: number;
  tStat: number;
  pValue: number;
  tStatNW: number;
  pValueNW: number;
  nwLags: number;
  meanT: number;
  meanAbsT: number;
  shareAbsTAbove2: number;
  /** +1 or −1: the sign most significant t-values have (0 when none or a tie). */
  majoritySign: number;
  /** Of the dates with |t| > 2, the share whose t has the majority sign (NaN when none). */
  shareSignificantMajoritySign: number;
  meanR2: number;
  /** Full summary of the factor-return series (std, IR, skew, ...). */
  factorReturn: SeriesSummary;
}

export interface RegressionTest {
  horizon: number;
  dates: string[];
  factorReturn: number[];
  t: number[];
  se: number[];
  r2: number[];
  /** Assets in each date's regression. */
  n: number[];
  skippedTooFew: number;
  skippedRankDeficient: number;
  /** ISO dates skipped as rank-deficient. */
  rankDeficientDates: string[];
  summary: RegressionSummary;
}

export interface DateFit {
  b: number;
  se: number;
  t: number;
  r2: number;
  status: 0 | 1 | 2;
} // 0 ok, 1 too few, 2 rank-deficient

const TOO_FEW: DateFit = { b: NaN, se: NaN, t: NaN, r2: NaN, status: 1 };
const DEFICIENT: DateFit = { b: NaN, se: NaN, t: NaN, r2: NaN, status: 2 };

/**
 * The simple regression of y on x over the n pairs gathered in x[0..n), y[0..n) whose moments
 * are `mo` (pairMoments.ts): b = Sxy / Sxx, residual e = (y − ȳ) − b (x − x̄) in a third pass,
 * se = sqrt(Σe² / (n − 2) / Sxx), R² = 1 − Σe² / Syy. Too few below max(minAssets, 3) pairs;
 * rank-deficient when Sxx <= 1e-12 · Σx².
 */
export function simpleFitOfMoments(
  x: Float64Array,
  y: Float64Array,
  mo: PairMoments,
  minAssets: number,
  zscore: boolean,
): DateFit & { n: number } {
  const n = mo.n;
  if (n < minAssets || n < 3) return { ...TOO_FEW, n };
  const mx = mo.meanX,
    my = mo.meanY,
    sxx = mo.sxx;
  if (!(sxx > CONSTANT_TOL * mo.rawXX)) return { ...DEFICIENT, n };
  const b = mo.sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - my - b * (x[i] - mx);
    ssr += e * e;
  }
  const se = Math.sqrt(ssr / (n - 2) / sxx);
  const scale = zscore ? Math.sqrt(sxx / (n - 1)) : 1;
  return { b: b * scale, se: se * scale, t: b / se, r2: mo.syy > 0 ? 1 - ssr / mo.syy : NaN, status: 0, n };
}

/** Simple regression of r on f over the complete pairs of one row (no controls, no weights). */
function simpleRow(
  f: Float64Array,
  r: Float64Array,
  off: number,
  m: number,
  minAssets: number,
  zscore: boolean,
  s: CorrelationScratch,
  mo: PairMoments,
): DateFit & { n: number } {
  const n = gatherPairs(f, r, off, off, m, s, null, mo);
  if (n > 0) pairMoments(s.a, s.b, n, mo);
  return simpleFitOfMoments(s.a, s.b, mo, minAssets, zscore);
}

interface Controls {
  groups?: GroupCodes;
  size?: Panel;
  logSize: boolean;
  weights?: Panel;
  sqrtWeights: boolean;
  nGroups: number;
}

/** Regression of one row with controls and / or weights, by partialling out (module doc). */
function controlledRow(
  f: Float64Array,
  r: Float64Array,
  off: number,
  m: number,
  minAssets: number,
  zscore: boolean,
  c: Controls,
  cs: CrossSectionScratch,
): DateFit & { n: number } {
  let n = 0;
  for (let j = 0; j < m; j++) {
    const x = f[off + j],
      y = r[off + j];
    if (!(x === x && y === y)) continue;
    let code = 0;
    if (c.groups) {
      code = c.groups.codes[off + j];
      if (code < 0 || code >= c.nGroups) continue;
    }
    let s = 0;
    if (c.size) {
      const v = c.size.values[off + j];
      s = c.logSize ? Math.log(v) : v;
      if (!Number.isFinite(s)) continue;
    }
    let w = 1;
    if (c.weights) {
      const v = c.weights.values[off + j];
      w = c.sqrtWeights ? Math.sqrt(v) : v;
      if (!(w > 0 && w < Infinity)) continue;
    }
    cs.x[n] = x;
    cs.y[n] = y;
    cs.g[n] = code;
    cs.s[n] = s;
    cs.w[n] = w;
    n++;
  }
  if (n < minAssets || n < 3) return { ...TOO_FEW, n };
  let scale = 1;
  if (zscore) {
    let sx = 0;
    for (let i = 0; i < n; i++) sx += cs.x[i];
    const mx = sx / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = cs.x[i] - mx;
      ss += d * d;
    }
    scale = Math.sqrt(ss / (n - 1));
  }
  let raw = 0;
  for (let i = 0; i < n; i++) raw += cs.w[i] * cs.x[i] * cs.x[i];
  const po = partialOut(cs, n, c.nGroups, true, c.size !== undefined);
  const p = po.groups + (po.size ? 1 : 0) + 1;
  if (n - p < 1) return { ...TOO_FEW, n };
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const wx = cs.w[i] * cs.x[i];
    sxx += wx * cs.x[i];
    sxy += wx * cs.y[i];
  }
  if (!(po.xTss > CONSTANT_TOL * raw) || !(sxx > COLLINEAR_TOL * po.xTss)) return { ...DEFICIENT, n };
  const b = sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = cs.y[i] - b * cs.x[i];
    ssr += cs.w[i] * e * e;
  }
  const se = Math.sqrt(ssr / (n - p) / sxx);
  return { b: b * scale, se: se * scale, t: b / se, r2: po.yTss > 0 ? 1 - ssr / po.yTss : NaN, status: 0, n };
}

/** `b` on the factor's formation dates and assets (core/checks.ts `checkSameGrid`): a panel of the same shape on other dates or assets would be paired silently wrong. */
function checkSame(a: Panel, b: Panel, what: string): void {
  checkSameGrid('factor', a, what, b);
}

/** True when a date's fit is the simple regression (no groups, size or weights): the analysis then fits it in the shared pair pass. */
export function simpleRegression(options: RegressionOptions): boolean {
  return options.groups === undefined && options.size === undefined && options.weights === undefined;
}

/** Summary of per-date factor returns, t-values and R² (module doc). */
export function summarizeRegression(
  factorReturn: ArrayLike<number>,
  t: ArrayLike<number>,
  r2: ArrayLike<number>,
  options: RegressionOptions = {},
): RegressionSummary {
  const thr = options.tThreshold ?? 2;
  const fr = summarizeSeriesOf(factorReturn, options);
  let n = 0,
    sumT = 0,
    sumAbs = 0,
    sig = 0,
    pos = 0,
    neg = 0,
    nr2 = 0,
    sumR2 = 0;
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (v !== v) continue;
    n++;
    sumT += v;
    sumAbs += Math.abs(v);
    if (Math.abs(v) > thr) {
      sig++;
      if (v > 0) pos++;
      else neg++;
    }
    const q = r2[i];
    if (q === q) {
      nr2++;
      sumR2 += q;
    }
  }
  const majoritySign = pos > neg ? 1 : neg > pos ? -1 : 0;
  return {
    n: fr.n,
    meanFactorReturn: fr.mean,
    tStat: fr.tStat,
    pValue: fr.pValue,
    tStatNW: fr.tStatNW,
    pValueNW: fr.pValueNW,
    nwLags: fr.nwLags,
    meanT: n > 0 ? sumT / n : NaN,
    meanAbsT: n > 0 ? sumAbs / n : NaN,
    shareAbsTAbove2: n > 0 ? sig / n : NaN,
    majoritySign,
    shareSignificantMajoritySign: sig > 0 ? Math.max(pos, neg) / sig : NaN,
    meanR2: nr2 > 0 ? sumR2 / nr2 : NaN,
    factorReturn: fr,
  };
}

/** Per-date outputs of the regression rows; status[t]: 0 fitted, 1 too few assets, 2 rank-deficient. */
export interface RegressionRowsOutput {
  factorReturn: NumArray;
  t: NumArray;
  se: NumArray;
  r2: NumArray;
  n: NumArray;
  status: NumArray;
}

/**
 * The per-date regressions of the formation rows [t0, t1), written into `out` at those rows (the
 * range kernel of {@link regressionTest}; a row's fit does not depend on the range). The checks run
 * before the loop, so an empty range validates the inputs.
 */
export function regressionRows(
  factor: Panel,
  forward: Panel,
  options: RegressionOptions,
  out: RegressionRowsOutput,
  t0: number,
  t1: number,
): void {
  checkSame(factor, forward, 'forward returns');
  const minAssets = options.minAssets ?? DEFAULT_MIN_ASSETS;
  if (!(Number.isInteger(minAssets) && minAssets >= 3))
    throw new InputError(`minAssets must be an integer >= 3 for a regression, got ${minAssets}`);
  const zscore = checkOneOf('factorScale', options.factorScale ?? 'raw', ['raw', 'zscore']) === 'zscore';
  if (options.groups) checkGroups(factor, options.groups);
  if (options.size) checkSame(factor, options.size, 'size');
  if (options.weights) checkSame(factor, options.weights, 'weights');
  const controlled = options.groups !== undefined || options.size !== undefined || options.weights !== undefined;
  const controls: Controls = {
    groups: options.groups,
    size: options.size,
    logSize: options.logSize ?? true,
    weights: options.weights,
    sqrtWeights: checkOneOf('weightTransform', options.weightTransform ?? 'sqrt', ['sqrt', 'none']) === 'sqrt',
    nGroups: options.groups ? options.groups.names.length : 1,
  };
  const m = factor.nAssets,
    f = factor.values,
    r = forward.values;
  const cs = controlled ? createCrossSectionScratch(m, controls.nGroups) : null;
  const pairs = createCorrelationScratch(m),
    mo = createPairMoments();
  for (let d = t0; d < t1; d++) {
    const fit = cs
      ? controlledRow(f, r, d * m, m, minAssets, zscore, controls, cs)
      : simpleRow(f, r, d * m, m, minAssets, zscore, pairs, mo);
    out.factorReturn[d] = fit.b;
    out.t[d] = fit.t;
    out.se[d] = fit.se;
    out.r2[d] = fit.r2;
    out.n[d] = fit.n;
    out.status[d] = fit.status;
  }
}

/** {@link RegressionTest} (plain arrays, skip counts, summary) from the per-date arrays of every formation date. */
export function regressionFromRows(dates: Calendar, rows: RegressionRowsOutput, options: RegressionOptions = {}): RegressionTest {
  const plain = (a: NumArray): number[] => (Array.isArray(a) ? a : Array.from(a));
  const iso = calendarToIso(dates);
  const factorReturn = plain(rows.factorReturn),
    t = plain(rows.t),
    r2 = plain(rows.r2);
  let tooFew = 0,
    deficient = 0;
  const rankDeficientDates: string[] = [];
  for (let d = 0; d < iso.length; d++) {
    const st = rows.status[d];
    if (st === 1) tooFew++;
    else if (st === 2) {
      deficient++;
      rankDeficientDates.push(iso[d]);
    }
  }
  return {
    horizon: options.horizon ?? 1,
    dates: iso,
    factorReturn,
    t,
    se: plain(rows.se),
    r2,
    n: plain(rows.n),
    skippedTooFew: tooFew,
    skippedRankDeficient: deficient,
    rankDeficientDates,
    summary: summarizeRegression(factorReturn, t, r2, options),
  };
}

/** Per-date regression test of `forward` on `factor` (same shape) and its summary. */
export function regressionTest(factor: Panel, forward: Panel, options: RegressionOptions = {}): RegressionTest {
  // `{ minAsset: 30 }` or `{ weight: caps }` ran the default (an unweighted test) without a word
  checkOptionNames<RegressionOptions>('regressionTest options', options, {
    horizon: true,
    lags: true,
    periodsPerYear: true,
    threshold: true,
    minAssets: true,
    factorScale: true,
    groups: true,
    size: true,
    logSize: true,
    weights: true,
    weightTransform: true,
    tThreshold: true,
  });
  const nd = factor.nDates;
  const rows: RegressionRowsOutput = {
    factorReturn: new Array<number>(nd),
    t: new Array<number>(nd),
    se: new Array<number>(nd),
    r2: new Array<number>(nd),
    n: new Array<number>(nd),
    status: new Array<number>(nd),
  };
  regressionRows(factor, forward, options, rows, 0, nd);
  return regressionFromRows(factor.dates, rows, options);
}
