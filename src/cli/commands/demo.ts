/**
 * `factorlab demo`: generates the seeded synthetic market, writes it as ordinary data files, reads
 * them back through the same ingest path real data takes, checks their quality, and shows that
 * the planted truth is recovered: each asset's factor exposures (OLS of excess returns on the
 * factors) and the signal's information coefficient.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { formatIsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { Frame } from '../../core/frame.js';
import type { Panel } from '../../core/panel.js';
import { checkQuality, cleanBadTicks, type QualityReport } from '../../core/quality.js';
import { simpleReturns } from '../../core/returns.js';
import { FactorExposures } from '../../exposures/factorExposures.js';
import { analyzeFactor } from '../../signals/analyze.js';
import { alignedRows, backtest, topQuantile } from '../../backtest/index.js';
import { syntheticMarket, type SyntheticMarket } from '../../synthetic/market.js';
import { Rng } from '../../synthetic/random.js';
import { checkOutputDirectory, readFrame, readPanel, writeJsonAtomic, writeTable } from '../../io/index.js';
import { formatCount, formatNumber, formatPercent, keyValues, table } from '../format.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { DEMO_REPORTS, writeDemoReports } from '../demoReports.js';

export interface DemoOptions {
  out: string;
  seed: number;
  assets: number;
  days: number;
  json?: boolean;
}

/** Per factor: how well the planted exposures were recovered. */
export interface ExposureRecovery {
  factor: string;
  plantedMean: number;
  estimatedMean: number;
  /** Root mean square of (estimated − planted) over fitted assets. */
  rmse: number;
  /** Share of assets whose planted exposure lies within 2 standard errors of the estimate. */
  coverage2se: number;
}

export interface DemoSummary {
  seed: number;
  outDir: string;
  files: string[];
  market: {
    nAssets: number;
    nDates: number;
    firstDate: string;
    lastDate: string;
    factors: string[];
    sectors: number;
    lateListings: number;
    delistings: number;
    missingShare: number;
    plantedBadTicks: { asset: string; date: string }[];
  };
  ingest: { nDates: number; nAssets: number; maxAbsDifference: number };
  quality: { counts: QualityReport['counts']; badTicksFound: number; plantedBadTicksFound: number };
  exposures: { fitted: number; skipped: number; factors: ExposureRecovery[] };
  signal: {
    horizon: number;
    plantedIC: number;
    meanIC: number;
    icStd: number;
    tStat: number;
    pValue: number;
    meanRankIC: number;
    dates: number;
  };
  /** The planted signal traded: its top quintile, equal weight, rebalanced at each month end, next close, 10 bp, against the equal-weighted universe. */
  backtest: {
    strategy: string;
    firstDate: string;
    lastDate: string;
    rebalances: number;
    annualReturn: number;
    sharpe: number;
    maxDrawdown: number;
    benchmarkAnnualReturn: number;
    informationRatio: number;
    meanTurnover: number;
  };
  /** The three HTML reports (exposures of the equal-weighted portfolio, tear sheet of the signal, its backtest). */
  reports: { file: string; bytes: number }[];
}

export function registerDemo(program: Command, streams: CliStreams): void {
  program
    .command('demo')
    .summary('a tour on a synthetic market with planted exposures and a planted signal')
    .description(
      'Generate a seeded synthetic market (factor returns, prices with late listings, delistings, ' +
        'missing values and a few planted bad ticks, sectors, a signal with a known IC), write it as ' +
        'CSV files, read them back, check data quality, show the planted truth recovered, backtest the signal, and write three HTML ' +
        'reports: the exposure report of the equal-weighted portfolio, the tear sheet of the signal and the report of its backtest (with its exposures to the six factors).',
    )
    .option('--out <dir>', 'where to write the files', 'factorlab-demo')
    .addOption(new Option('--seed <n>', 'random seed').default(42).argParser(intArg('--seed', 0)))
    .addOption(
      new Option('--assets <n>', `number of assets (${DEMO_MIN_ASSETS} or more)`)
        .default(300)
        .argParser(intArg('--assets', DEMO_MIN_ASSETS)),
    )
    .addOption(
      new Option('--days <n>', `number of trading days (${DEMO_MIN_DAYS} or more)`).default(756).argParser(intArg('--days', DEMO_MIN_DAYS)),
    )
    .option('--json', 'print the summary as JSON')
    .action(async (opts: DemoOptions) => {
      if (opts.assets * opts.days > DEMO_MAX_CELLS)
        throw new InputError(
          `--assets ${opts.assets} x --days ${opts.days} is ${formatCount(opts.assets * opts.days)} asset-days; the demo makes at most ${formatCount(DEMO_MAX_CELLS)}`,
          {
            hint: 'e.g. --assets 5000 --days 4000; for a larger synthetic market call syntheticMarket from the library and write it with writeTable',
          },
        );
      checkOutputDirectory(opts.out, '--out', DEMO_FILES); // before any work
      const summary = await runDemo(opts);
      streams.stdout(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderDemo(summary).join('\n')}\n`);
    });
}

/**
 * The smallest market on which every step of the tour runs: with fewer assets or days the 21-day
 * forward returns and the per-date minimum of assets lose more than analyze's --max-loss (checked
 * over seeds 1-10 at 10 x 120), and the backtest's exposure window finds too few dates.
 */
const DEMO_MIN_ASSETS = 10,
  DEMO_MIN_DAYS = 120;
/** The largest market the demo makes (asset-days): its panels, reports and backtest stay near 1 GB. */
const DEMO_MAX_CELLS = 20_000_000;

function intArg(flag: string, min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} must be an integer of at least ${min}`, { value: v });
    return n;
  };
}

