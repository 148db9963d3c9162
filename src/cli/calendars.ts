/**
 * Calendars of the CLI's inputs checked against each other before anything is fitted: returns
 * and factors of different frequencies (daily prices, monthly factors) are never paired on the
 * few dates they happen to share; they are refused with exit 2, or, with `--resample FREQ`, the
 * finer returns are compounded to the factors' dates (core/compound.ts). Inputs whose dates do
 * not overlap, or whose --start/--end range is empty, are refused naming both date ranges.
 */
import { type Calendar, detectFrequency, type Frequency, intersectCalendars, lowerBound } from '../core/calendar.js';
import { compoundReturns } from '../core/compound.js';
import { formatIsoDate, tryParseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { samePeriodDates } from '../core/samePeriod.js';
import { plural } from './format.js';

/** Frequencies a --resample flag can name, finest first. */
export const RESAMPLE_FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'annual'] as const;
export type ResampleTarget = (typeof RESAMPLE_FREQUENCIES)[number];

const PERIOD_NOUN = { weekly: 'week', monthly: 'month', quarterly: 'quarter', annual: 'year' } as const;

/** Frequencies finest first (irregular: -1, not comparable). */
export const RANK: Record<Frequency, number> = { daily: 0, weekly: 1, monthly: 2, quarterly: 3, annual: 4, irregular: -1 };

/** `2005-01-03 .. 2017-11-10` (or `no dates`). */
export function dateRange(cal: Calendar): string {
  return cal.length === 0 ? 'no dates' : `${formatIsoDate(cal[0])} .. ${formatIsoDate(cal[cal.length - 1])}`;
}

/** An input as the messages name it: the flag and the file, e.g. `--prices p.csv`. */
export interface NamedCalendar {
  label: string;
  dates: Calendar;
}

/**
 * Returns on the factors' calendar. Same frequency (or either irregular, or fewer than 2 dates):
 * returned as they are, except that weekly, monthly, quarterly or annual returns labelled by
 * another day near the end of the same period than the factors (the last trading day against the
 * calendar month end) take the factors' date of that period (core/samePeriod.ts), with a note: day
 * by day they would share only the periods whose labels happen to agree. Returns finer than the
 * factors: with `resample` equal to the factors' frequency, compounded to the factors' dates (`Π(1+r)-1` over each complete period, see
 * core/compound.ts) and a note says so; without it, an InputError naming both frequencies and
 * `--resample <factors' frequency>`. Returns coarser than the factors: an InputError (compounding
 * factor excess returns is not exact; give factors at the returns' frequency). A `resample` that
 * is not the factors' frequency, or given when nothing needs resampling, is an InputError too.
 *
 * `sample` (the --start/--end day numbers): only the fine returns dated inside [from, to] are
 * compounded, as pandas `r.loc[start:end].resample('ME').apply(lambda x: (1 + x).prod() - 1)`
 * does. A period the window cuts (fine returns on both sides of --start, or of --end) has a
 * compounded return over part of the period only, while its factor return covers all of it:
 * pandas keeps that short product and pairs it with the whole-period factor; here it is left out,
 * as a period the returns themselves cover only in part is, and said in `warnings` (also in
 * `notes`) naming the period and the --start/--end that would keep it. A period whose date (the
 * factors' label, e.g. the calendar month end) is after --end is left out too, with the same
 * warning, even when its last trading day is inside: every output is dated by that label.
 * Before, the first period compounded the days before --start with the rest (and a period cut by
 * --end was left out without a word).
 */
