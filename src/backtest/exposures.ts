/**
 * The strategy's own factor exposures through time, two ways (both through `FactorExposures`,
 * src/exposures, so the definitions are that module's):
 *
 * 1. **Regression**: the rolling OLS of the strategy's net return on the factor returns over the
 *    trailing `window` rows (exposures/rolling.ts `rollingRegression`): columns `const`, one slope
 *    per factor, `r2`, `residual_std`, `nobs`, on the backtest's dates. With a risk-free column
 *    the regressand is r_net(t) − rf(t) and rf is not a regressor.
 * 2. **Holdings**: Σ_i w_i(t)·β_i(t) per factor, where w_i(t) are the held weights at t's close
 *    (the engine's `holdingsHistory`, drift included) and β_i(t) the slopes of asset i's rolling
 *    OLS of its (excess) simple returns p_i(t)/p_i(t−1) − 1 on the factors over the same trailing
 *    window (`ExposureResults.rollingExposures`, with its covered-weight accounting: weights of
 *    names without betas are left out and reported as `coveredWeight` < 1). Both are known at t's
 *    close, so nothing looks ahead.
 *
 * Factor dates are matched to the price dates exactly (rows without every factor drop out of the
 * windows, `nobs` says how many were used): give factors of the prices' frequency (daily Ken
 * French factors for daily prices).
 */
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { FactorExposures } from '../exposures/factorExposures.js';
import { rollingRegression } from '../exposures/rolling.js';
import type { BacktestResult } from './engine.js';

export interface StrategyExposureOptions {
  /** Rows in each trailing window (at least the number of factors + 2). */
  window: number;
  /** Minimum observations in a window (default: coefficients + 1). */
  minObs?: number;
  /** The risk-free column of `factors` (subtracted, not a regressor); default none. */
  riskFree?: string;
}

export interface StrategyExposures {
  factors: string[];
  window: number;
  /** Rolling regression of the strategy's (excess) net return: const, factors, r2, residual_std, nobs. */
  regression: Frame;
  /** Holdings-weighted exposures Σ w_i β_i per factor, on the backtest's dates (undefined without holdingsHistory). */
  holdings?: {
    exposures: Frame;
    /** Σ_covered |w| / Σ |w| per date (NaN when nothing is held). */
    coveredWeight: Float64Array;
    /** Held names with betas, per date. */
    assetsUsed: Int32Array;
  };
}

/** The held weights of every reported row as a panel over the names ever held (0 = not held). */
export function holdingsPanel(result: BacktestResult, assets: readonly string[]): Panel {
  const h = result.holdingsHistory;
  if (h === undefined)
    throw new InputError('the backtest kept no holdings history', {
      hint: 'run it with recordHoldings: true',
      options: ['recordHoldings'],
    });
  const col = new Int32Array(assets.length).fill(-1);
  const names: string[] = [];
  for (let q = 0; q < h.assets.length; q++) {
    const j = h.assets[q];
    if (col[j] < 0) col[j] = -2;
  }
  for (let j = 0; j < assets.length; j++)
    if (col[j] === -2) {
      col[j] = names.length;
      names.push(assets[j]);
    }
  const n = result.dates.length,
    k = names.length;
  const values = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let q = h.offsets[i]; q < h.offsets[i + 1]; q++) values[i * k + col[h.assets[q]]] = h.weights[q];
  return new Panel(result.dates, names, values);
}

/** Simple returns of `names` on the backtest's rows, the first row's from the row before it (NaN when there is none). */
function assetReturns(prices: Panel, result: BacktestResult, names: readonly string[]): Panel {
  const n = result.dates.length,
    k = names.length,
    m = prices.nAssets,
    p = prices.values;
  const cols = names.map((a) => prices.assetIndex(a));
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const t = result.firstRow + i;
    for (let c = 0; c < k; c++) out[i * k + c] = t > 0 ? p[t * m + cols[c]] / p[(t - 1) * m + cols[c]] - 1 : NaN;
  }
  return new Panel(result.dates, names, out);
}

/** Both kinds of exposures of a backtest (see the module comment). */
export function strategyExposures(
  result: BacktestResult,
  prices: Panel,
  factors: Frame,
  options: StrategyExposureOptions,
): StrategyExposures {
  const rf = options.riskFree;
  const names = factors.columns.filter((c) => c !== rf);
  const x = factors.select(names);
  // 1. the strategy's own rolling regression (its return on row 0 is the first trade's cost only: left out)
  const n = result.dates.length;
  const y = new Float64Array(n).fill(NaN);
  const rfOn = rf === undefined ? undefined : factors.get(rf);
  const row = new Map<number, number>();
  for (let t = 0; t < factors.nDates; t++) row.set(factors.dates[t], t);
  for (let i = 1; i < n; i++) {
    const r = rfOn === undefined ? 0 : (rfOn[row.get(result.dates[i]) ?? -1] ?? NaN);
    y[i] = result.netReturns[i] - r;
  }
  const regression = rollingRegression({ dates: result.dates, values: y }, x, { window: options.window, minObs: options.minObs });
  const out: StrategyExposures = { factors: names, window: options.window, regression };
  // 2. holdings-weighted exposures
  if (result.holdingsHistory !== undefined) {
    const weights = holdingsPanel(result, prices.assets);
    if (weights.nAssets > 0) {
      const fe = new FactorExposures().addRegressionFactors(factors, { step: false }).addStep(names);
      const fit = fe.fit(assetReturns(prices, result, weights.assets), rf === undefined ? {} : { riskFree: rf });
      const r = fit.rollingExposures(weights, { window: options.window, minObs: options.minObs, weightsFill: 'none' });
      out.holdings = { exposures: r.exposures, coveredWeight: r.coveredWeight, assetsUsed: r.assetsUsed };
    }
  }
  return out;
}
