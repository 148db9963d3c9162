/**
 * {@link rollingPortfolioExposures} with the asset blocks spread over threads, bit-identical.
 *
 * Split: assets are cut into the fixed blocks of exposures/rolling.ts (ROLLING_BLOCK assets); the
 * blocks are run by the one scheduler (chunks.ts `runChunked`: chunks of blocks claimed from a
 * shared counter by the calling thread and the pool's workers). Each block writes its own partial
 * sums into one shared buffer, and the calling thread adds them in block order, exactly as the
 * single-thread path does: results are bit-identical for any number of threads.
 *
 * When it pays: one thread (or fewer than two blocks) runs the pure single-thread path in process;
 * the bench measures both (bench/exposures.mjs).
 */
import type { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import {
  type RollingExposureOptions,
  type RollingPortfolioExposures,
  blockCount,
  finishRollingPortfolio,
  foldBlock,
  partialWidth,
  prepareRollingPortfolio,
  rollingPortfolioExposures,
} from '../exposures/rolling.js';
import { prepareRollingDesign, type RollingDesign } from '../stats/rollingOls.js';
import { runChunked } from './chunks.js';
import { type ParallelOptions, sharedFloat64, threadsOf, withPool } from './pool.js';

/** {@link rollingPortfolioExposures} over `threads` threads (see the module doc); the same result, bit for bit. */
export async function rollingPortfolioExposuresParallel(
  returns: Panel,
  factors: Frame,
  weights: Panel,
  options: RollingExposureOptions & ParallelOptions,
): Promise<RollingPortfolioExposures> {
  const { threads: _t, pool: _p, ...rolling } = options;
  const threads = threadsOf(options);
  const nBlocks = blockCount(returns.nAssets);
  if (threads <= 1 || nBlocks < 2) return rollingPortfolioExposures(returns, factors, weights, rolling);
  const input = prepareRollingPortfolio(returns, factors, weights, rolling);
  const { n, m, k } = input;
  const width = n * partialWidth(k);
  const x = sharedFloat64(input.x),
    y = sharedFloat64(input.y),
    w = sharedFloat64(input.w);
  const partials = sharedFloat64(nBlocks * width);
  let design: RollingDesign | undefined; // the calling thread's, built on its first chunk
  await withPool(options, threads, (pool) =>
    runChunked(
      pool,
      threads,
      nBlocks,
      (bounds, next) => ({ kind: 'rollingFold', n, m, k, x, y, w, partials, options: input.options, bounds, next }),
      (b0, b1) => {
        design ??= prepareRollingDesign(input.x, n, k, input.options);
        for (let b = b0; b < b1; b++) foldBlock(input, design, b, partials.subarray(b * width, (b + 1) * width));
      },
    ),
  );
  const views: Float64Array[] = [];
  for (let b = 0; b < nBlocks; b++) views.push(partials.subarray(b * width, (b + 1) * width));
  return finishRollingPortfolio(input, views);
}
