/**
 * Variance decomposition of a portfolio of assets with factor exposures (a linear factor model).
 *
 * Model: each asset's return is r_i = a_i + Σ_f β_if·F_f + e_i with specific returns e_i
 * uncorrelated with the factors and with each other (a diagonal specific covariance). For weights
 * w_i (held assets only, see "coverage"):
 *
 *   Σ          factor covariance over the fit window: the sample covariance (ddof 1 by default) of
 *              the factor returns on the window's complete rows (dates where every factor is
 *              present), Σ_gh = Σ_t (F_tg − F̄_g)(F_th − F̄_h) / (n − ddof), like
 *              `numpy.cov(F.dropna().T)`. Complete rows rather than pairwise: Σ stays positive
 *              semi-definite, so every variance below is >= 0.
 *   b          portfolio exposure b_f = Σ_i w_i·β_if
 *   systematic b'Σb, computed as the sum of the Euler contributions below (so they add up exactly)
 *   specific   Σ_i w_i²·σ²_i, where σ²_i is the asset's residual variance as the caller measured it;
 *              the OLS convention is SSR / (n − p) (p coefficients incl. the constant; statsmodels'
 *              `scale`, i.e. `residualStd²` of stats/ols), which is unbiased for the specific variance
 *   total      systematic + specific (per period, in the units of the returns, squared)
 *   Euler      c_f = b_f·(Σb)_f: factor f's contribution to b'Σb (Σ_f c_f = b'Σb); it splits further
 *              by holding, c_if = w_i·β_if·(Σb)_f, with Σ_i c_if = c_f
 *   shares     c_f / total for each factor and specific / total: they sum to one
 *   vol        annualised volatility √(v·P) with P periods per year (detectFrequency of the window's
 *              calendar, or `periodsPerYear`); volatility contributions c_f / √total (Euler on σ,
 *              per period) sum with specific / √total to the per-period total volatility
 *
 * Population identity this rests on: with F ~ (μ, Σ) and e ~ (0, diag σ²) independent of F,
 * Var(w'(a + BF + e)) = (B'w)'Σ(B'w) + Σ_i w_i²σ²_i exactly. Residuals that are correlated across
 * assets (an industry the factors miss) make the realised variance of the portfolio differ from the
 * model total; that gap is the model's, not an estimation error.
 *
 * Coverage: an asset held (finite non-zero weight) with any exposure NaN is excluded with reason
 * `no-beta`; one with betas but a NaN or negative specific variance, `no-specific-variance`; a
 * weight on a name the fit does not know, `unknown-asset`. Excluded holdings contribute nothing
 * (weights are not rescaled) and are listed with their weights; `coveredWeight` is the sum of the
 * covered weights, `coveredGrossShare` the covered share of Σ|w|. NaN weights mean "not held".
 *
 * Equal-weight comparison (the seed's report): the same holdings (every finite non-zero weight,
 * excluded ones included) at 1/N each, decomposed the same way.
 *
 * Definitions (all of them, in one place): docs/definitions.md#variance-decomposition.
 */
