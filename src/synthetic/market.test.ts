import fc from 'fast-check';
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix, inverse, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { dayOfWeek, formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { syntheticCalendar } from './calendar.js';
import { DEFAULT_FACTORS, FACTOR_SPECS, factorModel, factorPairCorrelation } from './factors.js';
import { GICS_SECTORS, type SyntheticMarket, signalConstants, syntheticMarket } from './market.js';

/** Pearson correlation over the positions where both values are present (NaN if < 3). */
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++)
    if (x[i] === x[i] && y[i] === y[i]) {
      n++;
      sx += x[i];
      sy += y[i];
    }
  if (n < 3) return NaN;
  const mx = sx / n,
    my = sy / n;
  let cxy = 0,
    cxx = 0,
    cyy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] === x[i] && y[i] === y[i])) continue;
    cxy += (x[i] - mx) * (y[i] - my);
    cxx += (x[i] - mx) ** 2;
    cyy += (y[i] - my) ** 2;
  }
  return cxy / Math.sqrt(cxx * cyy);
}

function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, sd };
}

/** Per-date ICs of the signal against `p_{t+h}/p_t - 1`, computed here from the prices. */
function dailyICs(mk: SyntheticMarket, h: number, step = 1): number[] {
  const n = mk.dates.length,
    m = mk.assets.length,
    p = mk.prices.values;
  const out: number[] = [];
  const fwd = new Float64Array(m);
  for (let t = 0; t + h < n; t += step) {
    for (let j = 0; j < m; j++) fwd[j] = p[(t + h) * m + j] / p[t * m + j] - 1;
    const ic = pearson(mk.signal.row(t), fwd);
    if (ic === ic) out.push(ic);
  }
  return out;
}

