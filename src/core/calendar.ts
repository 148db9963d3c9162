/**
 * Calendars: the sorted, distinct trading dates a dataset has, as day numbers.
 *
 * "t + h" always means h rows later in a calendar, never h calendar days.
 *
 * Definitions (all of them, in one place): docs/definitions.md#dates-and-calendars.
 */
import { checkCalendar, checkOneOf, describeValue } from './checks.js';
import { InputError } from './errors.js';
import { dayOfWeek, formatIsoDate, monthIndex, parseIsoDate, weekIndex } from './dates.js';

/** A calendar is a strictly increasing `Int32Array` of day numbers. */
export type Calendar = Int32Array;

/** Sorts and de-duplicates day numbers into a calendar. Non-integers are an InputError naming the first. */
export function makeCalendar(days: ArrayLike<number>): Calendar {
  const out = Int32Array.from(days as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== (days[i] as number))
      throw new InputError(`calendar day ${describeValue(days[i])} (at ${i}) is not a whole day number`, {
        hint: 'day numbers count days since 1970-01-01 (parseIsoDate or calendarFromIso makes them)',
      });
  }
  out.sort();
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[n - 1]) out[n++] = out[i];
  return out.slice(0, n);
}

/** Calendar from ISO date strings. */
export function calendarFromIso(dates: readonly string[]): Calendar {
  return makeCalendar(dates.map(parseIsoDate));
}

/** ISO strings of a calendar's dates. */
export function calendarToIso(cal: ArrayLike<number>): string[] {
  const out = new Array<string>(cal.length);
  for (let i = 0; i < cal.length; i++) out[i] = formatIsoDate(cal[i]);
  return out;
}

/** True when the array is strictly increasing (a valid calendar). */
export function isCalendar(days: ArrayLike<number>): boolean {
  for (let i = 1; i < days.length; i++) if (!(days[i] > days[i - 1])) return false;
  return true;
}

/**
 * Dates present in both calendars. Each must be strictly increasing (an InputError naming the
 * first row out of order: the merge skipped dates of an unsorted one, silently).
 */
export function intersectCalendars(a: Calendar, b: Calendar): Calendar {
  checkCalendar('a', a);
  checkCalendar('b', b);
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0,
    j = 0,
    n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[n++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.slice(0, n);
}

/** Dates present in either calendar. Each must be strictly increasing (else an InputError). */
export function unionCalendars(a: Calendar, b: Calendar): Calendar {
  checkCalendar('a', a);
  checkCalendar('b', b);
  const out = new Int32Array(a.length + b.length);
  let i = 0,
    j = 0,
    n = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out[n++] = a[i++];
    else if (i >= a.length || b[j] < a[i]) out[n++] = b[j++];
    else {
      out[n++] = a[i];
      i++;
      j++;
    }
  }
  return out.slice(0, n);
}

/** Intersection of any number of calendars (the empty list gives an empty calendar). */
export function intersectAll(cals: readonly Calendar[]): Calendar {
  if (cals.length === 0) return new Int32Array(0);
  return cals.reduce((acc, c) => intersectCalendars(acc, c));
}

/** Union of any number of calendars. */
export function unionAll(cals: readonly Calendar[]): Calendar {
  return cals.reduce((acc, c) => unionCalendars(acc, c), new Int32Array(0));
}

