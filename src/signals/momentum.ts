/**
 * The classic 12-1 momentum factor from prices:
 *
 *   mom(t) = p(t - skip) / p(t - lookback) - 1,
 *
 * rows of the price calendar (default lookback 252, skip 21: the return from about twelve months
 * ago to one month ago, skipping the last month's reversal). NaN when either price is missing or
 * t < lookback. No fill: a gap in prices is a gap in momentum.
 */
import { checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { Panel, float64s } from '../core/panel.js';

export interface MomentumOptions {
  /** Rows back to the start price (default 252). */
  lookback?: number;
  /** Rows back to the end price (default 21); must be below lookback. */
  skip?: number;
  /** Put the values on a SharedArrayBuffer, for worker threads to read in place (default false). */
  shared?: boolean;
  /**
   * Makes the buffer of the values (e.g. a zoo's `BufferLease.alloc`, so that factor after factor
   * reuses one buffer instead of paging in a fresh panel); its contents need not be cleared.
   * Takes precedence over `shared`.
   */
  alloc?: (bytes: number) => ArrayBufferLike;
}

export function momentum(prices: Panel, options: MomentumOptions = {}): Panel {
  // `{ lookbak: 126 }` computed 12-1 momentum without a word
  checkOptionNames<MomentumOptions>('momentum options', options, { lookback: true, skip: true, shared: true, alloc: true });
  const { lookback, skip } = momentumWindow(options);
  const n = prices.nDates,
    m = prices.nAssets;
  const out = options.alloc !== undefined ? new Float64Array(options.alloc(n * m * 8), 0, n * m) : float64s(n * m, options.shared);
  out.fill(NaN, 0, Math.min(lookback, n) * m); // every later row is written whole below
  for (let t = lookback; t < n; t++) momentumRowInto(prices.values, m, t, lookback, skip, out, t * m);
  return new Panel(prices.dates, prices.assets, out);
}

/** The lookback and skip of `options` with their defaults (252, 21), checked: integers, 0 ≤ skip < lookback. */
export function momentumWindow(options: { lookback?: number; skip?: number }): { lookback: number; skip: number } {
  const lookback = options.lookback ?? 252,
    skip = options.skip ?? 21;
  if (!Number.isInteger(lookback) || !Number.isInteger(skip) || skip < 0 || lookback <= skip) {
    throw new InputError(`momentum needs integers 0 <= skip < lookback, got skip ${skip}, lookback ${lookback}`);
  }
  return { lookback, skip };
}

/**
 * The one definition of a momentum row: out[o + j] = P[t − skip, j] / P[t − lookback, j] − 1 for
 * the m assets of the date-major prices `p` (t ≥ lookback). `momentum` and the backtest's
 * on-demand rows (backtest/signal.ts `momentumRows`) both call it.
 */
export function momentumRowInto(
  p: ArrayLike<number>,
  m: number,
  t: number,
  lookback: number,
  skip: number,
  out: Float64Array,
  o: number,
): void {
  const a = (t - lookback) * m,
    b = (t - skip) * m;
  for (let j = 0; j < m; j++) out[o + j] = p[b + j] / p[a + j] - 1;
}