import type { Calendar } from '../core/calendar.js';
import { detectFrequency, lowerBound } from '../core/calendar.js';
import { formatIsoDate, tryParseIsoDate } from '../core/dates.js';
import { checkInteger, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';

/**
 * Exposures of the assets: either one Float64Array of nAssets × nFactors, asset-major
 * (`betas[i·nFactors + f]`), or one array per factor (`betas[f][i]`).
 */
export type BetaMatrix = Float64Array | readonly ArrayLike<number>[];

/** A date as ISO `yyyy-mm-dd` or a day number. */
export type DateLike = string | number;

export interface VarianceModelInput {
  /** Factor returns over (at least) the fit window. */
  factors: Frame;
  /** Factors to use, in order (columns of `factors`); the betas follow this order. */
  factorNames: readonly string[];
  assets: readonly string[];
  betas: BetaMatrix;
  /** Per asset: residual variance σ²_i (OLS: SSR / (n − p)). NaN = unknown. */
  specificVariance: ArrayLike<number>;
}

export interface VarianceDecompositionInput extends VarianceModelInput {
  /** Per asset, aligned with `assets`. NaN or 0 = not held. */
  weights: ArrayLike<number>;
}

export interface VarianceDecompositionOptions {
  /** Rows of `factors` used for Σ (inclusive); default all rows. */
  window?: { start?: DateLike; end?: DateLike };
  /** Degrees of freedom of the factor covariance (default 1). */
  covarianceDdof?: number;
  /** Periods per year for annualised figures; default from the window's calendar. */
  periodsPerYear?: number;
}

/** Every option of {@link VarianceDecompositionOptions}: a misspelt one (`ddof`, `window: { from }`) ran the default. */
export const VARIANCE_OPTION_NAMES: Readonly<Record<keyof VarianceDecompositionOptions, true>> = {
  window: true,
  covarianceDdof: true,
  periodsPerYear: true,
};

export interface FactorCovariance {
  factors: string[];
  /** Σ, nFactors × nFactors. */
  matrix: number[][];
  means: number[];
  /** Complete rows used. */
  nobs: number;
  /** First and last date of the rows used (ISO). */
  start: string;
  end: string;
  ddof: number;
}

export type ExclusionReason = 'no-beta' | 'no-specific-variance' | 'unknown-asset';

export interface ExcludedHolding {
  asset: string;
  weight: number;
  reason: ExclusionReason;
}

/** Column-oriented table of the covered holdings (input order). */
export interface HoldingsTable {
  assets: string[];
  weights: number[];
  specificVariance: number[];
  /** w_i·β_if per factor (the data behind the seed's density plots). */
  weightedExposures: Record<string, number[]>;
  /** c_if = w_i·β_if·(Σb)_f per factor; Σ_i c_if = c_f. */
  contributions: Record<string, number[]>;
  /** Σ_f c_if per holding. */
  systematicContribution: number[];
  /** w_i²·σ²_i per holding. */
  specificContribution: number[];
}

export interface PortfolioDecomposition {
  /** Held assets (finite non-zero weight), covered or not. */
  holdings: number;
  /** Holdings with betas and a specific variance. */
  covered: number;
  totalWeight: number;
  grossWeight: number;
  coveredWeight: number;
  /** Σ_covered |w| / Σ_held |w| (1 when fully covered). */
  coveredGrossShare: number;
  excluded: ExcludedHolding[];
  /** b_f = Σ_i w_i β_if. */
  exposures: Record<string, number>;
  /** Per period. */
  systematicVariance: number;
  specificVariance: number;
  totalVariance: number;
  /** Euler contributions c_f = b_f (Σb)_f to the variance. */
  contributions: Record<string, number>;
  shares: { factors: Record<string, number>; systematic: number; specific: number };
  /** Annualised volatilities √(v·P). */
  volatility: { total: number; systematic: number; specific: number };
  /** Annualised Euler volatility contributions: c_f·√P/√total, specific·√P/√total; they sum to volatility.total. */
  volatilityContributions: { factors: Record<string, number>; specific: number };
  holdingsTable: HoldingsTable;
}

export interface VarianceDecomposition {
  factors: string[];
  covariance: FactorCovariance;
  frequency: string;
  periodsPerYear: number;
  portfolio: PortfolioDecomposition;
  equalWeight: PortfolioDecomposition;
}

export interface VarianceDecompositionOnDate extends VarianceDecomposition {
  /** The date asked for (ISO). */
  date: string;
  /** The weights row used: the last row of the weights panel on or before `date` (ISO). */
  weightsDate: string;
}

/** The fitted model prepared once: betas asset-major, Σ, annualisation. */
export interface PreparedModel {
  factors: string[];
  assets: readonly string[];
  /** nAssets × nFactors asset-major. */
  betas: Float64Array;
  specificVariance: ArrayLike<number>;
  covariance: FactorCovariance;
  /** Σ row-major. */
  sigma: Float64Array;
  frequency: string;
  periodsPerYear: number;
}

/** Day number of a date given as ISO text or a day number; bad text is an InputError. */
export function dayOf(d: DateLike): number {
  if (typeof d === 'number') return d;
  const day = tryParseIsoDate(d);
  if (Number.isNaN(day)) throw new InputError('not an ISO date (yyyy-mm-dd)', { value: d });
  return day;
}

/** Asset-major copy of the betas, validated against the sizes. */
export function betasAssetMajor(betas: BetaMatrix, nAssets: number, nFactors: number): Float64Array {
  if (betas instanceof Float64Array) {
    if (betas.length !== nAssets * nFactors) {
      throw new InputError(`betas have ${betas.length} values, expected ${nAssets} assets x ${nFactors} factors = ${nAssets * nFactors}`);
    }
    return betas.slice();
  }
  if (betas.length !== nFactors)
    throw new InputError(`betas have ${betas.length} per-factor arrays, expected ${nFactors} (one per factor)`);
  const out = new Float64Array(nAssets * nFactors);
  for (let f = 0; f < nFactors; f++) {
    const col = betas[f];
    if (col.length !== nAssets)
      throw new InputError(`betas for factor ${f} have ${col.length} values, expected ${nAssets} (one per asset)`);
    for (let i = 0; i < nAssets; i++) out[i * nFactors + f] = col[i];
  }
  return out;
}

/** Sample covariance of the named columns of `frame` on its complete rows within the window. */
export function factorCovariance(
  frame: Frame,
  factorNames: readonly string[],
  options: Pick<VarianceDecompositionOptions, 'window' | 'covarianceDdof'> = {},
): { covariance: FactorCovariance; sigma: Float64Array; dates: Calendar } {
  checkOptionNames<Pick<VarianceDecompositionOptions, 'window' | 'covarianceDdof'>>('factorCovariance options', options, {
    window: true,
    covarianceDdof: true,
  });
  checkOptionNames<{ start?: DateLike; end?: DateLike }>('window', options.window, { start: true, end: true });
  const k = factorNames.length;
  if (k === 0) throw new InputError('no factors given for the variance decomposition');
  const cols = factorNames.map((name) => {
    const j = frame.columnIndex(name);
    if (j < 0)
      throw new InputError(`factor ${JSON.stringify(name)} is not a column of the factor returns`, {
        column: name,
        hint: `columns are ${frame.columns.join(', ')}`,
      });
    return frame.series[j];
  });
  // a ddof of -1 (or 0.5) divided by n + 1 without a word
  const ddof = checkInteger('covarianceDdof', options.covarianceDdof ?? 1, 0);
  const a = options.window?.start === undefined ? 0 : lowerBound(frame.dates, dayOf(options.window.start));
  const b = options.window?.end === undefined ? frame.nDates : lowerBound(frame.dates, dayOf(options.window.end) + 1);
  const rows: number[] = [];
  for (let t = a; t < b; t++) {
    let ok = true;
    for (let f = 0; f < k; f++)
      if (!Number.isFinite(cols[f][t])) {
        ok = false;
        break;
      }
    if (ok) rows.push(t);
  }
  const n = rows.length;
  if (n - ddof <= 0) {
    throw new InputError(`factor covariance needs more than ${ddof} complete rows of factor returns; the window has ${n}`, {
      hint: 'widen the window or check the factor returns for missing values',
    });
  }
  const means = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    let s = 0;
    for (const t of rows) s += cols[f][t];
    means[f] = s / n;
  }
  const sigma = new Float64Array(k * k);
  const dev = new Float64Array(k);
  for (const t of rows) {
    for (let f = 0; f < k; f++) dev[f] = cols[f][t] - means[f];
    for (let f = 0; f < k; f++) for (let h = 0; h <= f; h++) sigma[f * k + h] += dev[f] * dev[h];
  }
  for (let f = 0; f < k; f++) {
    for (let h = 0; h <= f; h++) {
      const v = sigma[f * k + h] / (n - ddof);
      sigma[f * k + h] = v;
      sigma[h * k + f] = v;
    }
  }
  const dates = Int32Array.from(rows, (t) => frame.dates[t]);
  const matrix = Array.from({ length: k }, (_, f) => Array.from(sigma.subarray(f * k, (f + 1) * k)));
  return {
    covariance: {
      factors: factorNames.slice(),
      matrix,
      means: Array.from(means),
      nobs: n,
      start: formatIsoDate(dates[0]),
      end: formatIsoDate(dates[n - 1]),
      ddof,
    },
    sigma,
    dates,
  };
}

