/**
 * Loading inputs for the analysis commands, the same way everywhere: prices are checked for
 * data-quality problems and the findings are reported (and bad ticks set to missing with
 * `--clean`); factor files may be long or wide; group files are read as text.
 */
import { Option } from 'commander';
import { joinFrames } from '../core/align.js';
import { detectFrequency } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Frame } from '../core/frame.js';
import { samePeriodDates } from '../core/samePeriod.js';
import { Panel } from '../core/panel.js';
import { sessionDates } from '../core/sessionDates.js';
import { formatIsoDate } from '../core/dates.js';
import { checkAndCleanBadTicks, checkQuality, type QualityReport } from '../core/quality.js';
import { readGroups, type LoadedGroups } from '../io/groups.js';
import { readPanel, type LoadedPanel } from '../io/readPanel.js';
import { otherPriceColumns } from '../io/columns.js';
import { NON_POSITIVE_PRICE } from '../io/csv/prices.js';
import { MISSING_TOKENS } from '../io/csv/number.js';
import { readFrame } from '../io/readFrame.js';
import { checkedTimezone, formatOf } from '../io/source.js';
import { unterminatedLastLine } from '../io/csv/lines.js';
import { isKenFrenchFile, readKenFrench } from '../io/kenfrench.js';
import { readAssetValues } from './assetValues.js';
import { assertDecimalFactors, assertKenFrenchPercent } from './plausible.js';
import type { ProgressCallback } from './progress.js';
import { plural } from './format.js';
import { warn } from './streams.js';

export interface TableFlags {
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  /**
   * The flag that gave `valueCol` (default `--price-col`): named in the note when a wide file has
   * no use for it ({@link unusedValueColumn}).
   */
  valueFlag?: string | null;
  /** Threads for parsing a large plain CSV (readPanel's `threads`; default the available cores). */
  threads?: number;
  /** --timezone: the IANA zone whose date a time with a UTC offset is read as (readPanel's `timezone`). */
  timezone?: string;
}

/**
 * `--timezone <zone>`: dates written as times with a UTC offset (`2024-10-10T13:22:51Z`, a
 * time-zone-aware Parquet timestamp) are read as their date in this IANA zone, the market's.
 */
export function timezoneOption(files: string): Option {
  return new Option(
    '--timezone <zone>',
    `${files}: dates written as times with a UTC offset (2024-10-10T13:22:51Z, ...-05:00) are read as their date in this IANA zone, the market's (America/New_York, Asia/Shanghai); without it a time in UTC is read only at midnight, and a time with another offset as the date written`,
  ).argParser((v: string) => checkedTimezone(v));
}

export interface LoadedPrices {
  loaded: LoadedPanel;
  panel: Panel;
  quality: QualityReport;
  /** Bad-tick cells set to missing (0 without --clean). */
  cleaned: number;
  /** Lines for the user about what was found and done. */
  notes: string[];
}

/**
 * Prices: positive values, a data-quality check, bad ticks set to missing when `clean`; `shared`
 * puts the values on shared memory for worker threads (readPanel). A zero or negative price is
 * refused with the reader's location and a hint in the command's words: `returnsFlag` (exposures'
 * `--returns`) when the command takes returns instead.
 */
