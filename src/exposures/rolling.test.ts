import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { excessReturns } from '../core/returns.js';
import { ols } from '../stats/ols.js';
import { rollingOls } from '../stats/rollingOls.js';
import { syntheticMarket } from '../synthetic/market.js';
import { ROLLING_BLOCK, defaultWeightsMaxAge, portfolioReturns, rollingPortfolioExposures, rollingRegression } from './rolling.js';

function isoDays(n: number, start = Date.UTC(2024, 0, 1)): string[] {
  return Array.from({ length: n }, (_, t) => new Date(start + t * 86400000).toISOString().slice(0, 10));
}

/** 3 assets that are exact linear functions of 2 factors: betas (1, 0.5), (2, −1), (−1, 0). */
function threeAssets(n: number): { returns: Panel; factors: Frame; betas: number[][] } {
  const dates = calendarFromIso(isoDays(n));
  const f1 = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.sin(t * 1.3));
  const f2 = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.cos(t * 0.7 + 1));
  const betas = [
    [1, 0.5],
    [2, -1],
    [-1, 0],
  ];
  const alphas = [0.001, -0.002, 0];
  const cols: Record<string, Float64Array> = {};
  ['A', 'B', 'C'].forEach((a, i) => {
    cols[a] = Float64Array.from({ length: n }, (_, t) => alphas[i] + betas[i][0] * f1[t] + betas[i][1] * f2[t]);
  });
  return { returns: Panel.fromColumns(dates, cols), factors: Frame.fromRecord(dates, { f1, f2 }), betas };
}

