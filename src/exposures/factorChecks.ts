/**
 * Factors that no regression can separate: a factor column that is constant, or that is a linear
 * combination of earlier columns (and the intercept), on the rows where every factor is present.
 *
 * The tests are the fit's own (stats/ols.ts), applied to the factor columns themselves rather than
 * to one asset's sample, so that a command can name the cause once instead of reporting it per
 * asset (or, in a rolling fit, as "no betas"):
 *   constant    with an intercept: sample variance below 1e-12 × mean square (or all zero);
 *               without one: all zero
 *   collinear   1 − R² of the column on the earlier kept columns (and the intercept) below `tol`
 *               (default {@link DEFAULT_COLLINEAR_TOL}, as the fit's Cholesky)
 * For a collinear column the combination is given: x_j ≈ c + Σ_k a_k·x_k over the kept columns k
 * whose term is not negligible (|a_k|·‖x_k − x̄_k‖ above ‖x_j − x̄_j‖ times 1e-8 or 100 × the
 * relative residual norm of the combination, whichever is larger: rounded data leaves noise terms).
 *
 * Computed by modified Gram–Schmidt on the (centred, with an intercept) columns in their order.
 */
import { DEFAULT_COLLINEAR_TOL } from '../stats/linalg.js';

export interface DegenerateFactor {
  factor: string;
  kind: 'constant' | 'collinear';
  /** The constant value (its mean over the rows) for `constant`. */
  value?: number;
  /** For `collinear`: the earlier factors and coefficients that reproduce it. */
  combination?: { factor: string; coef: number }[];
  /** For `collinear`: whether the combination includes the intercept (the columns were centred). */
  withConstant?: boolean;
}

export interface DegenerateFactorOptions {
  /** First row (inclusive, default 0). */
  from?: number;
  /** Last row (exclusive, default the series' length). */
  to?: number;
  /** Centre the columns (a model with an intercept; default true). */
  includeConstant?: boolean;
  /** 1 − R² below which a column is collinear (default {@link DEFAULT_COLLINEAR_TOL}). */
  tol?: number;
}

/** The constant and collinear factor columns on the rows where every column is present. */
export function degenerateFactors(
  names: readonly string[],
  series: readonly ArrayLike<number>[],
  options: DegenerateFactorOptions = {},
): DegenerateFactor[] {
  const k = names.length;
  if (series.length !== k) throw new RangeError(`degenerateFactors: ${k} names and ${series.length} series`);
  const len = k === 0 ? 0 : series[0].length;
  const from = options.from ?? 0,
    to = options.to ?? len;
  const centre = options.includeConstant ?? true;
  const tol = options.tol ?? DEFAULT_COLLINEAR_TOL;
  const rows: number[] = [];
  for (let t = from; t < to; t++) {
    let ok = true;
    for (let c = 0; c < k && ok; c++) {
      const v = series[c][t];
      ok = v === v && Number.isFinite(v);
    }
    if (ok) rows.push(t);
  }
  const n = rows.length;
  const out: DegenerateFactor[] = [];
  if (n === 0) return out;
  // kept columns: orthonormal q (length n), the column's centred norm, and R (q-coordinates of each kept column)
  const q: Float64Array[] = [];
  const keptIndex: number[] = [];
  const keptNorm: number[] = [];
  const rCols: Float64Array[] = []; // rCols[i][m] = q_m · x_{kept i}, m <= i
  for (let c = 0; c < k; c++) {
    const x = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += series[c][rows[i]];
    mean /= n;
    let ms = 0;
    for (let i = 0; i < n; i++) {
      const v = series[c][rows[i]];
      ms += v * v;
      x[i] = centre ? v - mean : v;
    }
    ms /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += x[i] * x[i];
    const isConstant = centre ? ms === 0 || ss / n <= 1e-12 * ms : ss === 0;
    if (isConstant) {
      out.push({ factor: names[c], kind: 'constant', value: mean });
      continue;
    }
    const v = Float64Array.from(x);
    const r = new Float64Array(q.length + 1);
    for (let m = 0; m < q.length; m++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[m][i] * v[i];
      r[m] = d;
      for (let i = 0; i < n; i++) v[i] -= d * q[m][i];
    }
    let rs = 0;
    for (let i = 0; i < n; i++) rs += v[i] * v[i];
    if (rs <= tol * ss) {
      // x = Σ_m r_m q_m, and the kept columns are X_K = Q·R (R upper triangular): solve R·a = r
      const p = q.length;
      const a = new Float64Array(p);
      for (let i = p - 1; i >= 0; i--) {
        let s = r[i];
        for (let j = i + 1; j < p; j++) s -= rCols[j][i] * a[j];
        a[i] = s / rCols[i][i];
      }
      // a term below the noise of the fit (100 × the residual norm, 1e-8 at least) is no part of the combination
      const negligible = Math.max(1e-8, 100 * Math.sqrt(rs / ss)) * Math.sqrt(ss);
      const combination: { factor: string; coef: number }[] = [];
      for (let i = 0; i < p; i++)
        if (Math.abs(a[i]) * keptNorm[i] > negligible) combination.push({ factor: names[keptIndex[i]], coef: a[i] });
      out.push({ factor: names[c], kind: 'collinear', combination, withConstant: centre });
      continue;
    }
    const nv = Math.sqrt(rs);
    for (let i = 0; i < n; i++) v[i] /= nv;
    r[q.length] = nv;
    q.push(v);
    rCols.push(r);
    keptIndex.push(c);
    keptNorm.push(Math.sqrt(ss));
  }
  return out;
}

