/**
 * Rebalance schedules on the data's own calendar (rows of the price dates, never calendar days
 * the data does not have). A schedule gives the **signal rows**: the rows whose close the signal
 * is read at. Trades execute `executionLag` rows later (engine.ts).
 *
 * - `daily`: every row.
 * - `every N rows`: rows offset, offset + N, offset + 2N, ... (offset default 0).
 * - `weekly on weekday d` (0 = Monday .. 4 = Friday): in each calendar week (Monday..Sunday) the
 *   last row whose weekday is ≤ d; a week whose every row falls after d (e.g. Monday and Tuesday
 *   are holidays and d = Monday) uses its first row. So "weekly on Friday" is each week's last
 *   trading day, and a Friday holiday moves the rebalance to Thursday, not to next Monday.
 * - `month end`: the last row of each calendar month in the data.
 *
 * Only rows in [from, to] count (default: all); a week or month cut by `to` still ends at the last
 * row ≤ to, so the rows a schedule gives on a truncated calendar are the same as on the full one
 * except for the last period (a look-ahead rule: what the strategy does before t never depends on
 * dates after t — but note the LAST week or month of a truncated calendar ends early).
 */
import type { Calendar } from '../core/calendar.js';
import { checkInteger, describeValue } from '../core/checks.js';
import { dayOfWeek, monthIndex, weekIndex } from '../core/dates.js';
import { InputError } from '../core/errors.js';

export type Schedule =
  { kind: 'daily' } | { kind: 'every'; rows: number; offset?: number } | { kind: 'weekly'; weekday: number } | { kind: 'month-end' };

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** `daily`, `every:5`, `every:5:2`, `weekly`, `weekly:fri`, `month-end`; undefined if not one of them. */
export function parseSchedule(text: string): Schedule | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'daily') return { kind: 'daily' };
  if (s === 'month-end' || s === 'monthly') return { kind: 'month-end' };
  const w = /^weekly(?::(mon|tue|wed|thu|fri|sat|sun))?$/.exec(s);
  if (w !== null) return { kind: 'weekly', weekday: w[1] === undefined ? 4 : WEEKDAYS.indexOf(w[1] as (typeof WEEKDAYS)[number]) };
  const e = /^every:(\d+)(?::(\d+))?$/.exec(s);
  if (e !== null && Number(e[1]) >= 1) return { kind: 'every', rows: Number(e[1]), offset: e[2] === undefined ? 0 : Number(e[2]) };
  return undefined;
}

/** A schedule as words for the output. */
export function describeSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'daily':
      return 'every row (daily)';
    case 'every':
      return `every ${s.rows} rows${s.offset ? ` from row ${s.offset}` : ''}`;
    case 'weekly':
      return `weekly, the last trading day on or before ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][s.weekday]} of each week`;
    case 'month-end':
      return 'the last trading day of each month';
  }
}

/** Signal rows of `schedule` on `dates`, increasing, within [from, to] (rows). */
export function scheduleRows(schedule: Schedule, dates: Calendar, from = 0, to = dates.length - 1): Int32Array {
  const out: number[] = [];
  if (dates.length === 0) return new Int32Array(0);
  checkInteger('from', from, 0, dates.length - 1, `a row of the calendar, a whole number in 0..${dates.length - 1}`);
  checkInteger('to', to, 0, dates.length - 1, `a row of the calendar, a whole number in 0..${dates.length - 1}`);
  if (to < from) return new Int32Array(0);
  switch (schedule?.kind) {
    case 'daily':
      for (let t = from; t <= to; t++) out.push(t);
      break;
    case 'every': {
      checkInteger('schedule rows', schedule.rows, 1, Infinity, 'a whole number >= 1 (every N rows)');
      const off = checkInteger('schedule offset', schedule.offset ?? 0, 0, Infinity, 'a whole number of rows >= 0');
      for (let t = from + off; t <= to; t += schedule.rows) out.push(t);
      break;
    }
    case 'weekly': {
      const d = schedule.weekday;
      checkInteger('schedule weekday', d, 0, 6, 'a whole number from 0 (Monday) to 6 (Sunday)');
      let t = from;
      while (t <= to) {
        const week = weekIndex(dates[t]);
        const first = t;
        let last = -1;
        for (; t <= to && weekIndex(dates[t]) === week; t++) if (dayOfWeek(dates[t]) <= d) last = t;
        out.push(last >= 0 ? last : first);
      }
      break;
    }
    case 'month-end': {
      for (let t = from; t <= to; t++) if (t === to || monthIndex(dates[t + 1]) !== monthIndex(dates[t])) out.push(t);
      break;
    }
    default:
      throw new InputError(
        `schedule must be { kind: 'daily' | 'weekly' | 'month-end' | 'every', ... } (parseSchedule makes one), got ${schedule === null || typeof schedule !== 'object' ? describeValue(schedule) : `kind ${describeValue((schedule as { kind?: unknown }).kind)}`}`,
        { options: ['schedule'] },
      );
  }
  return Int32Array.from(out);
}
