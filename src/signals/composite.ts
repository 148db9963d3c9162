/**
 * Multi-factor composites: one Panel from several factor Panels of the same shape.
 *
 * Each factor k is z-scored per date first (z_k, ddof 1, preprocess.ts). The composite is
 *     c(t, i) = Σ_k w_k(t) · z_k(t, i)
 * over the assets that have every factor's z-score on date t (NaN otherwise), with
 * - 'equal':  w_k(t) = 1/K;
 * - 'ic':     w_k(t) = m_k(t) / Σ_j |m_j(t)|, m_k(t) = mean IC of factor k over the trailing window;
 * - 'icir':   w_k(t) = q_k(t) / Σ_j |q_j(t)|, q_k(t) = mean / std (ddof 1) of those ICs (IC_IR).
 * The sign is kept, so a factor with a negative IC enters reversed. The IC is the rank IC
 * (Spearman, default) or Pearson IC of z_k with the forward return (ic.ts).
 *
 * No look-ahead: the IC of formation row s uses the forward return fwd_h(s), which is realised
 * only h rows later, so at row t the window holds only rows s with s + h <= t:
 *     s ∈ [t − h − window + 1, t − h]
 * (`horizon` h is counted in rows of the factors' calendar; a monthly factor tested on a 21-day
 * forward return realised by the next formation date uses h = 1). Or pass `realisedDays`: the
 * day number on which each row's forward return is realised (e.g. the price date h rows after
 * formation); then row s is usable at t when realisedDays[s] <= dates[t]. A date whose window has
 * fewer than `minPeriods` finite ICs (default: the whole window) for some factor, or whose
 * weights sum to 0 in absolute value, has NaN weights and a NaN composite.
 */
import { InputError } from '../core/errors.js';
import { checkInteger, checkOneOf, checkOptionNames, checkSameGrid } from '../core/checks.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { informationCoefficient } from './ic.js';
import { zscore } from './preprocess.js';

export type CompositeMethod = 'equal' | 'ic' | 'icir';

export interface CompositeOptions {
  /** Default 'equal'. */
  method?: CompositeMethod;
  /** Forward returns (same shape as the factors); required for 'ic' and 'icir'. */
  forward?: Panel;
  /** Rows until a forward return is realised (default 1). */
  horizon?: number;
  /** Day number on which row s's forward return is realised; overrides `horizon`. */
  realisedDays?: ArrayLike<number>;
  /** Trailing window of usable IC rows (default 12). */
  window?: number;
  /** Minimum finite ICs in the window (default = window). */
  minPeriods?: number;
  /** IC flavour for the weights (default 'spearman'). */
  ic?: 'spearman' | 'pearson';
  /** Minimum assets for an IC (default 3). */
  minAssets?: number;
}

export interface CompositeResult {
  method: CompositeMethod;
  names: string[];
  composite: Panel;
  /** Weight history, one column per factor (date x factor). */
  weights: Frame;
  /** Per-date ICs used for the weights (one column per factor); empty for 'equal'. */
  ics: Frame | null;
  window: number;
  minPeriods: number;
  horizon: number;
}

/** Trailing-window weights per row from per-row ICs (see the module doc). */
export function trailingIcWeights(
  ics: readonly ArrayLike<number>[],
  dates: ArrayLike<number>,
  method: 'ic' | 'icir',
  o: { horizon: number; window: number; minPeriods: number; realisedDays?: ArrayLike<number> },
): Float64Array[] {
  // the arguments of a public function: a horizon of 0 used the same row's IC (look-ahead), a
  // window '5' or an unknown method gave NaN weights, ICs of another length were read past their end
  if (typeof o !== 'object' || o === null) throw new InputError('trailingIcWeights needs options { horizon, window, minPeriods }');
  checkOptionNames('trailingIcWeights options', o, { horizon: true, window: true, minPeriods: true, realisedDays: true });
  checkOneOf('method', method, ['ic', 'icir']);
  checkInteger('window', o.window, 1, Infinity, 'a whole number of rows >= 1');
  checkInteger('minPeriods', o.minPeriods, 1, o.window, `a whole number in 1..${o.window} (the window)`);
  if (o.realisedDays === undefined) checkInteger('horizon', o.horizon, 1, Infinity, 'a whole number of rows >= 1');
  else if (o.realisedDays.length !== dates.length)
    throw new InputError(`realisedDays has ${o.realisedDays.length} values, expected ${dates.length} (one per date)`, {
      options: ['realisedDays'],
    });
  for (let k = 0; k < ics.length; k++)
    if (ics[k].length !== dates.length)
      throw new InputError(`ics[${k}] has ${ics[k].length} values, expected ${dates.length} (one per date)`, { options: ['ics'] });
  const K = ics.length,
    nd = dates.length;
  const out = Array.from({ length: K }, () => new Float64Array(nd).fill(NaN));
  const score = new Float64Array(K);
  for (let t = 0; t < nd; t++) {
    // the last usable row: s + h <= t, or realisedDays[s] <= dates[t]
    let last: number;
    if (o.realisedDays) {
      last = t;
      while (last >= 0 && !(o.realisedDays[last] <= dates[t])) last--;
    } else last = t - o.horizon;
    if (last < 0) continue;
    const first = Math.max(0, last - o.window + 1);
    let ok = true,
      norm = 0;
    for (let k = 0; k < K && ok; k++) {
      let n = 0,
        s = 0;
      for (let s0 = first; s0 <= last; s0++) {
        const v = ics[k][s0];
        if (v === v) {
          n++;
          s += v;
        }
      }
      if (n < o.minPeriods || n === 0) {
        ok = false;
        break;
      }
      const mean = s / n;
      if (method === 'ic') score[k] = mean;
      else {
        if (n < 2) {
          ok = false;
          break;
        }
        let ss = 0;
        for (let s0 = first; s0 <= last; s0++) {
          const v = ics[k][s0];
          if (v === v) ss += (v - mean) * (v - mean);
        }
        const sd = Math.sqrt(ss / (n - 1));
        if (!(sd > 0)) {
          ok = false;
          break;
        }
        score[k] = mean / sd;
      }
      norm += Math.abs(score[k]);
    }
    if (!ok || !(norm > 0)) continue;
    for (let k = 0; k < K; k++) out[k][t] = score[k] / norm;
  }
  return out;
}

