/**
 * writeNumber is String(v) byte for byte: millions of doubles (the integration project's full
 * count; `npm test` runs the smaller unit file test/unit/io/numberText.test.ts). Random bit patterns
 * cover every exponent (subnormals included); the rest aim at the long route's region
 * (1e-6 <= |v| < 2^50, 15-17 digits), at powers of ten and their neighbours across the whole range
 * (the exponent-form thresholds 1e21 and 1e-7 among them), integers, ±0, and 15-digit decimals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeNumber } from '../../../src/io/numberText.js';

const buf = new Uint8Array(32);
const text = (v: number): string => Buffer.from(buf.subarray(0, writeNumber(buf, 0, v))).toString('latin1');

/** Counts values whose text differs from String(v); reports the first few. */
function mismatches(values: Iterable<number>): string[] {
  const bad: string[] = [];
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const t = text(v);
    if (t !== String(v) && bad.length < 5) bad.push(`${String(v)} written as ${t}`);
  }
  return bad;
}

function* seeded(n: number, seed: number): Generator<number> {
  let s = seed >>> 0;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    u[0] = next(); // any bit pattern: every exponent, subnormals
    u[1] = next();
    yield f[0];
    u[0] = next(); // biased exponents 1002..1073: 2^-21 .. 2^50, the long route's region and its edges
    u[1] = (next() & 0x800fffff) | ((1002 + (next() % 72)) << 20);
    yield f[0];
    yield ((next() - 2147483648) / 4294967296) * 0.03; // residual-like
    yield (next() - 2147483648) * (next() % 1000); // integers up to ~2^41
    yield Number(`${next() % 1000000}.${String(next() % 100000000).padStart(8, '0')}${next() % 10}`); // 15-digit decimals
  }
}

describe('writeNumber against String(v)', () => {
  it('millions of seeded doubles: every exponent, the long route region, residual-like, integers, 15-digit decimals', () => {
    expect(mismatches(seeded(1_000_000, 20261203))).toEqual([]);
  });

  it('powers of ten and their 64 neighbours each side, 1e-323 .. 1e308 (1e21 and 1e-7, where String switches to exponent form, among them)', () => {
    const near: number[] = [0, -0, 1e21, 1e-7, 1e21 - 131072, 1e21 + 131072, 1e-7 * (1 - 2 ** -53), 1e-7 * (1 + 2 ** -52)];
    const f = new Float64Array(1);
    const u = new BigUint64Array(f.buffer);
    for (let e = -323; e <= 308; e++) {
      f[0] = Number(`1e${e}`);
      const bits = u[0];
      for (let d = -64n; d <= 64n; d++) {
        u[0] = bits + d;
        near.push(f[0], -f[0]);
      }
    }
    expect(mismatches(near)).toEqual([]);
  });

  it('fast-check: any double, and doubles near 2^k', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(text(v)).toBe(String(v));
      }),
      { numRuns: 200_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1074, max: 1023 }), fc.integer({ min: -8, max: 8 }), (k, d) => {
        const v = 2 ** k * (1 + d * 2 ** -52);
        expect(text(v)).toBe(String(v));
      }),
      { numRuns: 50_000 },
    );
  });
});
