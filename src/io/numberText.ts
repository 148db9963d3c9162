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
 * `String` picks.
 *
 * Long route (15, 16 and 17 significant digits, what residuals and other computed doubles need, for
 * `1e-6 <= |v| < 2^50`): `String(v)` is the `k`-digit integer `s` (k smallest) nearest to
 * `X = |v| · 10^q`, `q = k - 1 - floor(log10 |v|)`, among those inside the scaled rounding interval
 * of `v` (half an ulp either side, a quarter below a power of two; ECMAScript Number::toString).
 * `X` is computed exactly as `Xh + Xl` (Dekker's TwoProduct; `10^q` is exact for `q <= 22`) and so
 * is the half-interval `h = ulp(v)/2 · 10^q` (a power of two times `10^q`). The candidates are the
 * integers next to `X`; a candidate's distance `c - X` is computed to ~1e-14, and a candidate whose
 * distance is within `1e-9 · h` of the interval's edge or of another candidate's (a tie) is left to
 * `String(v)`, as is every value whose 14-digit candidate also round-trips (shorter texts are the
 * fast path's or `String`'s). Digits above 2^53 are kept as `Xh + c` and written in two halves (the
 * last 8 digits, and 7–9 before them), two digits at a time. `floor(log10 |v|)` comes from the
 * binary exponent and one comparison with a power of ten; where that is off (at an exact power of
 * ten) the candidate has the wrong number of digits, which is checked, and `String(v)` answers. Everything else (tiny and huge magnitudes) goes through `String(v)`. Property-tested
 * against `String(v)` over all finite doubles and over 16/17-digit values near powers of two and ten.
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
  if (v === 0) {
    buf[pos] = 0x30;
    return pos + 1;
  } // 0 and -0 are both "0"
  const a = v < 0 ? -v : v;
  // Below 1e7, round(a · 1e8) is exact to within 1/4 (a · 1e8 < 2^50), so when it does not round-trip
  // neither does any k <= 8 (a k-digit m would give m · 10^(8-k) here): straight to the long route.
  const short = a >= 1e-6 && a < FAST_LIMIT && (a >= 1e7 || Math.round(a * 1e8) / 1e8 === a);
  if (short) {
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
  if (a >= 1e-6 && a < FAST_LIMIT) {
    const end = writeLong(buf, pos, v, a);
    if (end >= 0) return end;
  }
  return writeAscii(buf, pos, String(v));
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // u32[1] holds the sign, exponent and high mantissa bits (little-endian hosts)
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const POW10_22 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const SPLITTER = 134217729; // 2^27 + 1, Dekker's split
/** Dekker's split of each `10^q`, `POW10_HI[q] + POW10_LO[q]`, for TwoProduct. */
const POW10_HI = POW10_22.map((p) => {
  const t = SPLITTER * p;
  return t - (t - p);
});
const POW10_LO = POW10_22.map((p, q) => p - POW10_HI[q]);
const TWO53 = 2 ** 53;
/** `P10[i + 8]` is the double nearest to 10^i, for i = -8..17. */
const P10 = Array.from({ length: 26 }, (_, i) => Number(`1e${i - 8}`));
/** The ASCII digits of 00..99, two bytes each. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** Candidate found by {@link candidate}: the digits `B + c` (B = 0 or Xh), or none. */
let candB = 0,
  candC = 0;

/**
 * The `k`-digit integer nearest to `X = Xh + Xl` whose distance to `X` is below `hLow` (when below
 * `X`) or `hHigh` (above): sets `candB, candC` and returns 1; returns 0 when no integer qualifies,
 * -1 when the answer is too close to call (an edge or a tie within the margin).
 */
function candidate(Xh: number, Xl: number, hLow: number, hHigh: number): number {
  const B = Xh >= TWO53 ? Xh : 0; // above 2^53, Xh is an integer and candidates are Xh + small c
  const R = Xh - B;
  const c0 = Math.floor(R) + Math.floor(Xl);
  const margin = 1e-9 * hHigh;
  let best = -1,
    bestD = Infinity,
    found = 0;
  for (let c = c0 - 1; c <= c0 + 2; c++) {
    const d = c - R - Xl; // candidate minus X
    const lim = d < 0 ? hLow : hHigh;
    const ad = d < 0 ? -d : d;
    if (Math.abs(ad - lim) <= margin) return -1;
    if (ad >= lim) continue;
    if (Math.abs(ad - bestD) <= margin) return -1;
    if (ad < bestD) {
      bestD = ad;
      best = c;
    }
    found = 1;
  }
  candB = B;
  candC = best;
  return found;
}

/** {@link candidate} for `k` digits: `X = a · 10^(k-1-e10)` exactly, as `Xh + Xl`; -1 outside `10^0..10^22`. */
function longCandidate(k: number, e10: number, a: number, ah: number, al: number, halfUlp: number, powerOfTwo: boolean): number {
  const q = k - 1 - e10;
  if (q < 0 || q > 22) return -1;
  const p = POW10_22[q];
  const Xh = a * p;
  const ph = POW10_HI[q],
    pl = POW10_LO[q];
  const Xl = ah * ph - Xh + ah * pl + al * ph + al * pl;
  const h = halfUlp * p;
  return candidate(Xh, Xl, powerOfTwo ? h / 2 : h, h);
}

/**
 * Writes `String(v)` for `1e-6 <= |v| = a < 2^50` when it has 15, 16 or 17 significant digits and the
 * answer is certain (see the module comment); returns the end position, or -1 to leave it to `String`.
 */
export function writeLong(buf: Uint8Array, pos: number, v: number, a: number): number {
  if (!LITTLE_ENDIAN) return -1;
  f64[0] = a;
  const hi = u32[1];
  const e = hi >>> 20; // biased exponent (sign is 0)
  const powerOfTwo = (hi & 0xfffff) === 0 && u32[0] === 0;
  u32[1] = (e - 53) << 20;
  u32[0] = 0; // 2^(e - 1023 - 53): half an ulp of a
  const halfUlp = f64[0];
  // floor(log10 a): floor(e2 · log10 2) or one more, e2 the binary exponent (an error at an exact
  // power of ten gives the wrong digit count, which the check below sends to String)
  let e10 = Math.floor((e - 1023) * 0.30102999566398114);
  if (a >= P10[e10 + 9]) e10++;
  const t = SPLITTER * a; // Dekker's split of a, for TwoProduct
  const ah = t - (t - a),
    al = a - ah;
  // 16 digits first (about half of all doubles need 17, most of the rest 16): if they do not
  // round-trip the answer has 17; if they do, 15 must not.
  const X16 = longCandidate(16, e10, a, ah, al, halfUlp, powerOfTwo);
  if (X16 < 0) return -1;
  let k: number;
  if (X16 === 0) {
    k = 17;
    if (longCandidate(17, e10, a, ah, al, halfUlp, powerOfTwo) !== 1) return -1;
  } else {
    k = 16;
    const B16 = candB,
      C16 = candC;
    const X15 = longCandidate(15, e10, a, ah, al, halfUlp, powerOfTwo);
    if (X15 < 0) return -1;
    if (X15 === 1) {
      // 15 digits round-trip too: the answer has 15 if 14 do not (fewer: left to String)
      k = 15;
      const B15 = candB,
        C15 = candC;
      if (longCandidate(14, e10, a, ah, al, halfUlp, powerOfTwo) !== 0) return -1;
      candB = B15;
      candC = C15;
    } else {
      candB = B16;
      candC = C16;
    }
  }
  const B = candB,
    C = candC;
  // n = B + C as two halves: n = top · 1e8 + low
  let top: number, low: number;
  if (B === 0) {
    top = Math.floor(C / 1e8);
    low = C - top * 1e8;
  } else {
    top = Math.floor(B / 1e8);
    low = B - top * 1e8 + C;
  }
  while (low < 0) {
    low += 1e8;
    top -= 1;
  }
  while (low >= 1e8) {
    low -= 1e8;
    top += 1;
  }
  // exactly k digits, the last not 0
  if (top < POW10_22[k - 9] || top >= POW10_22[k - 8] || (low | 0) % 10 === 0) return -1; // integer remainder: a double's % is a slow fmod
  const intDigits = e10 + 1; // digits before the point (<= 0: "0." and zeros first)
  if (v < 0) buf[pos++] = 0x2d;
  if (intDigits <= 0) {
    buf[pos++] = 0x30;
    buf[pos++] = 0x2e;
    for (let i = intDigits; i < 0; i++) buf[pos++] = 0x30;
  }
  // the k digits, most significant first: top (k - 8 digits) then low (8 digits, zero-padded)
  const point = intDigits > 0 && intDigits < k ? intDigits : -1; // digits before the '.', if one is written
  const end = pos + k + (point > 0 ? 1 : 0);
  let w = end;
  let lo = low | 0; // < 1e8 and top < 1e9: 32-bit integer arithmetic
  let tp = top | 0;
  if (point < 0) {
    // no point among the digits: two at a time
    for (let i = 0; i < 4; i++) {
      const nx = (lo / 100) | 0;
      const d = (lo - nx * 100) << 1;
      buf[--w] = PAIRS[d + 1];
      buf[--w] = PAIRS[d];
      lo = nx;
    }
    for (let i = 8; i < k - 1; i += 2) {
      const nx = (tp / 100) | 0;
      const d = (tp - nx * 100) << 1;
      buf[--w] = PAIRS[d + 1];
      buf[--w] = PAIRS[d];
      tp = nx;
    }
    if (w > pos) buf[--w] = 0x30 + tp; // an odd digit count: the first digit
    return end;
  }
  for (let i = 0; i < 8; i++) {
    if (k - i === point) buf[--w] = 0x2e;
    const nx = (lo / 10) | 0;
    buf[--w] = 0x30 + lo - nx * 10;
    lo = nx;
  }
  for (let i = 8; i < k; i++) {
    if (k - i === point) buf[--w] = 0x2e;
    const nx = (tp / 10) | 0;
    buf[--w] = 0x30 + tp - nx * 10;
    tp = nx;
  }
  return end;
}
