/**
 * `factorlab optimize`: portfolio weights that minimise tracking error (or total risk) minus
 * alpha and trading costs, under exposure, group, turnover, tracking-error and cardinality
 * constraints, with a factor risk model fitted from the returns. Infeasible problems exit 2 with
 * the conflicting constraints named.
 */
import { open, readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { formatIsoDate, tryParseIsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { FactorExposures } from '../../exposures/factorExposures.js';
import { loadHighs } from '../../io/highs.js';
import { TABLE_FORMATS } from '../../io/outputs.js';
import { writeJsonAtomic, writeTable } from '../../io/write.js';
import { fitExposuresParallel } from '../../parallel/ols.js';
import type { CovarianceMethod } from '../../portfolio/covariance.js';
import type { Frame } from '../../core/frame.js';
import type { Panel } from '../../core/panel.js';
import { InfeasibleError } from '../../portfolio/diagnose.js';
import { optimize } from '../../portfolio/optimize.js';
import { maxSharpe } from '../../portfolio/maxSharpe.js';
import { efficientFrontier, frontierSummary } from '../../portfolio/frontier.js';
import { checkHrpFlags, hrpWeights } from './hrpWeights.js';
import { OptimizationResult } from '../../portfolio/result.js';
import { covarianceTimes, type RiskModel } from '../../portfolio/riskModel.js';
import { riskModelFromFit } from '../../portfolio/riskModel.js';
import type { ExposureConstraint, GroupConstraint, OptimizeConstraints, OptimizeSpec } from '../../portfolio/spec.js';
import { alignAssetValues, readAssetValues, type AssetValues } from '../assetValues.js';
import { formatNumber, plural, table } from '../format.js';
import { loadGroups, parseNumber, positiveInteger } from '../load.js';
import { readViewsFile, type ViewSpec } from '../views.js';
import { viewsAlpha, type ViewsSummary } from './viewsAlpha.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { printJson } from '../printJson.js';
import { exchangesText, optimizeReportDocument, type OptimizeReportSource } from '../../report/portfolioReport.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { generatorLine } from '../generator.js';
import { addReturnsOptions, fitWindowOf, loadModelInputs, type ReturnsFlags } from './exposures.js';
import { assetNamesHint } from '../../core/assetNames.js';

export interface RiskModelFlags extends ReturnsFlags {
  covariance: CovarianceMethod;
  halfLife?: number;
  minObs?: number;
  /** --stale-after: see {@link STALE_DATES}; 0 trades every name. */
  staleAfter?: number;
}

export interface OptimizeFlags extends RiskModelFlags {
  benchmark?: string;
  current?: string;
  alpha?: string;
  views?: string;
  marketCaps?: string;
  tau?: number;
  marketRiskAversion?: number;
  groups?: string;
  groupCol?: string;
  groupAssetCol?: string;
  constraints?: string;
  budget?: number;
  longShort?: boolean;
  minWeight?: number;
  maxWeight?: number;
  exposure?: string[];
  activeExposure?: string[];
  groupBand?: string[];
  groupNeutral?: boolean;
  turnover?: number;
  trackingError?: number;
  minReturn?: number;
  maxSharpe?: boolean;
  hrp?: boolean;
  hrpCovariance?: 'model' | 'sample';
  frontier?: number;
  maxNames?: number;
  minPosition?: number;
  riskAversion?: number;
  linearCost?: number;
  tradePenalty?: number;
  limit: number;
  json?: boolean;
  out?: string;
  report?: string;
  svg?: string;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
/** The first three names, then "..." when there are more. */
const sample = (names: readonly string[]): string => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}`;
const pct = (v: number, digits = 3): string => `${formatNumber(v * 100, digits)}%`;

/**
 * The finest figure a solve resolves, in weight units (a fraction of the budget): the polished
 * weights meet the constraints to about 1e-15 (the KKT primal residual) and the library sets
 * weights below 1e-13 to 0, so a difference below 1e-12 is the arithmetic's rounding, not a position.
 */
export const SOLVER_NOISE = 1e-12;

/**
 * A figure as printed, in weight units or their image (an active weight, a trade, an active
 * exposure Bᵀ(w − b), the turnover, the tracking error √(P·(w−b)ᵀΣ(w−b))): 0 when
 * |v| < max(SOLVER_NOISE, primal), the solve's resolution (`primal`, its KKT primal residual, is
 * larger for an approximate ADMM answer), else v. A book equal to its benchmark printed its tracking
 * error as 1.96e-14% a year and its active weights as 3.43e-14%: noise shown as numbers. The
 * printed table and headlines only; --json and --out keep the numbers as computed.
 */
export function solverFigure(v: number, primal: number): number {
  const resolution = Number.isFinite(primal) ? Math.max(SOLVER_NOISE, primal) : SOLVER_NOISE;
  return Math.abs(v) < resolution ? 0 : v;
}
/**
 * A share of the variance (factors', specific) below this is the arithmetic's rounding: a book
 * neutral to every factor has exposures of ~1e-18, so a factor variance of ~1e-35 over a total of
 * ~1e-4, printed as "factors 1.33e-30% of the variance".
 */
export const SHARE_NOISE = 1e-12;

/** A share of the variance as printed: 0 below {@link SHARE_NOISE} (and 1 within it of 1), else v. */
export function shareFigure(v: number): number {
  return Math.abs(v) < SHARE_NOISE ? 0 : Math.abs(1 - v) < SHARE_NOISE ? 1 : v;
}
const nonNegative = (flag: string): ((v: string) => number) => parseNumber(flag, (n) => n >= 0, 'a number >= 0');

/** The risk-model options `optimize` and `replicate` share. */
export function addRiskModelOptions(cmd: Command): Command {
  return addReturnsOptions(cmd)
    .addOption(
      new Option('--covariance <method>', 'factor covariance estimator').choices(['ledoit-wolf', 'sample', 'ewma']).default('ledoit-wolf'),
    )
    .addOption(
      new Option('--half-life <periods>', 'EWMA half-life in periods (default 63)').argParser(
        parseNumber('--half-life', (n) => n > 0, 'a positive number'),
      ),
    )
    .addOption(
      new Option(
        '--min-obs <n>',
        'fewest returns an asset needs in the fit window to enter the risk model (default: factors + 3, the coefficients + 2); names fitted on less than half the window are listed',
      ).argParser(positiveInteger('--min-obs')),
    )
    .addOption(
      new Option(
        '--stale-after <n>',
        `a name whose last return (or last price move: a price that stays the same, forward-filled, is no trade) is more than n dates before the fit window's end (delisted or suspended) cannot be traded there: optimize holds it at its --current weight (not bought without one) and leaves it out of --benchmark equal, replicate keeps it out of the basket; the notes name them (default ${STALE_DATES}; 0: every name is traded)`,
      ).argParser(parseNumber('--stale-after', (v) => Number.isInteger(v) && v >= 0, 'a whole number >= 0')),
    );
}

/** A name fitted on fewer than this share of the fit window's dates is listed in a note. */
const SHORT_HISTORY = 0.5;
/**
 * The default of --stale-after: a name whose last return is more than this many dates before the
 * fit window's end (delisted or suspended) cannot be traded at that end.
 */
export const STALE_DATES = 5;

/**
 * What real price files make likely and the risk model takes as it comes, said in a note: names
 * fitted on a short part of the window (listed late, or long gaps: their exposures and specific
 * risk come from those dates alone). The names without a return at the window's end are
 * {@link staleNames}.
 */
export function riskModelHistoryNotes(
  model: Pick<RiskModel, 'assets'>,
  fit: { assets: readonly string[]; dates: ArrayLike<number>; diagnostics: readonly { nobs: ArrayLike<number> }[] },
): string[] {
  const notes: string[] = [];
  const nd = fit.dates.length;
  if (nd === 0) return notes;
  const nobs = fit.diagnostics[fit.diagnostics.length - 1]?.nobs;
  const fitIndex = new Map(fit.assets.map((a, i) => [a, i]));
  if (nobs !== undefined) {
    const short = model.assets
      .map((a) => ({ a, n: nobs[fitIndex.get(a) ?? -1] ?? NaN }))
      .filter((x) => x.n < SHORT_HISTORY * nd)
      .sort((x, y) => x.n - y.n);
    if (short.length > 0)
      notes.push(
        `${plural(short.length, 'asset')} fitted on less than half of the window's ${nd} dates (their exposures and specific risk come from those returns alone): ${list6(short.map((x) => `${x.a} (${x.n})`))}; --min-obs N leaves out the names with fewer than N`,
      );
  }
  return notes;
}

const list6 = (items: string[]): string => `${items.slice(0, 6).join(', ')}${items.length > 6 ? ', ...' : ''}`;

/** A name without a return in the fit window's last dates: delisted or suspended, not tradable at its end. */
export interface StaleName {
  asset: string;
  /** Its index in the list of assets asked about (the risk model's order). */
  index: number;
  /** Its last date with a return in the window (day number). */
  last: number;
  /** How many of the window's dates come after it. */
  ago: number;
  /**
   * How many of those dates have a return of exactly 0 (a price equal to the one before: forward-
   * filled by the data vendor while the name did not trade); the others have none. 0: the returns stop.
   */
  unchanged: number;
}

/**
 * "last 2017-10-31" (its returns stop), "price unchanged since 2017-10-24" (its returns are 0
 * since), or "price unchanged or missing since ..." (both): when a stale name last moved.
 */
export const staleSince = (x: StaleName): string =>
  `${x.unchanged === 0 ? 'last' : x.unchanged === x.ago ? 'price unchanged since' : 'price unchanged or missing since'} ${formatIsoDate(x.last)}`;

/** "no return in the last 5 dates", or "no return or price move ..." when a name's price stood still there. */
export const noReturnIn = (stale: readonly StaleName[], after: number): string =>
  `no return${stale.some((x) => x.unchanged > 0) ? ' or price move' : ''} in the last ${plural(after, 'date')}`;

/**
 * The `assets` whose last return in the window `first`..`last` (the dates of `returns` between
 * them) is more than `after` of the window's dates before its end, in the order of `assets`;
 * after = 0: none. A return of exactly 0 is no trade here: a price that stays the same for more
 * than `after` dates (a suspended name the data vendor forward-fills) is as stale as one that
 * stops, and its zeros would otherwise give it a near-zero variance, the risk model's safest
 * name. A name with no return in the window at all, or only zeros, is not one (the fit leaves it
 * out).
 */
