import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from './calendar.js';
import { daysFromCivil, formatIsoDate } from './dates.js';
import { InputError } from './errors.js';
import { Panel } from './panel.js';
import {
  type QualityFinding,
  type QualityOptions,
  type QualityReport,
  QUALITY_KINDS,
  checkAndCleanBadTicks,
  checkQuality,
  cleanBadTicks,
  formatQualityReport,
} from './quality.js';
import { simpleReturns } from './returns.js';

const N = NaN;
const DAY0 = daysFromCivil(2020, 1, 1);
/** ISO date of row t: 2020-01-01 plus t days. */
const d = (t: number): string => formatIsoDate(DAY0 + t);

/** A panel on consecutive days from 2020-01-01, one array per asset. */
function mk(cols: Record<string, number[]>, nDates?: number): Panel {
  const names = Object.keys(cols);
  const n = nDates ?? (names.length > 0 ? cols[names[0]].length : 0);
  const dates = calendarFromIso(Array.from({ length: n }, (_, t) => d(t)));
  return Panel.fromColumns(dates, cols);
}

const of = (r: QualityReport, kind: QualityFinding['kind']): QualityFinding[] => r.findings.filter((f) => f.kind === kind);
const keys = (fs: QualityFinding[]): string[] => fs.map((f) => `${f.kind} ${f.asset ?? ''} ${f.date ?? ''} ${f.endDate ?? ''}`);
const ticks = (r: QualityReport): string[] => of(r, 'bad-tick').map((f) => `${f.asset} ${f.date}`);

function zeroCounts(): Record<string, number> {
  return Object.fromEntries(QUALITY_KINDS.map((k) => [k, 0]));
}

describe('bad ticks in prices', () => {
  it('flags a one-day drop to 1/10 that reverts, with a readable message and the numbers', () => {
    const r = checkQuality(mk({ A: [100, 101, 10, 102, 103], B: [50, 51, 52, 53, 54] }));
    expect(r.counts).toEqual({ ...zeroCounts(), 'bad-tick': 1 });
    expect(r.truncated).toBe(false);
    expect(r.findings).toEqual([
      {
        kind: 'bad-tick',
        asset: 'A',
        date: '2020-01-03',
        message: 'A 2020-01-03: price 10 is 1/10.1 of the previous 101 (2020-01-02) and reverts to 102 (2020-01-04)',
        values: { previous: 101, price: 10, next: 102, jump: 10 / 101, reversal: 102 / 101 },
      },
    ]);
  });

  it('flags a one-day jump up', () => {
    const r = checkQuality(mk({ A: [50, 50.5, 500, 51] }));
    expect(of(r, 'bad-tick').map((f) => f.message)).toEqual([
      'A 2020-01-03: price 500 is 9.9 times the previous 50.5 (2020-01-02) and reverts to 51 (2020-01-04)',
    ]);
  });

  it('applies the thresholds inclusively: x4 up, 1/5 down, reversal within a factor 2', () => {
    const flagged = (xs: number[], o?: QualityOptions): number => checkQuality(mk({ A: xs }), o).counts['bad-tick'];
    expect(flagged([100, 400, 100])).toBe(1);
    expect(flagged([100, 399, 100])).toBe(0);
    expect(flagged([100, 20, 100])).toBe(1);
    expect(flagged([100, 20.01, 100])).toBe(0);
    expect(flagged([100, 10, 200])).toBe(1); // reverts to exactly 2x the previous
    expect(flagged([100, 10, 201])).toBe(0);
    expect(flagged([100, 10, 50])).toBe(1); // reverts to exactly 1/2 the previous
    expect(flagged([100, 10, 49])).toBe(0);
    // Options move the thresholds.
    expect(flagged([100, 300, 100], { badTickUp: 3 })).toBe(1);
    expect(flagged([100, 40, 100], { badTickDown: 2.5 })).toBe(1);
    expect(flagged([100, 10, 300], { reversalBand: 3 })).toBe(1);
  });

  it("never flags an asset's first observed price (no previous price), nor the good price after it", () => {
    const r = checkQuality(mk({ A: [N, N, 10, 100, 101, 102], B: [1, 1.1, 1.2, 1.3, 1.4, 1.5] }));
    expect(r.counts['bad-tick']).toBe(0);
  });

  it('flags the second observed price (the first one is a valid previous price)', () => {
    expect(ticks(checkQuality(mk({ A: [N, 100, 10, 101, 102] })))).toEqual(['A 2020-01-03']);
    expect(ticks(checkQuality(mk({ A: [100, 10, 101] })))).toEqual(['A 2020-01-02']);
  });

  it('never flags the last observed price (no reversal is observable)', () => {
    expect(checkQuality(mk({ A: [100, 101, 102, 10] })).counts['bad-tick']).toBe(0);
    expect(checkQuality(mk({ A: [100, 101, 10, N, N] })).counts['bad-tick']).toBe(0);
  });

  it('skips missing rows between the previous price, the tick and its reversal', () => {
    const r = checkQuality(mk({ A: [100, N, 10, N, N, 101, 102] }));
    expect(of(r, 'bad-tick').map((f) => f.message)).toEqual([
      'A 2020-01-03: price 10 is 1/10 of the previous 100 (2020-01-01) and reverts to 101 (2020-01-06)',
    ]);
  });

  it('does not flag a genuine permanent move (a split-like drop to 1/5 that stays)', () => {
    expect(checkQuality(mk({ A: [100, 100.5, 20, 20.2, 19.9, 20.1] })).counts['bad-tick']).toBe(0);
    expect(checkQuality(mk({ A: [100, 20, 40.5] })).counts['bad-tick']).toBe(0); // partial recovery, 0.405 < 1/2
    expect(checkQuality(mk({ A: [10, 50, 55, 60] })).counts['bad-tick']).toBe(0); // a x5 jump that stays
  });

  it('flags two bad ticks separated by one good price, but not a two-day bad level', () => {
    expect(ticks(checkQuality(mk({ A: [100, 10, 100, 10, 100] })))).toEqual(['A 2020-01-02', 'A 2020-01-04']);
    expect(checkQuality(mk({ A: [100, 10, 10, 100] })).counts['bad-tick']).toBe(0);
  });

  it('compares the price after a flagged tick with the price before it', () => {
    // 100, 1 (bad), 100, then 1000: the 1000 is a jump from 100, reverted by 101.
    expect(ticks(checkQuality(mk({ A: [100, 1, 100, 1000, 101] })))).toEqual(['A 2020-01-02', 'A 2020-01-04']);
  });
});