export function matchReturnsToFactors(
  returns: Panel,
  returnsLabel: string,
  factors: NamedCalendar,
  resample: ResampleTarget | undefined,
  sample?: { from: number; to: number },
): { returns: Panel; notes: string[]; warnings: string[] } {
  const fr = detectFrequency(returns.dates),
    ff = detectFrequency(factors.dates);
  const rr = RANK[fr.frequency],
    rf = RANK[ff.frequency];
  const both = `${returnsLabel} is ${fr.frequency}, ${factors.label} is ${ff.frequency}`;
  if (rr < 0 || rf < 0 || rr === rf) {
    if (resample !== undefined) {
      throw new InputError(`--resample ${resample} given, but ${both}: nothing to resample`, { hint: 'drop --resample' });
    }
    const freq = fr.frequency;
    if (rr !== rf || freq === 'daily' || freq === 'irregular') return { returns, notes: [], warnings: [] };
    const same = samePeriodDates(returns.dates, factors.dates, freq);
    if (same.moved === 0) return { returns, notes: [], warnings: [] };
    const period = PERIOD_NOUN[freq];
    return {
      returns: new Panel(same.dates, returns.assets, returns.values),
      warnings: [],
      notes: [
        `${returnsLabel}: ${same.moved} of its ${returns.nDates} ${freq} dates take ${factors.label}'s date of the same ${period} (the first ${formatIsoDate(same.first[0])} -> ${formatIsoDate(same.first[1])}): both label a ${period} by a day near its end (the last trading day, the calendar end), so their returns are paired by ${period}; the outputs carry the factors' dates`,
      ],
    };
  }
  if (rr > rf) {
    throw new InputError(`${both}: the factors are finer than the returns`, {
      hint: `give ${fr.frequency} factors (Ken French publishes daily and monthly files); compounding factor excess returns is not exact, so factorlab does not do it`,
    });
  }
  if (resample === undefined) {
    throw new InputError(`${both}: ${fr.frequency} returns cannot be regressed on ${ff.frequency} factors date by date`, {
      hint: `add --resample ${ff.frequency} to compound the returns to the factors' ${ff.frequency} dates (product of 1 + r over each complete period, minus 1), or give ${fr.frequency} factors`,
    });
  }
  if (resample !== ff.frequency) {
    throw new InputError(`--resample ${resample}, but ${factors.label} is ${ff.frequency}`, {
      hint: `use --resample ${ff.frequency}: the returns are compounded to the factors' dates`,
    });
  }
  const compounded = compoundReturns(returns, factors.dates);
  const cut =
    sample === undefined
      ? { panel: compounded.panel, warnings: [] }
      : insideSample(compounded.panel, returns.dates, factors.dates, sample, ff.frequency);
  const panel = cut.panel;
  const incomplete = factors.dates.length - panel.nDates;
  const inside = sample !== undefined && (sample.from > -Infinity || sample.to < Infinity) ? ` and ${sampleText(sample)}` : '';
  if (panel.nDates === 0) {
    throw new InputError(
      `--resample ${resample}: no complete ${ff.frequency} period of ${factors.label} (${dateRange(factors.dates)}) lies inside ${returnsLabel} (${dateRange(returns.dates)})${inside}`,
      {
        hint:
          inside !== ''
            ? `give returns and factors that cover the same periods, and a --start/--end that holds at least one whole ${PERIOD_NOUN[ff.frequency]}${cut.warnings.length > 0 ? ` (${cut.warnings.join('; ')})` : ''}`
            : 'give returns and factors that cover the same periods',
      },
    );
  }
  return {
    returns: panel,
    warnings: cut.warnings,
    notes: [
      `returns: ${fr.frequency} returns compounded to ${panel.nDates} ${ff.frequency} periods ending on the factors' dates ${dateRange(panel.dates)} (product of 1 + r, minus 1; ${incomplete} of the factors' ${factors.dates.length} dates have no complete period inside the returns${inside} and are left out; the risk-free rate is the factors' ${ff.frequency} one) (--resample)`,
      ...cut.warnings,
    ],
  };
}

/** `--start 2010-01-15 --end 2012-06-15` for the bounds given. */
function sampleText(sample: { from: number; to: number }): string {
  const parts: string[] = [];
  if (sample.from > -Infinity) parts.push(`--start ${formatIsoDate(sample.from)}`);
  if (sample.to < Infinity) parts.push(`--end ${formatIsoDate(sample.to)}`);
  return parts.join(' ');
}

/**
 * The compounded periods that lie inside [from, to]: every fine return of the period (its fine
 * dates in (previous factor date, factor date]) and the period's own date inside the window. A
 * period wholly outside is dropped without a word (the user's window excludes it); one the window
 * cuts (fine returns on both sides of --start or of --end, or a date after --end) is dropped with
 * a warning naming it and the --start/--end that keeps it whole.
 */