/** Validates the model inputs and computes Σ once; reuse it for many weight vectors. */
export function prepareVarianceModel(input: VarianceModelInput, options: VarianceDecompositionOptions = {}): PreparedModel {
  const nA = input.assets.length,
    nF = input.factorNames.length;
  const betas = betasAssetMajor(input.betas, nA, nF);
  if (input.specificVariance.length !== nA) {
    throw new InputError(`specificVariance has ${input.specificVariance.length} values, expected ${nA} (one per asset)`);
  }
  const { covariance, sigma, dates } = factorCovariance(input.factors, input.factorNames, {
    window: options.window,
    covarianceDdof: options.covarianceDdof,
  });
  const freq = detectFrequency(dates);
  const ppy = options.periodsPerYear ?? freq.periodsPerYear;
  if (!(ppy > 0))
    throw new InputError(`periods per year must be positive, got ${ppy}`, { hint: 'pass periodsPerYear', options: ['periodsPerYear'] });
  return {
    factors: input.factorNames.slice(),
    assets: input.assets,
    betas,
    specificVariance: input.specificVariance,
    covariance,
    sigma,
    frequency: options.periodsPerYear === undefined ? freq.frequency : 'given',
    periodsPerYear: ppy,
  };
}

function record(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((n, f) => {
    out[n] = values[f];
  });
  return out;
}

