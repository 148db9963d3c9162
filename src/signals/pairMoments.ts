/**
 * The sample several per-date statistics share: the complete pairs (x_i, y_i) of a factor row and
 * a forward-return row (both non-NaN), gathered once into dense scratch arrays, and their moments
 * in two dense passes over them (i in gather order, j ascending):
 *
 *     n,  x̄ = Σ x / n,  ȳ = Σ y / n,  raw = Σ x²,
 *     Sxx = Σ (x − x̄)²,  Sxy = Σ (x − x̄)(y − ȳ),  Syy = Σ (y − ȳ)²,
 *     G = Σ |x − x̄|,  R = Σ (x − x̄) · y.
 *
 * From them: the Pearson IC Sxy / sqrt(Sxx Syy) (ic.ts), the simple regression b = Sxy / Sxx with
 * its residual pass (regression.ts), and the factor-weighted long-short return R / G (alphalens
 * `factor_returns(demeaned=True)`, quantiles.ts). Each sum adds the same terms in the same order
 * as those modules' own definitions, so the numbers are the same bit for bit; the gain is one
 * gather and two branch-free passes instead of two or three masked passes per statistic.
 */
import type { CorrelationScratch } from '../stats/correlation.js';

export interface PairMoments {
  /** Complete pairs. */
  n: number;
  /** Non-NaN x values in the row (a pair or not). */
  present: number;
  meanX: number;
  meanY: number;
  rawXX: number;
  sxx: number;
  sxy: number;
  syy: number;
  /** Σ |x − x̄|. */
  absDx: number;
  /** Σ (x − x̄) · y. */
  dxY: number;
}

export function createPairMoments(): PairMoments {
  return { n: 0, present: 0, meanX: NaN, meanY: NaN, rawXX: 0, sxx: 0, sxy: 0, syy: 0, absDx: 0, dxY: 0 };
}

/**
 * Gathers the complete pairs (x[xo + j], y[yo + j]), j < m, into s.a (x) and s.b (y), and with
 * `xRanks` the rank x's row holds for each pair into s.ra (xRanks[xo + j]). Sets mo.n and
 * mo.present. Branch-free: every cell is written at the next slot and the slot advances only for a
 * complete pair, so a row's pattern of missing values costs no mispredictions.
 */
export function gatherPairs(
  x: Float64Array,
  y: Float64Array,
  xo: number,
  yo: number,
  m: number,
  s: CorrelationScratch,
  xRanks: Float64Array | null,
  mo: PairMoments,
): number {
  const a = s.a,
    b = s.b,
    ra = s.ra;
  let c = 0,
    present = 0;
  if (xRanks !== null) {
    for (let j = 0; j < m; j++) {
      const u = x[xo + j],
        v = y[yo + j];
      a[c] = u;
      b[c] = v;
      ra[c] = xRanks[xo + j];
      const px = Number(u === u);
      present += px;
      c += px & Number(v === v);
    }
  } else {
    for (let j = 0; j < m; j++) {
      const u = x[xo + j],
        v = y[yo + j];
      a[c] = u;
      b[c] = v;
      const px = Number(u === u);
      present += px;
      c += px & Number(v === v);
    }
  }
  mo.n = c;
  mo.present = present;
  return c;
}

/**
 * {@link gatherPairs} with the factor's row ranks, also gathering for each pair the less-count of
 * its return in the presorted returns (stats `RowLessCounts`, pairStats.ts): `pairLess[i]` =
 * `less[lo + col[j]]` for the i-th pair, asset j (`col` maps each factor asset to its column of
 * the returns' row; any column for an asset without one, which never makes a pair). The same s.a,
 * s.b, s.ra, mo.n and mo.present as gatherPairs.
 */
export function gatherPairsLess(
  x: Float64Array,
  y: Float64Array,
  xo: number,
  yo: number,
  m: number,
  s: CorrelationScratch,
  xRanks: Float64Array,
  mo: PairMoments,
  less: Uint32Array,
  lo: number,
  col: Int32Array,
  pairLess: Uint32Array,
): number {
  const a = s.a,
    b = s.b,
    ra = s.ra;
  let c = 0,
    present = 0;
  for (let j = 0; j < m; j++) {
    const u = x[xo + j],
      v = y[yo + j];
    a[c] = u;
    b[c] = v;
    ra[c] = xRanks[xo + j];
    pairLess[c] = less[lo + col[j]];
    const px = Number(u === u);
    present += px;
    c += px & Number(v === v);
  }
  mo.n = c;
  mo.present = present;
  return c;
}

/** The moments (module doc) of the n gathered pairs x[0..n), y[0..n) into mo (n >= 1; mo.n is set to n). */
export function pairMoments(x: Float64Array, y: Float64Array, n: number, mo: PairMoments): void {
  let sx = 0,
    sy = 0,
    raw = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    sx += u;
    sy += y[i];
    raw += u * u;
  }
  const mx = sx / n,
    my = sy / n;
  let sxx = 0,
    sxy = 0,
    syy = 0,
    g = 0,
    r = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i],
      dx = x[i] - mx,
      dy = v - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
    g += Math.abs(dx);
    r += dx * v;
  }
  mo.n = n;
  mo.meanX = mx;
  mo.meanY = my;
  mo.rawXX = raw;
  mo.sxx = sxx;
  mo.sxy = sxy;
  mo.syy = syy;
  mo.absDx = g;
  mo.dxY = r;
}

/** Pearson correlation from the moments: NaN below 2 pairs or with a constant side, clamped to [−1, 1] (stats/correlation.ts). */
export function pearsonOfMoments(mo: PairMoments): number {
  if (mo.n < 2 || !(mo.sxx > 0) || !(mo.syy > 0)) return NaN;
  const r = mo.sxy / Math.sqrt(mo.sxx * mo.syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Factor-weighted return R / G: NaN below 2 pairs or when every factor value is equal (quantiles.ts). */
export function factorWeightedOfMoments(mo: PairMoments): number {
  return mo.n >= 2 && mo.absDx > 0 ? mo.dxY / mo.absDx : NaN;
}