/** Row of `day` in the calendar, or -1. Binary search. */
export function indexOfDay(cal: Calendar, day: number): number {
  let lo = 0,
    hi = cal.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = cal[mid];
    if (v === day) return mid;
    if (v < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Index of the first calendar date `>= day` (may equal `cal.length`). */
export function lowerBound(cal: Calendar, day: number): number {
  let lo = 0,
    hi = cal.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cal[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** For each date of `from`, its row in `to`, or -1 when `to` lacks it. Linear merge; both strictly increasing (else an InputError). */
export function mapCalendar(from: Calendar, to: Calendar): Int32Array {
  checkCalendar('from', from);
  checkCalendar('to', to);
  const out = new Int32Array(from.length).fill(-1);
  let j = 0;
  for (let i = 0; i < from.length; i++) {
    while (j < to.length && to[j] < from[i]) j++;
    if (j < to.length && to[j] === from[i]) out[i] = j;
  }
  return out;
}

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'annual' | 'irregular';

export interface FrequencyInfo {
  frequency: Frequency;
  /** Periods per year used for annualisation: 252 (365), 52, 12, 4, 1; for irregular, 365.25 / median gap, or the dates a year observed (clustered dates). */
  periodsPerYear: number;
  /** Median gap between consecutive dates, in calendar days. */
  medianGapDays: number;
}

/** Share of the dates that fall on a Saturday or Sunday. */
function weekendShare(cal: Calendar): number {
  let weekend = 0;
  for (let i = 0; i < cal.length; i++) if (dayOfWeek(cal[i]) >= 5) weekend++; // ISO: 5 Saturday, 6 Sunday
  return weekend / cal.length;
}

/**
 * Frequency of a calendar from the median gap between consecutive dates (calendar days):
 * < 5 daily (weekends and holidays make trading-day gaps 1..4; the median of an even number of
 * gaps can be 4.5), 5..10 weekly, 25..35 monthly, 85..95 quarterly, 360..370 annual, otherwise
 * irregular. Fewer than two dates: irregular.
 * A daily calendar counts 252 periods a year when it trades on weekdays, and 365 when it trades
 * every day (crypto, some FX): a median gap of one day and more than 10% of its dates on a
 * Saturday or Sunday (a 7-day calendar has 2/7 ≈ 29%; a weekday calendar with the odd weekend
 * session has well under 1%).
 * Clustered dates: over a span of 180 days or more, when the gaps longer than max(4 x the median
 * gap, 20 days) make up more than half of the span, the calendar is irregular and counts the dates
 * a year it observed, (n − 1) · 365.25 / span (a fundamentals file's fiscal year ends, days apart
 * within a year and months apart between years, are not a daily calendar; a daily calendar with a
 * month missing still is).
 * The dates must be strictly increasing (an InputError naming the first row out of order: an
 * unsorted calendar had negative gaps and was called daily).
 */
export function detectFrequency(cal: Calendar): FrequencyInfo {
  checkCalendar('cal', cal);
  if (cal.length < 2) return { frequency: 'irregular', periodsPerYear: NaN, medianGapDays: NaN };
  const gaps = new Float64Array(cal.length - 1);
  for (let i = 1; i < cal.length; i++) gaps[i - 1] = cal[i] - cal[i - 1];
  gaps.sort();
  const m = gaps.length;
  const med = m % 2 === 1 ? gaps[(m - 1) / 2] : (gaps[m / 2 - 1] + gaps[m / 2]) / 2;
  const regular = byMedianGap(cal, med);
  // Dates in clusters (the fiscal year ends of a fundamentals file: days apart within a cluster,
  // months between clusters) have a small median gap but few dates a year: over half a year or
  // more, when the gaps longer than max(4 x the median, 20 days) make up more than half of the
  // span, the calendar is irregular and counts the dates a year it observed.
  const span = cal[cal.length - 1] - cal[0];
  const long = Math.max(4 * med, 20);
  let inLong = 0;
  for (let i = 0; i < m; i++) if (gaps[i] > long) inLong += gaps[i];
  if (regular.frequency !== 'irregular' && span >= 180 && 2 * inLong > span)
    return { frequency: 'irregular', periodsPerYear: (m * DAYS_PER_YEAR) / span, medianGapDays: med };
  return regular;
}

const DAYS_PER_YEAR = 365.25;

function byMedianGap(cal: Calendar, med: number): FrequencyInfo {
  if (med < 5) return { frequency: 'daily', periodsPerYear: med <= 1 && weekendShare(cal) > 0.1 ? 365 : 252, medianGapDays: med };
  if (med >= 5 && med <= 10) return { frequency: 'weekly', periodsPerYear: 52, medianGapDays: med };
  if (med >= 25 && med <= 35) return { frequency: 'monthly', periodsPerYear: 12, medianGapDays: med };
  if (med >= 85 && med <= 95) return { frequency: 'quarterly', periodsPerYear: 4, medianGapDays: med };
  if (med >= 360 && med <= 370) return { frequency: 'annual', periodsPerYear: 1, medianGapDays: med };
  return { frequency: 'irregular', periodsPerYear: DAYS_PER_YEAR / med, medianGapDays: med };
}

/**
 * The last date of each week (weeks ending Sunday, pandas `W`) or calendar month of the calendar;
 * `daily`: every date. What a price calendar's "month ends" are: its last trading day of each
 * month (the last, partial period included).
 */
export function periodEnds(cal: Calendar, frequency: 'daily' | 'weekly' | 'monthly'): Calendar {
  checkOneOf('frequency', frequency, ['daily', 'weekly', 'monthly']); // anything else was read as monthly
  checkCalendar('cal', cal);
  if (frequency === 'daily') return cal.slice();
  const key = frequency === 'weekly' ? weekIndex : monthIndex;
  const ends: number[] = [];
  for (let t = 0; t < cal.length; t++) if (t === cal.length - 1 || key(cal[t + 1]) !== key(cal[t])) ends.push(cal[t]);
  return Int32Array.from(ends);
}