function insideSample(
  compounded: Panel,
  fine: Calendar,
  to: Calendar,
  sample: { from: number; to: number },
  frequency: Frequency,
): { panel: Panel; warnings: string[] } {
  const noun = PERIOD_NOUN[frequency as keyof typeof PERIOD_NOUN];
  const { from, to: until } = sample;
  const warnings: string[] = [];
  const keep: number[] = [];
  for (let i = 0; i < compounded.nDates; i++) {
    const label = compounded.dates[i];
    const k = lowerBound(to, label); // the period (to[k-1], to[k]]; k >= 1 (the first factor date ends no period)
    const first = to[k - 1] + 1;
    const a = lowerBound(fine, first),
      b = lowerBound(fine, label + 1); // the period's fine rows [a, b)
    const inside = lowerBound(fine, Math.max(first, from)) < lowerBound(fine, Math.min(label, until) + 1);
    if (fine[a] >= from && fine[b - 1] <= until && label <= until) {
      keep.push(i);
    } else if (!inside && label < from) {
      // wholly before the window
    } else if (!inside && fine[a] > until) {
      // wholly after the window
    } else if (fine[a] < from) {
      warnings.push(
        `--resample: the ${noun} ending ${formatIsoDate(label)} is left out: --start ${formatIsoDate(from)} is inside it, so not all of its returns are in the sample while its factor return covers all of it; --start ${formatIsoDate(first)} keeps it whole, --start ${formatIsoDate(label + 1)} starts on the next ${noun}`,
      );
    } else if (fine[b - 1] > until) {
      warnings.push(
        `--resample: the ${noun} ending ${formatIsoDate(label)} is left out: --end ${formatIsoDate(until)} is inside it, so not all of its returns are in the sample while its factor return covers all of it; --end ${formatIsoDate(label)} keeps it whole, --end ${formatIsoDate(first - 1)} ends on the ${noun} before`,
      );
    } else {
      warnings.push(
        `--resample: the ${noun} ending ${formatIsoDate(label)} is left out: its date is after --end ${formatIsoDate(until)} (the outputs are dated by the factors' dates); --end ${formatIsoDate(label)} keeps it`,
      );
    }
  }
  if (keep.length === compounded.nDates) return { panel: compounded, warnings };
  const m = compounded.nAssets;
  const values = new Float64Array(keep.length * m);
  keep.forEach((i, r) => values.set(compounded.values.subarray(i * m, (i + 1) * m), r * m));
  return {
    panel: new Panel(
      Int32Array.from(keep, (i) => compounded.dates[i]),
      compounded.assets,
      values,
    ),
    warnings,
  };
}

/** The inclusive --start/--end bounds as day numbers, refusing a start after the end. */
export function parseSampleRange(start: string | undefined, end: string | undefined): { from: number; to: number } {
  const parse = (flag: string, v: string | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const d = tryParseIsoDate(v);
    if (Number.isNaN(d)) throw new InputError(`${flag} must be a date YYYY-MM-DD`, { value: v, hint: `e.g. ${flag} 2019-12-31` });
    return d;
  };
  const from = parse('--start', start, -Infinity),
    to = parse('--end', end, Infinity);
  if (from > to) throw new InputError(`--start ${start} is after --end ${end}`, { hint: 'swap them' });
  return { from, to };
}

/**
 * The dates two inputs share inside --start/--end. None: an InputError naming both ranges (and
 * the sample range when one was given). Fewer than `useful`: a note saying how few (the caller
 * prints it and puts it in its JSON notes).
 */
export function checkOverlap(
  a: NamedCalendar,
  b: NamedCalendar,
  start: string | undefined,
  end: string | undefined,
  useful: number,
): { common: Calendar; notes: string[] } {
  const { from, to } = parseSampleRange(start, end);
  const both = intersectCalendars(a.dates, b.dates);
  const common = both.slice(lowerBound(both, from), lowerBound(both, to + 1));
  const sample = start !== undefined || end !== undefined ? ` inside --start ${start ?? '(none)'} --end ${end ?? '(none)'}` : '';
  if (common.length === 0) {
    const apart =
      a.dates.length > 0 && b.dates.length > 0 && (a.dates[a.dates.length - 1] < b.dates[0] || b.dates[b.dates.length - 1] < a.dates[0]);
    throw new InputError(`no date is in both ${a.label} (${dateRange(a.dates)}) and ${b.label} (${dateRange(b.dates)})${sample}`, {
      hint: apart
        ? 'the two files cover different years: give files that cover the same period'
        : both.length === 0
          ? 'the files share no date: check the date columns and the frequencies'
          : `the files share ${dateRange(both)}: choose --start/--end inside it`,
    });
  }
  const notes =
    common.length < useful
      ? [
          `only ${common.length} date${common.length === 1 ? '' : 's'} (${dateRange(common)}) in both ${a.label} and ${b.label}${sample}: estimates from so few are fragile`,
        ]
      : [];
  return { common, notes };
}