describe('rollingPortfolioExposures by hand on 3 assets', () => {
  const n = 30;
  const { returns, factors } = threeAssets(n);
  const wvals = new Float64Array(n * 3);
  for (let t = 0; t < n; t++) wvals.set(t < 20 ? [0.5, 0.3, 0.2] : [0.2, 0.2, 0.6], t * 3);
  const weights = new Panel(returns.dates, ['A', 'B', 'C'], wvals);

  it('exposure = Σ w·β, covered weight 1, all three assets used', () => {
    const r = rollingPortfolioExposures(returns, factors, weights, { window: 10 });
    expect(r.exposures.columns).toEqual(['f1', 'f2']);
    for (let t = 0; t < 9; t++) {
      expect(r.exposures.series[0][t]).toBeNaN();
      expect(r.coveredWeight[t]).toBe(0);
      expect(r.assetsUsed[t]).toBe(0);
    }
    // t = 15: 0.5·1 + 0.3·2 + 0.2·(−1) = 0.9 ; 0.5·0.5 + 0.3·(−1) + 0 = −0.05
    expect(r.exposures.series[0][15]).toBeCloseTo(0.9, 10);
    expect(r.exposures.series[1][15]).toBeCloseTo(-0.05, 10);
    // t = 25: 0.2·1 + 0.2·2 − 0.6 = 0 ; 0.1 − 0.2 = −0.1
    expect(r.exposures.series[0][25]).toBeCloseTo(0, 10);
    expect(r.exposures.series[1][25]).toBeCloseTo(-0.1, 10);
    expect(r.coveredWeight[15]).toBe(1);
    expect(r.assetsUsed[15]).toBe(3);
  });

  it('an asset without betas is excluded and reported; renormalize rescales to the gross weight', () => {
    const holes = returns.values.slice();
    for (let t = 8; t < 18; t++) holes[t * 3 + 2] = NaN; // C has < minObs in windows ending 12..20
    const r2 = new Panel(returns.dates, returns.assets, holes);
    const plain = rollingPortfolioExposures(r2, factors, weights, { window: 10, minObs: 5 });
    // window ending 15 holds rows 6..15: C has 2 observations -> no betas
    expect(plain.exposures.series[0][15]).toBeCloseTo(0.5 + 0.6, 10);
    expect(plain.coveredWeight[15]).toBeCloseTo(0.8, 15);
    expect(plain.assetsUsed[15]).toBe(2);
    const renorm = rollingPortfolioExposures(r2, factors, weights, { window: 10, minObs: 5, renormalize: true });
    expect(renorm.exposures.series[0][15]).toBeCloseTo(1.1 / 0.8, 10);
    // window ending 22 (rows 13..22): C has 5 observations (18..22) -> covered again
    expect(plain.coveredWeight[22]).toBe(1);
  });

  it('a weighted asset missing from the returns panel is uncovered', () => {
    const w4 = new Panel(
      returns.dates,
      ['A', 'B', 'C', 'ZZZ'],
      Float64Array.from({ length: n * 4 }, (_, i) => [0.4, 0.2, 0.2, -0.2][i % 4]),
    );
    const r = rollingPortfolioExposures(returns, factors, w4, { window: 10 });
    expect(r.coveredWeight[12]).toBeCloseTo(0.8, 15);
    expect(r.grossWeight[12]).toBeCloseTo(1, 15);
    expect(r.exposures.series[0][12]).toBeCloseTo(0.4 + 0.4 - 0.2, 10);
  });

  it('weights on fewer dates: NaN with weightsFill none, carried with ffill (the default) up to weightsMaxAge rows', () => {
    const iso = returns.isoDates();
    const monthly = new Panel(calendarFromIso([iso[10], iso[20]]), ['A', 'B', 'C'], Float64Array.of(1, 0, 0, 0, 0, 1));
    const strict = rollingPortfolioExposures(returns, factors, monthly, { window: 10, weightsFill: 'none' });
    expect(strict.exposures.series[0][10]).toBeCloseTo(1, 10);
    expect(strict.exposures.series[0][11]).toBeNaN();
    expect(strict.coveredWeight[11]).toBeNaN();
    const filled = rollingPortfolioExposures(returns, factors, monthly, { window: 10, weightsMaxAge: 9 });
    expect(filled.exposures.series[0][19]).toBeCloseTo(1, 10);
    expect(filled.exposures.series[1][19]).toBeCloseTo(0.5, 10);
    expect(filled.exposures.series[0][29]).toBeCloseTo(-1, 10);
    expect(filled.exposures.series[0][9]).toBeNaN(); // before the first rebalance: no weights
    // weights 9 rows old are used, 10 rows old are stale: no exposure, no covered weight
    const young = rollingPortfolioExposures(returns, factors, monthly, { window: 10, weightsMaxAge: 8 });
    expect(young.exposures.series[0][18]).toBeCloseTo(1, 10);
    expect(young.exposures.series[0][19]).toBeNaN();
    expect(young.coveredWeight[19]).toBeNaN();
    expect(young.exposures.series[0][28]).toBeCloseTo(-1, 10);
    expect(young.exposures.series[0][29]).toBeNaN();
    expect(() => rollingPortfolioExposures(returns, factors, monthly, { window: 10, weightsMaxAge: -1 })).toThrow(
      /weightsMaxAge must be a whole number/,
    );
    // weights dated years before the returns are stale from the first return date on
    const ancient = new Panel(calendarFromIso(['1990-01-31']), ['A', 'B', 'C'], Float64Array.of(1, 0, 0));
    const stale = rollingPortfolioExposures(returns, factors, ancient, { window: 10, weightsMaxAge: 1000 });
    expect(stale.coveredWeight.every((v) => Number.isNaN(v))).toBe(true);
    expect(stale.grossWeight.every((v) => Number.isNaN(v))).toBe(true);
  });

  it('defaultWeightsMaxAge: 1.5 weights periods in returns rows', () => {
    const days = (step: number, n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => 19_002 + step * i);
    const daily = Int32Array.from({ length: 600 }, (_, i) => 19_002 + Math.floor(i / 5) * 7 + (i % 5)); // weekdays from a Monday
    expect(defaultWeightsMaxAge(daily, days(30, 20))).toBe(32); // monthly weights, daily returns
    expect(defaultWeightsMaxAge(daily, days(7, 20))).toBe(8); // weekly
    expect(defaultWeightsMaxAge(daily, daily)).toBe(2);
    expect(defaultWeightsMaxAge(daily, days(1, 1))).toBe(252); // one date: a year of rows
    expect(defaultWeightsMaxAge(days(1, 1), daily)).toBe(1);
  });
});

