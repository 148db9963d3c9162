/**
 * `factorlab allocate`: target weights (optimize's or replicate's `--out` CSV, any asset,weight
 * file) become whole shares for a capital, at the latest prices (portfolio allocation.ts): the
 * orders a long-only book is bought with.
 *
 * Prices: `--prices` (a price panel, long or wide, as every command reads it) gives each asset's
 * last price on or before `--date` (default the file's last date); a name with a weight whose last
 * price is more than `--max-age` price dates older (default 5: delisted or suspended) is refused,
 * as is a name the file lacks. Or `--latest-prices`: an asset,price CSV.
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { assetNamesHint } from '../../core/assetNames.js';
import { formatIsoDate, tryParseIsoDate } from '../../core/dates.js';
import { InputError, isInputError } from '../../core/errors.js';
import { checkAndCleanBadTicks } from '../../core/quality.js';
import { guessDelimiter, splitCsvLine } from '../../io/header.js';
import { readText } from '../../io/csv/text.js';
import { formatOf } from '../../io/source.js';
import { checkOutputs, TABLE_FORMATS, writeJsonAtomic, writeTable } from '../../io/index.js';
import { loadHighs } from '../../io/highs.js';
import { allocateShares, type Allocation, type AllocationMethod } from '../../portfolio/allocation.js';
import { readAssetValues } from '../assetValues.js';
import { formatCount, formatNumber, plural, table } from '../format.js';
import { loadPrices, parseNumber, positiveInteger, timezoneOption } from '../load.js';
import { printJson } from '../printJson.js';
import type { CliStreams } from '../streams.js';

export interface AllocateFlags {
  weights: string;
  capital: number;
  prices?: string;
  latestPrices?: string;
  date?: string;
  maxAge: number;
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  timezone?: string;
  clean?: boolean;
  lotSize: number;
  method: AllocationMethod;
  timeLimit: number;
  limit: number;
  json?: boolean;
  out?: string;
}

/** Each weighted asset's price: the panel's last value on or before the date, or the asset,price file's. */
export interface PricesAsOf {
  prices: Float64Array;
  /** Words for the headline: where the prices come from. */
  source: string;
  notes: string[];
}

/**
 * The latest price of each of `assets` with a weight > 0 in a price panel, on or before `date`
 * (default its last date), at most `maxAge` price dates before it; refused by name otherwise.
 */
