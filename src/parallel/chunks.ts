/**
 * Dynamic balance for work cut into chunks: every thread that takes part claims the next chunk
 * from one shared counter (`Atomics.add`) until none is left, so a thread slowed by a busy core,
 * a cold start or a harder part of the data simply runs fewer chunks. Which thread runs a chunk
 * never changes its numbers, only who writes them.
 */

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
export async function claimChunksYielding(bounds: Int32Array, next: Int32Array, work: (t0: number, t1: number, c: number) => void): Promise<number> {
  const count = bounds.length - 1;
  let ran = 0;
  for (let c = Atomics.add(next, 0, 1); c < count; c = Atomics.add(next, 0, 1)) {
    work(bounds[c], bounds[c + 1], c);
    ran++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return ran;
}