describe('rollingPortfolioExposures equals Σ w·β of rollingOls across many blocks', () => {
  it(`${ROLLING_BLOCK * 2 + 37} assets with holes and random weights`, () => {
    const n = 60,
      m = ROLLING_BLOCK * 2 + 37,
      k = 2;
    let s = 7;
    const u = (): number => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    const dates = calendarFromIso(isoDays(n));
    const factors = Frame.fromRecord(dates, {
      a: Array.from({ length: n }, () => 0.02 * u()),
      b: Array.from({ length: n }, () => 0.02 * u()),
    });
    const vals = new Float64Array(n * m);
    for (let t = 0; t < n; t++)
      for (let j = 0; j < m; j++)
        vals[t * m + j] = u() < -0.45 ? NaN : (j % 5) * 0.3 * factors.series[0][t] - factors.series[1][t] + 0.01 * u();
    const assets = Array.from({ length: m }, (_, j) => `A${j}`);
    const returns = new Panel(dates, assets, vals);
    const wv = Float64Array.from({ length: n * m }, () => (u() < -0.4 ? NaN : u()));
    const weights = new Panel(dates, assets, wv);
    const r = rollingPortfolioExposures(returns, factors, weights, { window: 20 });
    const ro = rollingOls(
      returns.toAssetMajor(),
      n,
      m,
      Float64Array.from({ length: n * k }, (_, i) => factors.series[i % k][Math.floor(i / k)]),
      k,
      { window: 20 },
    );
    for (const t of [19, 35, 59]) {
      let e0 = 0,
        e1 = 0,
        cov = 0,
        tot = 0,
        used = 0;
      for (let j = 0; j < m; j++) {
        const w = wv[t * m + j];
        if (Number.isNaN(w)) continue;
        tot += Math.abs(w);
        const b0 = ro.coef[(j * 3 + 1) * n + t],
          b1 = ro.coef[(j * 3 + 2) * n + t];
        if (Number.isNaN(b0) || Number.isNaN(b1)) continue;
        e0 += w * b0;
        e1 += w * b1;
        cov += Math.abs(w);
        used++;
      }
      expect(r.exposures.series[0][t]).toBeCloseTo(e0, 10);
      expect(r.exposures.series[1][t]).toBeCloseTo(e1, 10);
      expect(r.coveredWeight[t]).toBeCloseTo(cov / tot, 12);
      expect(r.assetsUsed[t]).toBe(used);
    }
  });
});

describe('portfolioReturns timing: weights at t−1 earn returns at t', () => {
  const dates = calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']);
  const returns = new Panel(dates, ['A', 'B'], Float64Array.of(NaN, NaN, 0.01, 0.02, 0.03, NaN, -0.01, 0.05));
  const weights = new Panel(
    dates,
    ['A', 'B'],
    Float64Array.of(
      1,
      0,
      0.5,
      0.5,
      0,
      1,
      0.7,
      0.3, // never used: no row after it
    ),
  );
  it('by hand', () => {
    const p = portfolioReturns(returns, weights);
    expect(p.values[0]).toBeNaN();
    expect(p.values[1]).toBeCloseTo(0.01, 15); // w(0) = (1, 0)
    expect(p.values[2]).toBeCloseTo(0.5 * 0.03, 15); // w(1) = (.5,.5), B missing -> left out
    expect(p.coveredWeight[2]).toBe(0.5);
    expect(p.values[3]).toBeCloseTo(0.05, 15); // w(2) = (0, 1)
    const r = portfolioReturns(returns, weights, { renormalize: true });
    expect(r.values[2]).toBeCloseTo(0.03, 15);
  });
  it('a date where no held asset has a return has no portfolio return (NaN, not 0)', () => {
    // w(2) = (0, 1): only B is held into row 3; without B's return there the book's return is unknown
    const gap = new Panel(dates, ['A', 'B'], Float64Array.of(NaN, NaN, 0.01, 0.02, 0.03, NaN, -0.01, NaN));
    for (const renormalize of [false, true]) {
      const p = portfolioReturns(gap, weights, { renormalize });
      expect(p.values[3]).toBeNaN();
      expect(p.coveredWeight[3]).toBe(0);
      expect(p.values[1]).toBeCloseTo(0.01, 15);
    }
  });
  it('changing the weights on the last row changes nothing (no look-ahead)', () => {
    const w2 = new Panel(
      dates,
      ['A', 'B'],
      weights.values.map((v, i) => (i >= 6 ? 99 : v)),
    );
    expect(Array.from(portfolioReturns(returns, w2).values)).toEqual(Array.from(portfolioReturns(returns, weights).values));
  });
});

