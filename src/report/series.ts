/**
 * Small transforms of per-date series for the charts (each one defined here and tested):
 *
 * - trailing moving average over `window` rows: mean of the finite values among rows t−window+1..t,
 *   NaN until the window has at least ⌈window/2⌉ finite values (gaps in an IC series do not blank
 *   the line, a near-empty window does not draw one);
 * - compounded NAV of a per-date return series held `step` rows: NAV_k = Π_{i<=k} (1 + r(t_{i·step}))
 *   from 1 at the first formation date, a missing return held in cash (0), the same convention as
 *   the quantile NAVs of signals/quantiles.ts; returns the dates t_0, t_step, ... with their NAVs;
 * - cumulative sum of every `step`-th value (missing counted as 0), for factor returns;
 * - normal Q-Q points of a sample: sorted finite values against Φ⁻¹((i − 0.5)/n), i = 1..n
 *   (Hazen plotting positions).
 */
import { normalQuantile } from '../stats/normalQuantile.js';

type Values = ArrayLike<number | null>;
const val = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);

export function movingAverage(x: Values, window: number): number[] {
  const out = new Array<number>(x.length).fill(NaN);
  const need = Math.ceil(window / 2);
  let s = 0,
    n = 0;
  for (let t = 0; t < x.length; t++) {
    const v = val(x[t]);
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
    if (t >= window) {
      const o = val(x[t - window]);
      if (Number.isFinite(o)) {
        s -= o;
        n--;
      }
    }
    if (n >= need && n > 0) out[t] = s / n;
  }
  return out;
}

export function compoundedNav(dates: readonly string[], r: Values, step: number): { dates: string[]; nav: number[] } {
  const d: string[] = [],
    nav: number[] = [];
  let level = 1;
  for (let t = 0; t < r.length; t += step) {
    const v = val(r[t]);
    level *= 1 + (Number.isFinite(v) ? v : 0);
    d.push(dates[t]);
    nav.push(level);
  }
  return { dates: d, nav };
}

export function cumulativeSum(dates: readonly string[], r: Values, step: number): { dates: string[]; sum: number[] } {
  const d: string[] = [],
    out: number[] = [];
  let s = 0;
  for (let t = 0; t < r.length; t += step) {
    const v = val(r[t]);
    if (Number.isFinite(v)) s += v;
    d.push(dates[t]);
    out.push(s);
  }
  return { dates: d, sum: out };
}

export function normalQq(x: Values): { theoretical: number[]; sample: number[] } {
  const s: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = val(x[i]);
    if (Number.isFinite(v)) s.push(v);
  }
  s.sort((a, b) => a - b);
  const n = s.length;
  return { theoretical: s.map((_, i) => normalQuantile((i + 0.5) / n)), sample: s };
}