export function pricesAsOf(
  panel: { dates: ArrayLike<number>; assets: readonly string[]; values: Float64Array },
  file: string,
  assets: readonly string[],
  weights: Float64Array,
  date: number | undefined,
  maxAge: number,
  badTick?: (row: number, column: number) => boolean,
): PricesAsOf {
  const nd = panel.dates.length,
    m = panel.assets.length;
  let row = nd - 1;
  if (date !== undefined) {
    while (row >= 0 && panel.dates[row] > date) row--;
    if (row < 0)
      throw new InputError(`--date ${formatIsoDate(date)} is before the first price date, ${formatIsoDate(panel.dates[0])}`, {
        file,
        hint: 'give a --date inside the price file',
      });
  }
  const asOf = panel.dates[row];
  const col = new Map(panel.assets.map((a, j) => [a, j]));
  const missing = assets.filter((a, i) => weights[i] > 0 && !col.has(a));
  if (missing.length > 0)
    throw new InputError(
      `${plural(missing.length, 'name')} with a weight ${missing.length > 1 ? 'are' : 'is'} not in the price file: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      {
        file,
        asset: missing[0],
        hint: assetNamesHint(missing, panel.assets, '--weights', '--prices', 'give their prices, or set their weights to 0'),
      },
    );
  const prices = new Float64Array(assets.length).fill(NaN);
  const stale: string[] = [];
  const ticks: { asset: string; date: number; price: number }[] = [];
  assets.forEach((a, i) => {
    if (!(weights[i] > 0)) return;
    const j = col.get(a) as number;
    let t = row;
    while (t >= 0 && !(panel.values[t * m + j] > 0)) t--;
    if (t < 0 || row - t > maxAge) {
      stale.push(`${a} (${t < 0 ? 'no price' : `last ${formatIsoDate(panel.dates[t])}`})`);
      return;
    }
    if (badTick?.(t, j)) ticks.push({ asset: a, date: panel.dates[t], price: panel.values[t * m + j] });
    prices[i] = panel.values[t * m + j];
  });
  // a one-day bad tick (a price at 1/10 or 1/100 for a day, reversed the next) would buy 10 or 100
  // times the shares the capital pays for at the true price
  if (ticks.length > 0)
    throw new InputError(
      `the price of ${ticks.length === 1 ? '1 name' : `${ticks.length} names`} with a weight is a one-day bad tick (a price off by a factor for one day, reversed the next), so its order would be that factor off: ${ticks
        .slice(0, 5)
        .map((x) => `${x.asset} ${x.price} on ${formatIsoDate(x.date)}`)
        .join(', ')}${ticks.length > 5 ? ', ...' : ''}`,
      {
        file,
        asset: ticks[0].asset,
        date: formatIsoDate(ticks[0].date),
        hint: 'add --clean to take the last good price before it, give another --date, or the prices themselves with --latest-prices (factorlab inspect lists the bad ticks)',
      },
    );
  if (stale.length > 0)
    throw new InputError(
      `${plural(stale.length, 'name')} with a weight ${stale.length > 1 ? 'have' : 'has'} no price in the last ${maxAge + 1} price dates up to ${formatIsoDate(asOf)} (delisted or suspended?): ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', ...' : ''}`,
      {
        file,
        hint: 'set their weights to 0 (they cannot be bought at a price that old), give --date at a time they traded, or a larger --max-age',
      },
    );
  const notes =
    date !== undefined && date > asOf
      ? [
          `--date ${formatIsoDate(date)} is after the last price date of ${file}, ${formatIsoDate(asOf)}: the prices are that date's (give a file with later prices for orders at ${formatIsoDate(date)})`,
        ]
      : [];
  return { prices, source: `${file} as of ${formatIsoDate(asOf)} (each name's last price on or before it)`, notes };
}

/**
 * What each file's second column must be, and header names that say it is something else: a file
 * of orders, quotes or holdings in money is not weights; weights or share counts are not prices.
 */
const COLUMNS = {
  weight: {
    is: /weight/i,
    not: /^(price|prices|close|adj[ _]?close|last|shares|quantity|qty|lots|value|market[ _]?value|amount|notional)$/i,
    hint: 'write the file as asset,weight (the weight second',
    tail: 'weights are fractions of the capital, summing to 1 or less',
  },
  price: {
    is: /^(price|prices|close|adj[ _]?close|last|last[ _]?price|px[ _]?last|mid)$/i,
    not: /weight|^(shares|quantity|qty|lots|value|market[ _]?value|amount|notional|volume)$/i,
    hint: 'write the file as asset,price (the price of one share second',
    tail: 'one price per asset, in the currency of --capital',
  },
} as const;

/**
 * A per-asset file's second column is read as the value (readAssetValues): refused when its header
 * says it is something else (asset,price,weight read the prices as weights, in silence when they
 * sum to 1 or less), naming the column that holds the values when there is one.
 */
export async function checkValueColumn(file: string, what: keyof typeof COLUMNS, flag: string): Promise<void> {
  const c = COLUMNS[what];
  const text = formatOf(file) === 'csv.gz' ? await readText(file, true) : await readFile(file, 'utf8');
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const cells = splitCsvLine(line, guessDelimiter(line)).map((x) => x.trim());
  if (cells.length < 2 || Number.isFinite(Number(cells[1])) || c.is.test(cells[1])) return;
  const other = cells.findIndex((x, j) => j > 1 && c.is.test(x));
  if (other < 0 && !c.not.test(cells[1])) return;
  throw new InputError(
    `the ${what}s of ${flag} are read from the second column, which is ${cells[1]}${other < 0 ? '' : `; the ${what}s are in column ${other + 1}, ${cells[other]}`}`,
    {
      file,
      line: 1,
      column: cells[1],
      hint: `${c.hint}${other < 0 ? '' : `, e.g. keep columns 1 and ${other + 1}`}): ${c.tail}`,
    },
  );
}

