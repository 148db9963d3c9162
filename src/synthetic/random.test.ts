import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Rng, mix32, splitmix32 } from './random.js';

/** Chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const e = total / counts.length;
  let x = 0;
  for (let i = 0; i < counts.length; i++) x += (counts[i] - e) ** 2 / e;
  return x;
}
/** Upper 0.1% points of chi-square: df 5 -> 20.52, df 9 -> 27.88. */
const CHI2_999 = { 5: 20.52, 9: 27.88 } as const;

describe('xoshiro128** against the reference C code (prng.di.unimi.it)', () => {
  it('gives the reference outputs from state {1, 2, 3, 4}', () => {
    // Printed by the reference xoshiro128starstar.c compiled with gcc.
    const r = Rng.fromState(1, 2, 3, 4);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives the reference outputs from a state with the top bits set', () => {
    const r = Rng.fromState(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x12345678);
    expect(Array.from({ length: 4 }, () => r.nextUint32())).toEqual([2463954730, 5524658, 3566893527, 3794986392]);
  });

  it('rejects the all-zero state', () => {
    expect(() => Rng.fromState(0, 0, 0, 0)).toThrow(InputError);
  });
});

describe('splitmix32 against a C implementation', () => {
  it('matches the Weyl sequence outputs from 0, 42 and 2^32 - 1', () => {
    // Printed by a C splitmix32 (a += 0x9e3779b9; 16/15/15 xor-shifts, 0x21f0aaad, 0x735a2d97).
    let st = 0;
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [v, s] = splitmix32(st);
      out.push(v);
      st = s;
    }
    expect(out).toEqual([1684164658, 3653269916, 2939563536]);
    const [a, s42] = splitmix32(42);
    expect(a).toBe(551831576);
    expect(splitmix32(s42)[0]).toBe(144025891);
    expect(splitmix32(0xffffffff)[0]).toBe(3950124170);
    expect(mix32((0 + 0x9e3779b9) | 0)).toBe(1684164658);
  });
});

describe('Rng determinism', () => {
  it('same seed and stream give the same sequence; others differ', () => {
    const draw = (r: Rng): number[] => Array.from({ length: 20 }, () => r.nextUint32());
    expect(draw(new Rng(42))).toEqual(draw(new Rng(42)));
    expect(draw(new Rng(42, 3))).toEqual(draw(new Rng(42, 3)));
    const base = draw(new Rng(42));
    for (const other of [new Rng(43), new Rng(42, 1), new Rng(-42), new Rng(42 + 2 ** 32), new Rng(0)]) {
      expect(draw(other)).not.toEqual(base);
    }
  });

  it('golden values for seed 42 (catches accidental changes to the generator)', () => {
    const r = new Rng(42);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([137838727, 648211897, 495533178]);
    expect(r.next()).toBe(0.17875656221207348);
    // Normals use Math.log: bit-identical on V8 (Node); other engines may differ by ~1 ulp.
    expect(r.normal()).toBe(0.46169736642008724);
    expect(r.normal()).toBe(-0.3612881966823084);
    expect(r.int(1000)).toBe(363);
  });

  it('rejects seeds that are not safe integers', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 60]) expect(() => new Rng(bad)).toThrow(InputError);
  });
});

describe('uniform doubles', () => {
  it('next() is the 53-bit combination of two 32-bit words', () => {
    const a = new Rng(7),
      b = new Rng(7);
    for (let i = 0; i < 100; i++) {
      const hi = b.nextUint32() >>> 5,
        lo = b.nextUint32() >>> 6;
      expect(a.next()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    }
  });

  it('is in [0, 1), has mean 1/2 and variance 1/12, and fills 10 bins evenly', () => {
    const r = new Rng(1);
    const n = 200_000;
    const bins = new Float64Array(10);
    let s = 0,
      s2 = 0,
      outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
      bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    const mean = s / n,
      variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n)); // Var(U^2 - ...) ~ 1/180
    expect(chiSquare(bins)).toBeLessThan(CHI2_999[9]);
  });

  it('uniform(lo, hi) maps to the interval', () => {
    const r = new Rng(2);
    for (let i = 0; i < 1000; i++) {
      const u = r.uniform(-3, 5);
      expect(u >= -3 && u < 5).toBe(true);
    }
  });
});