describe('portfolioReturns on returns that begin after the weights (a sample cut by --start)', () => {
  // weekday returns from 2024-01-02; weights dated 2023-12-29 (the session before) and 2024-01-04
  const dates = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
  const returns = new Panel(dates, ['A', 'B'], Float64Array.of(0.01, 0.03, 0.02, -0.01, 0.04, 0.05, -0.02, 0.01));
  const weights = new Panel(calendarFromIso(['2023-12-29', '2024-01-04']), ['A', 'B', 'Z'], Float64Array.of(0.6, 0.4, 0, 0.2, 0.3, 0.5));
  it('the first row is earned by the weights held before it (r_p(t) = Σ w(t−1)·r(t) there too)', () => {
    const p = portfolioReturns(returns, weights);
    expect(p.values[0]).toBeCloseTo(0.6 * 0.01 + 0.4 * 0.03, 15); // was NaN
    expect(p.coveredWeight[0]).toBe(1);
    expect(p.values[1]).toBeCloseTo(0.6 * 0.02 - 0.4 * 0.01, 15);
    expect(p.values[3]).toBeCloseTo(0.2 * -0.02 + 0.3 * 0.01, 15); // w(2024-01-04): Z (0.5) has no return
    expect(p.coveredWeight[3]).toBeCloseTo(0.5, 15);
    // the same as the series of the uncut returns, sliced
    const whole = new Panel(
      calendarFromIso(['2023-12-29', ...['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']]),
      ['A', 'B'],
      Float64Array.of(NaN, NaN, ...returns.values),
    );
    expect(Array.from(portfolioReturns(whole, weights).values.subarray(1))).toEqual(Array.from(p.values));
  });
  it('weights stale before the first row, or no fill, leave it NaN', () => {
    expect(portfolioReturns(returns, weights, { weightsMaxAge: 0 }).values[0]).toBeNaN();
    expect(portfolioReturns(returns, weights, { weightsFill: 'none' }).values[0]).toBeNaN();
    const old = new Panel(calendarFromIso(['2023-06-30']), ['A', 'B'], Float64Array.of(0.5, 0.5));
    expect(portfolioReturns(returns, old).values[0]).toBeCloseTo(0.02, 15); // one date: held a year of rows
    expect(portfolioReturns(returns, old, { weightsMaxAge: 100 }).values[0]).toBeNaN(); // about 128 rows old
  });
});

