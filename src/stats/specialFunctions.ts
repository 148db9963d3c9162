/**
 * Special functions behind the t and normal distributions, in plain TypeScript (no dependency).
 *
 * - `lnGamma(x)`, x > 0: ln Γ(x).
 *   For x < 10, Lanczos (g = 7, n = 9):
 *     Γ(z+1) = √(2π) · (z + g + ½)^(z+½) · e^−(z+g+½) · [c₀ + Σₖ₌₁⁸ cₖ / (z + k)],
 *   with Γ(x) = Γ(x+1)/x below x = ½. For x ≥ 10, Stirling with its error term:
 *     ln Γ(x) = (x − ½) ln x − x + ½ ln(2π) + δ(x),
 *     δ(x) = Σₖ B₂ₖ / (2k(2k−1) x^(2k−1)) = 1/(12x) − 1/(360x³) + 1/(1260x⁵) − …   (8 terms).
 *   Absolute error ~1e-15 (relative error ~1e-16 where |ln Γ| is large).
 * - `lnBeta(a, b)` = ln Γ(a) + ln Γ(b) − ln Γ(a+b). When the larger argument a ≥ 10 the large
 *   terms are cancelled analytically (Stirling), so the result keeps absolute precision ~1e-15
 *   even for a = 5·10⁶:
 *     b < 10:  ln B = ln Γ(b) − (a+b−½)·log1p(b/a) − b ln a + b + δ(a) − δ(a+b)
 *     b ≥ 10:  ln B = ½ ln(2π) − (a−½)·log1p(b/a) + (b−½) ln b − b ln(a+b) + δ(a) + δ(b) − δ(a+b)
 * - `regularizedIncompleteBeta(x, a, b)` = I_x(a, b) = B(x; a, b) / B(a, b), and
 *   `lnIncompleteBetaSide(...)` (ln I_x or ln(1 − I_x), the form the t distribution uses):
 *     I_x(a, b) = [x^a (1−x)^b / (a B(a, b))] · 1/(1+ d₁/(1+ d₂/(1+ …)))
 *     d₂ₘ₊₁ = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),   d₂ₘ = m(b−m) x / ((a+2m−1)(a+2m)),
 *   evaluated with the modified Lentz algorithm. The fraction converges fast for
 *   x < (a+1)/(a+b+2); above that I_x(a, b) = 1 − I_{1−x}(b, a) and the fraction gives the
 *   complement directly. The side computed by the fraction is always the one returned with full
 *   relative precision; the other side is 1 minus it (never a cancellation: the fraction's side is
 *   below ~0.92 there). The prefactor is computed in logs; with both a, b ≥ 10 as
 *     a·ln(x(a+b)/a) + b·ln(y(a+b)/b) + ½ ln(ab / (2π(a+b))) − δ(a) − δ(b) + δ(a+b)
 *   (logs of ratios near 1 via log1p), so no large terms cancel.
 *
 * References: Lanczos (1964); Numerical Recipes §6.1, §6.4 (betacf); Lentz (1976), Thompson &
 * Barnett (1986) for the modified Lentz method; DiDonato & Morris (1992), TOMS 708, for the
 * prefactor with large parameters.
 */

const HALF_LN_2PI = 0.9189385332046728; // ½ ln(2π)
const SQRT_PI = 1.7724538509055159;
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Stirling error δ(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], for x ≥ 10 (error < 1e-17). */
export function stirlingError(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/** ln Γ(x) for x > 0; +Infinity at 0, NaN below 0 or for NaN. */
export function lnGamma(x: number): number {
  if (!(x >= 0)) return NaN;
  if (x === 0) return Infinity;
  if (x === Infinity) return Infinity;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + stirlingError(x);
  if (x < 0.5) return lanczosLnGamma(x + 1) - Math.log(x);
  return lanczosLnGamma(x);
}

/** Lanczos ln Γ(x), x ≥ ½. */
function lanczosLnGamma(x: number): number {
  const z = x - 1;
  let s = LANCZOS[0];
  for (let k = 1; k < 9; k++) s += LANCZOS[k] / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LN_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), a, b > 0, without cancelling large terms. */
export function lnBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) return NaN;
  if (a < b) {
    const t = a;
    a = b;
    b = t;
  }
  // now a >= b
  if (a === Infinity) return -Infinity;
  if (a < 10) return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  const s = a + b;
  const l = Math.log1p(b / a);
  if (b < 10) return lnGamma(b) - (s - 0.5) * l - b * Math.log(a) + b + stirlingError(a) - stirlingError(s);
  return HALF_LN_2PI - (a - 0.5) * l + (b - 0.5) * Math.log(b) - b * Math.log(s) + stirlingError(a) + stirlingError(b) - stirlingError(s);
}

