import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { describeSchedule, parseSchedule, scheduleRows } from './schedule.js';

// Mon 2024-01-01 .. ; Friday 2024-01-12 is a holiday; Mon/Tue 2024-01-15/16 are holidays.
const iso = [
  '2024-01-01',
  '2024-01-02',
  '2024-01-03',
  '2024-01-04',
  '2024-01-05',
  '2024-01-08',
  '2024-01-09',
  '2024-01-10',
  '2024-01-11',
  '2024-01-17',
  '2024-01-18',
  '2024-01-19',
  '2024-01-31',
  '2024-02-01',
  '2024-02-29',
  '2024-03-01',
];
const cal = calendarFromIso(iso);
const at = (rows: Int32Array) => Array.from(rows, (t) => iso[t]);

describe('schedules on the data calendar', () => {
  it("weekly on Friday: each week's last trading day on or before Friday (a Friday holiday moves to Thursday)", () => {
    expect(at(scheduleRows({ kind: 'weekly', weekday: 4 }, cal))).toEqual([
      '2024-01-05',
      '2024-01-11',
      '2024-01-19',
      '2024-02-01',
      '2024-03-01',
    ]);
  });
  it('weekly on Monday: a week without a trading day on or before Monday uses its first row', () => {
    expect(at(scheduleRows({ kind: 'weekly', weekday: 0 }, cal))).toEqual([
      '2024-01-01',
      '2024-01-08',
      '2024-01-17',
      '2024-01-31',
      '2024-02-29',
    ]);
  });
  it('month end: the last row of each month present', () => {
    expect(at(scheduleRows({ kind: 'month-end' }, cal))).toEqual(['2024-01-31', '2024-02-29', '2024-03-01']);
  });
  it('every N rows from an offset, and daily', () => {
    expect(Array.from(scheduleRows({ kind: 'every', rows: 5, offset: 1 }, cal))).toEqual([1, 6, 11]);
    expect(scheduleRows({ kind: 'daily' }, cal, 3, 5)).toEqual(Int32Array.from([3, 4, 5]));
    expect(() => scheduleRows({ kind: 'every', rows: 0 }, cal)).toThrow(
      /schedule rows must be a whole number >= 1 \(every N rows\), got 0/,
    );
  });
  it('parses the CLI spellings', () => {
    expect(parseSchedule('weekly:mon')).toEqual({ kind: 'weekly', weekday: 0 });
    expect(parseSchedule('weekly')).toEqual({ kind: 'weekly', weekday: 4 });
    expect(parseSchedule('month-end')).toEqual({ kind: 'month-end' });
    expect(parseSchedule('every:21')).toEqual({ kind: 'every', rows: 21, offset: 0 });
    expect(parseSchedule('every:0')).toBeUndefined();
    expect(parseSchedule('fortnightly')).toBeUndefined();
    expect(describeSchedule({ kind: 'weekly', weekday: 4 })).toMatch(/Friday/);
  });
});
