/**
 * The library audit of the portfolio layer's public names (option and input checks only: the
 * solver is untouched): misspelt settings of solveQp, replicate's input and riskModelFromFit's
 * options are InputErrors naming the nearest name (they ran the default), bad setting values are
 * InputErrors naming them, and a QP of mismatched dimensions is an InputError (a plain Error).
 */
import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { fitExposures } from '../exposures/fit.js';
import { makeStep } from '../exposures/steps.js';
import { syntheticMarket } from '../synthetic/market.js';
import { optimize } from './optimize.js';
import { solveQp } from './qp/osqp.js';
import type { QpSettings } from './qp/osqp.js';
import type { QpProblem } from './qp/problem.js';
import { replicate, type ReplicateInput } from './replicate.js';
import { riskModelFromFit } from './riskModel.js';

const bad = <T>(o: object): T => o as unknown as T;

/** min ½‖x‖² − x₀ subject to x₀ + x₁ = 1: x = (1, 0). */
const qp: QpProblem = {
  hessian: { kind: 'dense', n: 2, matrix: Float64Array.from([1, 0, 0, 1]) },
  q: Float64Array.from([-1, 0]),
  rows: [{ dense: Float64Array.from([1, 1]) }],
  lower: Float64Array.from([1]),
  upper: Float64Array.from([1]),
};

describe('solveQp settings and problem', () => {
  it('a misspelt setting names the nearest one (it ran the default)', () => {
    expect(() => solveQp(qp, bad<QpSettings>({ maxIter: 10 }))).toThrow(/solveQp settings: unknown option "maxIter"/);
    expect(() => solveQp(qp, bad<QpSettings>({ epsabs: 1e-9 }))).toThrow(/did you mean "epsAbs"\?/);
  });

  it('bad setting values are InputErrors naming them', () => {
    expect(() => solveQp(qp, { epsAbs: -1 })).toThrow('epsAbs must be a finite number >= 0, got -1');
    expect(() => solveQp(qp, { maxIterations: 2.5 })).toThrow(InputError);
    expect(() => solveQp(qp, { alpha: 2 })).toThrow('alpha must be a number in (0, 2), got 2');
    expect(() => solveQp(qp, { rho: 0 })).toThrow(InputError);
    expect(() => solveQp(qp, { polish: 'no' as never })).toThrow('polish must be true or false');
    expect(() => solveQp(qp, { x: [1] })).toThrow('x has 1 values, expected 2 (a warm start of one value per variable)');
  });

  it('mismatched dimensions and crossed bounds are InputErrors (plain Errors before)', () => {
    expect(() => solveQp({ ...qp, q: Float64Array.from([1]) })).toThrow(InputError);
    expect(() => solveQp({ ...qp, lower: Float64Array.from([2]) })).toThrow('QP row 0: lower bound 2 above upper bound 1');
    const r = solveQp(qp, { epsAbs: 1e-9, epsRel: 1e-9 });
    expect(r.status).toBe('solved');
    expect(r.x[0]).toBeCloseTo(1, 6);
  });
});

describe('optimize, riskModelFromFit and replicate', () => {
  const market = syntheticMarket({ seed: 2, nAssets: 12, nDates: 160, missingShare: 0, lateListingShare: 0, delistingShare: 0 });
  const names = ['mkt_rf', 'smb'];
  const fit = fitExposures(market.factorReturns, market.returns, [makeStep(names)], [], { residuals: false });

  it('riskModelFromFit: a misspelt option or a bad periodsPerYear is an InputError', () => {
    expect(() => riskModelFromFit(fit, market.factorReturns, bad({ covarianceMethod: 'ewma' }))).toThrow(
      /riskModelFromFit options: unknown option "covarianceMethod"/,
    );
    expect(() => riskModelFromFit(fit, market.factorReturns, { periodsPerYear: -252 })).toThrow(
      'periodsPerYear must be a finite number > 0',
    );
    expect(riskModelFromFit(fit, market.factorReturns, { periodsPerYear: 252 }).model.periodsPerYear).toBe(252);
  });

  it('optimize: milpTimeLimit a finite number > 0', async () => {
    const { model } = riskModelFromFit(fit, market.factorReturns);
    await expect(optimize({ riskModel: model }, { milpTimeLimit: 0 })).rejects.toThrow('milpTimeLimit must be a finite number > 0, got 0');
    await expect(optimize({ riskModel: model }, { qp: bad({ maxIter: 5 }) })).rejects.toThrow(/solveQp settings: unknown option "maxIter"/);
  });

  it('replicate: misspelt input fields, windows and constraints, and a target of no known kind, are InputErrors', async () => {
    const base: ReplicateInput = {
      factors: market.factorReturns,
      factorNames: names,
      universe: market.returns,
      target: { name: 'EW', equalWeight: true },
      fit: { end: formatIsoDate(market.dates[99]) },
    };
    await expect(replicate(bad({ ...base, exposureTolerence: 0.1 }))).rejects.toThrow(/did you mean "exposureTolerance"\?/);
    await expect(replicate({ ...base, fit: bad({ from: '2018-01-01', end: base.fit.end }) })).rejects.toThrow(
      'replicate input.fit: unknown option "from"',
    );
    await expect(replicate({ ...base, constraints: bad({ trackingError: 0.01 }) })).rejects.toThrow(
      /replicate input.constraints: unknown option "trackingError"/,
    );
    await expect(replicate({ ...base, target: bad({ name: 'x', series: [] }) })).rejects.toThrow(/replicate input.target must be/); // a TypeError before
    await expect(replicate({ ...base, target: bad({ name: 'x', equalWeight: false }) })).rejects.toThrow(
      'replicate input.target.equalWeight must be true, got false (a boolean)',
    );
    await expect(replicate({ ...base, exposureTolerance: -0.1 })).rejects.toThrow(InputError);
    await expect(replicate({ ...base, minObs: 0 })).rejects.toThrow('minObs must be a whole number >= 1, got 0');
  });
});