const BAD_TICKS = 3;

/** The files the demo writes in its --out directory. */
const DEMO_FILES = ['prices.csv', 'factors.csv', 'signal.csv', 'placebo.csv', 'sectors.csv', 'truth.json', 'summary.json', ...DEMO_REPORTS];

export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const outDir = resolve(opts.out);
  mkdirSync(outDir, { recursive: true });
  const progress = progressReporter(!opts.json);
  try {
    progress.update({ phase: 'generating market', done: 0, total: 5 });
    const market = syntheticMarket({ seed: opts.seed, nAssets: opts.assets, nDates: opts.days, badTicks: BAD_TICKS });
    progress.update({ phase: 'writing files', done: 1, total: 5 });
    const files = await writeMarket(market, outDir, opts.seed);

    progress.update({ phase: 'reading back', done: 2, total: 5 });
    const prices = (await readPanel(join(outDir, 'prices.csv'), { layout: 'wide', kind: 'prices' })).panel;
    const factors = await readFrame(join(outDir, 'factors.csv'));
    const ingest = { nDates: prices.nDates, nAssets: prices.nAssets, maxAbsDifference: maxAbsDiff(prices, market.prices) };

    progress.update({ phase: 'checking quality', done: 3, total: 5 });
    const quality = checkQuality(prices, { kind: 'prices', maxFindingsPerKind: Infinity }); // every planted tick listed and cleaned, however many assets
    const found = quality.findings.filter((f) => f.kind === 'bad-tick');
    const planted = new Set(market.truth.badTicks.map((b) => `${b.asset}@${b.date}`));
    const clean = cleanBadTicks(prices, quality);

    progress.update({ phase: 'recovering exposures', done: 4, total: 5 });
    const exposures = recoverExposures(market, clean, factors);
    const signal = measureIC(market, clean);
    const backtest = backtestSignal(market, clean);
    progress.update({ phase: 'writing the reports', done: 5, total: 6 });
    const reports = await writeDemoReports(outDir, clean, factors);
    progress.stop();

    const summary: DemoSummary = {
      seed: opts.seed,
      outDir,
      files,
      market: {
        nAssets: market.assets.length,
        nDates: market.dates.length,
        firstDate: formatIsoDate(market.dates[0]),
        lastDate: formatIsoDate(market.dates[market.dates.length - 1]),
        factors: market.factorReturns.columns.slice(),
        sectors: new Set(Object.values(market.sectors)).size,
        lateListings: market.truth.listing.first.filter((t) => t > 0).length,
        delistings: market.truth.listing.last.filter((t) => t < market.dates.length - 1).length,
        missingShare: market.prices.missingShare(),
        plantedBadTicks: market.truth.badTicks,
      },
      ingest,
      quality: {
        counts: quality.counts,
        badTicksFound: quality.counts['bad-tick'],
        plantedBadTicksFound: found.filter((f) => planted.has(`${f.asset}@${f.date}`)).length,
      },
      exposures,
      signal,
      backtest,
      reports: reports.map((r) => ({ file: join(outDir, r.file), bytes: r.bytes })),
    };
    await writeJsonAtomic(join(outDir, 'summary.json'), summary);
    summary.files.push('summary.json');
    return summary;
  } finally {
    progress.stop();
  }
}

