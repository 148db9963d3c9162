/**
 * Cross-sectional preprocessing of a factor Panel, one date (row) at a time. NaN = not in that
 * date's universe and stays NaN; every function returns a new Panel and never writes its input.
 *
 * - `winsorize` clips each date's values to [lo, hi]:
 *     'mad'      lo, hi = median ∓ k·1.4826·MAD, MAD = median(|x − median|)  (default k = 3;
 *                1.4826 = 1/Φ⁻¹(3/4) makes 1.4826·MAD a consistent estimate of σ for normal data);
 *                a date with MAD = 0 is left unchanged
 *     'sigma'    lo, hi = mean ∓ k·std, std with ddof 1 (default k = 3)
 *     'quantile' lo, hi = the `lower` and `upper` quantiles (default 0.01, 0.99) with numpy's
 *                default linear interpolation (np.nanquantile, Hyndman–Fan type 7)
 * - `zscore`: (x − mean) / std with ddof 1 (DESIGN.md; pandas' default, so it matches
 *   `(x − x.mean()) / x.std()`). A date with fewer than 2 values or zero spread becomes all NaN
 *   (a constant cross-section has no z-score; it is never silently 0). ±Infinity is an error (it
 *   made its date's mean and std infinite, and the whole row NaN without a word): set it to NaN.
 * - `rankTransform`: average ranks 1..N (ties share their mean rank, scipy `rankdata`), or with
 *   `scale: 'unit'` rank / N in (0, 1] (pandas `rank(pct=True)`).
 * - `neutralize`: the residual e of the per-date OLS
 *       x_i = c + Σ_g d_g·1[group(i) = g] + γ·log(size_i) + e_i
 *   (dummies for every group present but the first, or none without `groups`; the log-size term
 *   only with `size`). Computed by Frisch–Waugh–Lovell in closed form, no matrix work: demean x
 *   and log size within each group, then take the residual of demeaned x on demeaned log size.
 *   An asset without a group (code −1), without a size, or with size <= 0 is NaN. When log size is
 *   constant within every group (collinear with the dummies, 1 − R² < 1e-10) it is dropped for
 *   that date (the minimum-norm / pinv fit gives the same residual).
 *
 * The same closed form, with weights, is the engine of the regression test (regression.ts):
 * {@link CrossSectionScratch} and {@link partialOut} are exported for it.
 */
import { checkOneOf, checkOptionNames, checkSameGrid } from '../core/checks.js';
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { nanQuantiles } from '../stats/descriptive.js';
import { averageRanks, createRankScratch, percentileRanks } from '../stats/ranks.js';
import type { GroupCodes } from './groups.js';

/** Group membership per (date, asset): codes[t·m + j] indexes `names`; −1 = no group. */

export type WinsorizeMethod = 'mad' | 'sigma' | 'quantile';

export interface WinsorizeOptions {
  /** Default 'mad'. */
  method?: WinsorizeMethod;
  /** Width in robust (MAD) or plain standard deviations for 'mad' / 'sigma' (default 3). */
  k?: number;
  /** Lower and upper quantile for 'quantile' (default 0.01 and 0.99). */
  lower?: number;
  upper?: number;
}

/** The MAD consistency constant 1/Φ⁻¹(0.75). */
export const MAD_SCALE = 1.4826;

function rowBuffer(panel: Panel): Float64Array {
  return new Float64Array(panel.nAssets);
}

/** Non-NaN values of row t into buf; returns their count. */
function compact(v: Float64Array, off: number, m: number, buf: Float64Array): number {
  let n = 0;
  for (let j = 0; j < m; j++) {
    const a = v[off + j];
    if (a === a) buf[n++] = a;
  }
  return n;
}

/**
 * ±Infinity in a panel whose per-date mean or regression it takes (zscore, neutralize) is an
 * error naming the date and asset: it made the date's statistics infinite and its whole row NaN
 * without a word. NaN (not in that date's universe) is fine.
 */