describe('jumps: moves as large as a bad tick that do not revert', () => {
  it('an unadjusted split (the level stays) is a jump, not a bad tick, and cleaning leaves it', () => {
    const p = mk({ A: [100, 101, 10.1, 10.2, 10.0], B: [50, 51, 52, 53, 54] });
    const r = checkQuality(p);
    expect(ticks(r)).toEqual([]);
    expect(keys(of(r, 'jump'))).toEqual([`jump A ${d(2)} `]);
    const [j] = of(r, 'jump');
    expect(j.values).toEqual({ previous: 101, price: 10.1, next: 10.2, jump: 10.1 / 101 });
    expect(j.message).toMatch(
      /A 2020-01-03: price 10\.1 is 1\/10 of the previous 101 \(2020-01-02\) and stays \(next 10\.2, 2020-01-04\): a real move, or an unadjusted split/,
    );
    expect(r.counts.jump).toBe(1);
    expect(Array.from(cleanBadTicks(p, r).values)).toEqual(Array.from(p.values));
  });

  it("a bad last price (nothing after it) and a bad first price (the second one 'jumps') are listed, each saying which", () => {
    const r = checkQuality(mk({ L: [100, 101, 102, 1020], F: [1, 100, 101, 102] }));
    expect(keys(of(r, 'jump'))).toEqual([`jump F ${d(1)} `, `jump L ${d(3)} `]);
    const [f, l] = of(r, 'jump');
    expect(f.message).toMatch(/the first price 1 may be the bad one/);
    expect(l.message).toMatch(/and is the last price: nothing after it confirms the move/);
    expect(l.values).toEqual({ previous: 102, price: 1020, jump: 10 });
    expect(ticks(r)).toEqual([]);
  });

  it('a missing row before the next price does not hide a jump; a bad tick across a missing row is still a bad tick', () => {
    const r = checkQuality(mk({ A: [100, 10, N, N, 11], B: [100, 10, N, 99, 100] }));
    expect(keys(of(r, 'jump'))).toEqual([`jump A ${d(1)} `]);
    expect(ticks(r)).toEqual([`B ${d(1)}`]);
  });

  it('moves inside the thresholds, and values that are not prices, are never jumps', () => {
    expect(checkQuality(mk({ A: [100, 350, 100, 25, 30] })).counts.jump).toBe(0); // x3.5, 1/4: under x4 and 1/5
    expect(checkQuality(mk({ A: [100, 1000, 1000, 1000] }), { kind: 'values' }).counts.jump).toBe(0);
  });

  it('returns: a gross return beyond the thresholds not reversed on the next row, followed by a missing row, or last', () => {
    const r = checkQuality(mk({ S: [0.01, 9, 0.02, 0.01], G: [0.01, -0.9, N, 0.01], L: [0.01, 0.02, 0.01, 4] }), { kind: 'returns' });
    expect(keys(of(r, 'jump'))).toEqual([`jump G ${d(1)} `, `jump S ${d(1)} `, `jump L ${d(3)} `]);
    const msg = Object.fromEntries(of(r, 'jump').map((f) => [f.asset, f.message]));
    expect(msg.S).toMatch(/return 900% is not reversed on the next row/);
    expect(msg.G).toMatch(/return -90% is followed by a missing row/);
    expect(msg.L).toMatch(/return 400% is the last return/);
    // a reversed one stays a bad tick
    const b = checkQuality(mk({ A: [0.01, 9, -0.9, 0.01] }), { kind: 'returns' });
    expect(b.counts.jump).toBe(0);
    expect(b.counts['bad-tick']).toBe(1);
  });

  it('property: every jump moved beyond the thresholds; scaling the prices changes no finding; small moves give none', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.array(fc.record({ at: fc.nat(59), k: fc.constantFrom(0.01, 0.1, 10, 100) }), { maxLength: 4 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (steps, shocks, scale) => {
          const px: number[] = [];
          let x = 100;
          for (const r of steps) px.push((x *= Math.exp(r)));
          const quiet = checkQuality(mk({ A: px }));
          expect(quiet.counts.jump + quiet.counts['bad-tick']).toBe(0); // |log step| <= 0.3 < log 4
          for (const { at, k } of shocks) if (at < px.length) for (let t = at; t < px.length; t++) px[t] *= k;
          const r = checkQuality(mk({ A: px }));
          for (const f of of(r, 'jump')) {
            const j = f.values?.jump ?? NaN;
            expect(j >= 4 || j <= 1 / 5).toBe(true);
          }
          const scaled = checkQuality(mk({ A: px.map((v) => v * scale) }));
          expect(scaled.counts).toEqual(r.counts);
          expect(keys(scaled.findings)).toEqual(keys(r.findings));
        },
      ),
    );
  });
});

