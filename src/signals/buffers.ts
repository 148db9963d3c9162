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
 * of the sizes the latest two released leases used (a zoo alternates factors read from files and
 * momentum computed in memory, each with a buffer of its own size): a change of grid drops the others.
 *
 * `reserve(bytes)` is `alloc` for a buffer whose exact size varies a little from use to use (a
 * file read sizes its panel from an estimate of its rows): it rounds the size up to a class of
 * three significant bits (at most 25% more; memory never written is never paged in), so nearly
 * equal requests reuse one buffer; the caller views the bytes it asked for.
 */
import type { AnalysisBuffers, StatisticsScratch } from './analysisTypes.js';

/** Buffers for one analysis at a time (see the module doc); from {@link BufferPool.lease}. */
export interface BufferLease extends AnalysisBuffers {
  /** A buffer of at least `bytes` (rounded up to a size class, {@link sizeClass}), lent like `alloc`'s. */
  reserve(bytes: number): ArrayBuffer;
  /** Gives the buffers back to the pool; the analysis that used them must be finished with them. */
  release(): void;
}

/** `bytes` rounded up to three significant bits: 4 to 8 times a power of two (at most 25% more). */
export function sizeClass(bytes: number): number {
  if (bytes <= 8) return Math.max(0, Math.ceil(bytes));
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / step) * step;
}

export class BufferPool {
  /** Free buffers by byte length. */
  #free = new Map<number, ArrayBuffer[]>();
  #scratch: StatisticsScratch[] = [];
  /** The sizes the latest two released leases used (older first). */
  #recent: Set<number>[] = [];

  /** Buffers for one analysis: reused ones of the requested sizes when free, else fresh ones. */
  lease(): BufferLease {
    const lent: ArrayBuffer[] = [];
    const scratch = this.#scratch.pop() ?? { ranks: new Float64Array(0), labels: new Int32Array(0) };
    let open = true;
    const take = (bytes: number): ArrayBuffer => {
      if (!open) throw new Error('BufferPool: alloc on a released lease');
      const b = this.#free.get(bytes)?.pop() ?? new ArrayBuffer(bytes);
      lent.push(b);
      return b;
    };
    return {
      scratch,
      get released(): boolean {
        return !open;
      },
      alloc: take,
      reserve: (bytes: number): ArrayBuffer => take(sizeClass(bytes)),
      release: (): void => {
        if (!open) return;
        open = false;
        this.#recent.push(new Set(lent.map((b) => b.byteLength)));
        if (this.#recent.length > 2) this.#recent.shift();
        const keep = (size: number): boolean => this.#recent.some((s) => s.has(size));
        for (const size of [...this.#free.keys()]) if (!keep(size)) this.#free.delete(size);
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
