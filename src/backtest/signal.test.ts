import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { momentum } from '../signals/index.js';
import { candidatesBuffer } from './select.js';
import {
  alignedRows,
  alignSignal,
  compactTradable,
  momentumRows,
  packedCountsFit,
  signalRow,
  withPackableTail,
  type SignalRows,
} from './signal.js';
import { everyAssetMember, MembershipCursor } from './universe.js';

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  expect(Array.from(a).map((x) => (Number.isNaN(x) ? 'NaN' : x))).toEqual(Array.from(b).map((x) => (Number.isNaN(x) ? 'NaN' : x)));

describe('signal rows on demand', () => {
  it('momentumRows(t) is row t of momentum(prices), bit for bit (gaps included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1e9 }), (n, m, seed) => {
        let s = seed;
        const rnd = () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return s / 2 ** 32;
        };
        const dates = Int32Array.from({ length: n }, (_, t) => 19000 + t);
        const v = Float64Array.from({ length: n * m }, () => (rnd() < 0.1 ? NaN : 10 + 90 * rnd()));
        const px = new Panel(
          dates,
          Array.from({ length: m }, (_, j) => `A${j}`),
          v,
        );
        const lookback = 2 + Math.floor(rnd() * (n - 1)),
          skip = Math.floor(rnd() * lookback);
        const full = momentum(px, { lookback, skip }),
          rows = momentumRows(px, { lookback, skip });
        for (let t = 0; t < n; t++) same(rows.row(t), signalRow(full, t));
      }),
    );
  });

  it('alignedRows(t) is row t of alignSignal (latest signal date <= the price date, by name, max age)', () => {
    const px = Panel.fromColumns(calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']), [
      ['A', [1, 2, 3, 4]],
      ['B', [1, 2, 3, 4]],
    ]);
    const sig = Panel.fromColumns(calendarFromIso(['2023-12-30', '2024-01-03']), [
      ['B', [5, 6]],
      ['Z', [7, 8]],
    ]);
    for (const age of [Infinity, 2]) {
      const rows = alignedRows(sig, px, age),
        panel = alignSignal(sig, px, age);
      for (let t = 0; t < 4; t++) same(rows.row(t), signalRow(panel, t));
    }
    // hand values: B takes 5 on 01-01 and 01-02, 6 from 01-03; at most 2 days old drops 01-02
    same(alignSignal(sig, px).column('B'), [5, 5, 6, 6]);
    same(alignSignal(sig, px, 2).column('B'), [5, NaN, 6, 6]);
    same(alignSignal(sig, px).column('A'), [NaN, NaN, NaN, NaN]);
  });
});

/** Prices no real panel should hold, on which the fused candidate test must still agree with the reference's. */
const special = [Infinity, -Infinity, -5, -0];

