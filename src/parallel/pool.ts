/**
 * A small worker pool (piscina) over SharedArrayBuffer for per-asset kernels, and the parallel
 * rolling portfolio exposures built on it.
 *
 * Split: assets are cut into the fixed blocks of exposures/rolling.ts (ROLLING_BLOCK assets); the
 * blocks are dealt to `threads` tasks as contiguous ranges. Each block writes its own partial sums
 * into one shared buffer, and the main thread adds them in block order, exactly as the single-thread
 * path does: results are bit-identical for any number of threads.
 *
 * Where the worker code comes from: a worker thread runs JavaScript, not TypeScript, so the pool
 * loads the compiled `worker.js` next to this module (in `dist/parallel/`). When this module itself
 * runs from the TypeScript sources (vitest), it falls back to the built `dist/parallel/worker.js`
 * of the same checkout, and fails with "run npm run build" if there is none. The pool's tests import
 * the built package for that reason; the kernels themselves are tested from the sources.
 *
 * When it pays: one thread (or fewer than two blocks) runs the pure single-thread path in process;
 * the bench measures both (bench/exposures.mjs).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import {
  type RollingExposureOptions, type RollingPortfolioExposures, blockCount, finishRollingPortfolio, partialWidth, prepareRollingPortfolio,
  rollingPortfolioExposures,
} from '../exposures/rolling.js';
import type { PoolTask, TaskResult } from './tasks.js';

/** The compiled worker entry, or an error saying how to build it. */
export function workerFile(): string {
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../dist/parallel/worker.js', import.meta.url)];
  for (const c of candidates) if (existsSync(fileURLToPath(c))) return c.href;
  throw new Error(`factorlab: the worker entry dist/parallel/worker.js is missing; run \`npm run build\` first (looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')})`);
}

/**
 * piscina, loaded on the first pool rather than at import: every CLI command imports this module
 * (for `--threads`), and most runs never start a pool.
 */
function loadPiscina(): typeof Piscina {
  return (createRequire(import.meta.url)('piscina') as { Piscina: typeof Piscina }).Piscina;
}

/** Cores the pool may use by default: the machine's available parallelism. */
export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

export class WorkerPool {
  readonly threads: number;
  private readonly piscina: Piscina;

  constructor(threads = defaultThreads()) {
    this.threads = Math.max(1, Math.floor(threads));
    const PiscinaClass = loadPiscina();
    this.piscina = new PiscinaClass({ filename: workerFile(), minThreads: this.threads, maxThreads: this.threads, idleTimeout: 1000 });
  }

  /** Runs the tasks, at most `threads` at a time; resolves with each task's result (seconds, issues). */
  run(tasks: readonly PoolTask[]): Promise<TaskResult[]> {
    return Promise.all(tasks.map((t) => this.piscina.run(t) as Promise<TaskResult>));
  }

  /**
   * Runs the tasks on the workers while the calling thread runs `local` (its own share; an async
   * `local` may yield to let late workers take their tasks, chunks.ts `claimChunksYielding`);
   * resolves with both results once everything is done. Before `local` starts it yields to the
   * event loop once: piscina hands tasks to workers from this thread's event loop, and a pool made a
   * moment ago marks its workers ready in a microtask, so without the yield a fresh pool's tasks
   * would wait until `local` had finished, and the threads would run one after the other. If
   * `local` throws, the tasks are still awaited before the error propagates.
   */
  async runAlongside<T>(tasks: readonly PoolTask[], local: () => T | Promise<T>): Promise<{ local: T; results: TaskResult[] }> {
    const pending = this.run(tasks);
    let mine: T;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      mine = await local();
    } catch (e) {
      await pending.catch(() => undefined);
      throw e;
    }
    return { local: mine, results: await pending };
  }

  destroy(): Promise<void> { return this.piscina.destroy(); }
}

/** A Float64Array over shared memory holding a copy of `src` (or zeros of length `len`). */
export function sharedFloat64(src: Float64Array | number): Float64Array {
  const len = typeof src === 'number' ? src : src.length;
  const out = new Float64Array(new SharedArrayBuffer(len * 8));
  if (typeof src !== 'number') out.set(src);
  return out;
}

export interface ParallelOptions {
  /** Threads (default: available parallelism). 1 runs the single-thread path in process. */
  threads?: number;
  /** Reuse this pool instead of starting (and stopping) one for the call. */
  pool?: WorkerPool;
}

/**
 * {@link rollingPortfolioExposures} with the asset blocks spread over worker threads. Bit-identical
 * to the single-thread function.
 */
export async function rollingPortfolioExposuresParallel(
  returns: Panel, factors: Frame, weights: Panel, options: RollingExposureOptions & ParallelOptions,
): Promise<RollingPortfolioExposures> {
  const threads = options.pool?.threads ?? options.threads ?? defaultThreads();
  const nBlocks = blockCount(returns.nAssets);
  if (threads <= 1 || nBlocks < 2) return rollingPortfolioExposures(returns, factors, weights, options);
  const input = prepareRollingPortfolio(returns, factors, weights, options);
  const { n, m, k } = input;
  const width = n * partialWidth(k);
  const x = sharedFloat64(input.x), y = sharedFloat64(input.y), w = sharedFloat64(input.w);
  const partials = sharedFloat64(nBlocks * width);
  const nTasks = Math.min(nBlocks, threads);
  const tasks: PoolTask[] = [];
  for (let i = 0; i < nTasks; i++) {
    const b0 = Math.floor((i * nBlocks) / nTasks), b1 = Math.floor(((i + 1) * nBlocks) / nTasks);
    tasks.push({ kind: 'rollingFold', n, m, k, x, y, w, partials, options: input.options, b0, b1 });
  }
  const pool = options.pool ?? new WorkerPool(threads);
  try {
    await pool.run(tasks);
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
  const views: Float64Array[] = [];
  for (let b = 0; b < nBlocks; b++) views.push(partials.subarray(b * width, (b + 1) * width));
  return finishRollingPortfolio(input, views);
}
