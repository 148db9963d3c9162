import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../core/errors.js';
import { inverseSpd } from '../stats/linalg.js';
import {
  blackLitterman,
  denseCovariance,
  marketImpliedPrior,
  marketImpliedRiskAversion,
  riskModelCovariance,
  type BlackLittermanView,
} from './blackLitterman.js';
import type { RiskModel } from './riskModel.js';

// PyPortfolioOpt's six names (peerCases.test.ts has the source): Σ annualised. AAPL, AMZN, GE, XOM, JPM, SBUX.
const SIGMA = Float64Array.from(
  [
    [0.207537, 0.0792939, 0.0383477, 0.0203663, 0.0471153, 0.0439449],
    [0.0792939, 0.375394, 0.0522615, 0.0268795, 0.0728535, 0.0659039],
    [0.0383477, 0.0522615, 0.083109, 0.0259812, 0.059512, 0.03807],
    [0.0203663, 0.0268795, 0.0259812, 0.0544038, 0.0302293, 0.0234746],
    [0.0471153, 0.0728535, 0.059512, 0.0302293, 0.146893, 0.04953],
    [0.0439449, 0.0659039, 0.03807, 0.0234746, 0.04953, 0.152589],
  ].flat(),
);
const MCAPS = [927, 1183, 110, 341, 379, 83];
// an absolute view (AMZN 10%), a relative one (half AAPL + half JPM beat XOM by 3%), GE under SBUX by 2%
const VIEWS: BlackLittermanView[] = [
  { name: 'amzn', assets: [1], weights: [1], value: 0.1 },
  { name: 'banks', assets: [0, 3, 4], weights: [0.5, -1, 0.5], value: 0.03 },
  { name: 'ge', assets: [2, 5], weights: [1, -1], value: -0.02 },
];

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(1e-300, Math.abs(b[i])));
  return d;
};