/**
 * Decomposes one weight vector (aligned with `model.assets`) under a prepared model. `unknown`
 * lists extra holdings on names the model lacks (reported, contributing nothing).
 */
export function decomposeWeights(
  model: PreparedModel,
  weights: ArrayLike<number>,
  unknown: readonly ExcludedHolding[] = [],
): PortfolioDecomposition {
  const { factors, assets, betas, sigma, periodsPerYear: ppy } = model;
  const nA = assets.length,
    k = factors.length;
  if (weights.length !== nA) throw new InputError(`weights have ${weights.length} values, expected ${nA} (one per asset)`);
  const excluded: ExcludedHolding[] = [];
  const idx: number[] = [];
  let holdings = unknown.length,
    totalWeight = 0,
    grossWeight = 0,
    coveredWeight = 0,
    coveredGross = 0;
  for (const u of unknown) {
    totalWeight += u.weight;
    grossWeight += Math.abs(u.weight);
  }
  for (let i = 0; i < nA; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w === 0) continue;
    holdings++;
    totalWeight += w;
    grossWeight += Math.abs(w);
    let hasBeta = true;
    for (let f = 0; f < k; f++)
      if (!Number.isFinite(betas[i * k + f])) {
        hasBeta = false;
        break;
      }
    const s2 = model.specificVariance[i];
    if (!hasBeta) excluded.push({ asset: assets[i], weight: w, reason: 'no-beta' });
    else if (!(Number.isFinite(s2) && s2 >= 0)) excluded.push({ asset: assets[i], weight: w, reason: 'no-specific-variance' });
    else {
      idx.push(i);
      coveredWeight += w;
      coveredGross += Math.abs(w);
    }
  }
  excluded.push(...unknown);
  // b = Σ w_i β_i
  const b = new Float64Array(k);
  for (const i of idx) for (let f = 0; f < k; f++) b[f] += weights[i] * betas[i * k + f];
  // Σb
  const sb = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    let s = 0;
    for (let h = 0; h < k; h++) s += sigma[f * k + h] * b[h];
    sb[f] = s;
  }
  const c = new Float64Array(k);
  let systematic = 0;
  for (let f = 0; f < k; f++) {
    c[f] = b[f] * sb[f];
    systematic += c[f];
  }
  const table: HoldingsTable = {
    assets: [],
    weights: [],
    specificVariance: [],
    weightedExposures: {},
    contributions: {},
    systematicContribution: [],
    specificContribution: [],
  };
  for (const name of factors) {
    table.weightedExposures[name] = [];
    table.contributions[name] = [];
  }
  let specific = 0;
  for (const i of idx) {
    const w = weights[i],
      s2 = model.specificVariance[i];
    table.assets.push(assets[i]);
    table.weights.push(w);
    table.specificVariance.push(s2);
    let sys = 0;
    for (let f = 0; f < k; f++) {
      const we = w * betas[i * k + f];
      const ci = we * sb[f];
      table.weightedExposures[factors[f]].push(we);
      table.contributions[factors[f]].push(ci);
      sys += ci;
    }
    table.systematicContribution.push(sys);
    const sp = w * w * s2;
    table.specificContribution.push(sp);
    specific += sp;
  }
  const total = systematic + specific;
  const volPer = Math.sqrt(total);
  const shareF = Array.from(c, (v) => v / total);
  const annual = (v: number): number => Math.sqrt(v * ppy);
  const sq = Math.sqrt(ppy);
  return {
    holdings,
    covered: idx.length,
    totalWeight,
    grossWeight,
    coveredWeight,
    coveredGrossShare: grossWeight > 0 ? coveredGross / grossWeight : NaN,
    excluded,
    exposures: record(factors, b),
    systematicVariance: systematic,
    specificVariance: specific,
    totalVariance: total,
    contributions: record(factors, c),
    shares: { factors: record(factors, shareF), systematic: systematic / total, specific: specific / total },
    volatility: { total: annual(total), systematic: annual(systematic), specific: annual(specific) },
    volatilityContributions: {
      factors: record(
        factors,
        Array.from(c, (v) => (v / volPer) * sq),
      ),
      specific: (specific / volPer) * sq,
    },
    holdingsTable: table,
  };
}

/** Equal weights 1/N on the held assets (finite non-zero weight), unknown names included in N. */
export function equalWeights(
  weights: ArrayLike<number>,
  unknown: readonly ExcludedHolding[] = [],
): { weights: Float64Array; unknown: ExcludedHolding[] } {
  let n = unknown.length;
  for (let i = 0; i < weights.length; i++) if (Number.isFinite(weights[i]) && weights[i] !== 0) n++;
  const out = new Float64Array(weights.length);
  if (n === 0) return { weights: out, unknown: [] };
  for (let i = 0; i < weights.length; i++) if (Number.isFinite(weights[i]) && weights[i] !== 0) out[i] = 1 / n;
  return { weights: out, unknown: unknown.map((u) => ({ ...u, weight: 1 / n })) };
}