export async function loadPrices(
  file: string,
  flags: TableFlags,
  clean: boolean,
  onProgress?: ProgressCallback,
  shared = false,
  returnsFlag?: string,
): Promise<LoadedPrices> {
  await refuseKenFrench(file);
  const { valueFlag: given, ...table } = flags;
  const valueFlag = given ?? '--price-col';
  let loaded: LoadedPanel;
  try {
    loaded = await readPanel(file, { ...table, kind: 'prices', onProgress, shared });
  } catch (e) {
    if (!(e instanceof InputError) || e.problem !== NON_POSITIVE_PRICE) throw withValueFlag(e, valueFlag);
    throw new InputError(e.problem, {
      ...e.location,
      hint:
        returnsFlag === undefined
          ? `prices must be positive: give close or adjusted-close prices (the returns are computed from them)`
          : `prices must be positive; if ${file} holds returns, pass it as ${returnsFlag} ${file}`,
    });
  }
  const empty = dropEmptyDates(loaded.panel);
  if (empty !== undefined) loaded = { ...loaded, panel: empty.panel };
  // --clean sets every bad tick to missing, however many the report lists; in the panel just read
  // (ours: no copy, and a shared panel stays on shared memory for the worker threads)
  const checked = clean ? checkAndCleanBadTicks(loaded.panel, { kind: 'prices' }, true) : undefined;
  const quality = checked?.report ?? checkQuality(loaded.panel, { kind: 'prices' });
  const ticks = quality.counts['bad-tick'];
  let panel = loaded.panel;
  let cleaned = 0;
  const notes: string[] = [];
  if (empty !== undefined) notes.push(empty.note);
  const unused = unusedValueColumn(file, loaded, flags.valueCol, valueFlag);
  if (unused !== undefined) notes.push(unused);
  const chosen = chosenPriceColumn(file, loaded, flags.valueCol, valueFlag);
  if (chosen !== undefined) notes.push(chosen);
  await warnIfCutOff(file);
  if (ticks > 0 && checked !== undefined) {
    panel = checked.panel;
    cleaned = ticks;
    notes.push(`prices: ${ticks} one-day bad tick${ticks === 1 ? '' : 's'} set to missing (--clean)`);
  } else if (ticks > 0) {
    const first = quality.findings.find((f) => f.kind === 'bad-tick');
    notes.push(
      `prices: ${ticks} one-day bad tick${ticks === 1 ? '' : 's'} kept as published, e.g. ${first?.asset} ${first?.date}; add --clean to set them to missing (factorlab inspect lists them)`,
    );
  }
  const jumps = quality.counts.jump;
  if (jumps > 0) {
    const first = quality.findings.find((f) => f.kind === 'jump');
    const ratio = first?.values?.jump;
    notes.push(
      `prices: ${jumps} one-row move${jumps === 1 ? '' : 's'} of x4 or more (or to 1/5 or less) that do not revert, e.g. ${first?.asset} ${first?.date}${ratio !== undefined ? ` (${ratio >= 1 ? `x${formatRatio(ratio)}` : `1/${formatRatio(1 / ratio)}`})` : ''}: used as real moves; an unadjusted split or a bad first or last price makes the returns across them wrong (factorlab inspect lists them)`,
    );
  }
  return { loaded, panel, quality, cleaned, notes };
}

/**
 * The price dates on which no asset has a value, dropped: a row for a day the market was closed
 * (a pandas index of weekdays, `bdate_range`, with NaN on holidays; a spreadsheet's blank row).
 * Kept, such a row makes every asset's return into it and out of it missing, so the move across
 * the holiday is lost for all of them; dropped, the return runs from the session before to the
 * session after, as in a file without the row. The rows are moved up in the panel's own memory
 * (shared memory stays shared). Undefined when there is none, when the panel has fewer than two
 * assets (one asset's gap is its own missing price; `minAssets` 1 drops those rows too) or when
 * every date is empty (left to the command's own "no prices" error).
 */
export function dropEmptyDates(panel: Panel, minAssets = 2): { panel: Panel; dropped: number[]; note: string } | undefined {
  const n = panel.nDates,
    m = panel.nAssets,
    v = panel.values;
  if (m < minAssets) return undefined;
  const dropped: number[] = [];
  let keep = 0;
  for (let t = 0; t < n; t++) {
    let any = false;
    for (let j = t * m, end = j + m; j < end; j++)
      if (v[j] === v[j]) {
        any = true;
        break;
      }
    if (!any) dropped.push(panel.dates[t]);
    else {
      if (keep !== t) v.copyWithin(keep * m, t * m, (t + 1) * m);
      keep++;
    }
  }
  if (dropped.length === 0 || keep === 0) return undefined;
  const gone = new Set(dropped);
  const dates = panel.dates.filter((d) => !gone.has(d));
  const shown = dropped.slice(0, 3).map(formatIsoDate).join(', ') + (dropped.length > 3 ? ', ...' : '');
  return {
    panel: new Panel(dates, panel.assets, v.subarray(0, keep * m)),
    dropped,
    note: `prices: ${plural(dropped.length, 'date')} with no price for any asset dropped (${shown}): ${dropped.length === 1 ? 'a row' : 'rows'} for a day the market was closed (a calendar of weekdays?); the returns run from the session before to the session after`,
  };
}

