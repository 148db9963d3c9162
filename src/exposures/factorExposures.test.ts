import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { tQuantile } from '../stats/distributions.js';
import { syntheticMarket } from '../synthetic/market.js';
import { FactorExposures } from './factorExposures.js';
import { ExposureResults } from './results.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function random(n: number, m: number, k: number, seed: number) {
  const r = lcg(seed);
  const dates = Int32Array.from({ length: n }, (_, t) => 17000 + t);
  const names = Array.from({ length: k }, (_, f) => `f${f}`);
  const x = names.map(() => Float64Array.from({ length: n }, () => r() * 0.02));
  const y = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let v = r() * 0.01;
      for (let f = 0; f < k; f++) v += x[f][t] * (r() * 2);
      y[t * m + j] = r() + 0.5 < 0.05 ? NaN : v;
    }
  return {
    frame: new Frame(dates, names, x),
    panel: new Panel(
      dates,
      Array.from({ length: m }, (_, j) => `a${j}`),
      y,
    ),
    names,
  };
}

describe('FactorExposures configuration', () => {
  it('chains, keeps its state readable, clears steps; fit without steps is OLS on every column', () => {
    const { frame, panel } = random(60, 3, 2, 1);
    const fe = new FactorExposures()
      .addRegressionFactors(frame)
      .addStep(['f0'], { l1: 0.5, l2: 0.25, includeConstant: false })
      .addCrossScore('f0_rank', 'f0');
    expect(fe.steps.map((s) => s.method)).toEqual(['ols', 'elastic-net']);
    expect(fe.factors).toBe(frame);
    const fit = fe.fit(panel);
    expect(fit).toBeInstanceOf(ExposureResults);
    expect(Object.keys(fe)).not.toContain('lastFit'); // the estimator holds configuration only
    fe.clearSteps();
    expect(fe.steps).toHaveLength(0);
    const again = fe.fit(panel);
    expect(again.diagnostics).toHaveLength(1);
    expect(again.diagnostics[0].factors).toEqual(['f0', 'f1']);
    expect(again.exposureNames).toEqual(['f0', 'f1', 'f0_rank']);
  });

  it('a second addRegressionFactors joins the frames (outer on dates); a repeated column is an InputError', () => {
    const { frame, panel } = random(60, 2, 2, 2);
    const extra = new Frame(frame.dates.slice(5), ['g'], [Float64Array.from({ length: 55 }, (_, t) => Math.sin(t))]);
    const fe = new FactorExposures().addRegressionFactors(frame, { step: false }).addRegressionFactors(extra);
    expect(fe.factors!.columns).toEqual(['f0', 'f1', 'g']);
    const fit = fe.fit(panel);
    expect(fit.diagnostics[0].factors).toEqual(['g']);
    expect(fit.diagnostics[0].nobs[0]).toBeLessThanOrEqual(55);
    expect(() => fe.addRegressionFactors(extra)).toThrow(/already added/);
  });
});

