/**
 * `factorlab zoo`: many factors against one price panel, the shared work done once (zoo/factorRun.ts):
 * one summary table (factor × horizon) sorted by a chosen column, each factor's full `analyze`
 * JSON in a folder, failed factors as rows with their reason. With `--redis URL` the factors are
 * jobs on a BullMQ queue that `factorlab worker` processes run (zoo/distributed.ts); the table is
 * the same.
 */
import { mkdir } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import { checkOutputDirectory, checkOutputs } from '../../io/outputs.js';
import { writeTable } from '../../io/write.js';
import { expandFactorArgs } from '../../zoo/specs.js';
import { runExposuresZoo, type ExposuresZooFlags, type ExposuresZooOutcome, type ExposuresZooRow } from '../../zoo/exposures.js';
import { formatIsoDate } from '../../core/dates.js';
import { MAX_BLOCK } from '../../zoo/exposuresJobs.js';
import { parseExposuresSort, sortExposuresRows } from '../../zoo/exposuresSort.js';
import { addBinningOptions, asOfOption, binningOf, checkAsOfFlags, checkGroupAdjust, groupAdjustOption, maxAgeOption } from './analyze.js';
import { resolveBinning } from '../../signals/quantiles.js';
import { addReturnsOptions } from './exposures.js';
import { runZooLocal, type ZooOutcome } from '../../zoo/local.js';
import type { ZooAnalyzeFlags } from '../../zoo/factorRun.js';
import { zooProgress } from '../../zoo/progress.js';
import { parseSortKey, sortRows, type ZooRow } from '../../zoo/summary.js';
import { DEFAULT_QUEUE, parseRedisUrl } from '../../zoo/redis.js';
import { capNotes, formatNumber, formatPercent, plural, table } from '../format.js';
import { nonNegativeInteger, parseIntList, parseNumber, positiveInteger, shareArg, timezoneOption } from '../load.js';
import { defaultThreads } from '../../parallel/pool.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { printJson } from '../printJson.js';

export interface ZooFlags extends Omit<ZooAnalyzeFlags, 'threads'> {
  threads: number;
  results?: string;
  table?: string;
  sort: string;
  limit: number;
  json?: boolean;
  redis?: string;
  queue: string;
  attempts: number;
}

/**
 * `1,5,21` -> [1, 5, 21] (load `parseIntList`: an empty entry before the last is refused), a
 * horizon given twice refused once: analyze refuses it too, but each factor of a zoo would fail on
 * it alone, after the prices are read.
 */
export function horizonList(flag: string): (v: string) => number[] {
  const parse = parseIntList(flag);
  return (v) => {
    const out = parse(v);
    const twice = out.find((h, i) => out.indexOf(h) !== i);
    if (twice !== undefined)
      throw new InputError(`horizon ${twice} is listed twice in ${flag}`, {
        value: v,
        hint: `give each horizon once, e.g. ${flag} 1,5,21`,
      });
    return out;
  };
}

