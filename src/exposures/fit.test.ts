import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, QrDecomposition, inverse, solve } from 'ml-matrix';
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { tTwoSidedPValue } from '../stats/distributions.js';
import { FactorExposures } from './factorExposures.js';
import { fitExposures } from './fit.js';
import { makeStep } from './steps.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const FACTORS = ['mkt_rf', 'smb', 'hml'];

/** n dates, m assets on k = 3 factors; `missing` share of returns NaN; factor frame lacks some dates. */
function data(n: number, m: number, seed: number, missing = 0.05) {
  const r = lcg(seed);
  const dates = Int32Array.from({ length: n }, (_, t) => 18000 + t);
  const x = FACTORS.map(() => Float64Array.from({ length: n }, () => r() * 0.03));
  const y = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let v = 0.0005 * j + r() * 0.02;
      for (let f = 0; f < 3; f++) v += x[f][t] * (1 + 0.2 * j - 0.4 * f);
      y[t * m + j] = r() + 0.5 < missing ? NaN : v;
    }
  // the factor frame lacks every 17th date (inner alignment: those rows drop out)
  const keep = Array.from({ length: n }, (_, t) => t).filter((t) => t % 17 !== 5);
  const frame = new Frame(
    Int32Array.from(keep, (t) => dates[t]),
    FACTORS,
    x.map((s) => Float64Array.from(keep, (t) => s[t])),
  );
  const panel = new Panel(
    dates,
    Array.from({ length: m }, (_, j) => `A${j}`),
    y,
  );
  return { dates, x, y, frame, panel, n, m };
}

/** The sample of asset j: rows with a return and every factor (frame has the date). */
function sample(d: ReturnType<typeof data>, j: number): number[] {
  const inFrame = new Set(Array.from(d.frame.dates));
  const rows: number[] = [];
  for (let t = 0; t < d.n; t++) if (d.y[t * d.m + j] === d.y[t * d.m + j] && inFrame.has(d.dates[t])) rows.push(t);
  return rows;
}