async function writeMarket(market: SyntheticMarket, dir: string, seed: number): Promise<string[]> {
  await writeTable(join(dir, 'prices.csv'), market.prices, { wide: true });
  const factorFrame = new Frame(market.dates, [...market.factorReturns.columns, 'rf'], [...market.factorReturns.series, market.rf]);
  await writeTable(join(dir, 'factors.csv'), factorFrame);
  await writeTable(join(dir, 'signal.csv'), market.signal);
  // A placebo factor on the same cells as the signal, with no predictive power: to compare with.
  const rng = new Rng(seed, 99);
  await writeTable(
    join(dir, 'placebo.csv'),
    market.signal.map((v) => (v === v ? rng.normal(0, 1) : NaN)),
  );
  await writeTable(
    join(dir, 'sectors.csv'),
    market.assets.map((a) => ({ asset: a, sector: market.sectors[a] })),
  );
  const truth = {
    description:
      'What the synthetic market planted. Exposures and alpha are per asset, in the order of `assets`; alpha and idioVol are daily decimals.',
    assets: market.assets,
    alpha: Array.from(market.truth.alpha),
    exposures: Object.fromEntries(Object.entries(market.truth.exposures).map(([f, v]) => [f, Array.from(v)])),
    idioVol: Array.from(market.truth.idioVol),
    signalIC: market.truth.signalIC,
    signalHorizon: market.truth.signalHorizon,
    badTicks: market.truth.badTicks,
  };
  await writeJsonAtomic(join(dir, 'truth.json'), truth);
  return ['prices.csv', 'factors.csv', 'signal.csv', 'placebo.csv', 'sectors.csv', 'truth.json'];
}

function maxAbsDiff(a: Panel, b: Panel): number {
  if (a.nDates !== b.nDates || a.nAssets !== b.nAssets) return Infinity;
  let d = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i],
      y = b.values[i];
    if ((x !== x) !== (y !== y)) return Infinity;
    if (x === x) d = Math.max(d, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }
  return d;
}

/**
 * The library's own route, as a user would take it: FactorExposures (one OLS step of each asset's
 * return on the factors with a constant, rf subtracted as the risk-free rate), then planted vs
 * estimated exposures per factor over the fitted assets. `minObs` p + 1: every asset with at least
 * one residual degree of freedom is compared.
 */
function recoverExposures(market: SyntheticMarket, prices: Panel, factors: Frame): DemoSummary['exposures'] {
  const names = market.factorReturns.columns;
  const fit = new FactorExposures()
    .addRegressionFactors(factors, { step: false })
    .addStep(names)
    .fit(simpleReturns(prices), { riskFree: 'rf', minObs: names.length + 2, residuals: false });
  const d = fit.diagnostics[0];
  const m = fit.assets.length,
    p = d.coefficients.length;
  let fitted = 0;
  for (let j = 0; j < m; j++) if (d.fitted[j] === 1) fitted++;
  const recovery = names.map((factor, f) => {
    const truth = market.truth.exposures[factor];
    let sp = 0,
      se = 0,
      sq = 0,
      cover = 0,
      cnt = 0;
    for (let j = 0; j < m; j++) {
      const b = d.coef[j * p + 1 + f],
        s = d.se[j * p + 1 + f];
      if (!Number.isFinite(b)) continue;
      cnt++;
      sp += truth[j];
      se += b;
      sq += (b - truth[j]) ** 2;
      if (Math.abs(b - truth[j]) <= 2 * s) cover++;
    }
    return { factor, plantedMean: sp / cnt, estimatedMean: se / cnt, rmse: Math.sqrt(sq / cnt), coverage2se: cover / cnt };
  });
  return { fitted, skipped: m - fitted, factors: recovery };
}

/**
 * The signal's test as `factorlab analyze` runs it (analyzeFactor at the planted horizon, dates
 * with at least 3 assets): the per-date Pearson IC with the forward return and its summary (mean,
 * std, t = mean / (std/√n), p), and the mean rank IC.
 */
function measureIC(market: SyntheticMarket, prices: Panel): DemoSummary['signal'] {
  const h = market.truth.signalHorizon;
  const analysis = analyzeFactor({ factor: market.signal, prices }, { horizons: [h], minAssets: 3, maxLoss: 1 });
  const { pearson, spearman } = analysis.ic[String(h)].summary;
  return {
    horizon: h,
    plantedIC: market.truth.signalIC,
    meanIC: pearson.mean,
    icStd: pearson.std,
    tStat: pearson.tStat,
    pValue: pearson.pValue,
    meanRankIC: spearman.mean,
    dates: pearson.n,
  };
}

/**
 * The planted signal as a strategy (`factorlab backtest --rule top-quantile --quantiles 5
 * --schedule month-end --cost-bps 10 --benchmark equal`): its headline numbers.
 */
