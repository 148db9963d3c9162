/**
 * The one scheduler of the pool (OLS, Newey-West, rolling exposures, the factor analysis): work cut
 * into chunks, every thread that takes part — the calling one and `threads − 1` pool workers —
 * claims the next chunk from one shared counter (`Atomics.add`) until none is left
 * ({@link runChunked}), so a thread slowed by a busy core, a cold start or a harder part of the data
 * simply runs fewer chunks. Which thread runs a chunk never changes its numbers, only who writes them.
 */
import type { PoolTask, TaskResult } from './messages.js';
import type { WorkerPool } from './pool.js';

/**
 * Chunks per thread: enough for a slow thread to hand work to a fast one, few enough that what a
 * chunk repeats (the look-back rows of the analysis, the regressor design of the rolling fold) stays
 * small.
 */
export const CHUNKS_PER_THREAD = 4;

/**
 * Runs `count` items on `threads` threads: cut into `threads × CHUNKS_PER_THREAD` chunks, claimed
 * from one counter by `threads − 1` copies of the pool task `task(bounds, next)` and by the calling
 * thread through `local(i0, i1, c)` (which yields to the event loop between chunks, so that workers
 * coming up meanwhile get their task). Resolves with the workers' results. `chunksPerThread`
 * (default {@link CHUNKS_PER_THREAD}) trades balance for locality.
 */
export async function runChunked(
  pool: WorkerPool,
  threads: number,
  count: number,
  task: (bounds: Int32Array, next: Int32Array) => PoolTask,
  local: (i0: number, i1: number, c: number) => void,
  chunksPerThread = CHUNKS_PER_THREAD,
): Promise<TaskResult[]> {
  if (count <= 0) return [];
  const bounds = chunkBounds(count, Math.max(1, threads) * chunksPerThread),
    next = chunkCounter();
  const t = task(bounds, next);
  const { results } = await pool.runAlongside(
    Array.from({ length: Math.max(0, threads - 1) }, () => t),
    () => claimChunksYielding(bounds, next, local),
  );
  return results;
}

/** n items cut into `chunks` contiguous chunks of near-equal size: chunk c is [b[c], b[c + 1]). */
export function chunkBounds(n: number, chunks: number): Int32Array {
  const c = Math.max(1, Math.min(n, Math.floor(chunks)));
  const b = new Int32Array(c + 1);
  for (let i = 0; i <= c; i++) b[i] = Math.floor((i * n) / c);
  return b;
}

/** A fresh shared counter for {@link claimChunks}. */
export function chunkCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * Runs `work(b[c], b[c + 1], c)` for every chunk c this thread claims from `next[0]`, until the
 * chunks run out; returns how many it ran.
 */
export function claimChunks(bounds: Int32Array, next: Int32Array, work: (t0: number, t1: number, c: number) => void): number {
  const count = bounds.length - 1;
  let ran = 0;
  for (let c = Atomics.add(next, 0, 1); c < count; c = Atomics.add(next, 0, 1)) {
    work(bounds[c], bounds[c + 1], c);
    ran++;
  }
  return ran;
}

/**
 * {@link claimChunks} for the thread that also dispatches the pool's tasks: it yields to the event
 * loop after each chunk, so a worker that comes up meanwhile gets its task at once (piscina hands
 * tasks out from this thread's event loop) instead of after the last chunk.
 */
export async function claimChunksYielding(
  bounds: Int32Array,
  next: Int32Array,
  work: (t0: number, t1: number, c: number) => void,
): Promise<number> {
  const count = bounds.length - 1;
  let ran = 0;
  for (let c = Atomics.add(next, 0, 1); c < count; c = Atomics.add(next, 0, 1)) {
    work(bounds[c], bounds[c + 1], c);
    ran++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return ran;
}