describe('non-positive prices and returns', () => {
  it('reports each non-positive price and leaves it out of the bad-tick rule', () => {
    const r = checkQuality(mk({ A: [100, 0, -5, 100, 101] }));
    expect(r.counts).toEqual({ ...zeroCounts(), 'non-positive': 2 });
    expect(of(r, 'non-positive').map((f) => f.message)).toEqual([
      'A 2020-01-02: price 0 is not positive',
      'A 2020-01-03: price -5 is not positive',
    ]);
    expect(of(r, 'non-positive')[1].values).toEqual({ value: -5 });
  });

  it('reports a return of -100% or worse for kind returns, and nothing for kind values', () => {
    const cols = { A: [0.01, -1, -1.5, 0.02] };
    expect(keys(of(checkQuality(mk(cols), { kind: 'returns' }), 'non-positive'))).toEqual([
      'non-positive A 2020-01-02 ',
      'non-positive A 2020-01-03 ',
    ]);
    expect(checkQuality(mk(cols), { kind: 'values' }).counts['non-positive']).toBe(0);
  });
});

describe('bad ticks in returns', () => {
  it('flags the two returns a bad price spoils, and cleaning removes both', () => {
    const prices = mk({ A: [100, 101, 10, 102, 103] });
    const rets = simpleReturns(prices);
    const r = checkQuality(rets, { kind: 'returns' });
    expect(r.counts['bad-tick']).toBe(1);
    const f = of(r, 'bad-tick')[0];
    expect([f.asset, f.date, f.endDate]).toEqual(['A', '2020-01-03', '2020-01-04']);
    expect(f.values!.return).toBeCloseTo(10 / 101 - 1, 14);
    expect(f.values!.nextReturn).toBeCloseTo(9.2, 14);
    expect(f.values!.combined).toBeCloseTo(102 / 101 - 1, 14);
    expect(f.message).toBe('A 2020-01-03: return -90.1% is reversed by 920% on 2020-01-04 (0.9901% over both days), a one-day bad price');
    const clean = cleanBadTicks(rets, r);
    expect(Array.from(clean.column('A'))).toEqual([N, 101 / 100 - 1, N, N, 103 / 102 - 1]);
  });

  it('needs the reversal on the very next row: a missing return breaks the chain', () => {
    expect(checkQuality(mk({ A: [0.01, -0.9, N, 9] }), { kind: 'returns' }).counts['bad-tick']).toBe(0);
    expect(checkQuality(mk({ A: [0.01, -0.9, 9, 0.01] }), { kind: 'returns' }).counts['bad-tick']).toBe(1);
    expect(checkQuality(mk({ A: [0.01, 0.02, -0.9] }), { kind: 'returns' }).counts['bad-tick']).toBe(0); // last row
  });

  it('does not treat the reversal return as a new bad tick', () => {
    // +900%, -90%, +900%, -90%: two bad prices (rows 0 and 2), not three.
    const r = checkQuality(mk({ A: [9, -0.9, 9, -0.9] }), { kind: 'returns' });
    expect(keys(of(r, 'bad-tick'))).toEqual(['bad-tick A 2020-01-01 2020-01-02', 'bad-tick A 2020-01-03 2020-01-04']);
  });

  it('kind values runs no bad-tick rule', () => {
    expect(checkQuality(mk({ A: [100, 10, 100] }), { kind: 'values' }).counts['bad-tick']).toBe(0);
  });
});

