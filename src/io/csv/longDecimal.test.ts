import fc from 'fast-check';
import { propertyRuns } from '../../../test/propertyScale.js';
import { describe, expect, it } from 'vitest';
import { longDecimal } from './longDecimal.js';
import { parseCell } from './number.js';

const cell = (s: string): number | undefined => {
  const b = Buffer.from(s, 'latin1');
  return parseCell(b, 0, b.length);
};

/** The exact decimal digits and exponent of the midpoint between a positive double and the next. */
function midpoint(v: number): { digits: string; exp10: number } {
  const f = new Float64Array([v]);
  const bits = new BigUint64Array(f.buffer)[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const M = e === 0 ? frac : frac | (1n << 52n);
  const E = (e === 0 ? 1 : e) - 1075; // v = M · 2^E
  const num = 2n * M + 1n; // midpoint = num · 2^(E-1)
  const p = E - 1;
  if (p >= 0) return { digits: (num << BigInt(p)).toString(), exp10: 0 };
  const digits = (num * 5n ** BigInt(-p)).toString(); // = midpoint · 10^(-p)
  return { digits, exp10: p };
}

/** `digits · 10^exp10` as text `d.ddd…e±X`. */
function sci(digits: string, exp10: number): string {
  const d = digits.replace(/^0+/, '');
  return `${d[0]}.${d.slice(1)}e${exp10 + d.length - 1}`;
}

describe('longDecimal: 16-19 significant digits, correctly rounded or undecided', () => {
  it('equals Number() on the 17-digit round-trip text of random doubles', () => {
    let undecided = 0;
    for (let i = 0, runs = propertyRuns(100_000); i < runs; i++) {
      const v = (Math.random() - 0.3) * 10 ** Math.floor(Math.random() * 12 - 4);
      const s = String(v);
      expect(Object.is(cell(s), Number(s))).toBe(true);
      const digits = s.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
      if (!s.includes('e') && digits.length >= 16 && digits.length <= 19) {
        const frac = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
        const r = longDecimal(Number(digits.slice(0, 15)), digits.length - 15, Number(digits.slice(15)), -frac);
        if (r !== r) undecided++;
        else expect(r).toBe(Math.abs(Number(s)));
      }
    }
    expect(undecided).toBeLessThan(100); // the rest went through the exact route
  });

  it('property: random 16-19 digit mantissas with the point anywhere and exponents within 10^±22', () => {
    const arb = fc
      .record({
        first: fc.integer({ min: 1, max: 9 }),
        rest: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 18 }),
        point: fc.nat(),
        exp: fc.integer({ min: -12, max: 12 }),
        sign: fc.constantFrom('', '-'),
      })
      .map(({ first, rest, point, exp, sign }) => {
        const d = `${first}${rest.join('')}`;
        const k = point % (d.length + 1);
        return `${sign}${d.slice(0, k)}.${d.slice(k)}e${exp}`;
      });
    fc.assert(
      fc.property(arb, (s) => {
        expect(Object.is(cell(s), Number(s))).toBe(true);
      }),
      { numRuns: propertyRuns(100_000) },
    );
  });

  it('near-midpoint decimals (the exact midpoint between two doubles cut to 16-19 digits, and one unit either side)', () => {
    let seen = 0;
    for (let i = 0, runs = propertyRuns(20_000); i < runs; i++) {
      const v = Math.random() * 10 ** Math.floor(Math.random() * 10 - 3);
      if (v === 0) continue;
      const { digits, exp10 } = midpoint(v);
      const d = digits.replace(/^0+/, '');
      for (let n = 16; n <= 19; n++) {
        const cut = BigInt(d.slice(0, n));
        for (const delta of [-1n, 0n, 1n]) {
          const s = sci((cut + delta).toString().padStart(n, '0'), exp10 + d.length - n);
          const got = cell(s);
          expect(Object.is(got, Number(s))).toBe(true);
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(propertyRuns(100_000));
  });

  it('hand cases: 2^53 + 1 (a tie, to even), 0.1 with 17 digits, 10^19 - 1', () => {
    expect(cell('9007199254740993')).toBe(9007199254740992);
    expect(cell('9007199254740995')).toBe(9007199254740996);
    expect(cell('0.10000000000000001')).toBe(0.1);
    expect(cell('9999999999999999999')).toBe(1e19);
    expect(cell('-1234567890123456.7')).toBe(-1234567890123456.8); // the nearest double (spacing 0.25 there)
  });

  it('an exact tie between two doubles is left undecided (Number() rounds it to even)', () => {
    expect(longDecimal(900719925474099, 1, 3, 0)).toBeNaN(); // 2^53 + 1
    expect(longDecimal(180143985094819, 2, 86, 0)).toBeNaN(); // 2^54 + 2
    expect(longDecimal(900719925474099, 1, 2, 0)).toBe(9007199254740992); // 2^53: exact
    expect(longDecimal(900719925474099, 1, 4, 0)).toBe(9007199254740994); // exact
  });
});
