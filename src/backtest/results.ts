/**
 * BacktestResults: what a backtest returns (the convention of exposures' `ExposureResults` and
 * signals' `FactorAnalysisResults`: the results object holds the run, its settings and everything
 * computed from them; its JSON form is the CLI's).
 *
 * - {@link backtest} runs the engine (`runBacktest`) and wraps the run; {@link backtestResults}
 *   wraps a run made elsewhere (the CLI checks the run with its own messages in between).
 * - The settings that describe the strategy (rule, schedule, execution lag, costs, capital,
 *   periods per year and where they came from, the universe / signal / benchmark in words, how
 *   many rebalances' weights and trades the JSON lists) are options of the results, not flags of
 *   the CLI: `strategy` = "RULE, SCHEDULE, trading at the next close" (or "L rows after the signal").
 * - Computed on first use and kept: {@link BacktestResults.performance} (net and gross statistics,
 *   `performance.ts`, over the statistics' period: from the execution of the first rebalance that
 *   holds something to the last row, so a signal's warm-up in cash (12-1 momentum's first year) is
 *   not averaged in; against the benchmark on the periods of it where it has a return),
 *   {@link BacktestResults.drawdown} (N_t / max_{s≤t} N_s − 1 of the net NAV),
 *   {@link BacktestResults.summary}, and the factor exposures through time
 *   ({@link BacktestResults.withExposures}: they need a factor frame, which a backtest does not).
 * - {@link BacktestResults.toJSON} is exactly the JSON `factorlab backtest --json` prints and
 *   `--out` writes; {@link BacktestResults.navRows}, {@link BacktestResults.weightsRows} and
 *   {@link BacktestResults.tradesRows} are the rows of `--nav-out`, `--weights-out` and `--trades-out`
 *   (every trade: the rebalances' and the forced sales, with the reason).
 *
 * Definitions: the engine's timeline (engine.ts), the statistics (performance.ts), docs/definitions.md#annualisation.
 */
