/**
 * Signals for the engine, on the prices' grid: a whole panel, or rows computed on demand.
 *
 * The engine reads the signal only on signal rows (a monthly schedule reads 1 row in 21), so a
 * signal may be given as {@link SignalRows}: `row(t)` returns row t's values (one per price asset,
 * NaN = none), computed from what is known at t's close. Computing only those rows is what keeps
 * a backtest's cost proportional to its rebalances rather than to the panel.
 *
 * - `momentumRows(prices, {lookback, skip})`: row t of `momentum(prices)` (signals/momentum.ts),
 *   mom_j(t) = p_j(t − skip)/p_j(t − lookback) − 1 (NaN for t < lookback or a missing price), the
 *   same operations, so the same bits (tested).
 * - `alignedRows(signal, prices, maxAgeDays)`: row t of `alignSignal(signal, prices, maxAgeDays)`:
 *   the signal of the latest signal date ≤ the price date t, by asset name, NaN where the signal
 *   has none or (with `maxAgeDays`) where that date is more than maxAgeDays calendar days old.
 *
 * A `row(t)` result may be a buffer reused by the next call: read it before asking for another row.
 *
 * The fast path (optional): a source may also give a row's **candidates** — the names that are
 * tradable (a member with a price) and have a finite signal, with their signals — in one fused pass
 * (`candidatesInto`), instead of the engine building the whole signal row and compacting it by the
 * tradable test. `momentumRows` does: one pass over the three price rows it needs and the
 * membership byte. The result must be exactly {@link compactTradable} of `row(t)` (tested for
 * momentumRows).
 */
import { checkInteger, describeValue } from '../core/checks.js';
import { assetNamesHint } from '../core/assetNames.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { momentumRowInto, momentumWindow } from '../signals/momentum.js';
import type { Candidates } from './select.js';
import { everyAssetMember } from './universe.js';

/** A signal on the prices' grid, computed row by row (see the module comment). */
export interface SignalRows {
  readonly nDates: number;
  readonly nAssets: number;
  /** Row t's values, one per price asset (NaN = none); valid until the next call. */
  row(t: number): Float64Array;
  /**
   * Optional fused fast path: row t's candidates — the names j with member[j] = 1, a price on row t
   * (`prices[t·m + j]` is a number; `prices` date-major with this source's m assets) and a finite
   * signal — in increasing columns with their signals, into `out` (room for m); returns out.
   * Must give exactly the names and values of compacting `row(t)` by that test (the engine's
   * reference route, `compactTradable`).
   */
  candidatesInto?(t: number, member: Uint8Array, prices: Float64Array, out: Candidates): Candidates;
  /**
   * Optional fused fast path of the top / bottom quantile rules (select.ts `TailBin.selectKept`):
   * row t's candidates (the test of `candidatesInto`) counted into res[0], and those beyond the
   * guess g (x > g when `top`, x < g otherwise; all of them when g is NaN) written in increasing
   * columns to idx (column), val and buf (the signal, twice), their count into res[1]. Must keep
   * exactly what `TailBin`'s pass keeps from `candidatesInto`'s candidates (tested for momentumRows).
   */
  tailInto?(
    t: number,
    member: Uint8Array,
    prices: Float64Array,
    g: number,
    top: boolean,
    idx: Int32Array,
    val: Float64Array,
    buf: Float64Array,
    res: Int32Array,
  ): void;
}

/** A whole panel on the prices' grid, or rows on demand. */
export type SignalSource = Panel | SignalRows;

/**
 * A row asked of a source is one of its rows: an InputError naming it (a caller's `row(t)` past the
 * end was a RangeError: exit 1, a fault of factorlab; row 1.5 of alignedRows read NaN). O(1): the
 * engine asks only rows inside.
 */
function checkRow(t: number, n: number): void {
  if (!(t >= 0 && t < n && (t | 0) === t)) checkInteger('row', t, 0, n - 1, `a row of the prices, a whole number in 0..${n - 1}`);
}

/** Row t of a signal source (a view of the panel's row, or the source's own row). */
export function signalRow(source: SignalSource, t: number): Float64Array {
  if (source instanceof Panel) return source.values.subarray(t * source.nAssets, (t + 1) * source.nAssets);
  return source.row(t);
}

