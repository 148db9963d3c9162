import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { syntheticMarket } from '../synthetic/market.js';
import { combineFactors, trailingIcWeights } from './composite.js';
import { zscore } from './preprocess.js';

describe('combineFactors: equal weight', () => {
  it('is the mean of per-date z-scores; an asset missing one factor is NaN', () => {
    const dates = calendarFromIso(['2021-01-04']);
    const a = new Panel(dates, ['x', 'y', 'z', 'w'], Float64Array.from([1, 2, 3, 4]));
    const b = new Panel(dates, ['x', 'y', 'z', 'w'], Float64Array.from([10, 30, 20, NaN]));
    const res = combineFactors({ a, b });
    const za = zscore(a).values,
      zb = zscore(b).values;
    expect(Array.from(zb)).toEqual([-1, 1, 0, NaN]);
    for (let j = 0; j < 3; j++) expect(res.composite.values[j]).toBeCloseTo((za[j] + zb[j]) / 2, 15);
    expect(res.composite.values[3]).toBeNaN();
    expect(res.weights.columns).toEqual(['a', 'b']);
    expect(Array.from(res.weights.get('a'))).toEqual([0.5]);
  });
});

describe('trailingIcWeights', () => {
  it('uses only rows s with s + h <= t; IC and IC_IR weights by hand', () => {
    const ic1 = [0.02, 0.04, 0.06, NaN, 0.1];
    const ic2 = [-0.01, -0.03, 0.01, 0.02, 0.02];
    const dates = Int32Array.from([0, 1, 2, 3, 4]);
    const w = trailingIcWeights([ic1, ic2], dates, 'ic', { horizon: 2, window: 2, minPeriods: 2 });
    // t = 3: rows 0..1 → means 0.03 and −0.02 → weights 0.6, −0.4
    expect(Array.from(w[0].subarray(0, 3))).toEqual([NaN, NaN, NaN]);
    expect(w[0][3]).toBeCloseTo(0.6, 14);
    expect(w[1][3]).toBeCloseTo(-0.4, 14);
    // t = 4: rows 1..2 → 0.05 and −0.01 → 5/6, −1/6
    expect(w[0][4]).toBeCloseTo(5 / 6, 14);
    const ir = trailingIcWeights([ic1, ic2], dates, 'icir', { horizon: 2, window: 2, minPeriods: 2 });
    // t = 3: IR1 = 0.03/std(0.02,0.04) = 0.03/0.014142 ; IR2 = −0.02/0.014142 → 0.6, −0.4 as well
    expect(ir[0][3]).toBeCloseTo(0.6, 12);
    // realisedDays: row s known on day s + 1 → same as horizon 1
    const byDay = trailingIcWeights([ic1, ic2], dates, 'ic', { horizon: 99, window: 2, minPeriods: 1, realisedDays: [1, 2, 3, 4, 5] });
    const byRow = trailingIcWeights([ic1, ic2], dates, 'ic', { horizon: 1, window: 2, minPeriods: 1 });
    expect(Array.from(byDay[0])).toEqual(Array.from(byRow[0]));
  });
});