import { detectFrequency, mapCalendar } from '../core/calendar.js';
import { formatIsoDate } from '../core/dates.js';
import { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import { Table } from '../core/table.js';
import { equalWeightReturns, seriesReturns } from './benchmark.js';
import { BACKTEST_OPTION_NAMES, runBacktestInner, type BacktestOptions, type BacktestResult, type ForcedSale } from './engine.js';
import { checkInteger, checkLength, checkOptionNames, checkPositive, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { strategyExposures, type StrategyExposures } from './exposures.js';
import { drawdownSeries, performance, type Performance } from './performance.js';
import { describeSchedule, type Schedule } from './schedule.js';
import type { SignalSource } from './signal.js';
import type { UniverseSpec } from './universe.js';

/** The strategy's settings as the JSON states them (a type, not an interface: a plain record of the report's `settings`). */
export type BacktestSettings = {
  rule: string;
  schedule: string;
  executionLag: number;
  costBps: number;
  minCost: number;
  capital: number;
  /** Rows in a row a held name may have no price and stay held at its last price (the engine's `maxGap`). */
  maxGap: number;
  periodsPerYear: number;
  periodsPerYearSource: string;
  universe: string;
  signal: string;
  benchmark?: string;
};

/**
 * The headline numbers of the run. The means are over the statistics' period (see
 * {@link BacktestSummary.statisticsFirstDate}): its rows, and the rebalances executed in it.
 */
export interface BacktestSummary {
  /** The run's reported rows: from the first execution row (NAV 1) to the last. */
  firstDate: string;
  lastDate: string;
  rows: number;
  rebalances: number;
  /**
   * The period the statistics (`performance`) and the means cover: from the execution of the first
   * rebalance that holds something to `lastDate`, `statisticsRows` rows. The rows before it (a signal
   * still warming up: cash, NAV 1) are left out; it is `firstDate` when the first rebalance holds something.
   */
  statisticsFirstDate: string;
  statisticsRows: number;
  /** Mean Σ|Δw| per rebalance, and its half. */
  meanTurnover: number;
  meanOneWayTurnover: number;
  /** Σ of the rows' costs (fractions of NAV). */
  totalCost: number;
  /** Mean names held at the close. */
  meanHoldings: number;
  forcedSales: number;
  /** Rows × names a held name was carried at its last price without a price of its own (a gap of at most `maxGap` rows). */
  heldWithoutPrice: number;
}

/**
 * Why a trade was made: `rebalance` (the rule's target), or a forced sale of a held name: `forced: no
 * price` (a member without a price for more than `maxGap` rows in a row: sold at its last price) or `forced: left the universe` (sold at the close).
 */
export type TradeReason = 'rebalance' | 'forced: no price' | 'forced: left the universe';

/** The reasons a trade's `reason` code indexes, in order. */
const TRADE_REASONS: readonly TradeReason[] = ['rebalance', 'forced: no price', 'forced: left the universe'];

/** Every trade as columns (BacktestResults' tradeColumns). */
interface TradeColumns {
  dates: string[];
  date: Int32Array;
  signalDate: Int32Array;
  asset: Int32Array;
  before: Float64Array;
  after: Float64Array;
  delta: Float64Array;
  reason: Int32Array;
}

/** One weight of a rebalance in the JSON. */
export interface BacktestWeightJson {
  asset: string;
  weight: number;
}

/** One trade of the JSON's `trades` (the rows of `--trades-out`). */
export interface BacktestTradeJson {
  date: string;
  /** The signal date of the rebalance; null for a forced sale on a row that is not a rebalance. */
  signalDate: string | null;
  asset: string;
  before: number;
  after: number;
  delta: number;
  reason: TradeReason;
}

/**
 * The strategy's factor exposures through time as JSON, on `series.dates` (NaN as null): the
 * rolling regression of its (excess) net return (const, the factors, r2, residual_std, nobs) and
 * the holdings-weighted exposures Σ w_i β_i with the share of the book they cover.
 */
export interface BacktestExposuresJson {
  factors: string[];
  window: number;
  riskFree: string | null;
  regression: Record<string, (number | null)[]>;
  holdings?: { exposures: Record<string, (number | null)[]>; coveredWeight: (number | null)[]; assetsUsed: number[] };
}

/** The JSON of a backtest: what `factorlab backtest --json` prints and `--out` writes. */
export interface BacktestJson {
  strategy: string;
  settings: BacktestSettings;
  notes: string[];
  /**
   * Net and gross statistics over the statistics' period (`summary.statisticsFirstDate` ..
   * `lastDate`, `periods` rows); the max drawdown's rows index `series`.
   */
  performance: { net: Performance; gross: Performance };
  summary: BacktestSummary;
  series: {
    dates: string[];
    navGross: number[];
    navNet: number[];
    grossReturns: number[];
    netReturns: number[];
    costs: number[];
    turnover: number[];
    holdings: number[];
    benchmarkReturns?: number[];
    /** Σw and Σ|w| at each row's close; the net NAV's drawdown from its running peak. */
    netExposure: number[];
    grossExposure: number[];
    drawdown: number[];
  };
  rebalances: {
    signalDate: string;
    date: string;
    turnover: number;
    oneWayTurnover: number;
    cost: number;
    holdings: number;
    unfilled: number;
    /** Weights after the rebalance (every rebalance with `detail`; else the last one only). */
    weights: BacktestWeightJson[];
  }[];
  /**
   * Every trade (with `detail`; else none), in date order: the rebalances' and the forced sales on
   * other rows (a held name without a price, sold at its last price, or one that left the universe).
   * The rows of `--trades-out`; a rebalance's trades are those of its `date` with its `signalDate`.
   */
  trades: BacktestTradeJson[];
  forcedSales: { date: string; asset: string; weight: number; reason: string }[];
  /** The strategy's factor exposures through time (with {@link BacktestResults.withExposures}). */
  exposures?: BacktestExposuresJson;
}

/**
 * {@link BacktestJson} with its long lists as {@link Table}s ({@link BacktestResults.jsonDocument}):
 * `trades` (the columns of {@link BacktestTradeJson}) and each rebalance's `weights` (asset,
 * weight). Its JSON text is the same.
 */
export type BacktestJsonDocument = Omit<BacktestJson, 'rebalances' | 'trades'> & {
  rebalances: (Omit<BacktestJson['rebalances'][number], 'weights'> & { weights: Table })[];
  trades: Table;
};

/** The strategy in words (defaults in brackets). */
export interface BacktestDescription {
  /** The rule's name, `settings.rule` ('custom'). */
  rule?: string;
  /** The rule in words, the start of `strategy` ('a custom rule'). */
  ruleText?: string;
  /** The universe ('static: the N assets of the prices', or the membership's interval count). */
  universe?: string;
  /** The signal ('none' without one, else 'the given signal'). */
  signal?: string;
  /** The benchmark, when there is one. */
  benchmark?: string;
}

/** What a run's results are made of besides the run and the prices. */
export interface BacktestResultsOptions {
  schedule: Schedule;
  /** As given to the engine (defaults 1, 0, 0, 1). */
  executionLag?: number;
  costBps?: number;
  minCost?: number;
  capital?: number;
  /** The universe the run used (default static); for the default description only. */
  universe?: UniverseSpec;
  /** The run's signal, if any; for the default description only. */
  signal?: SignalSource;
  description?: BacktestDescription;
  /** Benchmark returns on the run's rows (NaN where it has none: those periods are left out of the benchmark statistics). */
  benchmarkReturns?: Float64Array;
  /** Periods per year for annualising (default: from the price calendar, `detectFrequency`). */
  periodsPerYear?: number;
  /** Where periodsPerYear came from, in words (default 'given' or 'from the price calendar (FREQUENCY)'). */
  periodsPerYearSource?: string;
  /** What was read, found and done before the run; the JSON's notes (the results add the benchmark's). */
  notes?: readonly string[];
  /** List every rebalance's weights and trades in the JSON (default true); else the last rebalance's weights only. */
  detail?: boolean;
}

/** The factor frame of {@link BacktestResults.withExposures} and how to regress on it. */
export interface BacktestExposureOptions {
  /** Rows in each rolling window (at least the number of factors + 2, at most the dates shared with the backtest). */
  window: number;
  /** The risk-free column of the factors: subtracted, not a regressor (default none). */
  riskFree?: string;
  /** Notes on the factors (what was read), added to the results' notes before the exposures' own. */
  notes?: readonly string[];
}

/** A benchmark for {@link backtest}: the universe equal-weighted, or a level series (an index, one asset). */
export type BacktestBenchmark = 'equal' | { levels: ArrayLike<number>; dates: ArrayLike<number>; text?: string };

/** {@link backtest}'s options: the engine's, what the results say about it, a benchmark and factors. */
export interface BacktestRunOptions
  extends
    BacktestOptions,
    Omit<
      BacktestResultsOptions,
      'schedule' | 'executionLag' | 'costBps' | 'minCost' | 'capital' | 'universe' | 'signal' | 'benchmarkReturns'
    > {
  benchmark?: BacktestBenchmark;
  /** Factor returns for the exposures through time (then the holdings are recorded too). */
  exposures?: BacktestExposureOptions & { factors: Frame };
}

/**
 * Runs a backtest (`runBacktest`) and returns its results: statistics with `periodsPerYear`
 * (default from the price calendar), against the benchmark when there is one, and the factor
 * exposures through time when `exposures` gives the factors.
 */
export function backtest(prices: Panel, options: BacktestRunOptions): BacktestResults {
  checkOptionNames<BacktestRunOptions>('backtest options', options, {
    ...BACKTEST_OPTION_NAMES,
    description: true,
    periodsPerYear: true,
    periodsPerYearSource: true,
    notes: true,
    detail: true,
    benchmark: true,
    exposures: true,
  });
  // benchmark and factors of the wrong shape failed with a TypeError deep inside (exit 1): say what they must be
  const b = options.benchmark;
  if (b !== undefined && b !== 'equal' && (typeof b !== 'object' || b === null || !isArrayLike(b.levels) || !isArrayLike(b.dates)))
    throw new InputError(
      `benchmark must be 'equal' or { levels, dates } (a level series and its day numbers), got ${typeof b === 'object' && b !== null ? 'an object without levels and dates' : describeValue(b)}`,
      { options: ['benchmark'] },
    );
  if (options.exposures !== undefined) checkFactorFrame('exposures.factors', options.exposures.factors);
  const recordHoldings = options.recordHoldings === true || options.exposures !== undefined;
  const run = runBacktestInner(prices, { ...options, recordHoldings });
  let benchmarkReturns: Float64Array | undefined;
  let benchmarkText: string | undefined;
  if (b === 'equal') {
    benchmarkReturns =
      run.firstRow < 0
        ? new Float64Array(0)
        : equalWeightReturns(prices, options.universe ?? { kind: 'static' }, run.firstRow, run.dates.length);
    benchmarkText = 'the universe equal-weighted, rebalanced every row';
  } else if (b !== undefined) {
    benchmarkReturns = seriesReturns(b.levels, Int32Array.from(b.dates), run.dates);
    benchmarkText = b.text ?? 'the given series';
  }
  const results = backtestResults(run, prices, {
    ...options,
    benchmarkReturns,
    description: { ...(benchmarkText !== undefined ? { benchmark: benchmarkText } : {}), ...options.description },
  });
  return options.exposures === undefined ? results : results.withExposures(options.exposures.factors, options.exposures);
}

/** The results of a run of `runBacktest` on `prices` with `options` (the engine's settings again, and the descriptions). */
export function backtestResults(run: BacktestResult, prices: Panel, options: BacktestResultsOptions): BacktestResults {
  return new BacktestResults(run, prices, options);
}

const arr = (x: ArrayLike<number>): number[] => Array.from(x);
const isArrayLike = (x: unknown): boolean => Array.isArray(x) || ArrayBuffer.isView(x);

/** Factor returns must be a Frame (a plain record or a Panel failed on `.columns` with a TypeError). */
function checkFactorFrame(name: string, factors: unknown): void {
  if (factors instanceof Frame) return;
  const kind = (factors as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const got =
    typeof factors === 'object' && factors !== null && !Array.isArray(factors) && !ArrayBuffer.isView(factors)
      ? kind === 'Object' || typeof kind !== 'string'
        ? 'a plain object'
        : `a ${kind}`
      : describeValue(factors);
  throw new InputError(`${name} must be a Frame of factor returns (Frame.fromRecord or readFrame makes one), got ${got}`);
}
const nullable = (x: ArrayLike<number>): (number | null)[] => Array.from(x, (v) => (Number.isFinite(v) ? v : null));

/** Exposures attached by withExposures: their inputs, and the exposures once computed. */
interface ExposureState {
  factors: Frame;
  window: number;
  riskFree?: string;
  notes: readonly string[];
  value?: StrategyExposures;
}

/**
 * The results of a backtest: the engine's run (`run`: NAVs, returns, costs, turnover, holdings,
 * rebalances, forced sales), its settings and notes, the statistics and exposures computed on
 * first use, table rows, and its JSON form, which is exactly what `factorlab backtest --json` prints.
 */
export class BacktestResults {
  /** The engine's run (typed arrays on the reported rows t₀ .. to). */
  readonly run: BacktestResult;
  /** "RULE, SCHEDULE, trading at the next close" (or "L rows after the signal"). */
  readonly strategy: string;
  readonly settings: Readonly<BacktestSettings>;
  /** What was read, found and done (the caller's notes, then the benchmark's and the exposures'). */
  readonly notes: readonly string[];
  /** Benchmark returns on the run's rows, when there is a benchmark. */
  readonly benchmarkReturns: Float64Array | undefined;
  /** Whether the JSON lists every rebalance's weights and trades. */
  readonly detail: boolean;
  readonly #prices: Panel;
  readonly #options: Readonly<BacktestResultsOptions>;
  readonly #exposures: ExposureState | undefined;
  #performance: { net: Performance; gross: Performance } | undefined;
  #drawdown: Float64Array | undefined;
  #summary: BacktestSummary | undefined;
  #tradeCols: TradeColumns | undefined;

  constructor(run: BacktestResult, prices: Panel, options: BacktestResultsOptions, exposures?: ExposureState) {
    this.run = run;
    this.#prices = prices;
    this.#options = { ...options };
    this.#exposures = exposures;
    const d = options.description ?? {};
    const lag = options.executionLag ?? 1;
    const schedule = describeSchedule(options.schedule);
    const ruleText = d.ruleText ?? 'a custom rule';
    this.strategy = `${ruleText}, ${schedule}, trading ${lag === 1 ? 'at the next close' : `${lag} rows after the signal`}`;
    // the caller's: an InputError naming it (0, a negative or a string was kept in the settings and
    // failed later, or annualised with a coerced number)
    let ppy = options.periodsPerYear === undefined ? undefined : checkPositive('periodsPerYear', options.periodsPerYear);
    let source = options.periodsPerYearSource ?? 'given';
    if (ppy === undefined) {
      const freq = detectFrequency(prices.dates);
      ppy = freq.periodsPerYear;
      if (!(ppy > 0))
        throw new InputError(`cannot tell periods per year from the price dates (${freq.frequency})`, {
          hint: 'give periodsPerYear (252 for daily prices, 52 weekly, 12 monthly)',
          options: ['periodsPerYear'],
        });
      source = options.periodsPerYearSource ?? `from the price calendar (${freq.frequency})`;
    }
    // benchmark returns pair with the run's rows by position: another length paired them silently wrong
    if (options.benchmarkReturns !== undefined)
      checkLength('benchmarkReturns', options.benchmarkReturns.length, run.dates.length, "one per row of the run's dates");
    const universe = options.universe ?? { kind: 'static' };
    this.settings = {
      rule: d.rule ?? 'custom',
      schedule,
      executionLag: lag,
      costBps: options.costBps ?? 0,
      minCost: options.minCost ?? 0,
      capital: options.capital ?? 1,
      maxGap: run.maxGap,
      periodsPerYear: ppy,
      periodsPerYearSource: source,
      universe:
        d.universe ??
        (universe.kind === 'static'
          ? `static: the ${prices.nAssets} assets of the prices`
          : `point-in-time membership (${universe.intervals.length} intervals, start <= t < end)`),
      signal: d.signal ?? (options.signal === undefined ? 'none' : 'the given signal'),
      ...(d.benchmark ? { benchmark: d.benchmark } : {}),
    };
    const notes = [...(options.notes ?? [])];
    const b = options.benchmarkReturns;
    if (b !== undefined) {
      let dropped = 0;
      for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i])) dropped++;
      if (dropped > 0)
        notes.push(
          `benchmark: ${dropped} of ${b.length} periods have no benchmark return and are left out of its statistics (its total and annual return too, not only tracking error, IR, beta and alpha)`,
        );
    }
    if (exposures !== undefined) notes.push(...exposureNotes(run, exposures));
    this.notes = notes;
    this.benchmarkReturns = b;
    this.detail = options.detail ?? true;
  }

  /** The asset names of the prices (the run's asset columns index them). */
  get assets(): readonly string[] {
    return this.#prices.assets;
  }

  /** The options the results were made with. */
  get options(): Readonly<BacktestResultsOptions> {
    return this.#options;
  }

  /**
   * The first row (of the run's reported rows) of the statistics' period: the execution row of the
   * first rebalance that holds something (0 when none does). The rows before it hold only cash: a
   * signal still warming up (12-1 momentum's first year), a factor that starts later. Counting them
   * would dilute the annual return, volatility, hit rate and mean holdings with zero returns.
   */
  get statisticsStart(): number {
    const run = this.run;
    const first = run.rebalances.find((r) => r.holdings > 0);
    return first === undefined ? 0 : first.row - run.firstRow;
  }

  /**
   * Net and gross statistics (performance.ts) with the settings' periods per year, over the
   * statistics' period ({@link statisticsStart} to the last row); with a benchmark, its statistics
   * on the periods of it where it has a return, its return over the period's first row 0 as on
   * the run's first row (see {@link statisticsBenchmark}). The max drawdown's rows index the run's rows (a peak
   * "before the first return" of the period is its row before, NAV 1). Computed on first use.
   */
  get performance(): { net: Performance; gross: Performance } {
    if (this.#performance === undefined) {
      const run = this.run,
        ppy = this.settings.periodsPerYear,
        k = this.statisticsStart,
        b = this.benchmarkReturns === undefined ? undefined : statisticsBenchmark(this.benchmarkReturns, k);
      const netR = run.netReturns.subarray(k),
        grossR = run.grossReturns.subarray(k);
      const net = performance(netR, { periodsPerYear: ppy });
      const gross = performance(grossR, { periodsPerYear: ppy });
      if (b !== undefined) {
        const keep: number[] = [];
        for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) keep.push(i);
        const bench = Float64Array.from(keep, (i) => b[i]);
        const pick = (r: Float64Array) => (keep.length === r.length ? r : Float64Array.from(keep, (i) => r[i]));
        net.benchmark = performance(pick(netR), { periodsPerYear: ppy, benchmark: bench }).benchmark;
        gross.benchmark = performance(pick(grossR), { periodsPerYear: ppy, benchmark: bench }).benchmark;
      }
      shiftDrawdownRows(net, k);
      shiftDrawdownRows(gross, k);
      this.#performance = { net, gross };
    }
    return this.#performance;
  }

  /** The net NAV's drawdown from its running peak, per row (performance.ts `drawdownSeries`). Computed on first use. */
  get drawdown(): Float64Array {
    return (this.#drawdown ??= drawdownSeries(this.run.netReturns));
  }

  /**
   * Dates, rows, rebalances, the statistics' period, mean turnover per rebalance and mean holdings
   * (over the statistics' period), total cost, forced sales. Computed on first use.
   */
  get summary(): BacktestSummary {
    if (this.#summary === undefined) {
      const run = this.run,
        k = this.statisticsStart,
        startRow = run.firstRow + k;
      const rb = run.rebalances.filter((r) => r.row >= startRow);
      const mean = (f: (r: (typeof rb)[number]) => number) => rb.reduce((a, r) => a + f(r), 0) / rb.length;
      let totalCost = 0,
        holdings = 0;
      for (let i = 0; i < run.costs.length; i++) {
        totalCost += run.costs[i];
        if (i >= k) holdings += run.holdings[i];
      }
      this.#summary = {
        firstDate: formatIsoDate(run.dates[0]),
        lastDate: formatIsoDate(run.dates[run.dates.length - 1]),
        rows: run.dates.length,
        rebalances: run.rebalances.length,
        statisticsFirstDate: formatIsoDate(run.dates[k]),
        statisticsRows: run.dates.length - k,
        meanTurnover: mean((r) => r.turnover),
        meanOneWayTurnover: mean((r) => r.oneWayTurnover),
        totalCost,
        meanHoldings: holdings / (run.holdings.length - k),
        forcedSales: run.forcedSales.length,
        heldWithoutPrice: run.heldWithoutPrice,
      };
    }
    return this.#summary;
  }

  /** The factor exposures through time, when attached ({@link withExposures}); computed on first use. */
  get exposures(): StrategyExposures | undefined {
    const e = this.#exposures;
    if (e === undefined) return undefined;
    return (e.value ??= strategyExposures(this.run, this.#prices, e.factors, { window: e.window, riskFree: e.riskFree }));
  }

  /**
   * The same results with the strategy's factor exposures through time (backtest/exposures.ts
   * `strategyExposures`: the rolling regression of its (excess) net return on the factors, and
   * the holdings-weighted betas when the run recorded its holdings), computed on first use. Adds
   * the factors' notes and a note saying what was regressed on how many shared dates.
   */
  withExposures(factors: Frame, options: BacktestExposureOptions): BacktestResults {
    // the caller's options and factors: InputErrors naming them (they were RangeErrors: exit 1 in a CLI)
    checkFactorFrame('factors', factors);
    const rf = options.riskFree;
    if (rf !== undefined && (typeof rf !== 'string' || !factors.columns.includes(rf)))
      throw new InputError(
        typeof rf === 'string'
          ? `riskFree: no column ${JSON.stringify(rf)} among the factors`
          : `riskFree must be the name of a column of the factors, got ${describeValue(rf)}`,
        {
          hint: `the factor columns are ${factors.columns.join(', ')}; leave riskFree out to regress on every column`,
          options: ['riskFree'],
        },
      );
    const names = factors.columns.filter((c) => c !== rf);
    if (names.length === 0)
      throw new InputError(`the factors have no column besides the risk-free one (${rf})`, {
        hint: 'give factor returns (e.g. mkt_rf, smb, hml) besides the risk-free rate',
      });
    checkInteger(
      'window',
      options.window,
      names.length + 2,
      Infinity,
      `a whole number of rows >= ${names.length + 2} for ${names.length} factor${names.length === 1 ? '' : 's'} (a slope each, the constant and one more)`,
    );
    const shared = sharedDates(this.run, factors);
    if (shared < options.window)
      throw new InputError(
        `the factors share ${shared} of the backtest's ${this.run.dates.length} dates: fewer than the window ${options.window}`,
        { hint: "give factors of the prices' frequency covering the backtest, or a shorter window" },
      );
    return new BacktestResults(this.run, this.#prices, this.#options, {
      factors,
      window: options.window,
      riskFree: rf,
      notes: [...(options.notes ?? [])],
    });
  }

  /** Rows of `--nav-out`: date, nav_net, nav_gross, net_return, gross_return, cost, turnover, holdings[, benchmark_return]. */
  navRows(): Record<string, string | number>[] {
    const r = this.run,
      b = this.benchmarkReturns;
    return Array.from(r.dates, (d, i) => ({
      date: formatIsoDate(d),
      nav_net: r.navNet[i],
      nav_gross: r.navGross[i],
      net_return: r.netReturns[i],
      gross_return: r.grossReturns[i],
      cost: r.costs[i],
      turnover: r.turnover[i],
      holdings: r.holdings[i],
      ...(b ? { benchmark_return: b[i] } : {}),
    }));
  }

  /** Rows of `--weights-out`: date, asset, weight after each rebalance (every rebalance, whatever `detail`). */
  weightsRows(): { date: string; asset: string; weight: number }[] {
    return this.weightsTable().toRecords() as { date: string; asset: string; weight: number }[];
  }

  /** {@link weightsRows} as columns (`date`, `asset`, `weight`): what `--weights-out` writes, without an object per row. */
  weightsTable(): Table {
    const rb = this.run.rebalances;
    let n = 0;
    for (const r of rb) if (r.weights !== undefined) n += r.weights.assets.length;
    const date = new Int32Array(n),
      asset = new Int32Array(n),
      weight = new Float64Array(n);
    const dates: string[] = [];
    let i = 0;
    for (const r of rb) {
      const w = r.weights;
      if (w === undefined) continue;
      date.fill(dates.length, i, i + w.assets.length);
      dates.push(formatIsoDate(r.date));
      asset.set(w.assets, i);
      weight.set(w.weights, i);
      i += w.assets.length;
    }
    return new Table([
      { name: 'date', kind: 'text', codes: date, dictionary: dates },
      { name: 'asset', kind: 'text', codes: asset, dictionary: this.#prices.assets },
      { name: 'weight', kind: 'number', values: weight },
    ]);
  }

  /**
   * Rows of `--trades-out`: date, signal_date, asset, before, after, delta, reason of every trade
   * (whatever `detail`), in date order: each rebalance's, and the forced sales on rows that are not
   * rebalances (signal_date null: a held name without a price, sold at its last price, or one that
   * left the universe). `reason` is `rebalance` or `forced: ...` ({@link TradeReason}).
   */
  tradesRows(): {
    date: string;
    signal_date: string | null;
    asset: string;
    before: number;
    after: number;
    delta: number;
    reason: TradeReason;
  }[] {
    return this.tradesTable().toRecords() as ReturnType<BacktestResults['tradesRows']>;
  }

  /** {@link tradesRows} as columns: what `--trades-out` writes, without an object per row. */
  tradesTable(): Table {
    const t = this.#tradeColumns();
    return new Table([
      { name: 'date', kind: 'text', codes: t.date, dictionary: t.dates },
      { name: 'signal_date', kind: 'text', codes: t.signalDate, dictionary: t.dates },
      { name: 'asset', kind: 'text', codes: t.asset, dictionary: this.#prices.assets },
      { name: 'before', kind: 'number', values: t.before },
      { name: 'after', kind: 'number', values: t.after },
      { name: 'delta', kind: 'number', values: t.delta },
      { name: 'reason', kind: 'text', codes: t.reason, dictionary: TRADE_REASONS },
    ]);
  }

  /**
   * Every trade in date order (see {@link tradesRows}), as columns: dates as codes into `dates`
   * (every date of the run, then the signal dates that are not among them), assets as columns of
   * the prices, reasons as codes into {@link TRADE_REASONS}.
   */
  #tradeColumns(): TradeColumns {
    return (this.#tradeCols ??= this.#makeTradeColumns());
  }

  #makeTradeColumns(): TradeColumns {
    const run = this.run,
      assets = this.#prices.assets,
      fs = run.forcedSales;
    // rows with recorded rebalance trades: their forced sales are among those trades
    const recorded = new Set<number>();
    let n = 0;
    for (const r of run.rebalances)
      if (r.trades !== undefined) {
        recorded.add(r.row);
        n += r.trades.assets.length;
      }
    for (const x of fs) if (!recorded.has(x.row)) n++;
    // a forced sale's reason on a row with recorded trades, by row then asset (the few forced rows only)
    const forcedOn = new Map<number, Map<string, TradeReason>>();
    for (const x of fs) {
      let m = forcedOn.get(x.row);
      if (m === undefined) forcedOn.set(x.row, (m = new Map()));
      m.set(x.asset, forcedReason(x.reason));
    }
    const dates = Array.from(run.dates, formatIsoDate);
    const dayCode = new Map<number, number>();
    const codeOf = (day: number): number => {
      let k = dayCode.get(day);
      if (k === undefined) {
        dayCode.set(day, (k = dates.length));
        dates.push(formatIsoDate(day));
      }
      return k;
    };
    run.dates.forEach((d, k) => dayCode.set(d, k));
    let assetIndex: Map<string, number> | undefined;
    const date = new Int32Array(n),
      signalDate = new Int32Array(n),
      asset = new Int32Array(n),
      before = new Float64Array(n),
      after = new Float64Array(n),
      delta = new Float64Array(n),
      reason = new Int32Array(n);
    let i = 0,
      f = 0;
    const forcedUpTo = (row: number, inclusive: boolean) => {
      for (; f < fs.length && (fs[f].row < row || (inclusive && fs[f].row === row)); f++) {
        const x = fs[f];
        if (recorded.has(x.row)) continue;
        assetIndex ??= new Map(assets.map((a, j) => [a, j]));
        date[i] = codeOf(x.date);
        signalDate[i] = -1;
        asset[i] = assetIndex.get(x.asset) ?? -1;
        before[i] = x.weight;
        after[i] = 0;
        delta[i] = -x.weight;
        reason[i] = TRADE_REASONS.indexOf(forcedReason(x.reason));
        i++;
      }
    };
    for (const r of run.rebalances) {
      forcedUpTo(r.row, false);
      const t = r.trades;
      if (t === undefined) continue;
      const d = codeOf(r.date),
        s = codeOf(r.signalDate),
        forced = forcedOn.get(r.row);
      for (let k = 0; k < t.assets.length; k++, i++) {
        date[i] = d;
        signalDate[i] = s;
        asset[i] = t.assets[k];
        before[i] = t.before[k];
        after[i] = t.after[k];
        delta[i] = t.after[k] - t.before[k];
        const why = forced?.get(assets[t.assets[k]]);
        reason[i] = why === undefined ? 0 : TRADE_REASONS.indexOf(why);
      }
    }
    forcedUpTo(Infinity, true);
    return { dates, date, signalDate, asset, before, after, delta, reason };
  }

  /** The JSON of the backtest: exactly what `factorlab backtest --json` prints (NaN becomes null in JSON.stringify). */
  toJSON(): BacktestJson {
    const doc = this.jsonDocument();
    return {
      ...doc,
      rebalances: doc.rebalances.map((r) => ({ ...r, weights: r.weights.toRecords() as unknown as BacktestWeightJson[] })),
      trades: doc.trades.toRecords() as unknown as BacktestTradeJson[],
    };
  }

  /**
   * {@link toJSON} with its long lists as {@link Table}s: every trade, and each rebalance's
   * weights. `JSON.stringify` gives the same text (a Table's JSON is its records); `writeJsonAtomic`
   * writes the tables without an object per row (the daily top decile of 5,774 names lists 489,000
   * trades).
   */
  jsonDocument(): BacktestJsonDocument {
    const run = this.run,
      assets = this.#prices.assets,
      detail = this.detail;
    const iso = (d: number) => formatIsoDate(d);
    const rb = run.rebalances;
    const b = this.benchmarkReturns;
    const exposures = this.#exposuresJson();
    const none = new Int32Array(0),
      empty = new Float64Array(0);
    const t = detail ? this.#tradeColumns() : undefined;
    return {
      strategy: this.strategy,
      settings: { ...this.settings },
      notes: [...this.notes],
      performance: { net: copyPerformance(this.performance.net), gross: copyPerformance(this.performance.gross) },
      summary: { ...this.summary },
      series: {
        dates: Array.from(run.dates, iso),
        navGross: arr(run.navGross),
        navNet: arr(run.navNet),
        grossReturns: arr(run.grossReturns),
        netReturns: arr(run.netReturns),
        costs: arr(run.costs),
        turnover: arr(run.turnover),
        holdings: arr(run.holdings),
        ...(b ? { benchmarkReturns: arr(b) } : {}),
        netExposure: arr(run.netExposure),
        grossExposure: arr(run.grossExposure),
        drawdown: arr(this.drawdown),
      },
      rebalances: rb.map((r, k) => {
        const w = r.weights;
        // every rebalance's weights in detail; else the last one's (the summary's last trade)
        const listed = w !== undefined && (detail || k === rb.length - 1);
        return {
          signalDate: iso(r.signalDate),
          date: iso(r.date),
          turnover: r.turnover,
          oneWayTurnover: r.oneWayTurnover,
          cost: r.cost,
          holdings: r.holdings,
          unfilled: r.unfilled,
          weights: new Table([
            { name: 'asset', kind: 'text', codes: listed ? w.assets : none, dictionary: assets },
            { name: 'weight', kind: 'number', values: listed ? w.weights : empty },
          ]),
        };
      }),
      trades: new Table([
        { name: 'date', kind: 'text', codes: t?.date ?? none, dictionary: t?.dates ?? [] },
        { name: 'signalDate', kind: 'text', codes: t?.signalDate ?? none, dictionary: t?.dates ?? [] },
        { name: 'asset', kind: 'text', codes: t?.asset ?? none, dictionary: assets },
        { name: 'before', kind: 'number', values: t?.before ?? empty },
        { name: 'after', kind: 'number', values: t?.after ?? empty },
        { name: 'delta', kind: 'number', values: t?.delta ?? empty },
        { name: 'reason', kind: 'text', codes: t?.reason ?? none, dictionary: TRADE_REASONS },
      ]),
      forcedSales: run.forcedSales.map((f) => ({ date: iso(f.date), asset: f.asset, weight: f.weight, reason: f.reason })),
      ...(exposures ? { exposures } : {}),
    };
  }

  #exposuresJson(): BacktestExposuresJson | undefined {
    const ex = this.exposures;
    if (ex === undefined) return undefined;
    return {
      factors: ex.factors,
      window: ex.window,
      riskFree: this.#exposures?.riskFree ?? null,
      regression: ex.regression.toJSON().columns,
      ...(ex.holdings
        ? {
            holdings: {
              exposures: ex.holdings.exposures.toJSON().columns,
              coveredWeight: nullable(ex.holdings.coveredWeight),
              assetsUsed: Array.from(ex.holdings.assetsUsed),
            },
          }
        : {}),
    };
  }
}

