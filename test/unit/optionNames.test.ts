/**
 * A misspelt option of a public entry point is an InputError naming it and the nearest known name:
 * before, `analyzeFactor(d, { horizon: [5] })` ran with the default horizons, `backtest(p, { costBP: 10 })`
 * without costs and `optimize({ ..., constraints: { maxweight: 0.05 } })` without the cap, silently
 * (a TypeScript object literal catches it; a JavaScript caller, a spread or a JSON config does not).
 */
import { describe, expect, it } from 'vitest';
import {
  analyzeFactor,
  backtest,
  FactorExposures,
  Frame,
  InputError,
  optimize,
  runBacktest,
  syntheticMarket,
  topN,
} from '../../src/index.js';
import type { OptimizeSpec } from '../../src/index.js';

const market = syntheticMarket({ seed: 3, nAssets: 20, nDates: 120 });

/** Runs f (sync or async), expects an InputError, returns its message. */
async function message(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('misspelt options of the public entry points', () => {
  it('analyzeFactor', async () => {
    const bad = { horizon: [5] } as unknown as Parameters<typeof analyzeFactor>[1];
    expect(await message(() => analyzeFactor({ factor: market.signal, prices: market.prices }, bad))).toMatch(
      /analyzeFactor options: unknown option "horizon" \(did you mean "horizons"\?\)/,
    );
  });

  it('FactorExposures.fit', async () => {
    const factors = new Frame(market.dates, [...market.factorReturns.columns, 'rf'], [...market.factorReturns.series, market.rf]);
    const fe = new FactorExposures().addRegressionFactors(factors);
    const bad = { neweywest: true, riskFree: 'rf' } as unknown as Parameters<typeof fe.fit>[1];
    expect(await message(() => fe.fit(market.returns, bad))).toMatch(
      /fit options: unknown option "neweywest" \(did you mean "neweyWest"\?\)/,
    );
  });

  it('backtest and runBacktest', async () => {
    const base = { signal: market.signal, rule: topN(5), schedule: { kind: 'month-end' as const } };
    const bad = { ...base, costBP: 10 } as unknown as Parameters<typeof backtest>[1];
    expect(await message(() => backtest(market.prices, bad))).toMatch(
      /backtest options: unknown option "costBP" \(did you mean "costBps"\?\)/,
    );
    expect(await message(() => runBacktest(market.prices, bad))).toMatch(/runBacktest options: unknown option "costBP"/);
    // the results' own options pass through backtest
    expect(() => backtest(market.prices, { ...base, costBps: 10, benchmark: 'equal', detail: false })).not.toThrow();
  });

  it('optimize: the spec, its constraints and the options', async () => {
    const riskModel = {} as OptimizeSpec['riskModel']; // never read: the names are checked first
    const spec = (x: object): OptimizeSpec => ({ riskModel, ...x }) as OptimizeSpec;
    expect(await message(() => optimize(spec({ constraints: { maxweight: 0.05 } })))).toMatch(
      /optimize spec\.constraints: unknown option "maxweight" \(did you mean "maxWeight"\?\)/,
    );
    expect(await message(() => optimize(spec({ riskAverson: 2 })))).toMatch(
      /optimize spec: unknown option "riskAverson" \(did you mean "riskAversion"\?\)/,
    );
  });
});
