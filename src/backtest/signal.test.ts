import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { momentum } from '../signals/index.js';
import { alignedRows, alignSignal, momentumRows, signalRow } from './signal.js';

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  expect(Array.from(a).map((x) => (Number.isNaN(x) ? 'NaN' : x))).toEqual(Array.from(b).map((x) => (Number.isNaN(x) ? 'NaN' : x)));

describe('signal rows on demand', () => {
  it('momentumRows(t) is row t of momentum(prices), bit for bit (gaps included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1e9 }), (n, m, seed) => {
        let s = seed;
        const rnd = () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return s / 2 ** 32;
        };
        const dates = Int32Array.from({ length: n }, (_, t) => 19000 + t);
        const v = Float64Array.from({ length: n * m }, () => (rnd() < 0.1 ? NaN : 10 + 90 * rnd()));
        const px = new Panel(
          dates,
          Array.from({ length: m }, (_, j) => `A${j}`),
          v,
        );
        const lookback = 2 + Math.floor(rnd() * (n - 1)),
          skip = Math.floor(rnd() * lookback);
        const full = momentum(px, { lookback, skip }),
          rows = momentumRows(px, { lookback, skip });
        for (let t = 0; t < n; t++) same(rows.row(t), signalRow(full, t));
      }),
    );
  });

  it('alignedRows(t) is row t of alignSignal (latest signal date <= the price date, by name, max age)', () => {
    const px = Panel.fromColumns(calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']), [
      ['A', [1, 2, 3, 4]],
      ['B', [1, 2, 3, 4]],
    ]);
    const sig = Panel.fromColumns(calendarFromIso(['2023-12-30', '2024-01-03']), [
      ['B', [5, 6]],
      ['Z', [7, 8]],
    ]);
    for (const age of [Infinity, 2]) {
      const rows = alignedRows(sig, px, age),
        panel = alignSignal(sig, px, age);
      for (let t = 0; t < 4; t++) same(rows.row(t), signalRow(panel, t));
    }
    // hand values: B takes 5 on 01-01 and 01-02, 6 from 01-03; at most 2 days old drops 01-02
    same(alignSignal(sig, px).column('B'), [5, 5, 6, 6]);
    same(alignSignal(sig, px, 2).column('B'), [5, NaN, 6, 6]);
    same(alignSignal(sig, px).column('A'), [NaN, NaN, NaN, NaN]);
  });
});
