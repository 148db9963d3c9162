/**
 * analyzeFactorParallel equals analyzeFactor, as JSON (NaN written as null, every key in order),
 * for 1, 2 and 3 threads on six option sets: joint and pairwise universes, groups with quantiles
 * by group, IC by group, IC decay and group controls, weights with WLS and an execution lag, a
 * monthly factor, custom quantile edges; on a synthetic market with missing prices, late listings
 * and delistings and an odd number of dates. A fast-check property does the same for random small
 * panels (ties, missing values, constant rows) on 1 vs 2 threads. The date-range split itself is
 * checked in process from the sources (runTask 'analyzeRange' over random cuts, any order), so the
 * kernels' range code is covered without a build. The threaded runs use the built package (a
 * worker thread cannot load TypeScript, see pool.ts) and compare with its own analyzeFactor; run
 * `npm run build` first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import {
  analyzeFactor,
  analyzeFactorData,
  createPerDateStatistics,
  createStatisticsScratch,
  factorDataInput,
  perDateStatistics,
  perDateStatisticsInBlocks,
  summarizeAnalysis,
  type AnalyzeOptions,
} from '../signals/analyze.js';
import { createPrepareRowsOutput, finishFactorData, prepareContext, prepareFactorData, prepareFactorRows } from '../signals/factorData.js';
import { factorDataMessage, statisticsOptionsMessage } from './analyze.js';
import { runTask } from './dispatch.js';
import { importBuilt } from '../../test/unit/parallel/built.js';
import { chunkBounds, chunkCounter } from './chunks.js';
import type * as ParallelModule from './index.js';
import type * as CoreModule from '../core/index.js';
import type * as SignalsModule from '../signals/index.js';
import type * as SyntheticModule from '../synthetic/index.js';

interface Built {
  par: typeof ParallelModule;
  core: typeof CoreModule;
  sig: typeof SignalsModule;
  syn: typeof SyntheticModule;
}
async function built(): Promise<Built> {
  return {
    par: await importBuilt<typeof ParallelModule>('parallel/index.js'),
    core: await importBuilt<typeof CoreModule>('core/index.js'),
    sig: await importBuilt<typeof SignalsModule>('signals/index.js'),
    syn: await importBuilt<typeof SyntheticModule>('synthetic/index.js'),
  };
}

type Input = { factor: Panel; prices: Panel };
type Case = [string, Input, AnalyzeOptions];

/** The option sets, on one market (built by the given modules, so panels are of that build's class). */
function cases(syn: typeof SyntheticModule, core: typeof CoreModule): Case[] {
  const mk = syn.syntheticMarket({ seed: 11, nAssets: 150, nDates: 334, missingShare: 0.05, lateListingShare: 0.2, delistingShare: 0.1 });
  const groups = Object.fromEntries(mk.assets.map((a) => [a, mk.sectors[a]]));
  const weights = new core.Panel(
    mk.prices.dates,
    mk.prices.assets,
    mk.prices.values.map((v, i) => (i % 7 === 0 ? NaN : v * (1 + (i % 13)))),
  );
  const input = { factor: mk.signal, prices: mk.prices };
  return [
    ['joint, defaults', input, {}],
    ['pairwise, horizons 1,3,10, 4 quantiles', input, { universe: 'pairwise', horizons: [1, 3, 10], quantiles: 4 }],
    [
      'groups, by group, decay, group controls, z-score',
      input,
      { groups, byGroup: true, decayLags: [0, 1, 5], regression: { groupControls: true, factorScale: 'zscore' } },
    ],
    ['weights, WLS, execution lag 1', input, { weights, regression: { wls: true }, executionLag: 1, horizons: [2, 7] }],
    [
      'monthly factor, decay',
      { factor: core.resamplePrices(mk.signal, 'monthly'), prices: mk.prices },
      { horizons: [21, 42], decayLags: [0, 1, 2], maxLoss: 0.9 },
    ],
    [
      'pairwise, by group, quantile edges, weights',
      input,
      { universe: 'pairwise', groups, byGroup: true, quantiles: { quantileEdges: [0, 0.1, 0.5, 0.9, 1] }, weights },
    ],
  ];
}

