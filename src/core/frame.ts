/**
 * Frame: a few named series on one calendar (factor returns, a portfolio's exposures).
 *
 * Stored column by column: `series[k][t]` is column `k` on date `t`, `NaN` = missing.
 */
import { checkCalendar, checkTableTypes, describeValue } from './checks.js';
import { InputError } from './errors.js';
import { type Calendar, calendarToIso, indexOfDay, isCalendar, lowerBound } from './calendar.js';

function unknownColumn(name: unknown, columns: readonly string[]): InputError {
  const shown = typeof name === 'string' ? JSON.stringify(name) : describeValue(name);
  return new InputError(`no column ${shown}; columns are ${columns.length > 0 ? columns.join(', ') : '(none)'}`, {
    hint: 'column names match exactly, case included',
  });
}

export class Frame {
  readonly dates: Calendar;
  readonly columns: readonly string[];
  readonly series: readonly Float64Array[];

  constructor(dates: Calendar, columns: readonly string[], series: readonly Float64Array[]) {
    checkTableTypes('Frame', dates, columns, 'column');
    for (let k = 0; k < series.length; k++)
      if (!(series[k] instanceof Float64Array))
        throw new InputError(`Frame series ${k} must be a Float64Array, got ${describeValue(series[k])}`);
    // bad arguments are InputErrors naming them (they were RangeErrors)
    if (!isCalendar(dates)) checkCalendar('Frame dates', dates);
    if (columns.length !== series.length) throw new InputError(`Frame has ${columns.length} names but ${series.length} series`);
    const seen = new Set<string>();
    for (let k = 0; k < columns.length; k++) {
      if (seen.has(columns[k]))
        throw new InputError(`Frame column ${JSON.stringify(columns[k])} appears twice`, { hint: 'give each column once' });
      seen.add(columns[k]);
      if (series[k].length !== dates.length) {
        throw new InputError(`Frame column ${columns[k]} has ${series[k].length} values, expected ${dates.length} (one per date)`);
      }
    }
    this.dates = dates;
    this.columns = columns;
    this.series = series;
  }

  /** A frame from a record of series. */
  static fromRecord(dates: Calendar, record: Readonly<Record<string, ArrayLike<number>>>): Frame {
    const cols = Object.keys(record);
    return new Frame(
      dates,
      cols,
      cols.map((c) => Float64Array.from(record[c])),
    );
  }

  get nDates(): number {
    return this.dates.length;
  }

  /** Index of a column, or -1. */
  columnIndex(name: string): number {
    return this.columns.indexOf(name);
  }

  has(name: string): boolean {
    return this.columns.includes(name);
  }

  /** The series of a column (a view; do not write into it). An unknown name is an InputError naming it and the columns. */
  get(name: string): Float64Array {
    const k = this.columns.indexOf(name);
    if (k < 0) throw unknownColumn(name, this.columns);
    return this.series[k];
  }

  /** Row of a day number, or -1. */
  dateIndex(day: number): number {
    return indexOfDay(this.dates, day);
  }

  isoDates(): string[] {
    return calendarToIso(this.dates);
  }

  /** Only the named columns, in the given order. */
  select(names: readonly string[]): Frame {
    return new Frame(
      this.dates,
      names.slice(),
      names.map((n) => this.get(n)),
    );
  }

  /** All columns but the named ones; a name the frame lacks is an InputError (a misspelt name left its column in without a word). */
  drop(names: readonly string[]): Frame {
    for (const n of names) if (!this.columns.includes(n)) throw unknownColumn(n, this.columns);
    const keep = this.columns.filter((c) => !names.includes(c));
    return this.select(keep);
  }

  /** A new frame with columns renamed by `f`. */
  rename(f: (name: string) => string): Frame {
    return new Frame(this.dates, this.columns.map(f), this.series);
  }

  /** Rows with `from <= date <= to` (day numbers). */
  sliceDates(from?: number, to?: number): Frame {
    const a = from === undefined ? 0 : lowerBound(this.dates, from);
    const b = to === undefined ? this.dates.length : lowerBound(this.dates, to + 1);
    return new Frame(
      this.dates.slice(a, b),
      this.columns,
      this.series.map((s) => s.slice(a, b)),
    );
  }

  /** A new frame with every value multiplied by `k` (e.g. 0.01 for percent units). */
  scale(k: number): Frame {
    return new Frame(
      this.dates,
      this.columns,
      this.series.map((s) => s.map((v) => v * k)),
    );
  }

  /** Rows where every column is present. */
  dropMissing(): Frame {
    const keep: number[] = [];
    for (let t = 0; t < this.dates.length; t++) {
      if (this.series.every((s) => s[t] === s[t])) keep.push(t);
    }
    return new Frame(
      Int32Array.from(keep, (t) => this.dates[t]),
      this.columns,
      this.series.map((s) => Float64Array.from(keep, (t) => s[t])),
    );
  }

  /** Plain JSON: `{ dates: [...iso], columns: {name: number[] | null-for-NaN} }`. */
  toJSON(): { dates: string[]; columns: Record<string, (number | null)[]> } {
    const columns: Record<string, (number | null)[]> = {};
    this.columns.forEach((c, k) => {
      columns[c] = Array.from(this.series[k], (v) => (v === v ? v : null));
    });
    return { dates: this.isoDates(), columns };
  }
}