describe('constant series', () => {
  it('reports a series that never changes over the whole sample once', () => {
    const r = checkQuality(mk({ A: [5, 5, N, 5, 5], B: [1, 2, 3, 4, 5], C: [N, N, 7, N, N] }));
    expect(r.counts['constant-series']).toBe(1);
    expect(of(r, 'constant-series')).toEqual([
      {
        kind: 'constant-series',
        asset: 'A',
        date: '2020-01-01',
        endDate: '2020-01-05',
        message: 'A: all 4 observations (2020-01-01..2020-01-05) are the same value 5',
        values: { value: 5, observations: 4 },
      },
    ]);
  });

  it('reports runs of at least constantRows identical observations; missing rows do not break a run', () => {
    const o = { constantRows: 3 };
    expect(keys(of(checkQuality(mk({ A: [1, 2, 2, 2, 3] }), o), 'constant-series'))).toEqual(['constant-series A 2020-01-02 2020-01-04']);
    expect(checkQuality(mk({ A: [1, 2, 2, 3, 3] }), o).counts['constant-series']).toBe(0);
    const gappy = of(checkQuality(mk({ A: [1, 2, 2, N, 2, 3] }), o), 'constant-series');
    expect(gappy.map((f) => f.message)).toEqual(['A 2020-01-02..2020-01-05: the same value 2 for 3 observations in a row']);
    // A run still open at the end of the data.
    expect(keys(of(checkQuality(mk({ A: [1, 2, 2, 2] }), o), 'constant-series'))).toEqual(['constant-series A 2020-01-02 2020-01-04']);
  });

  it('uses 20 observations by default', () => {
    const run = (k: number): number[] => [1, ...Array<number>(k).fill(2), 3];
    expect(checkQuality(mk({ A: run(19) })).counts['constant-series']).toBe(0);
    expect(checkQuality(mk({ A: run(20) })).counts['constant-series']).toBe(1);
  });
});

describe('long gaps', () => {
  it('reports more than gapRows missing rows between two observations, nothing at the edges', () => {
    const o = { gapRows: 2 };
    expect(checkQuality(mk({ A: [1, N, N, 2] }), o).counts['long-gap']).toBe(0);
    const r = checkQuality(mk({ A: [1, N, N, N, 2], B: [N, N, 1, N, N] }), o);
    expect(r.counts['long-gap']).toBe(1);
    expect(of(r, 'long-gap')).toEqual([
      {
        kind: 'long-gap',
        asset: 'A',
        date: '2020-01-02',
        endDate: '2020-01-04',
        message: 'A 2020-01-02..2020-01-04: missing for 3 consecutive dates between its observations on 2020-01-01 and 2020-01-05',
        values: { rows: 3 },
      },
    ]);
  });

  it('an annual series on the union calendar of a sparse file is not a row of gaps; one missing two years of its own cadence is', () => {
    // A reports every 10 rows; B on rows 5, 15, 25, 35 and then 75 (three of its steps missing)
    const col = (rows: number[]): number[] => Array.from({ length: 80 }, (_, t) => (rows.includes(t) ? t + 1 : N));
    const r = checkQuality(mk({ A: col([0, 10, 20, 30, 40, 50, 60, 70]), B: col([5, 15, 25, 35, 75]) }), { gapRows: 5 });
    expect(of(r, 'long-gap').map((f) => `${f.asset} ${f.values?.rows}`)).toEqual(['B 39']);
  });

  it("an asset with too few reports for a cadence of its own takes the file's: two annual reports a year apart are no gap", () => {
    // A and B report every 10 rows; C (listed late) reports twice, 10 rows apart; D twice, 40 rows apart (3 years missing)
    const col = (rows: number[]): number[] => Array.from({ length: 80 }, (_, t) => (rows.includes(t) ? t + 1 : N));
    const r = checkQuality(
      mk({ A: col([0, 10, 20, 30, 40, 50, 60, 70]), B: col([3, 13, 23, 33, 43, 53, 63, 73]), C: col([55, 65]), D: col([5, 45]) }),
      { gapRows: 5 },
    );
    expect(of(r, 'long-gap').map((f) => `${f.asset} ${f.values?.rows}`)).toEqual(['D 39']);
    // with no asset that has 3 steps, the cadence is 1 row: every gap over gapRows counts
    const alone = checkQuality(mk({ C: col([55, 65]) }), { gapRows: 5 });
    expect(alone.counts['long-gap']).toBe(1);
  });

  it('uses 20 rows by default', () => {
    const gap = (k: number): number[] => [1, ...Array<number>(k).fill(N), 2];
    expect(checkQuality(mk({ A: gap(20) })).counts['long-gap']).toBe(0);
    expect(checkQuality(mk({ A: gap(21) })).counts['long-gap']).toBe(1);
  });
});

