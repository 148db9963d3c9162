/**
 * Factor-weighted portfolios (alphalens `factor_weights` and `factor_returns`): on each date, a
 * weight per asset from its factor value, over the assets with a factor value (and, with a mask
 * such as the forward returns, a value there too).
 *
 * For a section s (the date's assets, or with `groupAdjust` the date's assets of one group) with
 * values f_j:
 *
 * - default (`demeaned`): x_j = f_j − mean_s(f); plain (`demeaned: false`): x_j = f_j;
 * - `equalWeight`: x_j = sign(f_j − median_s(f)) when demeaned (sign(f_j) otherwise), and when
 *   demeaned each side divided by its count (the long and the short side the same gross);
 * - then w_j = x_j / Σ_s |x_k| (NaN for the whole section when that sum is 0, pandas' 0 / 0).
 *
 * With `groupAdjust` the weights of the date's groups are then put on one scale:
 * w_j ← w_j / Σ_date |w_k| over the weights that are not NaN (every group the same gross, the date
 * gross 1). Assets without a group are left out (NaN). Factor return of a date:
 * R_t = Σ_j w_j r_j over the assets with a weight and a return (alphalens' `groupby(date).sum()`,
 * 0 when none); NaN on a date with no weight at all.
 *
 * With the defaults this is {@link factorWeightedReturns}'s weighting (alphalens
 * `factor_returns(demeaned=True)`), apart from a date with one asset, which that function leaves
 * NaN and which gets weight NaN here as well (0 / 0).
 */
import { checkOptionNames, checkSameGrid } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import type { GroupCodes } from './groups.js';

export interface FactorWeightOptions {
  /** Subtract the section's mean (or, with `equalWeight`, its median) first; default true (long-short). */
  demeaned?: boolean;
  /** Weights within each group, then every group on one scale; needs `groups`. */
  groupAdjust?: boolean;
  /** ±1 by the sign (above or below the median when demeaned) instead of the value. */
  equalWeight?: boolean;
  /** Group codes of the factor panel's shape (signals `resolveGroups`). */
  groups?: GroupCodes;
  /** Only cells where this panel (same shape) is not NaN, e.g. the forward returns. */
  mask?: Panel;
}

function median(x: number[]): number {
  const s = x.slice().sort((a, b) => a - b);
  const n = s.length,
    h = n >> 1;
  return n % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The weights of one section's values (alphalens `to_weights`). */
function sectionWeights(v: number[], demeaned: boolean, equalWeight: boolean): number[] {
  let x: number[];
  if (equalWeight) {
    const c = demeaned ? median(v) : 0;
    x = v.map((f) => Math.sign(f - c) + 0); // + 0: -0 is 0
    if (demeaned) {
      const neg = x.filter((s) => s < 0).length,
        pos = x.filter((s) => s > 0).length;
      x = x.map((s) => (s < 0 ? s / neg : s > 0 ? s / pos : s));
    }
  } else if (demeaned) {
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    x = v.map((f) => f - mu);
  } else x = v;
  const gross = x.reduce((a, b) => a + Math.abs(b), 0);
  return x.map((s) => s / gross);
}

/** Date-major weights, NaN where an asset has none (see the module comment for the definition). */
export function factorWeights(factor: Panel, options: FactorWeightOptions = {}): Panel {
  checkOptionNames<FactorWeightOptions>('factorWeights options', options, {
    demeaned: true,
    groupAdjust: true,
    equalWeight: true,
    groups: true,
    mask: true,
  });
  const n = factor.nDates,
    m = factor.nAssets,
    fv = factor.values;
  const demeaned = options.demeaned ?? true,
    equalWeight = options.equalWeight ?? false;
  const { mask, groups } = options;
  if (mask !== undefined) checkSameGrid('factor', factor, 'mask', mask);
  if (options.groupAdjust === true && groups === undefined)
    throw new InputError('groupAdjust needs groups', {
      hint: 'pass the group codes (signals resolveGroups)',
      options: ['groupAdjust', 'groups'],
    });
  if (groups !== undefined && groups.codes.length !== n * m) throw new InputError("group codes must have the factor panel's shape");
  const byGroup = options.groupAdjust === true ? groups : undefined;
  const out = new Float64Array(n * m).fill(NaN);
  for (let t = 0; t < n; t++) {
    const base = t * m;
    const sections = new Map<number, number[]>();
    for (let j = 0; j < m; j++) {
      const f = fv[base + j];
      if (!Number.isFinite(f) || (mask !== undefined && Number.isNaN(mask.values[base + j]))) continue;
      const g = byGroup === undefined ? 0 : byGroup.codes[base + j];
      if (g < 0) continue;
      const list = sections.get(g);
      if (list === undefined) sections.set(g, [j]);
      else list.push(j);
    }
    for (const members of sections.values()) {
      const w = sectionWeights(
        members.map((j) => fv[base + j]),
        demeaned,
        equalWeight,
      );
      members.forEach((j, k) => (out[base + j] = w[k]));
    }
    if (byGroup !== undefined) {
      let gross = 0;
      for (let j = 0; j < m; j++) if (!Number.isNaN(out[base + j])) gross += Math.abs(out[base + j]);
      for (let j = 0; j < m; j++) out[base + j] /= gross;
    }
  }
  return new Panel(factor.dates, factor.assets, out);
}

/**
 * The factor return of each date: Σ_j w_j r_j with the {@link factorWeights} formed over the assets
 * that have a return (alphalens `factor_returns` on clean factor data); NaN on a date without any
 * weight.
 */
export function factorReturns(factor: Panel, forward: Panel, options: Omit<FactorWeightOptions, 'mask'> = {}): Float64Array {
  // a mask here was overwritten by the forward returns' own
  checkOptionNames<Omit<FactorWeightOptions, 'mask'>>('factorReturns options', options, {
    demeaned: true,
    groupAdjust: true,
    equalWeight: true,
    groups: true,
  });
  checkSameGrid('factor', factor, 'forward returns', forward);
  const w = factorWeights(factor, { ...options, mask: forward });
  const n = factor.nDates,
    m = factor.nAssets,
    wv = w.values,
    rv = forward.values;
  const out = new Float64Array(n).fill(NaN);
  for (let t = 0; t < n; t++) {
    let any = false,
      s = 0;
    for (let j = t * m; j < (t + 1) * m; j++) {
      const x = wv[j];
      if (Number.isNaN(x)) continue;
      any = true;
      s += x * rv[j];
    }
    if (any) out[t] = s;
  }
  return out;
}
