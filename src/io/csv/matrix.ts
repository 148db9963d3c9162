/**
 * A date-major matrix of `m` columns that grows one row at a time while a file streams by, and
 * ends as one `Float64Array` of exactly `rows * m` cells.
 *
 * Sizing: the first 64 rows go into a small block; then the row count is estimated from the
 * bytes per row so far and the text size (`textBytes`), times 1.25, and the rows move into one
 * block of that size. The estimate's unused tail is zero memory the process never touches
 * (calloc'd pages are not resident), and the result is a view of its first `rows * m` cells, so
 * a good estimate costs no copy and no extra resident memory. Should the estimate fall short, a
 * further block is added and `finish` copies the blocks into one array (peak: twice the panel).
 * Given a region of a shared buffer (a range of a split read), the rows go there first instead.
 * Given `alloc` (a caller that reuses memory from read to read: zoo factors), the big block is a
 * view of the buffer it returns (at least the bytes asked; written before it is read, so it may
 * hold an earlier panel's numbers).
 */
import { float64s } from '../../core/panel.js';

const FIRST_ROWS = 64;

/**
 * Rows [row, row + rows) of an m-column date-major grid on a shared buffer, for a matrix to fill
 * first (the split read gives each range its own region of one buffer: split.ts).
 */
export interface MatrixRegion {
  buffer: SharedArrayBuffer;
  row: number;
  rows: number;
}

export class RowMatrix {
  /** The block that row `rows` goes into. */
  cur: Float64Array;
  /** Rows stored. */
  rows = 0;
  private base = 0;
  private cap = FIRST_ROWS;
  private readonly done: { block: Float64Array; rows: number }[] = [];
  private rowBytes = 0;
  private readonly external: boolean;

  /** With a `region`, the rows go there first; past its end, into blocks of the matrix's own (then `finish` copies). */
  constructor(
    readonly m: number,
    private readonly textBytes: number,
    private readonly shared: boolean,
    region?: MatrixRegion,
    private readonly alloc?: (bytes: number) => ArrayBufferLike,
  ) {
    this.external = region !== undefined;
    if (region !== undefined) {
      this.cur = new Float64Array(region.buffer, region.row * m * 8, region.rows * m);
      this.cap = region.rows;
    } else this.cur = float64s(FIRST_ROWS * Math.max(1, m), shared);
  }

  /** Every row is in the region given (so `finish` is a view of it). */
  get inRegion(): boolean {
    return this.external && this.done.length === 0;
  }

  /** Claims the next row (whose line had `bytes` bytes); returns the offset of its first cell in {@link cur}. */
  next(bytes: number): number {
    if (this.rows === this.base + this.cap) this.grow();
    this.rowBytes += bytes;
    return (this.rows++ - this.base) * this.m;
  }

  private grow(): void {
    const avg = this.rowBytes / Math.max(1, this.rows);
    const estimate = Math.ceil((this.textBytes / Math.max(1, avg)) * 1.25) + FIRST_ROWS;
    const more = Math.max(estimate - this.rows, this.rows, FIRST_ROWS);
    const m = Math.max(1, this.m);
    if (!this.external && this.done.length === 0 && this.base === 0 && this.rows <= FIRST_ROWS) {
      // Promote the first small block: copy its rows into the big one.
      const cells = (this.rows + more) * m;
      const big =
        this.alloc !== undefined && !this.shared ? new Float64Array(this.alloc(cells * 8), 0, cells) : float64s(cells, this.shared);
      big.set(this.cur.subarray(0, this.rows * m));
      this.cur = big;
      this.cap = this.rows + more;
      return;
    }
    this.done.push({ block: this.cur, rows: this.rows - this.base });
    this.base = this.rows;
    this.cap = more;
    this.cur = float64s(more * m, this.shared);
  }

  /** The `rows * m` cells in row order, one array (a view of the single block when it sufficed). */
  finish(): Float64Array {
    const m = this.m,
      n = this.rows;
    if (this.done.length === 0) return this.cur.subarray(0, n * m);
    const out = float64s(n * m, this.shared);
    let p = 0;
    for (const { block, rows } of this.done) {
      out.set(block.subarray(0, rows * m), p);
      p += rows * m;
    }
    out.set(this.cur.subarray(0, (n - this.base) * m), p);
    return out;
  }
}

/** An Int32Array that grows by doubling. */
export class GrowInt32 {
  a = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.length);
  }
}

/** A Float64Array that grows by doubling. */
export class GrowFloat64 {
  a = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.length);
  }
}
