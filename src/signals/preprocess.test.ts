import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, solve } from 'ml-matrix';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { MAD_SCALE, neutralize, rankTransform, winsorize, zscore } from './preprocess.js';

const panel = (rows: number[][]): Panel =>
  new Panel(
    calendarFromIso(rows.map((_, i) => `2021-03-${String(i + 1).padStart(2, '0')}`)),
    rows[0].map((_, j) => `S${j}`),
    Float64Array.from(rows.flat()),
  );
const row = (p: Panel, t: number): number[] => Array.from(p.row(t));

describe('winsorize', () => {
  it('MAD: median ± k·1.4826·MAD by hand; the input is not mutated', () => {
    const p = panel([
      [1, 2, 3, 4, 100, NaN],
      [5, 5, 5, 5, 5, 5],
    ]);
    const copy = p.values.slice();
    const w = winsorize(p, { method: 'mad', k: 3 });
    // median 3, |x − 3| = 2,1,0,1,97 → MAD 1
    expect(row(w, 0)).toEqual([1, 2, 3, 4, 3 + 3 * MAD_SCALE, NaN]);
    expect(row(w, 1)).toEqual([5, 5, 5, 5, 5, 5]); // MAD 0: unchanged
    expect(p.values).toEqual(copy);
  });

  it('sigma: mean ± k·std (ddof 1)', () => {
    const x = [1, 2, 3, 4, 100];
    const mean = 22,
      sd = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / 4);
    const w = winsorize(panel([x]), { method: 'sigma', k: 1 });
    expect(mean - sd).toBeLessThan(1); // the lower bound clips nothing
    expect(row(w, 0)).toEqual([1, 2, 3, 4, mean + sd]);
  });

  it('quantile: numpy linear quantiles (np.quantile([1..5], [.1, .9]) = 1.4, 4.6)', () => {
    const w = winsorize(panel([[5, 4, NaN, 3, 2, 1]]), { method: 'quantile', lower: 0.1, upper: 0.9 });
    const r = row(w, 0);
    expect(r[0]).toBeCloseTo(4.6, 14);
    expect(r[5]).toBeCloseTo(1.4, 14);
    expect(r.slice(1, 5)).toEqual([4, NaN, 3, 2]);
  });
});

describe('zscore', () => {
  it('refuses ±Infinity naming the date and asset (it made the whole row NaN); NaN is missing', () => {
    const p = panel([
      [1, 2, 3, 4],
      [1, Infinity, 3, NaN],
    ]);
    expect(() => zscore(p)).toThrow(InputError);
    expect(() => zscore(p)).toThrow("asset S1, date 2021-03-02: zscore: the panel has Infinity, which would make its date's whole row NaN");
    expect(() => neutralize(panel([[1, -Infinity, 3]]))).toThrow(/neutralize: the panel has -Infinity/);
  });

  it('has mean 0 and std 1 (ddof 1) on every date; constant dates are NaN', () => {
    const cell = fc.oneof(
      { weight: 5, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(NaN) },
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const z = zscore(panel(rows));
        for (let t = 0; t < rows.length; t++) {
          const v = row(z, t).filter((a) => !Number.isNaN(a));
          const orig = rows[t].filter((a) => !Number.isNaN(a));
          const spread = Math.max(...orig) - Math.min(...orig);
          if (orig.length < 2 || !(spread > 1e-9 * Math.max(1, ...orig.map(Math.abs)))) continue;
          expect(v.length).toBe(orig.length);
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
          expect(mean).toBeCloseTo(0, 9);
          expect(sd).toBeCloseTo(1, 9);
        }
      }),
    );
    expect(row(zscore(panel([[2, 2, 2]])), 0)).toEqual([NaN, NaN, NaN]);
    expect(row(zscore(panel([[1, 2, 3]])), 0)).toEqual([-1, 0, 1]);
  });
});

describe('rankTransform', () => {
  it('average ranks with ties, or rank / N', () => {
    const p = panel([[0.3, 0.1, NaN, 0.3, 0.2]]);
    expect(row(rankTransform(p), 0)).toEqual([3.5, 1, NaN, 3.5, 2]);
    expect(row(rankTransform(p, { scale: 'unit' }), 0)).toEqual([3.5 / 4, 0.25, NaN, 3.5 / 4, 0.5]);
  });
});

describe('neutralize', () => {
  /** Independent route: ml-matrix least squares on [1, dummies (all groups but the first), log size]. */
  function reference(x: number[], g: number[], size: number[]): number[] {
    const keep = x.map((_, i) => i).filter((i) => !Number.isNaN(x[i]) && g[i] >= 0 && size[i] > 0);
    const groups = [...new Set(keep.map((i) => g[i]))].sort((a, b) => a - b);
    const rows = keep.map((i) => [1, ...groups.slice(1).map((k) => (g[i] === k ? 1 : 0)), Math.log(size[i])]);
    const X = new Matrix(rows),
      y = Matrix.columnVector(keep.map((i) => x[i]));
    const b = solve(X.transpose().mmul(X), X.transpose().mmul(y));
    const fitted = X.mmul(b);
    const out = x.map(() => NaN);
    keep.forEach((i, r) => {
      out[i] = x[i] - fitted.get(r, 0);
    });
    return out;
  }

  it('equals the OLS residual on group dummies and log size (ml-matrix)', () => {
    let s = 11;
    const rnd = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const m = 40,
      nd = 3;
    const x = Array.from({ length: nd * m }, (_, i) => (i % 17 === 5 ? NaN : rnd() * 2 - 1));
    const g = Array.from({ length: nd * m }, (_, i) => (i % 23 === 7 ? -1 : Math.floor(rnd() * 4)));
    const size = Array.from({ length: nd * m }, (_, i) => (i % 29 === 3 ? NaN : Math.exp(20 + 2 * rnd())));
    const f = new Panel(
      calendarFromIso(['2021-01-04', '2021-01-05', '2021-01-06']),
      Array.from({ length: m }, (_, j) => `S${j}`),
      Float64Array.from(x),
    );
    const sizeP = new Panel(f.dates, f.assets, Float64Array.from(size));
    const out = neutralize(f, { groups: { names: ['a', 'b', 'c', 'd'], codes: Int32Array.from(g) }, size: sizeP });
    for (let t = 0; t < nd; t++) {
      const sl = (a: number[]): number[] => a.slice(t * m, (t + 1) * m);
      const want = reference(sl(x), sl(g), sl(size));
      row(out, t).forEach((v, j) => (Number.isNaN(want[j]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(want[j], 11)));
    }
  });

  it('without size is the within-group demeaned factor; without anything the demeaned factor', () => {
    const p = panel([[1, 2, 3, 10, 20]]);
    const out = neutralize(p, { groups: { names: ['x', 'y'], codes: Int32Array.from([0, 0, 0, 1, 1]) } });
    expect(row(out, 0)).toEqual([-1, 0, 1, -5, 5]);
    row(neutralize(p), 0).forEach((v, j) => expect(v).toBeCloseTo([-6.2, -5.2, -4.2, 2.8, 12.8][j], 12));
  });
});

describe('group codes of the wrong length', () => {
  it('are an InputError naming groups and the shape (a RangeError before)', () => {
    const p = panel([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => neutralize(p, { groups: { names: ['x'], codes: new Int32Array(5) } })).toThrow(
      'groups has 5 codes, expected 2x3 (one per date and asset of the factor panel)',
    );
    expect(() => neutralize(p, { groups: { names: ['x'], codes: new Int32Array(5) } })).toThrow(InputError);
  });
});
