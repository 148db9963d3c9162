/**
 * `optimize --hrp`: hierarchical risk parity (portfolio hrp.ts) on the risk model's covariance
 * Σ = B·F·Bᵀ + D (`--hrp-covariance model`, the default), or on the sample covariance of the
 * names' returns over the fit window's dates (`sample`: pairwise over the dates both names have a
 * return, ddof 1, as PyPortfolioOpt's `HRPOpt(returns)` takes pandas `returns.cov()`), over the
 * names that can be traded at the window's end. The weights are then
 * handed to the optimiser as fixed bounds, so the result carries every report `optimize` gives
 * (exposures, risk decomposition, trades, tracking error against a --benchmark) for those weights.
 */
import { lowerBound } from '../../core/calendar.js';
import { InputError } from '../../core/errors.js';
import type { Panel } from '../../core/panel.js';
import { pairwiseCovariance } from '../../portfolio/covariance.js';
import { plural } from '../format.js';
import { hierarchicalRiskParity } from '../../portfolio/hrp.js';
import type { RiskModel } from '../../portfolio/riskModel.js';

/** The flags that would constrain or move weights HRP sets alone: refused with --hrp, by name. */
export const HRP_EXCLUSIVE: readonly (readonly [string, string])[] = [
  ['alpha', '--alpha'],
  ['minReturn', '--min-return'],
  ['maxSharpe', '--max-sharpe'],
  ['constraints', '--constraints'],
  ['budget', '--budget'],
  ['longShort', '--long-short'],
  ['minWeight', '--min-weight'],
  ['maxWeight', '--max-weight'],
  ['exposure', '--exposure'],
  ['activeExposure', '--active-exposure'],
  ['groupBand', '--group-band'],
  ['groupNeutral', '--group-neutral'],
  ['turnover', '--turnover'],
  ['trackingError', '--tracking-error'],
  ['maxNames', '--max-names'],
  ['minPosition', '--min-position'],
  ['riskAversion', '--risk-aversion'],
  ['linearCost', '--linear-cost'],
  ['tradePenalty', '--trade-penalty'],
];

/** Refuses the flags of {@link HRP_EXCLUSIVE} given beside --hrp. */
export function checkHrpFlags(flags: Readonly<Record<string, unknown>>): void {
  const given = HRP_EXCLUSIVE.filter(([key]) => flags[key] !== undefined && flags[key] !== false).map(([, flag]) => flag);
  if (given.length > 0)
    throw new InputError(`--hrp cannot be combined with ${given.join(', ')}`, {
      hint: 'hierarchical risk parity sets long-only weights summing to 1 from the covariance alone: drop them, or drop --hrp to optimise under constraints',
    });
}

/** Σ = B·F·Bᵀ + D over the assets `idx` of the model, dense row-major. */
export function denseCovariance(m: RiskModel, idx: readonly number[]): Float64Array {
  const k = m.factors.length,
    n = idx.length;
  const bf = new Float64Array(n * k); // B·F
  idx.forEach((a, r) => {
    for (let g = 0; g < k; g++) {
      let s = 0;
      for (let f = 0; f < k; f++) s += m.exposures[a * k + f] * m.factorCovariance[f * k + g];
      bf[r * k + g] = s;
    }
  });
  const c = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let q = r; q < n; q++) {
      let s = 0;
      for (let g = 0; g < k; g++) s += bf[r * k + g] * m.exposures[idx[q] * k + g];
      if (q === r) s += m.specificVariance[idx[r]];
      c[r * n + q] = s;
      c[q * n + r] = s;
    }
  return c;
}

/**
 * The sample covariance of `names`' returns on the `dates` (day numbers of `returns`' calendar),
 * pairwise as pandas `DataFrame.cov()`; a pair with fewer than 2 returns on common dates is an
 * InputError naming it.
 */
