/**
 * Universes: which assets a strategy may hold on each date.
 *
 * - static: every asset of the price panel, on every date;
 * - point-in-time membership: `ticker, start, end` intervals (e.g. S&P 500 membership), with the
 *   as-of rule `start ≤ t < end` (an empty end = still a member). A ticker may have several
 *   intervals (left and rejoined).
 *
 * A name is **tradable** on row t when it is a member on t AND has a price on t. The engine sells
 * a held name on the first row it is not tradable (see engine.ts).
 */
import type { Calendar } from '../core/calendar.js';
import { formatIsoDate } from '../core/dates.js';
import type { Panel } from '../core/panel.js';

/** One membership interval: member on days `start ≤ t < end` (end undefined: still a member). */
export interface MembershipInterval {
  asset: string;
  /** Day number of the first day in the universe. */
  start: number;
  /** Day number of the first day no longer in it; undefined = open-ended. */
  end?: number;
}

export type UniverseSpec = { kind: 'static' } | { kind: 'membership'; intervals: readonly MembershipInterval[] };

/**
 * Membership on the grid `dates × assets` as 0/1, date-major. Assets without an interval are
 * never members (a membership universe names its members). Intervals are applied per asset in
 * any order; overlapping intervals simply overlap.
 */
export function membershipMask(universe: UniverseSpec, dates: Calendar, assets: readonly string[]): Uint8Array {
  const n = dates.length,
    m = assets.length;
  const out = new Uint8Array(n * m);
  if (universe.kind === 'static') return out.fill(1);
  const col = new Map(assets.map((a, j) => [a, j]));
  for (const iv of universe.intervals) {
    const j = col.get(iv.asset);
    if (j === undefined) continue;
    const end = iv.end ?? Infinity;
    // first row with date >= start
    let t = lowerBoundDay(dates, iv.start);
    for (; t < n && dates[t] < end; t++) out[t * m + j] = 1;
  }
  return out;
}

function lowerBoundDay(dates: Calendar, day: number): number {
  let lo = 0,
    hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The member rows of static universes' cursors: every byte 1, never changed ({@link everyAssetMember}). */
const staticMemberRows = new WeakSet<Uint8Array>();

/**
 * True when `member` is the row of a {@link MembershipCursor} of a static universe (every asset a
 * member on every row), so a pass over a row's names may skip reading it (signal.ts).
 */
export function everyAssetMember(member: Uint8Array): boolean {
  return staticMemberRows.has(member);
}

/**
 * Membership row by row, for a walk through the calendar: `member[j]` is 1 when asset j is a
 * member on the row last passed to `advance` (rows must not decrease). The same membership as
 * {@link membershipMask} (an asset is a member on row t when some interval has start ≤ date_t <
 * end), kept as one byte per asset plus the rows where intervals open and close, so a walk costs
 * O(rows + intervals) instead of O(rows × assets).
 */
export class MembershipCursor {
  readonly member: Uint8Array;
  private readonly count: Int32Array;
  /** Events sorted by row: offsets per row into (asset, +1 / −1). */
  private readonly offsets: Int32Array;
  private readonly eventAsset: Int32Array;
  private readonly eventDelta: Int8Array;
  private next = 0;

  constructor(universe: UniverseSpec, dates: Calendar, assets: readonly string[]) {
    const n = dates.length,
      m = assets.length;
    this.member = new Uint8Array(m);
    this.count = new Int32Array(m);
    this.offsets = new Int32Array(n + 2);
    if (universe.kind === 'static') {
      this.member.fill(1);
      staticMemberRows.add(this.member);
      this.eventAsset = new Int32Array(0);
      this.eventDelta = new Int8Array(0);
      return;
    }
    const col = new Map(assets.map((a, j) => [a, j]));
    const rows: number[] = [];
    for (const iv of universe.intervals) {
      const j = col.get(iv.asset);
      if (j === undefined) continue;
      const s = lowerBoundDay(dates, iv.start);
      const e = iv.end === undefined ? n : Math.max(s, lowerBoundDay(dates, iv.end));
      if (e <= s) continue;
      rows.push(j, s, e);
    }
    for (let i = 0; i < rows.length; i += 3) {
      this.offsets[rows[i + 1] + 1]++;
      this.offsets[rows[i + 2] + 1]++;
    }
    for (let t = 0; t <= n; t++) this.offsets[t + 1] += this.offsets[t];
    const fill = this.offsets.slice(0, n + 1);
    const total = this.offsets[n + 1];
    this.eventAsset = new Int32Array(total);
    this.eventDelta = new Int8Array(total);
    for (let i = 0; i < rows.length; i += 3) {
      const j = rows[i],
        s = rows[i + 1],
        e = rows[i + 2];
      this.eventAsset[fill[s]] = j;
      this.eventDelta[fill[s]++] = 1;
      this.eventAsset[fill[e]] = j;
      this.eventDelta[fill[e]++] = -1;
    }
  }

  /** Applies every interval that opens or closes on rows up to t. */
  advance(t: number): void {
    const end = this.offsets[Math.min(t + 1, this.offsets.length - 1)];
    for (let i = this.offsets[Math.min(this.next, this.offsets.length - 1)]; i < end; i++) {
      const j = this.eventAsset[i];
      this.count[j] += this.eventDelta[i];
      this.member[j] = this.count[j] > 0 ? 1 : 0;
    }
    if (t + 1 > this.next) this.next = t + 1;
  }
}

/** Tradable = member and a finite price, on the prices' grid (0/1, date-major). */
export function tradableMask(prices: Panel, universe: UniverseSpec): Uint8Array {
  const mask = membershipMask(universe, prices.dates, prices.assets);
  const v = prices.values;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1 && !(v[i] === v[i])) mask[i] = 0;
  return mask;
}

/**
 * How many members each row has, and how many of them have no price (for the output's notes):
 * walked row by row with a {@link MembershipCursor} (no dates × assets mask), the same counts as
 * counting {@link membershipMask} (tested).
 */
export function universeCounts(prices: Panel, universe: UniverseSpec): { members: Int32Array; withoutPrice: Int32Array } {
  const n = prices.nDates,
    m = prices.nAssets,
    v = prices.values;
  const cursor = new MembershipCursor(universe, prices.dates, prices.assets);
  const members = new Int32Array(n),
    withoutPrice = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    cursor.advance(t);
    members[t] = countRow(cursor.member, v, t * m, withoutPrice, t);
  }
  return { members, withoutPrice };
}

/** Members on a row (returned) and, into withoutPrice[t], those without a price. */
function countRow(member: Uint8Array, v: Float64Array, base: number, withoutPrice: Int32Array, t: number): number {
  let k = 0,
    missing = 0;
  for (let j = 0; j < member.length; j++) {
    const x = v[base + j];
    k += member[j];
    missing += member[j] & +(x !== x);
  }
  withoutPrice[t] = missing;
  return k;
}

/** `start ≤ day < end` as text, for messages: `2010-01-04 .. 2012-06-29` (end exclusive). */
export function intervalText(iv: MembershipInterval): string {
  return `${formatIsoDate(iv.start)} ≤ t < ${iv.end === undefined ? 'open' : formatIsoDate(iv.end)}`;
}