/**
 * The note for a plain CSV file whose last line has no line end (io `unterminatedLastLine`), as a
 * file cut off mid-write (an interrupted download, export or copy) has: a number cut short there
 * (`12.3` written as `1`) reads as another number, which no check can tell; a line cut short of its
 * fields is an error. Most writers (pandas, R, DuckDB, spreadsheets) end the last line; a file
 * written without is fine, and the note says what to check. Empty for gzip, Parquet and
 * terminated files.
 */
export async function cutOffNotes(file: string): Promise<string[]> {
  if (formatOf(file) !== 'csv' || /\.zip$/i.test(file)) return [];
  const last = await unterminatedLastLine(file).catch(() => undefined);
  if (last === undefined) return [];
  const shown = last.length > 60 ? `${last.slice(0, 60)}...` : last;
  return [
    `${file}: its last line (${JSON.stringify(shown)}) has no line end, as a file cut off mid-write has: if the file was being written, downloaded or copied, check that the line is complete (a number cut short reads as another number)`,
  ];
}

/**
 * {@link cutOffNotes} as a warning on stderr: advice about how the file was written, not part of
 * the result (the same data with a final newline gives the same JSON and notes).
 */
export async function warnIfCutOff(file: string): Promise<void> {
  for (const n of await cutOffNotes(file)) warn(n);
}

/** 5.31, 99.8, 1,000: three significant digits. */
const formatRatio = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

/**
 * The note for a value column named for a file that turned out wide (a column per asset, so the
 * values are every column but the date): the flag is not used, and the user is told so rather than
 * left to believe it chose the values. undefined when the flag was not given or the file is long.
 */
export function unusedValueColumn(file: string, loaded: LoadedPanel, valueCol: string | undefined, flag: string): string | undefined {
  if (valueCol === undefined || loaded.layout !== 'wide') return undefined;
  return `${file}: a wide table (a column per asset), so ${flag} ${valueCol} is not used; if it is a long table (one row per date and asset), name its asset column with --asset-col`;
}

/**
 * The note for a long price file with several price columns (`Close` and `Adj Close`) whose value
 * column was detected, not given: which one the returns come from (the adjusted close when there
 * is one, io `VALUE_NAMES`) and the flag that picks another. undefined otherwise.
 */
export function chosenPriceColumn(file: string, loaded: LoadedPanel, valueCol: string | undefined, flag: string): string | undefined {
  if (valueCol !== undefined || loaded.layout !== 'long' || loaded.valueCol === undefined) return undefined;
  const others = otherPriceColumns(loaded.columns, loaded.valueCol);
  if (others.length === 0) return undefined;
  return `prices: column "${loaded.valueCol}" of ${file} (also there: ${others.map((c) => `"${c}"`).join(', ')}); ${flag} NAME to use another`;
}

/**
 * Refuses a Ken French factor file where a panel of asset values is expected: it has no date
 * column the panel reader knows ("no date column found ... --date-col" would point the wrong way).
 */
async function refuseKenFrench(file: string): Promise<void> {
  if (await isKenFrenchFile(file))
    throw new InputError('this is a Ken French factor file (factor returns by date), not a panel of asset values', {
      file,
      hint: `pass it as --factors ${file} (exposures, rolling, optimize, replicate, backtest)`,
    });
}

/**
 * A factor (or weights) file: long `date,asset,value` or wide (`shared`: as in {@link loadPrices}).
 * `alloc` (not with `shared`): read on this thread into the memory it gives (readPanel's
 * `alloc`), for a caller that reuses it from file to file (a zoo's factors).
 */
