import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { olsBatch, type OlsBatchResult, wasmBlockWidth } from './ols.js';
import { batchMoments } from './moments.js';
import { elasticNetBatch } from './penalized.js';
import { olsKernel, rankKernel } from './olsWasm.js';
import { createRankScratch, ranksIntoJs } from './ranks.js';
import { OLS_KERNELS_MAX_K } from './olsKernels.js';

/** A deterministic panel: n rows, m series, k regressors, a share of missing y and of NaN rows of X. */
function panel(n: number, m: number, k: number, seed: number, missing = 0, badRows = 0): { y: Float64Array; x: Float64Array } {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = Float64Array.from({ length: n * k }, () => 0.01 * (u() - 0.5));
  for (let t = 0; t < n; t++) if (u() < badRows) x[t * k + Math.floor(u() * k)] = NaN;
  const y = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let v = 0.02 * (u() - 0.5) + 0.001 * j;
      for (let f = 0; f < k; f++) v += (0.3 + 0.1 * ((j + f) % 5)) * x[t * k + f];
      y[t * m + j] = u() < missing ? NaN : v;
    }
  return { y, x };
}

const FIELDS = ['coef', 'se', 't', 'pValue', 'r2', 'adjR2', 'residualStd', 'ssr', 'nobs', 'dfResid', 'rank', 'residuals'] as const;

/** Same values element by element, NaN equal to NaN (NaN payloads may differ between engines' paths). */
function expectSameBits(a: OlsBatchResult, b: OlsBatchResult): void {
  for (const f of FIELDS) {
    const p = a[f],
      q = b[f];
    expect(p === null, f).toBe(q === null);
    if (p === null || q === null) continue;
    expect(p.length, f).toBe(q.length);
    for (let i = 0; i < p.length; i++) if (!Object.is(p[i], q[i])) throw new Error(`${f}[${i}]: ${p[i]} (wasm) vs ${q[i]} (js)`);
  }
  expect(a.issues).toEqual(b.issues);
}

