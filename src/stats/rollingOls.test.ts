import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ols } from './ols.js';
import { prepareRollingDesign, rollingOls, rollingOlsRange } from './rollingOls.js';

/** Deterministic uniform(0,1) stream (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Data {
  n: number;
  m: number;
  k: number;
  x: Float64Array;
  y: Float64Array;
}

/** Random factor data (x row-major) and asset-major y = a + x·b + noise, with NaN holes. */
function makeData(seed: number, n: number, m: number, k: number, holeY: number, holeX: number): Data {
  const u = rng(seed);
  const g = (): number => {
    let s = 0;
    for (let i = 0; i < 12; i++) s += u();
    return s - 6;
  };
  const x = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) x[i] = 0.001 + 0.01 * g();
  for (let t = 0; t < n; t++) if (u() < holeX) x[t * k + Math.floor(u() * k)] = NaN;
  const y = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    const b = Array.from({ length: k }, () => 2 * g());
    const a = 0.0005 * g();
    for (let t = 0; t < n; t++) {
      let v = a + 0.02 * g();
      for (let f = 0; f < k; f++) v += b[f] * (Number.isNaN(x[t * k + f]) ? 0 : x[t * k + f]);
      y[j * n + t] = u() < holeY ? NaN : v;
    }
  }
  return { n, m, k, x, y };
}