/** ln of the incomplete-beta prefactor x^a y^b / B(a, b), y = 1 − x (given separately, exact). */
function lnBetaPrefactor(a: number, b: number, x: number, y: number, lnPower: number, lnB: number): number {
  if (Number.isNaN(lnPower) && a >= 10 && b >= 10) {
    const s = a + b;
    const u = (x * b - y * a) / a; // x·s/a − 1
    const v = (y * a - x * b) / b; // y·s/b − 1
    const lu = Math.abs(u) < 0.5 ? Math.log1p(u) : Math.log(x) + Math.log(s / a);
    const lv = Math.abs(v) < 0.5 ? Math.log1p(v) : Math.log(y) + Math.log(s / b);
    return a * lu + b * lv + 0.5 * Math.log((a / s) * (b / (2 * Math.PI))) - stirlingError(a) - stirlingError(b) + stirlingError(s);
  }
  const p = Number.isNaN(lnPower) ? a * Math.log(x) + b * Math.log(y) : lnPower;
  return p - (Number.isNaN(lnB) ? lnBeta(a, b) : lnB);
}

const LENTZ_TINY = 1e-300;
const CF_EPS = 2.220446049250313e-16;
const CF_MAX_ITER = 1_000_000;

/**
 * The continued fraction 1/(1+ d₁/(1+ d₂/(1+ …))) of I_x(a, b) (modified Lentz), so that
 * I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · betaContinuedFraction(a, b, x). Converges fast for
 * x < (a+1)/(a+b+2).
 */
export function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < LENTZ_TINY) d = LENTZ_TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < LENTZ_TINY) d = LENTZ_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < LENTZ_TINY) c = LENTZ_TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < LENTZ_TINY) d = LENTZ_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < LENTZ_TINY) c = LENTZ_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= CF_EPS) break;
  }
  return h;
}

/**
 * ln I_x(a, b) (`upper` false) or ln(1 − I_x(a, b)) (`upper` true), with y = 1 − x passed
 * separately so that neither side loses digits near 0 or 1. `lnPower` = a ln x + b ln y when the
 * caller can compute it more accurately than from x and y (the t distribution does, from t²/ν);
 * NaN to compute it here. `lnB` = ln B(a, b) if the caller has it (NaN: computed here).
 */
export function lnIncompleteBetaSide(a: number, b: number, x: number, y: number, lnPower: number, upper: boolean, lnB = NaN): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && y >= 0)) return NaN;
  // x or y may have underflowed to 0 while the caller's lnPower still holds the exact logs.
  if (Number.isNaN(lnPower) || lnPower === -Infinity) {
    if (x === 0) return upper ? 0 : -Infinity;
    if (y === 0) return upper ? -Infinity : 0;
  }
  const swap = x > (a + 1) / (a + b + 2);
  let direct: number;
  if (!swap && b === 0.5 && a >= BGRAT_MIN_A && y < BGRAT_MAX_Y) {
    direct = lnIncompleteBetaHalfLargeA(a, x, y, Number.isNaN(lnB) ? lnBeta(a, 0.5) : lnB);
  } else {
    const pre = lnBetaPrefactor(a, b, x, y, lnPower, lnB);
    direct = swap ? pre + Math.log(betaContinuedFraction(b, a, y) / b) : pre + Math.log(betaContinuedFraction(a, b, x) / a);
  }
  // `direct` is ln(1 − I) when swapped, ln I otherwise.
  if (swap === upper) return Math.min(0, direct);
  return direct >= 0 ? -Infinity : Math.log1p(-Math.exp(direct));
}

/** I_x(a, ½) on its own side uses BGRAT from a = 50 when y = 1 − x < 0.2, else the continued fraction. */
const BGRAT_MIN_A = 50;
const BGRAT_TERMS = 30;
const BGRAT_MAX_Y = 0.2;
/** BGRAT's p_n for b = ½ (DiDonato & Morris eq. 9.4), filled on first use. */
let bgratP: Float64Array | null = null;

function bgratCoefficients(): Float64Array {
  const b = 0.5;
  const fact = new Float64Array(2 * BGRAT_TERMS + 2);
  fact[0] = 1;
  for (let k = 1; k < fact.length; k++) fact[k] = fact[k - 1] * k;
  const p = new Float64Array(BGRAT_TERMS);
  p[0] = 1;
  for (let n = 1; n < BGRAT_TERMS; n++) {
    let s = 0;
    for (let m = 1; m < n; m++) s += ((m * b - n) * p[n - m]) / fact[2 * m + 1];
    p[n] = s / n + (b - 1) / fact[2 * n + 1];
  }
  return p;
}

