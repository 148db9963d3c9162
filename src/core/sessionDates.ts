/**
 * Dates on days without a session moved to the session before them. A factor or a weights file
 * dated by the calendar (a month end on a Sunday, a weekly file dated Saturday, holdings reported
 * on a holiday) describes the market as it closed on the last session before that day: nothing
 * traded in between. `sessionDates` maps each date d of `dates` that lies strictly inside the
 * sessions' range and is not a session to the last session s < d, when
 * - the sessions are a daily calendar (on a monthly one the days between two rows are not days
 *   without a session: holdings of 2005-04-29 are not those of the row 2005-03-31 before it);
 * - at most {@link MAX_CLOSED_WEEKDAYS} weekdays lie in (s, d] (a holiday or two beside a
 *   weekend): a longer stretch is a gap in the data, across which the market did trade;
 * - s holds no date of its own and no other date lies in [s, d): the moved calendar stays strictly
 *   increasing and no two rows merge.
 * Other dates (before the first session, after the last, on a session, in a gap, or whose session
 * is taken) keep their label.
 *
 * Timing: a signal dated d and moved to s is traded no earlier than the session after s, which is
 * after d (backtest's execution lag is at least one row); holdings dated d and moved to s are the
 * holdings of s's close, which the weekend or holiday did not change.
 */
import { type Calendar, detectFrequency, lowerBound } from './calendar.js';
import { dayOfWeek } from './dates.js';

/** Weekdays (s, d] may hold for d to be a day without a session after s: holidays, not a data gap. */
export const MAX_CLOSED_WEEKDAYS = 2;

function weekdaysAfter(s: number, d: number): number {
  let k = 0;
  for (let x = s + 1; x <= d && k <= MAX_CLOSED_WEEKDAYS; x++) if (dayOfWeek(x) < 5) k++;
  return k;
}

export interface SessionDates {
  /** `dates` with the moved dates replaced (`dates` itself when none moved). */
  dates: Calendar;
  moved: number;
  /** The first moved date and its session (NaN, NaN when none moved). */
  first: [number, number];
}

/** `dates` on the `sessions` calendar where a date falls on a day without a session (module doc). */
export function sessionDates(dates: Calendar, sessions: Calendar): SessionDates {
  let out: Calendar | null = null;
  let moved = 0;
  let first: [number, number] = [NaN, NaN];
  if (detectFrequency(sessions).frequency !== 'daily') return { dates, moved, first };
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    const k = lowerBound(sessions, d);
    if (k >= sessions.length || sessions[k] === d || k === 0) continue; // after the sessions, a session, or before them
    const s = sessions[k - 1];
    if (i > 0 && dates[i - 1] >= s) continue; // the session (or a day after it) already holds a date
    if (weekdaysAfter(s, d) > MAX_CLOSED_WEEKDAYS) continue; // a gap in the sessions, not a closed day
    if (out === null) out = dates.slice();
    out[i] = s;
    if (moved === 0) first = [d, s];
    moved++;
  }
  return out === null ? { dates, moved: 0, first } : { dates: out, moved, first };
}
