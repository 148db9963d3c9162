/**
 * The JSON form of an {@link ExposureFit} (the CLI's `--out fit.json`). NaN is written as null.
 *
 * Schema (top level = the FIRST step; with several steps `steps` holds one such block per step):
 *   {
 *     "factors": ["mkt_rf", ...],                 // regressors of step 1 (risk-free column removed)
 *     "method": "ols" | "ridge" | "lasso" | "elastic-net",
 *     "includeConstant": true, "l1": 0, "l2": 0, "normalize": false, "minObs": 8,
 *     "assets": [{
 *       "asset": "AAPL", "nobs": 2012,
 *       "coef": {"const": ..., "mkt_rf": ...},      // keyed by "const" (if fitted) and the factors
 *       "se": {...}, "t": {...}, "p": {...},        // null in penalised steps (no classical se)
 *       "r2": 0.41, "adjR2": 0.40, "residualVol": 0.011,   // r2 null when the return is constant
 *       "nw": {"lags": 8, "se": {...}, "t": {...}, "p": {...}},   // only when Newey-West was asked
 *       "converged": true, "iterations": 12,       // only in penalised steps: CD sweeps,
 *       "dualityGap": 1e-21, "polished": true      // the gap (objective units), exact KKT solution
 *     }, ...],                                      // fitted assets, in input order
 *     "skipped": [{"asset": "XYZ", "reason": "5 observations, fewer than the minimum 9"}],
 *     "issues": [{"asset": ..., "constant": [...], "collinear": [...]}],   // dropped regressors
 *     "exposures": {"asset": {"mkt_rf": ..., "smb_rank": ...}},            // summed over steps + cross scores
 *     "steps": [ {"step": 1, <the block above>}, {"step": 2, ...} ]       // only with several steps
 *   }
 */
import { formatIsoDate } from '../core/dates.js';
import { CONSTANT_NAME } from './steps.js';
import type { ExposureFit, StepFit } from './fit.js';

export type Num = number | null;

export interface CoefJson {
  [name: string]: Num;
}

export interface ExposureAssetJson {
  asset: string;
  nobs: number;
  coef: CoefJson;
  se: CoefJson;
  t: CoefJson;
  p: CoefJson;
  r2: Num;
  adjR2: Num;
  residualVol: Num;
  nw?: { lags: number; se: CoefJson; t: CoefJson; p: CoefJson };
  converged?: boolean;
  iterations?: number;
  dualityGap?: Num;
  polished?: boolean;
}

export interface ExposureStepJson {
  factors: string[];
  method: string;
  includeConstant: boolean;
  l1: number;
  l2: number;
  normalize: boolean;
  minObs: number;
  assets: ExposureAssetJson[];
  skipped: { asset: string; reason: string }[];
  issues: { asset: string; constant: string[]; collinear: string[] }[];
}

export interface ExposureFitJson extends ExposureStepJson {
  exposures: Record<string, CoefJson>;
  alpha: CoefJson;
  riskFree: string | null;
  factorScale: number;
  dates: { start: string | null; end: string | null; count: number };
  steps?: (ExposureStepJson & { step: number })[];
}

const num = (v: number): Num => (Number.isFinite(v) ? v : null);

function coefObject(names: readonly string[], values: Float64Array, j: number): CoefJson {
  const p = names.length,
    o: CoefJson = {};
  names.forEach((name, i) => {
    o[name] = num(values[j * p + i]);
  });
  return o;
}

/** The JSON block of one step (see the module doc). */
export function stepToJson(fit: ExposureFit, d: StepFit): ExposureStepJson {
  const assets: ExposureAssetJson[] = [];
  const names = d.coefficients;
  fit.assets.forEach((asset, j) => {
    if (!d.fitted[j]) return;
    const a: ExposureAssetJson = {
      asset,
      nobs: d.nobs[j],
      coef: coefObject(names, d.coef, j),
      se: coefObject(names, d.se, j),
      t: coefObject(names, d.t, j),
      p: coefObject(names, d.p, j),
      r2: num(d.r2[j]),
      adjR2: num(d.adjR2[j]),
      residualVol: num(d.residualVol[j]),
    };
    if (d.nw !== null)
      a.nw = { lags: d.nw.lags[j], se: coefObject(names, d.nw.se, j), t: coefObject(names, d.nw.t, j), p: coefObject(names, d.nw.p, j) };
    if (d.converged !== null && d.iterations !== null) {
      a.converged = d.converged[j] === 1;
      a.iterations = d.iterations[j];
    }
    if (d.dualityGap !== null && d.polished !== null) {
      a.dualityGap = num(d.dualityGap[j]);
      a.polished = d.polished[j] === 1;
    }
    assets.push(a);
  });
  return {
    factors: [...d.factors],
    method: d.method,
    includeConstant: d.includeConstant,
    l1: d.l1,
    l2: d.l2,
    normalize: d.normalize,
    minObs: d.minObs,
    assets,
    skipped: d.skipped.map((s) => ({ asset: s.asset, reason: s.reason })),
    issues: d.issues.map((s) => ({ asset: s.asset, constant: s.constant, collinear: s.collinear })),
  };
}

/** Plain JSON-ready object of a fit (JSON.stringify it). See the module doc for the schema. */
export function exposureFitToJson(fit: ExposureFit): ExposureFitJson {
  const blocks = fit.diagnostics.map((d) => stepToJson(fit, d));
  const exposures: Record<string, CoefJson> = {};
  const alpha: CoefJson = {};
  const hasConst = fit.diagnostics.some((d) => d.includeConstant);
  fit.assets.forEach((asset, j) => {
    const o: CoefJson = {};
    for (const name of fit.exposureNames) o[name] = num(fit.exposures[name][j]);
    exposures[asset] = o;
    alpha[asset] = hasConst ? num(fit.alpha[j]) : 0;
  });
  const out: ExposureFitJson = {
    ...blocks[0],
    exposures,
    alpha,
    riskFree: fit.riskFree,
    factorScale: fit.factorScale,
    dates: {
      start: fit.dates.length > 0 ? formatIsoDate(fit.dates[0]) : null,
      end: fit.dates.length > 0 ? formatIsoDate(fit.dates[fit.dates.length - 1]) : null,
      count: fit.dates.length,
    },
  };
  if (blocks.length > 1) out.steps = blocks.map((b, i) => ({ step: i + 1, ...b }));
  return out;
}

/** Name used for the intercept in the JSON coefficient objects. */
export const JSON_CONSTANT = CONSTANT_NAME;