/**
 * The reference route to a row's candidates: the names j with member[j] = 1, a price
 * (prices[base + j] is a number) and a finite signal[j], increasing, with their signals, into
 * `out` (room for signal.length); returns out.
 */
export function compactTradable(signal: Float64Array, member: Uint8Array, prices: Float64Array, base: number, out: Candidates): Candidates {
  out.count = compactTradableInto(signal, member, prices, base, out.assets, out.values);
  return out;
}

function compactTradableInto(
  signal: Float64Array,
  member: Uint8Array,
  prices: Float64Array,
  base: number,
  assets: Int32Array,
  values: Float64Array,
): number {
  const m = signal.length;
  let k = 0;
  // branch-free (the conditions are data-dependent): every column is written, k advances past the kept ones
  for (let j = 0; j < m; j++) {
    const x = signal[j],
      y = prices[base + j];
    assets[k] = j;
    values[k] = x;
    k += member[j] & +(y === y) & +(x - x === 0);
  }
  return k;
}

/** Row t of `momentum(prices, {lookback, skip})`, on demand (see the module comment). */
export function momentumRows(prices: Panel, options: { lookback?: number; skip?: number } = {}): SignalRows {
  const { lookback, skip } = momentumWindow(options);
  const n = prices.nDates,
    m = prices.nAssets,
    p = prices.values;
  const buf = new Float64Array(m);
  return withPackableTail({
    nDates: n,
    nAssets: m,
    row(t: number): Float64Array {
      checkRow(t, n);
      if (t < lookback) return buf.fill(NaN);
      momentumRowInto(p, m, t, lookback, skip, buf, 0);
      return buf;
    },
    candidatesInto(t: number, member: Uint8Array, q: Float64Array, out: Candidates): Candidates {
      checkRow(t, n);
      if (t < lookback) {
        out.count = 0;
        return out;
      }
      out.count = momentumCandidates(p, m, t, lookback, skip, everyAssetMember(member) ? null : member, q, out.assets, out.values);
      return out;
    },
    tailInto(t, member, q, g, top, idx, val, buf, res): void {
      checkRow(t, n);
      if (t < lookback) {
        res[0] = 0;
        res[1] = 0;
        return;
      }
      // no guess: every candidate (a finite x is > −Infinity and < Infinity)
      const bound = g === g ? g : top ? -Infinity : Infinity;
      momentumBeyond(p, m, t, lookback, skip, everyAssetMember(member) ? null : member, q, bound, top, idx, val, buf, res);
    },
  });
}

/**
 * True when {@link scanBeyond}'s packed counts k·2^26 + kept unpack exactly for a row of m names:
 * both counts are at most m, so m < 2^26 keeps kept below the base (and k·2^26 + kept below 2^53).
 * From 2^26 names on, a kept count of 2^26 or more would carry into k: wrong counts, silently.
 */
export function packedCountsFit(m: number): boolean {
  return m < COUNT_BASE;
}

/**
 * `rows` itself when its rows fit the fused tail pass's packed counts ({@link packedCountsFit});
 * else the same source without `tailInto`, so that the quantile rules select from
 * `candidatesInto`'s candidates with `TailBin`'s own pass (the same names, tested) instead of
 * reading wrong counts. Checked once, where the row width is known, outside the row loops.
 */
export function withPackableTail(rows: SignalRows): SignalRows {
  if (rows.tailInto === undefined || packedCountsFit(rows.nAssets)) return rows;
  const { nDates, nAssets, row, candidatesInto } = rows;
  return candidatesInto === undefined ? { nDates, nAssets, row } : { nDates, nAssets, row, candidatesInto };
}

/**
 * {@link momentumCandidates} and `TailBin`'s keep in one pass (the `tailInto` of momentumRows): the
 * candidates counted into res[0], those with x > g (`top`; x < g otherwise) written to idx, val and
 * buf, counted into res[1]. `member` null: every asset is a member (a static universe: the loop
 * skips the byte). The loop stores only the column; the kept names' momentum is computed again
 * after it (the same operations, so the same bits) for the few that are kept.
 */
