/**
 * What `factorlab report RESULT.json` reads: the JSON of `exposures --out` (with its `report` key
 * when `--report-data` or `--report` was given), of `analyze --out` (with `tearSheet` when
 * asked), of `backtest --out`, `optimize --out` or `replicate --out`, recognised by their keys; anything else is refused with what the file looks like.
 */
import { InputError } from '../core/errors.js';
import type { ExposureFitJson } from '../exposures/json.js';
import type { ExposureReportData, SeriesData } from '../exposures/report.js';
import type { ReportDocument } from '../report/document.js';
import { exposureReportDocument } from '../report/exposureReport.js';
import { factorTearSheetDocument, type TearSheetSource } from '../report/tearSheet.js';
import { backtestReportDocument, type BacktestReportSource } from '../report/backtestReport.js';
import {
  optimizeReportDocument,
  replicateReportDocument,
  type OptimizeReportSource,
  type ReplicateReportSource,
} from '../report/portfolioReport.js';
import { generatorLine } from './generator.js';

type Json = Record<string, unknown>;

function isExposureFit(x: Json): boolean {
  return Array.isArray(x.assets) && Array.isArray(x.factors) && typeof x.method === 'string' && typeof x.exposures === 'object';
}

function isBacktest(x: Json): boolean {
  return (
    typeof x.strategy === 'string' &&
    typeof x.series === 'object' &&
    Array.isArray(x.rebalances) &&
    typeof x.performance === 'object' &&
    typeof x.summary === 'object'
  );
}

function isOptimization(x: Json): boolean {
  return (
    Array.isArray(x.holdings) &&
    Array.isArray(x.constraints) &&
    typeof x.risk === 'object' &&
    typeof x.turnover === 'object' &&
    typeof x.solver === 'object'
  );
}

function isReplication(x: Json): boolean {
  return (
    typeof x.target === 'string' &&
    Array.isArray(x.holdings) &&
    typeof x.exposures === 'object' &&
    typeof x.inSample === 'object' &&
    typeof x.riskModel === 'object' &&
    typeof x.solver === 'object'
  );
}

function isAnalysis(x: Json): boolean {
  return typeof x.ic === 'object' && typeof x.quantiles === 'object' && typeof x.dataLoss === 'object' && Array.isArray(x.horizons);
}

/** The report document of a saved result; `file` names it in messages. */
export function documentOfResult(value: unknown, file: string): ReportDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('not a factorlab result: the JSON is not an object', {
      file,
      hint: 'give the JSON written by the --out of `factorlab exposures`, `analyze`, `backtest`, `optimize` or `replicate`',
    });
  }
  const x = value as Json;
  if (isExposureFit(x)) {
    const fit = x as unknown as ExposureFitJson & {
      notes?: string[];
      report?: ExposureReportData;
      rolling?: SeriesData & { window: number };
    };
    const n = fit.assets.length;
    return exposureReportDocument({
      fit,
      report: fit.report ?? null,
      rolling: fit.rolling ?? null,
      portfolio: `equal-weighted portfolio of ${n} asset${n === 1 ? '' : 's'}`,
      portfolioIsEqualWeight: true,
      inputs: [{ label: 'result', value: file }],
      generator: generatorLine(),
    });
  }
  if (isAnalysis(x)) return factorTearSheetDocument({ ...(x as unknown as TearSheetSource), resultFile: file, generator: generatorLine() });
  if (isBacktest(x))
    return backtestReportDocument({ ...(x as unknown as BacktestReportSource), resultFile: file, generator: generatorLine() });
  if (isOptimization(x))
    return optimizeReportDocument({
      ...(x as unknown as OptimizeReportSource),
      notes: Array.isArray(x.notes) ? (x.notes as string[]) : [],
      resultFile: file,
      generator: generatorLine(),
    });
  if (isReplication(x))
    return replicateReportDocument({ ...(x as unknown as ReplicateReportSource), resultFile: file, generator: generatorLine() });
  const keys = Object.keys(x).slice(0, 8).join(', ');
  throw new InputError(`not a factorlab result: the keys are ${keys || '(none)'}`, {
    file,
    hint: 'give the JSON written by `factorlab exposures --out fit.json`, `factorlab analyze --out result.json`, `factorlab backtest --out backtest.json`, `factorlab optimize --out result.json` or `factorlab replicate --out basket.json` (rolling writes a table, not a result: use `rolling --report`)',
  });
}
