import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { checkOverlap, dateRange, matchReturnsToFactors, parseSampleRange } from './calendars.js';

const weekdays = (from: string, n: number): string[] => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); out.length < n; d = new Date(d.getTime() + 86_400_000))
    if (d.getUTCDay() % 6 !== 0) out.push(d.toISOString().slice(0, 10));
  return out;
};
const daily = calendarFromIso(weekdays('2024-01-01', 130));
const monthEnds = calendarFromIso(['2023-12-31', '2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30']);
const returns = Panel.fromColumns(daily, { A: Array.from({ length: daily.length }, () => 0.001) });

describe('matchReturnsToFactors', () => {
  it('same frequency: unchanged; different without --resample: an error naming both and the flag', () => {
    expect(matchReturnsToFactors(returns, '--prices p', { label: '--factors f', dates: daily }, undefined).returns).toBe(returns);
    expect(() => matchReturnsToFactors(returns, '--prices p', { label: '--factors f', dates: monthEnds }, undefined)).toThrow(
      /--prices p is daily, --factors f is monthly[\s\S]*add --resample monthly/,
    );
  });

  it('with --resample monthly: compounded to the complete months, with a note', () => {
    const r = matchReturnsToFactors(returns, '--prices p', { label: '--factors f', dates: monthEnds }, 'monthly');
    // the weekdays end on Friday 2024-06-28: June ends on a Sunday, so June is complete
    expect(r.returns.isoDates()).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30']);
    expect(r.returns.get('2024-02-29', 'A')).toBeCloseTo(1.001 ** 21 - 1, 14);
    expect(r.notes[0]).toMatch(/daily returns compounded to 6 monthly periods/);
  });

  describe('--resample with --start/--end inside a month', () => {
    // 1% a day in January, 2% a day in February, 3% a day in March: a month's product tells which days it holds
    const rate = (iso: string): number => (iso < '2024-02-01' ? 0.01 : iso < '2024-03-01' ? 0.02 : 0.03);
    const days = weekdays('2024-01-01', 65); // Monday 2024-01-01 .. Friday 2024-03-29
    const r3 = Panel.fromColumns(calendarFromIso(days), { A: days.map(rate) });
    const f = { label: '--factors f', dates: monthEnds.slice(0, 4) }; // 2023-12-31 .. 2024-03-31
    const range = (start?: string, end?: string) => parseSampleRange(start, end);

    it('a month cut by --start or --end is left out with a warning; the months inside are whole', () => {
      const r = matchReturnsToFactors(r3, '--prices p', f, 'monthly', range('2024-01-15', '2024-03-15'));
      // pandas r.loc['2024-01-15':'2024-03-15'].resample('ME') would give January 1.01^13 - 1 and March
      // 1.03^11 - 1 beside the whole months' factors; before, January was compounded whole (1.01^23 - 1)
      expect(r.returns.isoDates()).toEqual(['2024-02-29']);
      expect(r.returns.get('2024-02-29', 'A')).toBeCloseTo(1.02 ** 21 - 1, 13);
      expect(r.warnings).toHaveLength(2);
      expect(r.warnings[0]).toMatch(
        /the month ending 2024-01-31 is left out: --start 2024-01-15 is inside it.*--start 2024-01-01 keeps it whole, --start 2024-02-01 starts on the next month/,
      );
      expect(r.warnings[1]).toMatch(
        /the month ending 2024-03-31 is left out: --end 2024-03-15 is inside it.*--end 2024-03-31 keeps it whole, --end 2024-02-29 ends on the month before/,
      );
      expect(r.notes).toEqual(expect.arrayContaining(r.warnings));
      expect(r.notes[0]).toMatch(/compounded to 1 monthly periods .* inside the returns and --start 2024-01-15 --end 2024-03-15/);
    });

    it('a window on whole months keeps them, without a warning', () => {
      const r = matchReturnsToFactors(r3, '--prices p', f, 'monthly', range('2024-01-01', '2024-02-29'));
      expect(r.returns.isoDates()).toEqual(['2024-01-31', '2024-02-29']);
      expect(r.returns.get('2024-01-31', 'A')).toBeCloseTo(1.01 ** 23 - 1, 13);
      expect(r.warnings).toEqual([]);
      // --start on a Sunday month end: January's days are all before it, so January is not in the sample
      expect(matchReturnsToFactors(r3, 'r', f, 'monthly', range('2024-02-01')).returns.isoDates()).toEqual(['2024-02-29', '2024-03-31']);
    });

    it("--end on a month's last trading day before its weekend month end: left out, saying which --end keeps it", () => {
      const r = matchReturnsToFactors(r3, 'r', f, 'monthly', range(undefined, '2024-03-29'));
      expect(r.returns.isoDates()).toEqual(['2024-01-31', '2024-02-29']);
      expect(r.warnings).toEqual([
        expect.stringMatching(/the month ending 2024-03-31 is left out: its date is after --end 2024-03-29.*--end 2024-03-31 keeps it/),
      ]);
    });

    it('no whole month inside the window: exit 2 saying so', () => {
      expect(() => matchReturnsToFactors(r3, 'r', f, 'monthly', range('2024-01-15', '2024-02-15'))).toThrow(
        /no complete monthly period .* and --start 2024-01-15 --end 2024-02-15/,
      );
    });
  });

  it("monthly returns on last trading days take the factors' month-end dates, values untouched, with a note", () => {
    const ltd = calendarFromIso(['2023-12-29', '2024-01-31', '2024-02-29', '2024-03-28', '2024-04-30', '2024-05-31', '2024-06-28']);
    const m = Panel.fromColumns(ltd, { A: [NaN, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06] });
    const r = matchReturnsToFactors(m, '--prices p', { label: '--factors f', dates: monthEnds }, undefined);
    expect(r.returns.isoDates()).toEqual([
      '2023-12-31',
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
    ]);
    expect(r.returns.values).toBe(m.values);
    expect(r.notes[0]).toMatch(
      /--prices p: 3 of its 7 monthly dates take --factors f's date of the same month \(the first 2023-12-29 -> 2023-12-31\)/,
    );
    // labels already equal: the panel itself, no note
    const same = Panel.fromColumns(monthEnds, { A: monthEnds.map(() => 0.01) });
    expect(matchReturnsToFactors(same, 'r', { label: 'f', dates: monthEnds }, undefined)).toEqual({
      returns: same,
      notes: [],
      warnings: [],
    });
  });

  it('a wrong --resample, one with nothing to do, and factors finer than returns are errors', () => {
    expect(() => matchReturnsToFactors(returns, 'r', { label: 'f', dates: monthEnds }, 'weekly')).toThrow(/use --resample monthly/);
    expect(() => matchReturnsToFactors(returns, 'r', { label: 'f', dates: daily }, 'monthly')).toThrow(/nothing to resample/);
    const monthly = Panel.fromColumns(monthEnds, { A: monthEnds.map(() => 0.01) });
    expect(() => matchReturnsToFactors(monthly, 'r', { label: 'f', dates: daily }, undefined)).toThrow(
      /factors are finer than the returns/,
    );
  });
});

