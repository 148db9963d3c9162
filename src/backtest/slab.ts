/**
 * Small typed arrays carved from large shared blocks: `take(n)` returns a view of n fresh zeros
 * (a view of the current block; a new block when it is full). A typed array of more than a few
 * elements costs a separately allocated, garbage-collector-tracked backing store; a backtest that
 * records a few arrays per rebalance over thousands of rebalances spends more on those than on
 * its arithmetic, and a view of a shared block costs only the small view object.
 *
 * The views are ordinary typed arrays (`length`, indexing, `slice`, iteration), each of its own
 * n elements; only `.buffer` is the shared block (read views with their `byteOffset`). A block
 * lives while any of its views does.
 */
const BLOCK = 1 << 15;

export class Float64Slab {
  private block = new Float64Array(0);
  private used = 0;

  take(n: number): Float64Array {
    if (this.used + n > this.block.length) {
      this.block = new Float64Array(Math.max(BLOCK, n));
      this.used = 0;
    }
    // a view by the constructor: `subarray` goes through the species lookup, several times slower
    const v = new Float64Array(this.block.buffer, this.used * 8, n);
    this.used += n;
    return v;
  }
}

export class Int32Slab {
  private block = new Int32Array(0);
  private used = 0;

  take(n: number): Int32Array {
    if (this.used + n > this.block.length) {
      this.block = new Int32Array(Math.max(BLOCK, n));
      this.used = 0;
    }
    const v = new Int32Array(this.block.buffer, this.used * 4, n);
    this.used += n;
    return v;
  }
}
