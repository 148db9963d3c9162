import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { syntheticCalendar } from '../synthetic/calendar.js';
import { momentum } from './momentum.js';

describe('momentum', () => {
  it('p(t - skip) / p(t - lookback) - 1, NaN before lookback and across gaps', () => {
    const prices = Panel.fromColumns(syntheticCalendar(19000, 6), { A: [10, 11, 12, 13, 14, 15], B: [1, NaN, 2, 4, 8, 16] });
    const m = momentum(prices, { lookback: 3, skip: 1 });
    expect(Array.from(m.column('A'))).toEqual([NaN, NaN, NaN, 12 / 10 - 1, 13 / 11 - 1, 14 / 12 - 1]);
    expect(Array.from(m.column('B'))).toEqual([NaN, NaN, NaN, 2 / 1 - 1, NaN, 8 / 2 - 1]);
    expect(() => momentum(prices, { lookback: 2, skip: 2 })).toThrow(InputError); // an option: InputError, as the library's other checks
    const shared = momentum(prices, { lookback: 3, skip: 1, shared: true });
    expect(shared.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.values)).toEqual(Array.from(m.values));
  });

  it('defaults 252 / 21 agree with a direct loop (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 253, max: 300 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const col = Array.from({ length: n }, (_, t) => 50 + 10 * Math.sin(t / 7 + seed));
        const m = momentum(Panel.fromColumns(syntheticCalendar(19000, n), { A: col }));
        for (let t = 0; t < n; t++) {
          const want = t >= 252 ? col[t - 21] / col[t - 252] - 1 : NaN;
          expect(m.values[t]).toBe(want);
        }
      }),
      { numRuns: 5 },
    );
  });

  it('alloc: a reused buffer full of old numbers gives the same panel (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (n, k, lookback, skip) => {
          fc.pre(skip < lookback);
          const cols = Object.fromEntries(
            Array.from({ length: k }, (_, j) => [
              `A${j}`,
              Array.from({ length: n }, (_, t) => ((t * 7 + j * 3) % 5 === 0 ? NaN : 10 + t + j)),
            ]),
          );
          const prices = Panel.fromColumns(syntheticCalendar(19000, n), cols);
          const used = new Float64Array(n * k + 3).fill(-123.5).buffer; // larger than asked, and dirty
          const got = momentum(prices, { lookback, skip, alloc: () => used });
          expect(got.values.buffer).toBe(used);
          expect(Array.from(got.values)).toEqual(Array.from(momentum(prices, { lookback, skip }).values));
        },
      ),
    );
  });
});