describe('checkOverlap and parseSampleRange', () => {
  it('no common date names both ranges; few common dates give a note', () => {
    const old = calendarFromIso(weekdays('1990-01-01', 10));
    expect(() => checkOverlap({ label: 'a', dates: daily }, { label: 'b', dates: old }, undefined, undefined, 36)).toThrow(
      /no date is in both a \(2024-01-01 \.\. .*\) and b \(1990-01-01 \.\. 1990-01-12\)[\s\S]*cover different years/,
    );
    const few = checkOverlap({ label: 'a', dates: daily }, { label: 'b', dates: daily }, '2024-02-01', '2024-02-07', 36);
    expect(few.common.length).toBe(5);
    expect(few.notes[0]).toMatch(/only 5 dates \(2024-02-01 \.\. 2024-02-07\) in both a and b inside --start 2024-02-01 --end 2024-02-07/);
    expect(checkOverlap({ label: 'a', dates: daily }, { label: 'b', dates: daily }, undefined, undefined, 36).notes).toEqual([]);
  });

  it('start after end, and a malformed date, are errors', () => {
    expect(() => parseSampleRange('2024-02-01', '2024-01-01')).toThrow(/--start 2024-02-01 is after --end 2024-01-01/);
    expect(() => parseSampleRange('yesterday', undefined)).toThrow(/--start must be a date YYYY-MM-DD/);
    expect(parseSampleRange(undefined, undefined)).toEqual({ from: -Infinity, to: Infinity });
    expect(dateRange(new Int32Array(0))).toBe('no dates');
  });
});
