/**
 * A small worker pool (piscina) over SharedArrayBuffer, and the threads option shared by every
 * parallel function ({@link ParallelOptions}: `{ threads, pool }` inside that function's options).
 *
 * Where the worker code comes from: a worker thread runs JavaScript, not TypeScript, so the pool
 * loads the compiled `worker.js` next to this module (in `dist/parallel/`). When this module itself
 * runs from the TypeScript sources (vitest), it falls back to the built `dist/parallel/worker.js`
 * of the same checkout, and fails with "run npm run build" if there is none; the unit tests' global
 * setup (test/globalSetup.ts) rebuilds dist/ when it is older than src/, so a test never drives
 * stale compiled code. The pool's tests import the built package for that reason; the kernels
 * themselves are tested from the sources (dispatch.ts `runTask`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { PoolTask, TaskResult } from './messages.js';

/** The compiled worker entry, or an error saying how to build it. */
export function workerFile(): string {
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../dist/parallel/worker.js', import.meta.url)];
  for (const c of candidates) if (existsSync(fileURLToPath(c))) return c.href;
  throw new Error(
    `factorlab: the worker entry dist/parallel/worker.js is missing; run \`npm run build\` first (looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')})`,
  );
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
    this.piscina = new PiscinaClass({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 1000,
      // The workers' numbers live in shared typed arrays; their JavaScript garbage is small, and V8's
      // default young generation (16 MiB semi-spaces) only adds resident memory: 4 MiB cut the peak
      // of analyze at 3,000 x 2,500 on two threads by ~6 MiB and exposures' at 5,000 x 2,520 by
      // up to 10 MiB, at the same speed.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
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

  destroy(): Promise<void> {
    return this.piscina.destroy();
  }
}

/** A Float64Array over shared memory holding a copy of `src` (or zeros of length `len`). */
export function sharedFloat64(src: Float64Array | number): Float64Array {
  const len = typeof src === 'number' ? src : src.length;
  const out = new Float64Array(new SharedArrayBuffer(len * 8));
  if (typeof src !== 'number') out.set(src);
  return out;
}

/**
 * The threads of every parallel function, inside the options object of that function. The calling
 * thread always works: `threads` threads are the calling one and `threads − 1` pool workers (a
 * given pool of N workers counts as N threads unless `threads` says otherwise, as before).
 */
export interface ParallelOptions {
  /** Threads (default: the given pool's size, else the available parallelism). 1 runs in process. */
  threads?: number;
  /** Reuse this pool (its workers) instead of starting (and stopping) one for the call. */
  pool?: WorkerPool;
}

/** The threads a {@link ParallelOptions} asks for (see there). */
export function threadsOf(options: ParallelOptions): number {
  return Math.max(1, Math.floor(options.threads ?? options.pool?.threads ?? defaultThreads()));
}

/**
 * Runs `work` with the given pool, or with a fresh pool of `threads − 1` workers that is destroyed
 * afterwards.
 */
export async function withPool<T>(options: ParallelOptions, threads: number, work: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = options.pool ?? new WorkerPool(threads - 1);
  try {
    return await work(pool);
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
}