describe('trailingIcWeights against a brute-force oracle', () => {
  it('the weight of date t uses exactly the last `window` rows realised by t (realisedDays non-decreasing, Infinity for rows never realised)', () => {
    const arb = fc
      .record({
        n: fc.integer({ min: 1, max: 30 }),
        K: fc.integer({ min: 1, max: 3 }),
        window: fc.integer({ min: 1, max: 6 }),
        seed: fc.integer({ min: 1, max: 1e6 }),
        method: fc.constantFrom('ic' as const, 'icir' as const),
      })
      .chain((o) =>
        fc.record({
          o: fc.constant(o),
          minPeriods: fc.integer({ min: 1, max: o.window }),
          gaps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: o.n, maxLength: o.n }),
          delays: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: o.n, maxLength: o.n }),
          never: fc.integer({ min: 0, max: 4 }),
          ics: fc.array(
            fc.array(fc.oneof(fc.constant(NaN), fc.double({ min: -0.5, max: 0.5, noNaN: true })), { minLength: o.n, maxLength: o.n }),
            {
              minLength: o.K,
              maxLength: o.K,
            },
          ),
        }),
      );
    fc.assert(
      fc.property(arb, ({ o, minPeriods, gaps, delays, never, ics }) => {
        const dates = new Int32Array(o.n);
        for (let t = 1; t < o.n; t++) dates[t] = dates[t - 1] + gaps[t];
        // realised: after the date, non-decreasing, the last `never` rows never
        const realised = new Float64Array(o.n);
        for (let t = 0; t < o.n; t++) realised[t] = Math.max(t > 0 ? realised[t - 1] : -Infinity, dates[t] + 1 + delays[t]);
        for (let t = Math.max(0, o.n - never); t < o.n; t++) realised[t] = Infinity;
        const got = trailingIcWeights(ics, dates, o.method, { horizon: 1, window: o.window, minPeriods, realisedDays: realised });
        for (let t = 0; t < o.n; t++) {
          const usable: number[] = [];
          for (let s = 0; s < o.n; s++) if (realised[s] <= dates[t]) usable.push(s);
          const last = usable.length > 0 ? usable[usable.length - 1] : -1;
          let want: number[] | null = null;
          if (last >= 0) {
            const rows = Array.from({ length: o.window }, (_, i) => last - o.window + 1 + i).filter((s) => s >= 0);
            for (const s of rows) expect(realised[s]).toBeLessThanOrEqual(dates[t]); // no look-ahead
            const scores = ics.map((ic) => {
              const v = rows.map((s) => ic[s]).filter((x) => !Number.isNaN(x));
              if (v.length < minPeriods || v.length === 0) return NaN;
              const mean = v.reduce((a, b) => a + b, 0) / v.length;
              if (o.method === 'ic') return mean;
              if (v.length < 2) return NaN;
              const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
              return sd > 0 ? mean / sd : NaN;
            });
            const norm = scores.reduce((a, b) => a + Math.abs(b), 0);
            if (scores.every((x) => !Number.isNaN(x)) && norm > 0) want = scores.map((x) => x / norm);
          }
          for (let k = 0; k < o.K; k++) {
            if (want === null) expect(got[k][t]).toBeNaN();
            else expect(Math.abs(got[k][t] - want[k])).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('combineFactors: IC weights have no look-ahead', () => {
  const market = syntheticMarket({ seed: 5, nAssets: 120, nDates: 160, signalIC: 0.08 });
  const h = 5;
  const fwd = forwardReturns(market.prices, [h]).get(h)!;
  // a second factor: pure noise derived from the asset index and date
  const noise = market.signal.map((v, t, j) => (Number.isNaN(v) ? NaN : (Math.sin(t * 12.9898 + j * 78.233) * 43758.5453) % 1));
  const factors = { signal: market.signal, noise };

  for (const method of ['ic', 'icir'] as const) {
    it(`${method}: perturbing forward returns not yet realised at t leaves weights and composite up to t unchanged`, () => {
      const base = combineFactors(factors, { method, forward: fwd, horizon: h, window: 12 });
      const t = 80;
      // forward rows s with s + h > t are not realised at t: scramble them
      const v = fwd.values.slice();
      const m = fwd.nAssets;
      for (let s = t - h + 1; s < fwd.nDates; s++) for (let j = 0; j < m; j++) v[s * m + j] = v[s * m + j] * -7.3 + 0.1 * Math.cos(s + j);
      const perturbed = combineFactors(factors, { method, forward: new Panel(fwd.dates, fwd.assets, v), horizon: h, window: 12 });
      for (const k of ['signal', 'noise']) {
        expect(Array.from(perturbed.weights.get(k).subarray(0, t + 1))).toEqual(Array.from(base.weights.get(k).subarray(0, t + 1)));
        // ...and the test is sensitive: later weights do change
        expect(Array.from(perturbed.weights.get(k).subarray(t + 1, t + 10))).not.toEqual(
          Array.from(base.weights.get(k).subarray(t + 1, t + 10)),
        );
      }
      expect(Array.from(perturbed.composite.values.subarray(0, (t + 1) * m))).toEqual(
        Array.from(base.composite.values.subarray(0, (t + 1) * m)),
      );
      // the first usable row: window 12 rows of realised ICs need t >= h + 11
      expect(base.weights.get('signal')[h + 10]).toBeNaN();
      expect(base.weights.get('signal')[h + 11]).not.toBeNaN();
    });
  }

  it('the signal gets most of the IC weight, with weights summing to 1 in absolute value', () => {
    const res = combineFactors(factors, { method: 'ic', forward: fwd, horizon: h, window: 24 });
    const ws = res.weights.get('signal'),
      wn = res.weights.get('noise');
    let mean = 0,
      k = 0;
    for (let t = 0; t < ws.length; t++) {
      if (Number.isNaN(ws[t])) continue;
      expect(Math.abs(ws[t]) + Math.abs(wn[t])).toBeCloseTo(1, 14);
      mean += ws[t];
      k++;
    }
    expect(mean / k).toBeGreaterThan(0.6);
    expect(res.ics!.columns).toEqual(['signal', 'noise']);
  });

  it('rejects mismatched shapes and a missing forward panel', () => {
    expect(() => combineFactors({ a: market.signal }, { method: 'ic' })).toThrow(/forward/);
    expect(() => combineFactors({ a: market.signal, b: market.signal.sliceRows(0, 10) })).toThrow(/dates and assets/);
  });
});
