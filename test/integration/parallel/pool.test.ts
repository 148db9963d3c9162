/**
 * The worker pool, run from the built package (a worker thread cannot load TypeScript; see
 * src/parallel/pool.ts): rolling portfolio exposures on 1, 2 and 3 threads are bit-identical to the
 * single-thread function of the sources. CI builds before the unit tests; locally run `npm run build`.
 */
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../../../src/core/calendar.js';
import { Frame } from '../../../src/core/frame.js';
import { Panel } from '../../../src/core/panel.js';
import { ROLLING_BLOCK, rollingPortfolioExposures } from '../../../src/exposures/rolling.js';
import { runTask } from '../../../src/parallel/dispatch.js';
import { importBuilt } from '../../unit/parallel/built.js';
import type * as ParallelModule from '../../../src/parallel/index.js';
import type * as CoreModule from '../../../src/core/index.js';

type Built = typeof ParallelModule;
type BuiltCore = typeof CoreModule;

async function built(): Promise<{ par: Built; core: BuiltCore }> {
  return { par: await importBuilt<Built>('parallel/index.js'), core: await importBuilt<BuiltCore>('core/index.js') };
}

function bits(a: Float64Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function market(n: number, m: number): { returns: Panel; factors: Frame; weights: Panel } {
  let s = 11;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const iso = Array.from({ length: n }, (_, t) => new Date(Date.UTC(2020, 0, 1) + t * 86400000).toISOString().slice(0, 10));
  const dates = calendarFromIso(iso);
  const f = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => 0.02 * u()));
  const factors = new Frame(dates, ['a', 'b', 'c'], f);
  const vals = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) vals[t * m + j] = u() < -0.46 ? NaN : ((j % 7) / 5) * f[0][t] + 0.3 * f[2][t] + 0.01 * u();
  const assets = Array.from({ length: m }, (_, j) => `S${j}`);
  const weights = new Panel(
    dates,
    assets,
    Float64Array.from({ length: n * m }, () => (u() < -0.3 ? NaN : u())),
  );
  return { returns: new Panel(dates, assets, vals), factors, weights };
}

describe('worker pool: parallel rolling exposures are bit-identical to one thread', () => {
  const { returns, factors, weights } = market(90, ROLLING_BLOCK * 3 + 5);
  const single = rollingPortfolioExposures(returns, factors, weights, { window: 30, renormalize: true });

  it('the in-process task runner gives the single-thread partials (sanity of the task format)', async () => {
    await expect(runTask({ kind: 'nope' } as never)).rejects.toThrow(/unknown pool task/);
  });

  it('1, 2 and 3 threads (built package) == single thread (sources), bit for bit', async () => {
    const { par, core } = await built();
    // Panels must be the built package's classes for the built functions.
    const R = new core.Panel(returns.dates, returns.assets, returns.values);
    const W = new core.Panel(weights.dates, weights.assets, weights.values);
    const F = new core.Frame(factors.dates, factors.columns, factors.series);
    for (const threads of [1, 2, 3]) {
      const p = await par.rollingPortfolioExposuresParallel(R, F, W, { window: 30, renormalize: true, threads });
      for (let f = 0; f < 3; f++)
        expect(bits(p.exposures.series[f]), `threads ${threads}, factor ${f}`).toBe(bits(single.exposures.series[f]));
      expect(bits(p.coveredWeight)).toBe(bits(single.coveredWeight));
      expect(bits(p.assetsUsed)).toBe(bits(single.assetsUsed));
    }
    // and the numbers are real: most dates after the first window have exposures
    const e = single.exposures.series[0];
    let finite = 0;
    for (let t = 29; t < 90; t++) if (Number.isFinite(e[t])) finite++;
    expect(finite).toBe(61);
    expect(single.assetsUsed[60]).toBeGreaterThan(300);
  });

  it('a shared pool can be reused across calls', async () => {
    const { par, core } = await built();
    const pool = new par.WorkerPool(2);
    try {
      const R = new core.Panel(returns.dates, returns.assets, returns.values);
      const W = new core.Panel(weights.dates, weights.assets, weights.values);
      const F = new core.Frame(factors.dates, factors.columns, factors.series);
      const a = await par.rollingPortfolioExposuresParallel(R, F, W, { window: 30, renormalize: true, pool });
      const b = await par.rollingPortfolioExposuresParallel(R, F, W, { window: 30, renormalize: true, pool });
      expect(bits(a.exposures.series[1])).toBe(bits(single.exposures.series[1]));
      expect(bits(b.exposures.series[1])).toBe(bits(single.exposures.series[1]));
    } finally {
      await pool.destroy();
    }
  });
});
