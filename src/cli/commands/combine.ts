/**
 * `factorlab combine`: several factors into one composite, by equal weights of per-date z-scores
 * or by their trailing IC / IC_IR (using only forward returns already realised at each formation
 * date), with the weight history; optionally tested like any factor.
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { asOfPanel } from '../../core/align.js';
import { InputError } from '../../core/errors.js';
import { Frame } from '../../core/frame.js';
import type { Panel } from '../../core/panel.js';
import { combineFactorsWithPrices } from '../../signals/combineWithPrices.js';
import type { CompositeMethod } from '../../signals/composite.js';
import { isPeriodEndColumn } from '../../io/columns.js';
import { holdDuckdb } from '../../io/duckdb.js';
import { writeTable } from '../../io/write.js';
import { checkOutputs, TABLE_FORMATS } from '../../io/outputs.js';
import { formatCount, formatNumber, plural, table } from '../format.js';
import { loadPrices, loadValues, nonNegativeInteger, positiveInteger, timezoneOption } from '../load.js';
import { dateRange, factorOnPriceLabels } from '../calendars.js';
import { detectFrequency, type Frequency, intersectCalendars, lowerBound, periodEnds } from '../../core/calendar.js';
import { formatIsoDate } from '../../core/dates.js';
import { asOfOption, checkAsOfFlags, DEFAULT_MAX_AGE_DAYS, maxAgeOption } from './analyze.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { assetNamesHint } from '../../core/assetNames.js';
import { columnsReadOf, readWithSharedColumns } from './exposures.js';

export interface CombineFlags {
  factor: string[];
  timezone?: string;
  name?: string;
  prices?: string;
  method: CompositeMethod;
  window: number;
  minPeriods?: number;
  horizon: number;
  executionLag: number;
  ic: 'spearman' | 'pearson';
  dateCol?: string;
  assetCol?: string;
  factorCol?: string;
  priceCol?: string;
  clean?: boolean;
  out: string;
  /** Write --out wide (date, one column per asset). */
  wide?: boolean;
  weightsOut?: string;
  asOf?: 'daily' | 'weekly' | 'monthly';
  maxAge?: number;
}

