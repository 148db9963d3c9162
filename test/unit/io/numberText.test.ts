import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeNumber } from '../../../src/io/numberText.js';

const buf = new Uint8Array(32);
const text = (v: number): string => Buffer.from(buf.subarray(0, writeNumber(buf, 0, v))).toString('latin1');

describe('writeNumber', () => {
  it('is String(v) and parses back to v for every finite double', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      const s = text(v);
      expect(s).toBe(String(v));
      expect(Number(s)).toBe(Object.is(v, -0) ? 0 : v);
    }), { numRuns: 20_000 });
  });

  it('is String(v) for short decimals (the fast path) and 17-digit values (the fallback)', () => {
    const decimals = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 10 })).map(([m, k]) => m / 10 ** k);
    const prices = fc.double({ min: 1e-6, max: 1e6, noNaN: true }).map((v) => Number(v.toPrecision(5)));
    fc.assert(fc.property(fc.oneof(decimals, prices, fc.double({ min: -0.1, max: 0.1, noNaN: true })), (v) => {
      expect(text(v)).toBe(String(v));
    }), { numRuns: 20_000 });
  });

  it('edges: zeros, leading zeros, the fast-path limits, exponents', () => {
    for (const v of [0, -0, 1, -1, 0.1, 0.0012, -0.0012, 1e-6, 1.5e-6, 9.99e-7, 1e-7, 100, 28.554, 2 ** 50 - 1, 2 ** 50, 2 ** 53,
      1e15, 1e21, 1e-300, 5e-324, Number.MAX_VALUE, -Number.MIN_VALUE, 123456789.12345678, 2147483647.5, 2147483648.25, 0.30000000000000004]) {
      expect(text(v), String(v)).toBe(String(v));
    }
  });
});