const close = (a: number, b: number, tol: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Checks every window of every series against a fresh `ols` fit of that window's rows. */
function checkAgainstFresh(
  d: Data,
  options: { window: number; minObs?: number; includeConstant?: boolean; reanchorEvery?: number; partial?: boolean },
  tol = 1e-9,
): number {
  const { n, m, k, x, y } = d;
  const res = rollingOls(y, n, m, x, k, options);
  const intercept = options.includeConstant ?? true;
  const p = k + (intercept ? 1 : 0);
  const minObs = options.minObs ?? p + 1;
  let compared = 0;
  for (let j = 0; j < m; j++) {
    for (let t = 0; t < n; t++) {
      const got = (i: number): number => res.coef[(j * p + i) * n + t];
      if (!(options.partial ?? false) && t < options.window - 1) {
        for (let i = 0; i < p; i++) expect(got(i)).toBeNaN();
        continue;
      }
      const a = Math.max(0, t - options.window + 1);
      const ys = y.subarray(j * n + a, j * n + t + 1);
      const xs = x.subarray(a * k, (t + 1) * k);
      const fresh = ols(ys, xs, k, { intercept, minObs, residuals: false });
      expect(res.nobs[j * n + t]).toBe(fresh.nobs);
      for (let i = 0; i < p; i++) {
        if (!close(got(i), fresh.coef[i], tol))
          throw new Error(`series ${j} window end ${t} coef ${i}: ${got(i)} vs fresh ${fresh.coef[i]}`);
      }
      const r2 = fresh.r2 ?? NaN;
      if (!close(res.r2[j * n + t], r2, tol)) throw new Error(`series ${j} t ${t} R2 ${res.r2[j * n + t]} vs ${r2}`);
      if (!close(res.residualStd[j * n + t], fresh.residualStd, tol))
        throw new Error(`series ${j} t ${t} sd ${res.residualStd[j * n + t]} vs ${fresh.residualStd}`);
      compared++;
    }
  }
  return compared;
}

describe('rollingOls against a fresh fit of every window', () => {
  it('complete data, intercept, k = 3', () => {
    const d = makeData(1, 200, 4, 3, 0, 0);
    expect(checkAgainstFresh(d, { window: 40 })).toBe(4 * 161);
  });

  it('NaN holes in y and x (5% / 3%), several re-anchoring periods, including never', () => {
    const d = makeData(2, 300, 6, 4, 0.05, 0.03);
    for (const reanchorEvery of [1, 7, 50, 1e9]) expect(checkAgainstFresh(d, { window: 50, reanchorEvery })).toBeGreaterThan(1000);
  });

  it('heavy holes (60% missing y): windows whose sample is smaller than their missing set', () => {
    const d = makeData(3, 150, 5, 2, 0.6, 0);
    expect(checkAgainstFresh(d, { window: 30, minObs: 4 })).toBeGreaterThan(400);
  });

  it('no intercept (uncentred R²)', () => {
    const d = makeData(4, 160, 3, 3, 0.1, 0.02);
    expect(checkAgainstFresh(d, { window: 25, includeConstant: false })).toBeGreaterThan(300);
  });

  it('partial leading windows when asked', () => {
    const d = makeData(5, 80, 2, 2, 0.05, 0);
    expect(checkAgainstFresh(d, { window: 30, partial: true, minObs: 5 })).toBe(160);
  });

  it('property: random shapes, holes, options (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 5, max: 90 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 40 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 60 }),
        (seed, n, m, k, window, holeY, holeX, includeConstant, partial, reanchorEvery) => {
          const d = makeData(seed, n, m, k, holeY, holeX);
          checkAgainstFresh(d, { window, includeConstant, partial, reanchorEvery });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('drift: 20,000 rows with large-mean y and no re-anchoring stays within 1e-9, and re-anchoring is tighter', () => {
    const n = 20000,
      k = 2;
    const u = rng(9);
    const x = new Float64Array(n * k),
      y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      x[t * k] = u() - 0.5;
      x[t * k + 1] = 5 + u();
      y[t] = 1000 + 3 * x[t * k] - 2 * x[t * k + 1] + (u() - 0.5) * 0.1 + (t > n / 2 ? 500 : 0);
    }
    const never = rollingOls(y, n, 1, x, k, { window: 100, reanchorEvery: 1e9 });
    const fresh = rollingOls(y, n, 1, x, k, { window: 100, reanchorEvery: 1 });
    const anchored = rollingOls(y, n, 1, x, k, { window: 100 });
    let worstNever = 0,
      worstAnchored = 0;
    for (let i = 0; i < never.coef.length; i++) {
      if (Number.isNaN(fresh.coef[i])) continue;
      worstNever = Math.max(worstNever, Math.abs(never.coef[i] - fresh.coef[i]) / Math.max(1, Math.abs(fresh.coef[i])));
      worstAnchored = Math.max(worstAnchored, Math.abs(anchored.coef[i] - fresh.coef[i]) / Math.max(1, Math.abs(fresh.coef[i])));
    }
    expect(worstAnchored).toBeLessThan(1e-10);
    expect(worstNever).toBeLessThan(1e-6);
    // and the fresh path itself is the ols of the last window
    const last = ols(y.subarray(n - 100), x.subarray((n - 100) * k), k);
    expect(fresh.coef[(0 * 3 + 1) * n + n - 1]).toBeCloseTo(last.coef[1], 10);
  });
});

describe('rollingOls by hand and edge cases', () => {
  it('exact line y = 2 + 3x: coefficients exact, residual std 0, R² 1', () => {
    const n = 10,
      x = Float64Array.from({ length: n }, (_, t) => t * 0.5),
      y = Float64Array.from(x, (v) => 2 + 3 * v);
    const r = rollingOls(y, n, 1, x, 1, { window: 4 });
    for (let t = 3; t < n; t++) {
      expect(r.coef[0 * n + t]).toBeCloseTo(2, 12);
      expect(r.coef[1 * n + t]).toBeCloseTo(3, 12);
      expect(r.residualStd[t]).toBeCloseTo(0, 6);
      expect(r.r2[t]).toBeCloseTo(1, 12);
      expect(r.nobs[t]).toBe(4);
    }
    for (let t = 0; t < 3; t++) {
      expect(r.coef[t]).toBeNaN();
      expect(r.nobs[t]).toBeNaN();
    }
  });

  it('by hand: window of 3 points (0,1),(1,3),(2,2): slope 0.5, intercept 1.5', () => {
    const x = Float64Array.of(0, 1, 2),
      y = Float64Array.of(1, 3, 2);
    const r = rollingOls(y, 3, 1, x, 1, { window: 3 });
    expect(r.coef[0 * 3 + 2]).toBeCloseTo(1.5, 14);
    expect(r.coef[1 * 3 + 2]).toBeCloseTo(0.5, 14);
    // residuals -0.5, 1, -0.5: SSR 1.5, TSS 2, R² 0.25, sd sqrt(1.5/1)
    expect(r.r2[2]).toBeCloseTo(0.25, 14);
    expect(r.residualStd[2]).toBeCloseTo(Math.sqrt(1.5), 14);
  });

  it('window longer than the data: everything NaN', () => {
    const d = makeData(11, 20, 2, 2, 0, 0);
    const r = rollingOls(d.y, 20, 2, d.x, 2, { window: 25 });
    expect(r.coef.every((v) => Number.isNaN(v))).toBe(true);
  });

  it('minObs: a window with fewer observations is NaN but reports nobs', () => {
    const n = 12,
      x = Float64Array.from({ length: n }, (_, t) => Math.sin(t)),
      y = Float64Array.from(x, (v, t) => v + 0.1 * Math.cos(3 * t));
    y[8] = NaN;
    y[9] = NaN;
    const r = rollingOls(y, n, 1, x, 1, { window: 5, minObs: 4 });
    expect(r.nobs[9]).toBe(3);
    expect(r.coef[n + 9]).toBeNaN();
    expect(r.nobs[11]).toBe(3);
    expect(r.nobs[7]).toBe(5);
    expect(Number.isNaN(r.coef[n + 7])).toBe(false);
  });

  it('an all-NaN series gives NaN everywhere with nobs 0', () => {
    const d = makeData(12, 40, 2, 2, 0, 0);
    d.y.fill(NaN, 40, 80);
    const r = rollingOls(d.y, 40, 2, d.x, 2, { window: 10 });
    for (let t = 9; t < 40; t++) {
      expect(r.nobs[40 + t]).toBe(0);
      expect(r.coef[(3 + 1) * 40 + t]).toBeNaN();
      expect(r.r2[40 + t]).toBeNaN();
    }
    expect(Number.isNaN(r.coef[1 * 40 + 20])).toBe(false);
  });

  it('a regressor constant inside a window: its coefficient NaN, the rest is the fit without it', () => {
    const d = makeData(13, 100, 2, 2, 0.05, 0);
    for (let t = 30; t < 70; t++) d.x[t * 2 + 1] = 0.004;
    const r = rollingOls(d.y, 100, 2, d.x, 2, { window: 20 });
    for (const t of [49, 60, 69]) {
      for (let j = 0; j < 2; j++) {
        expect(r.coef[(j * 3 + 2) * 100 + t]).toBeNaN();
        const a = t - 19;
        const xs = new Float64Array(20);
        for (let s = 0; s < 20; s++) xs[s] = d.x[(a + s) * 2];
        const fresh = ols(d.y.subarray(j * 100 + a, j * 100 + t + 1), xs, 1);
        expect(r.coef[(j * 3 + 1) * 100 + t]).toBeCloseTo(fresh.coef[1], 10);
        expect(r.coef[j * 3 * 100 + t]).toBeCloseTo(fresh.coef[0], 10);
        expect(r.residualStd[j * 100 + t]).toBeCloseTo(fresh.residualStd, 10);
      }
    }
    expect(checkAgainstFresh(d, { window: 20 })).toBeGreaterThan(100);
  });

  it('constant y: R² NaN (undefined), residual std 0', () => {
    const n = 30,
      x = Float64Array.from({ length: n }, (_, t) => Math.sin(t)),
      y = new Float64Array(n).fill(0.01);
    const r = rollingOls(y, n, 1, x, 1, { window: 10 });
    expect(r.r2[20]).toBeNaN();
    expect(r.coef[n + 20]).toBeCloseTo(0, 12);
    expect(r.coef[20]).toBeCloseTo(0.01, 14);
  });

  it('blocks: fitting series in two ranges gives bit-identical output', () => {
    const d = makeData(14, 120, 7, 3, 0.1, 0.02);
    const full = rollingOls(d.y, 120, 7, d.x, 3, { window: 30 });
    const design = prepareRollingDesign(d.x, 120, 3, { window: 30 });
    const coef = new Float64Array(full.coef.length);
    rollingOlsRange(design, d.y, 4, 7, { coef });
    rollingOlsRange(design, d.y, 0, 4, { coef });
    expect(Buffer.from(coef.buffer).equals(Buffer.from(full.coef.buffer))).toBe(true);
  });

  it('rejects a bad window', () => {
    expect(() => rollingOls(new Float64Array(3), 3, 1, new Float64Array(3), 1, { window: 0 })).toThrow(/window/);
  });
});
