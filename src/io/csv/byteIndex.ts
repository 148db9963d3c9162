/**
 * An index from byte strings (asset names as they appear in a CSV line) to 0, 1, 2, ... in order
 * of first appearance, looked up straight from the line's bytes: FNV-1a hash, open addressing
 * with linear probing in an Int32Array (load ≤ 1/2), names' bytes kept in one arena. No string is
 * made for a name already seen, which matters for date-major long files where the asset changes
 * on every row (a Map keyed by strings cost a string, a lookup and a copy per row).
 */
export class ByteIndex {
  private table = new Int32Array(1024).fill(-1);
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  private start: number[] = [];
  private length: number[] = [];
  private hashes: number[] = [];

  /** Number of distinct names so far. */
  get size(): number {
    return this.start.length;
  }

  /** FNV-1a (32-bit) of `b[s..e)`. */
  static hash(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    return h >>> 0;
  }

  /** The index of `b[s..e)`, or -1 when it has not been added. */
  find(b: Uint8Array, s: number, e: number): number {
    const mask = this.table.length - 1;
    for (let slot = ByteIndex.hash(b, s, e) & mask; ; slot = (slot + 1) & mask) {
      const k = this.table[slot];
      if (k < 0) return -1;
      if (this.equals(k, b, s, e)) return k;
    }
  }

  /** Adds `b[s..e)` (which must not be present) and returns its index. */
  add(b: Uint8Array, s: number, e: number): number {
    const k = this.start.length,
      n = e - s;
    if (this.used + n > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.used + n));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
    }
    this.arena.set(b.subarray(s, e), this.used);
    this.start.push(this.used);
    this.length.push(n);
    this.hashes.push(ByteIndex.hash(b, s, e));
    this.used += n;
    if (2 * (k + 1) > this.table.length) this.rehash(this.table.length * 2);
    else this.place(k);
    return k;
  }

  /** The length in bytes of name `k`. */
  lengthOf(k: number): number {
    return this.length[k];
  }

  /** Whether name `k` has the bytes `b[s..e)`. */
  equals(k: number, b: Uint8Array, s: number, e: number): boolean {
    const n = e - s;
    if (this.length[k] !== n) return false;
    const a = this.arena,
      o = this.start[k];
    for (let i = 0; i < n; i++) if (a[o + i] !== b[s + i]) return false;
    return true;
  }

  /** The bytes of name `k` (a view of the arena, valid until the next add). */
  bytes(k: number): Uint8Array {
    return this.arena.subarray(this.start[k], this.start[k] + this.length[k]);
  }

  private place(k: number): void {
    const mask = this.table.length - 1;
    let slot = this.hashes[k] & mask;
    while (this.table[slot] >= 0) slot = (slot + 1) & mask;
    this.table[slot] = k;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size).fill(-1);
    for (let k = 0; k < this.start.length; k++) this.place(k);
  }
}