export async function loadValues(
  file: string,
  flags: TableFlags,
  onProgress?: ProgressCallback,
  shared = false,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<LoadedPanel> {
  await refuseKenFrench(file);
  const { valueFlag, ...table } = flags;
  return readPanel(file, {
    ...table,
    kind: 'values',
    onProgress,
    shared,
    ...(alloc !== undefined && !shared ? { alloc, threads: 1 } : {}),
  }).catch((e: unknown) => {
    throw withValueFlag(e, valueFlag);
  });
}

/**
 * A reader's error in the command's words: the readers name the value column's flag `--value-col`
 * (inspect's, exposures'), which `analyze --factor-col`, `--price-col` and the like call otherwise;
 * `flag` null: the command has no flag for this file's value column (analyze's --weights), so the
 * hint says what the file must hold instead; undefined: left as it is (the caller words it).
 */
export function withValueFlag(e: unknown, flag: string | null | undefined): unknown {
  if (!(e instanceof InputError) || flag === undefined || flag === '--value-col') return e;
  const said = (t: string | undefined): boolean => t?.includes('--value-col') === true;
  if (!said(e.problem) && !said(e.hint)) return e;
  const hint =
    flag !== null
      ? e.hint?.replaceAll('--value-col', flag)
      : 'keep one value column beside the date and the asset (date,asset,value), or write the file wide (date,<asset>...)';
  return new InputError(flag !== null ? e.problem.replaceAll('--value-col', flag) : e.problem, {
    ...e.location,
    hint,
    options: e.options,
  });
}

/**
 * A portfolio's weights file: by date (long `date,asset,weight` or wide), or, without a date column
 * (and no --date-col), one `asset,weight` row per holding (the reader of per-asset values), held on
 * every date of `returns`.
 */
export async function loadPortfolioWeights(
  file: string,
  flags: TableFlags,
  returns: Panel,
  onProgress?: ProgressCallback,
  notes?: string[],
): Promise<Panel> {
  try {
    let weights = (await loadValues(file, flags, onProgress)).panel;
    weights = withoutEmptyWeightDates(weights, file, notes);
    // holdings dated on a day without a return (a month end on a Sunday) are those of the session
    // before it: otherwise they would start a session late (core sessionDates)
    const on = sessionDates(weights.dates, returns.dates);
    if (on.moved === 0) return weights;
    notes?.push(
      `weights: ${on.moved} of ${file}'s ${weights.nDates} dates fall on days without a return (the first ${formatIsoDate(on.first[0])}): each holds from the session before it (${formatIsoDate(on.first[1])}), which the days without a session did not change`,
    );
    return new Panel(on.dates, weights.assets, weights.values);
  } catch (e) {
    if (!(e instanceof InputError) || !e.problem.startsWith('no date column found') || flags.dateCol !== undefined) throw e;
    let fixed: Awaited<ReturnType<typeof readAssetValues>>;
    try {
      fixed = await readAssetValues(file, 'weight');
    } catch {
      throw e; // neither dated weights nor an asset,weight file: the reader's own message
    }
    const assets = [...fixed.values.keys()],
      row = Float64Array.from(fixed.values.values());
    const n = returns.nDates,
      m = assets.length,
      values = new Float64Array(n * m);
    for (let t = 0; t < n; t++) values.set(row, t * m);
    return new Panel(returns.dates.slice(), assets, values);
  }
}

/**
 * The dates of a portfolio's weights on which no asset has a weight (every cell empty: a pandas
 * pivot reindexed to a calendar, a spreadsheet's blank row, a long file's date with empty weight
 * cells), dropped with a note: an empty cell is missing, not zero, and a date the file lists with
 * nothing on it is a date it lacks (as analyze reads --weights: each asset's latest weight). Kept,
 * such a date counted as the portfolio's weights that day, with no position at all: it stopped the
 * carry of the weights before it (--fill ffill), so the exposures were missing from that date to
 * the next weights date without a word but the coverage share. A book with no holdings is written
 * with zeros, which stay. Every date empty is an InputError.
 */
function withoutEmptyWeightDates(weights: Panel, file: string, notes: string[] | undefined): Panel {
  if (weights.nDates > 0 && weights.nAssets > 0 && !weights.values.some((v) => v === v))
    throw new InputError('no date of the weights has a weight for any asset: every weight cell is empty', {
      file,
      hint: "write each holding's weight on its date (0 for an asset not held); in a long file, the weight column beside date and asset",
    });
  const d = dropEmptyDates(weights, 1);
  if (d === undefined) return weights;
  const shown = d.dropped.slice(0, 3).map(formatIsoDate).join(', ') + (d.dropped.length > 3 ? ', ...' : '');
  notes?.push(
    `weights: ${plural(d.dropped.length, 'date')} of ${file} with no weight for any asset (every cell empty) dropped (${shown}): read as dates the file lacks, so with --fill ffill the weights before ${d.dropped.length === 1 ? 'it are' : 'them are'} held there (up to --weights-max-age); write 0 for an asset not held (a date of zeros is a book with no holdings)`,
  );
  return d.panel;
}

export interface GroupFlags {
  groupCol?: string;
  groupAssetCol?: string;
  groupNames?: string;
}

/**
 * Warnings for group labels spelled like a missing value (`NA`, `#N/A`, `NULL`, ...): R and pandas
 * write those for an asset without a group, and they are read here as a group of that name (a
 * region may be called NA); the warning says how many assets it holds and how to mean "no group".
 */
export function missingSpelledGroups(g: LoadedGroups): string[] {
  const counts = new Map<string, number>();
  const rows = g.groups instanceof Map ? [...g.groups.values()] : g.groups.map((r) => r.group);
  for (const label of rows) if (label !== null && MISSING_TOKENS.includes(label)) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(
    ([label, n]) =>
      `warning: ${g.file}: ${n} ${g.groups instanceof Map ? 'assets are' : 'rows put an asset'} in a group named "${label}", a spelling R and pandas use for a missing value; if they have no group, leave the group cell empty`,
  );
}

export async function loadGroups(file: string, flags: GroupFlags): Promise<LoadedGroups> {
  return readGroups(file, { assetCol: flags.groupAssetCol, groupCol: flags.groupCol, namesFile: flags.groupNames });
}

/** `1,5,21` -> [1, 5, 21], positive integers only. */
export function parseIntList(flag: string): (v: string) => number[] {
  return (v) => {
    const out = listEntries(flag, v, '1,5,21').map(Number);
    if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new InputError(`${flag} takes positive whole numbers separated by commas`, { value: v, hint: `e.g. ${flag} 1,5,21` });
    }
    return out;
  };
}

