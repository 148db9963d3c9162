/**
 * Parquet's RLE / bit-packing hybrid encoding of small non-negative integers of bit width `w`
 * (definition levels with w = 1, dictionary indices with w = ceil(log2(dictionary size))).
 *
 * The output is a sequence of runs, each introduced by a ULEB128 varint header:
 * - RLE run: header `count << 1`, then the repeated value in ceil(w / 8) bytes, little-endian;
 * - bit-packed run: header `(groups << 1) | 1`, then `groups` groups of 8 values, each value in
 *   w bits, packed from the least significant bit of each byte up (value 0 in bits 0..w-1 of
 *   the stream, value 1 in bits w..2w-1, ...). The last group is padded with zeros; readers stop
 *   at the page's value count.
 * Runs of 8 or more equal values (checked at the start and at every group boundary) are written
 * as RLE runs, everything else bit-packed.
 */

/** A growable byte sink. */
export class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }
  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  varint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Bit width needed for values 0..maxValue (0 for maxValue 0). */
export function bitWidth(maxValue: number): number {
  let w = 0;
  while (maxValue >= 2 ** w) w++;
  return w;
}

/** Length of the run of values equal to `v[i]` starting at `i` (at most `n - i`). */
function runAt(v: ArrayLike<number>, i: number, n: number): number {
  const x = v[i];
  let j = i + 1;
  while (j < n && v[j] === x) j++;
  return j - i;
}

/**
 * Appends the hybrid encoding of `v[0..n)` (each value in 0..2^w - 1, w in 1..32) to `out`.
 * The value count is not written (the page header carries it).
 */
export function encodeHybrid(v: ArrayLike<number>, n: number, w: number, out: ByteSink): void {
  if (w < 1 || w > 32) throw new Error(`bit width ${w} outside 1..32`);
  const valueBytes = (w + 7) >> 3;
  let i = 0;
  while (i < n) {
    const run = runAt(v, i, n);
    if (run >= 8) {
      out.varint(run * 2);
      out.room(4);
      let x = v[i];
      for (let b = 0; b < valueBytes; b++) {
        out.buf[out.len++] = x & 0xff;
        x = Math.floor(x / 256);
      }
      i += run;
      continue;
    }
    // bit-packed groups of 8 until a run of 8 or more starts at a group boundary (or the end)
    let end = i;
    do end += 8;
    while (end < n && (end + 8 > n || v[end] !== v[end + 1] || runAt(v, end, end + 8) < 8));
    const groups = (end - i) >> 3;
    out.varint(groups * 2 + 1);
    out.room(groups * w + 8);
    const buf = out.buf;
    let p = out.len;
    let acc = 0; // pending bits, fewer than 8 before each put
    let bits = 0;
    if (w <= 16) {
      // two bytes at a time: fewer than 16 pending bits plus one value fit in 32 bits
      const stop = end < n ? end : n;
      for (let k = i; k < stop; k++) {
        acc |= v[k] << bits;
        bits += w;
        if (bits >= 16) {
          buf[p++] = acc & 0xff;
          buf[p++] = (acc >>> 8) & 0xff;
          acc >>>= 16;
          bits -= 16;
        }
      }
      for (let k = stop; k < end; k++) {
        bits += w; // zero padding of the last group
        if (bits >= 16) {
          buf[p++] = acc & 0xff;
          buf[p++] = (acc >>> 8) & 0xff;
          acc >>>= 16;
          bits -= 16;
        }
      }
      if (bits >= 8) buf[p++] = acc & 0xff; // 8 bits pending at most (the total is whole bytes)
    } else if (w <= 24) {
      // acc holds fewer than 8 pending bits plus one value: below 2^31
      const stop = end < n ? end : n;
      for (let k = i; k < stop; k++) {
        acc |= v[k] << bits;
        bits += w;
        while (bits >= 8) {
          buf[p++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
      for (let k = stop; k < end; k++) {
        bits += w; // zero padding of the last group
        while (bits >= 8) {
          buf[p++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
    } else
      for (let k = i; k < end; k++) {
        // wide values in pieces of at most 16 bits, so acc stays below 2^24
        let rest = w,
          y = k < n ? v[k] : 0;
        while (rest > 0) {
          const take = rest > 16 ? 16 : rest;
          acc |= (y % 2 ** take) << bits;
          bits += take;
          while (bits >= 8) {
            buf[p++] = acc & 0xff;
            acc >>>= 8;
            bits -= 8;
          }
          y = Math.floor(y / 2 ** take);
          rest -= take;
        }
      }
    out.len = p; // groups * w bits is a whole number of bytes: nothing pending
    i = end;
  }
}