/** The explicit-inverse route (PyPortfolioOpt's test_bl_returns_no_prior): μ = ((τΣ)⁻¹ + PᵀΩ⁻¹P)⁻¹((τΣ)⁻¹π + PᵀΩ⁻¹Q). */
function explicitPosterior(
  cov: Float64Array,
  n: number,
  prior: ArrayLike<number>,
  p: number[][],
  q: number[],
  omega: number[],
  tau: number,
): Float64Array {
  const ts = cov.map((x) => tau * x);
  const tsInv = inverseSpd(ts, n);
  const a = Float64Array.from(tsInv);
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rhs[i] += tsInv[i * n + j] * prior[j];
  p.forEach((row, k) => {
    for (let i = 0; i < n; i++) {
      rhs[i] += (row[i] * q[k]) / omega[k];
      for (let j = 0; j < n; j++) a[i * n + j] += (row[i] * row[j]) / omega[k];
    }
  });
  const inv = inverseSpd(a, n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += inv[i * n + j] * rhs[j];
  return out;
}

describe('marketImpliedPrior and marketImpliedRiskAversion', () => {
  it('π = δΣw of the normalised market caps (numpy, PyPortfolioOpt market_implied_prior_returns with rf 0)', () => {
    const pi = marketImpliedPrior(denseCovariance(SIGMA, 6), MCAPS, 2.5);
    const numpy = [
      0.2636939823023487, 0.46774125206748257, 0.11668054052265961, 0.07070206161098247, 0.17077367011247105, 0.1342462219649355,
    ];
    expect(maxRel(pi, numpy)).toBeLessThan(1e-14);
    // rf is added; caps and weights give the same prior
    const withRf = marketImpliedPrior(
      denseCovariance(SIGMA, 6),
      MCAPS.map((c) => c / 3023),
      2.5,
      0.02,
    );
    expect(
      maxRel(
        withRf,
        numpy.map((x) => x + 0.02),
      ),
    ).toBeLessThan(1e-14);
  });

  it('δ = (P·mean − rf) / (P·var), var with ddof 1: a hand case', () => {
    // mean 0.02/3, deviations (1, −8, 7)/300, var 114/90000/2; (252·0.02/3 − 0.02) / (252·57/90000) = 1.66 / 0.1596
    expect(marketImpliedRiskAversion([0.01, -0.02, 0.03], 252, 0.02)).toBeCloseTo(1.66 / 0.1596, 12);
    expect(marketImpliedRiskAversion([0.01, -0.02, 0.03], 12)).toBeCloseTo(0.02 / 3 / (57 / 90000), 10);
  });

  it('refuses what has no market portfolio or no variance', () => {
    const cov = denseCovariance(SIGMA, 6);
    expect(() => marketImpliedPrior(cov, [0, 0, 0, 0, 0, 0], 2)).toThrow(/sum to 0/);
    expect(() => marketImpliedPrior(cov, [1, 1, 1, -1, 1, 1], 2)).toThrow(/≥ 0/);
    expect(() => marketImpliedPrior(cov, [1, 1], 2)).toThrow(/2 values/);
    expect(() => marketImpliedPrior(cov, MCAPS, 0)).toThrow(/positive/);
    expect(() => marketImpliedRiskAversion([0.01, 0.01, 0.01], 252)).toThrow(/do not vary/);
    expect(() => marketImpliedRiskAversion([0.01, NaN], 252)).toThrow(/finite/);
  });
});

describe('blackLitterman', () => {
  const cov = denseCovariance(SIGMA, 6);
  const prior = marketImpliedPrior(cov, MCAPS, 2.5);

  it("He & Litterman's default ω = τ·pᵀΣp: the numpy route of PyPortfolioOpt's bl_returns", () => {
    const r = blackLitterman({ cov, prior, views: VIEWS });
    const numpy = [
      0.18385129801379085, 0.27412171417980435, 0.08191229539790526, 0.06992535145503923, 0.10972182008606099, 0.09746773038446838,
    ];
    expect(maxRel(r.posterior, numpy)).toBeLessThan(1e-13);
    expect(r.tau).toBe(0.05);
    expect(r.views.map((v) => v.name)).toEqual(['amzn', 'banks', 'ge']);
    expect(r.views[0].prior).toBeCloseTo(0.46774125206748257, 15);
    expect(r.views[0].posterior).toBeCloseTo(numpy[1], 14);
    expect(r.views[0].omega).toBeCloseTo(0.05 * 0.375394, 15);
  });

  it("Idzorek's confidences, one of them 100%: the numpy route; the certain view is met exactly", () => {
    const views = VIEWS.map((v, k) => ({ ...v, confidence: [0.6, 0.3, 1][k] }));
    const r = blackLitterman({ cov, prior, views });
    const numpy = [
      0.1942902359115291, 0.24294625652046112, 0.0786716628664941, 0.06184686843500217, 0.11323778512731979, 0.09867166286649412,
    ];
    expect(maxRel(r.posterior, numpy)).toBeLessThan(1e-13);
    expect(r.views[2].omega).toBe(0);
    expect(r.views[2].posterior).toBeCloseTo(-0.02, 14);
  });

  it("PyPortfolioOpt's test_idzorek_basic: identity Σ, π 0.1, views 0.3; confidence c gives 0.1 + 0.2c", () => {
    const id = new Float64Array(25);
    for (let i = 0; i < 5; i++) id[i * 6] = 1;
    const views = [0, 1, 2, 3, 4].map((i) => ({ assets: [i], weights: [1], value: 0.3 }));
    for (const c of [0, 0.2, 0.4, 0.5, 0.6, 0.8, 1]) {
      const r = blackLitterman({
        cov: denseCovariance(id, 5),
        prior: [0.1, 0.1, 0.1, 0.1, 0.1],
        views: views.map((v) => ({ ...v, confidence: c })),
      });
      for (let i = 0; i < 5; i++) expect(r.posterior[i]).toBeCloseTo(0.1 + 0.2 * c, 14);
    }
    // confidence 0 leaves the view out exactly: the prior, bit for bit, and ω reported as null
    const none = blackLitterman({
      cov: denseCovariance(id, 5),
      prior: [0.1, 0.1, 0.1, 0.1, 0.1],
      views: views.map((v) => ({ ...v, confidence: 0 })),
    });
    expect(Array.from(none.posterior)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(none.views[0].omega).toBeNull();
  });

  it("PyPortfolioOpt's test_bl_no_uncertainty: ω = 0 makes the posterior meet every view", () => {
    const views = VIEWS.map((v) => ({ ...v, omega: 0 }));
    const r = blackLitterman({ cov, prior, views });
    for (const v of r.views) expect(v.posterior).toBeCloseTo(v.value, 13);
  });

  it('no views: the posterior is the prior', () => {
    const r = blackLitterman({ cov, prior, views: [] });
    expect(Array.from(r.posterior)).toEqual(Array.from(prior));
  });

  it('a factor risk model as an operator gives the dense route (Σ = P·(BFBᵀ + D) formed)', () => {
    const n = 7,
      k = 2;
    const m: RiskModel = {
      assets: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      factors: ['x', 'y'],
      exposures: Float64Array.from({ length: n * k }, (_, i) => Math.sin(1 + 3 * i)),
      factorCovariance: Float64Array.from([4e-4, 1e-4, 1e-4, 2e-4]),
      specificVariance: Float64Array.from({ length: n }, (_, i) => (1 + i) * 1e-4),
      periodsPerYear: 252,
    };
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? m.specificVariance[i] : 0;
        for (let a = 0; a < k; a++)
          for (let b = 0; b < k; b++) s += m.exposures[i * k + a] * m.factorCovariance[a * k + b] * m.exposures[j * k + b];
        dense[i * n + j] = 252 * s;
      }
    const views: BlackLittermanView[] = [
      { assets: [0, 6], weights: [1, -1], value: 0.05, confidence: 0.4 },
      { assets: [3], weights: [1], value: -0.1 },
    ];
    const caps = [5, 4, 3, 2, 1, 1, 1];
    const a = blackLitterman({ cov: riskModelCovariance(m), prior: marketImpliedPrior(riskModelCovariance(m), caps, 3), views });
    const b = blackLitterman({ cov: denseCovariance(dense, n), prior: marketImpliedPrior(denseCovariance(dense, n), caps, 3), views });
    expect(maxRel(a.posterior, b.posterior)).toBeLessThan(1e-12);
  });

  it('property: equal to the explicit-inverse route on random Σ, views and confidences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (n, nViews, seed, tau) => {
          let s = seed;
          const rnd = (): number => {
            s = (s * 16807) % 2147483647;
            return s / 2147483647 - 0.5;
          };
          const a = Array.from({ length: n * n }, rnd);
          const cov = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let x = i === j ? 0.05 : 0;
              for (let q = 0; q < n; q++) x += 0.1 * a[i * n + q] * a[j * n + q];
              cov[i * n + j] = x;
            }
          const prior = Array.from({ length: n }, () => 0.1 * rnd());
          const p: number[][] = [],
            q: number[] = [];
          const views: BlackLittermanView[] = [];
          for (let k = 0; k < nViews; k++) {
            const row: number[] = Array.from({ length: n }, () => (rnd() > 0 ? Math.round(4 * rnd() * 100) / 100 : 0));
            if (!row.some((x) => x !== 0)) row[k % n] = 1;
            const assets = row.map((x, i) => (x !== 0 ? i : -1)).filter((i) => i >= 0);
            const conf = 0.05 + 0.9 * (rnd() + 0.5);
            views.push({ assets, weights: assets.map((i) => row[i]), value: 0.2 * rnd(), confidence: conf });
            p.push(row);
            q.push(views[k].value);
          }
          const r = blackLitterman({ cov: denseCovariance(cov, n), prior, views, tau });
          const omega = r.views.map((v) => v.omega as number);
          const e = explicitPosterior(cov, n, prior, p, q, omega, tau);
          for (let i = 0; i < n; i++) expect(Math.abs(r.posterior[i] - e[i])).toBeLessThan(1e-9 * (1 + Math.abs(e[i])));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses bad views by name, as InputErrors', () => {
    const bad = (views: BlackLittermanView[], tau?: number): unknown => {
      try {
        blackLitterman({ cov, prior, views, ...(tau !== undefined ? { tau } : {}) });
      } catch (e) {
        expect(isInputError(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(bad([{ name: 'x', assets: [1], weights: [1], value: 0.1, confidence: 1.2 }])).toMatch(/x: its confidence is 1.2/);
    expect(bad([{ name: 'x', assets: [1, 1], weights: [1, 1], value: 0.1 }])).toMatch(/names asset 1 twice/);
    expect(bad([{ name: 'x', assets: [1], weights: [0], value: 0.1 }])).toMatch(/every weight is 0/);
    expect(bad([{ name: 'x', assets: [9], weights: [1], value: 0.1 }])).toMatch(/not one of the 6 assets/);
    expect(bad([{ name: 'x', assets: [1], weights: [1], value: NaN }])).toMatch(/finite/);
    expect(bad(VIEWS, 0)).toMatch(/τ must be in/);
    expect(bad(VIEWS, 1.5)).toMatch(/τ must be in/);
    // a covariance that is not one: asymmetric, or a negative variance (the posterior came out regardless)
    const asym = Float64Array.from(SIGMA);
    asym[1] = 0.09;
    expect(() => denseCovariance(asym, 6)).toThrow(/not symmetric: entry \(1, 0\) is 0\.0792939 and \(0, 1\) is 0\.09/);
    const neg = Float64Array.from(SIGMA);
    neg[7] = -0.375394;
    expect(() => denseCovariance(neg, 6)).toThrow(/diagonal entry \(1, 1\) is -0\.375394/);
    // rounding a covariance's two halves differently is not refused
    const rounded = Float64Array.from(SIGMA);
    rounded[1] *= 1 + 1e-15;
    expect(denseCovariance(rounded, 6).n).toBe(6);
    // two certain views on the same portfolio: no posterior
    expect(
      bad([
        { name: 'a', assets: [1], weights: [1], value: 0.1, confidence: 1 },
        { name: 'b', assets: [1], weights: [2], value: 0.3, confidence: 1 },
      ]),
    ).toMatch(/a, b are not independent/);
  });
});
