import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { olsBatch } from '../stats/ols.js';
import { variance as sampleVariance } from '../stats/descriptive.js';
import { Rng } from '../synthetic/random.js';
import { syntheticCalendar } from '../synthetic/calendar.js';
import { factorCovariance, varianceDecomposition, varianceDecompositionOnDate, type VarianceDecompositionInput } from './variance.js';

/** Two factors on four weekdays; Σ = [[14/3, −2/3], [−2/3, 2/3]] by hand. */
const DATES = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
const FACTORS = Frame.fromRecord(DATES, { f1: [1, 3, 2, 6], f2: [2, 0, 1, 1], unused: [NaN, 1, 1, 1] });
const HAND: VarianceDecompositionInput = {
  factors: FACTORS,
  factorNames: ['f1', 'f2'],
  assets: ['A', 'B', 'C'],
  betas: Float64Array.from([1, 0.5, 0.5, -1, 2, 1]),
  specificVariance: Float64Array.from([0.1, 0.2, 0.3]),
  weights: Float64Array.from([0.5, 0.3, 0.2]),
};

describe('varianceDecomposition: hand-computed two factors, three assets', () => {
  const d = varianceDecomposition(HAND);

  it('factor covariance from the window, ddof 1', () => {
    // f1 dev [−2, 0, −1, 3] → 14/3; f2 dev [1, −1, 0, 0] → 2/3; cross −2/3
    expect(d.covariance.matrix[0][0]).toBeCloseTo(14 / 3, 14);
    expect(d.covariance.matrix[1][1]).toBeCloseTo(2 / 3, 14);
    expect(d.covariance.matrix[0][1]).toBeCloseTo(-2 / 3, 14);
    expect(d.covariance.matrix[1][0]).toBe(d.covariance.matrix[0][1]);
    expect(d.covariance.means).toEqual([3, 1]);
    expect(d.covariance).toMatchObject({ nobs: 4, start: '2024-01-02', end: '2024-01-05', ddof: 1 });
    expect(d.frequency).toBe('daily');
    expect(d.periodsPerYear).toBe(252);
  });

  it("b, b'Σb, Σw²σ², Euler split and shares", () => {
    const p = d.portfolio;
    // b = 0.5(1, .5) + 0.3(.5, −1) + 0.2(2, 1) = (1.05, 0.15); Σb = (4.8, −0.6)
    expect(p.exposures.f1).toBeCloseTo(1.05, 14);
    expect(p.exposures.f2).toBeCloseTo(0.15, 14);
    expect(p.contributions.f1).toBeCloseTo(1.05 * 4.8, 13);
    expect(p.contributions.f2).toBeCloseTo(0.15 * -0.6, 14);
    expect(p.systematicVariance).toBeCloseTo(4.95, 13);
    expect(p.systematicVariance).toBe(p.contributions.f1 + p.contributions.f2);
    expect(p.specificVariance).toBeCloseTo(0.25 * 0.1 + 0.09 * 0.2 + 0.04 * 0.3, 15);
    expect(p.totalVariance).toBeCloseTo(5.005, 13);
    expect(p.shares.factors.f1).toBeCloseTo(5.04 / 5.005, 13);
    expect(p.shares.factors.f2).toBeCloseTo(-0.09 / 5.005, 13);
    expect(p.shares.specific).toBeCloseTo(0.055 / 5.005, 13);
    expect(p.shares.factors.f1 + p.shares.factors.f2 + p.shares.specific).toBeCloseTo(1, 15);
    expect(p.shares.systematic + p.shares.specific).toBeCloseTo(1, 15);
    expect(p.volatility.total).toBeCloseTo(Math.sqrt(5.005 * 252), 12);
    expect(p.volatility.specific).toBeCloseTo(Math.sqrt(0.055 * 252), 12);
    const vc = p.volatilityContributions;
    expect(vc.factors.f1 + vc.factors.f2 + vc.specific).toBeCloseTo(p.volatility.total, 12);
    expect(p).toMatchObject({ holdings: 3, covered: 3, excluded: [], coveredGrossShare: 1 });
    expect(p.totalWeight).toBeCloseTo(1, 15);
  });

  it('holdings table: w_i β_if and per-holding Euler pieces add up to the totals', () => {
    const t = d.portfolio.holdingsTable;
    expect(t.assets).toEqual(['A', 'B', 'C']);
    expect(t.weightedExposures.f1).toEqual([0.5, 0.15, 0.4]);
    expect(t.weightedExposures.f2[1]).toBeCloseTo(-0.3, 15);
    expect(t.contributions.f1[2]).toBeCloseTo(0.4 * 4.8, 13);
    const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);
    expect(sum(t.contributions.f1)).toBeCloseTo(d.portfolio.contributions.f1, 13);
    expect(sum(t.systematicContribution)).toBeCloseTo(d.portfolio.systematicVariance, 13);
    expect(sum(t.specificContribution)).toBeCloseTo(d.portfolio.specificVariance, 15);
  });

  it('the equal-weighted combination of the same holdings', () => {
    const e = d.equalWeight;
    // b = (7/6, 1/6), Σb = (16/3, −2/3), c = (56/9, −1/9), specific 0.6/9
    expect(e.exposures.f1).toBeCloseTo(7 / 6, 14);
    expect(e.exposures.f2).toBeCloseTo(1 / 6, 14);
    expect(e.contributions.f1).toBeCloseTo(56 / 9, 13);
    expect(e.contributions.f2).toBeCloseTo(-1 / 9, 14);
    expect(e.specificVariance).toBeCloseTo(0.6 / 9, 15);
    expect(e.totalVariance).toBeCloseTo(278 / 45, 13);
    expect(e.holdingsTable.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('per-factor beta arrays, a window and periods per year', () => {
    const perFactor = varianceDecomposition({
      ...HAND,
      betas: [
        [1, 0.5, 2],
        [0.5, -1, 1],
      ],
    });
    expect(perFactor.portfolio).toEqual(d.portfolio);
    // window 2024-01-03..05: f1 [3, 2, 6] → var 13/3; f2 [0, 1, 1] → 1/3; cross (0·−2/3 + −1·1/3 + 3·1/3)/2 = 1/3
    const w = varianceDecomposition(HAND, { window: { start: '2024-01-03', end: '2024-01-05' }, periodsPerYear: 12 });
    expect(w.covariance.matrix[0][0]).toBeCloseTo(13 / 3, 14);
    expect(w.covariance.matrix[0][1]).toBeCloseTo(1 / 3, 14);
    expect(w.covariance.nobs).toBe(3);
    expect(w.periodsPerYear).toBe(12);
    expect(w.portfolio.volatility.total).toBeCloseTo(Math.sqrt(w.portfolio.totalVariance * 12), 14);
  });

  it('complete rows only: a missing factor value drops the row for every factor', () => {
    const c = factorCovariance(FACTORS, ['f1', 'unused']);
    expect(c.covariance.nobs).toBe(3);
    expect(c.covariance.start).toBe('2024-01-03');
    expect(c.covariance.matrix[0][0]).toBeCloseTo(13 / 3, 14);
    expect(c.covariance.matrix[1][1]).toBe(0);
  });
});

describe('coverage and bad input', () => {
  it('holdings without betas or specific variance are excluded and reported; zero/NaN weights are not held', () => {
    const d = varianceDecomposition({
      ...HAND,
      assets: ['A', 'B', 'C', 'D', 'E', 'F'],
      betas: [
        [1, 0.5, 2, NaN, 1, 9],
        [0.5, -1, 1, 0, 1, 9],
      ],
      specificVariance: Float64Array.from([0.1, 0.2, 0.3, 0.1, NaN, 1]),
      weights: Float64Array.from([0.5, 0.3, 0.2, 0.25, -0.05, 0]),
    });
    const p = d.portfolio;
    expect(p.excluded).toEqual([
      { asset: 'D', weight: 0.25, reason: 'no-beta' },
      { asset: 'E', weight: -0.05, reason: 'no-specific-variance' },
    ]);
    expect(p.holdings).toBe(5);
    expect(p.covered).toBe(3);
    expect(p.coveredWeight).toBeCloseTo(1, 15);
    expect(p.totalWeight).toBeCloseTo(1.2, 15);
    expect(p.coveredGrossShare).toBeCloseTo(1 / 1.3, 15);
    // the covered part is the hand case exactly
    expect(p.totalVariance).toBeCloseTo(5.005, 13);
    // equal weight: 1/5 on the five holdings, two of them excluded
    expect(d.equalWeight.holdings).toBe(5);
    expect(d.equalWeight.coveredWeight).toBeCloseTo(0.6, 15);
    expect(d.equalWeight.exposures.f1).toBeCloseTo(3.5 / 5, 14);
  });

  it('errors are InputErrors that say what is wrong', () => {
    expect(() => varianceDecomposition({ ...HAND, factorNames: ['f1', 'nope'] })).toThrow(/factor "nope" is not a column/);
    expect(() => varianceDecomposition({ ...HAND, betas: new Float64Array(5) })).toThrow(InputError);
    expect(() => varianceDecomposition({ ...HAND, weights: new Float64Array(3) })).toThrow(/holds nothing/);
    expect(() => varianceDecomposition({ ...HAND, betas: new Float64Array(6).fill(NaN) })).toThrow(/none of the portfolio's 3 holdings/);
    expect(() => varianceDecomposition(HAND, { window: { start: '2024-01-05' } })).toThrow(/more than 1 complete rows/);
    expect(() => varianceDecomposition(HAND, { window: { start: '2024-13-01' } })).toThrow(InputError);
  });
});

describe('varianceDecompositionOnDate', () => {
  const wp = new Panel(
    calendarFromIso(['2024-01-02', '2024-01-04']),
    ['C', 'Z', 'A', 'B'],
    Float64Array.from([0.2, 0, 0.5, 0.3, 0.1, 0.1, 0.8, NaN]),
  );

  it('uses the last weights row on or before the date and maps assets by name', () => {
    const d = varianceDecompositionOnDate(HAND, wp, '2024-01-03');
    expect(d.weightsDate).toBe('2024-01-02');
    expect(d.date).toBe('2024-01-03');
    expect(d.portfolio.totalVariance).toBeCloseTo(varianceDecomposition(HAND).portfolio.totalVariance, 14);
  });

  it('reports weights on names the model lacks as unknown-asset, counted in the equal weight', () => {
    const d = varianceDecompositionOnDate(HAND, wp, '2024-01-31');
    expect(d.weightsDate).toBe('2024-01-04');
    expect(d.portfolio.excluded).toEqual([{ asset: 'Z', weight: 0.1, reason: 'unknown-asset' }]);
    expect(d.portfolio.exposures.f1).toBeCloseTo(0.8 * 1 + 0.1 * 2, 14);
    expect(d.equalWeight.holdings).toBe(3);
    expect(d.equalWeight.excluded[0].weight).toBeCloseTo(1 / 3, 15);
    expect(() => varianceDecompositionOnDate(HAND, wp, '2023-12-29')).toThrow(/no portfolio weights on or before 2023-12-29/);
  });
});

/** A random model: k factors with a random positive definite Σ, m assets. */
function randomModel(rng: Rng, k: number, m: number): { sigmaL: Float64Array; betas: Float64Array; s2: Float64Array; w: Float64Array } {
  const sigmaL = new Float64Array(k * k);
  for (let f = 0; f < k; f++)
    for (let h = 0; h <= f; h++) sigmaL[f * k + h] = f === h ? 0.01 * (0.5 + rng.uniform()) : 0.004 * rng.normal();
  const betas = Float64Array.from({ length: m * k }, () => rng.normal(0.3, 0.6));
  const s2 = Float64Array.from({ length: m }, () => Math.pow(0.01 * (0.5 + rng.uniform()), 2));
  const w = Float64Array.from({ length: m }, () => rng.uniform(-0.2, 0.5));
  return { sigmaL, betas, s2, w };
}

describe('independent routes', () => {
  it("population identity with ml-matrix: w'(BΣB' + D)w = b'Σb + Σw²σ²", () => {
    const rng = new Rng(7);
    const k = 4,
      m = 9,
      n = 50;
    const { sigmaL, betas, s2, w } = randomModel(rng, k, m);
    // factor returns whose sample covariance is Σ (whatever it is); the identity holds for any Σ
    const cal = syntheticCalendar(19000, n);
    const rec: Record<string, Float64Array> = {};
    for (let f = 0; f < k; f++) rec[`f${f}`] = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const z = Array.from({ length: k }, () => rng.normal());
      for (let f = 0; f < k; f++) {
        let v = 0;
        for (let h = 0; h <= f; h++) v += sigmaL[f * k + h] * z[h];
        rec[`f${f}`][t] = v;
      }
    }
    const frame = Frame.fromRecord(cal, rec);
    const names = Object.keys(rec);
    const d = varianceDecomposition({
      factors: frame,
      factorNames: names,
      assets: Array.from({ length: m }, (_, i) => `a${i}`),
      betas,
      specificVariance: s2,
      weights: w,
    });
    // ml-matrix: Σ from np.cov-like centring, Ω = BΣBᵀ + diag(σ²), w'Ωw
    const F = new Matrix(Array.from({ length: n }, (_, t) => names.map((c) => rec[c][t])));
    const mean = F.mean('column');
    const Fc = F.clone().subRowVector(mean);
    const S = Fc.transpose()
      .mmul(Fc)
      .div(n - 1);
    S.to2DArray().forEach((row, f) => row.forEach((v, h) => expect(d.covariance.matrix[f][h]).toBeCloseTo(v, 15)));
    const B = new Matrix(Array.from({ length: m }, (_, i) => Array.from(betas.subarray(i * k, (i + 1) * k))));
    const Omega = B.mmul(S)
      .mmul(B.transpose())
      .add(Matrix.diag(Array.from(s2)));
    const W = Matrix.columnVector(Array.from(w));
    const total = W.transpose().mmul(Omega).mmul(W).get(0, 0);
    expect(d.portfolio.totalVariance).toBeCloseTo(total, 14);
    expect(Math.abs(d.portfolio.totalVariance - total) / total).toBeLessThan(1e-12);
    const b = B.transpose().mmul(W);
    b.to1DArray().forEach((v, f) => expect(d.portfolio.exposures[names[f]]).toBeCloseTo(v, 14));
  });

  it("simulated portfolio: the sample variance of w'r matches the total within sampling error", () => {
    const rng = new Rng(11);
    const k = 3,
      m = 12,
      n = 40000;
    const { sigmaL, betas, s2, w } = randomModel(rng, k, m);
    const cal = syntheticCalendar(10000, n);
    const f = Array.from({ length: k }, () => new Float64Array(n));
    const rp = new Float64Array(n);
    const z = new Float64Array(k);
    for (let t = 0; t < n; t++) {
      for (let h = 0; h < k; h++) z[h] = rng.normal();
      for (let g = 0; g < k; g++) {
        let v = 0;
        for (let h = 0; h <= g; h++) v += sigmaL[g * k + h] * z[h];
        f[g][t] = v;
      }
      let r = 0;
      for (let i = 0; i < m; i++) {
        let ri = 0.0002;
        for (let g = 0; g < k; g++) ri += betas[i * k + g] * f[g][t];
        ri += Math.sqrt(s2[i]) * rng.normal();
        r += w[i] * ri;
      }
      rp[t] = r;
    }
    const frame = new Frame(cal, ['x', 'y', 'z'], f);
    const d = varianceDecomposition({
      factors: frame,
      factorNames: ['x', 'y', 'z'],
      assets: Array.from({ length: m }, (_, i) => `a${i}`),
      betas,
      specificVariance: s2,
      weights: w,
    });
    const realised = sampleVariance(rp);
    // sd of a sample variance of a normal series ≈ v·sqrt(2/(n−1)); allow 4 of them
    expect(Math.abs(realised - d.portfolio.totalVariance)).toBeLessThan(4 * d.portfolio.totalVariance * Math.sqrt(2 / (n - 1)));
  });

  it("fitted by olsBatch: in-sample Var(w'r) = b'Σb + Var(w'ê) exactly, and the total is close to Var(w'r)", () => {
    const rng = new Rng(3);
    const k = 2,
      m = 6,
      n = 3000;
    const { sigmaL, betas, s2, w } = randomModel(rng, k, m);
    const x = new Float64Array(n * k);
    const y = new Float64Array(n * m);
    for (let t = 0; t < n; t++) {
      const z0 = rng.normal(),
        z1 = rng.normal();
      x[t * k] = sigmaL[0] * z0;
      x[t * k + 1] = sigmaL[2] * z0 + sigmaL[3] * z1;
      for (let i = 0; i < m; i++)
        y[t * m + i] = 0.001 + betas[i * k] * x[t * k] + betas[i * k + 1] * x[t * k + 1] + Math.sqrt(s2[i]) * rng.normal();
    }
    const fit = olsBatch(y, n, m, x, k);
    const fitted = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let g = 0; g < k; g++) fitted[i * k + g] = fit.coef[i * fit.p + 1 + g];
    const sv = Float64Array.from(fit.residualStd, (s) => s * s);
    const cal = syntheticCalendar(15000, n);
    const frame = new Frame(
      cal,
      ['u', 'v'],
      [Float64Array.from({ length: n }, (_, t) => x[t * k]), Float64Array.from({ length: n }, (_, t) => x[t * k + 1])],
    );
    const d = varianceDecomposition({
      factors: frame,
      factorNames: ['u', 'v'],
      assets: Array.from({ length: m }, (_, i) => `a${i}`),
      betas: fitted,
      specificVariance: sv,
      weights: w,
    });
    const rp = Float64Array.from({ length: n }, (_, t) => {
      let s = 0;
      for (let i = 0; i < m; i++) s += w[i] * y[t * m + i];
      return s;
    });
    const ep = Float64Array.from({ length: n }, (_, t) => {
      let s = 0;
      for (let i = 0; i < m; i++) s += w[i] * fit.residuals![t * m + i];
      return s;
    });
    const vr = sampleVariance(rp);
    expect(d.portfolio.systematicVariance + sampleVariance(ep)).toBeCloseTo(vr, 15);
    expect(Math.abs(d.portfolio.systematicVariance + sampleVariance(ep) - vr) / vr).toBeLessThan(1e-10);
    // the model's diagonal specific variance vs the realised one: independent residuals → close
    expect(Math.abs(d.portfolio.totalVariance - vr) / vr).toBeLessThan(0.05);
  });
});

describe('properties', () => {
  const arbCase = fc.record({
    seed: fc.integer({ min: 1, max: 1e6 }),
    m: fc.integer({ min: 2, max: 8 }),
    k: fc.integer({ min: 1, max: 4 }),
    scale: fc.double({ min: 0.1, max: 10, noNaN: true }),
  });

  function build(seed: number, m: number, k: number): VarianceDecompositionInput {
    const rng = new Rng(seed);
    const n = 30;
    const names = Array.from({ length: k }, (_, f) => `f${f}`);
    const frame = new Frame(
      syntheticCalendar(18000, n),
      names,
      names.map(() => Float64Array.from({ length: n }, () => rng.normal(0, 0.01))),
    );
    return {
      factors: frame,
      factorNames: names,
      assets: Array.from({ length: m }, (_, i) => `a${i}`),
      betas: Float64Array.from({ length: m * k }, () => rng.normal(0.5, 1)),
      specificVariance: Float64Array.from({ length: m }, () => rng.uniform(1e-5, 4e-4)),
      weights: Float64Array.from({ length: m }, () => rng.uniform(0.01, 1)),
    };
  }

  it('permuting assets changes nothing', () => {
    fc.assert(
      fc.property(arbCase, fc.integer(), ({ seed, m, k }, shuffleSeed) => {
        const base = build(seed, m, k);
        const rng = new Rng((Math.abs(shuffleSeed) % 1e6) + 1);
        const perm = Array.from({ length: m }, (_, i) => i);
        for (let i = m - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const betas = base.betas as Float64Array;
        const permuted: VarianceDecompositionInput = {
          ...base,
          assets: perm.map((i) => base.assets[i]),
          betas: Float64Array.from({ length: m * k }, (_, q) => betas[perm[Math.floor(q / k)] * k + (q % k)]),
          specificVariance: Float64Array.from(perm, (i) => base.specificVariance[i]),
          weights: Float64Array.from(perm, (i) => base.weights[i]),
        };
        const a = varianceDecomposition(base),
          b = varianceDecomposition(permuted);
        for (const part of ['portfolio', 'equalWeight'] as const) {
          expect(b[part].totalVariance).toBeCloseTo(a[part].totalVariance, 14);
          expect(b[part].specificVariance).toBeCloseTo(a[part].specificVariance, 15);
          for (const f of base.factorNames) expect(b[part].contributions[f]).toBeCloseTo(a[part].contributions[f], 14);
        }
        // the holdings table is permuted with the assets
        const i0 = perm[0];
        expect(b.portfolio.holdingsTable.assets[0]).toBe(`a${i0}`);
        expect(b.portfolio.holdingsTable.weightedExposures.f0[0]).toBe(a.portfolio.holdingsTable.weightedExposures.f0[i0]);
      }),
      { numRuns: 60 },
    );
  });

  it('scaling the weights by k scales variances by k² and leaves the shares (and the equal weight) unchanged', () => {
    fc.assert(
      fc.property(arbCase, ({ seed, m, k, scale }) => {
        const base = build(seed, m, k);
        const a = varianceDecomposition(base);
        const b = varianceDecomposition({ ...base, weights: Float64Array.from(base.weights, (v) => v * scale) });
        const rel = (x: number, y: number): number => Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);
        expect(rel(b.portfolio.totalVariance, scale * scale * a.portfolio.totalVariance)).toBeLessThan(1e-12);
        expect(rel(b.portfolio.specificVariance, scale * scale * a.portfolio.specificVariance)).toBeLessThan(1e-12);
        expect(b.portfolio.shares.specific).toBeCloseTo(a.portfolio.shares.specific, 12);
        for (const f of base.factorNames) expect(b.portfolio.shares.factors[f]).toBeCloseTo(a.portfolio.shares.factors[f], 12);
        expect(b.equalWeight.totalVariance).toBe(a.equalWeight.totalVariance);
        const s = b.portfolio.shares;
        expect(Object.values(s.factors).reduce((x, y) => x + y, 0) + s.specific).toBeCloseTo(1, 12);
      }),
      { numRuns: 60 },
    );
  });

  it('zero weights drop out: the same as removing those assets', () => {
    fc.assert(
      fc.property(arbCase, fc.integer({ min: 0, max: 7 }), ({ seed, m, k }, drop) => {
        const base = build(seed, m, k);
        const j = drop % m;
        const zeroed = varianceDecomposition({ ...base, weights: Float64Array.from(base.weights, (v, i) => (i === j ? 0 : v)) });
        const keep = base.assets.map((_, i) => i).filter((i) => i !== j);
        const betas = base.betas as Float64Array;
        const removed = varianceDecomposition({
          ...base,
          assets: keep.map((i) => base.assets[i]),
          betas: Float64Array.from(keep.flatMap((i) => Array.from(betas.subarray(i * k, (i + 1) * k)))),
          specificVariance: Float64Array.from(keep, (i) => base.specificVariance[i]),
          weights: Float64Array.from(keep, (i) => base.weights[i]),
        });
        for (const part of ['portfolio', 'equalWeight'] as const) {
          expect(zeroed[part].totalVariance).toBeCloseTo(removed[part].totalVariance, 15);
          expect(zeroed[part].holdings).toBe(m - 1);
          expect(zeroed[part].holdingsTable.assets).toEqual(removed[part].holdingsTable.assets);
        }
      }),
      { numRuns: 60 },
    );
  });
});
