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
import { plural } from './format.js';

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

type Shape = 'array' | 'object' | 'string' | 'number' | 'boolean' | 'strings';

function shapeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function fits(v: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'array':
      return Array.isArray(v);
    case 'strings':
      return Array.isArray(v) && v.every((s) => typeof s === 'string');
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return typeof v === shape;
  }
}

const HINT_UNCHANGED = 'the file must be the JSON factorlab wrote, unchanged: write it again with the command that made it';

/**
 * The keys a report reads of a result recognised as `kind`, with the type each must have
 * (`?`: may be absent, as in results of older versions); a hand-edited or cut-down result is
 * refused naming the key instead of failing inside the report.
 */
function requireShape(x: Json, file: string, kind: string, keys: Record<string, Shape | `${Shape}?`>): void {
  for (const [key, spec] of Object.entries(keys)) {
    const optional = spec.endsWith('?');
    const shape = (optional ? spec.slice(0, -1) : spec) as Shape;
    const v = x[key];
    if (v === undefined && optional) continue;
    if (!fits(v, shape))
      throw new InputError(
        `${kind} whose "${key}" is ${v === undefined ? 'missing' : shapeOf(v)}, not ${shape === 'strings' ? 'an array of texts' : shape === 'array' || shape === 'object' ? `an ${shape}` : `a ${shape}`}`,
        { file, hint: HINT_UNCHANGED },
      );
  }
}

/**
 * The report document of a saved result; `file` names it in messages. A field deeper in the file
 * that is missing or of the wrong type (a hand-edited result) is exit 2 naming the file, never an
 * internal error.
 */
export function documentOfResult(value: unknown, file: string): ReportDocument {
  try {
    return documentOfJson(value, file);
  } catch (e) {
    throw malformedResult(e, file);
  }
}

/**
 * `e` as the exit-2 error of a result file whose fields are not what factorlab wrote: a
 * TypeError or RangeError raised while its report is drawn (reading a field that is missing or of
 * another type), or an InputError of the library's checks without a file (a Panel of the result's
 * unsorted dates); any other error unchanged.
 */
export function malformedResult(e: unknown, file: string): unknown {
  // the library's own check of a value read from the file (unsorted or repeated dates, a bad date
  // text): its words, with the file it came from
  if (e instanceof InputError && e.location.file === undefined)
    return new InputError(`the result is not what factorlab writes: ${e.problem}`, {
      ...e.location,
      file,
      hint: `${HINT_UNCHANGED} (if it is unchanged, this is a fault in factorlab: please report it)`,
      cause: e,
    });
  if (!(e instanceof TypeError || e instanceof RangeError)) return e;
  // the engine's wording ("Cannot read properties of undefined (reading 'x')") is not for users:
  // keep only the field it names
  let field = /reading '([^']+)'/.exec(e.message)?.[1] ?? /\.?(\w+)\.\w+ is not a function/.exec(e.message)?.[1];
  // `length`, `map`, `toFixed`: a property of the value, not a field of the file
  if (field !== undefined && (field in Array.prototype || field in String.prototype || field in Number.prototype)) field = undefined;
  return new InputError(
    `the result has a missing or malformed field${field !== undefined ? ` (at "${field}")` : ''}: it is not what factorlab writes`,
    { file, hint: `${HINT_UNCHANGED} (if it is unchanged, this is a fault in factorlab: please report it)` },
  );
}

function documentOfJson(value: unknown, file: string): ReportDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('not a factorlab result: the JSON is not an object', {
      file,
      hint: 'give the JSON written by the --out of `factorlab exposures`, `analyze`, `backtest`, `optimize` or `replicate`',
    });
  }
  const x = value as Json;
  if (x.notes !== undefined && !fits(x.notes, 'strings'))
    throw new InputError(`"notes" is ${shapeOf(x.notes)}, not an array of texts`, { file, hint: HINT_UNCHANGED });
  if (isExposureFit(x)) {
    requireShape(x, file, 'an exposures fit', {
      factors: 'strings',
      assets: 'array',
      skipped: 'array',
      issues: 'array',
      exposures: 'object',
      alpha: 'object',
      dates: 'object',
      report: 'object?',
      rolling: 'object?',
    });
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
      portfolio: `equal-weighted portfolio of ${plural(n, 'fitted asset')}`, // as `exposures --report` says it (the JSON lists the fitted assets)
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