describe('integers', () => {
  it('int(n) is exactly uniform over [0, n) (chi-square on n = 10 and n = 6)', () => {
    const r = new Rng(3);
    for (const n of [10, 6] as const) {
      const counts = new Float64Array(n);
      for (let i = 0; i < 60_000; i++) counts[r.int(n)]++;
      expect(chiSquare(counts)).toBeLessThan(n === 10 ? CHI2_999[9] : CHI2_999[5]);
    }
  });

  it('int(1) is 0 and int handles n above 2^32', () => {
    const r = new Rng(4);
    expect(r.int(1)).toBe(0);
    for (let i = 0; i < 100; i++) {
      const v = r.int(2 ** 40);
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 40).toBe(true);
    }
    expect(() => r.int(0)).toThrow('Rng.int(n): n must be a whole number >= 1, got 0');
    expect(() => r.int(2.5)).toThrow(InputError);
  });

  it('int(n) stays in range for any n (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), fc.integer(), (n, seed) => {
        const r = new Rng(seed);
        for (let i = 0; i < 5; i++) {
          const v = r.int(n);
          if (!(Number.isInteger(v) && v >= 0 && v < n)) return false;
        }
        return true;
      }),
    );
  });
});

describe('normals (Marsaglia polar)', () => {
  const n = 200_000;
  const r = new Rng(5);
  const z = r.fillNormal(new Float64Array(n));

  it('have mean 0, variance 1, skewness 0 and kurtosis 3 within sampling error', () => {
    let m1 = 0;
    for (const v of z) m1 += v;
    m1 /= n;
    let m2 = 0,
      m3 = 0,
      m4 = 0;
    for (const v of z) {
      const d = v - m1;
      m2 += d * d;
      m3 += d ** 3;
      m4 += d ** 4;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    expect(Math.abs(m1)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(4 * Math.sqrt(6 / n));
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(4 * Math.sqrt(24 / n));
  });

  it('pass a Kolmogorov-Smirnov test against the normal CDF (stdlib)', () => {
    const sorted = Float64Array.from(z).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const F = normalCdf(sorted[i], 0, 1);
      d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(n)); // 0.1% critical value
  });

  it('consecutive draws (including the two of a polar pair) are uncorrelated', () => {
    for (const lag of [1, 2]) {
      let c = 0;
      for (let i = lag; i < n; i++) c += z[i] * z[i - lag];
      expect(Math.abs(c / n)).toBeLessThan(4 / Math.sqrt(n));
    }
  });

  it('normal(mean, sd) shifts and scales the same draw', () => {
    const a = new Rng(9),
      b = new Rng(9);
    for (let i = 0; i < 50; i++) expect(a.normal(2, 3)).toBe(2 + 3 * b.normal());
  });
});

describe('sampling helpers', () => {
  it('shuffle returns a permutation and leaves its input alone (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        const before = items.slice();
        const out = new Rng(seed).shuffle(items);
        expect(items).toEqual(before);
        expect(out.slice().sort((a, b) => a - b)).toEqual(before.slice().sort((a, b) => a - b));
      }),
    );
  });

  it('shuffle gives each of the 6 orders of 3 items equally often', () => {
    const r = new Rng(11);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const k = r.shuffle(['a', 'b', 'c']).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()])).toBeLessThan(CHI2_999[5]);
  });

  it('choice picks members evenly and rejects an empty array', () => {
    const r = new Rng(12);
    const items = ['w', 'x', 'y', 'z', 'v', 'u'];
    const counts = new Float64Array(6);
    for (let i = 0; i < 30_000; i++) counts[items.indexOf(r.choice(items))]++;
    expect(chiSquare(counts)).toBeLessThan(CHI2_999[5]);
    expect(() => r.choice([])).toThrow(InputError);
  });

  it('sampleIndices gives k distinct increasing indices in range (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.nat(), fc.integer(), (n, kRaw, seed) => {
        const k = n === 0 ? 0 : kRaw % (n + 1);
        const s = new Rng(seed).sampleIndices(n, k);
        expect(s.length).toBe(k);
        for (let i = 0; i < k; i++) {
          expect(s[i] >= 0 && s[i] < n).toBe(true);
          if (i > 0) expect(s[i]).toBeGreaterThan(s[i - 1]);
        }
      }),
    );
  });

  it('sampleIndices includes each index with probability k / n', () => {
    const r = new Rng(13);
    const n = 10,
      k = 3,
      reps = 20_000;
    const counts = new Float64Array(n);
    for (let i = 0; i < reps; i++) for (const j of r.sampleIndices(n, k)) counts[j]++;
    expect(chiSquare(counts)).toBeLessThan(CHI2_999[9]); // sampling without replacement only shrinks the statistic
    for (const c of counts) expect(Math.abs(c / reps - k / n)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / reps));
    expect(() => r.sampleIndices(3, 4)).toThrow('Rng.sampleIndices: k must be a whole number in 0..n (3), got 4');
  });
});
