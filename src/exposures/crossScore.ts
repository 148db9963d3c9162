/**
 * Cross scores: the cross-sectional percentile of an exposure.
 *
 * Over the N assets that have the exposure (non-NaN), score_i = rank_i / N with average ranks for
 * ties (scipy `rankdata(method='average') / N`): the lowest of four distinct exposures scores
 * 0.25, the highest 1, and two assets tied for the lowest of four both score (1 + 2)/2/4 = 0.375.
 * Assets without the exposure score NaN.
 *
 * Definitions (all of them, in one place): docs/definitions.md#factor-exposures.
 */
import { InputError } from '../core/errors.js';
import { percentileRanks } from '../stats/ranks.js';

export interface CrossScore {
  /** Name of the score (a row of the exposures). */
  readonly name: string;
  /** Exposure it ranks (a factor name). */
  readonly base: string;
}

export function makeCrossScore(name: string, base: string): CrossScore {
  if (typeof name !== 'string' || name.length === 0) throw new InputError('a cross score needs a non-empty name', { value: String(name) });
  if (typeof base !== 'string' || base.length === 0)
    throw new InputError(`cross score ${name} needs the name of the exposure it ranks`, { value: String(base) });
  return Object.freeze({ name, base });
}

/** Percentile scores rank / N of `exposure` over its non-NaN entries (NaN stays NaN). */
export function crossScore(exposure: ArrayLike<number>): Float64Array {
  return percentileRanks(exposure);
}