export function staleNames(
  assets: readonly string[],
  window: { first: number; last: number },
  returns: { dates: ArrayLike<number>; assets: readonly string[]; values: ArrayLike<number> },
  after: number,
): StaleName[] {
  if (!(after > 0)) return [];
  const rows: number[] = [];
  for (let t = 0; t < returns.dates.length; t++) if (returns.dates[t] >= window.first && returns.dates[t] <= window.last) rows.push(t);
  const m = returns.assets.length;
  const column = new Map(returns.assets.map((a, j) => [a, j]));
  const out: StaleName[] = [];
  assets.forEach((asset, index) => {
    const j = column.get(asset);
    if (j === undefined) return;
    let k = rows.length - 1,
      unchanged = 0;
    for (; k >= 0; k--) {
      const r = returns.values[rows[k] * m + j];
      if (r === 0) unchanged++;
      else if (Number.isFinite(r)) break;
    }
    const ago = rows.length - 1 - k;
    if (k >= 0 && ago > after) out.push({ asset, index, last: returns.dates[rows[k]], ago, unchanged });
  });
  return out;
}

/** "A (last 2019-06-24), B (last ...), ..." oldest first. */
const staleList = (stale: readonly StaleName[]): string =>
  list6([...stale].sort((x, y) => x.last - y.last || x.index - y.index).map((x) => `${x.asset} (${staleSince(x)})`));

/**
 * Every name is stale: nothing can be traded at the window's end (returns that stop before it:
 * --end past the data, or trailing dates without prices). `noun` is "asset" or "universe asset",
 * `where` follows it ("of the risk model").
 */
export function assertSomeTradable(
  stale: readonly StaleName[],
  n: number,
  windowEnd: number,
  after: number,
  noun: string,
  where: string,
  endFlag: '--end' | '--fit-end',
): void {
  if (n === 0 || stale.length < n) return;
  const latest = stale.reduce((m, x) => Math.max(m, x.last), -Infinity);
  throw new InputError(
    `none of the ${plural(n, noun)}${where} has a return${stale.some((x) => x.unchanged > 0) ? ' that moves its price' : ''} in the last ${plural(after, 'date')} of the fit window, which ends ${formatIsoDate(windowEnd)} (the latest return of any is on ${formatIsoDate(latest)}), so none can be traded at its end`,
    {
      hint: `end the window where the returns are, e.g. ${endFlag} ${formatIsoDate(latest)}; or, if the names still trade and only their prices are missing, --stale-after 0 lets them be traded`,
    },
  );
}

/** Fit the exposures over --start..--end and build the factor risk model B F Bᵀ + D. */
export async function loadRiskModel(
  flags: RiskModelFlags,
  onProgress: Parameters<typeof loadModelInputs>[1],
  streams: CliStreams,
): Promise<{
  model: RiskModel;
  notes: string[];
  leftOut: Map<string, string>;
  stale: StaleName[];
  windowEnd: number;
  /** The returns panel read (simple returns, not in excess of the risk-free rate) and the fit's dates. */
  returns: Panel;
  fitDates: ArrayLike<number>;
  /** The factor returns (decimal, in excess of the risk-free rate) and the fit window's first date. */
  factorFrame: Frame;
  riskFree: string | undefined;
  windowStart: number;
}> {
  const inputs = await loadModelInputs(flags, onProgress);
  for (const w of inputs.warnings) streams.stderr(`factorlab: warning: ${w}\n`);
  const fe = new FactorExposures().addRegressionFactors(inputs.factors, { step: false });
  fe.addStep(inputs.regressors);
  // the window: the return dates with a value of every factor (and the risk-free rate), and only
  // dates with returns (exposures.ts fitWindowOf)
  const { coverage, start, end } = fitWindowOf(inputs, flags);
  const fit = await fitExposuresParallel(fe, inputs.returns, {
    riskFree: inputs.riskFree,
    start,
    end,
    residuals: false,
    threads: flags.threads,
    ...(flags.minObs !== undefined ? { minObs: flags.minObs } : {}),
  });
  const { model, dropped } = riskModelFromFit(fit, inputs.factors, {
    covariance: { method: flags.covariance, ...(flags.halfLife !== undefined ? { halfLife: flags.halfLife } : {}) },
  });
  if (model.assets.length === 0) {
    // Say why (the fit's reason for its first asset): too few dates is the usual cause, and the
    // returns and factors do overlap then.
    const first = fit.skipped[0];
    const step = fit.diagnostics[fit.diagnostics.length - 1];
    const most = step ? step.nobs.reduce((m, v) => Math.max(m, v), 0) : 0;
    const few = step !== undefined && most < step.minObs;
    throw new InputError(
      `no asset could be fitted, so there is no risk model${first !== undefined ? ` (${first.asset}: ${first.reason})` : ''}`,
      {
        hint: few
          ? `no asset has more than ${plural(most, 'return')} in the fit window, and each regression on ${plural(fit.factors.length, 'factor')} and an intercept needs at least ${step.minObs}${flags.minObs !== undefined ? ` (--min-obs ${flags.minObs})` : ''}: ${flags.minObs !== undefined ? 'lower --min-obs, or ' : ''}widen --start..--end or use fewer factors (--factor-cols)`
          : 'check that the returns and factors overlap in --start..--end',
      },
    );
  }
  const notes = [...inputs.notes, ...coverage.notes];
  const est = model.estimate;
  notes.push(
    `risk model: ${plural(model.assets.length, 'asset')} x ${model.factors.join(', ')} fitted ${formatIsoDate(fit.dates[0])} .. ${formatIsoDate(fit.dates[fit.dates.length - 1])}; F ${est?.method}${est?.shrinkage !== undefined ? ` (shrinkage ${formatNumber(est.shrinkage, 3)})` : ''} on ${est?.nobs} dates; D = OLS residual variance`,
  );
  // the fit's own reason (a constant price is not "too few returns")
  const why = new Map(fit.skipped.map((s) => [s.asset, s.reason]));
  const leftOut = new Map(
    dropped.map((d) => [d.asset, why.get(d.asset) ?? (d.reason === 'not-fitted' ? 'too few returns to fit' : 'no residual variance')]),
  );
  if (dropped.length > 0)
    notes.push(
      `${plural(dropped.length, 'asset')} left out of the risk model: ${dropped
        .slice(0, 5)
        .map((d) => `${d.asset} (${leftOut.get(d.asset)})`)
        .join(', ')}${dropped.length > 5 ? ', ...' : ''}`,
    );
  notes.push(...riskModelHistoryNotes(model, fit));
  const windowEnd = fit.dates[fit.dates.length - 1];
  const stale = staleNames(model.assets, { first: fit.dates[0], last: windowEnd }, inputs.returns, flags.staleAfter ?? STALE_DATES);
  assertSomeTradable(stale, model.assets.length, windowEnd, flags.staleAfter ?? STALE_DATES, 'asset', ' of the risk model', '--end');
  return {
    model,
    notes,
    leftOut,
    stale,
    windowEnd,
    returns: inputs.returns,
    fitDates: fit.dates,
    factorFrame: inputs.factors,
    riskFree: inputs.riskFree,
    windowStart: fit.dates[0],
  };
}

/** The first `n` lines of a file, from its first 64 KiB; undefined when it cannot be read. */
async function headLines(file: string, n: number): Promise<string[] | undefined> {
  let fh;
  try {
    fh = await open(file, 'r');
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/).slice(0, n);
  } catch {
    return undefined; // readAssetValues says why
  } finally {
    await fh?.close();
  }
}

/** A date as dated files write it: ISO 2018-01-02 (also with a time), 20180102 or 1/2/2018. */
const looksLikeDate = (cell: string): boolean =>
  !Number.isNaN(tryParseIsoDate(cell)) || /^(19|20)\d{6}$/.test(cell) || /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(cell);

/** `s` as one word of a POSIX shell command line. */
const shellWord = (s: string): string => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/**
 * Reads the per-asset CSV (asset,value) of `flag`, first refusing a dated table: a long
 * date,asset,value file (a signal or weights through time) or a wide date,asset,... one, which
 * would otherwise be read as values of assets named like dates (or fail on the asset column).
 */
export async function readAssetFile(file: string, what: string, flag: string): Promise<AssetValues> {
  const head = await headLines(file, 2);
  if (head !== undefined && head.length === 2) {
    const header = head[0].split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const row = head[1].split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    if (header[0].toLowerCase() === 'date' || looksLikeDate(row[0])) {
      const long = header.length === 3 && row.length === 3 && row[1] !== '' && !Number.isFinite(Number(row[1]));
      throw new InputError(
        long
          ? `${flag} takes one value per asset (asset,value rows), but this is a long table with a date on every row (${header.join(',')})`
          : `${flag} takes one value per asset (asset,value rows), but this file has a date in its first column (${header.slice(0, 4).join(',')}${header.length > 4 ? ',...' : ''})`,
        {
          file,
          hint: long
            ? `pick one date and keep its asset and value columns, e.g. (echo asset,value; grep '^${row[0]},' ${shellWord(file)} | cut -d, -f2,3) > ${what.replace(/ /g, '_')}.csv`
            : 'pick one date and write its values as asset,value rows, one line per asset',
        },
      );
    }
  }
  return readAssetValues(file, what);
}

/**
 * Refuses weights (a benchmark, holdings, a target) that cannot be fractions of a portfolio whose
 * weights sum to `budget`: a net sum above 1.5 budgets, or a gross sum Σ|w| above 10 (a long-short
 * book is 2 to 4). Weights in percent (Σ = 100) are the usual cause.
 */
export function assertWeightsSum(v: AssetValues, flag: string, budget = 1): void {
  let net = 0,
    gross = 0;
  for (const x of v.values.values()) {
    net += x;
    gross += Math.abs(x);
  }
  const scale = Math.max(1, Math.abs(budget));
  if (Math.abs(net) <= 1.5 * scale && gross <= 10 * scale) return;
  const sum = Math.abs(net) > 1.5 * scale ? net : gross;
  const percent = Math.abs(sum) / scale >= 30 && Math.abs(sum) / scale <= 300;
  throw new InputError(
    `the ${flag} weights sum to ${formatNumber(sum, 6)}${sum === net ? '' : ' in absolute value'} over ${plural(v.values.size, 'name')}; weights are fractions of the portfolio, which sum to ${formatNumber(budget, 6)}${budget === 1 ? '' : ' (--budget)'}`,
    {
      file: v.file,
      hint: percent
        ? `in percent? divide them by 100 (${flag} takes 0.05 for 5%)`
        : `give weights as fractions of the portfolio: divide each by their sum, ${formatNumber(sum, 6)}`,
    },
  );
}