describe('rollingRegression', () => {
  it('matches ols on each window and accepts a dated series', () => {
    const { returns, factors } = threeAssets(40);
    const y = returns.column('B').map((v, t) => v + 0.003 * Math.sin(5 * t));
    const fr = rollingRegression(y, factors, { window: 15 });
    expect(fr.columns).toEqual(['const', 'f1', 'f2', 'r2', 'residual_std', 'nobs']);
    for (const t of [14, 27, 39]) {
      const x = new Float64Array(30);
      for (let s = 0; s < 15; s++) {
        x[2 * s] = factors.series[0][t - 14 + s];
        x[2 * s + 1] = factors.series[1][t - 14 + s];
      }
      const o = ols(y.subarray(t - 14, t + 1), x, 2);
      expect(fr.get('f1')[t]).toBeCloseTo(o.coef[1], 10);
      expect(fr.get('const')[t]).toBeCloseTo(o.coef[0], 12);
      expect(fr.get('r2')[t]).toBeCloseTo(o.r2!, 10);
      expect(fr.get('nobs')[t]).toBe(15);
    }
    const dated = rollingRegression({ dates: factors.dates, values: y }, factors, { window: 15 });
    expect(Array.from(dated.get('f2'))).toEqual(Array.from(fr.get('f2')));
  });
  it('rolling regression of the portfolio return series of the 3 exact assets recovers the weighted betas', () => {
    const { returns, factors } = threeAssets(40);
    const w = new Panel(
      returns.dates,
      ['A', 'B', 'C'],
      Float64Array.from({ length: 120 }, (_, i) => [0.5, 0.3, 0.2][i % 3]),
    );
    const pr = portfolioReturns(returns, w);
    const fr = rollingRegression(pr, factors, { window: 15 });
    expect(fr.get('f1')[39]).toBeCloseTo(0.9, 10);
    expect(fr.get('f2')[39]).toBeCloseTo(-0.05, 10);
  });
});

describe('planted exposures of the synthetic market are recovered by rolling windows', () => {
  it('per-asset average rolling beta is close to the planted beta; the equal-weight exposure to the mean', () => {
    const mk = syntheticMarket({ seed: 5, nAssets: 40, nDates: 2016, missingShare: 0.02 });
    const ex = excessReturns(mk.returns, mk.rf);
    const names = mk.factorReturns.columns;
    const k = names.length,
      n = ex.nDates,
      m = ex.nAssets;
    const x = new Float64Array(n * k);
    for (let t = 0; t < n; t++) for (let f = 0; f < k; f++) x[t * k + f] = mk.factorReturns.series[f][t];
    const ro = rollingOls(ex.toAssetMajor(), n, m, x, k, { window: 252 });
    // Non-overlapping windows (ends 251, 503, ...) give independent estimates: their mean should sit
    // within a few standard errors (spread across windows / sqrt(count)) of the planted beta.
    let within = 0,
      pairs = 0,
      sumZ2 = 0;
    for (let j = 0; j < m; j++) {
      for (let f = 0; f < k; f++) {
        const est: number[] = [];
        for (let t = 251; t < n; t += 252) {
          const b = ro.coef[(j * (k + 1) + 1 + f) * n + t];
          if (!Number.isNaN(b)) est.push(b);
        }
        if (est.length < 5) continue;
        const mean = est.reduce((p, q) => p + q, 0) / est.length;
        const sd = Math.sqrt(est.reduce((p, q) => p + (q - mean) ** 2, 0) / (est.length - 1));
        const z = (mean - mk.truth.exposures[names[f]][j]) / (sd / Math.sqrt(est.length));
        pairs++;
        sumZ2 += z * z;
        if (Math.abs(z) < 3.5) within++;
      }
    }
    expect(pairs).toBeGreaterThan(200);
    // |t_7| < 3.5 has probability 0.99; E[t_7²] = 7/5
    expect(within / pairs).toBeGreaterThan(0.95);
    expect(sumZ2 / pairs).toBeGreaterThan(0.7);
    expect(sumZ2 / pairs).toBeLessThan(2.2);
    const w = new Panel(ex.dates, ex.assets, new Float64Array(n * m).fill(1 / m));
    const r = rollingPortfolioExposures(ex, mk.factorReturns, w, { window: 252, renormalize: true });
    const mkt = mk.truth.exposures[names[0]];
    const truthMean = mkt.reduce((a, b) => a + b, 0) / m;
    let s = 0,
      c = 0;
    for (let t = 251; t < n; t++) {
      const v = r.exposures.series[0][t];
      if (!Number.isNaN(v)) {
        s += v;
        c++;
      }
    }
    expect(Math.abs(s / c - truthMean)).toBeLessThan(0.03);
  });
});
