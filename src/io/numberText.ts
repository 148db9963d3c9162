/**
 * Writes a finite double as ASCII bytes, the same text `String(v)` gives (the shortest decimal that
 * parses back to exactly `v`, ECMAScript Number::toString), without allocating a string for the
 * common case of a short decimal such as a price (`28.554`) or a count.
 *
 * Fast path: for `1e-6 <= |v| < 2^50` it looks for the fewest fraction digits `k <= 8` such that
 * `m = round(|v| * 10^k)` satisfies `m / 10^k === |v|`; both operands are exact doubles, so the
 * division is correctly rounded and equals the parse of the decimal `m e-k`: the text round-trips.
 * It is also `String(v)`: the shortest round-tripping decimal has exactly `k` fraction digits (one
 * with fewer would have been found first, one with more is longer), and `m` is the nearest integer
 * to `|v| * 10^k` (the product's error is far below 1/2 for `m < 2^50`), which is the candidate
 * `String` picks. Everything else (17-digit values such as residuals, tiny and huge magnitudes) goes
 * through `String(v)`. Property-tested against `String(v)` over all finite doubles.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
const FAST_LIMIT = 2 ** 50;

/** Writes the ASCII text `s` at `pos`; returns the position after it. */
function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Writes `String(v)` for a finite `v` into `buf` at `pos` (room for 24 bytes needed: the longest
 * such text, `-2.2250738585072014e-308`) and returns the position after it.
 */
export function writeNumber(buf: Uint8Array, pos: number, v: number): number {
  if (v === 0) { buf[pos] = 0x30; return pos + 1; } // 0 and -0 are both "0"
  const a = v < 0 ? -v : v;
  if (a >= 1e-6 && a < FAST_LIMIT) {
    for (let k = 0; k < POW10.length; k++) {
      const p = POW10[k];
      const m = Math.round(a * p);
      if (m / p !== a || m >= FAST_LIMIT) continue;
      if (v < 0) buf[pos++] = 0x2d;
      // digits of m, most significant first; a decimal point before the last k (with leading
      // zeros when m has k digits or fewer, as in 0.0012)
      let digits = 1;
      for (let t = 10; t <= m && digits < 16; t *= 10) digits++;
      const width = digits > k ? digits : k + 1;
      const end = pos + width + (k > 0 ? 1 : 0);
      let w = end;
      if (m < 2147483648) {
        let q = m | 0; // small integers: 32-bit arithmetic
        for (let i = 0; i < width; i++) {
          if (k > 0 && i === k) buf[--w] = 0x2e;
          const next = (q / 10) | 0;
          buf[--w] = 0x30 + q - next * 10;
          q = next;
        }
      } else {
        let q = m;
        for (let i = 0; i < width; i++) {
          if (k > 0 && i === k) buf[--w] = 0x2e;
          const d = q % 10;
          buf[--w] = 0x30 + d;
          q = (q - d) / 10;
        }
      }
      return end;
    }
  }
  return writeAscii(buf, pos, String(v));
}
