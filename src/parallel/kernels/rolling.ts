/**
 * Pool kernel of the rolling portfolio exposures: `rollingFold` folds the asset blocks [b0, b1)
 * into the shared partial sums (exposures/rolling.ts `foldBlock`). See ../tasks.ts.
 */
import { type RollingPortfolioInput, foldBlock, partialWidth } from '../../exposures/rolling.js';
import { prepareRollingDesign } from '../../stats/rollingOls.js';
import type { RollingFoldTask } from '../tasks.js';

export function runRollingTask(task: RollingFoldTask): void {
  const { n, m, k, x, y, w, partials, options, b0, b1 } = task;
  const input: RollingPortfolioInput = {
    n, m, k, factorNames: [], dates: new Int32Array(0), y, w, x, grossWeight: new Float64Array(0), options, renormalize: false,
  };
  const design = prepareRollingDesign(x, n, k, options);
  const width = n * partialWidth(k);
  for (let b = b0; b < b1; b++) foldBlock(input, design, b, partials.subarray(b * width, (b + 1) * width));
}