describe('per-date statistics by ranges of formation dates (sources, in process)', () => {
  const mk = syntheticMarket({ seed: 3, nAssets: 60, nDates: 161, missingShare: 0.08, lateListingShare: 0.3 });
  const groups = Object.fromEntries(mk.assets.map((a) => [a, mk.sectors[a]]));
  const input = { factor: mk.signal, prices: mk.prices };
  const sets: AnalyzeOptions[] = [
    { horizons: [1, 5, 21] },
    { universe: 'pairwise', horizons: [2, 9], groups, byGroup: true, decayLags: [0, 3] },
    { horizons: [4], quantiles: { bins: 3 }, regression: { wls: false, factorScale: 'zscore' } },
    { horizons: [1, 5], decayLags: [0, 1, 2], groups, regression: { groupControls: true } },
  ];
  const optionSets = sets.map((o): AnalyzeOptions => ({ ...o, maxLoss: 0.9 }));

  it('ranges over random cuts, in any order, as runTask analyzeRange or in process with one reused StatisticsScratch, equal analyzeFactor (JSON)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: optionSets.length - 1 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 160 }), { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        async (which, cuts, reverse, viaTask) => {
          const options = optionSets[which];
          const data = prepareFactorData(factorDataInput(input, options));
          const nd = data.dates.length;
          const bounds = [0, ...cuts.filter((c) => c < nd).sort((a, b) => a - b), nd];
          const ranges = bounds.slice(1).map((b, i) => [bounds[i], b] as const);
          if (reverse) ranges.reverse();
          const out = createPerDateStatistics(data, options),
            scratch = createStatisticsScratch();
          const message = factorDataMessage(data),
            opts = statisticsOptionsMessage(options);
          for (const [t0, t1] of ranges) {
            if (viaTask)
              await runTask({
                kind: 'analyzeRange',
                data: message,
                options: opts,
                out,
                bounds: Int32Array.of(t0, t1),
                next: chunkCounter(),
              });
            else perDateStatistics(data, options, out, t0, t1, scratch);
          }
          expect(JSON.stringify(summarizeAnalysis(data, options, out))).toBe(JSON.stringify(analyzeFactor(input, options)));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('perDateStatisticsInBlocks (the in-process route) gives the JSON of one pass for any block size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: optionSets.length - 1 }), fc.integer({ min: 1, max: 170 }), (which, block) => {
        const options = optionSets[which];
        const data = prepareFactorData(factorDataInput(input, options));
        const one = createPerDateStatistics(data, options);
        perDateStatistics(data, options, one, 0, data.dates.length);
        const blocks = createPerDateStatistics(data, options);
        perDateStatisticsInBlocks(data, options, blocks, block, createStatisticsScratch());
        expect(JSON.stringify(summarizeAnalysis(data, options, blocks))).toBe(JSON.stringify(summarizeAnalysis(data, options, one)));
      }),
      { numRuns: 25 },
    );
  });

  it('analyzeRange tasks sharing one counter split its chunks between them and equal analyzeFactor (JSON)', async () => {
    for (const options of optionSets) {
      const data = prepareFactorData(factorDataInput(input, options));
      const out = createPerDateStatistics(data, options);
      const message = factorDataMessage(data),
        opts = statisticsOptionsMessage(options);
      const bounds = chunkBounds(data.dates.length, 7),
        next = chunkCounter();
      await runTask({ kind: 'analyzeRange', data: message, options: opts, out, bounds, next });
      expect(next[0]).toBeGreaterThanOrEqual(7); // the first task claimed every chunk
      await runTask({ kind: 'analyzeRange', data: message, options: opts, out, bounds, next }); // nothing left
      expect(JSON.stringify(summarizeAnalysis(data, options, out))).toBe(JSON.stringify(analyzeFactor(input, options)));
    }
  });

  it('prepareFactorRows over random cuts + finishFactorData equal prepareFactorData, bit for bit', async () => {
    const bits = (a: Float64Array | Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: optionSets.length - 1 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 160 }), { maxLength: 5 }),
        fc.boolean(),
        async (which, cuts, viaTask) => {
          // rows 0..9 and 80 without a factor value: later ranges' rows move down in finishFactorData
          const fv = mk.signal.values.map((v, i) => {
            const t = Math.floor(i / mk.signal.nAssets);
            return t < 10 || t === 80 ? NaN : v;
          });
          const fdi = factorDataInput(
            { factor: new Panel(mk.signal.dates, mk.signal.assets, fv), prices: mk.prices },
            { ...optionSets[which], weights: mk.prices },
          );
          const ref = prepareFactorData(fdi);
          const ctx = prepareContext(fdi);
          const bounds = [0, ...cuts.sort((a, b) => a - b), ctx.nf];
          const ranges = bounds.slice(1).map((b, i) => [bounds[i], b] as const);
          const out = createPrepareRowsOutput(ctx, ranges.length);
          // one task claiming every chunk from a counter, or the ranges one by one in reverse order
          if (viaTask) await runTask({ kind: 'prepareRange', ctx, out, bounds: Int32Array.from(bounds), next: chunkCounter() });
          else
            ranges
              .map((r, q) => [r, q] as const)
              .reverse()
              .forEach(([[t0, t1], q]) => prepareFactorRows(ctx, t0, t1, out, q));
          const got = finishFactorData(fdi, ctx, out, ranges);
          expect(bits(got.factor.values)).toBe(bits(ref.factor.values));
          for (const h of ref.horizons) expect(bits(got.forward.get(h)!.values)).toBe(bits(ref.forward.get(h)!.values));
          expect(bits(got.dates)).toBe(bits(ref.dates));
          expect(bits(got.entryRows)).toBe(bits(ref.entryRows));
          expect(bits(got.weights!.values)).toBe(bits(ref.weights!.values));
          if (ref.groups) expect(bits(got.groups!.codes)).toBe(bits(ref.groups.codes));
          expect(got.dataLoss).toEqual(ref.dataLoss);
          expect(ref.dates.length).toBeLessThan(ctx.nf - 10);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('the ranges are the whole story: a row left out stays NaN, a row computed twice changes nothing', () => {
    const options: AnalyzeOptions = { horizons: [1, 5] };
    const data = prepareFactorData(factorDataInput(input, options));
    const nd = data.dates.length;
    const out = createPerDateStatistics(data, options);
    perDateStatistics(data, options, out, 0, 100);
    perDateStatistics(data, options, out, 90, nd); // overlap 90..100
    expect(JSON.stringify(summarizeAnalysis(data, options, out))).toBe(JSON.stringify(analyzeFactorData(data, options)));
    const gap = createPerDateStatistics(data, options);
    perDateStatistics(data, options, gap, 0, 50);
    perDateStatistics(data, options, gap, 51, nd);
    expect(gap.horizons[0].ic!.pearson[50]).toBeNaN();
    expect(gap.horizons[0].ic!.pearson[49]).toBe(out.horizons[0].ic!.pearson[49]);
    expect(Number.isFinite(out.horizons[0].ic!.pearson[50])).toBe(true);
    // turnover of row 51 at step 5 reads the labels of row 46, computed by the second range itself
    expect(gap.horizons[1].turnover!.perDate[0][51]).toBe(out.horizons[1].turnover!.perDate[0][51]);
    expect(() => perDateStatistics(data, options, out, 5, nd + 1)).toThrow(RangeError);
  });
});

