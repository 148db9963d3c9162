import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { itPython } from '../../test/unit/portfolio/python.js';
import {
  countFinite,
  kurtosis,
  mean,
  medianInPlace,
  nanKurtosis,
  nanMean,
  nanQuantile,
  nanQuantiles,
  nanSkewness,
  nanStd,
  nanVariance,
  quantile,
  quantileOfSorted,
  quantileSorted,
  selectKth,
  skewness,
  std,
  variance,
} from './descriptive.js';

// Reference values from numpy 1.24 / scipy 1.10 on this array.
const x = Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9, 1.5, 12]);

describe('descriptive', () => {
  it('matches numpy / scipy on a fixed sample', () => {
    expect(mean(x)).toBeCloseTo(5.35, 14);
    expect(variance(x)).toBeCloseTo(10.225, 12);
    expect(std(x, 0)).toBeCloseTo(3.033562262423503, 13);
    expect(skewness(x)).toBeCloseTo(0.877872433206316, 13);
    expect(kurtosis(x)).toBeCloseTo(-0.052433839976956165, 13);
    const qs = [0, 0.1, 0.25, 0.5, 0.9, 1];
    const expected = [1.5, 1.95, 4.0, 4.5, 9.3, 12.0];
    qs.forEach((q, i) => expect(quantile(x, q)).toBeCloseTo(expected[i], 12));
    expect(Array.from(nanQuantiles(x, qs))).toEqual(qs.map((q) => quantile(x, q)));
  });

  it('hand-computed small case', () => {
    const y = [1, 2, 3, 4];
    expect(mean(y)).toBe(2.5);
    expect(variance(y)).toBeCloseTo(5 / 3, 15); // Σd² = 2.25+0.25+0.25+2.25 = 5
    expect(variance(y, 0)).toBeCloseTo(1.25, 15);
    expect(skewness(y)).toBeCloseTo(0, 15);
    // m2 = 1.25, m4 = (5.0625·2 + 0.0625·2)/4 = 2.5625 → 2.5625/1.5625 − 3 = −1.36
    expect(kurtosis(y)).toBeCloseTo(-1.36, 14);
  });

  it('NaN handling', () => {
    const y = [1, NaN, 2, 3, 4, NaN];
    expect(mean(y)).toBeNaN();
    expect(quantile(y, 0.5)).toBeNaN();
    expect(nanMean(y)).toBe(2.5);
    expect(nanVariance(y)).toBeCloseTo(5 / 3, 15);
    expect(nanStd(y, 0)).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(nanSkewness(y)).toBeCloseTo(0, 15);
    expect(nanKurtosis(y)).toBeCloseTo(-1.36, 14);
    expect(nanQuantile(y, 0.5)).toBe(2.5);
    expect(countFinite(y)).toBe(4);
    expect(nanMean([NaN])).toBeNaN();
    expect(variance([1])).toBeNaN();
    expect(skewness([3, 3, 3])).toBeNaN();
    expect(kurtosis([0.1, 0.1, 0.1])).toBeNaN();
  });

  it('properties: shift and scale', () => {
    const arr = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 40 });
    fc.assert(
      fc.property(arr, fc.double({ min: 0.5, max: 10, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (a, k, c) => {
        // well-conditioned samples only: skewness / kurtosis of nearly identical values are
        // ill-conditioned (relative rounding ~ 1e-16·max|a|/std)
        const maxAbs = Math.max(...a.map(Math.abs));
        fc.pre(std(a) > 1e-3 * Math.max(1, maxAbs));
        const b = a.map((t) => k * t + c);
        expect(mean(b)).toBeCloseTo(k * mean(a) + c, 6);
        expect(std(b) / (k * std(a))).toBeCloseTo(1, 9);
        expect(skewness(b) - skewness(a)).toBeCloseTo(0, 6);
        expect(kurtosis(b) - kurtosis(a)).toBeCloseTo(0, 6);
        const s = [...a].sort((p, q) => p - q);
        expect(quantile(a, 0) === s[0]).toBe(true); // === : −0 and +0 are the same minimum
        expect(quantile(a, 1) === s[s.length - 1]).toBe(true);
      }),
    );
  });
});

