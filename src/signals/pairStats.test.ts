import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Panel } from '../core/panel.js';
import { createCorrelationScratch } from '../stats/correlation.js';
import { informationCoefficientRows } from './ic.js';
import { createPairMoments, factorWeightedOfMoments, gatherPairs, pairMoments, pearsonOfMoments } from './pairMoments.js';
import { createPerDateStatistics, perDateStatistics, type AnalyzeOptions, type HorizonRows } from './analyze.js';
import type { DataLoss } from './dataLoss.js';
import type { FactorData } from './factorData.js';
import { createQuantileMeanRows, factorWeightedRows, quantileMeanRows, quantileMeansOfPairs, type QuantileLabels } from './quantiles.js';
import { pairPass, pairPassJoint } from './pairStats.js';
import type { ReturnsOrderOfRows } from './forwardOrder.js';
import type { PairSample } from './statistic.js';
import { rowLessCounts, rowRanks } from '../stats/ranks.js';
import { regressionRows, simpleRegression, type RegressionOptions, type RegressionRowsOutput } from './regression.js';

const days = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => 18000 + i);
const names = (m: number): string[] => Array.from({ length: m }, (_, j) => `A${j}`);
const nan = (n: number): Float64Array => new Float64Array(n).fill(NaN);
const regOut = (n: number): RegressionRowsOutput => ({
  factorReturn: nan(n),
  t: nan(n),
  se: nan(n),
  r2: nan(n),
  n: new Int32Array(n),
  status: new Int32Array(n),
});

/** A cell value: a number, a tie-prone small integer, NaN, or ±Infinity. */
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 2 }) },
  { weight: 2, arbitrary: fc.constant(NaN) },
  { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity) },
);
const grid = fc.integer({ min: 1, max: 9 }).chain((m) =>
  fc.tuple(
    fc.constant(m),
    fc
      .integer({ min: 1, max: 6 })
      .chain((n) =>
        fc.tuple(fc.array(cell, { minLength: n * m, maxLength: n * m }), fc.array(cell, { minLength: n * m, maxLength: n * m })),
      ),
  ),
);

/** Bit-for-bit equality of two arrays (NaN equals NaN, +0 differs from −0). */
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('pairMoments', () => {
  it('gathers the complete pairs in order and computes the moments by hand', () => {
    const x = Float64Array.from([1, NaN, 2, 3, 4, 5]),
      y = Float64Array.from([2, 7, NaN, 4, 6, 8]);
    const s = createCorrelationScratch(6),
      mo = createPairMoments();
    const n = gatherPairs(x, y, 0, 0, 6, s, null, mo);
    expect(n).toBe(4);
    expect(mo.present).toBe(5);
    expect(Array.from(s.a.subarray(0, n))).toEqual([1, 3, 4, 5]);
    expect(Array.from(s.b.subarray(0, n))).toEqual([2, 4, 6, 8]);
    pairMoments(s.a, s.b, n, mo);
    // x̄ = 13/4, ȳ = 5; dx = −2.25, −0.25, 0.75, 1.75; dy = −3, −1, 1, 3
    expect(mo.meanX).toBe(3.25);
    expect(mo.meanY).toBe(5);
    expect(mo.rawXX).toBe(51);
    expect(mo.sxx).toBeCloseTo(8.75, 14);
    expect(mo.sxy).toBeCloseTo(13, 14); // 6.75 + 0.25 + 0.75 + 5.25
    expect(mo.syy).toBe(20);
    expect(mo.absDx).toBe(5);
    expect(mo.dxY).toBeCloseTo(13, 14); // Σ dx·y = Σ dx·(y − ȳ) as Σ dx = 0
    expect(pearsonOfMoments(mo)).toBeCloseTo(13 / Math.sqrt(8.75 * 20), 14);
    expect(factorWeightedOfMoments(mo)).toBeCloseTo(13 / 5, 14);
  });

  it('reads shifted rows and carries the factor ranks of the pairs', () => {
    const x = Float64Array.from([9, 9, 3, 1, NaN]),
      y = Float64Array.from([0, 0, 0, 0, 0, 1, NaN, 3, 4, 5]);
    const xr = Float64Array.from([0, 0, 2, 1, NaN]);
    const s = createCorrelationScratch(5),
      mo = createPairMoments();
    expect(gatherPairs(x, y, 0, 5, 5, s, xr, mo)).toBe(3); // pairs at j = 0, 2, 3
    expect(Array.from(s.b.subarray(0, 3))).toEqual([1, 3, 4]);
    expect(Array.from(s.ra.subarray(0, 3))).toEqual([0, 2, 1]);
    expect(mo.present).toBe(4);
  });

  it('is NaN for fewer than two pairs or a constant side', () => {
    const mo = createPairMoments(),
      s = createCorrelationScratch(3);
    gatherPairs(Float64Array.from([1, 1, 1]), Float64Array.from([1, 2, 3]), 0, 0, 3, s, null, mo);
    pairMoments(s.a, s.b, 3, mo);
    expect(pearsonOfMoments(mo)).toBeNaN();
    expect(factorWeightedOfMoments(mo)).toBeNaN();
  });
});