describe('analyzeFactorParallel equals analyzeFactor (built package)', () => {
  it('six option sets on 1, 2 and 3 threads, JSON identical', async () => {
    const { par, core, sig, syn } = await built();
    for (const [name, input, options] of cases(syn, core)) {
      const ref = JSON.stringify(sig.analyzeFactor(input, options));
      for (const threads of [1, 2, 3]) {
        const r = await par.analyzeFactorParallel(input, { ...options, threads, minParallelCells: 0 });
        expect(JSON.stringify(r), `${name}, ${threads} threads`).toBe(ref);
      }
    }
    // the results keep the prepared data (on shared memory with threads): the same numbers as in process
    for (const [name, input, options] of cases(syn, core).slice(0, 3)) {
      const one = sig.analyzeFactor(input, options),
        two = await par.analyzeFactorParallel(input, { ...options, threads: 2, minParallelCells: 0 });
      expect(two.data.factor.values.buffer, name).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(two.data.factor.values), name).toEqual(Array.from(one.data.factor.values));
      for (const h of one.data.horizons)
        expect(Array.from(two.data.forward.get(h)!.values), `${name} h=${h}`).toEqual(Array.from(one.data.forward.get(h)!.values));
      expect(Array.from(two.quantileLabels(one.data.horizons[0]).labels), name).toEqual(
        Array.from(one.quantileLabels(one.data.horizons[0]).labels),
      );
    }
    // overwriteFactor: the prepared factor goes over a factor panel on shared memory (no new panel), the same JSON;
    // a factor not on shared memory is copied there once and prepared over that copy, the caller's panel untouched
    for (const [name, input, options] of cases(syn, core).slice(0, 4)) {
      const ref = JSON.stringify(sig.analyzeFactor(input, options));
      const f = input.factor;
      const onShared = new core.Panel(f.dates, f.assets, new Float64Array(new SharedArrayBuffer(f.values.length * 8)));
      onShared.values.set(f.values);
      const mine = await par.analyzeFactorParallel(
        { ...input, factor: onShared },
        { ...options, overwriteFactor: true, threads: 2, minParallelCells: 0 },
      );
      expect(JSON.stringify(mine), `${name}, overwriteFactor`).toBe(ref);
      expect(mine.data.factor.values.buffer, name).toBe(onShared.values.buffer);
      const before = f.values.slice();
      const copied = await par.analyzeFactorParallel(input, { ...options, threads: 2, minParallelCells: 0 });
      expect(Array.from(f.values), name).toEqual(Array.from(before));
      expect(copied.data.factor.values.buffer, name).not.toBe(f.values.buffer);
    }
    // the cases do exercise what they name
    const [, input, options] = cases(syn, core)[2];
    const r = sig.analyzeFactor(input, options);
    expect(r.nDates).toBe(313); // odd: the ranges of 2 and 3 threads are uneven
    expect(r.icByGroup?.['1'].groups.length).toBe(10);
    expect(r.icDecay?.['5'].map((d) => d.lag)).toEqual([0, 1, 5]);
    expect(r.dataLoss.common.find((s) => s.stage === 'no-price')?.dropped).toBeGreaterThan(0);
  });

  it('property: random panels (ties, missing values, constant rows) give the same JSON on 1 and 2 threads', async () => {
    const { par, core, sig } = await built();
    const pool = new par.WorkerPool(2);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 4, max: 40 }),
          fc.integer({ min: 8, max: 90 }),
          fc.integer({ min: 1, max: 2 ** 30 }),
          fc.constantFrom<'joint' | 'pairwise'>('joint', 'pairwise'),
          fc.integer({ min: 2, max: 6 }),
          fc.boolean(),
          async (m, n, seed, universe, quantiles, withGroups) => {
            let s = seed;
            const u = (): number => {
              s = (s * 16807) % 2147483647;
              return s / 2147483647;
            };
            const dates = core.calendarFromIso(
              Array.from({ length: n + 30 }, (_, t) => new Date(Date.UTC(2020, 0, 1) + t * 86400000).toISOString().slice(0, 10)),
            );
            const assets = Array.from({ length: m }, (_, j) => `A${j}`);
            const pv = new Float64Array((n + 30) * m);
            for (let j = 0; j < m; j++) {
              let p = 10 + 90 * u();
              for (let t = 0; t < n + 30; t++) {
                p *= 1 + 0.02 * (u() - 0.5);
                pv[t * m + j] = u() < 0.05 ? NaN : p;
              }
            }
            const fv = Float64Array.from({ length: (n + 30) * m }, (_, i) => {
              const t = Math.floor(i / m);
              const v = u();
              return v < 0.1 ? NaN : t % 17 === 3 ? 1 : Math.round(v * 8) / 8; // ties, and a constant row now and then
            });
            const prices = new core.Panel(dates, assets, pv),
              factor = new core.Panel(dates, assets, fv);
            const groups = withGroups ? Object.fromEntries(assets.map((a, j) => [a, `g${j % 3}`])) : undefined;
            const options: AnalyzeOptions = {
              universe,
              quantiles,
              horizons: [1, 3],
              maxLoss: 1,
              groups,
              byGroup: withGroups,
              decayLags: [0, 2],
            };
            const ref = JSON.stringify(sig.analyzeFactor({ factor, prices }, options));
            const two = await par.analyzeFactorParallel({ factor, prices }, { ...options, pool, minParallelCells: 0 });
            expect(JSON.stringify(two)).toBe(ref);
          },
        ),
        { numRuns: 15 },
      );
    } finally {
      await pool.destroy();
    }
  });

  it('small jobs and one thread run in process (no task is posted); bad input throws the InputError of analyzeFactor', async () => {
    const { par, syn } = await built();
    const mk = syn.syntheticMarket({ seed: 2, nAssets: 30, nDates: 120 });
    const input = { factor: mk.signal, prices: mk.prices };
    const refusing = {
      threads: 2,
      run: () => {
        throw new Error('a task was posted');
      },
      destroy: () => Promise.resolve(),
    } as unknown as InstanceType<typeof par.WorkerPool>;
    const ref = JSON.stringify((await built()).sig.analyzeFactor(input, { horizons: [1, 5] }));
    expect(JSON.stringify(await par.analyzeFactorParallel(input, { horizons: [1, 5], pool: refusing }))).toBe(ref); // 3,600 cells < the crossover
    expect(JSON.stringify(await par.analyzeFactorParallel(input, { horizons: [1, 5], threads: 1, minParallelCells: 0 }))).toBe(ref);
    expect(par.MIN_PARALLEL_ASSET_DAYS).toBeGreaterThan(30 * 120);
    await expect(par.analyzeFactorParallel(input, { horizons: [1], byGroup: true, threads: 2, minParallelCells: 0 })).rejects.toMatchObject(
      { name: 'InputError', exitCode: 2 },
    );
    await expect(par.analyzeFactorParallel(input, { horizons: [1], quantiles: 0, threads: 2, minParallelCells: 0 })).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(par.analyzeFactorParallel(input, { horizons: [0], threads: 2, minParallelCells: 0 })).rejects.toMatchObject({
      name: 'InputError',
    });
  });
});
