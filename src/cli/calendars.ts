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
import { Panel } from '../core/panel.js';
import { samePeriodDates } from '../core/samePeriod.js';

/** Frequencies a --resample flag can name, finest first. */
export const RESAMPLE_FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'annual'] as const;
export type ResampleTarget = (typeof RESAMPLE_FREQUENCIES)[number];

const PERIOD_NOUN = { weekly: 'week', monthly: 'month', quarterly: 'quarter', annual: 'year' } as const;

const RANK: Record<Frequency, number> = { daily: 0, weekly: 1, monthly: 2, quarterly: 3, annual: 4, irregular: -1 };

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
 */
export function matchReturnsToFactors(
  returns: Panel,
  returnsLabel: string,
  factors: NamedCalendar,
  resample: ResampleTarget | undefined,
): { returns: Panel; notes: string[] } {
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
    if (rr !== rf || freq === 'daily' || freq === 'irregular') return { returns, notes: [] };
    const same = samePeriodDates(returns.dates, factors.dates, freq);
    if (same.moved === 0) return { returns, notes: [] };
    const period = PERIOD_NOUN[freq];
    return {
      returns: new Panel(same.dates, returns.assets, returns.values),
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
  const { panel, incomplete } = compoundReturns(returns, factors.dates);
  if (panel.nDates === 0) {
    throw new InputError(
      `--resample ${resample}: no complete ${ff.frequency} period of ${factors.label} (${dateRange(factors.dates)}) lies inside ${returnsLabel} (${dateRange(returns.dates)})`,
      {
        hint: 'give returns and factors that cover the same periods',
      },
    );
  }
  return {
    returns: panel,
    notes: [
      `returns: ${fr.frequency} returns compounded to ${panel.nDates} ${ff.frequency} periods ending on the factors' dates ${dateRange(panel.dates)} (product of 1 + r, minus 1; ${incomplete} of the factors' ${factors.dates.length} dates have no complete period inside the returns and are left out; the risk-free rate is the factors' ${ff.frequency} one) (--resample)`,
    ],
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
          : 'widen --start/--end',
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