/**
 * The engine's shared pair pass, as the registered statistics use it (perDateStatistics over two
 * ranges of rows), on a FactorData made straight from a factor and a forward-return panel.
 */
function engine(
  factor: Panel,
  forward: Panel,
  minAssets: number,
  regression: RegressionOptions & { wls?: boolean },
  weights?: Panel,
): HorizonRows {
  const n = factor.nDates,
    m = factor.nAssets;
  const data: FactorData = {
    dates: factor.dates,
    assets: factor.assets,
    factor,
    forward: new Map([[1, forward]]),
    horizons: [1],
    entryRows: Int32Array.from({ length: n }, (_, t) => t),
    priceDates: factor.dates,
    executionLag: 0,
    periodsPerYear: 252,
    universe: 'pairwise',
    minAssets,
    dataLoss: { initial: n * m, common: [], horizons: [], maxShare: 0 } as unknown as DataLoss,
    ...(weights ? { weights } : {}),
  };
  const options: AnalyzeOptions = { horizons: [1], quantiles: 2, regression: { factorScale: regression.factorScale, wls: regression.wls } };
  const out = createPerDateStatistics(data, options);
  const cut = Math.floor(n / 2); // the rows in two ranges, as the parallel path cuts them
  for (const [t0, t1] of [
    [0, cut],
    [cut, n],
  ])
    perDateStatistics(data, options, out, t0, t1);
  return out.horizons[0];
}