describe('thin, empty dates and empty assets', () => {
  it('reports a date with fewer than half the median number of assets', () => {
    const cols = { A: [1, 2, 3, 4, 5], B: [1, 2, N, 4, 5], C: [1, 2, N, N, 5], D: [1, 2, N, 4, 5] };
    // counts 4, 4, 1, 3, 4: median 4, thin below 2.
    const r = checkQuality(mk(cols));
    expect(r.counts['thin-date']).toBe(1);
    expect(of(r, 'thin-date')).toEqual([
      {
        kind: 'thin-date',
        date: '2020-01-03',
        message: '2020-01-03: only 1 of 4 assets have data, 25% of the median 4 per date',
        values: { assets: 1, median: 4 },
      },
    ]);
    const withMin = checkQuality(mk(cols), { minAssets: 4 });
    expect(keys(of(withMin, 'thin-date'))).toEqual(['thin-date  2020-01-03 ', 'thin-date  2020-01-04 ']);
    expect(of(withMin, 'thin-date')[1].message).toBe(
      '2020-01-04: only 3 of 4 assets have data, 75% of the median 4 per date and fewer than the minimum 4',
    );
    expect(checkQuality(mk(cols), { thinDateShare: 0 }).counts['thin-date']).toBe(0);
  });

  it('reports assets and dates with no data at all (an empty date is not also thin)', () => {
    const r = checkQuality(mk({ A: [1, N, 3, 4], B: [N, N, N, N], C: [2, N, 4, 5] }));
    expect(r.counts).toEqual({ ...zeroCounts(), 'empty-asset': 1, 'empty-date': 1 });
    expect(of(r, 'empty-asset')[0].message).toBe('B: no data on any of the 4 dates');
    expect(of(r, 'empty-date')[0]).toEqual({ kind: 'empty-date', date: '2020-01-02', message: '2020-01-02: no asset has data' });
  });

  it('treats ±Infinity as missing', () => {
    const r = checkQuality(mk({ A: [Infinity, -Infinity], B: [1, 2] }));
    expect(r.counts['empty-asset']).toBe(1);
    expect(r.counts['non-positive']).toBe(0);
  });
});

describe('degenerate panels', () => {
  it('one asset', () => {
    const r = checkQuality(mk({ A: [100, 10, 101, N, 102] }));
    expect(r.counts).toEqual({ ...zeroCounts(), 'bad-tick': 1, 'empty-date': 1 });
  });

  it('one date', () => {
    expect(checkQuality(mk({ A: [1], B: [2], C: [2] })).counts).toEqual(zeroCounts());
    expect(checkQuality(mk({ A: [N], B: [N] })).counts).toEqual({ ...zeroCounts(), 'empty-asset': 2, 'empty-date': 1 });
  });

  it('empty panels', () => {
    expect(checkQuality(mk({}, 0))).toEqual({ findings: [], counts: zeroCounts(), truncated: false });
    expect(checkQuality(mk({}, 3)).counts).toEqual(zeroCounts()); // dates but no assets: nothing to report
    expect(checkQuality(mk({ A: [], B: [] }, 0)).counts).toEqual({ ...zeroCounts(), 'empty-asset': 2 });
    expect(formatQualityReport(checkQuality(mk({}, 0)))).toEqual(['Data quality: no findings']);
  });
});