/**
 * ln I_x(a, ½) for large a and x below (a+1)/(a+2.5) (the tail of Beta(a, ½) near 1): the
 * asymptotic expansion BGRAT of DiDonato & Morris (1992), eq. 9 – 9.6, with b = ½:
 *   T = a − ¼,  u = −T ln x,
 *   I_x(a, b) = M · Σₙ pₙ Jₙ,  M = Γ(a+b)/Γ(a) · u^b e^(−u) / (Γ(b) T^b)
 *             (b = ½: ln M = ½ ln(u/T) − u − ln B(a, ½)),
 *   J₀ = Γ(b, u) e^u / u^b  (b = ½: √π·erfcx(√u)/√u = 2√π·R(√(2u))/√u with Cody's R),
 *   Jₙ = [2n−2+b)(2n−1+b) Jₙ₋₁ + (u + 2n−1+b)(ln x / 2)^(2n−2)] / (4T²).
 * The continued fraction loses ~√a digits of rounding there; this needs ~10 terms.
 */
function lnIncompleteBetaHalfLargeA(a: number, x: number, y: number, lnB: number): number {
  const p = (bgratP ??= bgratCoefficients());
  const t = a - 0.25;
  const lx = y < 0.35 ? Math.log1p(-y) : Math.log(x);
  const u = -t * lx;
  const lnM = 0.5 * Math.log(u / t) - u - lnB;
  const su = Math.sqrt(u);
  const z = Math.SQRT2 * su;
  // Φ(−z)·e^(z²/2), then J₀ = 2√π·that/√u
  const scaledTail = z > CODY_SMALL ? normalTailFactor(z) : (0.5 - normalCentreSmall(z)) * Math.exp(u);
  let j = (2 * SQRT_PI * scaledTail) / su;
  let sum = j;
  const lx2 = (lx / 2) * (lx / 2);
  const t4 = 4 * t * t;
  let lxp = 1;
  let b2n = 0.5;
  for (let n = 1; n < BGRAT_TERMS; n++) {
    j = (b2n * (b2n + 1) * j + (u + b2n + 1) * lxp) / t4;
    lxp *= lx2;
    b2n += 2;
    const r = p[n] * j;
    sum += r;
    if (Math.abs(r) <= 1e-17 * Math.abs(sum)) break;
  }
  return lnM + Math.log(sum);
}

/** Regularized incomplete beta I_x(a, b) for 0 ≤ x ≤ 1, a, b > 0 (NaN outside). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0 && b > 0)) return NaN;
  return Math.exp(lnIncompleteBetaSide(a, b, x, 1 - x, NaN, false));
}

// ---------------------------------------------------------------------------------------------
// Standard normal tail (W. J. Cody, ANORM in TOMS 715)

const A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745];
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726, 6848.190450536283, 11602.65143764735,
  9842.714838383978, 1.0765576773720192e-8,
];
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097, 34900.95272114598, 38912.00328609327,
  19685.429676859992,
];
const P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 0.000029112874951168793, 0.023073441764940174,
];
const Q = [1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662];
const SQRT_1_2PI = 0.3989422804014327;
export const CODY_SMALL = 0.66291;
const CODY_MID = 5.656854248; // √32

/** Φ(x) − ½ for |x| ≤ 0.66291 (Cody's first range). */
export function normalCentreSmall(x: number): number {
  const xsq = x * x;
  let num = A[4] * xsq;
  let den = xsq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * xsq;
    den = (den + B[i]) * xsq;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** Cody's rational factor R for s > 0.66291: Φ(−s) = e^(−s²/2)·R(s). */
export function normalTailFactor(s: number): number {
  if (s <= CODY_MID) {
    let num = C[8] * s;
    let den = s;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * s;
      den = (den + D[i]) * s;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const z = 1 / (s * s);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  return (SQRT_1_2PI - (z * (num + P[4])) / (den + Q[4])) / s;
}

/** Φ(−s) for s > 0.66291, with e^(−s²/2) split so deep tails keep relative precision. */
export function normalUpperTail(s: number): number {
  if (s === Infinity) return 0;
  const s1 = Math.trunc(s * 16) / 16;
  const del = (s - s1) * (s + s1);
  return Math.exp(-s1 * s1 * 0.5) * Math.exp(-del * 0.5) * normalTailFactor(s);
}
