/**
 * Distribution functions used for inference, in plain TypeScript (see `specialFunctions.ts`).
 *
 * - `tCdf(x, df)`            = P(T <= x), T ~ Student t with ν = `df` degrees of freedom.
 * - `tTwoSidedPValue(t, df)` = P(|T| >= |t|) = 2·tCdf(−|t|, df)  (scipy: `2 * stats.t.sf(abs(t), df)`).
 * - `tQuantile(p, df)`       = inverse of tCdf (scipy: `stats.t.ppf(p, df)`).
 * - `normalCdf(x)`           = Φ(x) for the standard normal (scipy: `stats.norm.cdf(x)`).
 * - `normalTwoSidedPValue(z)`= 2·Φ(−|z|).
 *
 * Student t, with r = t²/ν, x = ν/(ν+t²) = 1/(1+r), y = 1 − x = r/(1+r):
 *   P(|T| >= |t|) = I_x(ν/2, ½)          (the two tails)
 *   P(0 < T < |t|) = ½·(1 − I_x(ν/2, ½)) = ½·I_y(½, ν/2)   (the centre)
 * Each side is computed directly by the incomplete beta (never as 1 − the other side when it is
 * the small one), and the power term (ν/2)·ln x + ½·ln y = −(ν/2)·log1p(r) + ½·ln(r/(1+r)) is
 * computed from r, in logs (no overflow for |t| up to 1e308), so tiny p-values keep their
 * relative precision. ν = ∞ is the normal distribution.
 *
 * Standard normal: W. J. Cody's rational Chebyshev approximations (Cody 1969; ANORM in TOMS 715,
 * 1993): |x| ≤ 0.66291: Φ(x) = ½ + x·R₁(x²); |x| ≤ √32: Φ(−|x|) = e^(−x²/2)·R₂(|x|); beyond:
 * Φ(−|x|) = e^(−x²/2)/|x| · (1/√(2π) − R₃(1/x²)/x²), with e^(−x²/2) evaluated as
 * e^(−x₁²/2)·e^(−(x−x₁)(x+x₁)/2), x₁ = ⌊16x⌋/16, so deep tails keep full relative precision.
 *
 * Quantile: Hill's (1970, ACM algorithm 396) approximation as a start, then Newton steps on
 * ln G(s) = ln target in the variable u = ln s, s = |quantile|, where G is the tail P(T > s) for
 * target p < ¼ and the centre P(0 < T < s) = ½ − p otherwise (exact for p ∈ [¼, ½]) — so the
 * quantile keeps relative precision both in the deep tails and next to p = ½. The derivative is
 * d ln G/du = ± s·f(s)/G(s), with ln f(s) = −ln B(ν/2, ½) − ½ ln ν − ((ν+1)/2)·ln(1 + s²/ν).
 *
 * NaN in, NaN out; `df <= 0` gives NaN; `df = Infinity` is accepted (the normal limit).
 */
import { CODY_SMALL, lnBeta, lnIncompleteBetaSide, normalCentreSmall, normalTailFactor, normalUpperTail } from './specialFunctions.js';

const LN_HALF = -Math.LN2;
const LN_SQRT_2PI = 0.9189385332046728;

// ---------------------------------------------------------------------------------------------
// Student t

/** Scratch for the logs of x = 1/(1+r) and y = r/(1+r), r = s²/ν (written by `tSplit`). */
let splitX = 0;
let splitY = 0;
let splitLnX = 0;
let splitLnY = 0;

/** Fills splitX/Y and their logs for s ≥ 0, accurately and without overflow or underflow. */
function tSplit(s: number, nu: number): void {
  const r = (s * s) / nu;
  if (r > 1e-290 && r < 1e290) {
    const l1 = Math.log1p(r);
    splitLnX = -l1;
    splitLnY = r > 1 ? -Math.log1p(1 / r) : Math.log(r) - l1;
    splitX = 1 / (1 + r);
    splitY = r / (1 + r);
    return;
  }
  const lnr = 2 * Math.log(s) - Math.log(nu);
  if (lnr > 0) {
    const e = Math.exp(-lnr); // 1/r
    splitLnX = -lnr - Math.log1p(e);
    splitLnY = -Math.log1p(e);
    splitX = Math.exp(splitLnX);
    splitY = 1;
  } else {
    const e = Math.exp(lnr); // r
    splitLnX = -Math.log1p(e);
    splitLnY = lnr - Math.log1p(e);
    splitX = 1;
    splitY = Math.exp(splitLnY);
  }
}

