/**
 * A small seeded pseudo-random number generator and the draws the synthetic market needs.
 *
 * - Generator: xoshiro128** 1.0 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
 *   32-bit state words, period 2^128 - 1. Seeding: the seed's two 32-bit halves and the stream
 *   number's are hashed with the splitmix32 output function ({@link mix32}) into one 32-bit Weyl
 *   start state, and four steps of splitmix32 (Weyl step 0x9e3779b9) give the four state words.
 *   So one seed gives many unrelated streams (`new Rng(seed, stream)`); since the start state has
 *   32 bits, two (seed, stream) pairs collide with probability 2^-32.
 * - Uniform doubles: 53 random bits, `(a >>> 5) * 2^26 + (b >>> 6)) / 2^53`, in `[0, 1)`.
 * - Integers in `[0, n)`: rejection sampling on 32-bit words (exactly uniform, no modulo bias).
 * - Standard normals: Marsaglia's polar method. Draw `u, v` uniform in (-1, 1) until
 *   `s = u² + v² < 1`; then `u·m` and `v·m` with `m = sqrt(-2 ln(s) / s)` are two independent
 *   N(0, 1) draws (the second is kept for the next call). For speed `u` and `v` take one 32-bit
 *   word each, `(int32 + 1/2) / 2^31`: symmetric about 0 and never 0, so `s > 0` always; 2^64
 *   grid points per pair is far finer than any use here needs.
 *
 * Reproducibility: the generator uses only 32-bit integer operations (`Math.imul`, shifts, xor),
 * which are exactly specified, so the uniform stream is bit-identical on every JavaScript engine.
 * The normals also need `Math.sqrt` (correctly rounded by IEEE 754, hence exact everywhere) and
 * `Math.log`, which ECMAScript does NOT require to be correctly rounded: two engines may differ in
 * the last bit. V8 (Node, Chrome, Deno) uses the same fdlibm port on every platform, so the same
 * seed gives bit-identical normals on any machine running the same engine; across engines a
 * normal may differ by ~1 ulp, but the draws stay aligned because the rejection step uses no
 * log. (Box-Muller would also need cos/sin, hence the polar method.)
 */
import { describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_31 = 2 ** -31;

/** The splitmix32 output function (a 32-bit avalanche mix), as a uint32. */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** One step of splitmix32 on a Weyl state: returns `[output, nextState]` as uint32s. */
export function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  return [mix32(next), next >>> 0];
}

/** Throws an {@link InputError} unless `seed` is a safe integer. */
export function checkSeed(seed: number, name = 'seed'): void {
  if (!Number.isSafeInteger(seed)) {
    throw new InputError(`${name} must be a safe integer, got ${String(seed)}`, { hint: 'use an integer such as 42' });
  }
}

/** Seeded xoshiro128** generator with uniform, integer, normal and sampling helpers. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second normal of the last polar pair, or NaN when none is kept. */
  private spare = NaN;

  /**
   * @param seed any safe integer (negative allowed); its low and high 32-bit halves are mixed
   * @param stream a stream number (safe integer): different streams of one seed are unrelated
   */
  constructor(seed = 42, stream = 0) {
    checkSeed(seed);
    checkSeed(stream, 'stream');
    // Hash the seed's two 32-bit halves and the stream's into one 32-bit Weyl start state.
    let st = mix32((seed | 0) + 0x9e3779b9);
    st = mix32(st ^ (Math.floor(seed / TWO_POW_32) | 0));
    st = mix32(st ^ Math.imul(stream | 0, 0x85ebca6b));
    st = mix32(st ^ Math.imul(Math.floor(stream / TWO_POW_32) | 0, 0xc2b2ae35));
    let out: number;
    const words: number[] = [];
    for (let k = 0; k < 4; k++) {
      [out, st] = splitmix32(st);
      words.push(out);
    }
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1; // all-zero state is forbidden
    // Kept as int32 (small integers to V8) so the hot path never boxes a number.
    this.s0 = words[0] | 0;
    this.s1 = words[1] | 0;
    this.s2 = words[2] | 0;
    this.s3 = words[3] | 0;
  }

  /** A generator with the given raw state (not all zero). For tests against the reference code. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const r = new Rng(0);
    if ((s0 | s1 | s2 | s3) >>> 0 === 0)
      throw new InputError('Rng.fromState: the xoshiro128** state must not be all zero (the generator would return 0 forever)', {
        hint: 'give at least one non-zero state word, or use new Rng(seed)',
      });
    r.s0 = s0 | 0;
    r.s1 = s1 | 0;
    r.s2 = s2 | 0;
    r.s3 = s3 | 0;
    return r;
  }

  /** Next 32-bit output of xoshiro128** as an unsigned integer in `[0, 2^32)`. */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform double in `[0, 1)` with 53 random bits. */
  next(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** Uniform double in `[lo, hi)`. */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in `[0, n)` for a positive integer `n` (exactly uniform). */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`Rng.int(n): n must be a whole number >= 1, got ${describeValue(n)}`);
    if (n > TWO_POW_32) return Math.floor(this.next() * n);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Normal draw with the given mean and standard deviation >= 0 (Marsaglia polar method). */
  normal(mean = 0, sd = 1): number {
    // a negative sd gave the mirrored draw silently (numpy's normal refuses scale < 0)
    if (typeof sd !== 'number' || !(sd >= 0)) throw new InputError(`Rng.normal: sd must be a number >= 0, got ${describeValue(sd)}`);
    let z: number;
    if (this.spare === this.spare) {
      z = this.spare;
      this.spare = NaN;
    } else {
      let u: number, v: number, s: number;
      do {
        u = ((this.nextUint32() | 0) + 0.5) * TWO_POW_MINUS_31;
        v = ((this.nextUint32() | 0) + 0.5) * TWO_POW_MINUS_31;
        s = u * u + v * v;
      } while (s >= 1);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      this.spare = v * m;
      z = u * m;
    }
    return mean + sd * z;
  }

  /** Fills (and returns) `out` with standard normals. */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** A shuffled copy of `items` (Fisher-Yates; the input is not changed). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  /** One element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new InputError('Rng.choice needs a non-empty array, got an empty one');
    return items[this.int(items.length)];
  }

  /**
   * `k` distinct integers from `[0, n)`, in increasing order (Floyd's algorithm, O(k) draws,
   * memory O(n) bits as a byte mask).
   */
  sampleIndices(n: number, k: number): Int32Array {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InputError(`Rng.sampleIndices: n must be a whole number >= 0, got ${describeValue(n)}`);
    if (!Number.isInteger(k) || k < 0 || k > n)
      throw new InputError(`Rng.sampleIndices: k must be a whole number in 0..n (${n}), got ${describeValue(k)}`);
    const mask = new Uint8Array(n);
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      if (mask[t] === 1) mask[j] = 1;
      else mask[t] = 1;
    }
    const out = new Int32Array(k);
    let c = 0;
    for (let i = 0; i < n; i++) if (mask[i] === 1) out[c++] = i;
    return out;
  }
}