/** `factor=lo:hi`, `factor=v` (equality), `factor=lo:` or `factor=:hi`. */
export function parseBand(flag: string, text: string): { name: string; min?: number; max?: number; equal?: number } {
  const m = /^([^=]+)=(.*)$/.exec(text);
  const bad = (): never => {
    throw new InputError(`${flag} takes name=min:max, name=value or name=min: / name=:max`, {
      value: text,
      hint: `e.g. ${flag} mkt_rf=-0.1:0.1`,
    });
  };
  if (!m) return bad();
  const name = m[1].trim(),
    rest = m[2].trim();
  const num = (s: string): number | undefined => {
    if (s.trim() === '') return undefined;
    const v = Number(s);
    if (!Number.isFinite(v)) bad();
    return v;
  };
  if (!rest.includes(':')) {
    const v = num(rest);
    if (v === undefined) bad();
    return { name, equal: v };
  }
  const [a, b] = rest.split(':');
  const lo = num(a),
    hi = num(b);
  if (lo === undefined && hi === undefined) bad();
  if (lo !== undefined && hi !== undefined && !(lo <= hi))
    throw new InputError(`${flag} ${name}: the lower bound ${lo} is above the upper bound ${hi}`, {
      value: text,
      hint: `write the band as min:max, e.g. ${flag} ${name}=${hi}:${lo}`,
    });
  return { name, ...(lo !== undefined ? { min: lo } : {}), ...(hi !== undefined ? { max: hi } : {}) };
}

interface ConstraintsFile extends Omit<OptimizeConstraints, 'groups' | 'minWeight' | 'maxWeight' | 'returnFloor'> {
  /** --min-return: the floor on alphaᵀw. */
  minReturn?: number;
  minWeight?: number;
  maxWeight?: number;
  groups?: GroupConstraint[];
  groupNeutral?: boolean;
  riskAversion?: number;
  linearCost?: number;
  tradePenalty?: number;
}

const FILE_KEYS = [
  'budget',
  'longOnly',
  'minWeight',
  'maxWeight',
  'exposures',
  'groups',
  'groupNeutral',
  'turnover',
  'trackingError',
  'minReturn',
  'maxNames',
  'minPosition',
  'riskAversion',
  'linearCost',
  'tradePenalty',
];

/** The --constraints JSON file, checked key by key. */
export async function readConstraintsFile(file: string): Promise<ConstraintsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError((e as { code?: string }).code === 'ENOENT' ? 'file not found' : `cannot read the file (${String(e)})`, {
      file,
      hint: 'give a JSON file of constraints (see factorlab optimize --help)',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, {
      file,
      hint: 'the constraints file is one JSON object, e.g. {"maxWeight": 0.05, "turnover": 0.3}',
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InputError('the constraints file must hold one JSON object', { file });
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj))
    if (!FILE_KEYS.includes(key))
      throw new InputError(`unknown key ${JSON.stringify(key)}`, { file, hint: `known keys: ${FILE_KEYS.join(', ')}` });
  const numberKey = (key: string): void => {
    if (obj[key] !== undefined && (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])))
      throw new InputError(`${key} must be a finite number, got ${JSON.stringify(obj[key])}`, { file });
  };
  for (const key of ['longOnly', 'groupNeutral'])
    if (obj[key] !== undefined && typeof obj[key] !== 'boolean')
      throw new InputError(`${key} must be true or false, got ${JSON.stringify(obj[key])}`, { file });
  for (const k of [
    'budget',
    'minWeight',
    'maxWeight',
    'turnover',
    'trackingError',
    'minReturn',
    'maxNames',
    'minPosition',
    'riskAversion',
    'linearCost',
    'tradePenalty',
  ])
    numberKey(k);
  const bands = (key: 'exposures' | 'groups', nameKey: 'factor' | 'group'): void => {
    const v = obj[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) throw new InputError(`${key} must be a list of {${nameKey}, min, max, equal, relative}`, { file });
    v.forEach((b: unknown, i) => {
      if (typeof b !== 'object' || b === null) throw new InputError(`${key}[${i}] must be an object`, { file });
      const r = b as Record<string, unknown>;
      // a misspelt bound ("mni", "relatve") would otherwise be dropped and the band left open
      const known = [nameKey, 'min', 'max', 'equal', 'relative'];
      for (const k of Object.keys(r))
        if (!known.includes(k))
          throw new InputError(`unknown key ${JSON.stringify(k)} in ${key}[${i}]`, { file, hint: `known keys: ${known.join(', ')}` });
      if (typeof r[nameKey] !== 'string') throw new InputError(`${key}[${i}] needs a "${nameKey}" name`, { file });
      for (const k of ['min', 'max', 'equal'])
        if (r[k] !== undefined && (typeof r[k] !== 'number' || !Number.isFinite(r[k])))
          throw new InputError(`${key}[${i}].${k} must be a finite number`, { file });
      if (r.relative !== undefined && r.relative !== 'absolute' && r.relative !== 'active')
        throw new InputError(`${key}[${i}].relative must be "absolute" or "active"`, { file });
    });
  };
  bands('exposures', 'factor');
  bands('groups', 'group');
  return obj as ConstraintsFile;
}