function momentumBeyond(
  p: Float64Array,
  m: number,
  t: number,
  lookback: number,
  skip: number,
  member: Uint8Array | null,
  q: Float64Array,
  g: number,
  top: boolean,
  idx: Int32Array,
  val: Float64Array,
  buf: Float64Array,
  res: Int32Array,
): void {
  const a = (t - lookback) * m,
    b = (t - skip) * m;
  const r = scanBeyond(p, m, a, b, t * m, member, q, g, top, idx);
  const k = Math.floor(r / COUNT_BASE),
    kept = r - k * COUNT_BASE;
  keptMomentum(p, a, b, idx, kept, val, buf);
  res[0] = k;
  res[1] = kept;
}

/**
 * The base of the two counts {@link scanBeyond} packs into one number: rows of fewer than 2^26
 * names ({@link packedCountsFit}; momentumRows drops its fused tail pass for wider rows).
 */
const COUNT_BASE = 2 ** 26;

/**
 * The loop of {@link momentumBeyond}: the candidates' count k and the kept columns (in idx), as
 * k·2^26 + kept. Each loop here is in a function of its own that returns right after it, with one
 * value: V8 compiles a long loop on-stack (OSR) during its first call, before the code after it
 * has run, and an OSR'd function whose later code (a store of the counts, the next loop) lacks
 * type feedback deoptimises there on every call until the whole function is compiled (ten times
 * a run, each followed by a recompilation, when the momentum of the kept names was computed after
 * this loop in the same function).
 */
function scanBeyond(
  p: Float64Array,
  m: number,
  a: number,
  b: number,
  c: number,
  member: Uint8Array | null,
  q: Float64Array,
  g: number,
  top: boolean,
  idx: Int32Array,
): number {
  let k = 0,
    kept = 0,
    j = 0;
  if ((m & 1) === 1) {
    // an odd name out first, so that nothing but the return follows the loop
    const x = p[b] / p[a] - 1;
    const ok = candidate(member === null ? 1 : member[0], q[c], x);
    idx[0] = 0;
    k = ok;
    kept = ok & +(top ? x > g : x < g);
    j = 1;
  }
  // branch-free but for the two tests that go the same way on every name of a call; two names an
  // iteration (~20% faster than one: the loop's own compare and increment are a large share of it)
  for (; j < m; j += 2) {
    const x0 = p[b + j] / p[a + j] - 1,
      x1 = p[b + j + 1] / p[a + j + 1] - 1;
    const ok0 = candidate(member === null ? 1 : member[j], q[c + j], x0),
      ok1 = candidate(member === null ? 1 : member[j + 1], q[c + j + 1], x1);
    idx[kept] = j;
    kept += ok0 & +(top ? x0 > g : x0 < g);
    idx[kept] = j + 1;
    kept += ok1 & +(top ? x1 > g : x1 < g);
    k += ok0 + ok1;
  }
  return k * COUNT_BASE + kept;
}

/** The momentum of the kept names idx[0..kept) into val and buf (the same operations as the scan's). */
function keptMomentum(p: Float64Array, a: number, b: number, idx: Int32Array, kept: number, val: Float64Array, buf: Float64Array): void {
  for (let i = 0; i < kept; i++) {
    const j = idx[i],
      x = p[b + j] / p[a + j] - 1;
    val[i] = x;
    buf[i] = x;
  }
}

/**
 * Row t's momentum candidates in one pass: x_j = p_j(t − skip)/p_j(t − lookback) − 1 (the same
 * operations as `momentumRowInto`, so the same bits), kept when member[j] = 1 (`member` null: every
 * asset), q_j(t) is a number and x_j is finite; columns into `assets`, values into `values`;
 * returns the count.
 */
function momentumCandidates(
  p: Float64Array,
  m: number,
  t: number,
  lookback: number,
  skip: number,
  member: Uint8Array | null,
  q: Float64Array,
  assets: Int32Array,
  values: Float64Array,
): number {
  const a = (t - lookback) * m,
    b = (t - skip) * m,
    c = t * m;
  let k = 0;
  for (let j = 0; j < m; j++) {
    const x = p[b + j] / p[a + j] - 1;
    assets[k] = j;
    values[k] = x;
    k += candidate(member === null ? 1 : member[j], q[c + j], x);
  }
  return k;
}