describe('listing, truncation and formatting', () => {
  // Ten assets named in reverse order, each with a bad tick; the row of asset k is 1 + (k % 3).
  const names = Array.from({ length: 10 }, (_, k) => `S${9 - k}`);
  const cols: Record<string, number[]> = {};
  names.forEach((name, k) => {
    const xs = [100, 101, 102, 103, 104];
    xs[1 + (k % 3)] = 1;
    cols[name] = xs;
  });
  const panel = mk(cols);

  it('sorts by date then asset name and caps the listing; counts stay exact', () => {
    const all = checkQuality(panel);
    expect(all.counts['bad-tick']).toBe(10);
    expect(ticks(all)).toEqual([
      'S0 2020-01-02',
      'S3 2020-01-02',
      'S6 2020-01-02',
      'S9 2020-01-02',
      'S2 2020-01-03',
      'S5 2020-01-03',
      'S8 2020-01-03',
      'S1 2020-01-04',
      'S4 2020-01-04',
      'S7 2020-01-04',
    ]);
    for (const cap of [0, 1, 3, 4, 9]) {
      const r = checkQuality(panel, { maxFindingsPerKind: cap });
      expect(r.counts['bad-tick']).toBe(10);
      expect(r.truncated).toBe(true);
      expect(ticks(r)).toEqual(ticks(all).slice(0, cap));
    }
    expect(checkQuality(panel, { maxFindingsPerKind: 10 }).truncated).toBe(false);
    expect(checkQuality(panel, { maxFindingsPerKind: Infinity }).findings).toEqual(all.findings);
  });

  it('keeps the first findings of a long list with bounded memory', () => {
    // 2,000 non-positive cells; the collector compacts many times.
    const big = mk({ B: Array<number>(1000).fill(-1), A: Array<number>(1000).fill(0) });
    const r = checkQuality(big, { maxFindingsPerKind: 3, kind: 'prices' });
    expect(r.counts['non-positive']).toBe(2000);
    expect(keys(of(r, 'non-positive'))).toEqual(['non-positive A 2020-01-01 ', 'non-positive B 2020-01-01 ', 'non-positive A 2020-01-02 ']);
  });

  it('formats a summary line, one line per finding, and what was left out', () => {
    const r = checkQuality(mk({ A: [100, 10, 101, 0], B: [N, N, N, N] }), { maxFindingsPerKind: 1 });
    expect(formatQualityReport(r)).toEqual([
      'Data quality: 1 bad tick, 1 non-positive value, 1 empty asset',
      '  bad-tick: A 2020-01-02: price 10 is 1/10 of the previous 100 (2020-01-01) and reverts to 101 (2020-01-03)',
      '  non-positive: A 2020-01-04: price 0 is not positive',
      '  empty-asset: B: no data on any of the 4 dates',
    ]);
    expect(formatQualityReport(checkQuality(panel, { maxFindingsPerKind: 2 }))).toEqual([
      'Data quality: 10 bad ticks',
      '  bad-tick: S0 2020-01-02: price 1 is 1/100 of the previous 100 (2020-01-01) and reverts to 102 (2020-01-03)',
      '  bad-tick: S3 2020-01-02: price 1 is 1/100 of the previous 100 (2020-01-01) and reverts to 102 (2020-01-03)',
      '  bad-tick: ... and 8 more (list them with --max-findings, or maxFindingsPerKind in the library)',
    ]);
  });

  it('is plain JSON', () => {
    const r = checkQuality(mk({ A: [100, 10, 101, 0, 5, 5, 5], B: [N, N, N, N, N, N, N] }), { constantRows: 3 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('cleanBadTicks', () => {
  it('sets exactly the flagged cells to NaN and leaves the input alone', () => {
    const panel = mk({ A: [100, 10, 101, 102], B: [5, 6, 60, 7] });
    const before = panel.values.slice();
    const clean = cleanBadTicks(panel, checkQuality(panel));
    expect(Array.from(panel.values)).toEqual(Array.from(before));
    expect(Array.from(clean.column('A'))).toEqual([100, N, 101, 102]);
    expect(Array.from(clean.column('B'))).toEqual([5, 6, N, 7]);
    expect(clean.assets).toEqual(panel.assets);
    expect(Array.from(clean.dates)).toEqual(Array.from(panel.dates));
  });

  it('refuses a truncated report and a report of another panel', () => {
    const panel = mk({ A: [100, 10, 101, 10, 102] });
    expect(() => cleanBadTicks(panel, checkQuality(panel, { maxFindingsPerKind: 1 }))).toThrow(InputError);
    expect(() => cleanBadTicks(panel, checkQuality(panel, { maxFindingsPerKind: 1 }))).toThrow(/lists 1 of 2 bad ticks/);
    const other = mk({ B: [100, 10, 101] });
    expect(() => cleanBadTicks(panel, checkQuality(other))).toThrow(/does not match this panel/);
  });
});

describe('checkAndCleanBadTicks', () => {
  it('cleans every bad tick although the report lists only maxFindingsPerKind of them', () => {
    const panel = mk({ A: [100, 10, 101, 10, 102], B: [5, 6, 60, 7, 7] });
    const r = checkAndCleanBadTicks(panel, { maxFindingsPerKind: 1 });
    expect(r.report.counts['bad-tick']).toBe(3);
    expect(r.report.findings.filter((f) => f.kind === 'bad-tick')).toHaveLength(1);
    expect(r.report.truncated).toBe(true);
    expect(Array.from(r.panel.column('A'))).toEqual([100, N, 101, N, 102]);
    expect(Array.from(r.panel.column('B'))).toEqual([5, 6, N, 7, 7]);
    expect(r.cells).toBe(3);
    expect(r.panel.values).toEqual(cleanBadTicks(panel, checkQuality(panel, { maxFindingsPerKind: 10 })).values);
  });

  it('no bad ticks: the same panel and zero cells', () => {
    const panel = mk({ A: [100, 101, 102] });
    const r = checkAndCleanBadTicks(panel, { maxFindingsPerKind: 0 });
    expect(r.panel).toBe(panel);
    expect(r.cells).toBe(0);
  });

  it('property: any listing limit cleans the same cells as an unlimited report', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(100, 101, 10, 1, 99), { minLength: 3, maxLength: 30 }), fc.nat({ max: 5 }), (col, limit) => {
        const panel = mk({ A: col, B: col.slice().reverse() });
        const a = checkAndCleanBadTicks(panel, { maxFindingsPerKind: limit });
        const b = cleanBadTicks(panel, checkQuality(panel, { maxFindingsPerKind: Infinity }));
        expect(Array.from(a.panel.values)).toEqual(Array.from(b.values));
      }),
    );
  });

  it('property: in place cleans the same cells, counts the same, and returns the panel itself', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(100, 101, 10, 1, 99, N), { minLength: 3, maxLength: 30 }), fc.nat({ max: 5 }), (col, limit) => {
        const copy = mk({ A: col, B: col.slice().reverse() });
        const own = mk({ A: col, B: col.slice().reverse() });
        const a = checkAndCleanBadTicks(copy, { maxFindingsPerKind: limit });
        const b = checkAndCleanBadTicks(own, { maxFindingsPerKind: limit }, true);
        expect(b.panel).toBe(own);
        expect(b.cells).toBe(a.cells);
        expect(b.report).toEqual(a.report);
        expect(Array.from(own.values)).toEqual(Array.from(a.panel.values));
      }),
    );
  });

  it('in place: a report of another panel throws before any cell is set', () => {
    const panel = mk({ A: [100, 10, 101, 10, 102] });
    const other = mk({ B: [100, 10, 101], A: [100, 10, 101] });
    const before = Array.from(panel.values);
    expect(() => cleanBadTicks(panel, checkQuality(other), true)).toThrow(/does not match this panel/);
    expect(Array.from(panel.values)).toEqual(before);
  });
});