/** Combines factor Panels (same shape) into a composite Panel with its weight history. */
export function combineFactors(factors: Readonly<Record<string, Panel>>, options: CompositeOptions = {}): CompositeResult {
  // `{ methd: 'ic' }` or `{ minPeriod: 6 }` ran the default without a word
  checkOptionNames<CompositeOptions>('combineFactors options', options, COMPOSITE_OPTION_NAMES);
  return combineFactorsOf(factors, options);
}

export const COMPOSITE_OPTION_NAMES: Readonly<Record<keyof CompositeOptions, true>> = {
  method: true,
  forward: true,
  horizon: true,
  realisedDays: true,
  window: true,
  minPeriods: true,
  ic: true,
  minAssets: true,
};

/** {@link combineFactors} without the option-name check (combineFactorsWithPrices checks its own). */
export function combineFactorsOf(factors: Readonly<Record<string, Panel>>, options: CompositeOptions): CompositeResult {
  const names = Object.keys(factors);
  if (names.length === 0) throw new InputError('combineFactors needs at least one factor');
  const base = factors[names[0]];
  for (const k of names)
    checkSameGrid(`factor ${names[0]}`, base, `factor ${k}`, factors[k], 'combine factors on the same dates and assets (alignPanels)');
  const method = options.method ?? 'equal';
  const horizon = options.horizon ?? 1;
  const window = options.window ?? 12;
  const minPeriods = options.minPeriods ?? window;
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new InputError(`horizon must be a positive integer, got ${horizon}`);
  if (!(Number.isInteger(window) && window >= 1)) throw new InputError(`window must be a positive integer, got ${window}`);
  if (!(Number.isInteger(minPeriods) && minPeriods >= 1 && minPeriods <= window))
    throw new InputError(`minPeriods must be an integer in 1..window, got ${minPeriods}`);
  const nd = base.nDates,
    m = base.nAssets,
    K = names.length;
  const z = names.map((k) => zscore(factors[k]));
  let weights: Float64Array[];
  let ics: Frame | null = null;
  if (method === 'equal') {
    weights = names.map(() => new Float64Array(nd).fill(1 / K));
  } else if (method === 'ic' || method === 'icir') {
    const fwd = options.forward;
    if (!fwd) throw new InputError(`method '${method}' needs forward returns`);
    checkSameGrid('the factors', base, 'forward returns', fwd);
    if (options.realisedDays && options.realisedDays.length !== nd)
      throw new InputError(`realisedDays has ${options.realisedDays.length} values, expected ${nd}`);
    const flavour = checkOneOf('ic', options.ic ?? 'spearman', ['spearman', 'pearson']);
    const series = z.map((zk) => {
      const s = informationCoefficient(zk, fwd, { minAssets: options.minAssets });
      return Float64Array.from(flavour === 'spearman' ? s.spearman : s.pearson);
    });
    ics = new Frame(base.dates, names, series);
    weights = trailingIcWeights(series, base.dates, method, { horizon, window, minPeriods, realisedDays: options.realisedDays });
  } else {
    throw new InputError(`unknown composite method ${String(method)}`);
  }
  const out = new Float64Array(nd * m).fill(NaN);
  for (let t = 0; t < nd; t++) {
    if (weights[0][t] !== weights[0][t]) continue;
    const off = t * m;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += weights[k][t] * z[k].values[off + j]; // NaN if any is missing
      out[off + j] = s;
    }
  }
  return {
    method,
    names,
    composite: new Panel(base.dates, base.assets, out),
    weights: new Frame(base.dates, names, weights),
    ics,
    window,
    minPeriods,
    horizon,
  };
}