describe('FactorExposures properties', () => {
  it('adding a factor that is a linear combination of others is detected (reported collinear, fit unchanged)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: -30, max: -1 }),
        (seed, ai, bi) => {
          const a = ai / 10,
            b = bi / 7;
          const { frame, panel, names } = random(80, 3, 3, seed);
          const combo = frame.series[0].map((v, t) => a * v + b * frame.series[2][t]);
          const wide = new Frame(frame.dates, [...names, 'combo'], [...frame.series, combo]);
          const fit = new FactorExposures().addRegressionFactors(wide).fit(panel);
          expect(fit.diagnostics[0].factorIssues.collinear).toEqual(['combo']);
          expect(fit.issues.every((i) => i.collinear.includes('combo'))).toBe(true);
          const base = new FactorExposures().addRegressionFactors(frame).fit(panel);
          for (const f of names)
            for (let j = 0; j < 3; j++)
              expect(Math.abs(fit.exposures[f][j] - base.exposures[f][j])).toBeLessThan(1e-8 * Math.max(1, Math.abs(base.exposures[f][j])));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('scaling a factor by k scales its beta by 1/k (OLS and the normalised penalised fits) and leaves the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.boolean(), (seed, k, neg) => {
        const kk = neg ? -k : k;
        const { frame, panel } = random(70, 3, 2, seed);
        const scaled = new Frame(frame.dates, frame.columns, [frame.series[0].map((v) => v * kk), frame.series[1]]);
        for (const opts of [{}, { l2: 0.01 }, { l1: 1e-4, l2: 0.01, tol: 1e-12, maxIter: 100_000 }]) {
          const a = new FactorExposures().addRegressionFactors(frame, { stepOptions: opts }).fit(panel);
          const b = new FactorExposures().addRegressionFactors(scaled, { stepOptions: opts }).fit(panel);
          for (let j = 0; j < 3; j++) {
            const want = a.exposures.f0[j] / kk;
            expect(Math.abs(b.exposures.f0[j] - want)).toBeLessThanOrEqual(1e-7 * Math.max(Math.abs(want), 1e-3));
            expect(Math.abs(b.exposures.f1[j] - a.exposures.f1[j])).toBeLessThanOrEqual(1e-7 * Math.max(Math.abs(a.exposures.f1[j]), 1e-3));
            if (Object.keys(opts).length === 0)
              expect(Math.abs(b.diagnostics[0].t[j * 3 + 1] - a.diagnostics[0].t[j * 3 + 1] * Math.sign(kk))).toBeLessThan(
                1e-7 * Math.max(1, Math.abs(a.diagnostics[0].t[j * 3 + 1])),
              );
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('permuting assets permutes every output', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), (seed, keys) => {
        const { frame, panel } = random(60, 5, 2, seed);
        const order = panel.assets
          .map((a, i) => ({ a, key: keys[i] * 10 + i }))
          .sort((p, q) => p.key - q.key)
          .map((o) => o.a);
        const fe = new FactorExposures().addRegressionFactors(frame).addStep(['f1'], { l2: 0.1 }).addCrossScore('r', 'f0');
        const a = fe.fit(panel, { neweyWest: true });
        const b = fe.fit(panel.selectAssets(order));
        const bn = fe.fit(panel.selectAssets(order), { neweyWest: true });
        order.forEach((name, jb) => {
          const ja = panel.assetIndex(name);
          for (const e of a.exposureNames) expect(b.exposures[e][jb]).toBe(a.exposures[e][ja]);
          for (let s = 0; s < 2; s++) {
            const p = a.diagnostics[s].coefficients.length;
            for (let i = 0; i < p; i++) expect(b.diagnostics[s].coef[jb * p + i]).toBe(a.diagnostics[s].coef[ja * p + i]);
            expect(b.diagnostics[s].r2[jb]).toBe(a.diagnostics[s].r2[ja]);
          }
          expect(bn.diagnostics[0].nw!.se[jb * 3 + 1]).toBe(a.diagnostics[0].nw!.se[ja * 3 + 1]);
          for (let t = 0; t < panel.nDates; t++) expect(Object.is(b.residuals!.at(t, jb), a.residuals!.at(t, ja))).toBe(true);
        });
      }),
      { numRuns: 20 },
    );
  });
});

describe('FactorExposures on the synthetic market', () => {
  it('recovers the planted exposures: ~95% of 2-s.e. intervals cover the truth', () => {
    const mk = syntheticMarket({ seed: 7, nAssets: 300, nDates: 756 });
    // excess returns: the model is r − rf = alpha + β'f + idiosyncratic (the planted signal term is idiosyncratic)
    const fit = new FactorExposures().addRegressionFactors(mk.factorReturns).fit(mk.returns.map((v, t) => v - mk.rf[t]));
    const d = fit.diagnostics[0];
    const names = mk.factorReturns.columns;
    let covered = 0,
      total = 0;
    names.forEach((f, i) => {
      for (let j = 0; j < mk.assets.length; j++) {
        if (!d.fitted[j]) continue;
        const b = d.coef[j * d.coefficients.length + 1 + i],
          se = d.se[j * d.coefficients.length + 1 + i];
        const q = tQuantile(0.975, d.dfResid[j]);
        total++;
        if (Math.abs(b - mk.truth.exposures[f][j]) <= q * se) covered++;
      }
    });
    const share = covered / total;
    // 1800 intervals; binomial sd of the share is ~0.005: 0.95 ± 0.02 is ~4 sd
    expect(total).toBeGreaterThan(1700);
    expect(share).toBeGreaterThan(0.93);
    expect(share).toBeLessThan(0.97);
  });
});
