/**
 * Buffers reused by analyses run one after another on the same grid (a factor zoo), so each
 * analysis does not page in fresh memory for its clean intermediate.
 *
 * Why: an analysis of F formation dates × m assets with H horizons writes (H + 1) · F · m doubles
 * of prepared data (the factor and each forward return; signals `prepareFactorData`) and ranks
 * and labels of up to F · m cells (`perDateStatistics`' scratch; `analyzeFactorData` holds one
 * block of about 2 Mi cells at a time) — 264 MB at 2,500 × 3,000 with three horizons. Fresh ArrayBuffers of that size are mapped anew by the allocator, and touching them
 * the first time costs a page fault per 4 KiB: measured here about 1 s of CPU (half of it system
 * time) per analysis, as much as the statistics themselves. Reusing the buffers of the previous
 * factor removes that cost; the numbers do not change (every reader writes a cell before it reads
 * it: the prepared rows are written whole, the ranks and labels of every row in range are computed).
 *
 * Use: `const lease = pool.lease()`, pass `{ buffers: lease }` in the analysis options, and call
 * `lease.release()` once nothing of the analysis's prepared data is used any more (its JSON is
 * plain numbers, so after `toJSON()` it is free). A buffer goes back to the pool only on release,
 * so analyses that overlap (each with its own lease) never share one. The pool keeps the buffers
 * of the latest released lease's sizes only: a change of grid drops the others.
 */
import type { AnalysisBuffers, StatisticsScratch } from './analysisTypes.js';

/** Buffers for one analysis at a time (see the module doc); from {@link BufferPool.lease}. */
export interface BufferLease extends AnalysisBuffers {
  /** Gives the buffers back to the pool; the analysis that used them must be finished with them. */
  release(): void;
}

export class BufferPool {
  /** Free buffers by byte length. */
  #free = new Map<number, ArrayBuffer[]>();
  #scratch: StatisticsScratch[] = [];

  /** Buffers for one analysis: reused ones of the requested sizes when free, else fresh ones. */
  lease(): BufferLease {
    const lent: ArrayBuffer[] = [];
    const scratch = this.#scratch.pop() ?? { ranks: new Float64Array(0), labels: new Int32Array(0) };
    let open = true;
    return {
      scratch,
      get released(): boolean {
        return !open;
      },
      alloc: (bytes: number): ArrayBuffer => {
        if (!open) throw new Error('BufferPool: alloc on a released lease');
        const b = this.#free.get(bytes)?.pop() ?? new ArrayBuffer(bytes);
        lent.push(b);
        return b;
      },
      release: (): void => {
        if (!open) return;
        open = false;
        const sizes = new Set(lent.map((b) => b.byteLength));
        for (const size of [...this.#free.keys()]) if (!sizes.has(size)) this.#free.delete(size);
        for (const b of lent) {
          const list = this.#free.get(b.byteLength);
          if (list === undefined) this.#free.set(b.byteLength, [b]);
          else list.push(b);
        }
        this.#scratch.push(scratch);
      },
    };
  }

  /** Bytes held free (tests and diagnostics). */
  get freeBytes(): number {
    let s = 0;
    for (const list of this.#free.values()) for (const b of list) s += b.byteLength;
    return s;
  }
}