describe("quantileOfSorted: numpy's linear quantile, bit for bit", () => {
  it('hand cases: a + g·(b − a) below g = 0.5, b − (b − a)·(1 − g) from it (numpy _lerp), the ends read directly', () => {
    const s = [1, 2, 4, 8];
    // v = 3·0.25 = 0.75: g = 0.75 >= 0.5, b − d·(1 − g) = 2 − 1·0.25
    expect(quantileOfSorted(s, 0, 4, 0.25)).toBe(2 - 1 * (1 - 0.75));
    // v = 3·0.1 = 0.30000000000000004: g < 0.5, a + d·g
    expect(quantileOfSorted(s, 0, 4, 0.1)).toBe(1 + 1 * (3 * 0.1));
    expect(quantileOfSorted(s, 0, 4, 0)).toBe(1);
    expect(quantileOfSorted(s, 0, 4, 1)).toBe(8);
    // an offset reads the values from there
    expect(quantileOfSorted([99, ...s], 1, 4, 0.25)).toBe(quantileOfSorted(s, 0, 4, 0.25));
    // the two forms differ in the last bits here: the numpy form is the one used
    const a = 0.1,
      b = 0.7,
      n = 5,
      p = 0.9; // v = 3.6, g = 0.6000000000000001
    const sorted = [0, 0, 0, a, b];
    const g = (n - 1) * p - 3;
    expect(quantileOfSorted(sorted, 0, n, p)).toBe(b - (b - a) * (1 - g)); // 0.46, as np.quantile([0, 0, 0, 0.1, 0.7], 0.9)
    expect(a + g * (b - a)).toBe(0.4600000000000001); // the textbook form, one ulp off
    expect(quantileSorted(sorted, p)).toBe(quantileOfSorted(sorted, 0, n, p));
    expect(quantileSorted([], 0.5)).toBeNaN();
    // q outside [0, 1] (a percent, a typo) is the caller's error, not a NaN quantile (changed: was NaN)
    expect(() => quantileSorted([1, 2], 1.5)).toThrow('q must be a number in [0, 1], got 1.5');
  });

  itPython('equals numpy.quantile bit for bit on random samples, ties, many scales and every kind of p', () => {
    const rng = fc.sample(
      fc.record({
        n: fc.integer({ min: 1, max: 60 }),
        scale: fc.constantFrom(1e-8, 1e-3, 1, 1e3, 1e9),
        ties: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1e9 }),
      }),
      { numRuns: 200, seed: 7 },
    );
    const cases = rng.map(({ n, scale, ties, seed }) => {
      let st = seed;
      const next = (): number => {
        st = (st * 1103515245 + 12345) % 2147483648;
        return st / 2147483648;
      };
      const x = Array.from({ length: n }, () => (ties ? Math.round(next() * 5) : next() - 0.5) * scale).sort((u, v) => u - v);
      const ps = [0, 1, 0.5, next(), next(), 0.01, 0.99, 0.975, ...Array.from({ length: 6 }, (_, k) => k / 5)];
      return { x, ps };
    });
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import json, sys, numpy as np\nc = json.load(sys.stdin)\nprint(json.dumps([[float(np.quantile(np.array(k["x"]), p)) for p in k["ps"]] for k in c]))',
      ],
      {
        input: JSON.stringify(cases),
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    expect(py.status, py.stderr).toBe(0);
    const expected = JSON.parse(py.stdout) as number[][];
    let checked = 0;
    cases.forEach((c, i) =>
      c.ps.forEach((p, j) => {
        const ours = quantileSorted(c.x, p);
        // Object.is: the same double (+0 and −0 are told apart only where numpy makes +0 of a −0 end, absent here)
        expect(ours === expected[i][j] || Object.is(ours, expected[i][j]), `case ${i}, p ${p}: ${ours} vs numpy ${expected[i][j]}`).toBe(
          true,
        );
        checked++;
      }),
    );
    expect(checked).toBe(cases.length * 14);
  });
});

describe('selectKth and medianInPlace: selection equals the sorted order', () => {
  const values = fc.array(fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 300 });
  it('a[k] is the k-th smallest, nothing larger before it, nothing smaller after', () => {
    fc.assert(
      fc.property(values, fc.nat(), (xs, kk) => {
        const a = Float64Array.from(xs);
        const k = kk % a.length;
        const sorted = Float64Array.from(xs).sort();
        const got = selectKth(a, k);
        expect(got === sorted[k]).toBe(true);
        for (let i = 0; i < k; i++) expect(a[i] <= got).toBe(true);
        for (let i = k + 1; i < a.length; i++) expect(a[i] >= got).toBe(true);
        expect(Float64Array.from(a).sort()).toEqual(sorted); // a permutation of the input
      }),
      { numRuns: 400 },
    );
  });
  it('the median is the middle value, or the mean of the two middle values (numpy.median)', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = Float64Array.from(xs).sort();
        const h = s.length >> 1;
        const want = s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
        expect(
          Object.is(medianInPlace(Float64Array.from(xs), xs.length), want) || medianInPlace(Float64Array.from(xs), xs.length) === want,
        ).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(medianInPlace(new Float64Array(0), 0)).toBeNaN();
    expect(medianInPlace(Float64Array.from([3, 1, 2, 10]), 4)).toBe(2.5);
    expect(medianInPlace(Float64Array.from([3, 1, 2, 10, 99]), 3)).toBe(2); // only the first n
  });
  it('an adversarial order for median-of-three (organ pipe, many ties, sorted) stays exact and fast', () => {
    const n = 1 << 20;
    const shapes = [
      Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i)),
      Float64Array.from({ length: n }, (_, i) => i % 3),
      Float64Array.from({ length: n }, (_, i) => i),
      Float64Array.from({ length: n }, (_, i) => n - i),
    ];
    const t0 = performance.now();
    for (const a of shapes) {
      const s = Float64Array.from(a).sort();
      expect(selectKth(a, n >> 1)).toBe(s[n >> 1]);
      expect(selectKth(a, 7)).toBe(s[7]);
    }
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