/** A `--factor` argument: a file, or `FILE#column` (a column of a long multi-factor file, as in zoo). */
export function factorArg(arg: string, factorCol: string | undefined): { file: string; col?: string; name: string } {
  const hash = arg.lastIndexOf('#');
  if (!existsSync(arg) && hash > 0 && existsSync(arg.slice(0, hash))) {
    const col = arg.slice(hash + 1);
    return { file: arg.slice(0, hash), col, name: col };
  }
  return {
    file: arg,
    ...(factorCol !== undefined ? { col: factorCol } : {}),
    name: arg.replace(/^.*[\\/]/, '').replace(/\.(csv|csv\.gz|parquet|json)$/i, ''),
  };
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerCombine(program: Command, streams: CliStreams): void {
  program
    .command('combine')
    .summary('combine factors into a composite by equal, IC or IC_IR weights')
    .description(
      'Z-score each factor per date and combine them: equal weights, or weights proportional to each ' +
        "factor's trailing mean IC (ic) or IC_IR (icir) over a window of past formation dates, using " +
        'only forward returns already realised at each date (no look-ahead). Writes the composite ' +
        '(test it with factorlab analyze) and the weight history.',
    )
    .requiredOption(
      '--factor <file>',
      'a factor file (long or wide), or FILE#column (a column of a long multi-factor file); repeat for each factor',
      collect,
    )
    .option('--name <list>', 'names of the factors, comma-separated (default: the file names)')
    .option('--prices <file>', 'prices, needed for --method ic and icir')
    .addOption(new Option('--method <method>', 'weighting').choices(['equal', 'ic', 'icir']).default('equal'))
    .addOption(
      new Option('--window <n>', 'trailing formation dates of IC behind each weight').default(12).argParser(positiveInteger('--window')),
    )
    .addOption(
      new Option(
        '--min-periods <n>',
        'ICs a window must hold for a weight (default: the whole --window; a row without an IC, e.g. a date with under 3 assets, then blanks the window dates after it)',
      ).argParser(positiveInteger('--min-periods')),
    )
    .addOption(
      new Option('--horizon <n>', 'forward-return horizon of the IC, in rows of the price calendar')
        .default(1)
        .argParser(positiveInteger('--horizon')),
    )
    .addOption(
      new Option(
        '--execution-lag <n>',
        'rows of the price calendar between a factor date and the trade its IC is measured from (as in analyze; e.g. 63 for fundamentals dated by fiscal period end)',
      )
        .default(0)
        .argParser(nonNegativeInteger('--execution-lag')),
    )
    .addOption(new Option('--ic <kind>', 'rank IC (spearman) or normal IC (pearson)').choices(['spearman', 'pearson']).default('spearman'))
    .option('--factor-col <name>', 'value column of long factor files')
    .option('--price-col <name>', 'price column of a long price file')
    .option('--date-col <name>', 'date column of the files')
    .addOption(timezoneOption('the factor and price files'))
    .option('--asset-col <name>', 'asset column of long files')
    .option('--clean', 'set one-day bad ticks in the prices to missing')
    .addOption(asOfOption())
    .addOption(maxAgeOption())
    .requiredOption('--out <file>', 'the composite: .csv, .csv.gz, .parquet or .json (long date,asset,value)')
    .option('--wide', 'write --out wide: date and one column per asset (a third of the long CSV)')
    .option('--weights-out <file>', 'the weight history: date and one column per factor')
    .addHelpText(
      'after',
      `
Examples:
  factorlab combine --factor value.csv --factor quality.csv --out composite.csv
  factorlab combine --factor 'fundamentals.csv#After Tax ROE' --factor 'fundamentals.csv#Earnings Per Share' --prices prices.csv.gz --as-of monthly --out quality.csv
  factorlab combine --factor 'fundamentals.csv#After Tax ROE' --factor 'fundamentals.csv#Earnings Per Share' --prices prices.csv.gz --as-of monthly --method icir --window 12 --horizon 21 --execution-lag 63 --out quality.csv
  factorlab combine --factor value.csv --factor momentum.csv --prices prices.csv.gz --method icir --window 12 --horizon 21 --out composite.parquet --weights-out weights.csv
  factorlab analyze --factor composite.parquet --prices prices.csv.gz`,
    )
    .action(async (flags: CombineFlags, command: Command) => {
      if (flags.method === 'equal') {
        // flags of the IC weights, given with equal weights, would be ignored (as backtest refuses flags its rule ignores)
        const given = ['window', 'minPeriods', 'horizon', 'ic', 'executionLag'].filter((k) => {
          const source = command.getOptionValueSource(k);
          return source !== undefined && source !== 'default';
        });
        if (given.length > 0) {
          const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          throw new InputError(
            `${given.map(flag).join(', ')} ${given.length === 1 ? 'sets' : 'set'} the IC weights, and --method equal has none: it would be ignored`,
            {
              hint: `add --method ic or --method icir (with --prices), or drop ${given.map(flag).join(', ')}`,
            },
          );
        }
      }
      if (flags.minPeriods !== undefined && flags.minPeriods > flags.window)
        throw new InputError(`--min-periods ${flags.minPeriods} is more than the --window ${flags.window} rows it counts in`, {
          hint: `give --min-periods from 1 to ${flags.window}`,
        });
      checkOutputs([
        { path: flags.out, flag: '--out', formats: TABLE_FORMATS },
        { path: flags.weightsOut, flag: '--weights-out', formats: TABLE_FORMATS },
      ]); // before any work
      checkAsOfFlags({ ...flags, sample: undefined });
      if (flags.asOf !== undefined && flags.prices === undefined)
        throw new InputError("--as-of carries each factor to the prices' dates, and there is no --prices", {
          hint: 'add --prices FILE (the calendar of the composite), or drop --as-of',
        });
      const progress = progressReporter(true);
      let lines: string[];
      try {
        const args = flags.factor.map((f) => factorArg(f, flags.factorCol));
        const names = flags.name !== undefined ? flags.name.split(',').map((s) => s.trim()) : args.map((a) => a.name);
        if (names.length !== flags.factor.length)
          throw new InputError(`--name gives ${names.length} names for ${flags.factor.length} factors`);
        if (new Set(names).size !== names.length)
          throw new InputError(`factor names must differ: ${names.join(', ')}`, { hint: 'name them with --name a,b,...' });
        const factors: Record<string, Panel> = {};
        const periodEnd: string[] = []; // factors dated by a fiscal period's end (io isPeriodEndColumn)
        // One DuckDB instance for every file of the run.
        // --date-col / --asset-col name the columns of every file; a file without the named column is
        // read as without the flag (readWithSharedColumns), so long prices (`Name`) go with wide factors
        const columnFlags = { dateCol: flags.dateCol, assetCol: flags.assetCol };
        const columnNotes: string[] = [];
        const ignored: (keyof typeof columnFlags)[][] = [];
        const prices = await holdDuckdb(async () => {
          for (let k = 0; k < names.length; k++) {
            const without: (keyof typeof columnFlags)[] = [];
            const loaded = await readWithSharedColumns(
              args[k].file,
              columnFlags,
              (columns) =>
                loadValues(args[k].file, { ...columns, valueCol: args[k].col, timezone: flags.timezone }, progress.update).catch(
                  (e: unknown) => {
                    throw combineHint(e, args[k].file);
                  },
                ),
              columnNotes,
              without,
              columnsReadOf,
            );
            ignored.push(without);
            factors[names[k]] = loaded.panel;
            if (isPeriodEndColumn(loaded.dateCol)) periodEnd.push(`${names[k]} ("${loaded.dateCol}")`);
          }
          if (flags.prices === undefined) return undefined;
          const pricesFile = flags.prices;
          const without: (keyof typeof columnFlags)[] = [];
          const loaded = await readWithSharedColumns(
            pricesFile,
            columnFlags,
            (columns) =>
              loadPrices(
                pricesFile,
                { ...columns, valueCol: flags.priceCol, timezone: flags.timezone },
                flags.clean ?? false,
                progress.update,
              ),
            columnNotes,
            without,
            (p) => columnsReadOf(p.loaded),
          );
          ignored.push(without);
          return loaded;
        });
        for (const key of ['dateCol', 'assetCol'] as const)
          if (columnFlags[key] !== undefined && ignored.every((w) => w.includes(key))) {
            const flag = key === 'dateCol' ? '--date-col' : '--asset-col';
            const files = [...new Set([...args.map((a) => a.file), ...(flags.prices !== undefined ? [flags.prices] : [])])];
            throw new InputError(`${flag} ${JSON.stringify(columnFlags[key])} is a column of none of the files (${files.join(', ')})`, {
              hint: `name a column of the files with ${flag}, or drop it (date, asset, ticker, symbol, ... are detected)`,
            });
          }
        const asOfNotes: string[] = [];
        if (flags.asOf !== undefined && prices !== undefined) {
          const maxAge = flags.maxAge ?? DEFAULT_MAX_AGE_DAYS,
            ends = periodEnds(prices.panel.dates, flags.asOf);
          for (const n of names) factors[n] = asOfPanel(factors[n], ends, maxAge);
          asOfNotes.push(
            `factors as of ${flags.asOf === 'daily' ? 'every price date' : `the last price date of each ${flags.asOf === 'weekly' ? 'week' : 'month'}`}: each asset's latest value on or before it, at most ${maxAge} days old (--as-of, --max-age)`,
          );
        }
        // a factor labelled by another day of the prices' period than the prices (the calendar month end
        // beside the last trading day) takes the prices' date of that period, as in analyze
        const labelNotes: string[] = [];
        if (flags.asOf === undefined && prices !== undefined)
          names.forEach((n, k) => {
            const moved = factorOnPriceLabels(factors[n], prices.panel, `--factor ${args[k].file}`, `--prices ${flags.prices}`);
            factors[n] = moved.panel;
            labelNotes.push(...moved.notes);
          });
        assertCombinable(factors, flags, prices?.panel);
        const factorNotes = [...droppedDates(factors, flags), ...periodEndNotes(periodEnd, flags)];
        factorNotes.push(
          ...assertUsableFactors(
            factors,
            names.map((n, k) => args[k].file + (args[k].col !== undefined && args[k].col !== flags.factorCol ? `#${args[k].col}` : '')),
            flags,
          ),
        );
        if (prices !== undefined && flags.method !== 'equal' && flags.horizon + flags.executionLag >= prices.panel.nDates)
          throw new InputError(
            `--horizon ${flags.horizon}${flags.executionLag > 0 ? ` with --execution-lag ${flags.executionLag}` : ''} is not shorter than the ${prices.panel.nDates} price dates: no IC can be realised`,
            {
              file: flags.prices,
              hint: 'choose a horizon well under the price history (in rows of the price calendar: 21 is a month of trading days)',
            },
          );
        if (prices !== undefined && flags.method !== 'equal') factorNotes.push(...checkPriceCalendar(factors, prices.panel, flags));
        const result = combineFactorsWithPrices(factors, prices?.panel, {
          method: flags.method,
          window: flags.window,
          ...(flags.minPeriods !== undefined ? { minPeriods: flags.minPeriods } : {}),
          horizon: flags.horizon,
          executionLag: flags.executionLag,
          ic: flags.ic,
        });
        if (!result.composite.values.some((v) => Number.isFinite(v))) {
          const flat = flags.method === 'icir' ? constantIcFactors(result.ics) : [];
          if (flat.length > 0)
            throw new InputError(
              `the composite has no value on any date: the IC of ${flat.map((f) => `${f.name} (${f.value})`).join(', ')} is the same on every date, so its standard deviation is 0 and its IC_IR (mean / std) is undefined in every window`,
              {
                hint: 'an IC that never varies usually means a factor computed from the returns it predicts (look-ahead): check how it is built; --method ic weights by the mean IC instead',
              },
            );
          throw new InputError(
            `the composite has no value on any date: ${flags.method === 'equal' ? 'no asset has every factor on a common date' : `no formation date had ${flags.window} earlier dates of realised IC (--window) with the prices${icCounts(result.ics)}`}`,
            {
              hint:
                flags.method === 'equal'
                  ? 'check that the factor files cover the same assets and dates'
                  : 'lower --window, or give prices and factors over a longer common period',
            },
          );
        }
        factorNotes.push(...lostAssets(result.composite, factors));
        await writeTable(flags.out, result.composite, { wide: flags.wide === true });
        if (flags.weightsOut !== undefined)
          await writeTable(flags.weightsOut, new Frame(result.weights.dates, result.weights.columns, result.weights.series));
        progress.stop();
        lines = renderCombine(result.names, result.weights, result.composite, flags, [
          ...new Set(columnNotes),
          ...(prices?.notes ?? []),
          ...asOfNotes,
          ...labelNotes,
          ...factorNotes,
        ]);
      } finally {
        progress.stop();
      }
      streams.stdout(`${lines.join('\n')}\n`);
    });
}

/**
 * Exit 2 before anything is written when the composite would be empty: two factors with no common
 * asset or date, or (for --method ic/icir) prices sharing no asset with the factors or ending
 * before the first factor date.
 */
function assertCombinable(factors: Record<string, Panel>, flags: CombineFlags, prices: Panel | undefined): void {
  const names = Object.keys(factors);
  const first = factors[names[0]];
  for (const n of names.slice(1)) {
    const f = factors[n];
    if (!f.assets.some((a) => first.assetIndex(a) >= 0)) {
      throw new InputError(
        `factors ${names[0]} (${first.assets.slice(0, 3).join(', ')}, ...) and ${n} (${f.assets.slice(0, 3).join(', ')}, ...) have no asset in common`,
        { hint: assetNamesHint(f.assets, first.assets, n, names[0], 'asset names must match exactly: check --asset-col') },
      );
    }
    const both = intersectCalendars(first.dates, f.dates);
    if (both.length === 0)
      throw new InputError(`factors ${names[0]} (${dateRange(first.dates)}) and ${n} (${dateRange(f.dates)}) have no date in common`, {
        hint: 'give factors on the same formation dates',
      });
  }
  if (prices !== undefined && flags.method !== 'equal') {
    if (!prices.assets.some((a) => first.assetIndex(a) >= 0)) {
      throw new InputError(
        `no factor asset (${first.assets.slice(0, 3).join(', ')}, ...) is among the price assets (${prices.assets.slice(0, 3).join(', ')}, ...)`,
        {
          file: flags.prices,
          hint: assetNamesHint(first.assets, prices.assets, names[0], '--prices', 'asset names must match exactly: check --asset-col'),
        },
      );
    }
    if (prices.nDates === 0 || prices.dates[prices.nDates - 1] < first.dates[0]) {
      throw new InputError(`the prices (${dateRange(prices.dates)}) end before the first factor date (${dateRange(first.dates)})`, {
        file: flags.prices,
        hint: 'give prices that cover the factor dates',
      });
    }
  }
}

/**
 * A note when some assets of the composite never have a value: a name needs every factor's value
 * on a date (assets whose tickers differ between the files, or a factor covering fewer names),
 * naming which factor each group lacks. The composite's panel lists every asset of any factor, so
 * its size alone overstated what it covers.
 */
function lostAssets(composite: Panel, factors: Record<string, Panel>): string[] {
  const m = composite.nAssets,
    v = composite.values;
  const valued = new Uint8Array(m);
  for (let i = 0; i < v.length; i++) if (v[i] === v[i]) valued[i % m] = 1;
  const lost = composite.assets.filter((_, j) => valued[j] === 0);
  if (lost.length === 0) return [];
  const list = (xs: readonly string[]): string => `${formatCount(xs.length)} (${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ', ...' : ''})`;
  const explained = new Set<string>();
  const lacks = Object.entries(factors).map(([name, f]) => {
    const has = new Uint8Array(f.nAssets);
    for (let i = 0; i < f.values.length; i++) if (f.values[i] === f.values[i]) has[i % f.nAssets] = 1;
    const none = lost.filter((a) => {
      const j = f.assetIndex(a);
      return j < 0 || has[j] === 0;
    });
    for (const a of none) explained.add(a);
    return none.length === 0 ? '' : `${name} has none for ${list(none)}`;
  });
  const rest = lost.filter((a) => !explained.has(a));
  if (rest.length > 0)
    lacks.push(`${list(rest)} ${rest.length === 1 ? 'has' : 'have'} every factor, but never together on a date with known weights`);
  return [
    `assets: ${formatCount(lost.length)} of the ${formatCount(m)} assets have no composite value on any date (a name needs every factor's value on a date): ${lacks.filter((x) => x !== '').join('; ')}; asset names must match exactly across the files`,
  ];
}

/** A load error whose hint names `--value-col`, a flag combine does not have, with combine's ways to pick the column. */
function combineHint(e: unknown, file: string): unknown {
  if (!(e instanceof InputError) || e.hint === undefined || !e.hint.includes('--value-col')) return e;
  return new InputError(e.problem, {
    ...e.location,
    hint: `name the column as ${file}#COLUMN (one column of a multi-column file), or with --factor-col for every factor file`,
  });
}

/**
 * Exit 2 naming the factor when one of them cannot enter a composite: no value at all, or the same
 * value for every asset on every date (no z-score). Returns notes for the dates on which a factor
 * is the same for every asset (no composite on them).
 */
function assertUsableFactors(factors: Record<string, Panel>, sources: readonly string[], flags: CombineFlags): string[] {
  const notes: string[] = [];
  const asOf =
    flags.asOf !== undefined
      ? ` as of the price dates (--as-of ${flags.asOf}, --max-age ${flags.maxAge ?? DEFAULT_MAX_AGE_DAYS} days)`
      : '';
  Object.keys(factors).forEach((name, k) => {
    const f = factors[name];
    const m = f.nAssets,
      v = f.values;
    let withValues = 0,
      flat = 0,
      firstFlat = -1,
      flatValue = NaN;
    for (let t = 0; t < f.nDates; t++) {
      let first = NaN,
        n = 0,
        differs = false;
      for (let j = 0; j < m; j++) {
        const x = v[t * m + j];
        if (x - x !== 0) continue;
        if (n++ === 0) first = x;
        else if (x !== first) differs = true;
      }
      if (n === 0) continue;
      withValues++;
      if (!differs) {
        flat++;
        if (firstFlat < 0) {
          firstFlat = t;
          flatValue = first;
        }
      }
    }
    const src = sources[k] === name ? name : `${name} (${sources[k]})`;
    if (withValues === 0)
      throw new InputError(`factor ${src} has no value on any date${asOf}: every cell is missing`, {
        hint:
          asOf !== ''
            ? 'check the file, or raise --max-age if its values are older than that'
            : 'check the value column: FILE#COLUMN or --factor-col names it',
      });
    const day = firstFlat >= 0 ? formatIsoDate(f.dates[firstFlat]) : '';
    if (flat === withValues)
      throw new InputError(
        `factor ${src} has no two different values on any of its ${plural(withValues, 'date')} (e.g. ${formatNumber(flatValue, 6)} on ${day}): it ranks no asset above another, so it has no z-score and no composite can be formed`,
        { hint: 'drop it, or check that the column holds the factor (FILE#COLUMN or --factor-col names it)' },
      );
    if (flat > 0)
      notes.push(
        `${name}: no two different values on ${plural(flat, 'date')} of ${withValues} (first ${day}; one asset, or the same value for all): no z-score there, so no composite on ${flat === 1 ? 'that date' : 'those dates'}`,
      );
  });
  return notes;
}

/**
 * The composite lives on the dates every factor has: a note naming what each factor loses when
 * they differ (a monthly factor dated on calendar month ends beside a daily one keeps only the
 * month ends that are trading days), and how to align them instead.
 */
function droppedDates(factors: Record<string, Panel>, flags: CombineFlags): string[] {
  const names = Object.keys(factors);
  let common = factors[names[0]].dates;
  for (const n of names.slice(1)) common = intersectCalendars(common, factors[n].dates);
  const lost = names.filter((n) => factors[n].nDates > common.length);
  if (lost.length === 0 || common.length === 0) return [];
  const first = common[0],
    last = common[common.length - 1];
  let interleaved = false;
  const parts = lost.map((n) => {
    const d = factors[n].dates;
    let before = 0,
      after = 0;
    for (const x of d) {
      if (x < first) before++;
      else if (x > last) after++;
    }
    const inside = d.length - common.length - before - after;
    if (inside > 0) interleaved = true;
    const where = [
      before > 0 ? `${formatCount(before)} before` : '',
      inside > 0 ? `${formatCount(inside)} between` : '',
      after > 0 ? `${formatCount(after)} after` : '',
    ].filter((x) => x !== '');
    return `${n} ${formatCount(d.length - common.length)} of ${formatCount(d.length)} (${where.join(', ')})`;
  });
  return [
    `dates: the composite is formed on the ${plural(common.length, 'date')} every factor has (${dateRange(common)}); left out: ${parts.join(', ')}` +
      (interleaved && flags.asOf === undefined
        ? "; factors on different calendars: --as-of with --prices carries each to the prices' period ends"
        : ''),
  ];
}

const FREQUENCY_RANK: Partial<Record<Frequency, number>> = { daily: 0, weekly: 1, monthly: 2, quarterly: 3, annual: 4 };

/**
 * IC weights trade each factor date on the first price date on or after it; factor dates that
 * share that price date with a later one are merged into it and have no composite. Exit 2 when the
 * prices are coarser than the factors (as analyze does: a daily factor on month-end prices would
 * keep one date a month); otherwise a note with the count (a weekend date beside the Monday).
 */
function checkPriceCalendar(factors: Record<string, Panel>, prices: Panel, flags: CombineFlags): string[] {
  const names = Object.keys(factors);
  let common = factors[names[0]].dates;
  for (const n of names.slice(1)) common = intersectCalendars(common, factors[n].dates);
  if (common.length === 0 || prices.nDates === 0) return [];
  const pd = prices.dates;
  let merged = 0,
    example = -1;
  for (let t = 0; t + 1 < common.length; t++) {
    const r = lowerBound(pd, common[t]);
    if (r < pd.length && common[t] >= pd[0] && lowerBound(pd, common[t + 1]) === r) {
      merged++;
      if (example < 0) example = t;
    }
  }
  if (merged === 0) return [];
  const ff = detectFrequency(common).frequency,
    fp = detectFrequency(pd).frequency;
  const rf = FREQUENCY_RANK[ff],
    rp = FREQUENCY_RANK[fp];
  const eg = `e.g. ${formatIsoDate(common[example])} trades on ${formatIsoDate(pd[lowerBound(pd, common[example])])} with ${formatIsoDate(common[example + 1])}`;
  if (rf !== undefined && rp !== undefined && rp > rf)
    throw new InputError(
      `the prices are ${fp}, the factors ${ff}: each factor date trades on the next price date, so ${formatCount(merged)} of the ${formatCount(common.length)} factor dates would share a price date with a later one and have no composite (${eg})`,
      {
        file: flags.prices,
        hint: `give ${ff} prices, or carry the factors to the prices' period ends with --as-of ${fp === 'weekly' ? 'weekly' : 'monthly'}`,
      },
    );
  return [
    `${plural(merged, 'factor date')} share${merged === 1 ? 's' : ''} a price date with a later one (${eg}): ${merged === 1 ? 'it has' : 'they have'} no IC and no composite, the later one stands for both`,
  ];
}

/** About three months of trading days: an execution lag this long covers the usual filing delay of fundamentals (as analyze). */
const REPORTING_LAG_ROWS = 63;

/**
 * The warning for factors dated by a fiscal period's end: their values were published weeks to
 * months later, so IC weights measured from that date have look-ahead unless `--execution-lag`
 * covers the delay; and the composite file is dated `date`, so analyze will no longer warn.
 */
function periodEndNotes(periodEnd: readonly string[], flags: CombineFlags): string[] {
  if (periodEnd.length === 0) return [];
  const icLag = flags.method !== 'equal' && flags.prices !== undefined && flags.executionLag < REPORTING_LAG_ROWS;
  return [
    `warning: ${periodEnd.join(', ')} ${periodEnd.length === 1 ? 'is' : 'are'} dated by a fiscal period's end, and such values are published weeks to months later (a 10-K up to 90 days)` +
      (icLag
        ? `: the IC weights, measured from that date${flags.executionLag > 0 ? ` plus ${flags.executionLag} rows` : ''}, have look-ahead (add --execution-lag ${REPORTING_LAG_ROWS}, about 3 months of trading days)`
        : '') +
      `; the composite is dated as they are: test it with analyze --execution-lag ${REPORTING_LAG_ROWS} (its file no longer says how it is dated)`,
  ];
}

/** ` (factor a: 3 dates with an IC, b: 0)` for the message of an empty IC composite. */
/** Factors whose realised IC (at least two dates) is the same on every date: their IC_IR is undefined. */
function constantIcFactors(ics: Frame | null): { name: string; value: number }[] {
  if (ics === null) return [];
  const out: { name: string; value: number }[] = [];
  ics.columns.forEach((name, k) => {
    let n = 0,
      lo = Infinity,
      hi = -Infinity;
    for (const x of ics.series[k])
      if (x === x) {
        n++;
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    if (n >= 2 && lo === hi) out.push({ name, value: lo });
  });
  return out;
}

function icCounts(ics: Frame | null): string {
  if (ics === null) return '';
  const parts = ics.columns.map((c, k) => {
    let n = 0;
    for (const x of ics.series[k]) if (x === x) n++;
    return `${c}: ${n}`;
  });
  return ` (dates with an IC, per factor: ${parts.join(', ')})`;
}

function renderCombine(names: readonly string[], weights: Frame, composite: Panel, flags: CombineFlags, notes: string[]): string[] {
  const n = weights.nDates;
  let first = -1;
  for (let t = 0; t < n; t++)
    if (weights.series.every((s) => Number.isFinite(s[t]))) {
      first = t;
      break;
    }
  const mean = (s: Float64Array): number => {
    let a = 0,
      k = 0;
    for (const v of s)
      if (Number.isFinite(v)) {
        a += v;
        k++;
      }
    return k > 0 ? a / k : NaN;
  };
  const iso = weights.isoDates();
  let unknown = 0,
    lastUnknown = -1;
  for (let t = first + 1; first >= 0 && t < n; t++)
    if (!weights.series.every((s) => Number.isFinite(s[t]))) {
      unknown++;
      lastUnknown = t;
    }
  const gaps =
    unknown > 0
      ? `; unknown on ${plural(unknown, 'later date')} (the latest ${iso[lastUnknown]}): ${flags.minPeriods !== undefined && flags.minPeriods < flags.window ? `fewer than ${flags.minPeriods} ICs in the ${flags.window}-date window` : `a row of the ${flags.window}-date window without an IC`} (fewer than 3 assets with a factor value and a forward return, or a factor with no two different values)`
      : '';
  return [
    `factorlab combine: ${names.join(' + ')} by ${flags.method === 'equal' ? 'equal weights' : `trailing ${flags.window}-date mean ${flags.method === 'ic' ? 'IC' : 'IC_IR'}${flags.minPeriods !== undefined && flags.minPeriods < flags.window ? ` (at least ${flags.minPeriods} ICs)` : ''} (${flags.ic}, horizon ${flags.horizon}${flags.executionLag > 0 ? `, execution lag ${flags.executionLag}` : ''})`}`,
    ...notes.map((x) => `  ${x}`),
    `  composite: ${plural(composite.nDates, 'date')} x ${plural(composite.nAssets, 'asset')}; weights known from ${first >= 0 ? iso[first] : 'never (too little history)'}${gaps}`,
    '',
    table(
      ['factor', 'mean weight', `last weight (${n > 0 ? iso[n - 1] : '-'})`],
      names.map((f) => [f, formatNumber(mean(weights.get(f)), 3), n > 0 ? formatNumber(weights.get(f)[n - 1], 3) : '']),
      { indent: 2, align: ['left', 'right', 'right'] },
    ),
    '',
    `  wrote ${flags.out}${flags.weightsOut !== undefined ? ` and ${flags.weightsOut}` : ''}; test it with: factorlab analyze --factor ${flags.out} --prices <prices>`,
  ];
}
