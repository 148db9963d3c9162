import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { EquityFactorBasket, transformRow } from './basket.js';
import { runBacktest } from './engine.js';
import { topN } from './rules.js';
import { alignSignal } from './signal.js';

const days = calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
const prices = Panel.fromColumns(days, [
  ['A', [10, 11, 12, 11, 12]],
  ['B', [20, 20, 22, 24, 23]],
  ['C', [50, 45, 45, 54, 55]],
]);
const row = (xs: ArrayLike<number>) => Array.from(xs, (x) => (Number.isNaN(x) ? null : x));

describe('transformRow', () => {
  it('zscore with ddof 1 over the finite values; rank(pct=True) with tied averages', () => {
    // [1, 2, 3]: mean 2, sd 1 -> -1, 0, 1
    expect(row(transformRow(Float64Array.from([1, NaN, 2, 3]), 'zscore'))).toEqual([-1, null, 0, 1]);
    // pandas Series([3, 1, 3, NaN, 2]).rank(pct=True) -> 0.875, 0.25, 0.875, NaN, 0.5
    expect(row(transformRow(Float64Array.from([3, 1, 3, NaN, 2]), 'rank'))).toEqual([0.875, 0.25, 0.875, null, 0.5]);
    expect(row(transformRow(Float64Array.from([5, NaN]), 'zscore'))).toEqual([null, null]);
  });
});

describe('EquityFactorBasket', () => {
  // exposures dated on and before the price dates; raw series with a missing name
  const exposures = Panel.fromColumns(calendarFromIso(['2023-12-29', '2024-01-03']), [
    ['A', [1, 3]],
    ['B', [2, 1]],
    ['C', [3, 2]],
  ]);
  const raw = Panel.fromColumns(calendarFromIso(['2024-01-01']), [
    ['A', [10]],
    ['C', [30]],
    ['B', [NaN]],
  ]);

  it('precomputed exposures alone: the aligned exposures themselves (transform none)', () => {
    const s = new EquityFactorBasket().addFactorExposures('beta', exposures).signal(prices);
    const want = alignSignal(exposures, prices);
    for (let t = 0; t < 5; t++) expect(row(s.row(t))).toEqual(row(want.values.subarray(3 * t, 3 * t + 3)));
    expect(row(s.row(2))).toEqual([3, 1, 2]);
  });

  it('the composite: Σ weight·input, raw series z-scored, NaN where any input lacks the name', () => {
    const b = new EquityFactorBasket().addFactorExposures('beta', exposures, { weight: 2 }).addRawFactorTimeseries('ep', raw);
    expect(b.names).toEqual(['beta', 'ep']);
    // row 0: beta (1, 2, 3) x 2; ep z-scores over A and C: (10 - 20)/sd, sd = sqrt(200) -> -0.7071..., +0.7071...
    const r0 = b.signal(prices).row(0);
    expect(r0[0]).toBeCloseTo(2 - Math.SQRT1_2, 14);
    expect(Number.isNaN(r0[1])).toBe(true);
    expect(r0[2]).toBeCloseTo(6 + Math.SQRT1_2, 14);
  });

  it('an exposure method sees the prices up to the signal row only (no look-ahead) and runs on signal rows', () => {
    const seen: number[] = [];
    const lastReturn = (h: Panel) => {
      seen.push(h.nDates);
      const t = h.nDates - 1,
        m = h.nAssets;
      return Array.from({ length: m }, (_, j) => (t === 0 ? NaN : h.values[t * m + j] / h.values[(t - 1) * m + j] - 1));
    };
    const b = new EquityFactorBasket().addFactorExposureMethod('rev', lastReturn, { weight: -1 });
    const res = b.backtest(prices, { rule: topN(1), schedule: { kind: 'every', rows: 2 } });
    expect(seen).toEqual([1, 3]); // signal rows 0 and 2 (row 4's trade would fall outside the data)
    // row 2: returns A +1/11, B +.1, C 0 -> -r: C is the best -> held from row 3
    expect(Array.from(res.run.rebalances[1].weights?.assets ?? [])).toEqual([2]);
    // the same as the hand-made signal through runBacktest
    const hand = new Panel(
      prices.dates,
      prices.assets,
      Float64Array.from({ length: 15 }, (_, i) => {
        const t = Math.floor(i / 3),
          j = i % 3;
        return t === 0 ? NaN : -(prices.at(t, j) / prices.at(t - 1, j) - 1);
      }),
    );
    expect(Array.from(runBacktest(prices, { signal: hand, rule: topN(1), schedule: { kind: 'every', rows: 2 } }).navNet)).toEqual(
      Array.from(res.run.navNet),
    );
    expect(JSON.parse(JSON.stringify(res)).series.navNet).toEqual(Array.from(res.run.navNet)); // the results serialise as the CLI's JSON
  });

  it('refuses an empty basket, a repeated name and a method of the wrong length', () => {
    expect(() => new EquityFactorBasket().signal(prices)).toThrow(/no input/);
    expect(() => new EquityFactorBasket().addFactorExposures('x', exposures).addRawFactorTimeseries('x', raw)).toThrow(/already/);
    expect(() =>
      new EquityFactorBasket()
        .addFactorExposureMethod('bad', () => [1])
        .signal(prices)
        .row(1),
    ).toThrow(/1 values for 3 assets/);
  });
});

describe('transformRow properties (fast-check)', () => {
  it('zscore: mean 0, sd 1, invariant to a positive affine map; rank: invariant to any increasing map', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 1e3),
          { minLength: 3, maxLength: 30 },
        ),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (xs, a, b) => {
          fc.pre(new Set(xs).size >= 2);
          const z = transformRow(Float64Array.from(xs), 'zscore');
          const mean = z.reduce((s, x) => s + x, 0) / z.length;
          const sd = Math.sqrt(z.reduce((s, x) => s + (x - mean) ** 2, 0) / (z.length - 1));
          expect(Math.abs(mean)).toBeLessThan(1e-9);
          expect(Math.abs(sd - 1)).toBeLessThan(1e-9);
          const z2 = transformRow(
            Float64Array.from(xs, (x) => a * x + b),
            'zscore',
          );
          z.forEach((x, j) => expect(Math.abs(x - z2[j])).toBeLessThan(1e-6));
          expect(
            Array.from(
              transformRow(
                Float64Array.from(xs, (x) => Math.exp(x / 1e3)),
                'rank',
              ),
            ),
          ).toEqual(Array.from(transformRow(Float64Array.from(xs), 'rank')));
        },
      ),
    );
  });
});