/**
 * 1 when a name is a candidate: a member (`member` is 0 or 1), with a price y that is a number, and
 * a finite signal x; else 0. The same test as `member & (y === y) & (x − x === 0)` (the reference
 * route's, compactTradable), in ordered comparisons: |x| < Infinity exactly when x is finite, and
 * y <= Infinity exactly when y is not NaN. V8 compiles an equality test of doubles to two flags
 * (NaN is unordered) and an ordered one to one: about 10 ms of the 5,774-name daily backtest's ~90
 * (`bench/backtest.mjs`).
 */
function candidate(member: number, y: number, x: number): number {
  return member & +(Math.abs(x) < Infinity) & +(y <= Infinity);
}

/** For each price row, the signal row it uses (−1: none), and each price asset's signal column (−1: none). */
function alignment(signal: Panel, prices: Panel, maxAgeDays: number): { source: Int32Array; col: Int32Array } {
  // NaN kept every stale date (day − d > NaN is false), a negative number none, a string was coerced
  if (typeof maxAgeDays !== 'number' || !(maxAgeDays >= 0))
    throw new InputError(`maxAgeDays must be a number of calendar days >= 0 (Infinity: no limit), got ${describeValue(maxAgeDays)}`, {
      options: ['maxAgeDays'],
    });
  const n = prices.nDates,
    m = prices.nAssets;
  const col = new Int32Array(m);
  let shared = 0;
  for (let j = 0; j < m; j++) {
    col[j] = signal.assetIndex(prices.assets[j]);
    if (col[j] >= 0) shared++;
  }
  // no name in common: every row of the signal NaN, a backtest that holds nothing, silently
  if (shared === 0 && m > 0 && signal.nAssets > 0)
    throw new InputError(
      `no asset of the signal (${signal.assets.slice(0, 3).join(', ')}${signal.nAssets > 3 ? ', ...' : ''}) is an asset of the prices (${prices.assets.slice(0, 3).join(', ')}${m > 3 ? ', ...' : ''}), so the signal would be missing on every date`,
      { hint: assetNamesHint(signal.assets, prices.assets, 'the signal', 'the prices', 'asset names must match exactly') },
    );
  const source = new Int32Array(n).fill(-1);
  let k = -1;
  for (let t = 0; t < n; t++) {
    const day = prices.dates[t];
    while (k + 1 < signal.nDates && signal.dates[k + 1] <= day) k++;
    if (k >= 0 && !(day - signal.dates[k] > maxAgeDays)) source[t] = k;
  }
  return { source, col };
}

/** Row t of {@link alignSignal}, on demand. */
export function alignedRows(signal: Panel, prices: Panel, maxAgeDays = Infinity): SignalRows {
  const { source, col } = alignment(signal, prices, maxAgeDays);
  const n = prices.nDates,
    m = prices.nAssets,
    ms = signal.nAssets,
    v = signal.values;
  const buf = new Float64Array(m);
  return {
    nDates: n,
    nAssets: m,
    row(t: number): Float64Array {
      checkRow(t, n);
      const k = source[t];
      if (k < 0) return buf.fill(NaN);
      const src = k * ms;
      for (let j = 0; j < m; j++) buf[j] = col[j] >= 0 ? v[src + col[j]] : NaN;
      return buf;
    },
  };
}

/**
 * The signal on the prices' grid, as of each price date: row t holds the signal of the latest
 * signal date ≤ the price date t (a signal dated on a non-trading day is used from the next
 * trading day on, never before its date); assets by name, NaN where the signal has none.
 * `maxAgeDays` (calendar days, default unlimited) leaves NaN where the latest signal is older.
 */
export function alignSignal(signal: Panel, prices: Panel, maxAgeDays = Infinity): Panel {
  const rows = alignedRows(signal, prices, maxAgeDays);
  const n = prices.nDates,
    m = prices.nAssets;
  const out = new Float64Array(n * m);
  for (let t = 0; t < n; t++) out.set(rows.row(t), t * m);
  return new Panel(prices.dates, prices.assets, out);
}
