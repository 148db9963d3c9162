import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeLong, writeNumber } from '../../../src/io/numberText.js';

const buf = new Uint8Array(32);
const text = (v: number): string => Buffer.from(buf.subarray(0, writeNumber(buf, 0, v))).toString('latin1');

describe('writeNumber', () => {
  it('is String(v) and parses back to v for every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const s = text(v);
        expect(s).toBe(String(v));
        expect(Number(s)).toBe(Object.is(v, -0) ? 0 : v);
      }),
      { numRuns: 20_000 },
    );
  });

  it('is String(v) for short decimals (the fast path) and 17-digit values (the fallback)', () => {
    const decimals = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 10 })).map(([m, k]) => m / 10 ** k);
    const prices = fc.double({ min: 1e-6, max: 1e6, noNaN: true }).map((v) => Number(v.toPrecision(5)));
    fc.assert(
      fc.property(fc.oneof(decimals, prices, fc.double({ min: -0.1, max: 0.1, noNaN: true })), (v) => {
        expect(text(v)).toBe(String(v));
      }),
      { numRuns: 20_000 },
    );
  });

  it('edges: zeros, leading zeros, the fast-path limits, exponents', () => {
    for (const v of [
      0,
      -0,
      1,
      -1,
      0.1,
      0.0012,
      -0.0012,
      1e-6,
      1.5e-6,
      9.99e-7,
      1e-7,
      100,
      28.554,
      2 ** 50 - 1,
      2 ** 50,
      2 ** 53,
      1e15,
      1e21,
      1e-300,
      5e-324,
      Number.MAX_VALUE,
      -Number.MIN_VALUE,
      123456789.12345678,
      2147483647.5,
      2147483648.25,
      0.30000000000000004,
    ]) {
      expect(text(v), String(v)).toBe(String(v));
    }
  });

  it('the long route (16 and 17 digits): String(v) on computed doubles, next to powers of two and ten, and on ties', () => {
    const computed = fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -6, max: 14 })).map(([x, e]) => x * 10 ** e);
    fc.assert(
      fc.property(computed, (v) => {
        expect(text(v)).toBe(String(v));
      }),
      { numRuns: 50_000 },
    );
    const near: number[] = [];
    for (let j = -19; j < 50; j++) {
      for (const f of [1, 1 + 2 ** -52, 1 - 2 ** -53, 1 + 2 ** -51, 1 - 2 ** -52, 1.5]) near.push(2 ** j * f);
    }
    for (let j = -6; j < 15; j++) {
      let up = Number(`1e${j}`),
        down = up;
      for (let i = 0; i < 40; i++) {
        near.push(up, down, -up);
        up *= 1 + 2 ** -52;
        down *= 1 - 2 ** -53;
      }
    }
    // 17-digit decimals halfway between two 16-digit ones, and 0.1 + 0.2 and friends
    for (let i = 1; i < 2000; i++) near.push(Number(`0.${String(i * 7919).padStart(15, '0')}5`), i * 0.1 + 0.2, i / 3, Math.sqrt(i));
    for (const v of near) expect(text(v), String(v)).toBe(String(v));
  });

  it('the long route takes almost every 16/17-digit double itself (it is not a silent fallback to String)', () => {
    let taken = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = (i % 2 === 0 ? 1 : -1) * (0.001 + 0.05 * ((i * 0.6180339887498949) % 1)) * 10 ** ((i % 9) - 3);
      const end = writeLong(buf, 0, v, Math.abs(v));
      if (end >= 0) {
        taken++;
        expect(Buffer.from(buf.subarray(0, end)).toString('latin1')).toBe(String(v));
      }
    }
    expect(taken).toBeGreaterThan(9_000);
  });

  it('15-digit doubles take the long route too (the 14-digit check), and are String(v)', () => {
    let taken = 0;
    for (let i = 1; i <= 2_000; i++) {
      const v = Number(`0.${1e13 + i * 7_919_993}${(i % 9) + 1}`); // 15 significant digits
      const end = writeLong(buf, 0, v, v);
      if (end >= 0) {
        taken++;
        expect(Buffer.from(buf.subarray(0, end)).toString('latin1')).toBe(String(v));
      }
      expect(text(v)).toBe(String(v));
    }
    expect(taken).toBeGreaterThan(1_500);
  });
});
