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
import { exposureReportDocument } from '../report/exposureReport.js';
import { factorTearSheetDocument } from '../report/tearSheet.js';
import { runAnalyze } from './commands/analyze.js';
import { writeReportHtml } from './reportOutput.js';
import { generatorLine } from './reportSources.js';

export const DEMO_REPORTS = ['exposures.html', 'tearsheet.html'];

/** Writes `exposures.html` and `tearsheet.html` into `dir`; returns their names and sizes. */
export async function writeDemoReports(dir: string, prices: Panel, factors: FactorFrame): Promise<{ file: string; bytes: number }[]> {
  const returns = simpleReturns(prices);
  const regressors = factors.columns.filter((c) => c !== 'rf');
  const fe = new FactorExposures().addRegressionFactors(factors, { step: false }).addStep(regressors);
  const fit = fe.fit(returns, { riskFree: 'rf', residuals: false });
  const weights = equalWeightPanel(returns.map((v) => (v === v ? 1 : NaN)));
  const window = 126;
  const rolling = fit.rollingExposures(weights, { window });
  const own = fit.portfolioRollingRegression(weights, { window });
  const frame = new Frame(rolling.exposures.dates, [...rolling.exposures.columns, 'covered_weight', 'assets_used', ...own.columns.map((c) => `portfolio_${c}`)], [
    ...rolling.exposures.series, rolling.coveredWeight, Float64Array.from(rolling.assetsUsed), ...own.series,
  ]);
  const report = exposureReportData(
    { ...varianceModelOf(fit.model), date: formatIsoDate(fit.dates[fit.dates.length - 1]), weights, rollingExposures: rolling.exposures },
    { window: { start: fit.dates[0], end: fit.dates[fit.dates.length - 1] } },
  );
  const exposureDoc = exposureReportDocument({
    fit: { ...exposureFitToJson(fit), notes: ['3 planted bad ticks were set to missing before the returns were computed (demo: quality check and clean)'] },
    report, rolling: { ...frame.toJSON(), window },
    portfolio: `equal-weighted portfolio of the ${prices.nAssets} synthetic assets`, portfolioIsEqualWeight: true,
    inputs: [{ label: 'prices', value: join(dir, 'prices.csv') }, { label: 'factors', value: join(dir, 'factors.csv') }, { label: 'weights', value: 'equal (1/N of the assets with a return each date)' }, { label: 'window', value: `${window} rows` }],
    generator: generatorLine(),
  });
  const analysis = await runAnalyze({
    factor: join(dir, 'signal.csv'), prices: join(dir, 'prices.csv'), groups: join(dir, 'sectors.csv'), horizons: [1, 5, 21], quantiles: 5,
    universe: 'joint', minAssets: 3, icThreshold: 0.03, executionLag: 0, maxLoss: 0.35, decay: 10, clean: true, json: true, threads: 1, reportData: true,
  });
  const sheet = factorTearSheetDocument({ ...analysis, generator: generatorLine() });
  const out: { file: string; bytes: number }[] = [];
  out.push({ file: 'exposures.html', bytes: await writeReportHtml(join(dir, 'exposures.html'), exposureDoc) });
  out.push({ file: 'tearsheet.html', bytes: await writeReportHtml(join(dir, 'tearsheet.html'), sheet) });
  return out;
}
