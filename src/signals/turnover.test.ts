import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { spearman } from '../stats/correlation.js';
import { rowRanks } from '../stats/ranks.js';
import { quantileLabels, type QuantileLabels } from './quantiles.js';
import { EXACT_RANK_SUMS_MAX_ASSETS, factorRankAutocorrelation, quantileTurnover } from './turnover.js';

const ASSETS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];

function labelsFrom(rows: number[][], q: number): QuantileLabels {
  const dates = calendarFromIso(rows.map((_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`));
  return {
    dates,
    assets: ASSETS.slice(0, rows[0].length),
    quantiles: q,
    labels: Int32Array.from(rows.flat()),
    unlabeled: 0,
    singleValueSections: 0,
  };
}

describe('quantileTurnover', () => {
  it('0.6: three of five names in the top quantile are new', () => {
    // top (2) at t-1: A..E; at t: A, B, F, G, H
    const l = labelsFrom(
      [
        [2, 2, 2, 2, 2, 1, 1, 1, 1, 1],
        [2, 2, 1, 1, 1, 2, 2, 2, 1, 1],
      ],
      2,
    );
    const t = quantileTurnover(l, 1);
    expect(t.perDate[1][0]).toBeNaN();
    expect(t.perDate[1][1]).toBeCloseTo(0.6, 15);
    expect(t.perDate[0][1]).toBeCloseTo(0.6, 15);
    expect(t.mean[1]).toBeCloseTo(0.6, 15);
  });

  it('lag counts rows; an empty quantile gives NaN; unlabelled names are not new', () => {
    const l = labelsFrom(
      [
        [1, 2, 0, 2],
        [2, 1, 1, 2],
        [2, 0, 1, 2],
      ],
      2,
    );
    const t = quantileTurnover(l, 2);
    // t=2 vs t=0: quantile 2 now {A, D}, before {B, D}: 1/2; quantile 1 now {C}, before {A}: 1
    expect(t.perDate[1][2]).toBe(0.5);
    expect(t.perDate[0][2]).toBe(1);
    expect(Number.isNaN(t.perDate[0][1])).toBe(true);
    expect(() => quantileTurnover(l, 0)).toThrow(/lag/);
  });

  it('labels from a factor that does not change have zero turnover (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 10, maxLength: 10 }), (x) => {
        const p = new Panel(calendarFromIso(['2024-01-02', '2024-01-03']), ASSETS, Float64Array.from([...x, ...x]));
        const t = quantileTurnover(quantileLabels(p, { binning: 3 }), 1);
        for (const s of t.perDate) if (!Number.isNaN(s[1])) expect(s[1]).toBe(0);
      }),
    );
  });
});

describe('factorRankAutocorrelation', () => {
  it('hand case: reversed ranks give -1, same ranks +1', () => {
    const p = new Panel(
      calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04']),
      ['A', 'B', 'C', 'D'],
      Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40, 4, 3, 2, 1]),
    );
    const a = factorRankAutocorrelation(p, 1);
    expect(Number.isNaN(a.perDate[0])).toBe(true);
    expect(a.perDate[1]).toBeCloseTo(1, 15);
    expect(a.perDate[2]).toBeCloseTo(-1, 15);
    expect(a.mean).toBeCloseTo(0, 15);
  });

  it('ranks within the whole cross-section, Pearson over the common assets (alphalens)', () => {
    // t0: A..D = 1,2,3,4 ranks 1,2,3,4; t1: B, C, D, E = 5, 1, 7, 0 -> ranks 3, 2, 4, 1 over 4 names
    const p = new Panel(
      calendarFromIso(['2024-01-02', '2024-01-03']),
      ['A', 'B', 'C', 'D', 'E'],
      Float64Array.from([1, 2, 3, 4, NaN, NaN, 5, 1, 7, 0]),
    );
    const a = factorRankAutocorrelation(p, 1);
    // common B, C, D: ranks at t1 [3, 2, 4], at t0 [2, 3, 4]
    const x = [3, 2, 4],
      y = [2, 3, 4];
    const mx = 3,
      my = 3;
    const r =
      x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) /
      Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
    expect(a.perDate[1]).toBeCloseTo(r, 15);
    expect(a.perDate[1]).toBeCloseTo(0.5, 15);
  });

  it('equals Spearman when both dates hold the same assets (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 8, maxLength: 8 }),
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 8, maxLength: 8 }),
        (x, y) => {
          const p = new Panel(calendarFromIso(['2024-01-02', '2024-01-03']), ASSETS.slice(0, 8), Float64Array.from([...x, ...y]));
          const s = spearman(x, y);
          const a = factorRankAutocorrelation(p, 1).perDate[1];
          if (Number.isNaN(s)) expect(a).toBeNaN();
          else expect(a).toBeCloseTo(s, 12);
        },
      ),
    );
  });
});

/** Straightforward turnover: the sets of names in q at t and at t − lag, counted name by name. */
function refTurnover(L: Int32Array, m: number, n: number, Q: number, lag: number): Float64Array[] {
  const out = Array.from({ length: Q }, () => new Float64Array(n).fill(NaN));
  for (let t = lag; t < n; t++) {
    for (let q = 1; q <= Q; q++) {
      const now: number[] = [],
        before = new Set<number>();
      for (let j = 0; j < m; j++) {
        if (L[t * m + j] === q) now.push(j);
        if (L[(t - lag) * m + j] === q) before.add(j);
      }
      if (now.length > 0 && before.size > 0) out[q - 1][t] = now.filter((j) => !before.has(j)).length / now.length;
    }
  }
  return out;
}

/** Pearson of the full-row average ranks over the common assets, centred two-pass sums. */
function refRankAutocorrelation(values: number[][], lag: number): number[] {
  // average rank = #{below} + (#{equal} + 1) / 2, from a comparison sort of the non-NaN values
  const rank = (row: number[]): number[] => {
    const idx = row
      .map((_, j) => j)
      .filter((j) => !Number.isNaN(row[j]))
      .sort((a, b) => row[a] - row[b] || 0);
    const r = row.map(() => NaN);
    for (let i = 0; i < idx.length;) {
      let k = i;
      while (k < idx.length && row[idx[k]] === row[idx[i]]) k++;
      for (let z = i; z < k; z++) r[idx[z]] = (i + k + 1) / 2;
      i = k;
    }
    return r;
  };
  const R = values.map(rank);
  return R.map((x, t) => {
    if (t < lag) return NaN;
    const y = R[t - lag];
    const xs: number[] = [],
      ys: number[] = [];
    x.forEach((v, j) => {
      if (!Number.isNaN(v) && !Number.isNaN(y[j])) {
        xs.push(v);
        ys.push(y[j]);
      }
    });
    if (xs.length < 2) return NaN;
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length,
      my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0,
      sxx = 0,
      syy = 0;
    xs.forEach((v, i) => {
      sxy += (v - mx) * (ys[i] - my);
      sxx += (v - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    });
    return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
  });
}

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -6, max: 6 }).map((v) => v / 2) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0) },
  { weight: 3, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
);

function panelOf(rows: number[][]): Panel {
  const dates = calendarFromIso(rows.map((_, i) => `2024-0${1 + Math.floor(i / 28)}-${String(1 + (i % 28)).padStart(2, '0')}`));
  return new Panel(
    dates,
    Array.from({ length: rows[0].length }, (_, j) => `A${j}`),
    Float64Array.from(rows.flat()),
  );
}

describe('branch-free kernels against straightforward references (fast-check)', () => {
  it('quantileTurnover equals name-by-name counting, bit for bit (random labels 0..Q)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (m, n, Q, lag, seed) => {
          let s = seed >>> 0;
          const L = Int32Array.from({ length: n * m }, () => {
            s = (s * 1103515245 + 12345) >>> 0;
            return (s >>> 8) % (Q + 1);
          });
          const dates = calendarFromIso(
            Array.from({ length: n }, (_, i) => `2024-0${1 + Math.floor(i / 28)}-${String(1 + (i % 28)).padStart(2, '0')}`),
          );
          const labels: QuantileLabels = {
            dates,
            assets: ASSETS.concat(ASSETS).slice(0, m),
            quantiles: Q,
            labels: L,
            unlabeled: 0,
            singleValueSections: 0,
          };
          const got = quantileTurnover(labels, lag).perDate,
            want = refTurnover(L, m, n, Q, lag);
          for (let q = 0; q < Q; q++) expect(Array.from(got[q])).toEqual(Array.from(want[q]));
        },
      ),
    );
  });

  it('quantileTurnover of real labels (NaN, ±Infinity, ties, tiny rows) equals the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 7 }), (m, n, q) =>
        fc.assert(
          fc.property(fc.array(fc.array(cell, { minLength: m, maxLength: m }), { minLength: n, maxLength: n }), (rows) => {
            const l = quantileLabels(panelOf(rows), { binning: q });
            const got = quantileTurnover(l, 1).perDate,
              want = refTurnover(l.labels, m, n, q, 1);
            for (let k = 0; k < q; k++) expect(Array.from(got[k])).toEqual(Array.from(want[k]));
          }),
          { numRuns: 5 },
        ),
      ),
      { numRuns: 40 },
    );
  });

  it('one-pass rank autocorrelation is within 1e-14 of the centred two-pass Pearson on small rows (NaN, ±Infinity, ties, empty rows)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (m, n, lag, nanShare) =>
          fc.assert(
            fc.property(
              fc.array(fc.array(cell, { minLength: m, maxLength: m }), { minLength: n, maxLength: n }),
              fc.integer(),
              (rows0, seed) => {
                let s = seed >>> 0;
                const rows = rows0.map((r) =>
                  r.map((v) => {
                    s = (s * 1103515245 + 12345) >>> 0;
                    return (s >>> 8) / 2 ** 24 < nanShare ? NaN : v;
                  }),
                );
                const got = factorRankAutocorrelation(panelOf(rows), lag).perDate,
                  want = refRankAutocorrelation(rows, lag);
                want.forEach((w, t) => {
                  if (Number.isNaN(w)) expect(got[t]).toBeNaN();
                  else expect(Math.abs(got[t] - w)).toBeLessThan(1e-14);
                });
              },
            ),
            { numRuns: 5 },
          ),
      ),
      { numRuns: 40 },
    );
  });

  it('rows wider than the exact-sum bound use the two-pass sums (8,200 assets, ties and NaN)', () => {
    const m = EXACT_RANK_SUMS_MAX_ASSETS + 8;
    let s = 7;
    const rnd = (): number => {
      s = (s * 1103515245 + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const rows = Array.from({ length: 3 }, () => Array.from({ length: m }, () => (rnd() < 0.05 ? NaN : Math.floor(rnd() * 500))));
    const dates = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04']);
    const got = factorRankAutocorrelation(
      new Panel(
        dates,
        Array.from({ length: m }, (_, j) => `A${j}`),
        Float64Array.from(rows.flat()),
      ),
      1,
    ).perDate;
    const want = refRankAutocorrelation(rows, 1);
    expect(got[0]).toBeNaN();
    for (const t of [1, 2]) expect(Math.abs(got[t] - want[t])).toBeLessThan(1e-14);
  });

  it('one pass is within a few ulps of exact rational arithmetic (BigInt), ties and NaN, 3,000 assets', () => {
    const isqrt = (v: bigint): bigint => {
      if (v < 2n) return v;
      let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2) + 1);
      for (;;) {
        const y = (x + v / x) >> 1n;
        if (y >= x) return x;
        x = y;
      }
    };
    const m = 3000;
    let s = 5;
    const rnd = (): number => {
      s = (s * 1103515245 + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const base = Array.from({ length: m }, () => rnd());
    const rows = [
      base,
      base.map((v) => (rnd() < 0.05 ? NaN : v + 0.05 * rnd())),
      base.map((v) => (rnd() < 0.05 ? NaN : Math.round((v + 0.2 * rnd()) * 40))),
    ];
    const dates = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04']);
    const p = new Panel(
      dates,
      Array.from({ length: m }, (_, j) => `A${j}`),
      Float64Array.from(rows.flat()),
    );
    const ranks = rowRanks(p.values, 3, m);
    const got = factorRankAutocorrelation(p, 1, ranks).perDate;
    for (const t of [1, 2]) {
      // doubled ranks are integers: exact sums, corr = num / sqrt(vx * vy) to 40 digits
      let c = 0n,
        sx = 0n,
        sy = 0n,
        sxx = 0n,
        syy = 0n,
        sxy = 0n;
      for (let j = 0; j < m; j++) {
        const x = ranks[t * m + j],
          y = ranks[(t - 1) * m + j];
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        const X = BigInt(2 * x),
          Y = BigInt(2 * y);
        c++;
        sx += X;
        sy += Y;
        sxx += X * X;
        syy += Y * Y;
        sxy += X * Y;
      }
      const S = 10n ** 40n;
      const exact = Number(((c * sxy - sx * sy) * S * S) / isqrt((c * sxx - sx * sx) * (c * syy - sy * sy) * S * S)) / 1e40;
      expect(Math.abs(got[t] - exact)).toBeLessThanOrEqual(4.5e-16);
    }
    expect(got[1]).toBeGreaterThan(0.99);
  });

  it('a full cross-section of 3,000 distinct ranks: one pass vs two-pass within 1e-14', () => {
    const m = 3000;
    let s = 11;
    const rnd = (): number => {
      s = (s * 1103515245 + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const base = Array.from({ length: m }, () => rnd());
    const rows = [base, base.map((v) => v + 0.3 * rnd()), base.map((v) => -v + 0.1 * rnd())];
    const dates = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04']);
    const got = factorRankAutocorrelation(
      new Panel(
        dates,
        Array.from({ length: m }, (_, j) => `A${j}`),
        Float64Array.from(rows.flat()),
      ),
      1,
    ).perDate;
    const want = refRankAutocorrelation(rows, 1);
    for (const t of [1, 2]) expect(Math.abs(got[t] - want[t])).toBeLessThan(1e-14);
    expect(got[1]).toBeGreaterThan(0.9);
    expect(got[2]).toBeLessThan(-0.9);
  });
});
