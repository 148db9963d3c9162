/**
 * Threaded batch OLS: bit-identical to olsBatch (sources) for 1, 2 and 3 threads, with missing
 * data, too-short and constant series, a strided column block, residualsOut and a shared y; the
 * same for Newey-West (neweyWestBatchParallel, in-process ranges); and FactorExposures fitted
 * through fitExposuresParallel equals fe.fit bit for bit. The threaded runs
 * use the built package (a worker thread cannot load TypeScript, see pool.ts) and are compared with
 * its single-thread kernels; run `npm run build`.
 */
import { describe, expect, it } from 'vitest';
import { olsBatch, olsBatchArrays } from '../stats/ols.js';
import type { OlsBatchResult } from '../stats/ols.js';
import { neweyWestBatch } from '../stats/neweyWestBatch.js';
import type { NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import { runTask } from './dispatch.js';
import { chunkBounds, chunkCounter } from './chunks.js';
import { importBuilt } from '../../test/unit/parallel/built.js';
import type * as ParallelModule from './index.js';
import type * as CoreModule from '../core/index.js';
import type * as ExposuresModule from '../exposures/index.js';
import type * as StatsModule from '../stats/index.js';

async function built(): Promise<{
  par: typeof ParallelModule;
  core: typeof CoreModule;
  exp: typeof ExposuresModule;
  stats: typeof StatsModule;
}> {
  return {
    par: await importBuilt<typeof ParallelModule>('parallel/index.js'),
    stats: await importBuilt<typeof StatsModule>('stats/index.js'),
    core: await importBuilt<typeof CoreModule>('core/index.js'),
    exp: await importBuilt<typeof ExposuresModule>('exposures/index.js'),
  };
}

const bits = (a: Float64Array | Int32Array | null): string =>
  a === null ? 'null' : Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const FIELDS = ['coef', 'se', 't', 'pValue', 'r2', 'adjR2', 'residualStd', 'ssr', 'nobs', 'dfResid', 'rank', 'residuals'] as const;
function expectSame(a: OlsBatchResult, b: OlsBatchResult, what: string): void {
  for (const f of FIELDS) expect(bits(a[f]), `${what}: ${f}`).toBe(bits(b[f]));
  expect(a.issues, `${what}: issues`).toEqual(b.issues);
}

/** n×m returns on k factors with 3% missing, three too-short series and a constant one. */
function data(n: number, m: number, k: number): { y: Float64Array; x: Float64Array } {
  let s = 7;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const x = Float64Array.from({ length: n * k }, () => 0.02 * u());
  const y = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let r = 0.01 * u();
      for (let f = 0; f < k; f++) r += ((j % 5) / 4 - f / 10) * x[t * k + f];
      y[t * m + j] = u() < -0.47 || (j % 997 === 3 && t > 4) ? NaN : j === 11 ? 0.25 : r;
    }
  return { y, x };
}

describe('the olsRange task', () => {
  it('chunks claimed in process by two runTask calls sharing a counter equal one olsBatch, bit for bit', async () => {
    const n = 120,
      m = 700,
      k = 6;
    const { y, x } = data(n, m, k);
    const whole = olsBatch(y, n, m, x, k);
    const out = olsBatchArrays(m, k + 1);
    const residuals = new Float64Array(n * m);
    const bounds = chunkBounds(m, 7),
      next = chunkCounter();
    const task = { kind: 'olsRange', y, n, m, x, k, options: {}, out, residuals, rStride: m, rOffset: 0, bounds, next } as const;
    const first = await runTask(task),
      second = await runTask(task); // the first claims every chunk
    expect(second.issues).toEqual([]);
    expectSame({ ...whole, ...out, residuals, issues: first.issues }, whole, 'ranges');
    expect(whole.issues.some((i) => i.kind === 'too-few-observations')).toBe(true);
    expect(whole.r2[11]).toBeNaN(); // the constant series
    expect(whole.nobs[0]).toBeGreaterThan(100);
  });
});