/**
 * The entries of a comma-separated flag value, trimmed. An empty entry before the last is refused:
 * `1,,5` is a typo (1,5? 1,15?) that a reader skipping empty entries turned into other horizons,
 * quantile edges or bins than meant, without a word; a trailing comma (`1,5,`) is tolerated.
 */
export function listEntries(flag: string, v: string, example: string): string[] {
  const parts = v.split(',').map((s) => s.trim());
  const empty = parts.findIndex((p, i) => p === '' && i < parts.length - 1);
  if (empty >= 0)
    throw new InputError(`${flag} ${v}: entry ${empty + 1} is empty (${empty === 0 ? 'a leading comma' : 'two commas in a row'})`, {
      hint: `write each value once between commas, e.g. ${flag} ${example}`,
    });
  return parts.filter((s) => s !== '');
}

/** `0,0.1,0.5,0.9,1` -> [0, 0.1, 0.5, 0.9, 1]: finite numbers separated by commas, at least two. */
export function parseNumberList(flag: string, example: string): (v: string) => number[] {
  return (v) => {
    const out = listEntries(flag, v, example).map(Number);
    if (out.length < 2 || out.some((n) => !Number.isFinite(n))) {
      throw new InputError(`${flag} takes two or more numbers separated by commas`, { value: v, hint: `e.g. ${flag} ${example}` });
    }
    return out;
  };
}

export function parseNumber(flag: string, check: (n: number) => boolean, what: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InputError(`${flag} must be ${what}`, { value: v });
    return n;
  };
}

