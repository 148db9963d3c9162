import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Panel } from '../core/panel.js';
import { guessValueKind } from './kind.js';

const dates = Int32Array.from([19000, 19001, 19002, 19003]);
const panel = (values: number[]): Panel => new Panel(dates, ['A', 'B'], Float64Array.from(values));

describe('guessValueKind', () => {
  it('a price- or return-named value column decides, whatever the values', () => {
    const anything = panel([-1, 2, 0.5, NaN, 3, -4, 1, 1]);
    for (const name of ['close', 'Adj_Close', 'adjclose', 'PRICE', 'px_last', 'open', 'last'])
      expect(guessValueKind(anything, 'long', name)).toBe('prices');
    for (const name of ['ret', 'Returns', 'r']) expect(guessValueKind(anything, 'long', name)).toBe('returns');
  });

  it('hand cases from the values: positive with median > 1 is prices (wide, or long without a named column); centred near 0 with negatives is returns; else values', () => {
    const prices = panel([10, 20, 10.5, 19, NaN, 21, 11, 20.5]);
    expect(guessValueKind(prices, 'wide', undefined)).toBe('prices');
    expect(guessValueKind(prices, 'long', undefined)).toBe('prices');
    expect(guessValueKind(prices, 'long', 'score')).toBe('values'); // a named, non-price column of positive numbers: scores
    expect(guessValueKind(panel([0.01, -0.02, 0.003, 0, -0.01, 0.02, NaN, 0.001]), 'wide', undefined)).toBe('returns');
    expect(guessValueKind(panel([0.01, 0.02, 0.003, 0.5, 0.01, 0.02, 0.4, 0.001]), 'wide', undefined)).toBe('values'); // no negatives: not returns
    expect(guessValueKind(panel([-3, 2, -1, 1.5, 0.7, -2, 3, 1]), 'wide', undefined)).toBe('values'); // z-scores: median not near 0.05
    expect(guessValueKind(panel([NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]), 'wide', undefined)).toBe('values');
  });

  it('property: the guess does not depend on the order of the assets or dates, nor on a positive rescaling of prices by > 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.2, max: 200, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (v, scale) => {
          const a = panel(v);
          const reversed = panel([...v].reverse());
          expect(guessValueKind(reversed, 'wide', undefined)).toBe(guessValueKind(a, 'wide', undefined));
          if (guessValueKind(a, 'wide', undefined) === 'prices')
            expect(guessValueKind(panel(v.map((x) => x * scale)), 'wide', undefined)).toBe('prices');
        },
      ),
    );
  });
});