/** Index of the first byte where two arrays differ (-1 when bit-identical, -2 on a length mismatch). */
function firstDifference(a: Float64Array | Int32Array, b: Float64Array | Int32Array): number {
  if (a.byteLength !== b.byteLength) return -2;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
const same = (a: Float64Array | Int32Array, b: Float64Array | Int32Array): void => expect(firstDifference(a, b)).toBe(-1);
const differ = (a: Float64Array | Int32Array, b: Float64Array | Int32Array): void =>
  expect(firstDifference(a, b)).toBeGreaterThanOrEqual(0);

describe('syntheticMarket defaults', () => {
  const mk = syntheticMarket();

  it('has the documented shape: 756 weekdays from 2018-01-02, 300 assets, six factors', () => {
    expect(mk.dates.length).toBe(756);
    expect(mk.assets.length).toBe(300);
    expect(mk.assets.slice(0, 2)).toEqual(['A001', 'A002']);
    expect(formatIsoDate(mk.dates[0])).toBe('2018-01-02');
    expect(mk.prices.isoDates().slice(0, 5)).toEqual(['2018-01-02', '2018-01-03', '2018-01-04', '2018-01-05', '2018-01-08']);
    for (const d of mk.dates) expect(dayOfWeek(d)).toBeLessThan(5);
    const iso = mk.prices.isoDates();
    for (const hol of ['2018-07-04', '2018-12-25', '2019-01-01', '2019-07-04', '2019-12-25', '2020-01-01']) expect(iso).not.toContain(hol);
    expect(iso).toContain('2018-07-05');
    expect(mk.factorReturns.columns).toEqual(['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom']);
    expect(mk.rf.length).toBe(756);
    for (const p of [mk.prices, mk.returns, mk.signal]) {
      expect(p.nDates).toBe(756);
      expect(p.assets).toEqual(mk.assets);
    }
    expect(Object.keys(mk.truth.exposures)).toEqual([...DEFAULT_FACTORS]);
    expect(mk.truth.alpha.length).toBe(300);
    expect(mk.truth.idioVol.length).toBe(300);
    expect(mk.truth.badTicks).toEqual([]);
  });

  it('golden values for seed 42 (an accidental change to the generator fails here)', () => {
    // Bit-identical on V8; these use Math.log through the normals (see random.ts).
    expect(mk.factorReturns.get('mkt_rf')[0]).toBe(0.009305787592603944);
    expect(mk.factorReturns.get('mom')[755]).toBe(0.003382437133684552);
    expect(mk.rf[100]).toBe(0.00008241023450805881);
    expect(mk.prices.at(0, 0)).toBe(187.18);
    expect(mk.prices.at(755, 299)).toBe(76.98075616573745);
    expect(mk.prices.at(500, 17)).toBe(83.60853241826051);
    expect(mk.returns.at(500, 17)).toBe(0.010712914213240943);
    expect(mk.signal.at(10, 7)).toBe(0.2685746537942248);
    expect(mk.truth.alpha[3]).toBe(0.000008817836920763502);
    expect(mk.truth.exposures.hml[5]).toBe(-0.08135001067339165);
    expect(mk.sectors.A006).toBe('Energy');
    expect(Array.from(mk.truth.missing.slice(0, 3))).toEqual([182, 376, 448]);
  });

  it('is deterministic: the same seed gives bit-identical arrays', () => {
    const again = syntheticMarket();
    same(again.prices.values, mk.prices.values);
    same(again.returns.values, mk.returns.values);
    same(again.signal.values, mk.signal.values);
    same(again.rf, mk.rf);
    again.factorReturns.series.forEach((s, k) => same(s, mk.factorReturns.series[k]));
    same(again.truth.alpha, mk.truth.alpha);
    expect(again.sectors).toEqual(mk.sectors);
    expect(again.truth.listing).toEqual(mk.truth.listing);
  });

  it('a different seed gives different data', () => {
    const other = syntheticMarket({ seed: 43 });
    differ(other.prices.values, mk.prices.values);
    differ(other.factorReturns.series[0], mk.factorReturns.series[0]);
    differ(other.signal.values, mk.signal.values);
  });

  it('each part has its own stream: changing the missing share or bad ticks leaves the rest unchanged', () => {
    const other = syntheticMarket({ missingShare: 0.05, badTicks: 3 });
    same(other.factorReturns.series[2], mk.factorReturns.series[2]);
    same(other.signal.values, mk.signal.values);
    same(other.rf, mk.rf);
    expect(other.truth.listing).toEqual(mk.truth.listing);
  });

  it('has exactly round(share * listed cells) missing cells and the documented listing counts', () => {
    const { first, last } = mk.truth.listing;
    const n = 756,
      m = 300;
    expect(first.filter((f) => f > 0).length).toBe(30); // round(0.1 * 300)
    expect(last.filter((l) => l < n - 1).length).toBe(15); // round(0.05 * 300)
    let listed = 0;
    for (let j = 0; j < m; j++) {
      expect(first[j]).toBeLessThanOrEqual(last[j]);
      listed += last[j] - first[j] + 1;
    }
    expect(mk.truth.missing.length).toBe(Math.round(0.01 * listed));
    // NaN exactly outside listing windows and at the missing cells.
    const isMissing = new Uint8Array(n * m);
    for (const c of mk.truth.missing) isMissing[c] = 1;
    let nan = 0,
      wrongPrice = 0,
      wrongSignal = 0,
      notPositive = 0;
    for (let t = 0; t < n; t++) {
      for (let j = 0; j < m; j++) {
        const listedHere = t >= first[j] && t <= last[j];
        const p = mk.prices.at(t, j),
          s = mk.signal.at(t, j);
        if (p !== p) nan++;
        if ((p === p) !== (listedHere && isMissing[t * m + j] === 0)) wrongPrice++;
        if ((s === s) !== listedHere) wrongSignal++;
        if (p === p && !(p > 0 && Number.isFinite(p))) notPositive++;
      }
    }
    expect([wrongPrice, wrongSignal, notPositive]).toEqual([0, 0, 0]);
    expect(nan).toBe(n * m - listed + mk.truth.missing.length);
  });

  it('returns are p_t / p_{t-1} - 1, NaN where either price is missing', () => {
    let wrong = 0,
      present = 0;
    for (let t = 0; t < 756; t++) {
      for (let j = 0; j < 300; j++) {
        const r = mk.returns.at(t, j);
        const expected = t === 0 ? NaN : mk.prices.at(t, j) / mk.prices.at(t - 1, j) - 1;
        if (!Object.is(r, expected)) wrong++;
        if (r === r) present++;
      }
    }
    expect(wrong).toBe(0);
    expect(present).toBeGreaterThan(0.8 * 755 * 300);
  });

  it('sectors are the first 10 GICS sectors, balanced to within one asset', () => {
    const counts = new Map<string, number>();
    for (const a of mk.assets) counts.set(mk.sectors[a], (counts.get(mk.sectors[a]) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(GICS_SECTORS.slice(0, 10).slice().sort());
    for (const c of counts.values()) expect(c).toBe(30);
  });

  it('the risk-free rate is ~2% a year and slowly varying', () => {
    const annual = Array.from(mk.rf, (r) => r * 252);
    for (const a of annual) expect(a >= 0 && a < 0.05).toBe(true);
    expect(Math.abs(meanSd(annual).mean - 0.02)).toBeLessThan(0.01);
    for (let t = 1; t < annual.length; t++) expect(Math.abs(annual[t] - annual[t - 1])).toBeLessThan(0.0003 * 6);
  });

  it('exposures look like the documented ones (market ~1 +- 0.3, others ~0 +- 0.45)', () => {
    const mkt = meanSd(Array.from(mk.truth.exposures.mkt_rf));
    expect(Math.abs(mkt.mean - 1)).toBeLessThan(0.1);
    expect(mkt.sd).toBeGreaterThan(0.2);
    expect(mkt.sd).toBeLessThan(0.4);
    for (const f of ['smb', 'hml', 'rmw', 'cma', 'mom']) {
      const s = meanSd(Array.from(mk.truth.exposures[f]));
      expect(Math.abs(s.mean)).toBeLessThan(0.25);
      expect(s.sd).toBeGreaterThan(0.3);
      expect(s.sd).toBeLessThan(0.6);
    }
    for (const v of mk.truth.idioVol) {
      expect(v * Math.sqrt(252)).toBeGreaterThanOrEqual(0.2);
      expect(v * Math.sqrt(252)).toBeLessThan(0.4);
    }
  });
});

describe('the return model holds exactly as documented', () => {
  it('r_it - rf_t - alpha_i - beta_i f_t - kappa_t s_{t-1,i} is N(0, idioVol_i^2)', () => {
    const mk = syntheticMarket({ seed: 5, nAssets: 40, nDates: 2000, missingShare: 0, lateListingShare: 0, delistingShare: 0 });
    const n = 2000,
      m = 40,
      K = 6;
    const f = mk.factorReturns.series;
    let pooled = 0,
      count = 0;
    for (let j = 0; j < m; j++) {
      let ss = 0;
      for (let t = 1; t < n; t++) {
        let e = mk.returns.at(t, j) - mk.rf[t] - mk.truth.alpha[j] - mk.truth.signalLoading[t] * mk.signal.at(t - 1, j);
        for (let k = 0; k < K; k++) e -= mk.truth.exposures[DEFAULT_FACTORS[k]][j] * f[k][t];
        const zs = e / mk.truth.idioVol[j];
        ss += zs * zs;
      }
      // Per asset: the standardised residual's variance is 1 within 5 standard errors (sqrt(2/n)).
      expect(Math.abs(ss / (n - 1) - 1)).toBeLessThan(5 * Math.sqrt(2 / (n - 1)));
      pooled += ss;
      count += n - 1;
    }
    expect(Math.abs(pooled / count - 1)).toBeLessThan(4 * Math.sqrt(2 / count));
  });
});

describe('planted exposures are recovered by OLS (ml-matrix)', () => {
  it('estimated betas are within 4 standard errors of the planted ones for (nearly) all coefficients', () => {
    const mk = syntheticMarket({ seed: 11, nAssets: 60, nDates: 756 });
    const K = DEFAULT_FACTORS.length;
    const f = mk.factorReturns.series;
    let total = 0,
      within4 = 0,
      within2 = 0;
    for (let j = 0; j < 60; j++) {
      const rows: number[][] = [],
        ys: number[] = [];
      for (let t = 1; t < 756; t++) {
        const r = mk.returns.at(t, j);
        if (r !== r) continue;
        rows.push([1, ...Array.from({ length: K }, (_, k) => f[k][t])]);
        ys.push(r - mk.rf[t]);
      }
      const X = new Matrix(rows),
        y = Matrix.columnVector(ys);
      const b = solve(X, y); // QR least squares
      const resid = y.clone().sub(X.mmul(b));
      const dof = rows.length - (K + 1);
      const s2 = resid.to1DArray().reduce((a, v) => a + v * v, 0) / dof;
      const cov = inverse(X.transpose().mmul(X)).mul(s2);
      for (let k = 0; k < K; k++) {
        const se = Math.sqrt(cov.get(k + 1, k + 1));
        const z = (b.get(k + 1, 0) - mk.truth.exposures[DEFAULT_FACTORS[k]][j]) / se;
        total++;
        if (Math.abs(z) < 4) within4++;
        if (Math.abs(z) < 2) within2++;
      }
    }
    expect(total).toBe(360);
    expect(within4 / total).toBeGreaterThanOrEqual(0.99);
    // And the standard errors are honest: ~95.4% of |z| < 2 (binomial sd ~1.1%).
    expect(within2 / total).toBeGreaterThan(0.9);
    expect(within2 / total).toBeLessThan(0.995);
  });
});

describe('factor returns have the target moments', () => {
  const n = 20_000;
  const mk = syntheticMarket({ seed: 3, nAssets: 2, nDates: n });
  const names = DEFAULT_FACTORS;

  it('annualised vols and means are within 4 standard errors of the targets', () => {
    for (const name of names) {
      const s = meanSd(Array.from(mk.factorReturns.get(name)));
      const vol = FACTOR_SPECS[name].vol / Math.sqrt(252);
      expect(Math.abs(s.sd - vol)).toBeLessThan((4 * vol) / Math.sqrt(2 * n));
      expect(Math.abs(s.mean - FACTOR_SPECS[name].premium / 252)).toBeLessThan((4 * vol) / Math.sqrt(n));
    }
  });

  it('correlations are within 4 standard errors ((1 - rho^2) / sqrt(n)) of the targets', () => {
    for (const a of names) {
      for (const b of names) {
        if (a >= b) continue;
        const target = factorPairCorrelation(a, b);
        const r = pearson(mk.factorReturns.get(a), mk.factorReturns.get(b));
        expect(Math.abs(r - target)).toBeLessThan((4 * (1 - target ** 2)) / Math.sqrt(n));
      }
    }
    expect(factorPairCorrelation('hml', 'cma')).toBe(0.6);
    expect(factorPairCorrelation('smb', 'mkt_rf')).toBe(0.2);
    expect(factorPairCorrelation('mom', 'hml')).toBe(-0.3);
  });

  it('the correlation matrix is positive definite and its Cholesky factor matches ml-matrix', () => {
    const model = factorModel(names);
    const K = names.length;
    const C = new Matrix(Array.from({ length: K }, (_, i) => Array.from(model.correlation.slice(i * K, (i + 1) * K))));
    const ours = new Matrix(Array.from({ length: K }, (_, i) => Array.from(model.cholesky.slice(i * K, (i + 1) * K))));
    const ref = new CholeskyDecomposition(C);
    expect(ref.isPositiveDefinite()).toBe(true);
    const L = ref.lowerTriangularMatrix;
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) expect(ours.get(i, j)).toBeCloseTo(L.get(i, j), 14);
    expect(Math.min(...new EigenvalueDecomposition(C).realEigenvalues)).toBeGreaterThan(0.05);
    const back = ours.mmul(ours.transpose());
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) expect(back.get(i, j)).toBeCloseTo(C.get(i, j), 14);
  });

  it('an unknown factor name is an InputError listing the known ones (it got vol 10% and premium 0 silently)', () => {
    expect(() => syntheticMarket({ seed: 4, nAssets: 2, nDates: 20, factors: ['mkt_rf', 'quality'] })).toThrow(
      'factor "quality" is not a factor the synthetic market knows',
    );
    expect(() => factorModel(['Mkt-RF'])).toThrow(/the factors are mkt_rf, smb, hml, rmw, cma, mom/);
    expect(Object.keys(syntheticMarket({ seed: 4, nAssets: 2, nDates: 20, factors: ['mom', 'smb'] }).truth.exposures)).toEqual([
      'mom',
      'smb',
    ]);
  });
});

describe('the planted signal has the promised IC', () => {
  it('h = 1: mean daily IC is signalIC within 4 standard errors; the per-date sd is ~1/sqrt(n)', () => {
    const mk = syntheticMarket({ seed: 21, nAssets: 500, nDates: 1500 });
    const ics = dailyICs(mk, 1);
    const { mean, sd } = meanSd(ics);
    const se = sd / Math.sqrt(ics.length);
    expect(se).toBeLessThan(0.0015);
    expect(Math.abs(mean - 0.05)).toBeLessThan(4 * se);
    // Each date's IC has sd ~ (1 - IC^2) / sqrt(n - 1) with n ~ 490 present assets.
    expect(sd).toBeGreaterThan((0.8 * (1 - 0.05 ** 2)) / Math.sqrt(500));
    expect(sd).toBeLessThan((1.2 * (1 - 0.05 ** 2)) / Math.sqrt(450));
  });

  it('h = 1 with a negative IC and with zero IC', () => {
    for (const ic of [-0.08, 0]) {
      const mk = syntheticMarket({ seed: 22, nAssets: 400, nDates: 1000, signalIC: ic });
      const ics = dailyICs(mk, 1);
      const { mean, sd } = meanSd(ics);
      expect(Math.abs(mean - ic)).toBeLessThan((4 * sd) / Math.sqrt(ics.length));
    }
  });

  it('h = 5: the mean IC against 5-row forward returns (non-overlapping dates) is signalIC', () => {
    const mk = syntheticMarket({ seed: 23, nAssets: 500, nDates: 2500, signalHorizon: 5, signalIC: 0.06 });
    const ics = dailyICs(mk, 5, 5);
    const { mean, sd } = meanSd(ics);
    const se = sd / Math.sqrt(ics.length);
    expect(se).toBeLessThan(0.003);
    expect(Math.abs(mean - 0.06)).toBeLessThan(4 * se);
    expect(mk.truth.signalHorizon).toBe(5);
  });

  it('the signal is standard normal across assets with the documented autocorrelation', () => {
    const mk = syntheticMarket({ seed: 24, nAssets: 300, nDates: 500, lateListingShare: 0, delistingShare: 0 });
    const all = Array.from(mk.signal.values);
    const s = meanSd(all);
    expect(Math.abs(s.mean)).toBeLessThan(0.05);
    expect(Math.abs(s.sd - 1)).toBeLessThan(0.05);
    const lag: number[] = [];
    for (let t = 1; t < 500; t++) lag.push(pearson(mk.signal.row(t), mk.signal.row(t - 1)));
    expect(Math.abs(meanSd(lag).mean - 0.95)).toBeLessThan(0.01);
  });

  it('signalConstants: k = c / sqrt(1 - c^2) for h = 1; corr formula holds for h > 1', () => {
    expect(signalConstants(1, 0.95, 0.05).k).toBeCloseTo(0.05 / Math.sqrt(1 - 0.0025), 15);
    const h = 3,
      rho = 0.9,
      c = 0.1;
    const { A, B, k, maxIC } = signalConstants(h, rho, c);
    expect(B).toBeCloseTo(1 + 0.9 + 0.81, 14);
    expect(A).toBeCloseTo(3 + 2 * (2 * 0.9 + 1 * 0.81), 14);
    expect((k * B) / Math.sqrt(k * k * A + h)).toBeCloseTo(c, 14);
    expect(maxIC).toBeCloseTo(B / Math.sqrt(A), 15);
  });
});

describe('bad ticks', () => {
  it('appear exactly where truth.badTicks says, as the clean price / 10', () => {
    const clean = syntheticMarket({ seed: 31, nAssets: 50, nDates: 300 });
    const dirty = syntheticMarket({ seed: 31, nAssets: 50, nDates: 300, badTicks: 25 });
    expect(dirty.truth.badTicks.length).toBe(25);
    const expected = new Set(dirty.truth.badTicks.map((b) => `${b.date}|${b.asset}`));
    expect(expected.size).toBe(25);
    const iso = dirty.prices.isoDates();
    const found = new Set<string>();
    for (let t = 0; t < 300; t++) {
      for (let j = 0; j < 50; j++) {
        const a = clean.prices.at(t, j),
          b = dirty.prices.at(t, j);
        if (Object.is(a, b)) continue;
        found.add(`${iso[t]}|${dirty.assets[j]}`);
        expect(b).toBe(a / 10);
        // The day's return is ~ -90% and the next day's ~ +900%.
        expect(dirty.returns.at(t, j)).toBeLessThan(-0.8);
        expect(dirty.returns.at(t + 1, j)).toBeGreaterThan(7);
      }
    }
    expect(found).toEqual(expected);
    // Sorted by date, then asset.
    const keys = dirty.truth.badTicks.map((b) => `${b.date}|${b.asset}`);
    expect(keys).toEqual(keys.slice().sort());
  });

  it('asking for more bad ticks than fit is an InputError', () => {
    expect(() => syntheticMarket({ nAssets: 1, nDates: 4, badTicks: 5, missingShare: 0 })).toThrow(InputError);
  });
});

describe('options', () => {
  it('start on a Saturday before Christmas skips to Monday and skips the 25th', () => {
    const mk = syntheticMarket({ start: '2018-12-22', nAssets: 3, nDates: 4 });
    expect(mk.prices.isoDates()).toEqual(['2018-12-24', '2018-12-26', '2018-12-27', '2018-12-28']);
    const noHolidays = syntheticCalendar(mk.dates[0], 2, false);
    expect(Array.from(noHolidays, formatIsoDate)).toEqual(['2018-12-24', '2018-12-25']);
  });

  it('nSectors picks the first GICS sectors', () => {
    const mk = syntheticMarket({ nAssets: 30, nDates: 5, nSectors: 3 });
    expect(new Set(Object.values(mk.sectors))).toEqual(new Set(['Energy', 'Materials', 'Industrials']));
  });

  it('bad options are InputErrors naming the option', () => {
    const bad: [string, Parameters<typeof syntheticMarket>[0]][] = [
      ['nAssets', { nAssets: 0 }],
      ['nDates', { nDates: 1 }],
      ['nDates', { nDates: 2.5 }],
      ['start', { start: '2018-02-30' }],
      ['nSectors', { nSectors: 12 }],
      ['missingShare', { missingShare: 1 }],
      ['lateListingShare', { lateListingShare: -0.1 }],
      ['lateListingShare + delistingShare', { lateListingShare: 0.7, delistingShare: 0.5 }],
      ['signalIC', { signalIC: 1 }],
      ['signalHorizon', { signalHorizon: 0 }],
      ['signalAutocorrelation', { signalAutocorrelation: 1 }],
      ['badTicks', { badTicks: -1 }],
      ['seed', { seed: 0.5 }],
      ['factor', { factors: ['smb', 'smb'] }],
    ];
    for (const [name, options] of bad) {
      let err: unknown;
      try {
        syntheticMarket(options);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(InputError);
      expect((err as Error).message).toContain(name);
    }
  });
});

describe('property: small random option sets give consistent output (fast-check)', () => {
  it('shapes agree, data exists exactly where the truth says, nothing is infinite', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          nAssets: fc.integer({ min: 1, max: 20 }),
          nDates: fc.integer({ min: 2, max: 60 }),
          missingShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
          lateListingShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
          delistingShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
          signalIC: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
          nSectors: fc.integer({ min: 1, max: 11 }),
        }),
        (o) => {
          const mk = syntheticMarket(o);
          const n = o.nDates,
            m = o.nAssets;
          expect(mk.dates.length).toBe(n);
          expect(mk.assets.length).toBe(m);
          expect(new Set(mk.assets).size).toBe(m);
          expect(mk.prices.values.length).toBe(n * m);
          expect(mk.returns.values.length).toBe(n * m);
          expect(mk.signal.values.length).toBe(n * m);
          expect(mk.rf.length).toBe(n);
          expect(mk.factorReturns.nDates).toBe(n);
          expect(Object.keys(mk.sectors).length).toBe(m);
          for (const k of DEFAULT_FACTORS) expect(mk.truth.exposures[k].length).toBe(m);
          const { first, last } = mk.truth.listing;
          expect(first.length).toBe(m);
          expect(first.filter((x) => x > 0).length).toBe(Math.round(o.lateListingShare * m));
          const isMissing = new Set(mk.truth.missing);
          let bad = 0;
          for (let t = 0; t < n; t++) {
            if (!Number.isFinite(mk.rf[t])) bad++;
            for (const s of mk.factorReturns.series) if (!Number.isFinite(s[t])) bad++;
            for (let j = 0; j < m; j++) {
              if (!(first[j] <= last[j] && first[j] >= 0 && last[j] <= n - 1)) bad++;
              const listed = t >= first[j] && t <= last[j];
              const present = listed && !isMissing.has(t * m + j);
              const p = mk.prices.at(t, j),
                r = mk.returns.at(t, j),
                s = mk.signal.at(t, j);
              if ((p === p) !== present || (present && !(Number.isFinite(p) && p > 0))) bad++;
              if ((s === s) !== listed || (listed && !Number.isFinite(s))) bad++;
              const rPresent = t > 0 && present && mk.prices.at(t - 1, j) === mk.prices.at(t - 1, j);
              if ((r === r) !== rPresent || (rPresent && !Number.isFinite(r))) bad++;
            }
          }
          expect(bad).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