function refuseInfinite(what: string, panel: Panel): void {
  const v = panel.values,
    m = panel.nAssets;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === x && x - x !== 0) {
      const t = Math.floor(i / m);
      throw new InputError(`${what}: the panel has ${x > 0 ? 'Infinity' : '-Infinity'}, which would make its date's whole row NaN`, {
        date: formatIsoDate(panel.dates[t]),
        asset: panel.assets[i - t * m],
        hint: 'set it to NaN (missing): an infinite factor value has no place in a cross-section',
      });
    }
  }
}

function medianSorted(s: Float64Array, n: number): number {
  const h = n >> 1;
  return n % 2 === 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

function meanStd(buf: Float64Array, n: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) s += buf[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = buf[i] - mean;
    ss += d * d;
  }
  return [mean, Math.sqrt(ss / (n - 1))];
}

/** Per-date winsorisation (see the module doc). */
export function winsorize(panel: Panel, options: WinsorizeOptions = {}): Panel {
  // `{ limits: 0.01 }` (scipy's name) clipped at the default bounds without a word
  checkOptionNames<WinsorizeOptions>('winsorize options', options, { method: true, k: true, lower: true, upper: true });
  const method = options.method ?? 'mad';
  const k = options.k ?? 3;
  const lower = options.lower ?? 0.01,
    upper = options.upper ?? 0.99;
  if (!(k > 0)) throw new InputError(`winsorize: k must be positive, got ${k}`);
  if (!(lower >= 0 && lower <= upper && upper <= 1))
    throw new InputError(`winsorize: need 0 <= lower <= upper <= 1, got ${lower}, ${upper}`);
  const n = panel.nDates,
    m = panel.nAssets,
    v = panel.values;
  const out = v.slice();
  const buf = rowBuffer(panel);
  const qs = new Float64Array([lower, upper]);
  for (let t = 0; t < n; t++) {
    const off = t * m;
    const c = compact(v, off, m, buf);
    if (c === 0) continue;
    let lo: number, hi: number;
    if (method === 'mad') {
      const s = buf.subarray(0, c).sort();
      const med = medianSorted(s, c);
      for (let i = 0; i < c; i++) s[i] = Math.abs(s[i] - med);
      const mad = medianSorted(s.sort(), c);
      if (!(mad > 0)) continue;
      lo = med - k * MAD_SCALE * mad;
      hi = med + k * MAD_SCALE * mad;
    } else if (method === 'sigma') {
      if (c < 2) continue;
      const [mean, sd] = meanStd(buf, c);
      lo = mean - k * sd;
      hi = mean + k * sd;
    } else if (method === 'quantile') {
      const b = nanQuantiles(buf.subarray(0, c), qs);
      lo = b[0];
      hi = b[1];
    } else {
      throw new InputError(`winsorize: unknown method ${String(method)}`);
    }
    for (let j = 0; j < m; j++) {
      const a = out[off + j];
      if (a < lo) out[off + j] = lo;
      else if (a > hi) out[off + j] = hi;
    }
  }
  return new Panel(panel.dates, panel.assets, out);
}

/** Per-date z-score (x − mean)/std, ddof 1; dates with < 2 values or zero spread become NaN. */
export function zscore(panel: Panel): Panel {
  refuseInfinite('zscore', panel);
  const n = panel.nDates,
    m = panel.nAssets,
    v = panel.values;
  const out = new Float64Array(n * m).fill(NaN);
  const buf = rowBuffer(panel);
  for (let t = 0; t < n; t++) {
    const off = t * m;
    const c = compact(v, off, m, buf);
    if (c < 2) continue;
    const [mean, sd] = meanStd(buf, c);
    if (!(sd > 0) || !(sd > Math.abs(mean) * 1e-14)) continue;
    for (let j = 0; j < m; j++) out[off + j] = (v[off + j] - mean) / sd; // NaN stays NaN
  }
  return new Panel(panel.dates, panel.assets, out);
}

export interface RankTransformOptions {
  /** 'rank': average ranks 1..N (default); 'unit': rank / N in (0, 1]. */
  scale?: 'rank' | 'unit';
}

