import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarFromIso } from '../core/calendar.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { olsBatch } from '../stats/ols.js';
import { syntheticMarket } from '../synthetic/market.js';
import { exposureReportData, type ExposureReportInput } from './report.js';
import { varianceDecomposition } from './variance.js';

const DATES = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
const FACTORS = Frame.fromRecord(DATES, { f1: [1, 3, 2, 6], f2: [2, 0, 1, 1] });
const BASE: ExposureReportInput = {
  date: '2024-01-05',
  factors: FACTORS,
  factorNames: ['f1', 'f2'],
  assets: ['A', 'B', 'C'],
  betas: Float64Array.from([1, 0.5, 0.5, -1, 2, 1]),
  specificVariance: Float64Array.from([0.1, 0.2, 0.3]),
  weights: Float64Array.from([0.5, 0.3, 0.2]),
};

describe('exposureReportData on the hand case', () => {
  const r = exposureReportData(BASE);

  it('exposures on the date and the variance decomposition for both portfolios', () => {
    expect(r.kind).toBe('factor-exposure-report');
    expect(r.date).toBe('2024-01-05');
    expect(r.weightsDate).toBe('2024-01-05');
    expect(r.factors).toEqual(['f1', 'f2']);
    expect(r.exposures.portfolio.f1).toBeCloseTo(1.05, 14);
    expect(r.exposures.equalWeight.f2).toBeCloseTo(1 / 6, 14);
    expect(r.varianceDecomposition.portfolio.totalVariance).toBeCloseTo(5.005, 13);
    expect(r.varianceDecomposition.equalWeight.totalVariance).toBeCloseTo(278 / 45, 13);
    expect(r.varianceDecomposition.covariance.matrix[0][1]).toBeCloseTo(-2 / 3, 14);
    const d = varianceDecomposition({ ...BASE, weights: BASE.weights as Float64Array });
    const { holdingsTable, ...rest } = d.portfolio;
    expect(r.varianceDecomposition.portfolio).toEqual(rest);
    expect(r.holdings.portfolio).toEqual(holdingsTable);
    expect(r.coverage).toMatchObject({ holdings: 3, covered: 3, excluded: [] });
    expect(r.exposuresThroughTime).toEqual({ rolling: null, equalWeightRolling: null, fixedBetas: null });
  });

  it('weighted-exposure distributions: values, summary, KDE and histogram per factor', () => {
    expect(r.distributions.map((x) => x.factor)).toEqual(['f1', 'f2']);
    const f1 = r.distributions[0].portfolio;
    expect(f1.assets).toEqual(['A', 'B', 'C']);
    expect(f1.values).toEqual([0.5, 0.15, 0.4]);
    expect(f1.summary.mean).toBeCloseTo(1.05 / 3, 15);
    expect(f1.summary.min).toBe(0.15);
    expect(f1.summary.max).toBe(0.5);
    // sd of [0.5, 0.15, 0.4]: mean 0.35, ss = 0.0225 + 0.04 + 0.0025 = 0.065
    expect(f1.summary.sd).toBeCloseTo(Math.sqrt(0.065 / 2), 15);
    expect(f1.kde.bandwidth).toBeCloseTo(Math.pow(3, -0.2) * Math.sqrt(0.0325), 15);
    expect(f1.kde.x.length).toBe(200);
    expect(f1.histogram.values.reduce((a, b) => a + b, 0)).toBe(3);
    // equal weight: β/3
    expect(r.distributions[1].equalWeight.values[1]).toBeCloseTo(-1 / 3, 15);
  });

  it('top contributors per factor ranked by |w β|, with shares summing to one', () => {
    const f2 = r.topContributors.portfolio.f2;
    // w β for f2: A 0.25, B −0.3, C 0.2 → B, A, C
    expect(f2.map((c) => c.asset)).toEqual(['B', 'A', 'C']);
    expect(f2[0]).toMatchObject({ asset: 'B', weight: 0.3, beta: -1 });
    expect(f2[0].weightedExposure).toBeCloseTo(-0.3, 15);
    expect(f2[0].exposureShare).toBeCloseTo(-0.3 / 0.15, 13);
    // (Σb)_2 = −0.6: c_B = −0.3 · −0.6 = 0.18; c_f2 = −0.09
    expect(f2[0].varianceContribution).toBeCloseTo(0.18, 14);
    expect(f2[0].varianceShare).toBeCloseTo(-2, 13);
    expect(f2.reduce((a, c) => a + c.exposureShare, 0)).toBeCloseTo(1, 13);
    expect(f2.reduce((a, c) => a + c.varianceShare, 0)).toBeCloseTo(1, 13);
    expect(exposureReportData(BASE, { topN: 1 }).topContributors.portfolio.f1.map((c) => c.asset)).toEqual(['A']);
  });

  it('is plain JSON: a round trip gives the same data', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('exposureReportData with a weights panel and rolling exposures', () => {
  const wp = new Panel(
    calendarFromIso(['2024-01-02', '2024-01-04']),
    ['C', 'Z', 'A', 'B'],
    Float64Array.from([0.2, 0, 0.5, 0.3, 0.1, 0.1, 0.8, NaN]),
  );
  const rolling = Frame.fromRecord(calendarFromIso(['2024-01-04', '2024-01-05']), { f1: [1, NaN], f2: [0.5, 0.25] });

  it('uses the weights row on or before the date, passes rolling exposures through and gives fixed-beta exposures per row', () => {
    const r = exposureReportData({ ...BASE, date: '2024-01-03', weights: wp, rollingExposures: rolling });
    expect(r.weightsDate).toBe('2024-01-02');
    expect(r.varianceDecomposition.portfolio.totalVariance).toBeCloseTo(5.005, 13);
    expect(r.exposuresThroughTime.rolling).toEqual({ dates: ['2024-01-04', '2024-01-05'], columns: { f1: [1, null], f2: [0.5, 0.25] } });
    const fb = r.exposuresThroughTime.fixedBetas!;
    expect(fb.dates).toEqual(['2024-01-02', '2024-01-04']);
    expect(fb.columns.f1[0]).toBeCloseTo(1.05, 14);
    // row 2: A 0.8·1 + C 0.1·2 (Z unknown, B NaN)
    expect(fb.columns.f1[1]).toBeCloseTo(1.0, 14);
    expect(fb.columns.f2[1]).toBeCloseTo(0.8 * 0.5 + 0.1 * 1, 14);
    const later = exposureReportData({ ...BASE, date: '2024-01-05', weights: wp });
    expect(later.coverage.excluded).toEqual([{ asset: 'Z', weight: 0.1, reason: 'unknown-asset' }]);
    expect(later.coverage.coveredWeight).toBeCloseTo(0.9, 15);
  });

  it('bad input is reported', () => {
    expect(() => exposureReportData({ ...BASE, date: '2023-12-01', weights: wp })).toThrow(/no portfolio weights on or before 2023-12-01/);
    expect(() => exposureReportData({ ...BASE, date: 'yesterday' })).toThrow(/not an ISO date/);
    expect(() => exposureReportData({ ...BASE, weights: new Float64Array(3) })).toThrow(/holds nothing on 2024-01-05/);
    expect(() => exposureReportData(BASE, { topN: -1 })).toThrow(/topN/);
  });
});

describe('on a synthetic market with planted exposures', () => {
  it('the report built from an OLS fit shows the planted exposures of an equal-weight portfolio', () => {
    const mk = syntheticMarket({
      seed: 5,
      nAssets: 40,
      nDates: 1500,
      missingShare: 0,
      badTicks: 0,
      lateListingShare: 0,
      delistingShare: 0,
    });
    const factorNames = mk.factorReturns.columns.slice();
    const returns = mk.returns;
    const n = returns.nDates,
      m = returns.nAssets,
      k = factorNames.length;
    const x = new Float64Array(n * k);
    factorNames.forEach((f, g) => {
      const s = mk.factorReturns.get(f);
      for (let t = 0; t < n; t++) x[t * k + g] = s[t];
    });
    const rf = mk.rf;
    const y = Float64Array.from(returns.values, (v, q) => v - rf[Math.floor(q / m)]);
    const fit = olsBatch(y, n, m, x, k, { residuals: false });
    const betas = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let g = 0; g < k; g++) betas[i * k + g] = fit.coef[i * fit.p + 1 + g];
    const weights = new Float64Array(m).fill(1 / m);
    const r = exposureReportData({
      date: returns.isoDates()[n - 1],
      factors: mk.factorReturns,
      factorNames,
      assets: returns.assets,
      betas,
      specificVariance: Float64Array.from(fit.residualStd, (s) => s * s),
      weights,
    });
    // planted: the portfolio exposure is the mean of the planted betas, within 4 standard errors
    // of a mean of independent OLS estimates: sqrt(Σ_i se_if²) / m
    factorNames.forEach((f, g) => {
      let planted = 0,
        v = 0;
      for (let i = 0; i < m; i++) {
        planted += mk.truth.exposures[f][i] / m;
        v += (fit.se[i * fit.p + 1 + g] / m) ** 2;
      }
      expect(Math.sqrt(v)).toBeLessThan(0.05);
      expect(Math.abs(r.exposures.portfolio[f] - planted)).toBeLessThan(4 * Math.sqrt(v));
    });
    // an equal-weight portfolio is its own equal-weight combination
    expect(r.varianceDecomposition.equalWeight.totalVariance).toBeCloseTo(r.varianceDecomposition.portfolio.totalVariance, 15);
    // diversified: most of the variance is systematic
    expect(r.varianceDecomposition.portfolio.shares.systematic).toBeGreaterThan(0.8);
  });
});

describe('property: distributions and contributors are consistent with the decomposition', () => {
  it('Σ weighted exposures = b, Σ contributions = c_f for random weights', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), (w) => {
        fc.pre(w.some((v) => v !== 0));
        const r = exposureReportData({ ...BASE, weights: Float64Array.from(w) }, { topN: 3 });
        for (const f of ['f1', 'f2']) {
          const d = r.distributions.find((x) => x.factor === f)!.portfolio;
          expect(d.values.reduce((a, b) => a + b, 0)).toBeCloseTo(r.exposures.portfolio[f], 13);
          const sumC = r.topContributors.portfolio[f].reduce((a, c) => a + c.varianceContribution, 0);
          expect(sumC).toBeCloseTo(r.varianceDecomposition.portfolio.contributions[f], 13);
        }
      }),
    );
  });
});