export function sampleCovarianceOf(returns: Panel, dates: ArrayLike<number>, names: readonly string[]): Float64Array {
  const cols = names.map((a) => returns.assetIndex(a));
  const rows: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    const r = lowerBound(returns.dates, dates[i]);
    if (r < returns.nDates && returns.dates[r] === dates[i]) rows.push(r);
  }
  const t = rows.length,
    k = names.length,
    m = returns.nAssets;
  const x = new Float64Array(t * k);
  rows.forEach((r, i) => cols.forEach((c, j) => (x[i * k + j] = c < 0 ? NaN : returns.values[r * m + c])));
  const { matrix, counts } = pairwiseCovariance(x, Math.max(1, t), k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++)
      if (!Number.isFinite(matrix[a * k + b]))
        throw new InputError(
          a === b
            ? `${names[a]} has ${plural(counts[a * k + a], 'return')} in the fit window, so it has no sample variance`
            : `${names[a]} and ${names[b]} have ${plural(counts[a * k + b], 'return')} on common dates in the fit window, so they have no sample covariance`,
          {
            asset: names[a],
            hint: 'use --hrp-covariance model (the risk model fits each name on its own dates), widen --start..--end, or --min-obs to leave short histories out',
          },
        );
  return matrix;
}

/**
 * HRP weights over the risk model's assets: the names that cannot be traded (`stale`) keep their
 * current weight (0 without one), and the tradable ones share the rest of the budget of 1 by
 * hierarchical risk parity on Σ; and the note that says so.
 */
export function hrpWeights(
  m: RiskModel,
  stale: ReadonlySet<number>,
  current: ArrayLike<number> | undefined,
  sample?: { returns: Panel; dates: ArrayLike<number> },
): { weights: Float64Array; note: string } {
  const idx = m.assets.map((_, i) => i).filter((i) => !stale.has(i));
  if (idx.length === 0)
    throw new InputError("no name of the risk model can be traded at the window's end, so there is nothing to weight", {
      hint: 'end the window at a date the names trade (--end), or --stale-after 0',
    });
  const weights = new Float64Array(m.assets.length);
  let held = 0;
  for (const i of stale) {
    weights[i] = current?.[i] ?? 0;
    if (weights[i] < 0)
      throw new InputError(
        `${m.assets[i]} cannot be traded at the window's end and is held short (${+(weights[i] * 100).toPrecision(6)}%) in --current: hierarchical risk parity is long-only`,
        { asset: m.assets[i], hint: 'end the window at a date it trades (--end), or drop --hrp to optimise a long-short book' },
      );
    held += weights[i];
  }
  if (!(held < 1))
    throw new InputError(
      `the names that cannot be traded hold ${+(held * 100).toPrecision(6)}% at their current weights, which leaves nothing to weight`,
      {
        hint: 'end the window at a date they trade (--end), or --stale-after 0',
      },
    );
  const names = idx.map((i) => m.assets[i]);
  const cov = sample === undefined ? denseCovariance(m, idx) : sampleCovarianceOf(sample.returns, sample.dates, names);
  const h = hierarchicalRiskParity(cov, idx.length, names);
  idx.forEach((a, r) => (weights[a] = h.weights[r] * (1 - held)));
  const first = Array.from(h.order.subarray(0, 5), (r) => names[r]).join(', ');
  const staleWords =
    stale.size === 0
      ? ''
      : held > 0
        ? `; ${plural(stale.size, 'name')} that cannot be traded: held at the current weights (${+(held * 100).toPrecision(4)}%), the others share the rest`
        : `; ${plural(stale.size, 'name')} that cannot be traded: weight 0`;
  return {
    weights,
    note: `hierarchical risk parity (--hrp; López de Prado, PyPortfolioOpt's HRPOpt) on ${sample === undefined ? "the risk model's covariance B·F·Bᵀ + D" : `the sample covariance of the returns (pairwise, ddof 1, as pandas returns.cov()) on the fit window's ${plural(sample.dates.length, 'date')}`} over ${idx.length} names: single-linkage clusters of √((1 − ρ)/2), ordered ${first}${idx.length > 5 ? ', ...' : ''}, split in halves by inverse-variance cluster risk${staleWords}`,
  };
}
