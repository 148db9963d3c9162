import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import { analyzeFactor } from './analyze.js';
import type { AnalysisBuffers, AnalyzeOptions } from './analysisTypes.js';
import { BufferPool, sizeClass } from './buffers.js';

/** Buffers whose every byte is garbage (0x7f: doubles ~1.4e306, ints 0x7f7f7f7f) when handed out: any read before a write shows. */
function poisoned(lease: AnalysisBuffers): AnalysisBuffers {
  const garbage = <B extends ArrayBufferLike>(b: B): B => {
    new Uint8Array(b).fill(0x7f);
    return b;
  };
  const cells = 400 * 200;
  garbage(lease.scratch.ranks.length >= cells ? lease.scratch.ranks.buffer : (lease.scratch.ranks = new Float64Array(cells)).buffer);
  garbage(lease.scratch.labels.length >= cells ? lease.scratch.labels.buffer : (lease.scratch.labels = new Int32Array(cells)).buffer);
  return { alloc: (bytes) => garbage(lease.alloc(bytes)), scratch: lease.scratch };
}

describe('BufferPool', () => {
  const market = syntheticMarket({ seed: 9, nAssets: 200, nDates: 400, signalIC: 0.06 });
  // a factor with holes (whole dates and single cells missing), so rows are dropped and compacted
  const holes = market.signal.values.slice();
  for (let c = 0; c < holes.length; c += 7) holes[c] = NaN;
  holes.fill(NaN, 30 * 200, 33 * 200);
  const factor = new Panel(market.signal.dates, market.signal.assets, holes);
  const groups = Object.fromEntries(market.prices.assets.slice(0, 180).map((a, j) => [a, `g${j % 4}`]));
  const weights = new Panel(
    market.prices.dates,
    market.prices.assets,
    Float64Array.from(market.prices.values, (_, c) => 1 + (c % 13)),
  );
  const cases: [string, AnalyzeOptions][] = [
    ['joint, defaults', { horizons: [1, 5, 21] }],
    [
      'pairwise, groups by group, weights, decay',
      { horizons: [1, 5], universe: 'pairwise', groups, byGroup: true, weights, decayLags: [0, 1, 2] },
    ],
    ['four horizons, execution lag', { horizons: [1, 2, 5, 10], executionLag: 1, quantiles: 3 }],
  ];

  it.each(cases)('an analysis on reused buffers full of garbage equals the fresh one (%s)', (_, options) => {
    const fresh = JSON.stringify(analyzeFactor({ factor, prices: market.prices }, options));
    const pool = new BufferPool();
    for (let round = 0; round < 2; round++) {
      const lease = pool.lease();
      const reused = JSON.stringify(analyzeFactor({ factor, prices: market.prices }, { ...options, buffers: poisoned(lease) }));
      lease.release();
      expect(reused).toBe(fresh);
    }
    expect(pool.freeBytes).toBeGreaterThan(0);
  });

  it('the results refuse their prepared data once the lease is released (never a silently reused buffer)', () => {
    const pool = new BufferPool();
    const lease = pool.lease();
    const r = analyzeFactor({ factor, prices: market.prices }, { horizons: [1], buffers: lease });
    expect(r.quantileLabels(1).quantiles).toBe(5); // fine while leased
    expect(r.data.horizons).toEqual([1]);
    const json = JSON.stringify(r);
    lease.release();
    expect(lease.released).toBe(true);
    expect(() => r.data).toThrow(/pooled buffers that were released/);
    expect(() => r.quantileLabels(1)).toThrow(/pooled buffers that were released/);
    expect(JSON.stringify(r)).toBe(json); // the plain numbers stay
  });

  it('hands a buffer to one lease at a time and reuses it after release; sizes unused by the last two leases are dropped', () => {
    const pool = new BufferPool();
    const a = pool.lease(),
      b = pool.lease();
    const x = a.alloc(64);
    a.release();
    const y = b.alloc(64);
    expect(y).toBe(x); // free again after a's release
    const z = b.alloc(64);
    expect(z).not.toBe(y); // y is still lent to b
    b.release();
    expect(pool.freeBytes).toBe(128);
    const c = pool.lease();
    c.alloc(32);
    c.release();
    expect(pool.freeBytes).toBe(160); // b's sizes are kept while b is one of the last two
    expect(() => c.alloc(8)).toThrow(/released lease/);
    c.release(); // a second release does nothing
    expect(pool.freeBytes).toBe(160);
    const d = pool.lease();
    expect(d.alloc(32)).toBeInstanceOf(ArrayBuffer);
    d.release();
    expect(pool.freeBytes).toBe(32); // the last two used 32 bytes only
  });

  it('reserve: nearly equal sizes share one buffer of their size class; alternating sizes both stay', () => {
    const pool = new BufferPool();
    const a = pool.lease();
    const x = a.reserve(1_000_000);
    expect(x.byteLength).toBe(sizeClass(1_000_000));
    a.release();
    const b = pool.lease();
    expect(b.reserve(1_010_000)).toBe(x); // same class
    b.release();
    // a file factor (reserve) and a momentum factor (alloc) alternate: neither buffer is dropped
    const c = pool.lease();
    const y = c.alloc(3_000_000);
    c.release();
    const d = pool.lease();
    expect(d.reserve(990_000)).toBe(x);
    d.release();
    const e = pool.lease();
    expect(e.alloc(3_000_000)).toBe(y);
    e.release();
  });

  it('sizeClass rounds up to 4 to 8 times a power of two, never more than 25% over', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        const c = sizeClass(n);
        expect(c).toBeGreaterThanOrEqual(n);
        if (n > 8) {
          expect(c).toBeLessThanOrEqual(n * 1.25 + 1e-9 * n);
          const p = 2 ** Math.floor(Math.log2(c / 4));
          expect([4, 5, 6, 7, 8]).toContain(c / p);
        }
        expect(sizeClass(c)).toBe(c);
      }),
    );
  });
});
