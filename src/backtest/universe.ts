/**
 * Universes: which assets a strategy may hold on each date.
 *
 * - static: every asset of the price panel, on every date;
 * - point-in-time membership: `ticker, start, end` intervals (e.g. S&P 500 membership), with the
 *   as-of rule `start ≤ t < end` (an empty end = still a member). A ticker may have several
 *   intervals (left and rejoined), one per spell: spells may touch (one ends the day the next
 *   starts) but not overlap ({@link checkMembershipIntervals}).
 *
 * A name is **tradable** on row t when it is a member on t AND has a price on t. The engine sells
 * a held name on the first row it is not tradable (see engine.ts).
 */
import type { Calendar } from '../core/calendar.js';
import { describeValue } from '../core/checks.js';
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
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
 * Where membership intervals were read from, for {@link checkMembershipIntervals}'s messages: the
 * file and the line of each interval (`lineOf[k]` for `intervals[k]`, increasing). Without it the
 * messages name `intervals[k]`.
 */
export interface MembershipSource {
  file: string;
  lineOf: readonly number[];
}

/**
 * Checks a universe before it is read: kind `static`, or `membership` with an array of intervals
 * each as {@link checkMembershipIntervals} requires. An {@link InputError} naming what is wrong.
 */
export function checkUniverse(universe: UniverseSpec): void {
  const u = universe as { kind?: unknown; intervals?: unknown } | null | undefined;
  if (typeof u !== 'object' || u === null || (u.kind !== 'static' && u.kind !== 'membership'))
    throw new InputError(
      `universe must be { kind: 'static' } or { kind: 'membership', intervals }, got ${typeof u === 'object' && u !== null ? `kind ${describeValue(u.kind)}` : describeValue(u)}`,
      { options: ['universe'] },
    );
  if (u.kind === 'static') return;
  if (!Array.isArray(u.intervals))
    throw new InputError(`universe.intervals must be an array of { asset, start, end? }, got ${describeValue(u.intervals)}`, {
      options: ['universe'],
    });
  checkMembershipIntervals(u.intervals as readonly MembershipInterval[]);
}

/** `2015-03-23 .. 2024-09-23`, or `2015-03-23 .. (no end)`, for messages. */
const spell = (iv: MembershipInterval): string =>
  `${formatIsoDate(iv.start)} .. ${iv.end === undefined ? '(no end)' : formatIsoDate(iv.end)}`;

/**
 * The one check of point-in-time membership intervals (the library's universes and the CLI's
 * membership reader both call it):
 *
 * - each interval names an asset (a string), starts on a whole day number and ends (if it has an
 *   end) on a whole day number after its start;
 * - no two intervals of one asset share a day (start ≤ t < end): a repeated interval or an overlap
 *   is refused, naming the asset and both intervals. The union was taken in silence before, and
 *   an overlap is a data error (a typo in a date, two sources pasted together) whose right
 *   reading only the user knows.
 *
 * Spells that touch (one's end is the next one's start: a member through the day before, and
 * again from that day on, as one spell would be) and disjoint spells (left and re-joined: 48 of
 * the 1,181 tickers of the S&P 500 file) are accepted. `source` makes the messages name the file
 * and lines instead of `intervals[k]`. O(k log k) for k intervals of an asset.
 */
export function checkMembershipIntervals(intervals: readonly MembershipInterval[], source?: MembershipSource): void {
  const location = (k: number, asset?: string) => ({
    ...(source === undefined ? {} : { file: source.file, line: source.lineOf[k] }),
    ...(typeof asset === 'string' ? { asset } : {}),
  });
  const named = (k: number): string => (source === undefined ? `membership intervals[${k}]: ` : '');
  const byAsset = new Map<string, number[]>();
  intervals.forEach((iv: MembershipInterval | null | undefined, k) => {
    if (typeof iv !== 'object' || iv === null)
      throw new InputError(`${named(k)}an interval must be { asset, start, end? }, got ${describeValue(iv)}`, location(k));
    const { asset, start, end } = iv;
    if (typeof asset !== 'string')
      throw new InputError(`${named(k)}the asset must be a name (a string), got ${describeValue(asset)}`, location(k));
    if (typeof start !== 'number' || !Number.isInteger(start))
      throw new InputError(`${named(k)}the start must be a day number (a whole number), got ${describeValue(start)}`, {
        ...location(k, asset),
        hint: 'give day numbers, e.g. parseIsoDate("2020-01-02")',
      });
    if (end !== undefined && (typeof end !== 'number' || !Number.isInteger(end)))
      throw new InputError(
        `${named(k)}the end must be a day number (a whole number) or undefined (still a member), got ${describeValue(end)}`,
        { ...location(k, asset), hint: 'give day numbers, e.g. parseIsoDate("2020-01-02")' },
      );
    if (end !== undefined && end <= start)
      throw new InputError(
        `${named(k)}the end date ${formatIsoDate(end)} is not after the start date ${formatIsoDate(start)} (membership is start <= t < end)`,
        { ...location(k, asset), hint: `swap the dates, or drop the ${source === undefined ? 'interval' : 'line'}` },
      );
    const list = byAsset.get(asset);
    if (list === undefined) byAsset.set(asset, [k]);
    else list.push(k);
  });
  const unit = source === undefined ? 'interval' : 'line';
  const label = (k: number): string => (source === undefined ? `intervals[${k}]` : `line ${source.lineOf[k]}`);
  for (const [asset, ks] of byAsset) {
    if (ks.length < 2) continue;
    ks.sort((x, y) => intervals[x].start - intervals[y].start || x - y);
    // sorted by start, some two intervals overlap exactly when some neighbours do
    for (let q = 1; q < ks.length; q++) {
      const a = intervals[ks[q - 1]],
        b = intervals[ks[q]];
      if (a.end !== undefined && b.start >= a.end) continue;
      const first = Math.min(ks[q - 1], ks[q]),
        second = Math.max(ks[q - 1], ks[q]);
      const same = a.start === b.start && a.end === b.end;
      // the CLI's words (its location names the line, not the ticker); the library's location names the asset
      const who = source === undefined ? '' : `ticker ${asset} has `;
      const both =
        source === undefined
          ? `at intervals[${first}] and intervals[${second}]`
          : `on lines ${source.lineOf[first]} and ${source.lineOf[second]}`;
      throw new InputError(
        same
          ? `${who}the same membership interval (${spell(a)}) ${both}`
          : `${who}overlapping membership intervals: ${label(first)} (${spell(intervals[first])}) and ${label(second)} (${spell(intervals[second])})`,
        {
          ...location(second, asset),
          hint: same
            ? `drop one of the two ${unit}s`
            : `correct the dates, or merge the two ${unit}s into one (the earlier start, the later end); a ticker that left and re-joined has one ${unit} per spell, and the spells do not overlap`,
        },
      );
    }
  }
}

/**
 * Membership on the grid `dates × assets` as 0/1, date-major. Assets without an interval are
 * never members (a membership universe names its members). The intervals are checked first
 * ({@link checkUniverse}): two intervals of one asset that overlap, or one repeated, are an
 * {@link InputError} (touching spells are fine).
 */
export function membershipMask(universe: UniverseSpec, dates: Calendar, assets: readonly string[]): Uint8Array {
  checkUniverse(universe);
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
 * {@link membershipMask} (an asset is a member on row t when one of its intervals has start ≤
 * date_t < end; the intervals are checked as there, so no two of an asset overlap), kept as one
 * byte per asset plus the rows where intervals open and close, so a walk costs O(rows +
 * intervals) instead of O(rows × assets).
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
    checkUniverse(universe);
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