function backtestSignal(market: SyntheticMarket, prices: Panel): DemoSummary['backtest'] {
  const bt = backtest(prices, {
    signal: alignedRows(market.signal, prices),
    rule: topQuantile(5),
    schedule: { kind: 'month-end' },
    costBps: 10,
    benchmark: 'equal',
    periodsPerYear: 252,
  });
  const { net } = bt.performance;
  return {
    strategy: 'top quintile of the signal, equal weight, month end, next close, 10 bp',
    firstDate: bt.summary.firstDate,
    lastDate: bt.summary.lastDate,
    rebalances: bt.summary.rebalances,
    annualReturn: net.annualReturn,
    sharpe: net.sharpe,
    maxDrawdown: net.maxDrawdown.maxDrawdown,
    benchmarkAnnualReturn: net.benchmark?.annualReturn ?? NaN,
    informationRatio: net.benchmark?.informationRatio ?? NaN,
    meanTurnover: bt.summary.meanTurnover,
  };
}

export function renderDemo(s: DemoSummary): string[] {
  const mk = s.market;
  const lines = [
    `factorlab demo: a synthetic market with planted exposures and a planted signal (seed ${s.seed})`,
    '',
    keyValues([
      [
        'market',
        `${formatCount(mk.nAssets)} assets x ${formatCount(mk.nDates)} trading days (${mk.firstDate} .. ${mk.lastDate}), ${mk.factors.length} factors, ${mk.sectors} sectors`,
      ],
      [
        '',
        `${mk.lateListings} late listings, ${mk.delistings} delistings, ${formatPercent(mk.missingShare)} of prices missing, ${mk.plantedBadTicks.length} bad ticks planted`,
      ],
      [
        'ingest',
        `prices.csv read back: ${formatCount(s.ingest.nDates)} dates x ${formatCount(s.ingest.nAssets)} assets, largest relative difference ${s.ingest.maxAbsDifference.toExponential(1)}`,
      ],
      [
        'quality',
        `${s.quality.badTicksFound} bad ticks flagged; ${s.quality.plantedBadTicksFound} of ${mk.plantedBadTicks.length} planted ones found and set to missing`,
      ],
      [
        'exposures',
        `OLS of each asset's excess return on ${mk.factors.join(', ')} with a constant: ${s.exposures.fitted} fitted, ${s.exposures.skipped} skipped`,
      ],
    ]),
    '',
    table(
      ['factor', 'planted mean', 'estimated mean', 'RMSE', 'within 2 s.e.'],
      s.exposures.factors.map((f) => [
        f.factor,
        formatNumber(f.plantedMean, 3),
        formatNumber(f.estimatedMean, 3),
        formatNumber(f.rmse, 3),
        formatPercent(f.coverage2se),
      ]),
      { indent: 2, align: ['left', 'right', 'right', 'right', 'right'] },
    ),
    '  (about 95% within 2 standard errors is what sampling error predicts)',
    '',
    keyValues([
      [
        'signal',
        `planted IC ${formatNumber(s.signal.plantedIC, 3)} at ${s.signal.horizon}-day horizon; measured mean IC ${formatNumber(s.signal.meanIC, 3)} ± ${formatNumber(s.signal.icStd / Math.sqrt(s.signal.dates), 2)} s.e. (t = ${formatNumber(s.signal.tStat, 3)}, ${s.signal.dates} dates), mean rank IC ${formatNumber(s.signal.meanRankIC, 3)}`,
      ],
      [
        'backtest',
        `${s.backtest.strategy}: ${formatPercent(s.backtest.annualReturn)} a year against ${formatPercent(s.backtest.benchmarkAnnualReturn)} for the equal-weighted universe (information ratio ${formatNumber(s.backtest.informationRatio, 3)}), Sharpe ${formatNumber(s.backtest.sharpe, 3)}, max drawdown ${formatPercent(s.backtest.maxDrawdown)}, ${s.backtest.rebalances} rebalances turning over ${formatNumber(s.backtest.meanTurnover, 3)} each`,
      ],
      ['wrote', `${s.outDir}/{${s.files.join(',')}}`],
      ...s.reports.map((r, i): [string, string] => [
        i === 0 ? 'reports' : '',
        `${r.file} (${(r.bytes / 1e6).toFixed(1)} MB; open it in any browser, offline)`,
      ]),
      ['next', `factorlab analyze --factor ${join(s.outDir, 'signal.csv')} --prices ${join(s.outDir, 'prices.csv')} --clean`],
      ['', `factorlab exposures --prices ${join(s.outDir, 'prices.csv')} --factors ${join(s.outDir, 'factors.csv')} --clean`],
      [
        '',
        `factorlab backtest --prices ${join(s.outDir, 'prices.csv')} --factor ${join(s.outDir, 'signal.csv')} --clean --rule top-quantile --quantiles 5 --schedule month-end --cost-bps 10 --benchmark equal`,
      ],
    ]),
  ];
  return lines;
}
