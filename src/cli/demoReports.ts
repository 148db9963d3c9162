/**
 * The two reports of `factorlab demo`, built from the files the demo wrote, through the same code
 * the commands use: the exposure report of the equal-weighted portfolio of every asset (OLS on the
 * six factors, 126-row rolling exposures and the portfolio's own rolling regression), and the tear
 * sheet of the planted signal with the sectors (horizons 1, 5, 21, IC decay to 10 rows).
 */
import { join } from 'node:path';
import { formatIsoDate } from '../core/dates.js';
import { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import { simpleReturns } from '../core/returns.js';
import { equalWeightPanel, varianceModelOf } from '../exposures/analyses.js';
import { FactorExposures } from '../exposures/factorExposures.js';
import { exposureFitToJson } from '../exposures/json.js';
import { exposureReportData } from '../exposures/report.js';
import type { Frame as FactorFrame } from '../core/frame.js';
import type { ReportDocument } from '../report/document.js';
import { exposureReportDocument, type ExposureReportSource } from '../report/exposureReport.js';
import { factorTearSheetDocument, type TearSheetSource } from '../report/tearSheet.js';
import { checkQuality, cleanBadTicks } from '../core/quality.js';
import { readFrame, readPanel } from '../io/index.js';
import { runAnalyze } from './commands/analyze.js';
import { runBacktestCommand, type BacktestFlags } from './commands/backtest.js';
import { backtestReportDocument } from '../report/backtestReport.js';
import { writeReportHtml } from './reportOutput.js';
import { optimizeJson, runOptimize, type OptimizeFlags } from './commands/optimize.js';
import { runReplicate, type ReplicateFlags } from './commands/replicate.js';
import { optimizeReportDocument, replicateReportDocument, type ReplicateReportSource } from '../report/portfolioReport.js';
import type { CliStreams } from './streams.js';
import { generatorLine } from './generator.js';

export const DEMO_REPORTS = ['exposures.html', 'tearsheet.html', 'backtest.html'];

/** The documents of the demo's two reports (exposures, tear sheet), built from the files in `dir`. */
export async function demoReportDocuments(
  dir: string,
  prices: Panel,
  factors: FactorFrame,
): Promise<{ exposures: ReportDocument; tearSheet: ReportDocument; exposureSource: ExposureReportSource; analysis: TearSheetSource }> {
  const returns = simpleReturns(prices);
  const regressors = factors.columns.filter((c) => c !== 'rf');
  const fe = new FactorExposures().addRegressionFactors(factors, { step: false }).addStep(regressors);
  const fit = fe.fit(returns, { riskFree: 'rf', residuals: false });
  const weights = equalWeightPanel(returns.map((v) => (v === v ? 1 : NaN)));
  const window = 126;
  const rolling = fit.rollingExposures(weights, { window });
  const own = fit.portfolioRollingRegression(weights, { window });
  const frame = new Frame(
    rolling.exposures.dates,
    [...rolling.exposures.columns, 'covered_weight', 'assets_used', ...own.columns.map((c) => `portfolio_${c}`)],
    [...rolling.exposures.series, rolling.coveredWeight, Float64Array.from(rolling.assetsUsed), ...own.series],
  );
  const report = exposureReportData(
    { ...varianceModelOf(fit.model), date: formatIsoDate(fit.dates[fit.dates.length - 1]), weights, rollingExposures: rolling.exposures },
    { window: { start: fit.dates[0], end: fit.dates[fit.dates.length - 1] } },
  );
  const exposureSource: ExposureReportSource = {
    fit: {
      ...exposureFitToJson(fit),
      notes: ['3 planted bad ticks were set to missing before the returns were computed (demo: quality check and clean)'],
    },
    report,
    rolling: { ...frame.toJSON(), window },
    portfolio: `equal-weighted portfolio of the ${prices.nAssets} synthetic assets`,
    portfolioIsEqualWeight: true,
    inputs: [
      { label: 'prices', value: join(dir, 'prices.csv') },
      { label: 'factors', value: join(dir, 'factors.csv') },
      { label: 'weights', value: 'equal (1/N of the assets with a return each date)' },
      { label: 'window', value: `${window} rows` },
    ],
    generator: generatorLine(),
  };
  const exposureDoc = exposureReportDocument(exposureSource);
  const analysis = await runAnalyze({
    factor: join(dir, 'signal.csv'),
    prices: join(dir, 'prices.csv'),
    groups: join(dir, 'sectors.csv'),
    horizons: [1, 5, 21],
    quantiles: 5,
    universe: 'joint',
    minAssets: 3,
    icThreshold: 0.03,
    executionLag: 0,
    maxLoss: 0.35,
    decay: 10,
    clean: true,
    json: true,
    threads: 1,
    reportData: true,
  });
  const sheet = factorTearSheetDocument({ ...analysis, generator: generatorLine() });
  return { exposures: exposureDoc, tearSheet: sheet, exposureSource, analysis };
}

/** The exposure source with `k` factors (names f1..fk, rolling columns copied from the real ones): for chart shapes only, the numbers mean nothing. */
function withFactorCount(src: ExposureReportSource, k: number): ExposureReportSource {
  const base = src.report?.factors ?? src.fit.factors;
  const names = Array.from({ length: k }, (_, i) => `f${i + 1}`);
  const rolling = src.rolling ? { ...src.rolling, columns: { ...src.rolling.columns } } : null;
  if (rolling) {
    names.forEach((n, i) => {
      rolling.columns[n] = rolling.columns[base[i % base.length]];
      const own = rolling.columns[`portfolio_${base[i % base.length]}`];
      if (own) rolling.columns[`portfolio_${n}`] = own;
    });
  }
  const report = src.report ? { ...src.report, factors: names } : null;
  if (report?.exposuresThroughTime?.equalWeightRolling) {
    const ew = report.exposuresThroughTime.equalWeightRolling;
    const columns = { ...ew.columns };
    names.forEach((n, i) => {
      columns[n] = ew.columns[base[i % base.length]];
    });
    report.exposuresThroughTime = { ...report.exposuresThroughTime, equalWeightRolling: { ...ew, columns } };
  }
  return { ...src, fit: { ...src.fit, factors: names }, report, rolling };
}

/**
 * The demo's reports and variants of them, for compiling the charts' shapes ahead of time
 * (scripts/gen-report-templates.mjs): 1..12 factors, equal-weighted or not, with and without the
 * report data and the rolling data; 2..10 quantiles, with and without groups, decay and extras;
 * a backtest of the planted signal with and without a benchmark, with exposures of 1..12 factors.
 * `dir` holds a demo market (`factorlab demo --out dir`).
 */
export async function demoReportVariants(dir: string): Promise<ReportDocument[]> {
  const raw = (await readPanel(join(dir, 'prices.csv'), { layout: 'wide', kind: 'prices' })).panel;
  const prices = cleanBadTicks(raw, checkQuality(raw, { kind: 'prices', maxFindingsPerKind: Infinity }));
  const factors = await readFrame(join(dir, 'factors.csv'));
  const { exposures, tearSheet, exposureSource, analysis } = await demoReportDocuments(dir, prices, factors);
  const docs = [exposures, tearSheet];
  for (let k = 1; k <= 12; k++) {
    const s = withFactorCount(exposureSource, k);
    for (const ew of [true, false]) {
      docs.push(exposureReportDocument({ ...s, portfolioIsEqualWeight: ew }));
      docs.push(exposureReportDocument({ ...s, portfolioIsEqualWeight: ew, rolling: null }));
      docs.push(exposureReportDocument({ ...s, portfolioIsEqualWeight: ew, report: null }));
    }
  }
  const sheets: TearSheetSource[] = [
    analysis,
    {
      ...analysis,
      tearSheet: undefined,
      icByGroup: undefined,
      icDecay: undefined,
      inputs: analysis.inputs ? { ...analysis.inputs, groups: undefined } : undefined,
    },
  ];
  for (let q = 2; q <= 10; q++) {
    if (q === 5) continue;
    sheets.push(
      await runAnalyze({
        factor: join(dir, 'signal.csv'),
        prices: join(dir, 'prices.csv'),
        groups: join(dir, 'sectors.csv'),
        horizons: [1, 5],
        quantiles: q,
        universe: 'joint',
        minAssets: 3,
        icThreshold: 0.03,
        executionLag: 0,
        maxLoss: 0.9,
        decay: 3,
        clean: true,
        json: true,
        threads: 1,
        reportData: true,
      }),
    );
  }
  for (const s of sheets) docs.push(factorTearSheetDocument({ ...s, generator: generatorLine() }));
  for (const benchmark of [undefined, 'equal']) {
    const bt = (await runBacktestCommand(demoBacktestFlags(dir, benchmark))).toJSON();
    docs.push(backtestReportDocument(bt));
    // a flat NAV (no log scale)
    docs.push(
      backtestReportDocument({
        ...bt,
        series: {
          ...bt.series,
          navNet: bt.series.navNet.map(() => 1),
          navGross: bt.series.navGross.map(() => 1),
          ...(bt.series.benchmarkReturns ? { benchmarkReturns: bt.series.benchmarkReturns.map(() => 0) } : {}),
        },
      }),
    );
    for (let k = 1; k <= 12; k++) {
      const columns = Object.fromEntries(Array.from({ length: k }, (_, i) => [`f${i + 1}`, bt.series.holdings]));
      docs.push(
        backtestReportDocument({
          ...bt,
          exposures: {
            factors: Object.keys(columns),
            window: 63,
            riskFree: 'rf',
            regression: columns,
            holdings: { exposures: columns, coveredWeight: bt.series.holdings.map(() => 1), assetsUsed: [] },
          },
        }),
      );
    }
  }
  docs.push(
    ...(await demoPortfolioDocuments(
      dir,
      Array.from(prices.dates, (d) => formatIsoDate(d)),
    )),
  );
  return docs;
}

const silent: CliStreams = { stdout: () => {}, stderr: () => {} };

/**
 * The optimiser and replicate pages of the demo market for the template generator: against the
 * equal-weighted benchmark with sector and exposure bands, without a benchmark, and with current
 * holdings (trades); the basket with and without an out-of-sample window.
 */
async function demoPortfolioDocuments(dir: string, dates: string[]): Promise<ReportDocument[]> {
  const docs: ReportDocument[] = [];
  const opt = await runOptimize({ ...demoOptimizeFlags(dir), json: true }, silent);
  docs.push(optimizeReportDocument(optimizeJson(opt.result, opt.notes)));
  const plain = await runOptimize(
    { ...demoOptimizeFlags(dir), benchmark: undefined, groupBand: undefined, activeExposure: undefined, maxNames: undefined, json: true },
    silent,
  );
  docs.push(optimizeReportDocument(optimizeJson(plain.result, plain.notes)));
  const fitEnd = dates[Math.floor((dates.length * 2) / 3)];
  const rep = await runReplicate({ ...demoReplicateFlags(dir, fitEnd), json: true }, silent);
  const json = { ...(rep.result.toJSON() as unknown as ReplicateReportSource), notes: rep.notes };
  docs.push(
    replicateReportDocument(json),
    replicateReportDocument({ ...json, outOfSample: null, dropped: [{ asset: 'A001', reason: 'too few returns' }] }),
  );
  return docs;
}

/**
 * The demo's optimiser run: the equal-weighted benchmark, at most 5% a name and 60 names, the
 * market beta within ±0.05 of the benchmark's, Energy and Utilities within ±2% of theirs.
 */
export function demoOptimizeFlags(dir: string): OptimizeFlags {
  return {
    prices: join(dir, 'prices.csv'),
    factors: [join(dir, 'factors.csv')],
    clean: true,
    threads: 1,
    covariance: 'ledoit-wolf',
    limit: 15,
    benchmark: 'equal',
    maxWeight: 0.05,
    maxNames: 60,
    groups: join(dir, 'sectors.csv'),
    groupBand: ['Energy=-0.02:0.02', 'Utilities=-0.02:0.02'],
    activeExposure: ['mkt_rf=-0.05:0.05', 'smb=-0.1:0.1'],
  };
}

/** The demo's basket: 30 names that match the equal-weighted market's exposures, fitted up to `fitEnd`. */
export function demoReplicateFlags(dir: string, fitEnd: string): ReplicateFlags {
  return {
    prices: join(dir, 'prices.csv'),
    factors: [join(dir, 'factors.csv')],
    clean: true,
    threads: 1,
    covariance: 'ledoit-wolf',
    limit: 15,
    fitEnd,
    targetWeights: 'equal',
    maxNames: 30,
    exposureTolerance: 0,
  };
}

/** A backtest of the demo's planted signal: the top 30 names each Friday, 10 bp, optionally against the equal-weighted market. */
export function demoBacktestFlags(dir: string, benchmark?: string): BacktestFlags {
  return {
    prices: join(dir, 'prices.csv'),
    factor: join(dir, 'signal.csv'),
    rule: 'top-n',
    top: 30,
    quantiles: 5,
    nDrop: 1,
    volLookback: 63,
    schedule: { kind: 'weekly', weekday: 4 },
    executionLag: 1,
    exposureWindow: 63,
    costBps: 10,
    minCost: 0,
    capital: 1_000_000,
    clean: true,
    json: true,
    ...(benchmark !== undefined ? { benchmark } : {}),
  };
}

/** Writes `exposures.html` and `tearsheet.html` into `dir`; returns their names and sizes. */
export async function writeDemoReports(dir: string, prices: Panel, factors: FactorFrame): Promise<{ file: string; bytes: number }[]> {
  const { exposures: exposureDoc, tearSheet: sheet } = await demoReportDocuments(dir, prices, factors);
  const out: { file: string; bytes: number }[] = [];
  out.push({ file: 'exposures.html', bytes: await writeReportHtml(join(dir, 'exposures.html'), exposureDoc) });
  out.push({ file: 'tearsheet.html', bytes: await writeReportHtml(join(dir, 'tearsheet.html'), sheet) });
  const bt = (await runBacktestCommand(demoStrategyFlags(dir))).toJSON();
  out.push({
    file: 'backtest.html',
    bytes: await writeReportHtml(join(dir, 'backtest.html'), backtestReportDocument({ ...bt, generator: generatorLine() })),
  });
  return out;
}

/**
 * The demo's strategy as `factorlab backtest` runs it (top quintile of the planted signal, month
 * end, next close, 10 bp, against the equal-weighted universe), with its exposures to the six
 * factors through time (`--factors factors.csv`): the page `backtest.html` is drawn from it.
 */
export function demoStrategyFlags(dir: string): BacktestFlags {
  return {
    prices: join(dir, 'prices.csv'),
    factor: join(dir, 'signal.csv'),
    rule: 'top-quantile',
    top: 30,
    quantiles: 5,
    nDrop: 1,
    volLookback: 63,
    schedule: { kind: 'month-end' },
    executionLag: 1,
    exposureWindow: 63,
    costBps: 10,
    minCost: 0,
    capital: 1_000_000,
    clean: true,
    json: true,
    benchmark: 'equal',
    factors: [join(dir, 'factors.csv')],
  };
}
