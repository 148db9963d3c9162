import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { assertDecimalFactors, assertNotPrices, assertPricesMoveLikePrices, findColumn } from './plausible.js';

const dates = (n: number, step = 1): Int32Array => Int32Array.from({ length: n }, (_, i) => 19_000 + step * i);

describe('assertNotPrices', () => {
  it('refuses all-positive values with a median above 1, naming --prices', () => {
    const p = Panel.fromColumns(dates(20), { A: Array.from({ length: 20 }, (_, i) => 100 + i) });
    expect(() => assertNotPrices(p, 'r.csv')).toThrow(/--returns r\.csv: the values look like prices[\s\S]*--prices r\.csv/);
  });

  it('property: any panel with a negative value, or values below 1, passes', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.9, noNaN: true }), { minLength: 10, maxLength: 60 }), (xs) => {
        expect(() => assertNotPrices(Panel.fromColumns(dates(xs.length), { A: xs }), 'r.csv')).not.toThrow();
      }),
    );
  });
});

describe('assertPricesMoveLikePrices', () => {
  it('refuses positive returns read as prices (median daily change 0.5), naming the file and what to do', () => {
    const r = Array.from({ length: 40 }, (_, i) => 0.001 + (0.02 * ((i * 7919) % 13)) / 13);
    const p = Panel.fromColumns(dates(40), { A: r, B: r.slice().reverse() });
    expect(() => assertPricesMoveLikePrices(p, 'r.csv')).toThrow(
      /the values of --prices do not move like prices \(the median daily change \|p\(t\)\/p\(t-1\) - 1\| is [\d.]+; daily prices move about 0\.01\)/,
    );
  });

  it('property: random walks with daily moves up to 10% pass, missing cells and all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 12, maxLength: 80 }),
        fc.integer({ min: 0, max: 5 }),
        (moves, gap) => {
          let level = 50;
          const xs = moves.map((x, i) => (i % 7 === gap ? NaN : (level *= 1 + x)));
          expect(() => assertPricesMoveLikePrices(Panel.fromColumns(dates(xs.length), { A: xs }), 'p.csv')).not.toThrow();
        },
      ),
    );
  });

  it('monthly prices may move more (limit 0.5), and a calendar of unknown frequency is not judged', () => {
    const jumpy = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 100 : 140)); // ±30-40% a month
    expect(() => assertPricesMoveLikePrices(Panel.fromColumns(dates(24, 30), { A: jumpy }), 'm.csv')).not.toThrow();
    expect(() => assertPricesMoveLikePrices(Panel.fromColumns(dates(24, 1), { A: jumpy }), 'd.csv')).toThrow(/median daily change/);
    expect(() => assertPricesMoveLikePrices(Panel.fromColumns(dates(24, 200), { A: jumpy }), 'x.csv')).not.toThrow();
  });
});

describe('assertDecimalFactors', () => {
  it('percent daily values are refused naming the column; decimal ones and the risk-free column pass', () => {
    const n = 50;
    const pct = new Frame(
      dates(n),
      ['mkt', 'rf'],
      [Float64Array.from({ length: n }, (_, i) => Math.sin(i)), new Float64Array(n).fill(0.02)],
    );
    expect(() => assertDecimalFactors(pct, 'f.csv', 'rf')).toThrow(
      /column "mkt": --factors f\.csv: the daily values of mkt look like percent/,
    );
    const dec = new Frame(
      dates(n),
      ['mkt', 'RF'],
      [Float64Array.from({ length: n }, (_, i) => 0.01 * Math.sin(i)), new Float64Array(n).fill(5)],
    );
    expect(() => assertDecimalFactors(dec, 'f.csv', 'rf')).not.toThrow();
  });

  it('annual values are not judged (a decimal annual return can be 0.3)', () => {
    const annual = new Frame(dates(10, 365), ['mkt'], [Float64Array.from({ length: 10 }, () => 0.3)]);
    expect(() => assertDecimalFactors(annual, 'f.csv', 'rf')).not.toThrow();
  });
});

describe('findColumn', () => {
  it('exact first, then the one case-insensitive match, else undefined; two matches are an error', () => {
    expect(findColumn(['mkt', 'RF'], 'rf', '--rf-col')).toBe('RF');
    expect(findColumn(['rf', 'RF'], 'rf', '--rf-col')).toBe('rf');
    expect(findColumn(['mkt'], 'rf', '--rf-col')).toBeUndefined();
    expect(() => findColumn(['Rf', 'RF'], 'rf', '--rf-col')).toThrow(/--rf-col rf matches Rf and RF ignoring case/);
  });
});