describe('olsKernel (WebAssembly SIMD)', () => {
  it('is available for k = 1..8 on Node and declines k = 0 and k > 8', () => {
    for (let k = 1; k <= OLS_KERNELS_MAX_K; k++) expect(olsKernel(k), `k = ${k}`).not.toBeNull();
    expect(olsKernel(0)).toBeNull();
    expect(olsKernel(OLS_KERNELS_MAX_K + 1)).toBeNull();
  });

  it('gives the bits of the JavaScript kernels: every k, odd and block-straddling widths, missing y, NaN rows of X', () => {
    const cases: [number, number, number, number, number][] = [
      [40, 1, 1, 0, 0],
      [60, 3, 2, 0.1, 0],
      [80, 7, 3, 0, 0.05],
      [120, 513, 6, 0.05, 0.02],
      [90, 1030, 4, 0, 0],
      [50, 17, 5, 0.2, 0.1],
      [70, 9, 7, 0.02, 0],
      [64, 33, 8, 0.05, 0.05],
      [30, 5, 6, 0.5, 0],
    ];
    for (const [n, m, k, miss, bad] of cases) {
      const { y, x } = panel(n, m, k, n * 31 + m * 7 + k, miss, bad);
      for (const intercept of [true, false]) {
        const w = olsBatch(y, n, m, x, k, { intercept });
        const j = olsBatch(y, n, m, x, k, { intercept, kernel: 'js' });
        expectSameBits(w, j);
      }
    }
  });

  it('long panels get narrower blocks (~4 MiB of module memory) with the same bits as the JavaScript kernels', () => {
    expect(wasmBlockWidth(60)).toBe(512);
    expect(wasmBlockWidth(1024)).toBe(512);
    expect(wasmBlockWidth(2520)).toBe(208); // 208 · 2,520 · 8 bytes = 4.0 MiB
    expect(wasmBlockWidth(100_000)).toBe(128); // never below 128 series
    for (const n of [1, 500, 1025, 2520, 5000, 40_000]) {
      const w = wasmBlockWidth(n);
      expect(w % 16).toBe(0);
      expect(w * n * 8 <= 4 * 2 ** 20 || w === 128).toBe(true);
    }
    // 2,600 rows: blocks of 192 series, so 450 series straddle three blocks (192, 192, 66)
    const n = 2600,
      m = 450,
      k = 6;
    expect(wasmBlockWidth(n)).toBe(192);
    const { y, x } = panel(n, m, k, 99, 0.05, 0.01);
    expectSameBits(olsBatch(y, n, m, x, k), olsBatch(y, n, m, x, k, { kernel: 'js' }));
  });

  it('handles series that cannot be fitted (too few rows, constant, all missing) like the JavaScript kernels', () => {
    const n = 30,
      m = 6,
      k = 2;
    const { y, x } = panel(n, m, k, 5);
    for (let t = 0; t < n; t++) {
      y[t * m] = NaN; // series 0: all missing
      y[t * m + 1] = 0.01; // series 1: constant
      if (t > 2) y[t * m + 2] = NaN; // series 2: three observations
    }
    const w = olsBatch(y, n, m, x, k),
      j = olsBatch(y, n, m, x, k, { kernel: 'js' });
    expectSameBits(w, j);
    expect(w.issues.map((i) => i.series)).toEqual([0, 2]);
    expect(Number.isNaN(w.r2[1])).toBe(true); // constant y: R² undefined
  });

  it('refuses ±Infinity in y like the JavaScript kernels, treats huge y alike, and an all-NaN X fits nothing', () => {
    const n = 40,
      m = 7,
      k = 3;
    const { y, x } = panel(n, m, k, 77);
    // ±Infinity is not missing: both kernels refuse it naming the series and row (before, both
    // gave the same garbage fit: NaN coefficients with a standard error and SSR of 0)
    y[5] = Infinity;
    y[17] = -Infinity;
    expect(() => olsBatch(y, n, m, x, k)).toThrow('y has -Infinity in series 3 at row 2');
    expect(() => olsBatch(y, n, m, x, k, { kernel: 'js' })).toThrow('y has -Infinity in series 3 at row 2');
    y[17] = 0.02;
    expect(() => olsBatch(y, n, m, x, k)).toThrow('y has Infinity in series 5 at row 0');
    expect(() => olsBatch(y, n, m, x, k, { kernel: 'js' })).toThrow('y has Infinity in series 5 at row 0');
    y[5] = 0.01;
    y[30] = 1e300;
    y[44] = NaN;
    expectSameBits(olsBatch(y, n, m, x, k), olsBatch(y, n, m, x, k, { kernel: 'js' }));
    const none = new Float64Array(n * k).fill(NaN);
    const w = olsBatch(y, n, m, none, k);
    expectSameBits(w, olsBatch(y, n, m, none, k, { kernel: 'js' }));
    expect(w.issues).toHaveLength(m);
    expect(Array.from(w.nobs)).toEqual(new Array(m).fill(0));
  });

  it("writes residuals into a strided residualsOut and fits column ranges in place (the parallel layer's use)", () => {
    const n = 50,
      m = 11,
      k = 3,
      stride = 15,
      offset = 2;
    const { y: dense, x } = panel(n, m, k, 9, 0.1);
    const y = new Float64Array(stride * n + offset).fill(7);
    for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) y[offset + t * stride + j] = dense[t * m + j];
    const outW = new Float64Array(y.length).fill(-1),
      outJ = new Float64Array(y.length).fill(-1);
    const w = olsBatch(y, n, m, x, k, { yStride: stride, yOffset: offset, residualsOut: outW });
    const j = olsBatch(y, n, m, x, k, { yStride: stride, yOffset: offset, residualsOut: outJ, kernel: 'js' });
    expectSameBits(w, j);
    expect(outW.every((v, i) => Object.is(v, outJ[i]))).toBe(true);
  });

  it('residualsOut may be y itself (in place): the same fit and residuals, both kernels, over several blocks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 12, max: 40 }),
        fc.constantFrom(3, 511, 700, 1100),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        (n, m, k, seed, js) => {
          const { y, x } = panel(n, m, k, seed, 0.05, 0.03);
          const kernel = js ? ('js' as const) : ('auto' as const);
          const ref = olsBatch(y, n, m, x, k, { kernel });
          const buf = Float64Array.from(y);
          const inPlace = olsBatch(buf, n, m, x, k, { kernel, residualsOut: buf });
          expectSameBits(inPlace, ref);
          expect(inPlace.residuals).toBe(buf);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('property: WebAssembly and JavaScript agree bit for bit on random panels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 12, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.boolean(),
        (n, m, k, seed, miss, intercept) => {
          const { y, x } = panel(n, m, k, seed, miss, 0.03);
          expectSameBits(olsBatch(y, n, m, x, k, { intercept }), olsBatch(y, n, m, x, k, { intercept, kernel: 'js' }));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("batchMoments (the penalised fits' pass): the same sums and missing lists on both kernels, across blocks", () => {
    for (const [n, m, k, miss, bad] of [
      [60, 1100, 6, 0.05, 0.03],
      [40, 7, 3, 0, 0],
      [50, 600, 8, 0.3, 0],
    ] as const) {
      const { y, x } = panel(n, m, k, n + m + k, miss, bad);
      const w = batchMoments(y, n, m, x, k),
        j = batchMoments(y, n, m, x, k, { kernel: 'js' });
      for (const f of ['sy', 'syy', 'cnt', 'sxy', 'missStart', 'missRows'] as const) {
        expect(w[f].length, f).toBe(j[f].length);
        for (let i = 0; i < w[f].length; i++) if (!Object.is(w[f][i], j[f][i])) throw new Error(`${f}[${i}]: ${w[f][i]} vs ${j[f][i]}`);
      }
      if (miss > 0) expect(w.missRows.length).toBeGreaterThan(0);
    }
  });

  it('elasticNetBatch (moments and residual passes): the same coefficients and residuals on both kernels', () => {
    for (const [n, m, k, miss, l1, l2] of [
      [80, 530, 6, 0.05, 1e-4, 1e-4],
      [60, 9, 3, 0, 0, 1e-3],
      [70, 33, 5, 0.1, 1e-3, 0],
    ] as const) {
      const { y, x } = panel(n, m, k, n * m + k, miss, 0.02);
      const w = elasticNetBatch(y, n, m, x, k, { l1, l2, normalize: true }),
        j = elasticNetBatch(y, n, m, x, k, { l1, l2, normalize: true, kernel: 'js' });
      for (const f of ['coef', 'intercept', 'nIter', 'residuals'] as const) {
        const p = w[f]!,
          q = j[f]!;
        expect(p.length, f).toBe(q.length);
        for (let i = 0; i < p.length; i++)
          if (!Object.is(p[i], q[i]) && !(Number.isNaN(p[i]) && Number.isNaN(q[i]))) throw new Error(`${f}[${i}]: ${p[i]} vs ${q[i]}`);
      }
    }
  });

  it('the committed kernels are what scripts/gen-ols-wasm.mjs builds', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-ols-wasm.mjs', import.meta.url));
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});

describe('rank kernel (WebAssembly)', () => {
  const viaJs = (x: Float64Array): Float64Array => {
    const d = new Float64Array(x.length);
    ranksIntoJs(x, x.length, d, createRankScratch(x.length));
    return d;
  };
  const viaWasm = (x: Float64Array): Float64Array => {
    const d = new Float64Array(x.length);
    rankKernel()!.rank(x, x.length, d);
    return d;
  };
  /** Brute force: #{x_j < x_i} + (#{x_j = x_i} + 1) / 2. */
  const brute = (x: Float64Array): Float64Array =>
    Float64Array.from(x, (v) => {
      let lt = 0,
        eq = 0;
      for (const w of x) {
        if (w < v) lt++;
        else if (w === v) eq++;
      }
      return lt + (eq + 1) / 2;
    });

  it('is available on Node and matches brute force on ties, ±0, infinities and long runs sharing a high word', () => {
    expect(rankKernel()).not.toBeNull();
    const cases: Float64Array[] = [
      Float64Array.from({ length: 200 }, (_, i) => 1 + i * 1e-13), // one high word, distinct low words: radix on the low word
      Float64Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 40) * 1e-13), // a run of 40 in shuffled order
      Float64Array.from({ length: 30 }, (_, i) => 1 + ((i * 7) % 30) * 1e-13), // a run under 32: insertion sort
      Float64Array.from({ length: 500 }, (_, i) => (i % 7) - 3), // heavy ties
      Float64Array.from([0, -0, 0, -0, -1e-300, 1e-300, Infinity, -Infinity, 5, 5, -5, 3, ...Array.from({ length: 30 }, (_, i) => i / 3)]),
      new Float64Array(100).fill(2.5), // constant
    ];
    for (const x of cases) {
      const b = brute(x);
      expect(Array.from(viaWasm(x))).toEqual(Array.from(b));
      expect(Array.from(viaJs(x))).toEqual(Array.from(b));
    }
  });

  it('property: the same ranks as the JavaScript kernel on random arrays with ties', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ noNaN: true }),
            fc.integer({ min: -5, max: 5 }).map((v) => v * 0.25),
            fc.constantFrom(0, -0, 1 + 1e-15, 1 + 2e-15),
          ),
          { minLength: 1, maxLength: 3000 },
        ),
        (arr) => {
          const x = Float64Array.from(arr);
          expect(Array.from(viaWasm(x))).toEqual(Array.from(viaJs(x)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ranks in place (src = dst) and from a plain array', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => (i * 37) % 50);
    const expected = brute(x);
    rankKernel()!.rank(x, 50, x);
    expect(Array.from(x)).toEqual(Array.from(expected));
    const d = new Float64Array(50);
    rankKernel()!.rank(
      Array.from({ length: 50 }, (_, i) => (i * 37) % 50),
      50,
      d,
    );
    expect(Array.from(d)).toEqual(Array.from(expected));
  });
});
