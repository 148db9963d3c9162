/**
 * What the values of a loaded table most likely are, when the user did not say (`--kind auto`):
 *
 * - `prices` for a price-named value column (close, adj_close, adjusted_close, price, prices, open,
 *   high, low, px_last, last; any case), `returns` for a return-named one (ret, return, returns, r);
 * - else from the values (a systematic sample of at most ~100,000 finite cells): `prices` when none
 *   is zero or negative and the median is above 1, for a wide table or a long one without a named
 *   value column; `returns` when the median is within ±0.05 and some values are zero or negative;
 * - otherwise `values` (factor scores, weights, anything else).
 *
 * The guess only chooses which data-quality checks apply (a price must be positive; bad ticks are
 * price jumps that revert); it never changes a number.
 *
 * Definitions (all of them, in one place): docs/definitions.md#reading-files.
 */
import type { Panel } from '../core/panel.js';
import type { ValueKind } from './readPanel.js';

/** Value-column names that mean prices (case-insensitive). */
export const PRICE_COLUMN_NAME = /^(close|adj_?close|adjusted_?close|price|prices|open|high|low|px_last|last)$/i;
/** Value-column names that mean returns (case-insensitive). */
export const RETURN_COLUMN_NAME = /^(ret|return|returns|r)$/i;

/** The guessed kind of a panel's values (see the module doc). */
export function guessValueKind(panel: Panel, layout: 'long' | 'wide', valueCol: string | undefined): ValueKind {
  if (valueCol !== undefined && PRICE_COLUMN_NAME.test(valueCol)) return 'prices';
  if (valueCol !== undefined && RETURN_COLUMN_NAME.test(valueCol)) return 'returns';
  const v = panel.values;
  let n = 0,
    nonPositive = 0;
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(v.length / 100_000));
  for (let i = 0; i < v.length; i += step) {
    const x = v[i];
    if (x !== x) continue;
    n++;
    if (x <= 0) nonPositive++;
    sample.push(x);
  }
  if (n === 0) return 'values';
  sample.sort((a, b) => a - b);
  const median = sample[sample.length >> 1];
  if (nonPositive === 0 && median > 1 && (layout === 'wide' || valueCol === undefined)) return 'prices';
  if (Math.abs(median) < 0.05 && nonPositive > 0) return 'returns';
  return 'values';
}
