/**
 * The data of a batched regression: m series of n observations, each regressed on the same k
 * regressors. `y` is date-major n × m (y[t·m + j] is series j at row t: a Panel's values), `x`
 * row-major n × k (x[t·k + f]); NaN marks a missing value. The batched fits (olsBatch,
 * elasticNetBatch, rollingOls) take it as their first argument.
 */
export interface BatchRegressionData {
  /** Date-major n × m responses. */
  y: ArrayLike<number>;
  /** Rows (observations). */
  n: number;
  /** Series. */
  m: number;
  /** Row-major n × k regressors. */
  x: ArrayLike<number>;
  /** Regressors (without the constant). */
  k: number;
}

/** True for a {@link BatchRegressionData} (the options-object call form), false for a bare array (the positional kernel form). */
export function isBatchData(a: unknown): a is BatchRegressionData {
  return typeof a === 'object' && a !== null && !('length' in a) && 'y' in a && 'x' in a;
}