describe('candidates: the fused fast path against the reference compaction', () => {
  it('momentumRows.candidatesInto(t) is compactTradable(row(t), member, prices), names and bits, on gappy prices and memberships', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom(0, 0.1, 0.5),
        (n, m, seed, gap) => {
          let s = seed;
          const rnd = () => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return s / 2 ** 32;
          };
          // prices with gaps, zeros (momentum ±Infinity / NaN), repeats, and values no price should
          // have (±Infinity, negative, −0) on which the fused test must still agree with the reference
          const v = Float64Array.from({ length: n * m }, () => {
            const u = rnd();
            return u < gap
              ? NaN
              : u < gap + 0.05
                ? 0
                : u < gap + 0.1
                  ? 50
                  : u < gap + 0.13
                    ? special[Math.floor(rnd() * 4)]
                    : 10 + 90 * rnd();
          });
          const px = new Panel(
            Int32Array.from({ length: n }, (_, t) => 19000 + t),
            Array.from({ length: m }, (_, j) => `A${j}`),
            v,
          );
          const lookback = 1 + Math.floor(rnd() * (n - 1)),
            skip = Math.floor(rnd() * lookback);
          const staticRow = rnd() < 0.3 ? new MembershipCursor({ kind: 'static' }, px.dates, px.assets).member : undefined;
          const rows = momentumRows(px, { lookback, skip });
          const fused = candidatesBuffer(m),
            ref = candidatesBuffer(m);
          for (let t = 0; t < n; t++) {
            // a static universe's row (every asset: the fused pass skips the byte) or a membership
            const member = staticRow ?? Uint8Array.from({ length: m }, () => (rnd() < 0.8 ? 1 : 0));
            rows.candidatesInto?.(t, member, v, fused);
            compactTradable(rows.row(t), member, v, t * m, ref);
            expect(fused.count).toBe(ref.count);
            expect(Array.from(fused.assets.subarray(0, fused.count))).toEqual(Array.from(ref.assets.subarray(0, ref.count)));
            for (let i = 0; i < ref.count; i++) expect(Object.is(fused.values[i], ref.values[i])).toBe(true);
            for (let i = 0; i < ref.count; i++) expect(Number.isFinite(ref.values[i])).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('momentumRows.tailInto(t, g) keeps what TailBin keeps from candidatesInto: the count, then the names beyond g in order, bits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom(0, 0.1, 0.5),
        (n, m, seed, gap) => {
          let s = seed;
          const rnd = () => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return s / 2 ** 32;
          };
          const v = Float64Array.from({ length: n * m }, () => {
            const u = rnd();
            return u < gap
              ? NaN
              : u < gap + 0.05
                ? 0
                : u < gap + 0.1
                  ? 50
                  : u < gap + 0.13
                    ? special[Math.floor(rnd() * 4)]
                    : 10 + 90 * rnd();
          });
          const px = new Panel(
            Int32Array.from({ length: n }, (_, t) => 19000 + t),
            Array.from({ length: m }, (_, j) => `A${j}`),
            v,
          );
          const lookback = 1 + Math.floor(rnd() * (n - 1)),
            skip = Math.floor(rnd() * lookback);
          const staticRow = rnd() < 0.3 ? new MembershipCursor({ kind: 'static' }, px.dates, px.assets).member : undefined;
          const rows = momentumRows(px, { lookback, skip });
          const ref = candidatesBuffer(m);
          const idx = new Int32Array(m),
            val = new Float64Array(m),
            buf = new Float64Array(m),
            res = new Int32Array(2);
          for (let t = 0; t < n; t++) {
            // a static universe's row (every asset: the fused pass skips the byte) or a membership
            const member = staticRow ?? Uint8Array.from({ length: m }, () => (rnd() < 0.8 ? 1 : 0));
            rows.candidatesInto?.(t, member, v, ref);
            const k = ref.count;
            // guesses: none, a candidate's own value (ties at the guess), below and above every value
            const picks = k > 0 ? [ref.values[Math.floor(rnd() * k)], -1e300, 1e300] : [0];
            for (const g of [NaN, ...picks])
              for (const top of [true, false]) {
                rows.tailInto?.(t, member, v, g, top, idx, val, buf, res);
                expect(res[0]).toBe(k);
                const want: number[] = [];
                for (let i = 0; i < k; i++) {
                  const x = ref.values[i];
                  if (g !== g || (top ? x > g : x < g)) want.push(i);
                }
                expect(res[1]).toBe(want.length);
                want.forEach((i, r) => {
                  expect(idx[r]).toBe(ref.assets[i]);
                  expect(Object.is(val[r], ref.values[i])).toBe(true);
                  expect(Object.is(buf[r], ref.values[i])).toBe(true);
                });
              }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("only a static universe's member row counts as every asset a member", () => {
    const dates = Int32Array.from([0, 1]),
      assets = ['A', 'B'];
    expect(everyAssetMember(new MembershipCursor({ kind: 'static' }, dates, assets).member)).toBe(true);
    expect(
      everyAssetMember(new MembershipCursor({ kind: 'membership', intervals: [{ asset: 'A', start: 0 }] }, dates, assets).member),
    ).toBe(false);
    expect(everyAssetMember(Uint8Array.from([1, 1]))).toBe(false);
  });

  it('the fused tail pass packs its two counts as k·2^26 + kept: rows of 2^26 names or more go without it', () => {
    // kept = 2^26 would carry into k: the packed counts fit only rows of fewer than 2^26 names
    expect(packedCountsFit(2 ** 26 - 1)).toBe(true);
    expect(packedCountsFit(2 ** 26)).toBe(false);
    // a row width known to be too wide drops tailInto (the rules then select from candidatesInto's
    // candidates, TailBin's own pass), keeping the rows and the candidates; no 2^26-column panel needed
    const px = new Panel(Int32Array.from([0, 1]), ['A', 'B'], Float64Array.from([10, 20, 11, 18]));
    const narrow = momentumRows(px, { lookback: 1, skip: 0 });
    expect(narrow.tailInto).toBeDefined();
    expect(withPackableTail(narrow)).toBe(narrow);
    const wide = withPackableTail({ ...narrow, nAssets: 2 ** 26 } as SignalRows);
    expect(wide.tailInto).toBeUndefined();
    expect(wide.nAssets).toBe(2 ** 26);
    same(wide.row(1), [11 / 10 - 1, 18 / 20 - 1]);
    const out = candidatesBuffer(2);
    wide.candidatesInto?.(1, Uint8Array.from([1, 0]), px.values, out);
    expect(out.count).toBe(1);
    expect(out.values[0]).toBe(11 / 10 - 1);
    expect(withPackableTail({ ...narrow, nAssets: 2 ** 26 - 1 } as SignalRows).tailInto).toBeDefined();
  });

  it('a hand case: tradable = member and priced on the row, finite signal', () => {
    // rows: t=0 [10, 20, 5, 0], t=1 [11, NaN, 5, 3]; momentum 1,0: p(1)/p(0) - 1
    const px = new Panel(Int32Array.from([0, 1]), ['A', 'B', 'C', 'D'], Float64Array.from([10, 20, 5, 0, 11, NaN, 5, 3]));
    const out = candidatesBuffer(4);
    momentumRows(px, { lookback: 1, skip: 0 }).candidatesInto?.(1, Uint8Array.from([1, 1, 0, 1]), px.values, out);
    // A: 0.1 (kept); B: no price on row 1; C: not a member; D: 3/0 - 1 = Infinity (not finite)
    expect(out.count).toBe(1);
    expect(out.assets[0]).toBe(0);
    expect(out.values[0]).toBe(11 / 10 - 1);
  });
});

describe('alignedRows: a signal with no asset of the prices', () => {
  it('is an InputError naming both sides (it was NaN on every date: a backtest that holds nothing)', () => {
    const dates = calendarFromIso(['2024-01-02', '2024-01-03']);
    const px = new Panel(dates, ['AAPL', 'MSFT'], Float64Array.of(1, 2, 3, 4));
    const sig = new Panel(dates, ['aapl', 'msft'], Float64Array.of(1, 2, 3, 4));
    expect(() => alignedRows(sig, px)).toThrow(/no asset of the signal \(aapl, msft\) is an asset of the prices \(AAPL, MSFT\)/);
    expect(() => alignSignal(sig, px)).toThrow(/signal would be missing on every date/);
    // one name in common is enough
    const one = new Panel(dates, ['AAPL', 'X'], Float64Array.of(1, 2, 3, 4));
    same(alignedRows(one, px).row(1), [3, NaN]);
  });
});