/** Per-date average ranks (optionally scaled to (0, 1]); NaN stays NaN. */
export function rankTransform(panel: Panel, options: RankTransformOptions = {}): Panel {
  checkOptionNames<RankTransformOptions>('rankTransform options', options, { scale: true });
  const n = panel.nDates,
    m = panel.nAssets,
    v = panel.values;
  const unit = checkOneOf('scale', options.scale ?? 'rank', ['rank', 'unit']) === 'unit';
  const out = new Float64Array(n * m);
  const scratch = createRankScratch(m);
  for (let t = 0; t < n; t++) {
    const src = v.subarray(t * m, (t + 1) * m),
      dst = out.subarray(t * m, (t + 1) * m);
    if (unit) percentileRanks(src, dst, scratch);
    else averageRanks(src, dst, scratch);
  }
  return new Panel(panel.dates, panel.assets, out);
}

// ---------------------------------------------------------------------------------------------
// Partialling out controls (group dummies + intercept, log size), weighted, in closed form.

/** Reusable per-date buffers for {@link partialOut} (capacity = assets, groups = group names). */
export interface CrossSectionScratch {
  /** Column (asset index) of each sample entry. */
  idx: Int32Array;
  y: Float64Array;
  x: Float64Array;
  s: Float64Array;
  w: Float64Array;
  g: Int32Array;
  gW: Float64Array;
  gY: Float64Array;
  gX: Float64Array;
  gS: Float64Array;
}

export function createCrossSectionScratch(capacity: number, nGroups: number): CrossSectionScratch {
  const G = Math.max(nGroups, 1);
  return {
    idx: new Int32Array(capacity),
    y: new Float64Array(capacity),
    x: new Float64Array(capacity),
    s: new Float64Array(capacity),
    w: new Float64Array(capacity),
    g: new Int32Array(capacity),
    gW: new Float64Array(G),
    gY: new Float64Array(G),
    gX: new Float64Array(G),
    gS: new Float64Array(G),
  };
}

/** Relative tolerance on 1 − R² of a column on the controls (as stats/linalg's collinearity test). */
export const COLLINEAR_TOL = 1e-10;

export interface PartialOutResult {
  /** Groups present (= intercept + dummies; 1 without groups). */
  groups: number;
  /** Whether log size entered (false when absent or collinear with the dummies). */
  size: boolean;
  /** Weighted centred sum of squares of y, Σ w (y − ȳ_w)², before partialling. */
  yTss: number;
  /** The same for x. */
  xTss: number;
}

/**
 * Given the n sample entries loaded in `cs` (y, and x when `hasX`; s when `hasS`; weights w and
 * group codes g, g = 0 for all without groups), replaces y (and x) in place by their residuals on
 * the controls: weighted within-group demeaning, then the weighted residual on demeaned s.
 */
export function partialOut(cs: CrossSectionScratch, n: number, nGroups: number, hasX: boolean, hasS: boolean): PartialOutResult {
  const { y, x, s, w, g, gW, gY, gX, gS } = cs;
  const G = Math.max(nGroups, 1);
  gW.fill(0, 0, G);
  gY.fill(0, 0, G);
  gX.fill(0, 0, G);
  gS.fill(0, 0, G);
  let sw = 0,
    swy = 0,
    swx = 0,
    sws = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i],
      k = g[i];
    gW[k] += wi;
    gY[k] += wi * y[i];
    if (hasX) gX[k] += wi * x[i];
    if (hasS) gS[k] += wi * s[i];
  }
  let present = 0;
  for (let k = 0; k < G; k++) {
    const a = gW[k];
    if (a > 0) {
      present++;
      sw += a;
      swy += gY[k];
      swx += gX[k];
      sws += gS[k];
      gY[k] /= a;
      gX[k] /= a;
      gS[k] /= a;
    }
  }
  // centred totals (for R², rank checks) before the group means are removed
  const my = swy / sw,
    mx = swx / sw,
    ms = sws / sw;
  let yTss = 0,
    xTss = 0,
    sTss = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    const dy = y[i] - my;
    yTss += wi * dy * dy;
    if (hasX) {
      const dx = x[i] - mx;
      xTss += wi * dx * dx;
    }
    if (hasS) {
      const ds = s[i] - ms;
      sTss += wi * ds * ds;
    }
  }
  for (let i = 0; i < n; i++) {
    const k = g[i];
    y[i] -= gY[k];
    if (hasX) x[i] -= gX[k];
    if (hasS) s[i] -= gS[k];
  }
  let size = false;
  if (hasS) {
    let sss = 0,
      ssy = 0,
      ssx = 0;
    for (let i = 0; i < n; i++) {
      const ws = w[i] * s[i];
      sss += ws * s[i];
      ssy += ws * y[i];
      if (hasX) ssx += ws * x[i];
    }
    if (sTss > 0 && sss > COLLINEAR_TOL * sTss) {
      size = true;
      const by = ssy / sss,
        bx = ssx / sss;
      for (let i = 0; i < n; i++) {
        y[i] -= by * s[i];
        if (hasX) x[i] -= bx * s[i];
      }
    }
  }
  return { groups: present, size, yTss, xTss };
}