describe('options', () => {
  it('rejects invalid thresholds with an InputError', () => {
    const p = mk({ A: [1, 2] });
    for (const o of [
      { badTickUp: 1 },
      { badTickDown: 0.5 },
      { reversalBand: 0.9 },
      { gapRows: -1 },
      { gapRows: 1.5 },
      { constantRows: 1 },
      { thinDateShare: 1.5 },
      { minAssets: -1 },
      { maxFindingsPerKind: -1 },
      { badTickUp: NaN },
    ]) {
      expect(() => checkQuality(p, o)).toThrow(InputError);
    }
    expect(() => checkQuality(p, { kind: 'volumes' as 'prices' })).toThrow(/unknown quality kind/);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

/** Cell values whose ratios stay far from every threshold (4, 1/5, 2, 1/2), see the check below. */
const LEVELS = [10, 23, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 1000];

const cellArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LEVELS.slice(2, 13)) },
  { weight: 1, arbitrary: fc.constantFrom(10, 23, 1000) },
  { weight: 2, arbitrary: fc.constant(NaN) },
  { weight: 2, arbitrary: fc.constant(100) },
  { weight: 1, arbitrary: fc.constant(0) },
);

const panelArb = fc.record({ n: fc.integer({ min: 0, max: 24 }), m: fc.integer({ min: 0, max: 5 }) }).chain(({ n, m }) =>
  fc.array(cellArb, { minLength: n * m, maxLength: n * m }).map((cells) => {
    const dates = calendarFromIso(Array.from({ length: n }, (_, t) => d(3 * t)));
    return new Panel(
      dates,
      Array.from({ length: m }, (_, j) => `X${j}`),
      Float64Array.from(cells),
    );
  }),
);

const optionsArb = fc.record({
  kind: fc.constantFrom<'prices' | 'returns' | 'values'>('prices', 'values'),
  gapRows: fc.integer({ min: 0, max: 4 }),
  constantRows: fc.integer({ min: 2, max: 4 }),
  minAssets: fc.integer({ min: 0, max: 3 }),
  maxFindingsPerKind: fc.constantFrom(1, 3, 1000),
});

const identity = (r: QualityReport): string[] => keys(r.findings);

describe('properties', () => {
  it('the level set keeps every ratio far from the thresholds (so scaling cannot flip a comparison)', () => {
    for (const a of LEVELS) {
      for (const b of LEVELS) {
        for (const th of [4, 1 / 5, 2, 1 / 2]) expect(Math.abs(a / b / th - 1)).toBeGreaterThan(1e-3);
      }
    }
  });

  it('permuting assets permutes findings (the listing is sorted by date and name, so it is equal)', () => {
    fc.assert(
      fc.property(panelArb, optionsArb, fc.integer(), (panel, o, seed) => {
        const order = panel.assets.slice();
        let s = seed >>> 0;
        for (let i = order.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const k = s % (i + 1);
          [order[i], order[k]] = [order[k], order[i]];
        }
        expect(checkQuality(panel.selectAssets(order), o)).toEqual(checkQuality(panel, o));
      }),
    );
  });

  it('multiplying every price by a positive constant changes no finding', () => {
    const scaleArb = fc.oneof(
      fc.integer({ min: -30, max: 30 }).map((k) => 2 ** k),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    );
    fc.assert(
      fc.property(panelArb, optionsArb, scaleArb, (panel, o, c) => {
        const a = checkQuality(panel, o),
          b = checkQuality(
            panel.map((x) => x * c),
            o,
          );
        expect(b.counts).toEqual(a.counts);
        expect(identity(b)).toEqual(identity(a));
      }),
    );
  });

  it('cleanBadTicks never mutates its input and only sets flagged cells to NaN', () => {
    fc.assert(
      fc.property(panelArb, (panel) => {
        const before = panel.values.slice();
        const report = checkQuality(panel, { maxFindingsPerKind: Infinity });
        const clean = cleanBadTicks(panel, report);
        for (let i = 0; i < before.length; i++) expect(Object.is(panel.values[i], before[i])).toBe(true);
        const flagged = new Set(of(report, 'bad-tick').map((f) => `${f.date} ${f.asset}`));
        const iso = panel.isoDates();
        for (let t = 0; t < panel.nDates; t++) {
          for (let j = 0; j < panel.nAssets; j++) {
            const isFlagged = flagged.has(`${iso[t]} ${panel.assets[j]}`);
            if (isFlagged) expect(clean.at(t, j)).toBeNaN();
            else expect(Object.is(clean.at(t, j), panel.at(t, j))).toBe(true);
          }
        }
        expect(checkQuality(clean).counts['bad-tick']).toBeLessThanOrEqual(report.counts['bad-tick']);
      }),
    );
  });

  it('agrees with a brute-force asset-by-asset oracle for bad ticks, gaps and constant runs', () => {
    const seen = { tick: 0, gap: 0, run: 0 };
    fc.assert(
      fc.property(panelArb, optionsArb, (panel, o) => {
        const r = checkQuality(panel, { ...o, kind: 'prices', maxFindingsPerKind: Infinity });
        const iso = panel.isoDates();
        const want = { tick: [] as string[], gap: [] as string[], run: [] as string[] };
        // the file's cadence: median over assets with >= 3 steps of their mean step
        const observed = (j: number): number[] => {
          const rows: number[] = [];
          for (let t = 0; t < panel.nDates; t++) if (Number.isFinite(panel.at(t, j))) rows.push(t);
          return rows;
        };
        const means = Array.from({ length: panel.nAssets }, (_, j) => observed(j))
          .filter((rows) => rows.length >= 4)
          .map((rows) => (rows[rows.length - 1] - rows[0]) / (rows.length - 1))
          .sort((a, b) => a - b);
        const k = means.length;
        const fileStep = k === 0 ? 1 : k % 2 === 1 ? means[(k - 1) / 2] : (means[k / 2 - 1] + means[k / 2]) / 2;
        for (let j = 0; j < panel.nAssets; j++) {
          const name = panel.assets[j];
          const rows: number[] = [];
          for (let t = 0; t < panel.nDates; t++) if (Number.isFinite(panel.at(t, j))) rows.push(t);
          // Gaps: consecutive observed rows more than gapRows apart.
          for (let i = 1; i < rows.length; i++) {
            if (rows[i] - rows[i - 1] - 1 > o.gapRows && rows[i] - rows[i - 1] - 1 > 3 * (ownStep(rows, fileStep) - 1))
              want.gap.push(`${name} ${iso[rows[i - 1] + 1]}`);
          }
          // Constant: whole sample, else maximal runs of equal consecutive observations.
          const xs = rows.map((t) => panel.at(t, j));
          if (xs.length >= 2 && xs.every((x) => x === xs[0])) want.run.push(`${name} ${iso[rows[0]]}`);
          else {
            for (let i = 0; i < xs.length;) {
              let k = i;
              while (k + 1 < xs.length && xs[k + 1] === xs[i]) k++;
              if (k - i + 1 >= o.constantRows) want.run.push(`${name} ${iso[rows[i]]}`);
              i = k + 1;
            }
          }
          // Bad ticks over the positive observations.
          const pos = rows.filter((t) => panel.at(t, j) > 0);
          const p = (i: number): number => panel.at(pos[i], j);
          for (let prev = 0, i = 1; i + 1 < pos.length;) {
            const jump = p(i) / p(prev),
              back = p(i + 1) / p(prev);
            if ((jump >= 4 || jump <= 0.2) && back >= 0.5 && back <= 2) {
              want.tick.push(`${name} ${iso[pos[i]]}`);
              prev = i + 1;
              i += 2;
            } else {
              prev = i;
              i++;
            }
          }
        }
        const got = (kind: QualityFinding['kind']): string[] =>
          of(r, kind)
            .map((f) => `${f.asset} ${f.date}`)
            .sort();
        expect(got('bad-tick')).toEqual(want.tick.sort());
        expect(got('long-gap')).toEqual(want.gap.sort());
        expect(got('constant-series')).toEqual(want.run.sort());
        seen.tick += want.tick.length;
        seen.gap += want.gap.length;
        seen.run += want.run.length;
      }),
      { numRuns: 300 },
    );
    // The generator does exercise every rule (the property is not vacuous).
    expect(seen.tick).toBeGreaterThan(20);
    expect(seen.gap).toBeGreaterThan(20);
    expect(seen.run).toBeGreaterThan(20);
  });

  it('the returns rule on complete positive prices finds the same bad prices as the price rule', () => {
    const fullArb = panelArb.map((p) => p.map((x) => (x > 0 ? x : 100)));
    fc.assert(
      fc.property(fullArb, (prices) => {
        const byPrice = ticks(checkQuality(prices, { maxFindingsPerKind: Infinity }));
        const byReturn = ticks(checkQuality(simpleReturns(prices), { kind: 'returns', maxFindingsPerKind: Infinity }));
        expect(byReturn).toEqual(byPrice);
      }),
    );
  });
});

/** The median step between consecutive observed rows; 1 below 3 steps (the oracle's copy of the rule). */
function ownStep(rows: number[], fileStep = 1): number {
  const steps = rows.slice(1).map((r, i) => r - rows[i]);
  if (steps.length < 3) return fileStep;
  steps.sort((a, b) => a - b);
  const k = steps.length;
  return k % 2 === 1 ? steps[(k - 1) / 2] : (steps[k / 2 - 1] + steps[k / 2]) / 2;
}