/** The `analyze` options a zoo shares with `factorlab analyze` (same names, same defaults). */
function addAnalyzeOptions(c: Command): Command {
  c.requiredOption('--prices <file>', 'prices: long or wide, daily (read once for every factor)')
    .option('--price-col <name>', 'price column of a long price file (default: adj_close, Adj Close, adjusted_close, then close, price)')
    .option('--date-col <name>', 'date column of every file (default: date)')
    .addOption(timezoneOption('the prices, the weights and every factor file'))
    .option('--asset-col <name>', 'asset column of long files (default: asset, ticker, symbol, ...)')
    .option('--groups <file>', 'industries or sectors: asset,group (read once)')
    .option('--group-col <name>', 'group column of the groups file')
    .option('--group-asset-col <name>', 'asset column of the groups file')
    .option('--group-names <file>', 'id,name file mapping group ids to names')
    .option('--weights <file>', 'weights such as market cap (long or wide), for cap-weighted quantile means (read once)')
    .addOption(
      new Option('--horizons <list>', 'forward-return horizons in rows of the PRICE calendar (computed once)')
        .default([1, 5, 21], '1,5,21')
        .argParser(horizonList('--horizons')),
    )
    .addOption(
      new Option('--quantiles <n>', 'quantiles per date, at least 2')
        .default(5)
        .argParser(parseNumber('--quantiles', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2 (one quantile has no spread)')),
    );
  return addBinningOptions(c)
    .option('--by-group', 'quantiles within each group per date (industry-neutral); needs --groups')
    .addOption(
      new Option('--universe <kind>', "joint: assets with every horizon's return (alphalens); pairwise: each horizon its own")
        .choices(['joint', 'pairwise'])
        .default('joint'),
    )
    .addOption(
      new Option('--min-assets <n>', 'fewest assets a date needs, at least 2')
        .default(3)
        .argParser(
          parseNumber('--min-assets', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2 (a correlation needs two assets)'),
        ),
    )
    .addOption(
      new Option('--ic-threshold <x>', 'share of dates with |IC| above this (in each JSON)')
        .default(0.03)
        .argParser(parseNumber('--ic-threshold', (n) => n >= 0 && n < 1, 'a number in [0, 1) (|IC| is at most 1)')),
    )
    .addOption(
      new Option('--execution-lag <n>', 'rows between the signal and the trade')
        .default(0)
        .argParser(nonNegativeInteger('--execution-lag')),
    )
    .addOption(
      new Option('--periods-per-year <n>', "periods per year for annualising (default: from each factor's dates)").argParser(
        parseNumber('--periods-per-year', (n) => n > 0, 'a number > 0'),
      ),
    )
    .addOption(
      new Option('--max-loss <share>', 'a factor fails when a larger share of its observations is lost')
        .default(0.35)
        .argParser(shareArg('--max-loss')),
    )
    .addOption(new Option('--sample <frequency>', 'use only the last factor date of each week or month').choices(['weekly', 'monthly']))
    .addOption(asOfOption())
    .addOption(maxAgeOption())
    .addOption(groupAdjustOption())
    .addOption(new Option('--decay <n>', 'also the IC at lags 0..n formation rows (in each JSON)').argParser(nonNegativeInteger('--decay')))
    .option('--zscore', 'regression test on the per-date z-scored factor')
    .option('--controls', 'regression test with group dummies as controls (needs --groups)')
    .option('--clean', 'set one-day bad ticks in the prices to missing before computing returns');
}

export function registerZoo(program: Command, streams: CliStreams): void {
  registerFactorZoo(program, streams);
  registerExposuresZoo(program, streams);
}

function registerFactorZoo(program: Command, streams: CliStreams): void {
  const c = program
    .command('zoo')
    .summary('test many factors at once against one price panel (one machine, or workers on Redis)')
    .description(
      'Run the single-factor test of `factorlab analyze` on many factors against one price panel. The ' +
        'prices, their forward returns, the groups and the weights are read or computed once and shared ' +
        'by every factor. Writes one summary table (factor x horizon: IC, rank IC, IR, t, Newey-West t, ' +
        "spread, monotonicity, turnover, share |t| > 2, data loss) sorted by --sort, and each factor's " +
        'full result JSON (the same bytes `analyze --out` writes for it) into --results. A factor that ' +
        'fails is a row with its reason; the others go on, and the exit code is 2 when any failed.',
    )
    .argument(
      '<factors...>',
      "factor files, folders, globs (quote them: 'cn/*.csv'), FILE#col1,col2 or FILE#* (columns of a long multi-factor file), momentum:LOOKBACK,SKIP",
    );
  addAnalyzeOptions(c)
    .option('--results <dir>', 'folder for one JSON per factor, named after the factor file (created if missing)')
    .option('--table <file>', 'write the summary table: .csv, .csv.gz, .parquet or .json')
    .addOption(
      new Option('--sort <column>', 'sort the table by this column, largest first (COL:asc for smallest first); failed rows last')
        .default('rank_ic_t_nw')
        .argParser((v) => (parseSortKey(v), v)),
    )
    .addOption(
      new Option('--limit <n>', 'rows of the table printed (the files have every row)').default(20).argParser(positiveInteger('--limit')),
    )
    .option('--json', 'print the whole table as JSON on stdout instead of the summary')
    .addOption(
      new Option('--threads <n>', 'factors at once on one machine, each on its own worker thread (1: all on the main thread)')
        .default(defaultThreads(), "the machine's cores")
        .argParser(positiveInteger('--threads')),
    )
    .option(
      '--redis <url>',
      'distributed: submit one job per factor to this Redis (redis://[:password@]host:port[/db], rediss:// for TLS) and wait for `factorlab worker` processes; needs --results on a file system the workers share',
    )
    .option('--queue <name>', 'distributed: the BullMQ queue name', DEFAULT_QUEUE)
    .addOption(
      new Option('--attempts <n>', "distributed: tries per job before it counts as failed (a killed worker's job is retried)")
        .default(3)
        .argParser(positiveInteger('--attempts')),
    )
    .addHelpText(
      'after',
      `
Factors: each argument is a factor file (long date,asset,value or wide date,A,B,...), a folder (all
its .csv, .csv.gz and .parquet files), a glob in the file name ('factors/*.csv'), FILE#col1,col2 or
FILE#* for the value columns of a long file holding several factors, or momentum / momentum:L,S
(p(t-S)/p(t-L) - 1 from the prices). Every factor gets the same flags as 'factorlab analyze'.
FILE#* leaves out columns of numbers that are labels, not factors, and a note names them: a year
label (90% or more of the values whole numbers within a year of the row's date: a fiscal year), a
row number (0..n-1 or 1..n, each once), or whole numbers under an identifier's name (id, cik,
gvkey, permno, sic, naics, gics, code, year, quarter, month, index); 'FILE#For Year' tests one.
A folder or glob leaves out the zoo's own --prices, --weights, --groups and --group-names files
(with a note); named, a file is tested. --results holds a JSON for each factor that ran: a failed
factor's JSON from an earlier run is removed.

Shared, once for the whole zoo: reading and checking the prices (and --clean), the forward returns
of every horizon, the groups and the weights. Per factor: reading it, aligning it to the price
calendar, its universe, the statistics. Each JSON in --results is byte for byte what
'factorlab analyze --factor F --out F.json' writes with the same flags.

Threads: --threads N runs N factors at once, each on its own worker thread, the shared inputs on
shared memory (not copied); the output is the same bytes whatever N. Each thread holds one
factor's working set (about 0.4 GB at 3,000 assets x 2,500 dates): lower N if memory is short.

Table columns: factor, horizon, status (ok / failed), ic_mean, ic_ir, ic_t, ic_t_nw, rank_ic_mean,
rank_ic_ir, rank_ic_t, rank_ic_t_nw, spread (top - bottom quantile per period), spread_t_nw,
monotonicity, turnover_top, turnover_bottom, share_abs_t_above_2, data_loss, n_dates, n_assets,
reason (why a factor failed).

Distributed (--redis): run 'factorlab worker --redis URL' on each machine (or several on one); the
zoo submits one job per factor (job id from the inputs' content hashes, the flags and the factor,
never a path: resubmitting the same zoo, even into another --results folder, does no duplicate
work; a completed job is reused while its result file holds the bytes it wrote, else it runs
again), waits with progress and assembles the same table. --timezone travels with each job. A failed job's reason says what happened
(a worker killed or lost, its process out of memory, a result that could not be written). Inputs are passed by
path and checked by SHA-256, so a worker that sees a different file fails the job instead of
computing on it.

Exit codes: 0 every factor ran; 2 bad input, or some factor failed (the table and the other
results are written first); 1 a fault in factorlab.

Examples:
  factorlab zoo --prices sse50_2021q1_prices.csv sse50_2021q1_factor.csv momentum:20,0 momentum:40,5 --horizons 1,5
  factorlab zoo --prices prices.csv.gz --clean 'factors/*.csv' --results out/ --table out/summary.parquet --sort ic_t_nw
  factorlab zoo --prices prices.parquet zoo.parquet#* --results out/ --table out/summary.csv --sort rank_ic_mean:asc
  factorlab zoo --prices prices.csv.gz factors/ --results /shared/out --table /shared/out/summary.csv --redis redis://127.0.0.1:6379`,
    )
    .action(async (factors: string[], flags: ZooFlags) => {
      const sortKey = parseSortKey(flags.sort);
      // the binning is the whole zoo's: a bad one stops it here, not once per factor
      resolveBinning(binningOf(flags) ?? flags.quantiles);
      checkAsOfFlags(flags);
      checkGroupAdjust(flags);
      if (flags.results !== undefined) {
        checkOutputDirectory(flags.results, '--results');
        await mkdir(flags.results, { recursive: true }); // so that --table may go inside it
      }
      checkOutputs([{ path: flags.table, flag: '--table', formats: ['csv', 'csv.gz', 'parquet', 'json'] }]);
      if (flags.controls && flags.groups === undefined)
        throw new InputError('--controls needs --groups (the group dummies are the controls)', {
          hint: 'add --groups FILE, or drop --controls',
        });
      if (flags.byGroup && flags.groups === undefined)
        throw new InputError('--by-group needs --groups', { hint: 'add --groups FILE, or drop --by-group' });
      const redis = flags.redis === undefined ? undefined : parseRedisUrl(flags.redis);
      if (redis !== undefined && flags.results === undefined) {
        throw new InputError("--redis needs --results: the workers write each factor's JSON there", {
          hint: 'add --results DIR on a file system every worker machine sees at the same path',
        });
      }
      const specs = await expandFactorArgs(
        factors,
        { dateCol: flags.dateCol, assetCol: flags.assetCol, ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}) },
        (line) => streams.stderr(`factorlab zoo: ${line}\n`),
        [
          { flag: `--prices ${flags.prices}`, path: flags.prices },
          ...(flags.weights !== undefined ? [{ flag: `--weights ${flags.weights}`, path: flags.weights }] : []),
          ...(flags.groups !== undefined ? [{ flag: `--groups ${flags.groups}`, path: flags.groups }] : []),
          ...(flags.groupNames !== undefined ? [{ flag: `--group-names ${flags.groupNames}`, path: flags.groupNames }] : []),
        ],
      );
      const momentumSpecs = specs.filter((s) => s.momentum === true);
      if (flags.asOf !== undefined && momentumSpecs.length > 0)
        throw new InputError(
          `--as-of carries factor files' values to the price dates; ${momentumSpecs[0].name}${momentumSpecs.length > 1 ? ` and ${momentumSpecs.length - 1} more are` : ' is'} computed on the price dates already`,
          { hint: 'run the momentum specs in a zoo of their own with --sample monthly, or drop --as-of' },
        );
      const analyzeFlags = analyzeFlagsOf(flags);
      const showProgress = !flags.json;
      let outcome: ZooOutcome;
      if (redis === undefined) {
        const reading = progressReporter(showProgress);
        let progress: ReturnType<typeof zooProgress> | undefined;
        try {
          outcome = await runZooLocal(analyzeFlags, specs, {
            resultsDir: flags.results,
            onReadProgress: reading.update,
            threads: flags.threads,
            onFactor: (done, failed) => {
              if (progress === undefined) {
                reading.stop();
                progress = zooProgress(specs.length, process.stderr, showProgress);
              }
              progress.update(done, failed);
            },
          });
        } finally {
          reading.stop();
          progress?.stop();
        }
      } else {
        const progress = zooProgress(specs.length, process.stderr, showProgress);
        try {
          const { runZooDistributed } = await import('../../zoo/distributed.js'); // BullMQ loads only here
          outcome = await runZooDistributed(analyzeFlags, specs, {
            redis,
            queue: flags.queue,
            attempts: flags.attempts,
            resultsDir: flags.results as string,
            onFactor: (done, failed) => progress.update(done, failed),
            onNote: (line) => streams.stderr(`factorlab zoo: ${line}\n`),
          });
        } finally {
          progress.stop();
        }
      }
      const rows = sortRows(outcome.rows, sortKey);
      if (flags.table !== undefined) await writeTable(flags.table, rows);
      if (flags.json) printJson(streams, rows);
      else streams.stdout(`${renderZoo(rows, specs.length, outcome.failures.length, flags).join('\n')}\n`);
      if (outcome.failures.length > 0) {
        const list = outcome.failures
          .slice(0, 3)
          .map((f) => `${f.factor} (${f.reason})`)
          .join('; ');
        const message = `${outcome.failures.length} of ${plural(specs.length, 'factor')} failed: ${list}${outcome.failures.length > 3 ? '; ...' : ''}`;
        if (outcome.failures.some((f) => f.fault)) throw new Error(message);
        throw new InputError(message, {
          hint: "the table lists every failed factor with its reason; the other factors' results are written",
        });
      }
    });
}

/** The flags every factor shares. */
function analyzeFlagsOf(flags: ZooFlags): ZooAnalyzeFlags {
  const { results: _r, table: _t, sort: _s, limit: _l, json: _j, redis: _re, queue: _q, attempts: _a, threads: _th, ...rest } = flags;
  // --threads is the number of factors at once; each factor itself runs on one thread (the same numbers, and the same job ids whatever --threads)
  return { ...rest, threads: 1 };
}

const num = (x: number | null, d = 3): string => (x === null ? 'n/a' : formatNumber(x, d));
const share = (x: number | null): string => (x === null ? 'n/a' : formatPercent(x, 0));

/** The printed summary: the first --limit rows of the sorted table and what was written. */
export function renderZoo(
  rows: readonly ZooRow[],
  nFactors: number,
  nFailed: number,
  flags: Pick<ZooFlags, 'limit' | 'sort' | 'results' | 'table' | 'prices'>,
): string[] {
  const shown = rows.slice(0, flags.limit);
  const ok = shown.filter((r) => r.status === 'ok'),
    bad = rows.filter((r) => r.status === 'failed'); // every failure is listed
  const lines = [
    `factorlab zoo: ${plural(nFactors, 'factor')} vs ${flags.prices}: ${nFactors - nFailed} ran, ${nFailed} failed; sorted by ${flags.sort}` +
      (rows.length > shown.length ? ` (first ${shown.length} of ${rows.length} rows)` : ''),
    '',
  ];
  if (ok.length > 0) {
    lines.push(
      table(
        ['factor', 'h', 'IC', 'rank IC', 'rank IC IR', 'rank IC NW t', 'spread', 'spread NW t', 'mono', 'turnover top', '|t|>2', 'lost'],
        ok.map((r) => [
          r.factor,
          String(r.horizon),
          num(r.ic_mean),
          num(r.rank_ic_mean),
          num(r.rank_ic_ir),
          num(r.rank_ic_t_nw),
          r.spread === null ? 'n/a' : `${(r.spread * 100).toFixed(3)}%`,
          num(r.spread_t_nw),
          num(r.monotonicity),
          share(r.turnover_top),
          share(r.share_abs_t_above_2),
          share(r.data_loss),
        ]),
        { indent: 2, align: ['left', ...Array.from({ length: 11 }, () => 'right' as const)] },
      ),
      '',
    );
  }
  // why a factor that ran has no numbers (no spread across assets), once per factor
  const naFactors = [...new Map(ok.filter((r) => r.reason !== null).map((r) => [r.factor, r.reason as string])).entries()];
  if (naFactors.length > 0) lines.push('  n/a:', ...naFactors.map(([f, why]) => `    ${f}: ${why}`), '');
  const failedFactors = [...new Map(bad.map((r) => [r.factor, r.reason ?? ''])).entries()];
  if (failedFactors.length > 0) lines.push('  failed:', ...failedFactors.map(([f, why]) => `    ${f}: ${why}`), '');
  if (flags.results !== undefined)
    lines.push(
      `  wrote ${flags.results.replace(/\/+$/, '')}/ (one analyze JSON per factor${nFailed > 0 ? ' that ran; a failed factor has none' : ''})`,
    );
  if (flags.table !== undefined) lines.push(`  wrote ${flags.table} (${plural(rows.length, 'row')}: factor x horizon)`);
  if (flags.results === undefined && flags.table === undefined)
    lines.push("  --table FILE writes every row (csv, parquet, json); --results DIR each factor's full JSON");
  return lines;
}

interface ExposuresZooCliFlags extends ExposuresZooFlags {
  table?: string;
  limit: number;
  json?: boolean;
  sort?: string;
  redis?: string;
  queue: string;
  attempts: number;
  block: number;
}

/** `factorlab exposures-zoo`: the exposures of many portfolios in one regression pass (zoo/exposures.ts). */
function registerExposuresZoo(program: Command, streams: CliStreams): void {
  const c = program
    .command('exposures-zoo')
    .summary('factor exposures of many portfolios (weights files) against one returns panel, in one pass')
    .description(
      'Regress the return of each portfolio, r_p(t) = sum_i w_i(t-1) r_i(t), on factor returns, as ' +
        '`factorlab exposures` regresses an asset. The prices (or returns) and the factors are read once, ' +
        'the factor design matrix is built once, and every portfolio is one column of a single fit. Writes ' +
        'one table (portfolio: alpha and betas, standard errors, t and p-values, Newey-West t with ' +
        '--newey-west, R², residual vol, mean covered weight). A portfolio that cannot be read or fitted ' +
        'is a row with its reason; the others go on, and the exit code is 2 when any failed.',
    )
    .argument(
      '<weights...>',
      'portfolio weights files (long date,asset,weight or wide date,A,B,...), folders, or globs in the file name (quote them)',
    );
  addReturnsOptions(c)
    .addOption(
      new Option(
        '--fill <how>',
        'weights on dates the weights file lacks: ffill (hold the last weights, at most --weights-max-age rows) or none (missing)',
      )
        .choices(['none', 'ffill'])
        .default('ffill'),
    )
    .addOption(
      new Option(
        '--weights-max-age <rows>',
        "with --fill ffill, weights older than this many return rows are stale (default 1.5 of the weights' own periods)",
      ).argParser(nonNegativeInteger('--weights-max-age')),
    )
    .option('--no-constant', 'fit without an intercept (alpha)')
    .addOption(
      new Option('--newey-west [lags]', 'also Newey-West (HAC) t-values (t_nw_* columns); lags default floor(4(n/100)^(2/9))').argParser(
        positiveInteger('--newey-west'),
      ),
    )
    .addOption(
      new Option('--min-obs <n>', 'fewest dates a portfolio needs (default: coefficients + 2)').argParser(positiveInteger('--min-obs')),
    )
    .option('--table <file>', 'write the table: .csv, .csv.gz, .parquet or .json')
    .addOption(
      new Option(
        '--sort <column>',
        'sort the table by this column, largest first (COL:asc for smallest first; portfolio sorts A to Z); failed rows last (default: the order given)',
      ).argParser((v) => (parseExposuresSort(v), v)),
    )
    .addOption(new Option('--limit <n>', 'portfolios printed (the file has every one)').default(20).argParser(positiveInteger('--limit')))
    .option('--json', 'print the whole table as JSON on stdout')
    .option(
      '--redis <url>',
      'distributed: submit one job per block of portfolios to this Redis (redis://[:password@]host:port[/db], rediss:// for TLS) and wait for `factorlab worker` processes, which must see the same files at the same paths',
    )
    .option('--queue <name>', 'distributed: the BullMQ queue name', DEFAULT_QUEUE)
    .addOption(
      new Option('--attempts <n>', "distributed: tries per job before it counts as failed (a killed worker's job is retried)")
        .default(3)
        .argParser(positiveInteger('--attempts')),
    )
    .addOption(
      new Option('--block <n>', 'distributed: portfolios per job (each job reads the returns and factors once per worker process)')
        .default(100)
        .argParser(parseNumber('--block', (n) => Number.isInteger(n) && n >= 1 && n <= MAX_BLOCK, `a whole number from 1 to ${MAX_BLOCK}`)),
    )
    .addHelpText(
      'after',
      `
Each row is what 'factorlab exposures --returns P.csv' gives for the portfolio's return series P
(one column date,portfolio): the same OLS on the same dates (those where the portfolio and every
factor have a value, inside --start/--end), the risk-free column subtracted when there is one.

Table columns: portfolio, status (ok / failed), nobs, const (alpha) and one column per factor,
se_*, t_*, p_*, r2, adj_r2, residual_vol, t_nw_* (with --newey-west), covered_weight (mean share
of the gross weight held in assets with a return), reason, notes (every note on the portfolio's
weights, separated by ' | '; the printout shows alike notes once and at most 10 lines).

Sort: --sort COL orders the table and the printout by any number column (nobs, const, a factor,
se_*, t_*, p_*, r2, adj_r2, residual_vol, t_nw_*, covered_weight), largest first; COL:asc for
smallest first; --sort portfolio sorts by name. Failed rows come last; ties by portfolio name.

Distributed (--redis): run 'factorlab worker --redis URL' on each machine; the zoo submits one job
per --block portfolios (job id from the inputs' content hashes, the flags and the block's files:
resubmitting the same zoo does no duplicate work), waits with progress and assembles the same
table, byte for byte. Inputs are passed by path and checked by SHA-256 on the worker: a changed
weights file is that portfolio's failure, a changed returns or factors file fails its jobs. A
block whose job fails for good (a worker killed too often) lists each of its portfolios with the
reason.

Exit codes: 0 every portfolio fitted; 2 bad input, or some portfolio failed (the table is written
first); 1 a fault in factorlab.

Examples:
  factorlab exposures-zoo --prices prices.csv.gz --factors F-F_Research_Data_5_Factors_2x3_daily.CSV 'portfolios/*.csv' --table exposures.csv
  factorlab exposures-zoo --returns returns.parquet --factors factors.csv --factor-scale 0.01 funds/ --newey-west --table funds.parquet
  factorlab exposures-zoo --prices prices.csv.gz --factors ff5.csv 'portfolios/*.csv' --sort t_mkt_rf --table exposures.csv
  factorlab exposures-zoo --prices /shared/prices.csv.gz --factors /shared/ff5.csv /shared/portfolios/ --redis redis://127.0.0.1:6379 --table out.parquet`,
    )
    .action(async (weights: string[], flags: ExposuresZooCliFlags) => {
      checkOutputs([{ path: flags.table, flag: '--table', formats: ['csv', 'csv.gz', 'parquet', 'json'] }]);
      const specs = await expandFactorArgs(
        weights,
        { dateCol: flags.dateCol, assetCol: flags.assetCol },
        (line) => streams.stderr(`factorlab exposures-zoo: ${line}\n`),
        [
          ...(flags.prices !== undefined ? [{ flag: `--prices ${flags.prices}`, path: flags.prices }] : []),
          ...(flags.returns !== undefined ? [{ flag: `--returns ${flags.returns}`, path: flags.returns }] : []),
          ...flags.factors.map((f) => ({ flag: `--factors ${f}`, path: f })),
        ],
      );
      const bad = specs.find((x) => x.momentum === true || x.factorCol !== undefined);
      if (bad !== undefined)
        throw new InputError(`${bad.name} is not a weights file`, {
          hint: 'exposures-zoo takes weights files, folders or globs (no momentum specs or FILE#col)',
        });
      const files = specs.map((x) => x.factor);
      const sortKey = flags.sort === undefined ? undefined : parseExposuresSort(flags.sort);
      const redis = flags.redis === undefined ? undefined : parseRedisUrl(flags.redis);
      const progress = progressReporter(!flags.json);
      let outcome: ExposuresZooOutcome;
      try {
        if (redis === undefined) outcome = await runExposuresZoo(flags, files, progress.update);
        else {
          const { runExposuresZooDistributed } = await import('../../zoo/exposuresDistributed.js'); // BullMQ loads only here
          outcome = await runExposuresZooDistributed(exposuresFlagsOf(flags), files, {
            redis,
            queue: flags.queue,
            attempts: flags.attempts,
            block: flags.block,
            onProgress: (done, failed) =>
              progress.update({ phase: `portfolios on the workers${failed > 0 ? ` (${failed} failed)` : ''}`, done, total: files.length }),
            onNote: (line) => streams.stderr(`factorlab exposures-zoo: ${line}\n`),
          });
        }
      } finally {
        progress.stop();
      }
      if (sortKey !== undefined) outcome = { ...outcome, rows: sortExposuresRows(outcome.rows, sortKey) };
      if (flags.table !== undefined) await writeTable(flags.table, outcome.rows);
      if (flags.json) {
        printJson(streams, outcome.rows);
        // the notes on the shared inputs (rf subtracted, the sample, dropped dates) are in no row:
        // on stderr, as the printed summary would have shown them (each portfolio's are in its row)
        for (const n of outcome.notes) streams.stderr(`factorlab exposures-zoo: note: ${n}\n`);
      } else streams.stdout(`${renderExposuresZoo(outcome, flags).join('\n')}\n`);
      if (outcome.failures.length > 0) {
        const list = outcome.failures
          .slice(0, 3)
          .map((f) => `${f.portfolio} (${f.reason})`)
          .join('; ');
        const message = `${outcome.failures.length} of ${plural(files.length, 'portfolio')} failed: ${list}${outcome.failures.length > 3 ? '; ...' : ''}`;
        if (outcome.failures.some((f) => f.fault)) throw new Error(message);
        throw new InputError(message, { hint: 'the table lists every failed portfolio with its reason; the others are fitted' });
      }
    });
}

/** The flags a block's fit depends on (the job payload's): the command's own options left out. */
function exposuresFlagsOf(flags: ExposuresZooCliFlags): ExposuresZooFlags {
  const { table: _t, limit: _l, json: _j, sort: _s, redis: _r, queue: _q, attempts: _a, block: _b, ...rest } = flags;
  return rest;
}

/** Lines of the portfolios' notes printed (alike notes of many portfolios are one line; cli/format.ts capNotes). */
export const PORTFOLIO_NOTES_SHOWN = 10;

/** The printed summary of an exposures zoo: coefficient (t) per portfolio, then the failures. */
export function renderExposuresZoo(
  o: ExposuresZooOutcome,
  flags: Pick<ExposuresZooCliFlags, 'limit' | 'table' | 'neweyWest'> & { sort?: string },
): string[] {
  const ok = o.rows.filter((r) => r.status === 'ok');
  const shown = ok.slice(0, flags.limit);
  const nw = flags.neweyWest !== undefined && flags.neweyWest !== false;
  const range = o.dates === null ? '' : `, ${formatIsoDate(o.dates[0])} .. ${formatIsoDate(o.dates[1])}`;
  const lines = [
    `factorlab exposures-zoo: OLS of ${plural(o.rows.length, 'portfolio')} on ${o.coefficients.filter((c) => c !== 'const').join(', ')}${range}: ${ok.length} fitted, ${o.rows.length - ok.length} failed${flags.sort !== undefined ? `; sorted by ${flags.sort}` : ''}`,
    ...o.notes.map((n) => `  ${n}`),
    ...capNotes(
      o.portfolioNotes.map((n) => ({ subject: n.portfolio, text: n.note })),
      { max: PORTFOLIO_NOTES_SHOWN, noun: 'portfolio', where: 'every one in the notes column of --table and --json' },
    ).map((n) => `  ${n}`),
    `  coefficient (${nw ? 'Newey-West t' : 't-value'})`,
    '',
  ];
  const fmt = (r: ExposuresZooRow, c: string): string => {
    const b = r[c],
      t = r[`${nw ? 't_nw_' : 't_'}${c}`];
    if (typeof b !== 'number') return 'n/a';
    return typeof t === 'number' ? `${formatNumber(b, 3)} (${formatNumber(t, 2)})` : formatNumber(b, 3);
  };
  if (shown.length > 0) {
    lines.push(
      table(
        ['portfolio', 'nobs', ...o.coefficients.map((c) => (c === 'const' ? 'alpha' : c)), 'R²', 'resid vol', 'covered'],
        shown.map((r) => [
          String(r.portfolio),
          String(r.nobs),
          ...o.coefficients.map((c) => fmt(r, c)),
          num(r.r2 as number | null),
          num(r.residual_vol as number | null),
          share(r.covered_weight as number | null),
        ]),
        { indent: 2, align: ['left', 'right', ...o.coefficients.map(() => 'right' as const), 'right', 'right', 'right'] },
      ),
    );
    if (ok.length > shown.length) lines.push(`  ... ${ok.length - shown.length} more (--limit, or --table to write them all)`);
    lines.push('');
  }
  const failed = o.rows.filter((r) => r.status === 'failed');
  const why = (r: ExposuresZooRow): string => String(r.reason).replace(`${String(r.portfolio)}: `, '');
  if (failed.length > 0) lines.push('  failed:', ...failed.map((r) => `    ${String(r.portfolio)}: ${why(r)}`), '');
  if (flags.table !== undefined) lines.push(`  wrote ${flags.table} (${plural(o.rows.length, 'row')}: one per portfolio)`);
  else lines.push('  --table FILE writes every column (csv, parquet, json)');
  return lines;
}