export interface NeutralizeOptions {
  /** Group membership (dummies); assets with code −1 become NaN. */
  groups?: GroupCodes;
  /** Size (e.g. market cap), same shape as the factor; log(size) is the regressor. */
  size?: Panel;
  /** Take the log of `size` (default true); false uses the values as given. */
  logSize?: boolean;
}

/** `b` on the dates and assets of `a` (core/checks.ts `checkSameGrid`). */
function checkSameShape(a: Panel, b: Panel, what: string): void {
  checkSameGrid('the panel', a, what, b);
}

/** Throws unless `groups` has one code per cell of `panel`. */
export function checkGroups(panel: Panel, groups: GroupCodes): void {
  if (groups.codes.length !== panel.nDates * panel.nAssets) {
    throw new InputError(
      `groups has ${groups.codes.length} codes, expected ${panel.nDates}x${panel.nAssets} (one per date and asset of the factor panel)`,
      { options: ['groups'], hint: 'build the codes on the factor panel (groupCodes with its dates and assets)' },
    );
  }
}

/** Per-date residual on group dummies (+ intercept) and optionally log size (module doc). */
export function neutralize(panel: Panel, options: NeutralizeOptions = {}): Panel {
  // `{ group: codes }` demeaned across all assets instead of within groups, silently
  checkOptionNames<NeutralizeOptions>('neutralize options', options, { groups: true, size: true, logSize: true });
  const n = panel.nDates,
    m = panel.nAssets,
    v = panel.values;
  const groups = options.groups,
    size = options.size;
  if (groups) checkGroups(panel, groups);
  if (size) checkSameShape(panel, size, 'size');
  refuseInfinite('neutralize', panel);
  const useLog = options.logSize ?? true;
  const nGroups = groups ? groups.names.length : 1;
  const cs = createCrossSectionScratch(m, nGroups);
  cs.w.fill(1);
  const out = new Float64Array(n * m).fill(NaN);
  for (let t = 0; t < n; t++) {
    const off = t * m;
    let c = 0;
    for (let j = 0; j < m; j++) {
      const a = v[off + j];
      if (a !== a) continue;
      let code = 0;
      if (groups) {
        code = groups.codes[off + j];
        if (code < 0 || code >= nGroups) continue;
      }
      let sv = 0;
      if (size) {
        sv = useLog ? Math.log(size.values[off + j]) : size.values[off + j];
        if (!Number.isFinite(sv)) continue;
      }
      cs.idx[c] = j;
      cs.y[c] = a;
      cs.g[c] = code;
      cs.s[c] = sv;
      c++;
    }
    if (c === 0) continue;
    partialOut(cs, c, nGroups, false, size !== undefined);
    for (let i = 0; i < c; i++) out[off + cs.idx[i]] = cs.y[i];
  }
  return new Panel(panel.dates, panel.assets, out);
}