/** ln B(ν/2, ½), memoised for the last ν (p-values come in runs with one ν). */
let memoNu = NaN;
let memoLnB = NaN;
function lnBetaHalf(nu: number): number {
  if (nu !== memoNu) {
    memoLnB = lnBeta(nu / 2, 0.5);
    memoNu = nu;
  }
  return memoLnB;
}

/**
 * ln of the two tails, P(|T| ≥ s) = I_x(ν/2, ½) (`centre` false), or of the centre,
 * P(|T| < s) = 1 − I_x(ν/2, ½) (`centre` true), for s ≥ 0 and finite ν > 0.
 */
function lnTSide(s: number, nu: number, centre: boolean): number {
  if (s === 0) return centre ? -Infinity : 0;
  if (s === Infinity) return centre ? 0 : -Infinity;
  tSplit(s, nu);
  const a = nu / 2;
  const lnPower = a * splitLnX + 0.5 * splitLnY;
  return lnIncompleteBetaSide(a, 0.5, splitX, splitY, lnPower, centre, lnBetaHalf(nu));
}

/** ln f(s) for the t density, s ≥ 0. */
function lnTDensity(s: number, nu: number): number {
  tSplit(s, nu);
  // ln(1 + s²/ν) = −ln x
  return -lnBetaHalf(nu) - 0.5 * Math.log(nu) + ((nu + 1) / 2) * splitLnX;
}

/** P(T <= x) for Student t with `df` degrees of freedom. */
export function tCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (df === Infinity) return normalCdf(x);
  const tails = Math.exp(lnTSide(Math.abs(x), df, false));
  return x < 0 ? 0.5 * tails : 1 - 0.5 * tails;
}

/** Two-sided p-value 2·P(T >= |t|) for Student t with `df` degrees of freedom. */
export function tTwoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return normalTwoSidedPValue(t);
  return Math.min(1, Math.exp(lnTSide(Math.abs(t), df, false)));
}

/** Quantile (inverse cdf) of Student t: the x with P(T <= x) = p. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const q = lower ? p : 1 - p; // exact for p ≥ ½
  const s = df === Infinity ? normalAbsQuantile(q) : tAbsQuantile(q, df);
  return lower ? -s : s;
}

/** s > 0 with P(T > s) = q, 0 < q < ½. */
function tAbsQuantile(q: number, nu: number): number {
  const start = hillStart(q, nu);
  if (q < 0.25) {
    // P(T > s) = ½·tails
    return newtonLogLog(
      Math.log(q),
      start,
      (s) => LN_HALF + lnTSide(s, nu, false),
      (s) => lnTDensity(s, nu),
      -1,
    );
  }
  // P(0 < T < s) = ½·centre = ½ − q
  return newtonLogLog(
    Math.log(0.5 - q),
    start,
    (s) => LN_HALF + lnTSide(s, nu, true),
    (s) => lnTDensity(s, nu),
    1,
  );
}

/**
 * Solves ln G(s) = lnTarget for s > 0 by Newton's method in u = ln s, where G is monotone with
 * dG/ds = sign·f(s). Start `s0` > 0.
 */
function newtonLogLog(lnTarget: number, s0: number, lnG: (s: number) => number, lnF: (s: number) => number, sign: 1 | -1): number {
  let u = Math.log(s0);
  for (let iter = 0; iter < 100; iter++) {
    const s = Math.exp(u);
    const g = lnG(s);
    const h = g - lnTarget;
    if (h === 0) break;
    const slope = sign * Math.exp(u + lnF(s) - g); // d ln G / du
    let step = h / slope;
    if (!Number.isFinite(step)) step = sign * (h > 0 ? 1 : -1);
    if (step > 4) step = 4;
    else if (step < -4) step = -4;
    u -= step;
    if (Math.abs(step) < 1e-10) {
      // quadratic convergence: the error left is ~step², below rounding
      break;
    }
  }
  return Math.exp(u);
}

/**
 * Hill's (1970) approximation to s with P(T > s) = q (as in R's qt): the start for Newton.
 * `P` below is the two-sided probability 2q.
 */
