import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chunkBounds, chunkCounter, claimChunks, claimChunksYielding } from './chunks.js';

describe('chunks', () => {
  it('cuts n items into contiguous near-equal chunks', () => {
    expect(Array.from(chunkBounds(10, 3))).toEqual([0, 3, 6, 10]);
    expect(Array.from(chunkBounds(2, 8))).toEqual([0, 1, 2]); // never an empty chunk
    expect(Array.from(chunkBounds(0, 4))).toEqual([0, 0]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), (n, c) => {
        const b = chunkBounds(n, c);
        expect(b[0]).toBe(0);
        expect(b[b.length - 1]).toBe(n);
        let lo = Infinity,
          hi = 0;
        for (let i = 1; i < b.length; i++) {
          const w = b[i] - b[i - 1];
          lo = Math.min(lo, w);
          hi = Math.max(hi, w);
        }
        expect(lo).toBeGreaterThanOrEqual(1);
        expect(hi - lo).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('hands every chunk to exactly one claimer, in order', () => {
    const b = chunkBounds(100, 9),
      next = chunkCounter(),
      seen: number[][] = [];
    // two claimers taking turns (as two threads would interleave)
    let a = 0;
    const ranA = claimChunks(b, next, (t0, t1) => {
      seen.push([t0, t1]);
      if (++a === 3)
        claimChunks(b, next, (u0, u1) => {
          seen.push([u0, u1]);
        });
    });
    expect(ranA).toBe(3);
    expect(seen.length).toBe(9);
    expect(seen.map(([t0]) => t0)).toEqual(Array.from(b.subarray(0, 9)));
    expect(
      claimChunks(b, next, () => {
        throw new Error('no chunk should be left');
      }),
    ).toBe(0);
  });

  it('the yielding claimer passes chunk numbers and lets other work run between its chunks', async () => {
    const b = chunkBounds(10, 4),
      next = chunkCounter(),
      seen: number[] = [],
      between: number[] = [];
    const ran = await claimChunksYielding(b, next, (t0, t1, c) => {
      seen.push(c);
      expect([t0, t1]).toEqual([b[c], b[c + 1]]);
      if (c === 0) setImmediate(() => between.push(seen.length)); // queued during the first chunk
    });
    expect(ran).toBe(4);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(between).toEqual([1]); // it ran after the first chunk, before the second
  });
});