/** "hml2 = 2·hml" or "x is constant (0.001)": a degenerate factor in words. */
export function describeDegenerateFactor(d: DegenerateFactor): string {
  if (d.kind === 'constant') return `${d.factor} is constant (${formatCoef(d.value ?? NaN)})`;
  const terms = (d.combination ?? []).map(({ factor, coef }, i) => {
    const mag = Math.abs(coef);
    const body = Math.abs(mag - 1) < 1e-9 ? factor : `${formatCoef(mag)}·${factor}`;
    return i === 0 ? (coef < 0 ? `−${body}` : body) : coef < 0 ? ` − ${body}` : ` + ${body}`;
  });
  return terms.length > 0
    ? `${d.factor} is a linear combination of the others (${d.factor} ≈ ${terms.join('')}${d.withConstant === true ? ' + a constant' : ''})`
    : `${d.factor} is a linear combination of the others`;
}

function formatCoef(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * Returns computed from prices that span more than one factor period: the return on price date
 * p_i is p_i / p_{i−1} − 1, and when a factor date d lies strictly between p_{i−1} and p_i (the
 * prices lack a date the factors have) that return covers several factor periods but would be
 * regressed on the factors of p_i alone. Gives, ascending, the indices i − 1 of such returns in
 * the returns calendar (price dates from the second on), and how many factor dates inside the
 * prices' range the prices lack (`missing`, with the first of them).
 */
export function returnsSpanningFactorDates(
  priceDates: ArrayLike<number>,
  factorDates: ArrayLike<number>,
): { rows: number[]; missing: number; firstMissing: number } {
  const rows: number[] = [];
  let missing = 0,
    firstMissing = NaN;
  let f = 0;
  const nf = factorDates.length;
  for (let i = 1; i < priceDates.length; i++) {
    const lo = priceDates[i - 1],
      hi = priceDates[i];
    while (f < nf && factorDates[f] <= lo) f++;
    let between = 0;
    while (f < nf && factorDates[f] < hi) {
      if (missing === 0) firstMissing = factorDates[f];
      between++;
      missing++;
      f++;
    }
    if (between > 0) rows.push(i - 1);
  }
  return { rows, missing, firstMissing };
}
