import fc from 'fast-check';
import { propertyRuns } from '../../../test/propertyScale.js';
import { describe, expect, it } from 'vitest';
import { MISSING_TOKENS, fieldCursor, parseCell, parseField, slowCell } from './number.js';

const cell = (s: string): number | undefined => {
  const b = Buffer.from(s, 'latin1');
  return parseCell(b, 0, b.length);
};

/** Random decimal text: sign, integer digits (leading zeros allowed), fraction, exponent. */
const digitsArb = (max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: max }).map((d) => d.join(''));
const decimalArb = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    int: digitsArb(25),
    dot: fc.boolean(),
    frac: digitsArb(25),
    exp: fc.option(fc.record({ e: fc.constantFrom('e', 'E'), sign: fc.constantFrom('', '-', '+'), d: fc.integer({ min: 0, max: 400 }) })),
  })
  .map(({ sign, int, dot, frac, exp }) => {
    const mant = dot ? `${int}.${frac}` : `${int}${frac}`;
    return `${sign}${mant}${exp === null ? '' : `${exp.e}${exp.sign}${exp.d}`}`;
  })
  .filter((s) => /\d/.test(s.split(/[eE]/)[0]));

describe('parseCell: bit-identical to Number() on the decimal grammar', () => {
  it('property: random decimals (signs, long mantissas, leading zeros, .5, 5., exponents)', () => {
    fc.assert(
      fc.property(decimalArb, (s) => {
        expect(Object.is(cell(s), Number(s))).toBe(true);
      }),
      { numRuns: propertyRuns(100_000) },
    );
  });

  it('one million seeded random decimals of the shapes prices and returns take', () => {
    let seed = 7;
    const rnd = (k: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    let bad = 0;
    for (let i = 0, runs = propertyRuns(1_000_000); i < runs; i++) {
      const int = String(rnd(100_000)).slice(0, 1 + rnd(6));
      const frac = String(rnd(1_000_000_000)).padStart(9, '0').slice(0, rnd(10));
      const sign = rnd(4) === 0 ? '-' : '';
      const exp = rnd(8) === 0 ? `e${rnd(2) === 0 ? '-' : ''}${rnd(30)}` : '';
      const s = `${sign}${rnd(10) === 0 ? '' : int}${frac === '' && rnd(2) === 0 ? '' : '.'}${frac === '' ? '5' : frac}${exp}`;
      if (!Object.is(cell(s), Number(s))) bad++;
    }
    expect(bad).toBe(0);
  });

  it('property: every double printed by String, toExponential and toPrecision reads back to itself', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), (v, p) => {
        for (const s of [String(v), v.toExponential(), v.toPrecision(p)]) expect(Object.is(cell(s), Number(s))).toBe(true);
      }),
      { numRuns: propertyRuns(50_000) },
    );
  });

  it('property: on any text the fast path agrees with the reference slowCell', () => {
    const chars = fc.constantFrom(...'0123456789+-.eEnaifNAIF xt\t_,'.split(''));
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 14 }).map((a) => a.join('')),
        (s) => {
          expect(Object.is(cell(s), slowCell(s))).toBe(true);
        },
      ),
      { numRuns: propertyRuns(100_000) },
    );
  });
});

describe('parseCell: missing, non-finite and rejected cells', () => {
  it('empty, blank and nan in any case are missing (NaN)', () => {
    for (const s of ['', ' ', '\t', 'nan', 'NaN', 'NAN', '-nan', '+NaN', ' nan ']) expect(cell(s)).toBeNaN();
  });
  it('inf, infinity in any case and overflowing decimals are +/-Infinity (the readers reject them)', () => {
    for (const s of ['inf', 'Inf', 'INF', '+inf', 'infinity', 'Infinity', '1e400', '1.5E+999', ' inf']) expect(cell(s)).toBe(Infinity);
    for (const s of ['-inf', '-Infinity', '-INFINITY', '-1e400']) expect(cell(s)).toBe(-Infinity);
  });
  it('spaces and tabs around a number are trimmed; -0 stays negative zero; underflow is zero', () => {
    expect(cell(' 1.5 ')).toBe(1.5);
    expect(cell('\t-2\t')).toBe(-2);
    expect(Object.is(cell('-0'), -0)).toBe(true);
    expect(Object.is(cell('-0.000'), -0)).toBe(true);
    expect(cell('1e-400')).toBe(0);
    expect(cell('.5')).toBe(0.5);
    expect(cell('5.')).toBe(5);
    expect(cell('00012')).toBe(12);
  });
  it("pandas' default missing spellings are missing (NaN), spaces around them too; near misses are not", () => {
    for (const s of MISSING_TOKENS) {
      expect(cell(s)).toBeNaN();
      expect(cell(` ${s}\t`)).toBeNaN();
      expect(slowCell(s)).toBeNaN();
    }
    for (const s of ['na', 'Na', 'none', 'Null', 'N/a', 'NA NA', '#n/a']) expect(cell(s)).toBeUndefined();
  });
  it('text that is not a decimal is rejected (undefined): 1e, e5, hex, underscores, commas', () => {
    for (const s of [
      '1e',
      '1e+',
      'e5',
      '.',
      '-',
      '+',
      '0x10',
      '0b1',
      '1_000',
      '1,5',
      'na',
      'nil',
      '#DIV/0!',
      '1 2',
      '1d',
      '--1',
      '1..2',
      '١',
    ]) {
      expect(cell(s)).toBeUndefined();
    }
  });
});

describe('parseField: one pass over a delimited field', () => {
  it('property: equals parseCell of the field up to the delimiter, and stops there', () => {
    const part = fc.oneof(decimalArb, fc.constantFrom('', 'NaN', 'inf', 'x1', ' 2 ', '1e5', '-0', '.5'));
    fc.assert(
      fc.property(part, part, fc.constantFrom(',', ';', '\t', '|'), (a, b, d) => {
        const line = Buffer.from(`${a}${d}${b}`, 'latin1');
        const v = parseField(line, 0, line.length, d.charCodeAt(0));
        expect(fieldCursor.end).toBe(a.length);
        expect(Object.is(v, parseCell(line, 0, a.length))).toBe(true);
        const w = parseField(line, a.length + 1, line.length, d.charCodeAt(0));
        expect(fieldCursor.end).toBe(line.length);
        expect(Object.is(w, parseCell(line, a.length + 1, line.length))).toBe(true);
      }),
      { numRuns: propertyRuns(50_000) },
    );
  });
});