// The threaded runs are compared with the single-thread kernels of the same build, so a build that
// lags the sources (another change in progress) cannot fail them; the sources' kernels are
// compared with the in-process ranges above.
describe('olsBatchParallel equals olsBatch (built package)', () => {
  const n = 150,
    m = 2100,
    k = 6;
  const { y, x } = data(n, m, k);
  let single = olsBatch(y, n, m, x, k);

  it('1, 2 and 3 threads, plain and shared y', async () => {
    const { par, stats } = await built();
    single = stats.olsBatch(y, n, m, x, k);
    expect(single.nobs[0]).toBe(olsBatch(y, n, m, x, k).nobs[0]);
    const shared = new Float64Array(new SharedArrayBuffer(y.length * 8));
    shared.set(y);
    for (const threads of [1, 2, 3]) {
      expectSame(await par.olsBatchParallel(y, n, m, x, k, { threads, minParallelCells: 0 }), single, `threads ${threads}`);
      expectSame(await par.olsBatchParallel(shared, n, m, x, k, { threads, minParallelCells: 0 }), single, `threads ${threads}, shared y`);
      expectSame(
        await par.olsBatchParallel({ y, n, m, x, k }, { threads, minParallelCells: 0 }),
        single,
        `threads ${threads}, data object`,
      );
    }
  });

  it('neweyWestBatchParallel on 1, 2 and 3 threads == neweyWestBatch, and in-process ranges too', async () => {
    const { par, stats } = await built();
    single = stats.olsBatch(y, n, m, x, k);
    const ref = stats.neweyWestBatch(single.residuals!, n, m, x, k, true, single.coef, single.dfResid, single.rank, {
      useCorrection: true,
    });
    const nwBits = (r: NeweyWestBatchResult): string[] => [bits(r.lags), bits(r.se), bits(r.t), bits(r.pValue)];
    for (const threads of [1, 2, 3]) {
      const r = await par.neweyWestBatchParallel(single.residuals!, n, m, x, k, true, single.coef, single.dfResid, single.rank, {
        useCorrection: true,
        threads,
        minParallelCells: 0,
      });
      expect(nwBits(r), `threads ${threads}`).toEqual(nwBits(ref));
      const d = await par.neweyWestBatchParallel(
        { residuals: single.residuals!, n, m, x, k, intercept: true, coef: single.coef, dfResid: single.dfResid, rank: single.rank },
        { useCorrection: true, threads, minParallelCells: 0 },
      );
      expect(nwBits(d), `threads ${threads}, data object`).toEqual(nwBits(ref));
    }
    const out: NeweyWestBatchResult = {
      lags: new Int32Array(m),
      se: new Float64Array(m * (k + 1)),
      t: new Float64Array(m * (k + 1)),
      pValue: new Float64Array(m * (k + 1)),
    };
    await runTask({
      kind: 'neweyWestRange',
      residuals: single.residuals!,
      n,
      m,
      x,
      k,
      intercept: true,
      coef: single.coef,
      dfResid: single.dfResid,
      rank: single.rank,
      options: { useCorrection: true },
      out,
      bounds: chunkBounds(m, 4),
      next: chunkCounter(),
    });
    expect(nwBits(out)).toEqual(
      nwBits(neweyWestBatch(single.residuals!, n, m, x, k, true, single.coef, single.dfResid, single.rank, { useCorrection: true })),
    );
    expect(ref.lags[0]).toBe(4); // floor(4·(150/100)^(2/9))
    expect(ref.se[1]).toBeGreaterThan(0);
  });

  it('a strided column block with residualsOut, no intercept, and a reused pool', async () => {
    const { par, stats } = await built();
    const mm = 1500,
      stride = m,
      off = 300;
    const ref = stats.olsBatch(y, n, mm, x, k, {
      yStride: stride,
      yOffset: off,
      intercept: false,
      residualsOut: new Float64Array(y.length).fill(-1),
    });
    const pool = new par.WorkerPool(2);
    try {
      for (const sharedOut of [false, true]) {
        const outBuf = sharedOut ? new Float64Array(new SharedArrayBuffer(y.length * 8)).fill(-1) : new Float64Array(y.length).fill(-1);
        const r = await par.olsBatchParallel(y, n, mm, x, k, {
          yStride: stride,
          yOffset: off,
          intercept: false,
          residualsOut: outBuf,
          pool,
          minParallelCells: 0,
        });
        expect(r.residuals).toBe(outBuf);
        expectSame(r, ref, `block, shared out ${sharedOut}`);
      }
    } finally {
      await pool.destroy();
    }
  });

  it('fitExposuresParallel == fe.fit, bit for bit (OLS step with Newey-West, then a ridge step)', async () => {
    const { par, core, exp } = await built();
    const iso = Array.from({ length: n }, (_, t) => new Date(Date.UTC(2021, 0, 4) + t * 86400000).toISOString().slice(0, 10));
    const dates = core.calendarFromIso(iso);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const factors = new core.Frame(
      dates,
      names,
      names.map((_, f) => Float64Array.from({ length: n }, (_, t) => x[t * k + f])),
    );
    const returns = new core.Panel(
      dates,
      Array.from({ length: m }, (_, j) => `S${j}`),
      y,
    );
    const make = (): InstanceType<typeof exp.FactorExposures> =>
      new exp.FactorExposures().addRegressionFactors(factors).addStep(['a', 'b'], { l2: 0.1 });
    const one = make().fit(returns, { neweyWest: true });
    const two = await par.fitExposuresParallel(make(), returns, { neweyWest: true, threads: 2, minParallelCells: 0 });
    for (const d of [0, 1]) {
      for (const f of ['coef', 'se', 't', 'p', 'r2', 'adjR2', 'residualVol'] as const)
        expect(bits(two.diagnostics[d][f]), `step ${d + 1} ${f}`).toBe(bits(one.diagnostics[d][f]));
    }
    for (const f of ['lags', 'se', 't', 'p'] as const)
      expect(bits(two.diagnostics[0].nw![f]), `nw ${f}`).toBe(bits(one.diagnostics[0].nw![f]));
    expect(bits(two.residuals!.values)).toBe(bits(one.residuals!.values));
    expect(two.skipped).toEqual(one.skipped);
    expect(two.issues).toEqual(one.issues);
    expect(one.skipped.length).toBeGreaterThan(0);
  });
});