export const positiveInteger = (flag: string): ((v: string) => number) =>
  parseNumber(flag, (n) => Number.isInteger(n) && n >= 1, 'a positive whole number');
export const nonNegativeInteger = (flag: string): ((v: string) => number) =>
  parseNumber(flag, (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0');
export const shareArg = (flag: string): ((v: string) => number) => parseNumber(flag, (n) => n >= 0 && n <= 1, 'a share between 0 and 1');

/**
 * A Ken French file in decimal. The layout's values are percent: without `scale` they are divided
 * by 100 and a file that is decimal already is refused ({@link assertKenFrenchPercent}); with an
 * explicit scale (--factor-scale) they are read as written, times it (0.01 is the ÷ 100).
 * `reading` says which, for the notes.
 */
export async function readKenFrenchScaled(
  file: string,
  scale: number | undefined,
  riskFree: string | undefined,
  flag: string,
): Promise<{ frame: Frame; frequency: 'daily' | 'monthly'; title: string; reading: string }> {
  const asPublished = scale === undefined || scale === 0.01;
  const kf = await readKenFrench(file, { percent: asPublished });
  if (scale === undefined) assertKenFrenchPercent(kf.frame, kf.frequency, file, riskFree, flag);
  return {
    frame: asPublished || scale === 1 ? kf.frame : kf.frame.scale(scale),
    frequency: kf.frequency,
    title: kf.title,
    reading: asPublished ? 'read in decimal (÷ 100)' : `x ${scale} (--factor-scale)`,
  };
}

/**
 * Refuses a return of -99.99% or less in a factor-returns file (after the scale): a loss of
 * everything in one period, which no factor (or fund) return is. Ken French files write -99.99
 * and -999 for a missing value (their reader reads those as missing; a copy of the file saved as a
 * plain table keeps them as numbers), and -100 in a percent file read as decimal is -10,000%. Used
 * as it stands, such a value is one huge regressor outlier that moves every beta without a word;
 * compounded (an annual or cumulative factor return) it zeroes or flips the sign of the product.
 */
export function assertNoTotalLoss(frame: Frame, file: string, scaled?: { written: Frame; scale: number }): void {
  for (let k = 0; k < frame.columns.length; k++) {
    const s = frame.series[k];
    for (let t = 0; t < s.length; t++) {
      if (!(s[t] <= -0.9999)) continue;
      const column = frame.columns[k];
      const written = scaled?.written.series[k][t];
      const code = written === -99.99 || written === -999 || s[t] === -99.99 || s[t] === -999;
      throw new InputError(
        `a return of ${formatReturnPercent(s[t])}${written !== undefined ? ` (${written} as written, x ${scaled!.scale})` : ''}: a loss of everything or more in one period, which no factor or portfolio return is`,
        {
          file,
          column,
          date: formatIsoDate(frame.dates[t]),
          hint: code
            ? 'Ken French files write -99.99 and -999 for a missing value: leave the cell empty (or NA) instead'
            : `leave the cell empty (or NA) for a missing value${scaled === undefined ? '; a file in percent needs --factor-scale 0.01' : ''} (Ken French writes -99.99 and -999 for a missing value)`,
        },
      );
    }
  }
}

/** -1 -> "-100%", -0.9999 -> "-99.99%", -1.5 -> "-150%". */
const formatReturnPercent = (r: number): string => `${Number((r * 100).toPrecision(6))}%`;

/**
 * Factor returns from one or more files, joined on their common dates. Ken French files are
 * recognised and read in decimal; other files are read as wide tables (`date, factor, ...`) and
 * multiplied by `scale` (0.01 for percent; undefined means 1, and a file whose values look like
 * percent is refused, see {@link assertDecimalFactors}: only an explicit scale accepts it).
 * `riskFree` names the risk-free column, left out of that check. A return of -99.99% or less is
 * refused ({@link assertNoTotalLoss}) unless `totalLoss` is false: a caller whose own unit check
 * says more (replicate's percent target returns, where -1 is -1%) runs it after that check.
 */
export async function loadFactors(
  files: readonly string[],
  scale: number | undefined,
  dateCol?: string,
  riskFree = 'rf',
  totalLoss = true,
): Promise<{ frame: Frame; notes: string[] }> {
  const frames: Frame[] = [];
  const notes: string[] = [];
  for (const f of files) {
    if (await isKenFrenchFile(f)) {
      const kf = await readKenFrenchScaled(f, scale, riskFree, '--factors ');
      if (totalLoss) assertNoTotalLoss(kf.frame, f);
      frames.push(kf.frame);
      notes.push(`${f}: Ken French ${kf.frequency} factors ${kf.frame.columns.join(', ')}, ${kf.reading}`);
    } else {
      const fr = await readFrame(f, { dateCol });
      if (scale === undefined) assertDecimalFactors(fr, f, riskFree);
      const scaled = scale === undefined || scale === 1 ? fr : fr.scale(scale);
      if (totalLoss) assertNoTotalLoss(scaled, f, scale === undefined || scale === 1 ? undefined : { written: fr, scale });
      frames.push(scaled);
      notes.push(`${f}: factors ${fr.columns.join(', ')}${scale === undefined || scale === 1 ? '' : ` x ${scale}`}`);
      await warnIfCutOff(f);
    }
  }
  const seen = new Map<string, string>();
  frames.forEach((fr, i) => {
    for (const c of fr.columns) {
      const first = seen.get(c);
      if (first !== undefined)
        throw new InputError(`factor column ${c} appears in two factor files: ${first} and ${files[i]}`, {
          column: c,
          // the 3- and 5-factor Ken French files both have mkt_rf, smb, hml and rf: the usual cause
          hint: `give each factor once: leave ${c} out of one of the files${/^(mkt_rf|smb|hml|rf)$/.test(c) ? ' (the Ken French 3- and 5-factor files both have mkt_rf, smb, hml and rf: give one of them)' : ''}`,
        });
      seen.set(c, files[i]);
    }
  });
  // files of different frequencies (monthly Fama-French beside the daily momentum file): joined on
  // their common dates, a monthly file's month ends that are trading days took the daily file's one
  // day return there as the month's factor, without a word
  const freqs = frames.map((fr) => detectFrequency(fr.dates).frequency);
  const other = freqs.findIndex((x) => x !== 'irregular' && freqs[0] !== 'irregular' && x !== freqs[0]);
  if (other > 0)
    throw new InputError(
      `the factor files are of different frequencies: ${files[0]} is ${freqs[0]}, ${files[other]} is ${freqs[other]}; joined on their common dates, the ${freqs[0] === 'daily' ? files[0] : files[other]} values of single days would stand for the periods of the other`,
      {
        file: files[other],
        hint: 'give every --factors file at one frequency (Ken French publishes each file daily and monthly, e.g. F-F_Momentum_Factor.CSV beside F-F_Momentum_Factor_daily.CSV)',
      },
    );
  // one frequency of periods, labelled by different days near each period's end (the Ken French
  // calendar month end beside a file of last trading days): paired by period, as returns and
  // factors are (core samePeriodDates); day by day the inner join kept only the periods whose
  // labels agree (a third of the months)
  const f0 = freqs[0];
  if (f0 === 'weekly' || f0 === 'monthly' || f0 === 'quarterly' || f0 === 'annual')
    for (let i = 1; i < frames.length; i++) {
      if (freqs[i] !== f0) continue;
      const same = samePeriodDates(frames[i].dates, frames[0].dates, f0);
      if (same.moved === 0) continue;
      frames[i] = new Frame(same.dates, frames[i].columns, frames[i].series);
      notes.push(
        `${files[i]}: ${same.moved} of its ${frames[i].nDates} ${f0} dates take the date of ${files[0]} in the same period (the first ${formatIsoDate(same.first[0])} -> ${formatIsoDate(same.first[1])}): both label a period by a day near its end, so the factor files are joined by period`,
      );
    }
  return { frame: frames.length === 1 ? frames[0] : joinFrames(frames, 'inner'), notes };
}
