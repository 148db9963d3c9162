/**
 * Exact conversion of decimals with 16 to 19 significant digits (the 17-digit shortest round-trip
 * text that JavaScript, numpy and pandas write for arbitrary doubles) without building a string:
 * the value `(h · 10^k + l) · 10^x` correctly rounded to the nearest double, as `Number(text)`
 * gives, or NaN when this route cannot decide (the caller then uses `Number`).
 *
 * Method: the integer `N = h · 10^k + l` (h < 10^15, k ≤ 4, l < 10^k) is formed exactly as a pair of
 * doubles (Dekker's TwoProduct and Knuth's TwoSum: `N = s + t` with no rounding), multiplied or
 * divided by the exact power `10^|x|` (|x| ≤ 22) in double-double arithmetic, which leaves a pair
 * `(hi, lo)` with `|hi + lo − E| ≤ 2^-103 · |hi|` for the exact value E. Rounding is monotonic, so
 * when both `hi + (lo − b)` and `hi + (lo + b)` round to `hi` for a bound `b = 2^-96 · |hi|`
 * (a wide margin over the error), E rounds to `hi` too; otherwise E lies too close to a midpoint
 * between two doubles to decide here and NaN is returned (rare: a few in a million random cells).
 * No overflow or underflow can occur: the values lie between 10^-22 and 10^41.
 */

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter for doubles
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MARGIN = 2 ** -96;

/** Error of the rounded product `p = a · b`: `a · b = p + twoProductError(a, b, p)` exactly. */
function twoProductError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a),
    al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b),
    bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * `(h · 10^k + l) · 10^x` rounded to nearest (ties to even), for integers `0 < h < 10^15`,
 * `1 ≤ k ≤ 4`, `0 ≤ l < 10^k` and `|x| ≤ 22`; NaN when the pair cannot be rounded with certainty.
 */
export function longDecimal(h: number, k: number, l: number, x: number): number {
  // N = h·10^k + l exactly, as s + t.
  const pk = POW10[k];
  const p = h * pk;
  const pe = twoProductError(h, pk, p);
  const s0 = p + l;
  const bb = s0 - p;
  const se = p - (s0 - bb) + (l - bb); // TwoSum error of p + l
  const t0 = pe + se; // small integers: exact
  const s = s0 + t0;
  const t = t0 - (s - s0);
  let a: number, c: number;
  if (x >= 0) {
    const P = POW10[x];
    a = s * P;
    c = twoProductError(s, P, a) + t * P;
  } else {
    const P = POW10[-x];
    a = s / P;
    const m = a * P;
    const me = twoProductError(a, P, m);
    c = (s - m - me + t) / P;
  }
  const hi = a + c;
  const lo = c - (hi - a);
  const b = MARGIN * hi;
  return hi + (lo - b) === hi && hi + (lo + b) === hi ? hi : NaN;
}