describe('the shared pair pass (pairPass through the registered statistics)', () => {
  it('equals the IC, regression and factor-weighted kernels bit for bit (fast-check, NaN, ±Infinity, ties)', () => {
    fc.assert(
      fc.property(grid, fc.integer({ min: 3, max: 5 }), fc.boolean(), ([m, [fv, rv]], minAssets, zscore) => {
        const n = fv.length / m;
        const factor = new Panel(days(n), names(m), Float64Array.from(fv)),
          forward = new Panel(days(n), names(m), Float64Array.from(rv));
        const regression: RegressionOptions = { minAssets, factorScale: zscore ? 'zscore' : 'raw' };
        const hr = engine(factor, forward, minAssets, regression);
        const ic2 = { pearson: nan(n), spearman: nan(n), n: new Int32Array(n) },
          reg2 = regOut(n),
          fw2 = nan(n);
        informationCoefficientRows(factor, forward, { minAssets }, ic2, 0, n); // ranking both sides, no shared ranks
        regressionRows(factor, forward, regression, reg2, 0, n);
        factorWeightedRows(factor, forward, fw2, 0, n);
        expect(same(hr.ic!.pearson, ic2.pearson)).toBe(true);
        expect(same(hr.ic!.spearman, ic2.spearman)).toBe(true);
        expect(same(hr.ic!.n, ic2.n)).toBe(true);
        for (const k of ['factorReturn', 't', 'se', 'r2', 'n', 'status'] as const) expect(same(hr.regression![k], reg2[k])).toBe(true);
        expect(same(hr.quantiles!.factorWeighted, fw2)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a controlled regression to regressionRows (same numbers)', () => {
    const m = 6,
      n = 3;
    const fv = Float64Array.from({ length: n * m }, (_, i) => Math.sin(i * 1.7)),
      rv = Float64Array.from({ length: n * m }, (_, i) => Math.cos(i * 0.9) / 10);
    const factor = new Panel(days(n), names(m), fv),
      forward = new Panel(days(n), names(m), rv);
    const weights = new Panel(
      days(n),
      names(m),
      Float64Array.from({ length: n * m }, (_, i) => 1 + (i % 4)),
    );
    const regression: RegressionOptions = { weights, minAssets: 3 };
    expect(simpleRegression(regression)).toBe(false);
    expect(simpleRegression({ factorScale: 'zscore' })).toBe(true);
    const reg2 = regOut(n);
    const hr = engine(factor, forward, 3, { wls: true }, weights);
    regressionRows(factor, forward, regression, reg2, 0, n);
    expect(same(hr.regression!.factorReturn, reg2.factorReturn)).toBe(true);
    expect(Number.isFinite(hr.regression!.t[0])).toBe(true);
  });

  it('checks its inputs before the loop', () => {
    const factor = new Panel(days(2), names(3), new Float64Array(6)),
      forward = new Panel(days(2), names(2), new Float64Array(4));
    expect(() => engine(factor, forward, 3, {})).toThrow(/forward returns/);
  });
});

describe('pairPassJoint (the factor side gathered once for every horizon)', () => {
  /** What a step sees on each date: the moments and the pairs' values and ranks, copied. */
  const recorder = (log: unknown[][]) => (p: PairSample, t: number) => {
    const mo = p.moments,
      n = mo.n,
      s = p.scratch;
    log.push([
      t,
      ...[mo.n, mo.present, mo.meanX, mo.meanY, mo.rawXX, mo.sxx, mo.sxy, mo.syy, mo.absDx, mo.dxY].map((v) =>
        Object.is(v, -0) ? '-0' : v,
      ),
      Array.from(s.a.subarray(0, n)),
      Array.from(s.b.subarray(0, n)),
      Array.from(s.ra.subarray(0, n)),
      p.returnsRanked ? Array.from(s.rb.subarray(0, n)) : null,
      p.ranked,
    ]);
  };
  const maybeNaN = (v: number): string => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v));
  const key = (log: unknown[][]): string => JSON.stringify(log, (_k, v: unknown) => (typeof v === 'number' ? maybeNaN(v) : v));

  it('gives every horizon the sample pairPass gives it, bit for bit (joint or not, presorted or not; fast-check)', () => {
    fc.assert(
      fc.property(
        grid,
        fc.array(fc.array(cell, { minLength: 54, maxLength: 54 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        ([m, [fv]], rows, joint, presorted) => {
          const n = fv.length / m;
          const factor = new Panel(days(n), names(m), Float64Array.from(fv));
          const ranks = rowRanks(factor.values, n, m);
          const forwards = rows.map((r) => {
            const v = Float64Array.from({ length: n * m }, (_, i) => r[i % r.length]);
            // joint data: a return wherever the factor is (else the dates take pairPass's route)
            if (joint) for (let i = 0; i < v.length; i++) if (!Number.isNaN(fv[i]) && Number.isNaN(v[i])) v[i] = i % 3;
            return new Panel(days(n), names(m), v);
          });
          const orders = forwards.map((p): ReturnsOrderOfRows | null =>
            presorted
              ? {
                  order: rowLessCounts(p.values, n, m),
                  entry: Int32Array.from({ length: n }, (_, t) => t),
                  col: Int32Array.from({ length: m }, (_, j) => j),
                }
              : null,
          );
          const want = forwards.map((p, k) => {
            const log: unknown[][] = [];
            pairPass(factor, p, ranks, [recorder(log)], 0, n, orders[k]);
            return key(log);
          });
          const logs = forwards.map((): unknown[][] => []);
          pairPassJoint(
            factor,
            ranks,
            forwards.map((p, k) => ({ forward: p, steps: [recorder(logs[k])], returnsOrder: orders[k] })),
            0,
            n,
          );
          expect(logs.map(key)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quantileMeansOfPairs equals quantileMeanRows on the row, bit for bit (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(0, -0))), {
          maxLength: 40,
        }),
        (cells) => {
          const m = cells.length,
            Q = 3;
          const labels: QuantileLabels = {
            dates: days(1),
            assets: names(m),
            quantiles: Q,
            labels: Int32Array.from(cells, (c) => c[0]),
            unlabeled: 0,
            singleValueSections: 0,
          };
          const y = Float64Array.from(cells, (c) => c[1]);
          const want = createQuantileMeanRows(1, Q, false, false),
            got = createQuantileMeanRows(1, Q, false, false);
          quantileMeanRows(labels, new Panel(days(1), names(m), y), {}, want, 0, 1);
          quantileMeansOfPairs(labels.labels, y, m, Q, got, 0, new Float64Array(Q + 1), new Int32Array(Q + 1));
          for (const k of ['count', 'equal', 'demeaned'] as const)
            for (let q = 0; q < Q; q++) expect(same(got[k][q] as Float64Array, want[k][q] as Float64Array)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