/**
 * The portfolio and its equal-weighted combination under a prepared model. Throws an InputError
 * when nothing is held or no holding is covered (`date`, if given, is named in the message).
 */
export function decomposeWithEqualWeight(
  model: PreparedModel,
  weights: ArrayLike<number>,
  unknown: readonly ExcludedHolding[] = [],
  date?: string,
): VarianceDecomposition {
  const portfolio = decomposeWeights(model, weights, unknown);
  const on = date === undefined ? '' : ` on ${date}`;
  if (portfolio.holdings === 0) throw new InputError(`the portfolio holds nothing${on}: every weight is zero or missing`, { date });
  if (portfolio.covered === 0) {
    throw new InputError(`none of the portfolio's ${portfolio.holdings} holdings${on} has exposures and a specific variance`, {
      date,
      hint:
        'check that the weights name the fitted assets (excluded: ' +
        portfolio.excluded
          .slice(0, 5)
          .map((e) => `${e.asset} ${e.reason}`)
          .join(', ') +
        ')',
    });
  }
  const ew = equalWeights(weights, unknown);
  return {
    factors: model.factors.slice(),
    covariance: model.covariance,
    frequency: model.frequency,
    periodsPerYear: model.periodsPerYear,
    portfolio,
    equalWeight: decomposeWeights(model, ew.weights, ew.unknown),
  };
}

/**
 * Variance decomposition of the portfolio `weights` (aligned with `assets`) and of the
 * equal-weighted combination of the same holdings. See the module comment for the definitions.
 */
export function varianceDecomposition(
  input: VarianceDecompositionInput,
  options: VarianceDecompositionOptions = {},
): VarianceDecomposition {
  checkOptionNames<VarianceDecompositionOptions>('varianceDecomposition options', options, VARIANCE_OPTION_NAMES);
  const model = prepareVarianceModel(input, options);
  return decomposeWithEqualWeight(model, input.weights);
}

/** Weights of `model.assets` on a row of a weights panel; non-zero weights on other names are `unknown-asset`. */
export function weightsOnRow(
  assets: readonly string[],
  weights: Panel,
  row: number,
): { weights: Float64Array; unknown: ExcludedHolding[] } {
  const pos = new Map(assets.map((a, i) => [a, i]));
  const out = new Float64Array(assets.length);
  const unknown: ExcludedHolding[] = [];
  const r = weights.row(row);
  for (let j = 0; j < weights.nAssets; j++) {
    const w = r[j];
    if (!Number.isFinite(w) || w === 0) continue;
    const i = pos.get(weights.assets[j]);
    if (i === undefined) unknown.push({ asset: weights.assets[j], weight: w, reason: 'unknown-asset' });
    else out[i] = w;
  }
  return { weights: out, unknown };
}

/** Row of the last date of `weights` on or before `day`; throws an InputError when there is none. */
export function weightsRowOnOrBefore(weights: Panel, date: DateLike): number {
  const day = dayOf(date);
  const row = lowerBound(weights.dates, day + 1) - 1;
  if (row < 0) {
    const first = weights.nDates > 0 ? formatIsoDate(weights.dates[0]) : 'none';
    throw new InputError(`no portfolio weights on or before ${formatIsoDate(day)}`, {
      date: formatIsoDate(day),
      hint: `the weights start on ${first}`,
    });
  }
  return row;
}

/**
 * Variance decomposition of the weights held on `date`: the last row of the weights panel on or
 * before that date (weights hold until the next rebalance). Weight-panel assets the model does not
 * know are reported as `unknown-asset`.
 */
export function varianceDecompositionOnDate(
  input: VarianceModelInput,
  weights: Panel,
  date: DateLike,
  options: VarianceDecompositionOptions = {},
): VarianceDecompositionOnDate {
  checkOptionNames<VarianceDecompositionOptions>('varianceDecompositionOnDate options', options, VARIANCE_OPTION_NAMES);
  const row = weightsRowOnOrBefore(weights, date);
  const model = prepareVarianceModel(input, options);
  const w = weightsOnRow(model.assets, weights, row);
  const iso = formatIsoDate(dayOf(date));
  return { ...decomposeWithEqualWeight(model, w.weights, w.unknown, iso), date: iso, weightsDate: formatIsoDate(weights.dates[row]) };
}
