/**
 * Same-period labels. Two calendars of one frequency (weekly, monthly, quarterly, annual) often
 * label the same period by different days near its end: monthly prices by the month's last trading
 * day (2005-04-29), Ken French monthly factors by the calendar month end (2005-04-30). Matched day
 * by day they share only the months whose last trading day is the calendar's last day, and every
 * other month is lost. `samePeriodDates` moves each date of `from` onto the date of `to` in the same
 * period, when both are period-end labels:
 *
 * - the period of day d: the week ending Sunday (pandas `W`), the calendar month, quarter or year;
 *   its end E(d) is that Sunday, or the period's last calendar day;
 * - each calendar has at most one date per period (otherwise nothing is moved: the labels are not
 *   periods);
 * - a date is moved only when it and its partner are both within `closing` days of E: a period's
 *   last trading day falls at most a few days before the end (a weekend, a holiday; the Lunar New
 *   Year week before a month end), so 10 days for months, quarters and years and 3 for weeks
 *   (Thursday before a Good Friday). At the ends of `from` (its first and last dates) the bound is
 *   4 days (3 for weeks): a price file that stops on 2017-11-10 holds part of November, and its last
 *   return is not November's; nor is one that stops a week early.
 *
 * Dates with no partner, or outside the bounds, keep their label (the caller counts them as dates
 * the other calendar lacks). The moved calendar is still increasing: periods are ordered, and each
 * period holds one date of each calendar.
 */
import type { Calendar } from './calendar.js';
import { civilFromDays, daysFromCivil, weekIndex } from './dates.js';

export type PeriodFrequency = 'weekly' | 'monthly' | 'quarterly' | 'annual';

export interface SamePeriodDates {
  /** `from` with the moved dates replaced by their partners in `to` (`from` itself when none moved). */
  dates: Calendar;
  /** How many dates moved. */
  moved: number;
  /** The first moved date and its new label (NaN, NaN when none moved). */
  first: [number, number];
}

/** The period of a day: a key equal for days of one period, and the period's last calendar day. */
function periodOf(day: number, frequency: PeriodFrequency): { key: number; end: number } {
  if (frequency === 'weekly') {
    const end = weekIndex(day);
    return { key: end, end };
  }
  const { year, month } = civilFromDays(day);
  if (frequency === 'annual') return { key: year, end: daysFromCivil(year, 12, 31) };
  const last = frequency === 'quarterly' ? 3 * Math.ceil(month / 3) : month; // the period's last month
  const key = year * 12 + last - 1;
  // the day before the first of the next month
  const end = last === 12 ? daysFromCivil(year, 12, 31) : daysFromCivil(year, last + 1, 1) - 1;
  return { key, end };
}

/** Days before a period's end a label may fall: inside a calendar, and at the ends of `from`. */
function closingDays(frequency: PeriodFrequency): { inside: number; ends: number } {
  return frequency === 'weekly' ? { inside: 3, ends: 3 } : { inside: 10, ends: 4 };
}

/** The date of `cal` in each period, by key; null when a period holds two dates. */
function byPeriod(cal: Calendar, frequency: PeriodFrequency): Map<number, number> | null {
  const out = new Map<number, number>();
  for (let i = 0; i < cal.length; i++) {
    const { key } = periodOf(cal[i], frequency);
    if (out.has(key)) return null;
    out.set(key, cal[i]);
  }
  return out;
}

/** `from`'s dates moved onto `to`'s date of the same period where both are period-end labels (module doc). */
export function samePeriodDates(from: Calendar, to: Calendar, frequency: PeriodFrequency): SamePeriodDates {
  const none: SamePeriodDates = { dates: from, moved: 0, first: [NaN, NaN] };
  if (from.length === 0 || to.length === 0) return none;
  const targets = byPeriod(to, frequency);
  if (targets === null || byPeriod(from, frequency) === null) return none;
  const { inside, ends } = closingDays(frequency);
  const toLast = to[to.length - 1];
  let out: Calendar | null = null;
  let moved = 0;
  let first: [number, number] = [NaN, NaN];
  for (let i = 0; i < from.length; i++) {
    const d = from[i];
    const { key, end } = periodOf(d, frequency);
    const partner = targets.get(key);
    if (partner === undefined || partner === d) continue;
    const bound = i === 0 || i === from.length - 1 ? ends : inside;
    if (end - d > bound || end - partner > (partner === to[0] || partner === toLast ? ends : inside)) continue;
    if (out === null) out = from.slice();
    out[i] = partner;
    if (moved === 0) first = [d, partner];
    moved++;
  }
  return out === null ? none : { dates: out, moved, first };
}
