/**
 * Synthetic trading calendar: weekdays (Monday to Friday) from a start date, minus three fixed
 * holidays when they fall on a weekday — New Year's Day (01-01), Independence Day (07-04) and
 * Christmas Day (12-25). No observed-day shifts and no other exchange holidays: it is a
 * plausible daily calendar (~250-252 rows a year), not an exchange's.
 */
import type { Calendar } from '../core/calendar.js';
import { checkBoolean, checkInteger } from '../core/checks.js';
import { civilFromDays, dayOfWeek } from '../core/dates.js';

/** True when the day number is a trading day of the synthetic calendar. */
export function isSyntheticTradingDay(day: number, holidays = true): boolean {
  if (dayOfWeek(day) >= 5) return false;
  if (!holidays) return true;
  const { month, day: d } = civilFromDays(day);
  return !((month === 1 && d === 1) || (month === 7 && d === 4) || (month === 12 && d === 25));
}

/**
 * The first `nDates` trading days on or after day number `start`.
 * @param holidays remove the three fixed holidays (default true)
 */
export function syntheticCalendar(start: number, nDates: number, holidays = true): Calendar {
  // -1 was a raw "Invalid typed array length", 1.5 gave one date silently, a fractional start no weekday
  checkInteger('start', start, -1e8, 1e8, 'a whole day number (days since 1970-01-01)');
  checkInteger('nDates', nDates, 0);
  checkBoolean('holidays', holidays);
  const out = new Int32Array(nDates);
  let day = start;
  for (let t = 0; t < nDates; day++) {
    if (isSyntheticTradingDay(day, holidays)) out[t++] = day;
  }
  return out;
}