export function registerAllocate(program: Command, streams: CliStreams): void {
  program
    .command('allocate')
    .summary('turn target weights into whole shares for a capital (the orders), at the latest prices')
    .description(
      "Whole shares for target weights (PyPortfolioOpt's DiscreteAllocation): minimise Σ|w·V − shares·price| over whole lots, " +
        "spending at most the capital V (no margin), by a HiGHS MILP (exact; --method greedy for PyPortfolioOpt's greedy_portfolio). " +
        "The weights are an asset,weight CSV such as optimize's or replicate's --out CSV (long-only, summing to 1 or less: the rest is cash).",
    )
    .requiredOption('--weights <file>', 'target weights: CSV asset,weight (optimize --out weights.csv writes one)')
    .addOption(
      new Option('--capital <x>', "the portfolio value to invest, in the prices' currency")
        .argParser(parseNumber('--capital', (n) => n > 0 && Number.isFinite(n), 'a number > 0'))
        .makeOptionMandatory(),
    )
    .option('--prices <file>', "prices (long or wide): each name's last price on or before --date")
    .option('--latest-prices <file>', 'or the prices themselves: CSV asset,price')
    .option('--date <date>', 'price date (ISO; default the last date of --prices)')
    .addOption(
      new Option('--max-age <n>', 'price dates a weighted name may be without a price before --date (a staler one is refused)')
        .default(5)
        .argParser(parseNumber('--max-age', (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0')),
    )
    .option('--date-col <name>', 'date column of a long --prices file')
    .option('--asset-col <name>', 'asset column of a long --prices file')
    .option('--value-col <name>', 'price column of a long --prices file (e.g. close)')
    .option(
      '--clean',
      '--prices: set one-day bad ticks to missing first (a weighted name then takes its last good price; without it a weighted name priced at one is refused)',
    )
    .addOption(timezoneOption('--prices'))
    .addOption(
      new Option('--lot-size <n>', 'shares per lot: orders are whole lots (100 for A-share board lots)')
        .default(1)
        .argParser(positiveInteger('--lot-size')),
    )
    .addOption(new Option('--method <method>', 'milp (exact) or greedy').choices(['milp', 'greedy']).default('milp'))
    .addOption(
      new Option('--time-limit <seconds>', 'time limit of the MILP (its best allocation and gap are reported at the limit)')
        .default(20)
        .argParser(parseNumber('--time-limit', (n) => n > 0, 'a number > 0')),
    )
    .addOption(new Option('--limit <n>', 'orders shown (all are in --out)').default(20).argParser(positiveInteger('--limit')))
    .option('--json', 'print the allocation as JSON')
    .option('--out <file>', 'write the orders: .csv / .csv.gz / .parquet (one row per asset) or .json')
    .addHelpText(
      'after',
      `
The deviation is Σ|w·V − shares·price| (both sides of each target count; PyPortfolioOpt's lp_portfolio counts
only the shortfalls and the cash); RMSE is PyPortfolioOpt's √(mean (w − achieved)²) over the names with a weight.

Examples:
  factorlab optimize --prices sp500.csv.gz --factors F-F_Research_Data_5_Factors_2x3_daily.CSV --max-weight 0.05 --out weights.csv
  factorlab allocate --weights weights.csv --prices sp500.csv.gz --value-col close --capital 1000000 --out orders.csv
  factorlab allocate --weights weights.csv --latest-prices quotes.csv --capital 300000 --lot-size 100`,
    )
    .action(async (flags: AllocateFlags) => {
      if ((flags.prices === undefined) === (flags.latestPrices === undefined))
        throw new InputError(
          flags.prices === undefined ? 'no prices: give --prices or --latest-prices' : 'give --prices or --latest-prices, not both',
          {
            hint: "--prices FILE takes each name's last price on or before --date; --latest-prices FILE is an asset,price CSV",
          },
        );
      if (flags.date !== undefined && flags.prices === undefined)
        throw new InputError('--date picks the prices of --prices, and there is none', { hint: 'drop --date, or give --prices' });
      const date = flags.date === undefined ? undefined : tryParseIsoDate(flags.date);
      if (date !== undefined && Number.isNaN(date))
        throw new InputError('--date must be a date YYYY-MM-DD', { value: flags.date, hint: 'e.g. --date 2016-12-30' });
      checkOutputs([{ path: flags.out, flag: '--out', formats: TABLE_FORMATS }]);
      const target = await readAssetValues(flags.weights, 'weight');
      await checkValueColumn(flags.weights, 'weight', '--weights');
      const assets = [...target.values.keys()];
      const weights = Float64Array.from(assets, (a) => target.values.get(a) as number);
      // a file of weights rounded to a few decimals sums a little above 1 (1.00001): taken as
      // rounding, scaled to 1 with a note; more than ROUNDED_SUM above is refused (no margin)
      const roundingNote = scaleRoundedWeights(weights, flags.weights);
      let source: PricesAsOf;
      if (flags.latestPrices !== undefined) {
        const quotes = await readAssetValues(flags.latestPrices, 'price');
        await checkValueColumn(flags.latestPrices, 'price', '--latest-prices');
        const missing = assets.filter((a, i) => weights[i] > 0 && !quotes.values.has(a));
        if (missing.length > 0)
          throw new InputError(
            `${plural(missing.length, 'name')} with a weight ${missing.length > 1 ? 'have' : 'has'} no price: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
            {
              file: flags.latestPrices,
              asset: missing[0],
              hint: assetNamesHint(
                missing,
                [...quotes.values.keys()],
                '--weights',
                '--latest-prices',
                'add their prices, or set their weights to 0',
              ),
            },
          );
        source = { prices: Float64Array.from(assets, (a) => quotes.values.get(a) ?? NaN), source: flags.latestPrices, notes: [] };
      } else {
        const file = flags.prices as string;
        const loaded = await loadPrices(
          file,
          {
            ...(flags.dateCol !== undefined ? { dateCol: flags.dateCol } : {}),
            ...(flags.assetCol !== undefined ? { assetCol: flags.assetCol } : {}),
            ...(flags.valueCol !== undefined ? { valueCol: flags.valueCol, valueFlag: '--value-col' } : { valueFlag: '--value-col' }),
            ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}),
          },
          flags.clean === true,
        );
        // without --clean the bad ticks stay, and a weighted name priced at one is refused
        const cleaned =
          flags.clean !== true && loaded.quality.counts['bad-tick'] > 0
            ? checkAndCleanBadTicks(loaded.panel, { kind: 'prices' }, false).panel
            : undefined;
        const raw = loaded.panel.values,
          m = loaded.panel.assets.length;
        source = pricesAsOf(
          loaded.panel,
          file,
          assets,
          weights,
          date,
          flags.maxAge,
          cleaned === undefined ? undefined : (t, j) => Number.isFinite(raw[t * m + j]) && !Number.isFinite(cleaned.values[t * m + j]),
        );
        if (loaded.cleaned > 0)
          source.notes.push(`prices: ${loaded.cleaned} one-day bad tick${loaded.cleaned === 1 ? '' : 's'} set to missing (--clean)`);
      }
      const allocation = await allocateShares(
        { assets, weights, prices: source.prices, capital: flags.capital, lotSize: flags.lotSize },
        { method: flags.method, highs: loadHighs, timeLimit: flags.timeLimit },
      ).catch((e: unknown) => {
        // the library's words on a weight (negative, or a sum above 1) name the weights file
        if (isInputError(e) && e.location.file === undefined && /weight/.test(e.problem))
          throw new InputError(e.problem, { ...e.location, file: flags.weights, ...(e.hint !== undefined ? { hint: e.hint } : {}) });
        throw e;
      });
      const notes = [...(roundingNote !== null ? [roundingNote] : []), ...source.notes, ...allocationNotes(allocation, flags)];
      if (flags.out !== undefined) await writeAllocation(flags.out, allocation, notes);
      if (flags.json) printJson(streams, allocationJson(allocation, notes));
      else streams.stdout(`${renderAllocation(allocation, source.source, notes, flags).join('\n')}\n`);
    });
}

/** Weights summing above 1 by at most this are a rounded file's (weights written to 4-6 decimals). */
export const ROUNDED_SUM = 1e-4;

/** Scales weights summing to (1, 1 + ROUNDED_SUM] down to 1, in place; the note, or null when untouched or above 1 by rounding only (≤ 1e-12). */
export function scaleRoundedWeights(weights: Float64Array, file: string): string | null {
  let sum = 0;
  for (const w of weights) sum += w;
  if (!(sum > 1 && sum <= 1 + ROUNDED_SUM)) return null;
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  // a sum of 1.0000000000000002 is the arithmetic's rounding of weights that sum to 1 (optimize's
  // own --out): scaled, not worth a note
  if (sum - 1 <= 1e-12) return null;
  return `${file}: the weights sum to ${+sum.toPrecision(10)}, read as rounding: each divided by that sum (they now sum to 1)`;
}

function allocationNotes(a: Allocation, flags: AllocateFlags): string[] {
  const notes: string[] = [];
  if (a.unfilled.length > 0)
    notes.push(
      `${plural(a.unfilled.length, 'name')} with a weight ${a.unfilled.length > 1 ? 'get' : 'gets'} no ${flags.lotSize > 1 ? 'lot' : 'share'} (one costs more than it brings the holdings nearer their targets): ${a.unfilled.slice(0, 8).join(', ')}${a.unfilled.length > 8 ? ', ...' : ''}; a larger --capital buys them`,
    );
  if (a.milp !== null && a.milp.status !== 'optimal')
    notes.push(
      `the MILP stopped at ${a.milp.status} with a gap of ${formatNumber(a.milp.gap * 100, 3)}%: the deviation is at most that far above the best (a larger --time-limit narrows it)`,
    );
  return notes;
}

/** One row per asset with a weight or shares. */
function orderRows(a: Allocation): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  a.assets.forEach((asset, i) => {
    if (a.weights[i] === 0 && a.shares[i] === 0) return;
    rows.push({
      asset,
      weight: a.weights[i],
      price: a.prices[i],
      shares: a.shares[i],
      value: a.values[i],
      achieved: a.achieved[i],
      deviation: a.values[i] - a.weights[i] * a.capital,
    });
  });
  return rows;
}

export function allocationJson(a: Allocation, notes: readonly string[]): Record<string, unknown> {
  return {
    capital: a.capital,
    invested: a.invested,
    cash: a.cash,
    deviation: a.deviation,
    deviationShare: a.deviationShare,
    rmse: a.rmse,
    method: a.method,
    milp: a.milp,
    orders: orderRows(a),
    unfilled: a.unfilled,
    notes,
  };
}

async function writeAllocation(file: string, a: Allocation, notes: readonly string[]): Promise<void> {
  if (file.toLowerCase().endsWith('.json')) return writeJsonAtomic(file, allocationJson(a, notes));
  return writeTable(file, orderRows(a));
}

const money = (v: number): string => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function renderAllocation(a: Allocation, source: string, notes: readonly string[], flags: AllocateFlags): string[] {
  const rows = orderRows(a)
    .filter((r) => (r.shares as number) > 0)
    .sort((x, y) => (y.value as number) - (x.value as number));
  const how = a.milp === null ? 'greedy' : `MILP, ${a.milp.status}`;
  const lines = [
    `factorlab allocate: ${formatCount(rows.length)} orders; ${money(a.invested)} of ${money(a.capital)} in whole ${flags.lotSize > 1 ? `lots of ${flags.lotSize} shares` : 'shares'}, ${money(a.cash)} cash (${how})`,
    `  prices: ${source}`,
    `  deviation Σ|w·V − shares·price| ${money(a.deviation)} (${formatNumber(a.deviationShare * 100, 3)}% of the capital); RMSE of the weights ${formatNumber(a.rmse * 100, 3)}%`,
    ...notes.map((n) => `  note: ${n}`),
    '',
  ];
  const shown = rows.slice(0, flags.limit);
  lines.push(
    table(
      ['asset', 'weight', 'price', 'shares', 'value', 'achieved'],
      shown.map((r) => [
        String(r.asset),
        `${formatNumber((r.weight as number) * 100, 4)}%`,
        money(r.price as number),
        formatCount(r.shares as number),
        money(r.value as number),
        `${formatNumber((r.achieved as number) * 100, 4)}%`,
      ]),
      { indent: 2, align: ['left', 'right', 'right', 'right', 'right', 'right'] },
    ),
  );
  if (rows.length > shown.length) lines.push(`  ... ${rows.length - shown.length} more (--limit, or --out to write them all)`);
  if (flags.out !== undefined) lines.push('', `  wrote ${flags.out}`);
  return lines;
}