function hillStart(q: number, nu: number): number {
  const s = hillStartRaw(q, nu);
  return Number.isFinite(s) && s > 0 ? s : 1;
}

function hillStartRaw(q: number, nu: number): number {
  const P = 2 * q;
  const d = 0.5 - q;
  // Exact for ν = 1 (Cauchy) and ν = 2; ν < 1 starts from the Cauchy quantile.
  if (nu <= 1 + 1e-12) return q < 0.25 ? 1 / Math.tan(q * Math.PI) : Math.tan(d * Math.PI);
  if (Math.abs(nu - 2) < 1e-12) return (2 * d) / Math.sqrt(2 * q * (1 - q));
  // Next to the centre: s ≈ (½ − q)/f(0), f(0) = 1/(√ν B(ν/2, ½)).
  if (d < 0.05) return d * Math.exp(lnBetaHalf(nu) + 0.5 * Math.log(nu));
  const a = 1 / (nu - 0.5);
  const b = 48 / (a * a);
  let c = ((20700 * a) / b - 98) * a - 16;
  c = c * a + 96.36;
  const dd = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt(a * Math.PI * 0.5) * nu;
  const lnY = (2 / nu) * (Math.log(dd) + Math.log(P));
  let y = Math.exp(lnY);
  const pOk = y >= 2.220446049250313e-16;
  if ((nu < 2.1 && P > 0.5) || y > 0.05 + a) {
    // asymptotic inverse expansion about the normal
    const x = -normalAbsQuantileStart(q);
    y = x * x;
    if (nu < 5) c += 0.3 * (nu - 4.5) * (x + 0.6);
    c = (((0.05 * dd * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
    return Math.sqrt(nu * y);
  }
  if (!pOk && lnY / 2 < -Math.LN2 * 53) return Math.sqrt(nu) * Math.exp(-lnY / 2);
  y = ((1 / (((nu + 6) / (nu * y) - 0.089 * dd - 0.822) * (nu + 2) * 3) + 0.5 / (nu + 4)) * y - 1) * ((nu + 1) / (nu + 2)) + 1 / y;
  return Math.sqrt(nu * y);
}

// ---------------------------------------------------------------------------------------------
// Standard normal (Cody)

/** ln Φ(−s), s ≥ 0 (no underflow). */
function lnNormalUpperTail(s: number): number {
  if (s <= CODY_SMALL) return Math.log(0.5 - normalCentreSmall(s));
  if (s === Infinity) return -Infinity;
  return -0.5 * s * s + Math.log(normalTailFactor(s));
}

/** ln(Φ(s) − ½), s ≥ 0. */
function lnNormalCentre(s: number): number {
  if (s <= CODY_SMALL) return Math.log(normalCentreSmall(s));
  return Math.log(0.5 - normalUpperTail(s));
}

/** ln φ(s). */
function lnNormalDensity(s: number): number {
  return -0.5 * s * s - LN_SQRT_2PI;
}

/** Standard normal cdf Φ(x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const s = Math.abs(x);
  if (s <= CODY_SMALL) return 0.5 + normalCentreSmall(x);
  const tail = normalUpperTail(s);
  return x < 0 ? tail : 1 - tail;
}

/** Two-sided normal p-value 2·Φ(−|z|). */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const s = Math.abs(z);
  if (s <= CODY_SMALL) return 1 - 2 * normalCentreSmall(s);
  return Math.min(1, 2 * normalUpperTail(s));
}

/** s > 0 with Φ(−s) = q, 0 < q < ½. */
function normalAbsQuantile(q: number): number {
  const start = normalAbsQuantileStart(q);
  if (q < 0.25) return newtonLogLog(Math.log(q), start, lnNormalUpperTail, lnNormalDensity, -1);
  return newtonLogLog(Math.log(0.5 - q), Math.max(start, 1e-300), lnNormalCentre, lnNormalDensity, 1);
}

/** Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4): a start for s with Φ(−s) = q ≤ ½. */
function normalAbsQuantileStart(q: number): number {
  const t = Math.sqrt(-2 * Math.log(q));
  const s = t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  return s > 1e-3 ? s : (0.5 - q) * 2.5066282746310002; // near q = ½: s ≈ (½ − q)·√(2π)
}