/**
 * analyze, zoo, combine: a weekly, monthly, quarterly or annual factor beside prices of the same
 * frequency that label each period by another day near its end (factor on the calendar month end
 * 2005-04-30, prices on the last trading day 2005-04-29): the factor takes the prices' date of the same period (core
 * samePeriodDates), as a pandas user pairs them by PeriodIndex. Without it, the April value would
 * trade at the next price date (May's), where May's value replaces it: a month lost on every such
 * date, counted as data loss. A label that moves earlier says the factor is known at that price;
 * the note says so, with --execution-lag 1 for a factor that uses data from after it.
 */
export function factorOnPriceLabels(
  factor: Panel,
  prices: Panel,
  factorLabel: string,
  pricesLabel: string,
): { panel: Panel; notes: string[] } {
  const ff = detectFrequency(factor.dates).frequency;
  if (ff !== detectFrequency(prices.dates).frequency || !(ff === 'weekly' || ff === 'monthly' || ff === 'quarterly' || ff === 'annual'))
    return { panel: factor, notes: [] };
  const same = samePeriodDates(factor.dates, prices.dates, ff);
  if (same.moved === 0) return { panel: factor, notes: [] };
  let earlier = 0;
  for (let t = 0; t < factor.nDates; t++) if (same.dates[t] < factor.dates[t]) earlier++;
  const period = PERIOD_NOUN[ff];
  return {
    panel: new Panel(same.dates, factor.assets, factor.values),
    notes: [
      `${factorLabel}: ${same.moved} of its ${factor.nDates} ${ff} dates take ${pricesLabel}'s date of the same ${period} (the first ${formatIsoDate(same.first[0])} -> ${formatIsoDate(same.first[1])}): both label a ${period} by a day near its end${earlier > 0 ? `, so ${earlier} factor value${earlier === 1 ? ' is' : 's are'} taken as known at the ${period}'s last price (if the factor uses data from after it, add --execution-lag 1)` : ''}`,
    ],
  };
}

/** The inputs of {@link factorCoverage}. */
export interface CoverageInput {
  /** The return dates (on the factors' calendar, after any resampling). */
  returnDates: Calendar;
  /** Whether the returns come from prices: their first date then has no return and is not counted. */
  fromPrices: boolean;
  factors: Frame;
  /** The columns a fit needs on a date: the regressors and the risk-free column. */
  columns: readonly string[];
  sample: { from: number; to: number };
  returnsLabel: string;
  factorsLabel: string;
}

/**
 * The dates a time-series fit really covers: the return dates inside --start/--end that have a
 * factor row with a value in every needed column. Return dates before the first or after the last
 * of them (factors that end before the prices, a column such as Ken French's RMW that starts in
 * 1963 in a merged file) are not regressed; they used to stay in the fit's calendar, so the output
 * claimed a range (`2013-02-08 .. 2018-02-07`) the fit never saw (it stopped on 2016-12-30). The
 * result narrows --start/--end to the covered range (`start`/`end`, ISO, only where it moves) with
 * a note naming the column and date that limit it, and a note counting the dates inside the range
 * without every factor value (left out of every regression). None covered: an InputError naming
 * each column's range.
 */
