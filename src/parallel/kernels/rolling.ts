/**
 * Pool kernel of the rolling portfolio exposures: `rollingFold` folds the asset blocks of the chunks
 * it claims into the shared partial sums (exposures/rolling.ts `foldBlock`). See ../messages.ts.
 */
import { type RollingPortfolioInput, foldBlock, partialWidth } from '../../exposures/rolling.js';
import { prepareRollingDesign } from '../../stats/rollingOls.js';
import { claimChunks } from '../chunks.js';
import type { RollingFoldTask } from '../messages.js';

export function runRollingFold(task: RollingFoldTask): void {
  const { n, m, k, x, y, w, partials, options } = task;
  const input: RollingPortfolioInput = {
    n,
    m,
    k,
    factorNames: [],
    dates: new Int32Array(0),
    y,
    w,
    x,
    grossWeight: new Float64Array(0),
    options,
    renormalize: false,
  };
  const design = prepareRollingDesign(x, n, k, options);
  const width = n * partialWidth(k);
  claimChunks(task.bounds, task.next, (b0, b1) => {
    for (let b = b0; b < b1; b++) foldBlock(input, design, b, partials.subarray(b * width, (b + 1) * width));
  });
}