function close(a: number, b: number, tol: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

describe('FactorExposures OLS', () => {
  it('hand-computed simple regression (y = 1 + 2x + e)', () => {
    const dates = Int32Array.from([0, 1, 2, 3, 4]);
    const frame = new Frame(dates, ['x'], [Float64Array.from([0, 1, 2, 3, 4])]);
    const e = [0.1, -0.1, 0, 0.1, -0.1];
    const panel = Panel.fromColumns(dates, { a: [0, 1, 2, 3, 4].map((v, i) => 1 + 2 * v + e[i]) });
    const fit = new FactorExposures().addRegressionFactors(frame).fit(panel, { minObs: 3 });
    const d = fit.diagnostics[0];
    expect(d.coefficients).toEqual(['const', 'x']);
    close(d.coef[1], 1.98, 1e-13);
    close(d.coef[0], 1.04, 1e-13);
    close(fit.exposures.x[0], 1.98, 1e-13);
    close(fit.alpha[0], 1.04, 1e-13);
    close(d.residualVol[0], Math.sqrt(0.036 / 3), 1e-13);
    close(d.se[1], Math.sqrt(0.012 / 10), 1e-13);
    close(d.r2[0], 1 - 0.036 / 39.24, 1e-13);
    expect(d.nobs[0]).toBe(5);
    // residual on x = 2: e − (−0.02)(x − 2) − (1.04 − 1 − 2·(1.98 − 2))... = y − 1.04 − 1.98·2
    close(fit.residuals!.values[2], 1 + 4 + 0 - 1.04 - 1.98 * 2, 1e-13);
  });

  it('matches ml-matrix QR least squares on every asset (coef, se, t, p, R², adj R², residuals)', () => {
    const d = data(220, 9, 1);
    const fit = new FactorExposures().addRegressionFactors(d.frame).fit(d.panel);
    const s = fit.diagnostics[0];
    for (let j = 0; j < d.m; j++) {
      const rows = sample(d, j);
      const z = new Matrix(rows.map((t) => [1, d.x[0][t], d.x[1][t], d.x[2][t]]));
      const yv = rows.map((t) => d.y[t * d.m + j]);
      const b = new QrDecomposition(z).solve(Matrix.columnVector(yv)).getColumn(0);
      const fitted = z.mmul(Matrix.columnVector(b)).getColumn(0);
      const res = yv.map((v, i) => v - fitted[i]);
      const ssr = res.reduce((a, e) => a + e * e, 0);
      const df = rows.length - 4;
      const inv = inverse(z.transpose().mmul(z));
      const ybar = yv.reduce((a, v) => a + v, 0) / yv.length;
      const tss = yv.reduce((a, v) => a + (v - ybar) ** 2, 0);
      expect(s.nobs[j]).toBe(rows.length);
      for (let i = 0; i < 4; i++) {
        const se = Math.sqrt((ssr / df) * inv.get(i, i));
        close(s.coef[j * 4 + i], b[i], 1e-9);
        close(s.se[j * 4 + i], se, 1e-9);
        close(s.t[j * 4 + i], b[i] / se, 1e-9);
        close(s.p[j * 4 + i], tTwoSidedPValue(b[i] / se, df), 1e-9);
      }
      close(s.r2[j], 1 - ssr / tss, 1e-9);
      close(s.adjR2[j], 1 - ((rows.length - 1) / df) * (ssr / tss), 1e-9);
      close(s.residualVol[j], Math.sqrt(ssr / df), 1e-9);
      const inSample = new Set(rows);
      for (let t = 0; t < d.n; t++) {
        const e = fit.residuals!.values[t * d.m + j];
        if (inSample.has(t)) close(e, res[rows.indexOf(t)], 1e-9);
        else expect(Number.isNaN(e)).toBe(true);
      }
    }
  });

  it('without a constant: coefficients of the uncentred fit, uncentred R²', () => {
    const d = data(150, 3, 2, 0);
    const fit = new FactorExposures().addRegressionFactors(d.frame, { stepOptions: { includeConstant: false } }).fit(d.panel);
    const s = fit.diagnostics[0];
    expect(s.coefficients).toEqual(FACTORS);
    for (let j = 0; j < d.m; j++) {
      const rows = sample(d, j);
      const z = new Matrix(rows.map((t) => [d.x[0][t], d.x[1][t], d.x[2][t]]));
      const yv = rows.map((t) => d.y[t * d.m + j]);
      const b = new QrDecomposition(z).solve(Matrix.columnVector(yv)).getColumn(0);
      const fitted = z.mmul(Matrix.columnVector(b)).getColumn(0);
      const ssr = yv.reduce((a, v, i) => a + (v - fitted[i]) ** 2, 0);
      for (let i = 0; i < 3; i++) close(s.coef[j * 3 + i], b[i], 1e-9);
      close(s.r2[j], 1 - ssr / yv.reduce((a, v) => a + v * v, 0), 1e-9);
      expect(fit.alpha[j]).toBe(0);
    }
  });

  it('riskFree: subtracts the column from every return and drops it from the regressors; factorScale scales factors', () => {
    const d = data(160, 4, 3, 0.02);
    const rf = Float64Array.from({ length: d.frame.nDates }, (_, t) => 1 + 0.01 * Math.sin(t)); // percent units
    const pct = new Frame(d.frame.dates, [...FACTORS, 'rf'], [...d.frame.series.map((s) => s.map((v) => v * 100)), rf]);
    const fit = new FactorExposures().addRegressionFactors(pct).fit(d.panel, { riskFree: 'rf', factorScale: 0.01 });
    expect(fit.factors).toEqual(FACTORS);
    expect(fit.riskFree).toBe('rf');
    // by hand: excess returns on decimal factors
    const excess = new Float64Array(d.n * d.m).fill(NaN);
    const rowOf = new Map(Array.from(d.frame.dates, (day, i) => [day, i]));
    for (let t = 0; t < d.n; t++) {
      const i = rowOf.get(d.dates[t]);
      for (let j = 0; j < d.m; j++) excess[t * d.m + j] = i === undefined ? NaN : d.y[t * d.m + j] - rf[i] * 0.01;
    }
    const ref = fitExposures(d.frame, new Panel(d.dates, d.panel.assets, excess), [makeStep(FACTORS)], []);
    for (let i = 0; i < fit.diagnostics[0].coef.length; i++) close(fit.diagnostics[0].coef[i], ref.diagnostics[0].coef[i], 1e-9);
    for (let i = 0; i < fit.diagnostics[0].coef.length; i++) close(fit.diagnostics[0].se[i], ref.diagnostics[0].se[i], 1e-9);
  });

  it('start/end restrict the sample; a record of dated series equals the Panel', () => {
    const d = data(200, 3, 4, 0);
    const iso = d.panel.isoDates();
    const fe = new FactorExposures().addRegressionFactors(d.frame);
    const a = fe.fit(d.panel, { start: iso[50], end: iso[149] });
    expect(a.dates.length).toBe(100);
    expect(a.residuals!.nDates).toBe(100);
    const b = fe.fit(d.panel.sliceRows(50, 150));
    expect(Array.from(a.diagnostics[0].coef)).toEqual(Array.from(b.diagnostics[0].coef));
    const rec: Record<string, { dates: Int32Array; values: Float64Array }> = {};
    d.panel.assets.forEach((name, j) => {
      // each series on its own calendar: drop a different leading stretch per asset
      const col = d.panel.column(j);
      rec[name] = { dates: d.dates.slice(j * 3), values: col.slice(j * 3) };
    });
    const c = fe.fit(rec);
    const trimmed = d.panel.map((v, t, j) => (t < j * 3 ? NaN : v));
    const e = fe.fit(trimmed);
    expect(c.assets).toEqual(d.panel.assets);
    for (let i = 0; i < e.diagnostics[0].coef.length; i++) close(c.diagnostics[0].coef[i], e.diagnostics[0].coef[i], 1e-15);
  });
});

describe('FactorExposures penalised steps', () => {
  /** Standardised (ddof 0) centred design and response of asset j. */
  function centred(d: ReturnType<typeof data>, j: number, normalize: boolean) {
    const rows = sample(d, j);
    const n = rows.length;
    const mean = [0, 1, 2].map((f) => rows.reduce((a, t) => a + d.x[f][t], 0) / n);
    const sd = [0, 1, 2].map((f) => (normalize ? Math.sqrt(rows.reduce((a, t) => a + (d.x[f][t] - mean[f]) ** 2, 0) / n) : 1));
    const ym = rows.reduce((a, t) => a + d.y[t * d.m + j], 0) / n;
    const X = new Matrix(rows.map((t) => [0, 1, 2].map((f) => (d.x[f][t] - mean[f]) / sd[f])));
    const Y = Matrix.columnVector(rows.map((t) => d.y[t * d.m + j] - ym));
    return { rows, n, mean, sd, ym, X, Y };
  }

  for (const normalize of [true, false]) {
    it(`ridge equals its closed form (normalizeIfRegularized = ${normalize})`, () => {
      const d = data(180, 5, 5);
      const l2 = normalize ? 0.3 : 2e-4;
      const fit = new FactorExposures()
        .addRegressionFactors(d.frame, { stepOptions: { l2, normalizeIfRegularized: normalize } })
        .fit(d.panel);
      const s = fit.diagnostics[0];
      expect(s.method).toBe('ridge');
      for (let j = 0; j < d.m; j++) {
        const c = centred(d, j, normalize);
        const a = c.X.transpose()
          .mmul(c.X)
          .add(Matrix.eye(3).mul(c.n * l2));
        const bt = solve(a, c.X.transpose().mmul(c.Y)).getColumn(0);
        const b = bt.map((v, f) => v / c.sd[f]);
        for (let f = 0; f < 3; f++) close(s.coef[j * 4 + 1 + f], b[f], 1e-9);
        close(s.coef[j * 4], c.ym - b.reduce((acc, v, f) => acc + v * c.mean[f], 0), 1e-9);
        expect(Number.isNaN(s.se[j * 4 + 1])).toBe(true); // no classical se for penalised fits
        expect(s.converged![j]).toBe(1);
        // R² from the residuals
        const res = Matrix.sub(c.Y, c.X.mmul(Matrix.columnVector(bt))).getColumn(0);
        const ssr = res.reduce((acc, e) => acc + e * e, 0),
          tss = c.Y.getColumn(0).reduce((acc, v) => acc + v * v, 0);
        close(s.r2[j], 1 - ssr / tss, 1e-9);
        close(s.residualVol[j], Math.sqrt(ssr / (c.n - 4)), 1e-9);
      }
    });
  }

  for (const [l1, l2] of [
    [0.006, 0],
    [0.004, 0.05],
  ] as const) {
    it(`${l2 === 0 ? 'lasso' : 'elastic net'} satisfies the KKT conditions of the DESIGN.md objective`, () => {
      const d = data(200, 6, 6);
      const fit = new FactorExposures()
        .addRegressionFactors(d.frame, { stepOptions: { l1, l2, tol: 1e-14, maxIter: 100_000 } })
        .fit(d.panel);
      const s = fit.diagnostics[0];
      expect(s.method).toBe(l2 === 0 ? 'lasso' : 'elastic-net');
      let zeros = 0;
      for (let j = 0; j < d.m; j++) {
        expect(s.converged![j]).toBe(1);
        const c = centred(d, j, true);
        const bt = [0, 1, 2].map((f) => s.coef[j * 4 + 1 + f] * c.sd[f]);
        const r = Matrix.sub(c.Y, c.X.mmul(Matrix.columnVector(bt)));
        const grad = c.X.transpose()
          .mmul(r)
          .getColumn(0)
          .map((v) => v / c.n); // (1/n) Xᵀ(y − Xb)
        for (let f = 0; f < 3; f++) {
          const g = grad[f] - l2 * bt[f];
          if (bt[f] !== 0) close(g, l1 * Math.sign(bt[f]), 1e-9);
          else {
            zeros++;
            expect(Math.abs(g)).toBeLessThanOrEqual(l1 * (1 + 1e-9));
          }
        }
      }
      if (l2 === 0) expect(zeros).toBeGreaterThan(0); // the penalty is large enough to zero some loadings
    });
  }

  it('default solver: every asset polished (exact KKT to 1e-12), its gap and sweeps reported; OLS steps carry none', () => {
    const d = data(200, 6, 6);
    const l1 = 0.004,
      l2 = 0.05;
    const fit = new FactorExposures().addRegressionFactors(d.frame, { stepOptions: { l1, l2 } }).fit(d.panel);
    const s = fit.diagnostics[0];
    for (let j = 0; j < d.m; j++) {
      expect(s.polished![j]).toBe(1);
      expect(s.converged![j]).toBe(1);
      expect(s.iterations![j]).toBeGreaterThan(0);
      const c = centred(d, j, true);
      const bt = [0, 1, 2].map((f) => s.coef[j * 4 + 1 + f] * c.sd[f]);
      const r = Matrix.sub(c.Y, c.X.mmul(Matrix.columnVector(bt)));
      const grad = c.X.transpose()
        .mmul(r)
        .getColumn(0)
        .map((v) => v / c.n);
      const yVar = c.Y.getColumn(0).reduce((acc, v) => acc + v * v, 0) / c.n;
      expect(Math.abs(s.dualityGap![j])).toBeLessThan(1e-15 * yVar);
      for (let f = 0; f < 3; f++) {
        const g = grad[f] - l2 * bt[f];
        if (bt[f] !== 0) expect(Math.abs(g - l1 * Math.sign(bt[f]))).toBeLessThan(1e-12 * l1);
        else expect(Math.abs(g)).toBeLessThanOrEqual(l1 * (1 + 1e-12));
      }
    }
    // sklearn's plain stop (tol 1e-4, no polish): a gap above rounding, not polished
    const plain = new FactorExposures().addRegressionFactors(d.frame, { stepOptions: { l1, l2, tol: 1e-4, polish: false } }).fit(d.panel)
      .diagnostics[0];
    expect(Array.from(plain.polished!)).toEqual(new Array(d.m).fill(0));
    const ridgeFit = new FactorExposures().addRegressionFactors(d.frame, { stepOptions: { l2 } }).fit(d.panel).diagnostics[0];
    expect(Array.from(ridgeFit.polished!)).toEqual(new Array(d.m).fill(1));
    expect(Array.from(ridgeFit.dualityGap!)).toEqual(new Array(d.m).fill(0));
    const ols = new FactorExposures().addRegressionFactors(d.frame).fit(d.panel).diagnostics[0];
    expect(ols.dualityGap).toBeNull();
    expect(ols.polished).toBeNull();
  });
});

describe('FactorExposures steps, skips and bad cases', () => {
  it('an asset with constant returns (constant prices) is skipped with the reason, with or without rf, in OLS and penalised fits', () => {
    const d = data(120, 3, 11, 0);
    const y = d.y.slice();
    for (let t = 0; t < d.n; t++) y[t * 3 + 1] = t % 9 === 0 ? NaN : 1e-12 * (t % 3); // zero, up to rounding noise
    const panel = new Panel(d.dates, d.panel.assets, y);
    const rf = new Frame(d.frame.dates, [...FACTORS, 'rf'], [...d.frame.series, d.frame.series[0].map((v) => 1e-4 + v * 1e-3)]);
    for (const [frame, riskFree] of [
      [d.frame, undefined],
      [rf, 'rf'],
    ] as const) {
      for (const l1 of [0, 0.001]) {
        const fit = new FactorExposures().addRegressionFactors(frame, { step: false }).addStep(FACTORS, { l1 }).fit(panel, { riskFree });
        expect(fit.skipped).toHaveLength(1);
        expect(fit.skipped[0].asset).toBe('A1');
        expect(fit.skipped[0].reason).toMatch(/returns are constant .* no variance to explain/);
        expect(fit.diagnostics[0].fitted[1]).toBe(0);
        expect(Number.isNaN(fit.exposures.mkt_rf[1])).toBe(true);
        expect(Number.isFinite(fit.exposures.mkt_rf[0])).toBe(true);
      }
    }
    // a varying series is not caught: a spread of 1e-6 is fitted
    for (let t = 0; t < d.n; t++) y[t * 3 + 1] = 1e-6 * (t % 2);
    expect(new FactorExposures().addRegressionFactors(d.frame).fit(new Panel(d.dates, d.panel.assets, y)).skipped).toEqual([]);
  });

  it('returns that move only with rf (constant excess returns, a cash-like series) are skipped with the reason, not fitted on rounding noise', () => {
    const d = data(120, 3, 11, 0);
    const rfSeries = d.frame.series[0].map((v) => 1e-4 + v * 1e-3);
    const rf = new Frame(d.frame.dates, [...FACTORS, 'rf'], [...d.frame.series, rfSeries]);
    const y = d.y.slice();
    const rowOf = new Map(Array.from(d.frame.dates, (day, i) => [day, i]));
    for (let t = 0; t < d.n; t++) y[t * 3 + 2] = 0.001 + rfSeries[rowOf.get(d.dates[t]) as number];
    const panel = new Panel(d.dates, d.panel.assets, y);
    const fit = new FactorExposures().addRegressionFactors(rf, { step: false }).addStep(FACTORS).fit(panel, { riskFree: 'rf' });
    expect(fit.skipped.map((x) => x.asset)).toEqual(['A2']);
    expect(fit.skipped[0].reason).toMatch(/excess returns \(minus rf\) are constant .* no variance to explain/);
    expect(Number.isFinite(fit.exposures.mkt_rf[0])).toBe(true);
    // without rf the same series varies, and is fitted
    expect(new FactorExposures().addRegressionFactors(d.frame).fit(panel).skipped).toEqual([]);
  });

  it('a second step is a fit of the first step residuals, by hand', () => {
    const d = data(200, 5, 7);
    const fit = new FactorExposures()
      .addRegressionFactors(d.frame, { step: false })
      .addStep(['mkt_rf'])
      .addStep(['smb', 'hml'], { includeConstant: false })
      .fit(d.panel);
    const first = fitExposures(d.frame, d.panel, [makeStep(['mkt_rf'])], []);
    const second = fitExposures(d.frame, first.residuals!, [makeStep(['smb', 'hml'], { includeConstant: false })], []);
    expect(Array.from(fit.diagnostics[1].coef)).toEqual(Array.from(second.diagnostics[0].coef));
    expect(Array.from(fit.residuals!.values)).toEqual(Array.from(second.residuals!.values));
    expect(Array.from(fit.exposures.smb)).toEqual(Array.from(second.exposures.smb));
    expect(Array.from(fit.exposures.mkt_rf)).toEqual(Array.from(first.exposures.mkt_rf));
    // a factor in both steps: its exposure is the sum of the two coefficients
    const both = new FactorExposures()
      .addRegressionFactors(d.frame, { step: false })
      .addStep(['mkt_rf', 'smb'])
      .addStep(['mkt_rf'])
      .fit(d.panel);
    for (let j = 0; j < d.m; j++)
      close(both.exposures.mkt_rf[j], both.diagnostics[0].coef[j * 3 + 1] + both.diagnostics[1].coef[j * 2 + 1], 1e-15);
  });

  it('assets with fewer than minObs observations are skipped with a reason, in later steps too', () => {
    const d = data(100, 4, 8, 0);
    const y = d.y.slice();
    for (let t = 0; t < d.n; t++) {
      if (t >= 4) y[t * 4 + 1] = NaN;
      y[t * 4 + 3] = NaN;
    }
    const panel = new Panel(d.dates, d.panel.assets, y);
    const fit = new FactorExposures().addRegressionFactors(d.frame).addStep(['smb']).fit(panel);
    expect(fit.skipped).toEqual([
      { asset: 'A1', step: 1, reason: '4 observations, fewer than the minimum 6' },
      { asset: 'A3', step: 1, reason: '0 observations, fewer than the minimum 6' },
      { asset: 'A1', step: 2, reason: 'skipped in step 1' },
      { asset: 'A3', step: 2, reason: 'skipped in step 1' },
    ]);
    expect(Number.isNaN(fit.exposures.smb[1])).toBe(true);
    expect(Number.isFinite(fit.exposures.smb[0])).toBe(true);
    expect(fit.residuals!.column(1).every((v) => Number.isNaN(v))).toBe(true);
    const lenient = new FactorExposures().addRegressionFactors(d.frame).fit(panel, { minObs: 4 });
    // 4 observations equal the rank of [1, x] (4): nothing left to estimate σ from
    expect(lenient.skipped[0]).toEqual({ asset: 'A1', step: 1, reason: '4 observations do not exceed the rank of the regressors' });
  });

  it('a factor equal to the sum of two others is reported as collinear, the rest is fitted', () => {
    const d = data(150, 3, 9, 0);
    const sum = d.frame.get('mkt_rf').map((v, t) => v + d.frame.get('smb')[t]);
    const frame = new Frame(d.frame.dates, [...FACTORS, 'mkt_plus_smb'], [...d.frame.series, sum]);
    const fit = new FactorExposures().addRegressionFactors(frame).fit(d.panel);
    const s = fit.diagnostics[0];
    expect(s.factorIssues).toEqual({ constant: [], collinear: ['mkt_plus_smb'] });
    expect(fit.issues).toHaveLength(3);
    expect(fit.issues[0]).toEqual({ asset: 'A0', step: 1, constant: [], collinear: ['mkt_plus_smb'] });
    expect(Number.isNaN(fit.exposures.mkt_plus_smb[0])).toBe(true);
    const plain = new FactorExposures().addRegressionFactors(d.frame).fit(d.panel);
    close(fit.exposures.hml[2], plain.exposures.hml[2], 1e-9);
  });

  it('a constant factor is reported as constant', () => {
    const d = data(120, 2, 10, 0);
    const frame = new Frame(d.frame.dates, [...FACTORS, 'flat'], [...d.frame.series, new Float64Array(d.frame.nDates).fill(0.01)]);
    const fit = new FactorExposures().addRegressionFactors(frame).fit(d.panel);
    expect(fit.diagnostics[0].factorIssues.constant).toEqual(['flat']);
    expect(fit.issues[0].constant).toEqual(['flat']);
  });

  it('a constant asset return gives null R² (NaN), not noise', () => {
    const d = data(120, 3, 11, 0);
    const panel = d.panel.map((v, _t, j) => (j === 1 ? 0.001 : v));
    const fit = new FactorExposures().addRegressionFactors(d.frame).fit(panel);
    expect(Number.isNaN(fit.diagnostics[0].r2[1])).toBe(true);
    expect(Number.isNaN(fit.diagnostics[0].adjR2[1])).toBe(true);
    expect(Number.isFinite(fit.diagnostics[0].r2[0])).toBe(true);
    const ridge = new FactorExposures().addRegressionFactors(d.frame, { stepOptions: { l2: 0.1 } }).fit(panel);
    expect(Number.isNaN(ridge.diagnostics[0].r2[1])).toBe(true);
  });

  it('bad configuration is an InputError naming the problem', () => {
    const d = data(50, 2, 12, 0);
    expect(() => new FactorExposures().fit(d.panel)).toThrow(/no factor returns/);
    expect(() => new FactorExposures().addRegressionFactors(d.frame).addStep(['nope']).fit(d.panel)).toThrow(
      /nope, which is not a factor column/,
    );
    expect(() => new FactorExposures().addRegressionFactors(d.frame).fit(d.panel, { riskFree: 'rf' })).toThrow(/risk-free column rf/);
    expect(() => new FactorExposures().addStep(['a'], { l1: -1 })).toThrow(/l1 must be/);
    expect(() => new FactorExposures().addRegressionFactors(d.frame).addCrossScore('r', 'zzz').fit(d.panel)).toThrow(/ranks zzz/);
    expect(() => new FactorExposures().addRegressionFactors(d.frame).fit(d.panel, { start: '2999-01-01' })).toThrow(/no return dates/);
  });

  it('Newey-West: per-asset default lags floor(4(n/100)^(2/9)), a fixed lag when asked', () => {
    const d = data(300, 3, 13, 0.1);
    const fe = new FactorExposures().addRegressionFactors(d.frame);
    const a = fe.fit(d.panel, { neweyWest: true });
    const nw = a.diagnostics[0].nw!;
    for (let j = 0; j < d.m; j++) expect(nw.lags[j]).toBe(Math.floor(4 * (a.diagnostics[0].nobs[j] / 100) ** (2 / 9)));
    expect(nw.se.every((v) => v > 0)).toBe(true);
    const b = fe.fit(d.panel, { neweyWest: { lags: 2 } });
    expect(Array.from(b.diagnostics[0].nw!.lags)).toEqual([2, 2, 2]);
    expect(fe.fit(d.panel).diagnostics[0].nw).toBeNull();
  });

  it("Newey-West: a fixed lag an asset's sample does not exceed gives it no HAC figures (not a kernel cut to n − 1 lags)", () => {
    const d = data(300, 3, 13, 0);
    // asset A1 keeps only its last 20 returns
    for (let t = 0; t < 280; t++) d.panel.values[t * d.m + 1] = NaN;
    const fe = new FactorExposures().addRegressionFactors(d.frame);
    const fit = fe.fit(d.panel, { neweyWest: { lags: 30 } });
    const s = fit.diagnostics[0];
    const nw = s.nw!;
    const p = s.coefficients.length;
    expect(s.nobs[1]).toBeLessThanOrEqual(30);
    expect(s.nobs[1]).toBeGreaterThan(p);
    expect(Array.from(nw.lags)).toEqual([30, 0, 30]);
    for (const a of [nw.se, nw.t, nw.p]) {
      expect(Array.from(a.subarray(p, 2 * p)).every((v) => Number.isNaN(v))).toBe(true);
      expect(Array.from(a.subarray(0, p)).every((v) => Number.isFinite(v))).toBe(true);
    }
    // the OLS figures of the asset are there
    expect(Number.isFinite(s.t[p + 1])).toBe(true);
    // the default lag (floor(4(n/100)^(2/9)) = 2 at n = 19) still applies
    expect(fe.fit(d.panel, { neweyWest: true }).diagnostics[0].nw!.lags[1]).toBe(Math.floor(4 * (s.nobs[1] / 100) ** (2 / 9)));
  });

  it('residuals: false returns no panel but the same estimates', () => {
    const d = data(100, 3, 14);
    const fe = new FactorExposures().addRegressionFactors(d.frame).addStep(['smb'], { l2: 0.1 });
    const a = fe.fit(d.panel),
      b = fe.fit(d.panel, { residuals: false });
    expect(b.residuals).toBeNull();
    expect(Array.from(b.diagnostics[1].coef)).toEqual(Array.from(a.diagnostics[1].coef));
  });
});

describe('overwriteReturns: the fit works in the returns panel', () => {
  /** Every number of a fit, for a bit-for-bit comparison (NaN compared as NaN). */
  const bits = (fit: ReturnType<typeof fitExposures>) => ({
    steps: fit.diagnostics.map((d) => ({
      coef: Array.from(d.coef),
      se: Array.from(d.se),
      t: Array.from(d.t),
      r2: Array.from(d.r2),
      vol: Array.from(d.residualVol),
      nobs: Array.from(d.nobs),
      nw: d.nw === null ? null : { se: Array.from(d.nw.se), t: Array.from(d.nw.t), lags: Array.from(d.nw.lags) },
      skipped: d.skipped,
      issues: d.issues,
    })),
    exposures: Object.fromEntries(Object.entries(fit.exposures).map(([k, v]) => [k, Array.from(v)])),
    alpha: Array.from(fit.alpha),
    residuals: fit.residuals === null ? null : Array.from(fit.residuals.values),
    dates: Array.from(fit.dates),
  });

  it('gives the same bits as a fit on a copy, with rf, a constant asset, start/end, Newey-West, two steps (OLS, OLS or penalised); the residuals are a view on the returns', () => {
    const stepSets = [
      [makeStep(FACTORS)],
      [makeStep(['mkt_rf']), makeStep(['smb', 'hml'], { includeConstant: false })],
      [makeStep(['mkt_rf']), makeStep(['smb', 'hml'], { l2: 0.01 })],
      [makeStep(['mkt_rf', 'smb'], { l1: 0.0005 }), makeStep(['hml'])],
    ];
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 30, max: 90 }),
          m: fc.integer({ min: 1, max: 7 }),
          seed: fc.integer({ min: 0, max: 1e6 }),
          missing: fc.constantFrom(0, 0.1),
          rf: fc.boolean(),
          flat: fc.boolean(),
          start: fc.integer({ min: 0, max: 8 }),
          trim: fc.integer({ min: 0, max: 8 }),
          nw: fc.boolean(),
          steps: fc.integer({ min: 0, max: stepSets.length - 1 }),
          residuals: fc.boolean(),
        }),
        (c) => {
          const d = data(c.n, c.m, c.seed, c.missing);
          const y = d.y.slice();
          if (c.flat) for (let t = 0; t < c.n; t++) y[t * c.m] = 0.001;
          const frame = c.rf
            ? new Frame(d.frame.dates, [...FACTORS, 'rf'], [...d.frame.series, d.frame.series[1].map((v) => 1e-4 + v * 1e-2)])
            : d.frame;
          const options = {
            riskFree: c.rf ? 'rf' : undefined,
            neweyWest: c.nw,
            residuals: c.residuals,
            minObs: 6,
            start: formatIsoDate(d.dates[c.start]),
            end: formatIsoDate(d.dates[c.n - 1 - c.trim]),
          };
          const kept = fitExposures(frame, new Panel(d.dates, d.panel.assets, y.slice()), stepSets[c.steps], [], options);
          const owned = new Panel(d.dates, d.panel.assets, y.slice());
          const inPlace = fitExposures(frame, owned, stepSets[c.steps], [], { ...options, overwriteReturns: true });
          expect(bits(inPlace)).toEqual(bits(kept));
          if (c.residuals && stepSets[c.steps].every((st) => st.method === 'ols'))
            expect(inPlace.residuals!.values.buffer).toBe(owned.values.buffer);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('without it the returns are not modified; with it the analyses that read the returns refuse', () => {
    const d = data(80, 3, 5);
    const rf = new Frame(d.frame.dates, [...FACTORS, 'rf'], [...d.frame.series, d.frame.series[0].map(() => 1e-4)]);
    const before = Array.from(d.panel.values);
    const fe = new FactorExposures().addRegressionFactors(rf, { step: false }).addStep(FACTORS);
    const fit = fe.fit(d.panel, { riskFree: 'rf', neweyWest: true });
    expect(Array.from(d.panel.values)).toEqual(before);
    expect(fit.varianceDecomposition([1 / 3, 1 / 3, 1 / 3]).portfolio).toBeDefined();
    const consumed = fe.fit(new Panel(d.dates, d.panel.assets, d.y.slice()), { riskFree: 'rf', overwriteReturns: true });
    expect(Array.from(consumed.diagnostics[0].coef)).toEqual(Array.from(fit.diagnostics[0].coef));
    expect(() => consumed.varianceDecomposition([1 / 3, 1 / 3, 1 / 3])).toThrow(
      /overwriteReturns: the returns panel now holds the residuals/,
    );
    expect(() => consumed.report([1 / 3, 1 / 3, 1 / 3])).toThrow(InputError);
    // and the results keep nothing of the consumed panel (so a caller can let it go), also with notes
    for (const r of [consumed, consumed.withNotes(['n'])]) {
      const kept = (r as unknown as { returnsPanel: Panel }).returnsPanel;
      expect(kept.nDates * kept.nAssets).toBe(0);
      expect(() => r.model).toThrow(/overwriteReturns/);
    }
    expect((fit as unknown as { returnsPanel: Panel }).returnsPanel).toBe(d.panel);
  });
});