export function factorCoverage(input: CoverageInput): { start?: string; end?: string; notes: string[] } {
  const { returnDates, factors, columns, sample } = input;
  const series = columns.map((c) => factors.get(c));
  const complete = (f: number): boolean => series.every((s) => s[f] === s[f]);
  const a0 = lowerBound(returnDates, sample.from),
    a = a0 + (input.fromPrices && a0 === 0 ? 1 : 0),
    b = lowerBound(returnDates, sample.to + 1);
  let first = -1,
    last = -1,
    gaps = 0,
    firstGap = NaN;
  const covered = new Uint8Array(Math.max(0, b - a));
  for (let t = a; t < b; t++) {
    const f = lowerBound(factors.dates, returnDates[t]);
    if (f < factors.dates.length && factors.dates[f] === returnDates[t] && complete(f)) {
      covered[t - a] = 1;
      if (first < 0) first = t;
      last = t;
    }
  }
  const spans = columns.map((c, k) => `${c} ${valuedRange(factors.dates, series[k])}`).join(', ');
  if (first < 0)
    throw new InputError(
      `no return date of ${input.returnsLabel}${sample.from > -Infinity || sample.to < Infinity ? ' inside --start/--end' : ''} (${b > a ? dateRange(returnDates.subarray(a, b)) : 'none'}) has a value of every factor in ${input.factorsLabel} (${spans})`,
      { hint: 'give factors that cover the returns, or leave the column without values there out with --factor-cols' },
    );
  for (let t = first; t <= last; t++)
    if (covered[t - a] === 0 && factorsHave(factors.dates, returnDates[t])) {
      if (gaps === 0) firstGap = returnDates[t];
      gaps++;
    }
  const before = first - a,
    after = b - 1 - last;
  const notes: string[] = [];
  if (before > 0 || after > 0) {
    const limits: string[] = [];
    if (before > 0)
      limits.push(
        `${plural(before, 'return date')} before ${formatIsoDate(returnDates[first])} (${whyUncovered(factors, columns, series, returnDates[first - 1], 'start')})`,
      );
    if (after > 0)
      limits.push(
        `${plural(after, 'return date')} after ${formatIsoDate(returnDates[last])} (${whyUncovered(factors, columns, series, returnDates[last + 1], 'end')})`,
      );
    notes.push(
      `${input.returnsLabel}: ${limits.join(' and ')} ${limits.length === 1 && before + after === 1 ? 'has' : 'have'} no value of every factor of ${input.factorsLabel}: not fitted, so the fit covers ${formatIsoDate(returnDates[before > 0 ? first : a])} .. ${formatIsoDate(returnDates[last])}`,
    );
  }
  if (gaps > 0)
    notes.push(
      `${input.factorsLabel}: ${gaps} date${gaps === 1 ? '' : 's'} inside the fit lack a value of ${columns.filter((_, k) => hasGap(factors.dates, series[k], returnDates[first], returnDates[last])).join(', ')} (the first ${formatIsoDate(firstGap)}), so those returns are left out of every regression`,
    );
  return {
    ...(before > 0 ? { start: formatIsoDate(returnDates[first]) } : {}),
    ...(after > 0 ? { end: formatIsoDate(returnDates[last]) } : {}),
    notes,
  };
}

/** Whether `day` is a date of the factor calendar. */
function factorsHave(dates: Calendar, day: number): boolean {
  const f = lowerBound(dates, day);
  return f < dates.length && dates[f] === day;
}

/** `1963-07-01 .. 2024-12-31`: the dates of a series' first and last value, or `no value`. */
function valuedRange(dates: Calendar, s: Float64Array): string {
  let i = 0,
    j = s.length - 1;
  while (i < s.length && s[i] !== s[i]) i++;
  while (j >= 0 && s[j] !== s[j]) j--;
  return i > j ? 'no value' : `${formatIsoDate(dates[i])} .. ${formatIsoDate(dates[j])}`;
}

/** Whether a series lacks a value on a factor date inside [from, to]. */
function hasGap(dates: Calendar, s: Float64Array, from: number, to: number): boolean {
  for (let f = lowerBound(dates, from); f < dates.length && dates[f] <= to; f++) if (s[f] !== s[f]) return true;
  return false;
}

/**
 * Why a return date just outside the covered range has no complete factor row: the factors' own
 * calendar ends (or starts) there, or the columns without a value on it, with their first value
 * (`start`) or last value (`end`).
 */
function whyUncovered(
  factors: Frame,
  columns: readonly string[],
  series: readonly Float64Array[],
  day: number,
  side: 'start' | 'end',
): string {
  const d = factors.dates;
  if (d.length === 0) return 'the factors have no dates';
  if (side === 'end' && day > d[d.length - 1]) return `the factors end ${formatIsoDate(d[d.length - 1])}`;
  if (side === 'start' && day < d[0]) return `the factors start ${formatIsoDate(d[0])}`;
  const f = lowerBound(d, day);
  if (f >= d.length || d[f] !== day) return `the factors have no row on ${formatIsoDate(day)}`;
  const missing = columns.filter((_, k) => series[k][f] !== series[k][f]);
  return missing
    .map((c) => {
      const s = series[columns.indexOf(c)];
      let g = f;
      if (side === 'start') while (g < s.length && s[g] !== s[g]) g++;
      else while (g >= 0 && s[g] !== s[g]) g--;
      return g < 0 || g >= s.length ? `${c} has no value` : `${c} ${side === 'start' ? 'starts' : 'ends'} ${formatIsoDate(d[g])}`;
    })
    .join(', ');
}