export function registerOptimize(program: Command, streams: CliStreams): void {
  const cmd = program
    .command('optimize')
    .summary('optimise portfolio weights under exposure, sector, turnover, tracking-error and K-name constraints')
    .description(
      'Fit a factor risk model (B F Bᵀ + D: exposures by OLS over --start..--end, F Ledoit-Wolf by default, ' +
        'D the residual variances) and find the weights that minimise ½·γ·(w−b)ᵀΣ(w−b) − alphaᵀw + cost·Σ|Δw| ' +
        '+ ½·κ·Σ(Δw)² (b the --benchmark, none: total variance). Constraints come from flags or a --constraints ' +
        "JSON file (flags win). The QP engine is factorlab's own (the OSQP algorithm, polished to KKT residuals " +
        '≤ 1e-9); HiGHS finds the minimum turnover, the K-name support and the conflicting constraints of an ' +
        'infeasible problem, which exits 2 naming them.',
    );
  addRiskModelOptions(cmd)
    .option('--benchmark <file>', 'benchmark weights: CSV asset,weight (or "equal" for equal weights over the risk model)')
    .option('--current <file>', 'current holdings: CSV asset,weight (default none: trades = weights)')
    .option('--alpha <file>', 'expected returns or a signal per period: CSV asset,value')
    .option(
      '--views <file>',
      "Black-Litterman (PyPortfolioOpt's BlackLittermanModel): the alpha is the posterior of the market-implied prior δ·Σ·w_mkt and these views, expected returns a year in decimal: CSV asset,return[,confidence] (AAPL,0.10,0.6), or view,asset,weight,return[,confidence] for views on portfolios (relative views); confidence 0..1 is Idzorek's, blank the default uncertainty τ·pᵀΣp; the market portfolio is --market-caps, else --benchmark; γ defaults to δ, so with no views the optimum is the market portfolio",
    )
    .option(
      '--market-caps <file>',
      'the market portfolio of the --views prior: CSV asset,cap (capitalisations or weights, normalised to sum to 1; names not in it weigh 0)',
    )
    .addOption(
      new Option('--tau <x>', "τ of --views: the prior's uncertainty relative to Σ (default 0.05)").argParser(
        parseNumber('--tau', (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
      ),
    )
    .addOption(
      new Option(
        '--market-risk-aversion <x>',
        "δ of the --views prior (default: implied by the market factor of --factors over the fit window, mean / variance of its excess return, PyPortfolioOpt's market_implied_risk_aversion)",
      ).argParser(parseNumber('--market-risk-aversion', (v) => v > 0 && Number.isFinite(v), 'a positive number')),
    )
    .option('--groups <file>', 'asset,group CSV (sectors) for --group-band / --group-neutral')
    .option('--group-col <name>', 'group column of --groups')
    .option('--group-asset-col <name>', 'asset column of --groups')
    .option(
      '--constraints <file.json>',
      'constraints as JSON: {"maxWeight":0.05,"exposures":[{"factor":"smb","min":-0.1,"max":0.1,"relative":"active"}],"groups":[{"group":"Energy","min":0.02}],"turnover":0.3,...}',
    )
    .addOption(new Option('--budget <x>', 'Σw (default 1)').argParser(parseNumber('--budget', Number.isFinite, 'a number')))
    .option('--long-short', 'allow negative weights (default long-only)')
    .addOption(
      new Option('--min-weight <x>', 'lower bound on every weight').argParser(parseNumber('--min-weight', Number.isFinite, 'a number')),
    )
    .addOption(
      new Option('--max-weight <x>', 'upper bound on every weight, e.g. 0.05').argParser(
        parseNumber('--max-weight', Number.isFinite, 'a number'),
      ),
    )
    .option('--exposure <factor=lo:hi>', "band on the portfolio's exposure (factor=v for equality); repeatable", collect)
    .option('--active-exposure <factor=lo:hi>', "band on the exposure minus the benchmark's; repeatable", collect)
    .option('--group-band <group=lo:hi>', "band on a group's weight (active with a benchmark); repeatable", collect)
    .option('--group-neutral', 'every group at its benchmark weight (needs --benchmark and --groups)')
    .addOption(new Option('--turnover <x>', 'cap on turnover Σ|w − w0| (two-way; 0.3 = 30%)').argParser(nonNegative('--turnover')))
    .addOption(
      new Option('--tracking-error <x>', 'cap on the annualised ex-ante tracking error, e.g. 0.03').argParser(
        parseNumber('--tracking-error', (n) => n > 0, 'a number > 0'),
      ),
    )
    .addOption(
      new Option(
        '--min-return <x>',
        "PyPortfolioOpt's efficient_return: the least risk whose expected return alphaᵀw is at least x, in --alpha's units (alpha then enters only this floor, not the objective); needs --alpha or --views (with --views, x is a year, as the views: 0.08 for 8%)",
      ).argParser(parseNumber('--min-return', Number.isFinite, 'a number')),
    )
    .option(
      '--max-sharpe',
      "PyPortfolioOpt's max_sharpe: the weights of the highest Sharpe ratio alphaᵀw / √(wᵀΣw) under the other constraints, alpha the expected excess returns per period (the risk model's returns are in excess of --rf-col); needs --alpha; not with --benchmark, --min-return, --tracking-error, --turnover, --max-names, --min-position, --risk-aversion, --linear-cost or --trade-penalty",
    )
    .option(
      '--hrp',
      "hierarchical risk parity (López de Prado; PyPortfolioOpt's HRPOpt): long-only weights summing to 1 from a covariance alone, the risk model's or the returns' (--hrp-covariance) (single-linkage clusters, split by inverse-variance risk), with every report of the result; --benchmark and --current for the tracking error and trades; no constraint flags",
    )
    .addOption(
      new Option(
        '--hrp-covariance <which>',
        "the covariance --hrp clusters: model, the risk model's B·F·Bᵀ + D, or sample, the names' returns over the fit window (pairwise, ddof 1: PyPortfolioOpt's HRPOpt(returns), pandas returns.cov())",
      )
        .choices(['model', 'sample'])
        .default('model'),
    )
    .addOption(
      new Option(
        '--frontier <n>',
        "also the efficient frontier (PyPortfolioOpt's plot_efficient_frontier, as a table): n least-risk portfolios at expected returns from the least-risk portfolio's to the highest the constraints allow, each with its risk and Sharpe ratio (information ratio against --benchmark); needs --alpha; in --json / --out JSON as frontier",
      ).argParser(parseNumber('--frontier', (v) => Number.isInteger(v) && v >= 2 && v <= 200, 'a whole number from 2 to 200')),
    )
    .addOption(
      new Option('--max-names <k>', 'hold at most k names (HiGHS MILP support + QP; gap reported)').argParser(
        positiveInteger('--max-names'),
      ),
    )
    .addOption(
      new Option('--min-position <x>', 'every holding at least this weight').argParser(
        parseNumber('--min-position', (n) => n > 0, 'a number > 0'),
      ),
    )
    .addOption(
      new Option('--risk-aversion <x>', 'γ (default 1; matters against --alpha and costs)').argParser(nonNegative('--risk-aversion')),
    )
    .addOption(new Option('--linear-cost <x>', 'cost per unit traded, in return units').argParser(nonNegative('--linear-cost')))
    .addOption(new Option('--trade-penalty <x>', 'κ of the quadratic trade penalty').argParser(nonNegative('--trade-penalty')))
    .addOption(new Option('--limit <n>', 'holdings shown (all are in --out)').default(15).argParser(positiveInteger('--limit')))
    .option('--json', 'print the result as JSON')
    .option('--out <file>', 'write the result: .json (everything) or .csv / .csv.gz / .parquet (one row per asset)')
    .option(
      '--report <file.html>',
      'write the optimiser report: one self-contained HTML page (weights against the benchmark, exposures against their bounds, risk decomposition, trades, solver); `factorlab report result.json` draws it later from --out result.json',
    )
    .option('--svg <dir>', 'write each chart of the report as a standalone SVG file into this directory (created if missing)')
    .addHelpText(
      'after',
      `
Turnover is two-way, Σ|w − w0| (a full switch is 200%); the one-way Σ|Δw|/2 is printed beside it.
Tracking error is ex-ante √(252·(w−b)ᵀΣ(w−b)) for daily data.

Examples:
  factorlab optimize --prices sp500.csv.gz --clean --factors F-F_Research_Data_5_Factors_2x3_daily.CSV \\
    --start 2015-01-01 --end 2016-12-30 --benchmark equal --max-weight 0.02 \\
    --active-exposure mkt_rf=-0.05:0.05 --groups sectors.csv --group-neutral
  factorlab optimize ... --benchmark bench.csv --current holdings.csv --turnover 0.3 --out weights.csv
  factorlab optimize ... --alpha signal.csv --benchmark bench.csv --tracking-error 0.03 --max-names 50
  factorlab optimize --prices demo/prices.csv --factors demo/factors.csv --clean --benchmark equal \\
    --max-weight 0.05 --groups demo/sectors.csv --active-exposure mkt_rf=-0.05:0.05 --report optimize.html`,
    )
    .action(async (flags: OptimizeFlags) => {
      checkReportOutputs(flags.report, flags.svg, [{ path: flags.out, flag: '--out', formats: TABLE_FORMATS }]);
      checkViewsFlags(flags);
      if (flags.hrpCovariance === 'sample' && flags.hrp !== true)
        throw new InputError('--hrp-covariance sample picks the covariance of --hrp, and there is no --hrp', {
          hint: 'add --hrp, or drop --hrp-covariance',
        });
      if (flags.minReturn !== undefined && flags.alpha === undefined && flags.views === undefined)
        throw new InputError('--min-return is a floor on the expected return alphaᵀw, and there is no --alpha', {
          hint: 'give the expected returns with --alpha FILE (asset,value), or drop --min-return',
        });
      if (flags.maxSharpe === true) checkMaxSharpeFlags(flags);
      if (flags.hrp === true) checkHrpFlags(flags as unknown as Record<string, unknown>);
      if (flags.frontier !== undefined) {
        if (flags.alpha === undefined && flags.views === undefined)
          throw new InputError('--frontier draws expected return against risk, and there is no --alpha', {
            hint: 'give the expected returns per period with --alpha FILE (asset,value)',
          });
        const clash = (
          [
            ['--hrp', flags.hrp],
            ['--min-return', flags.minReturn],
            ['--tracking-error', flags.trackingError],
            ['--max-names', flags.maxNames],
            ['--min-position', flags.minPosition],
            ['--linear-cost', flags.linearCost],
            ['--trade-penalty', flags.tradePenalty],
          ] as const
        )
          .filter(([, v]) => v !== undefined && v !== false)
          .map(([f]) => f);
        if (clash.length > 0)
          throw new InputError(`--frontier cannot be combined with ${clash.join(', ')}`, {
            hint: 'each point of the frontier is the least-risk portfolio at its return under the linear constraints (costs would change what is minimised; --turnover caps trades): drop them',
          });
      }
      const { result, notes } = await runOptimize(flags, streams);
      if (flags.json) printJson(streams, { ...result.toJSON(), notes: [...notes, ...result.data.notes] });
      else streams.stdout(`${renderResult(result, notes, flags).join('\n')}\n`);
    });
}

/**
 * --views (Black–Litterman) makes the alpha: refused beside --alpha and --hrp (which uses none), and
 * its own flags are refused without it (they would be silently ignored).
 */
function checkViewsFlags(flags: OptimizeFlags): void {
  if (flags.views === undefined) {
    const orphan = (
      [
        ['--market-caps', flags.marketCaps],
        ['--tau', flags.tau],
        ['--market-risk-aversion', flags.marketRiskAversion],
      ] as const
    )
      .filter(([, v]) => v !== undefined)
      .map(([f]) => f);
    if (orphan.length > 0)
      throw new InputError(
        `${orphan.join(', ')} ${orphan.length === 1 ? 'is' : 'are'} for the Black-Litterman prior, and there is no --views`,
        {
          hint: 'give the views with --views FILE (asset,return[,confidence]), or drop them',
        },
      );
    return;
  }
  if (flags.alpha !== undefined)
    throw new InputError('--views and --alpha both give the expected returns: --views makes them from the market prior and the views', {
      hint: 'drop --alpha (or drop --views and give the expected returns whole with --alpha)',
    });
  if (flags.hrp === true)
    throw new InputError('--hrp uses no expected returns, so --views would be ignored', { hint: 'drop --views, or drop --hrp' });
}

/**
 * --max-sharpe with the flags the maximum ratio cannot take (portfolio maxSharpe.ts): refused by
 * name before any file is read (the library refuses the same from a --constraints file, in its words).
 */
function checkMaxSharpeFlags(flags: OptimizeFlags): void {
  if (flags.alpha === undefined && flags.views === undefined)
    throw new InputError('--max-sharpe maximises alphaᵀw / √(wᵀΣw), and there is no --alpha', {
      hint: 'give the expected excess returns per period with --alpha FILE (asset,value)',
    });
  const clash: [string, unknown][] = [
    ['--benchmark', flags.benchmark],
    ['--min-return', flags.minReturn],
    ['--tracking-error', flags.trackingError],
    ['--turnover', flags.turnover],
    ['--max-names', flags.maxNames],
    ['--min-position', flags.minPosition],
    ['--risk-aversion', flags.riskAversion],
    ['--linear-cost', flags.linearCost],
    ['--trade-penalty', flags.tradePenalty],
  ];
  const given = clash.filter(([, v]) => v !== undefined).map(([f]) => f);
  if (given.length > 0)
    throw new InputError(`--max-sharpe cannot be combined with ${given.join(', ')}`, {
      hint:
        given[0] === '--benchmark'
          ? flags.views !== undefined
            ? 'the ratio is of the whole portfolio: drop --benchmark and give the market portfolio of the views with --market-caps FILE'
            : 'the ratio is of the whole portfolio: drop --benchmark, or minimise the risk against it with --alpha'
          : given[0] === '--risk-aversion'
            ? 'the maximum ratio does not depend on the risk aversion: drop --risk-aversion'
            : `drop ${given.join(', ')} (the maximum ratio sets its own return and risk), or drop --max-sharpe`,
    });
}

/** The JSON `optimize --out result.json` writes (and `--json` prints): the result and every note. */
export function optimizeJson(result: OptimizationResult, notes: readonly string[]): OptimizeReportSource {
  return { ...result.toJSON(), notes: [...notes, ...result.data.notes] } as unknown as OptimizeReportSource;
}

/** Loads the inputs, optimises, and writes --out, --report and --svg (paths checked by the caller). */
export async function runOptimize(flags: OptimizeFlags, streams: CliStreams): Promise<{ result: OptimizationResult; notes: string[] }> {
  const file = flags.constraints !== undefined ? await readConstraintsFile(flags.constraints) : {};
  const exposureFlags = [
    ...(flags.exposure ?? []).map((t) => ({ ...parseBand('--exposure', t), relative: 'absolute' as const })),
    ...(flags.activeExposure ?? []).map((t) => ({ ...parseBand('--active-exposure', t), relative: 'active' as const })),
  ];
  const groupFlags = (flags.groupBand ?? []).map((t) => parseBand('--group-band', t));
  const files = await readWeightFiles(flags, file); // before the risk model is fitted: a bad file fails fast
  const progress = progressReporter(!flags.json);
  let result: OptimizationResult, notes: string[];
  try {
    const loaded = await loadRiskModel(flags, progress.update, streams);
    notes = loaded.notes;
    const { model } = loaded;
    // --views: the alpha is the Black–Litterman posterior on this risk model (viewsAlpha.ts)
    const views = files.views === undefined ? null : viewsOf(flags, file, files, loaded, notes);
    // the floor of --min-return is on the expected return μᵀw; the objective against a benchmark takes the active alpha
    const viewAlpha =
      views === null ? null : views.active !== null && (flags.minReturn ?? file.minReturn) === undefined ? views.active : views.alpha;
    const built = await buildSpec(
      flags,
      file,
      viewAlpha === null ? files : { ...files, alpha: viewAlpha },
      model,
      exposureFlags,
      groupFlags,
      notes,
      loaded.leftOut,
      loaded,
    );
    // γ = δ: the Black–Litterman investor's utility (with no views, the market portfolio)
    if (views !== null && built.riskAversion === undefined && flags.maxSharpe !== true) built.riskAversion = views.delta;
    // --hrp: the weights are hierarchical risk parity's, fixed as bounds (hrpWeights.ts)
    const hrp =
      flags.hrp === true
        ? hrpWeights(
            model,
            new Set(loaded.stale.map((x) => x.index)),
            built.current,
            flags.hrpCovariance === 'sample' ? { returns: loaded.returns, dates: loaded.fitDates } : undefined,
          )
        : null;
    if (hrp !== null) notes.push(hrp.note);
    const spec: OptimizeSpec =
      hrp === null
        ? built
        : {
            riskModel: model,
            ...(built.benchmark !== undefined ? { benchmark: built.benchmark } : {}),
            ...(built.current !== undefined ? { current: built.current } : {}),
            constraints: { minWeight: hrp.weights, maxWeight: hrp.weights },
          };
    progress.update({ phase: `optimising ${plural(model.assets.length, 'asset')}`, done: 0 });
    try {
      result = flags.maxSharpe === true ? await maxSharpe(spec, { highs: loadHighs }) : await optimize(spec, { highs: loadHighs });
    } catch (e) {
      throw e instanceof InfeasibleError ? staleConflict(e, loaded.stale, spec.current, loaded.windowEnd, flags.staleAfter) : e;
    }
    if (views !== null) result = new OptimizationResult({ ...result.data, blackLitterman: views.summary });
    if (flags.frontier !== undefined) {
      progress.update({ phase: `the efficient frontier: ${flags.frontier} points`, done: 0 });
      // the frontier's expected return is the posterior's μᵀw (not the active alpha of the objective)
      const frontierSpec =
        views === null ? built : { ...built, alpha: alignAssetValues(views.alpha, model.assets, 'alpha', false).aligned };
      const frontier = await efficientFrontier(frontierSpec, flags.frontier, { highs: loadHighs });
      result = new OptimizationResult({ ...result.data, frontier: frontierSummary(frontier) });
    }
    // an optimum that holds nothing (a zero budget, long-short, no alpha: the least risk is no
    // position) has no risk to split: said, rather than "factors NaN% of the variance"
    if (result.weights.every((w) => w === 0))
      notes.push(
        'the optimum holds nothing: every weight is 0, so there is no risk to split (with --budget 0 and no --alpha, or an alpha too small for the risk aversion, no position has the least risk); give --alpha, a lower --risk-aversion or a budget',
      );
    if (flags.out !== undefined) await writeResult(flags.out, result, notes);
    if (flags.report !== undefined || flags.svg !== undefined) {
      progress.update({ phase: 'writing the report', done: 0 });
      const doc = optimizeReportDocument({ ...optimizeJson(result, notes), generator: generatorLine() });
      if (flags.report !== undefined) await writeReportHtml(flags.report, doc);
      if (flags.svg !== undefined) await writeReportSvgs(flags.svg, doc);
    }
  } finally {
    progress.stop();
  }
  return { result, notes };
}

/**
 * The --views posterior as the alpha file the optimiser reads (per period, every name of the risk
 * model), its δ and its summary. The market portfolio is --market-caps, else the --benchmark
 * weights as buildSpec aligns them (equal: over the names that can be traded).
 */
function viewsOf(
  flags: OptimizeFlags,
  file: ConstraintsFile,
  files: WeightFiles,
  loaded: Awaited<ReturnType<typeof loadRiskModel>>,
  notes: string[],
): { alpha: AssetValues; active: AssetValues | null; delta: number; summary: ViewsSummary } {
  const { model } = loaded;
  // the benchmark's weights as buildSpec aligns them (equal: over the names that can be traded)
  let benchmark: Float64Array | undefined;
  if (flags.benchmark === 'equal') {
    const stale = new Set(loaded.stale.map((x) => x.index));
    const tradable = model.assets.length - stale.size;
    benchmark = Float64Array.from(model.assets, (_, i) => (stale.has(i) ? 0 : 1 / tradable));
  } else if (files.benchmark !== undefined)
    benchmark = alignAssetValues(files.benchmark, model.assets, 'benchmark', true, '--benchmark').aligned;
  const v = viewsAlpha(
    {
      model,
      views: files.views ?? [],
      viewsFile: flags.views ?? '',
      ...(files.marketCaps !== undefined ? { marketCaps: files.marketCaps } : {}),
      ...(benchmark !== undefined ? { benchmark, benchmarkName: flags.benchmark } : {}),
      ...(flags.tau !== undefined ? { tau: flags.tau } : {}),
      ...(flags.marketRiskAversion !== undefined ? { delta: flags.marketRiskAversion } : {}),
      factorFrame: loaded.factorFrame,
      riskFree: loaded.riskFree,
      windowStart: loaded.windowStart,
      windowEnd: loaded.windowEnd,
    },
    notes,
  );
  // against a benchmark the objective is ½·γ·(w − b)ᵀΣ(w − b) − αᵀw: the Black–Litterman
  // investor's ½·δ·wᵀΣw − μᵀw is that with α = μ − δ·Σ·b (the benchmark's own risk premium taken
  // out), so with no view and the market as benchmark the optimum is the benchmark, not a book
  // levered towards high-beta names (α = μ would reward holding the benchmark twice)
  const active = benchmark === undefined ? null : covarianceTimes(model, benchmark).map((x, i) => v.alpha[i] - v.delta * x);
  // γ is δ unless given (--risk-aversion or the constraints file); a binding tracking-error cap then fits its own
  const gammaWords =
    flags.maxSharpe === true || (flags.riskAversion ?? file.riskAversion) !== undefined
      ? ''
      : (flags.trackingError ?? file.trackingError) !== undefined
        ? ', γ = δ (a binding --tracking-error cap raises it)'
        : ', γ = δ';
  notes.push(
    `views: Black-Litterman posterior of ${plural(v.summary.views.length, 'view')} (${flags.views}) and the market prior δ·Σ·w_mkt, τ ${formatNumber(v.summary.tau, 4)}, δ ${formatNumber(v.delta, 4)} ${v.summary.deltaSource}; market: ${v.summary.market}; alpha a period = ${active !== null ? '(posterior − δ·Σ·benchmark)' : 'posterior'} / ${model.periodsPerYear}${active !== null ? ' (the active alpha: with no view, a benchmark that is the market portfolio is the optimum)' : ''}${gammaWords}`,
  );
  // a view on a name that cannot be traded at the window's end moves only the names correlated with it
  const staleNames = new Set(loaded.stale.map((x) => model.assets[x.index]));
  const onStale = [...new Set((files.views ?? []).flatMap((vw) => vw.entries.map((e) => e.asset)).filter((a) => staleNames.has(a)))];
  if (onStale.length > 0)
    notes.push(
      `views: ${onStale.slice(0, 3).join(', ')}${onStale.length > 3 ? ', ...' : ''} cannot be traded at the window's end (no recent return): ${onStale.length === 1 ? 'its view moves' : 'their views move'} the expected returns of the names correlated with ${onStale.length === 1 ? 'it' : 'them'}, not ${onStale.length === 1 ? 'its' : 'their'} own weight`,
    );
  const values = (x: ArrayLike<number>, col: string): AssetValues => ({
    file: flags.views ?? '',
    values: new Map(model.assets.map((a, i) => [a, x[i]])),
    valueCol: col,
  });
  return {
    alpha: values(v.alpha, 'posterior'),
    active: active === null ? null : values(active, 'active posterior'),
    delta: v.delta,
    summary: v.summary,
  };
}

/**
 * An infeasible problem whose conflicting constraints fix a stale name's weight (its current
 * weight, or 0): the message says why those names cannot be traded and the hint how to go on.
 */
export function staleConflict(
  e: InfeasibleError,
  stale: readonly StaleName[],
  current: ArrayLike<number> | undefined | null,
  windowEnd: number,
  staleAfter: number | undefined,
): InfeasibleError {
  // the diagnosis names every name whose bound is in the conflict (its words list only a few when
  // many share one); an older diagnosis without that list is searched by name
  const inConflict = e.diagnosis.assets !== undefined ? new Set(e.diagnosis.assets) : null;
  const text = e.diagnosis.conflicts.join('; ');
  const escape = (a: string): string => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = stale.filter((x) =>
    inConflict !== null ? inConflict.has(x.asset) : new RegExp(`(^|[\\s(,])${escape(x.asset)}([\\s,)]|$)`).test(text),
  );
  if (named.length === 0) return e;
  const after = staleAfter ?? STALE_DATES;
  const one = named.length === 1;
  // current null: replicate's basket, where a stale name is kept out
  const fixed =
    current === null
      ? `so ${one ? 'it is' : 'they are'} kept out of the basket`
      : `so ${one ? 'its weight is' : 'their weights are'} fixed at the current weight (0 without one)`;
  const message = `${e.diagnosis.message}; ${plural(named.length, 'name')} of these ${one ? 'has' : 'have'} ${noReturnIn(named, after)} of the fit window, which ends ${formatIsoDate(windowEnd)}, ${fixed}: ${list6(named.map((x) => `${x.asset} (${staleSince(x)}${current === null ? '' : `, fixed at ${pct(current?.[x.index] ?? 0)}`})`))}`;
  const them = one ? 'it' : 'them';
  return new InfeasibleError(
    { ...e.diagnosis, message },
    current === null
      ? `relax the other constraints named (--exposure-tolerance, --max-weight, --max-names); --stale-after 0 lets ${them} into the basket if ${one ? 'it still trades' : 'they still trade'}`
      : `relax the other constraints named${current === undefined ? '' : `, or trade ${them} outside the optimiser and change --current to match`}; --stale-after 0 lets the optimiser trade ${them} if ${one ? 'it still trades' : 'they still trade'}`,
  );
}

interface WeightFiles {
  benchmark?: AssetValues;
  current?: AssetValues;
  alpha?: AssetValues;
  views?: ViewSpec[];
  marketCaps?: AssetValues;
}

/** --benchmark, --current and --alpha read and checked: one value per asset, weights as fractions. */
async function readWeightFiles(flags: OptimizeFlags, file: ConstraintsFile): Promise<WeightFiles> {
  const budget = flags.budget ?? file.budget ?? 1;
  const out: WeightFiles = {};
  if (flags.benchmark !== undefined && flags.benchmark !== 'equal') {
    out.benchmark = await readAssetFile(flags.benchmark, 'benchmark weights', '--benchmark');
    assertWeightsSum(out.benchmark, '--benchmark', budget);
    // A benchmark far from the budget (a partial file: the top 50 names, Σ = 0.6) makes every
    // active weight and the tracking error about the missing part; a little under (cash) runs.
    let sum = 0;
    for (const x of out.benchmark.values.values()) sum += x;
    const scale = Math.max(1, Math.abs(budget));
    if (Math.abs(sum - budget) > 0.05 * scale + 1e-12)
      throw new InputError(
        `the --benchmark weights sum to ${formatNumber(sum, 6)} over ${plural(out.benchmark.values.size, 'name')}, but the portfolio's sum to ${formatNumber(budget, 6)}${budget === 1 ? '' : ' (--budget)'}: the tracking error would be mostly the difference`,
        {
          file: out.benchmark.file,
          hint: `give the whole benchmark, or divide each weight by their sum, ${formatNumber(sum, 6)}${budget === 1 ? '' : ', times the budget'} (sums within 5% of the budget run, the rest counted as cash)`,
        },
      );
  }
  if (flags.current !== undefined) {
    out.current = await readAssetFile(flags.current, 'current weights', '--current');
    assertWeightsSum(out.current, '--current', budget);
  }
  if (flags.alpha !== undefined) out.alpha = await readAssetFile(flags.alpha, 'alpha', '--alpha');
  if (flags.views !== undefined) out.views = await readViewsFile(flags.views);
  if (flags.marketCaps !== undefined) {
    const caps = await readAssetFile(flags.marketCaps, 'market cap', '--market-caps');
    for (const [asset, v] of caps.values)
      if (v < 0)
        throw new InputError(`the market cap of ${asset} is ${v}: capitalisations and market weights are ≥ 0`, {
          file: caps.file,
          asset,
          hint: 'give each name its market capitalisation (or its weight in the market portfolio)',
        });
    out.marketCaps = caps;
  }
  return out;
}

/**
 * Names without a return in the window's last dates cannot be traded at its end: each is held at
 * its current weight (0 without one: not bought), its min and max weight both that weight. The
 * fixed weight wins over the per-name bounds (--min-weight, --max-weight: a suspended name cannot
 * be sold down to a cap), said in a note; a fixed weight the other constraints cannot live with
 * (short in a long-only book, under --min-position, more names than --max-names) exits 2 naming
 * the names. The note on them goes at `noteAt`.
 */
function fixStaleNames(
  flags: OptimizeFlags,
  n: number,
  constraints: OptimizeConstraints,
  stale: readonly StaleName[],
  current: Float64Array | undefined,
  windowEnd: number,
  notes: string[],
  noteAt: number,
): void {
  const after = flags.staleAfter ?? STALE_DATES;
  const w0 = (i: number): number => current?.[i] ?? 0;
  const held = stale.filter((x) => w0(x.index) !== 0);
  const unheld = stale.filter((x) => w0(x.index) === 0);
  const named = (xs: readonly StaleName[]): string => list6(xs.map((x) => `${x.asset} (${staleSince(x)}, ${pct(w0(x.index))})`));
  const cannot = `${noReturnIn(stale, after)} of the fit window, which ends ${formatIsoDate(windowEnd)}, so ${held.length === 1 ? 'it' : 'they'} cannot be traded there`;
  const ways = '--stale-after 0 if they still trade (only their prices are missing)';
  const short = held.filter((x) => w0(x.index) < 0);
  if (constraints.longOnly && short.length > 0)
    throw new InputError(
      `${plural(short.length, 'name')} short in --current ${short.length === 1 ? 'has' : 'have'} ${cannot}, and the portfolio is long-only: ${named(short)}`,
      {
        ...(flags.current !== undefined ? { file: flags.current } : {}),
        asset: short[0].asset,
        hint: `add --long-short to keep ${short.length === 1 ? 'it' : 'them'} short, or drop ${short.length === 1 ? 'it' : 'them'} from --current (cover outside the optimiser), or ${ways}`,
      },
    );
  const minPosition = constraints.minPosition;
  const small = minPosition === undefined ? [] : held.filter((x) => w0(x.index) < minPosition);
  if (minPosition !== undefined && small.length > 0)
    throw new InputError(
      `${plural(small.length, 'name')} held in --current under the minimum position ${pct(minPosition)} ${small.length === 1 ? 'has' : 'have'} ${cannot}: ${named(small)}`,
      {
        ...(flags.current !== undefined ? { file: flags.current } : {}),
        asset: small[0].asset,
        hint: `lower --min-position to ${pct(Math.min(...small.map((x) => w0(x.index))))} or less, or drop ${small.length === 1 ? 'it' : 'them'} from --current (sell outside the optimiser), or ${ways}`,
      },
    );
  const maxNames = constraints.maxNames;
  if (maxNames !== undefined && held.length > maxNames)
    throw new InputError(
      `--max-names ${maxNames} is fewer than the ${held.length} names held in --current that have ${cannot}: ${named(held)}`,
      {
        ...(flags.current !== undefined ? { file: flags.current } : {}),
        hint: `allow at least ${held.length + 1} names, or drop some of them from --current (sell outside the optimiser), or ${ways}`,
      },
    );
  // per-name bounds: the user's on the tradable names, the current weight on the stale ones
  const lo = constraints.minWeight as number | undefined,
    hi = constraints.maxWeight as number | undefined;
  const minWeight = new Float64Array(n).fill(lo ?? -Infinity),
    maxWeight = new Float64Array(n).fill(hi ?? Infinity);
  for (const x of stale) minWeight[x.index] = maxWeight[x.index] = w0(x.index);
  constraints.minWeight = minWeight;
  constraints.maxWeight = maxWeight;
  const floor = constraints.longOnly ? Math.max(lo ?? 0, 0) : (lo ?? -Infinity);
  const outside = stale.filter((x) => w0(x.index) > (hi ?? Infinity) || w0(x.index) < floor);
  const parts = [
    ...(held.length > 0
      ? [
          `${plural(held.length, 'name')} held fixed at ${held.length === 1 ? 'its current weight' : 'their current weights'}: ${named(held)}`,
        ]
      : []),
    ...(unheld.length > 0
      ? [`${unheld.length} ${constraints.longOnly ? 'not bought' : 'not traded'} (weight 0): ${staleList(unheld)}`]
      : []),
  ];
  notes.splice(
    noteAt,
    0,
    `${plural(stale.length, 'asset')} of the risk model ${stale.length === 1 ? 'has' : 'have'} ${noReturnIn(stale, after)} of the window (delisted or suspended?), so cannot be traded at its end, ${formatIsoDate(windowEnd)}: ${parts.join('; ')}; --stale-after N sets the ${plural(after, 'date')} (0: trade them)`,
    ...(outside.length > 0
      ? [
          `${outside.length === 1 ? '1 of them is' : `${outside.length} of them are`} held outside the per-name bounds (${[...(lo !== undefined ? [`min ${pct(lo)}`] : []), ...(hi !== undefined ? [`max ${pct(hi)}`] : [])].join(', ')}), which bind only the names that can be traded: ${list6(outside.map((x) => `${x.asset} ${pct(w0(x.index))}`))}`,
        ]
      : []),
  );
}

/**
 * Caps written in percent (--max-weight 5 for 5%, --turnover 30, --tracking-error 3) are caps no
 * portfolio reaches: a long-only weight is at most the budget, a long-only turnover at most the
 * budget plus the current gross weight, and an annual tracking error of 100% is no cap anyone
 * sets. They ran unconstrained without a word; refused here naming the flag (or the key of
 * --constraints) and the fraction meant.
 */
export function assertBindingCaps(
  flags: Pick<OptimizeFlags, 'maxWeight' | 'turnover' | 'trackingError' | 'constraints'>,
  constraints: Pick<OptimizeConstraints, 'budget' | 'longOnly' | 'maxWeight' | 'turnover' | 'trackingError'>,
  current: Float64Array | undefined,
): void {
  const name = (flag: string, key: string, given: number | undefined): string =>
    given !== undefined || flags.constraints === undefined ? flag : `"${key}" of --constraints ${flags.constraints}`;
  const refuse = (what: string, value: number, why: string, example: string): never => {
    throw new InputError(`${what} ${formatNumber(value, 6)} ${why}, so it would constrain nothing`, {
      ...(what.startsWith('"') ? { file: flags.constraints } : {}),
      hint: `caps are fractions, not percent: ${example}; leave the cap out for none`,
    });
  };
  const budget = constraints.budget ?? 1;
  const longOnly = constraints.longOnly !== false;
  const maxWeight = typeof constraints.maxWeight === 'number' ? constraints.maxWeight : undefined;
  if (longOnly && maxWeight !== undefined && maxWeight > Math.max(1, budget))
    refuse(
      name('--max-weight', 'maxWeight', flags.maxWeight),
      maxWeight,
      `is above the budget (${formatNumber(budget, 6)}), which no weight of a long-only portfolio exceeds`,
      `${formatNumber(maxWeight / 100, 6)} for ${formatNumber(maxWeight, 6)}%`,
    );
  if (longOnly && constraints.turnover !== undefined) {
    let gross = 0;
    if (current) for (const x of current) gross += Math.abs(x);
    const most = Math.max(budget, 0) + gross;
    if (constraints.turnover > Math.max(2, most))
      refuse(
        name('--turnover', 'turnover', flags.turnover),
        constraints.turnover,
        `is above ${formatNumber(Math.max(2, most), 6)}, and a long-only portfolio trades at most Σ|w − w0| ≤ the budget + Σ|w0| = ${formatNumber(most, 6)} (selling every current holding and buying the budget)`,
        `${formatNumber(constraints.turnover / 100, 6)} for ${formatNumber(constraints.turnover, 6)}%`,
      );
  }
  if (constraints.trackingError !== undefined && constraints.trackingError >= 1)
    refuse(
      name('--tracking-error', 'trackingError', flags.trackingError),
      constraints.trackingError,
      `is an annual tracking error of ${formatNumber(constraints.trackingError * 100, 6)}% (a cap of 100% or more is no cap)`,
      `${formatNumber(constraints.trackingError / 100, 6)} for ${formatNumber(constraints.trackingError, 6)}%`,
    );
}

async function buildSpec(
  flags: OptimizeFlags,
  file: ConstraintsFile,
  files: WeightFiles,
  model: RiskModel,
  exposureFlags: (ReturnType<typeof parseBand> & { relative: 'absolute' | 'active' })[],
  groupFlags: ReturnType<typeof parseBand>[],
  notes: string[],
  leftOut: ReadonlyMap<string, string> = new Map(),
  trading: { stale: readonly StaleName[]; windowEnd: number } = { stale: [], windowEnd: NaN },
): Promise<OptimizeSpec> {
  const noteAt = notes.length; // the stale-name note goes here, before the benchmark's
  // weights on names the risk model left out, with the fit's reason (a constant price is not "no
  // returns or too few in the fit window", which alignAssetValues says of names it cannot know)
  const assertFitted = (v: AssetValues, what: string, flag: string): void => {
    const out = [...v.values].filter(([a, x]) => x !== 0 && leftOut.has(a)).map(([a]) => a);
    if (out.length === 0) return;
    throw new InputError(
      `${plural(out.length, `${what} name`)} ${out.length === 1 ? 'is' : 'are'} not in the risk model, which left ${out.length === 1 ? 'it' : 'them'} out: ${out
        .slice(0, 5)
        .map((a) => `${a} (${leftOut.get(a)})`)
        .join(', ')}${out.length > 5 ? ', ...' : ''}`,
      {
        file: v.file,
        asset: out[0],
        hint: `drop ${out.length === 1 ? 'it' : 'them'} from ${flag}${flag === '--current' ? ' (and sell outside the optimiser: it cannot price a name with no risk model)' : ''}, or widen --start..--end${flags.minObs !== undefined ? ' or lower --min-obs' : ''} so that ${out.length === 1 ? 'it is' : 'they are'} fitted`,
      },
    );
  };
  const n = model.assets.length;
  const { stale } = trading;
  const after = flags.staleAfter ?? STALE_DATES;
  let benchmark: Float64Array | undefined;
  if (flags.benchmark === 'equal') {
    // over the names that can be traded at the window's end: a delisted name at 1/n is a weight
    // no portfolio can match
    const tradable = n - stale.length;
    benchmark = new Float64Array(n).fill(1 / tradable);
    for (const x of stale) benchmark[x.index] = 0;
    notes.push(
      stale.length === 0
        ? `benchmark: equal weights over the ${n} assets of the risk model`
        : `benchmark: equal weights over the ${tradable} of the ${n} assets of the risk model that can be traded at the window's end; the ${plural(stale.length, 'name')} without a return${stale.some((x) => x.unchanged > 0) ? ' or price move' : ''} in its last ${plural(after, 'date')} left out`,
    );
  } else if (files.benchmark !== undefined) {
    const v = files.benchmark;
    assertFitted(v, 'benchmark', '--benchmark');
    benchmark = alignAssetValues(v, model.assets, 'benchmark', true, '--benchmark').aligned;
    notes.push(
      `benchmark: ${flags.benchmark} (${v.values.size} names, Σ = ${formatNumber(
        benchmark.reduce((s, x) => s + x, 0),
        6,
      )})`,
    );
  }
  let current: Float64Array | undefined;
  if (files.current !== undefined) {
    const v = files.current;
    assertFitted(v, 'current holdings', '--current');
    current = alignAssetValues(v, model.assets, 'current holdings', true, '--current').aligned;
  }
  let alpha: Float64Array | undefined;
  if (files.alpha !== undefined) {
    const v = files.alpha;
    const a = alignAssetValues(v, model.assets, 'alpha', false);
    const inModel = new Set(model.assets);
    const known = [...v.values.keys()].filter((name) => inModel.has(name)).length;
    if (known === 0)
      throw new InputError(
        `no asset of --alpha (${sample([...v.values.keys()])}) is in the risk model (${sample(model.assets)}), so the alpha would be ignored`,
        {
          file: flags.alpha,
          hint: assetNamesHint(
            [...v.values.keys()],
            model.assets,
            '--alpha',
            'the risk model',
            `--alpha takes asset,value rows whose asset names are those of ${flags.prices !== undefined ? '--prices' : '--returns'}, spelled exactly`,
          ),
        },
      );
    alpha = a.aligned;
    if (a.missing.length > 0)
      notes.push(
        `alpha: ${plural(a.missing.length, 'name')} of ${flags.alpha} not in the risk model (no returns or too few in the fit window), ignored: ${sample(a.missing)}`,
      );
    // names of the risk model without a value (absent, blank or NaN) enter with alpha 0: say so
    if (known < model.assets.length) {
      const without = model.assets.filter((name) => !v.values.has(name));
      notes.push(
        `alpha: ${known} of the risk model's ${model.assets.length} assets ${known === 1 ? 'has' : 'have'} a value in ${flags.alpha}; the other ${without.length} (${sample(without)}) enter with alpha 0 (no view); give every name a value if 0 is not meant`,
      );
    }
  }
  const exposures: ExposureConstraint[] = [...(file.exposures ?? [])];
  for (const e of exposureFlags) {
    const k = exposures.findIndex((x) => x.factor === e.name);
    const c: ExposureConstraint = {
      factor: e.name,
      relative: e.relative,
      ...(e.min !== undefined ? { min: e.min } : {}),
      ...(e.max !== undefined ? { max: e.max } : {}),
      ...(e.equal !== undefined ? { equal: e.equal } : {}),
    };
    if (k >= 0) exposures[k] = c;
    else exposures.push(c);
  }
  const bands: GroupConstraint[] = [...(file.groups ?? [])];
  for (const g of groupFlags) {
    const c: GroupConstraint = {
      group: g.name,
      relative: benchmark ? 'active' : 'absolute',
      ...(g.min !== undefined ? { min: g.min } : {}),
      ...(g.max !== undefined ? { max: g.max } : {}),
      ...(g.equal !== undefined ? { equal: g.equal } : {}),
    };
    const k = bands.findIndex((x) => x.group === g.name);
    if (k >= 0) bands[k] = c;
    else bands.push(c);
  }
  const neutral = flags.groupNeutral ?? file.groupNeutral ?? false;
  let groups: OptimizeConstraints['groups'];
  if (bands.length > 0 || neutral) {
    if (flags.groups === undefined)
      throw new InputError('group bands and --group-neutral need --groups', { hint: 'give an asset,group CSV with --groups' });
    const g = await loadGroups(flags.groups, { groupCol: flags.groupCol, groupAssetCol: flags.groupAssetCol });
    if (!(g.groups instanceof Map))
      throw new InputError('--groups for optimize must map each asset to one group (no dates)', { file: flags.groups });
    const map = g.groups;
    const labels = model.assets.map((a) => map.get(a) ?? null);
    const without = labels.filter((l) => l === null).length;
    const grouped = n - without;
    // No asset of the risk model in a group, or so few on both sides (of the risk model and of the
    // file) that the names cannot be the same assets: the constraint would do nothing.
    if (grouped === 0 || (grouped < 0.1 * n && grouped < 0.1 * map.size))
      throw new InputError(
        `${grouped === 0 ? 'no' : `only ${grouped} of the ${n}`} asset${grouped === 1 ? '' : 's'} of the risk model (${sample(model.assets)}) ${grouped === 1 ? 'has' : 'have'} a group in --groups (${sample([...map.keys()])}), so ${neutral ? '--group-neutral' : 'the group bands'} would constrain ${grouped === 0 ? 'nothing' : 'almost nothing'}`,
        {
          file: flags.groups,
          hint: assetNamesHint(
            [...map.keys()],
            model.assets,
            '--groups',
            'the risk model',
            `the asset names must match those of ${flags.prices !== undefined ? '--prices' : '--returns'} exactly: check the columns --group-asset-col and --group-col pick`,
          ),
        },
      );
    if (without > 0)
      notes.push(
        `groups: ${plural(without, 'asset')} of the risk model in no group of ${flags.groups} (${sample(model.assets.filter((_, i) => labels[i] === null))}): no group band or --group-neutral constrains them one by one; add them to the file with their group to constrain them`,
      );
    groups = { labels, bands, neutral };
  }
  const constraints: OptimizeConstraints = {
    ...(file.budget !== undefined ? { budget: file.budget } : {}),
    ...(flags.budget !== undefined ? { budget: flags.budget } : {}),
    longOnly: flags.longShort ? false : (file.longOnly ?? true),
    ...((flags.minWeight ?? file.minWeight) !== undefined ? { minWeight: (flags.minWeight ?? file.minWeight) as number } : {}),
    ...((flags.maxWeight ?? file.maxWeight) !== undefined ? { maxWeight: (flags.maxWeight ?? file.maxWeight) as number } : {}),
    exposures,
    ...(groups ? { groups } : {}),
    ...((flags.turnover ?? file.turnover) !== undefined ? { turnover: (flags.turnover ?? file.turnover) as number } : {}),
    ...((flags.trackingError ?? file.trackingError) !== undefined
      ? { trackingError: (flags.trackingError ?? file.trackingError) as number }
      : {}),
    ...((flags.maxNames ?? file.maxNames) !== undefined ? { maxNames: (flags.maxNames ?? file.maxNames) as number } : {}),
    ...((flags.minPosition ?? file.minPosition) !== undefined ? { minPosition: (flags.minPosition ?? file.minPosition) as number } : {}),
  };
  // A negative floor on a long-only book would be clamped to 0 without a word: the user meant shorts.
  if (constraints.longOnly && typeof constraints.minWeight === 'number' && constraints.minWeight < 0)
    throw new InputError(
      `the minimum weight ${formatNumber(constraints.minWeight, 6)} is negative, but the portfolio is long-only (weights ≥ 0), so it would be ignored`,
      {
        ...(flags.minWeight === undefined && flags.constraints !== undefined ? { file: flags.constraints } : {}),
        hint:
          flags.minWeight === undefined && flags.constraints !== undefined
            ? 'set "longOnly": false in the constraints file to allow short positions, or give a minimum weight >= 0'
            : 'add --long-short to allow short positions, or give --min-weight >= 0',
      },
    );
  if (!constraints.longOnly && (flags.maxNames ?? file.maxNames ?? flags.minPosition ?? file.minPosition) !== undefined)
    throw new InputError('--max-names and --min-position need a long-only portfolio', {
      hint: 'drop --long-short (or "longOnly": false), or drop --max-names / --min-position',
    });
  assertBindingCaps(flags, constraints, current);
  if (stale.length > 0) fixStaleNames(flags, n, constraints, stale, current, trading.windowEnd, notes, noteAt);
  const riskAversion = flags.riskAversion ?? file.riskAversion;
  const linearCost = flags.linearCost ?? file.linearCost;
  const tradePenalty = flags.tradePenalty ?? file.tradePenalty;
  // --min-return: PyPortfolioOpt's efficient_return, the least risk whose alphaᵀw reaches the
  // floor; alpha is then the floor's expected returns, not a term of the objective
  const minReturn = flags.minReturn ?? file.minReturn;
  if (minReturn !== undefined) {
    if (!alpha)
      throw new InputError('--min-return (minReturn) is a floor on the expected return alphaᵀw, and there is no --alpha', {
        hint: 'give the expected returns with --alpha FILE (asset,value), or drop the floor',
      });
    // with --views the alpha is the posterior a period and the floor is a year, as the views are
    constraints.returnFloor = { expected: alpha, min: flags.views !== undefined ? minReturn / model.periodsPerYear : minReturn };
  }
  return {
    riskModel: model,
    ...(benchmark ? { benchmark } : {}),
    ...(current ? { current } : {}),
    ...(alpha && minReturn === undefined ? { alpha } : {}),
    ...(riskAversion !== undefined ? { riskAversion } : {}),
    ...(linearCost !== undefined ? { linearCost } : {}),
    ...(tradePenalty !== undefined ? { tradePenalty } : {}),
    constraints,
  };
}

async function writeResult(file: string, result: OptimizationResult, notes: string[]): Promise<void> {
  if (file.toLowerCase().endsWith('.json')) return writeJsonAtomic(file, { ...result.toJSON(), notes: [...notes, ...result.data.notes] });
  return writeTable(
    file,
    result.holdings().map((h) => ({ ...h })),
  );
}

function renderResult(r: OptimizationResult, notes: string[], flags: OptimizeFlags): string[] {
  const d = r.data;
  const fig = (v: number): number => solverFigure(v, d.solver.kkt.primal); // solver noise printed as 0
  const held = r
    .holdings()
    .filter((h) => h.weight !== 0)
    .sort((a, b) => b.weight - a.weight);
  const lines = [
    `factorlab optimize: ${held.length} of ${plural(d.assets.length, 'asset')} held; ${d.benchmark ? 'tracking error' : 'volatility'} ${pct(fig(d.risk.trackingError))} a year (ex-ante)` +
      (d.maxSharpe !== undefined ? `; maximum Sharpe ratio ${formatNumber(d.maxSharpe.annualisedSharpe, 4)} a year` : ''),
    ...notes.map((n) => `  ${n}`),
    ...d.notes.map((n) => `  note: ${n}`),
    '',
  ];
  const shown = held.slice(0, flags.limit);
  // --views: each name's market weight and posterior expected return beside its weight
  const bl = d.blackLitterman;
  const blRow = new Map((bl?.returns ?? []).map((x) => [x.asset, x]));
  lines.push(
    table(
      ['asset', 'weight', ...(d.benchmark ? ['benchmark', 'active'] : []), 'trade', ...(bl ? ['market', 'posterior a year'] : [])],
      shown.map((h) => [
        h.asset,
        pct(h.weight),
        ...(d.benchmark ? [pct(h.benchmark ?? 0), pct(fig(h.active ?? 0))] : []),
        pct(fig(h.trade)),
        ...(bl ? [pct(blRow.get(h.asset)?.marketWeight ?? NaN), pct(blRow.get(h.asset)?.posterior ?? NaN)] : []),
      ]),
      { indent: 2, align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'] },
    ),
  );
  if (held.length > shown.length) lines.push(`  ... ${held.length - shown.length} more (--limit, or --out to write them all)`);
  if (bl)
    lines.push(
      '',
      table(
        ['view', 'stated a year', 'prior', 'posterior', 'confidence'],
        bl.views.map((v) => [
          v.name,
          pct(v.value),
          pct(v.prior),
          pct(v.posterior),
          v.confidence === null ? 'default (ω = τ·pᵀΣp)' : v.omega === null ? '0% (no effect)' : pct(v.confidence, 4),
        ]),
        { indent: 2, align: ['left', 'right', 'right', 'right', 'left'] },
      ),
    );
  lines.push(
    '',
    table(
      ['factor', 'portfolio', ...(d.benchmark ? ['benchmark', 'active'] : [])],
      d.factors.map((f, j) => [
        f,
        formatNumber(d.exposures.portfolio[j], 4),
        ...(d.exposures.benchmark
          ? [formatNumber(d.exposures.benchmark[j], 4), formatNumber(fig(d.exposures.portfolio[j] - d.exposures.benchmark[j]), 4)]
          : []),
      ]),
      { indent: 2, align: ['left', 'right', 'right', 'right'] },
    ),
  );
  const dec = d.risk.activeDecomposition ?? d.risk.decomposition;
  // no variance (nothing held, or the benchmark held exactly, to the solve's resolution): no split of it
  const split =
    Number.isFinite(dec.shares.systematic) && fig(d.risk.trackingError) !== 0
      ? `factors ${pct(shareFigure(dec.shares.systematic), 3)} of the variance, specific ${pct(shareFigure(dec.shares.specific), 3)}`
      : 'no variance to split';
  lines.push(
    '',
    `  risk      volatility ${pct(d.risk.volatility)}, ${d.benchmark ? 'active' : 'total'} risk ${pct(fig(d.risk.trackingError))}: ${split}`,
  );
  lines.push(`  turnover  ${pct(fig(d.turnover.twoWay))} two-way (Σ|Δw|), ${pct(fig(d.turnover.oneWay))} one-way`);
  const floor = d.constraints.find((c) => c.kind === 'return');
  if (d.maxSharpe !== undefined)
    lines.push(
      `  Sharpe    ${formatNumber(d.maxSharpe.annualisedSharpe, 4)} a year (${formatNumber(d.maxSharpe.sharpe, 4)} a period), the highest under these constraints (--max-sharpe): alphaᵀw ${formatNumber(d.maxSharpe.expectedReturn, 6)} a period, volatility ${pct(d.maxSharpe.volatility)}; tangency ${formatNumber(d.maxSharpe.tangency, 10)} (1 at the maximum)`,
    );
  else if (floor !== undefined)
    lines.push(
      `  return    alphaᵀw ${formatNumber(floor.value, 6)} against the floor ${formatNumber(floor.min ?? NaN, 6)} (--min-return; alpha is not in the objective): ${floor.atBound === 'min' ? 'binding' : 'not binding'}`,
    );
  if (d.trackingErrorCap)
    lines.push(
      `  TE cap    ${pct(d.trackingErrorCap.cap)}: ${d.trackingErrorCap.binding ? `binding (γ = ${formatNumber(d.trackingErrorCap.riskAversion, 4)} after ${d.trackingErrorCap.bisectionSteps} bisection steps)` : 'not binding'}`,
    );
  if (d.cardinality)
    lines.push(
      `  names     ${d.cardinality.names} held${d.cardinality.maxNames !== null ? ` (at most ${d.cardinality.maxNames})` : ''}, ${d.cardinality.method === 'elimination' ? `support of ${d.cardinality.support} by backward elimination (${d.cardinality.milpStatus === 'optimal' ? "a lower objective than the MILP's" : `the MILP stopped before optimality (status ${d.cardinality.milpStatus}, e.g. its time limit) and gave none better`})` : `MILP support of ${d.cardinality.support}`}${exchangesText(d.cardinality.swaps)}; objective ${formatNumber(d.cardinality.objective, 4)} vs continuous ${formatNumber(d.cardinality.relaxedObjective, 4)}: gap ${formatNumber(d.cardinality.gap, 3)}`,
    );
  const s = d.solver;
  lines.push(
    `  solver    ${s.status}, ${s.iterations} ADMM iterations in ${s.solves} solve${s.solves > 1 ? 's' : ''}, polish ${s.polish.status}; KKT residuals: primal ${formatNumber(s.kkt.primal, 2)}, stationarity ${formatNumber(s.kkt.stationarity, 2)}, complementarity ${formatNumber(s.kkt.complementarity, 2)}; ${formatNumber(s.milliseconds, 3)} ms`,
  );
  if (d.frontier !== undefined) {
    const against = d.benchmark !== null;
    lines.push(
      '',
      `  efficient frontier (--frontier): ${d.frontier.points.length} least-risk portfolios, expected return alphaᵀw from ${formatNumber(d.frontier.minReturn, 6)} to ${formatNumber(d.frontier.maxReturn, 6)} a period`,
      table(
        ['alphaᵀw a period', 'a year', against ? 'tracking error' : 'volatility', against ? 'information ratio' : 'Sharpe ratio', 'names'],
        d.frontier.points.map((p) => [
          formatNumber(p.expectedReturn, 6),
          pct(p.expectedReturn * d.risk.periodsPerYear),
          pct(p.risk),
          Number.isNaN(p.ratio) ? '-' : formatNumber(p.ratio, 4),
          String(p.names),
        ]),
        { indent: 4, align: ['right', 'right', 'right', 'right', 'right'] },
      ),
    );
  }
  const wrote = [flags.out, flags.report].filter((x): x is string => x !== undefined);
  if (wrote.length > 0) lines.push('', `  wrote ${wrote.join(', ')}`);
  if (flags.svg !== undefined) lines.push(`  wrote the report's charts into ${flags.svg}`);
  return lines;
}