/** A copy of a Performance (its nested objects too), keys in the same order. */
function copyPerformance(p: Performance): Performance {
  return { ...p, maxDrawdown: { ...p.maxDrawdown }, ...(p.benchmark ? { benchmark: { ...p.benchmark } } : {}) };
}

/** A forced sale's reason as a trade's. */
function forcedReason(reason: ForcedSale['reason']): TradeReason {
  return reason === 'no price' ? 'forced: no price' : 'forced: left the universe';
}

/**
 * The max drawdown's rows of statistics computed from row `k` on, made rows of the whole run: +k,
 * and a peak at the period's start (−1: NAV 1 before its first return) the row before it, whose NAV
 * is 1 (the rows before `k` hold cash). Nothing to do for k = 0 or without a drawdown.
 */
function shiftDrawdownRows(p: Performance, k: number): void {
  const m = p.maxDrawdown;
  if (k === 0 || m.troughRow < 0) return;
  m.peakRow += k;
  m.troughRow += k;
  if (m.recoveryRow >= 0) m.recoveryRow += k;
}

/** Backtest dates that the factor frame has. */
function sharedDates(run: BacktestResult, factors: Frame): number {
  return mapCalendar(run.dates, factors.dates).filter((k) => k >= 0).length;
}

/** The factors' notes and the exposures' own: what was regressed, on how many of the backtest's dates. */
function exposureNotes(run: BacktestResult, e: ExposureState): string[] {
  const names = e.factors.columns.filter((c) => c !== e.riskFree);
  return [
    ...e.notes,
    `exposures: rolling ${e.window}-row OLS on ${names.join(', ')}${e.riskFree ? `, ${e.riskFree} subtracted` : ''}; ${sharedDates(run, e.factors)} of ${run.dates.length} backtest dates have factors`,
  ];
}

/**
 * The benchmark returns the statistics compare with, rows k.. of the run: b_k is 0, as on the run's
 * first row. The strategy held only cash over the period ending on row k (row k is the first
 * rebalance that holds something: its return is the cost of that trade), so the benchmark's return
 * over it is not one the strategy could have earned; counting it moved the benchmark's total
 * return, tracking error, IR, beta and alpha by one period (a month on monthly prices).
 */
function statisticsBenchmark(b: Float64Array, k: number): Float64Array {
  if (k === 0) return b;
  const out = b.slice(k);
  out[0] = 0;
  return out;
}
