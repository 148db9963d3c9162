/**
 * The one generic test of the registry: for random small markets (missing prices, tied and
 * constant factor rows, late listings) and random analysis options (joint or pairwise universe,
 * quantiles, equal-width bins, custom quantile edges or fixed bin edges, quantiles by group, IC by
 * group, IC decay, weights with WLS, group and size controls, z-scored factor), every fast route of
 * every registered statistic — the engine's shared pair pass and each range kernel, over random cuts
 * of the formation dates with one reused scratch, with forward returns shared and presorted (a zoo)
 * or not — gives the per-date arrays of that statistic's
 * plain reference implementation (statistic.ts `reference`): counts and statuses exactly, values to
 * 1e-9 relative (the references sum in another order). The engine's shared quantile labels are
 * checked against the plain labelling too. A new statistic in registry.ts is covered here with no
 * new test code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { createPerDateStatistics, createStatisticsScratch, factorDataInput, perDateStatistics, type AnalyzeOptions } from './analyze.js';
import { prepareFactorData, rebalanceStep } from './factorData.js';
import { quantileCount } from './quantiles.js';
import { forwardReturns } from '../core/returns.js';
import { forwardReturnOrder } from './forwardOrder.js';
import { ENGINE_STATISTICS, STATISTICS } from './registry.js';
import type { StatisticSetup } from './statistic.js';
import { referenceLabels } from './statistics/quantiles.js';

type Arr = Float64Array | Int32Array;

/** Every typed array of a rows object, with its path (nested arrays and objects walked in key order). */
function leaves(x: unknown, path = ''): [string, Arr][] {
  if (x instanceof Float64Array || x instanceof Int32Array) return [[path, x]];
  if (Array.isArray(x)) return x.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (typeof x === 'object' && x !== null) return Object.entries(x).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [];
}

function expectClose(got: Arr, want: Arr, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const a = got[i],
      b = want[i];
    if (Number.isNaN(b) || Number.isNaN(a)) {
      expect(`${what}[${i}] = ${a}`).toBe(`${what}[${i}] = ${b}`);
      continue;
    }
    if (got instanceof Int32Array) {
      expect(a, `${what}[${i}]`).toBe(b);
      continue;
    }
    if (Math.abs(a - b) > 1e-9 * (1 + Math.abs(b))) expect(`${what}[${i}] = ${a}`).toBe(`${what}[${i}] = ${b}`);
  }
}

interface Market {
  factor: Panel;
  prices: Panel;
  weights: Panel;
  groups: Record<string, string>;
}

function market(m: number, n: number, seed: number): Market {
  let s = seed;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const days = n + 25;
  const dates = calendarFromIso(
    Array.from({ length: days }, (_, t) => new Date(Date.UTC(2021, 0, 4) + t * 86400000).toISOString().slice(0, 10)),
  );
  const assets = Array.from({ length: m }, (_, j) => `A${j}`);
  const pv = new Float64Array(days * m),
    fv = new Float64Array(days * m),
    wv = new Float64Array(days * m);
  for (let j = 0; j < m; j++) {
    let p = 10 + 90 * u();
    const listed = u() < 0.2 ? Math.floor((u() * days) / 2) : 0;
    for (let t = 0; t < days; t++) {
      p *= 1 + 0.03 * (u() - 0.5);
      pv[t * m + j] = t < listed || u() < 0.04 ? NaN : p;
      const v = u();
      // signed (zero-aware binning), ties and zeros, a constant row now and then
      fv[t * m + j] = v < 0.08 ? NaN : t % 13 === 5 ? 0.5 : Math.round(v * 10) / 10 - 0.5;
      wv[t * m + j] = u() < 0.05 ? NaN : 1 + 100 * u();
    }
  }
  return {
    factor: new Panel(dates, assets, fv),
    prices: new Panel(dates, assets, pv),
    weights: new Panel(dates, assets, wv),
    groups: Object.fromEntries(assets.map((a, j) => [a, `g${j % 3}`])),
  };
}

const binnings: AnalyzeOptions['quantiles'][] = [
  2,
  3,
  5,
  { bins: 3 },
  { quantileEdges: [0, 0.2, 0.5, 1] },
  { binEdges: [0, 0.25, 0.5, 0.75, 1] },
  { quantiles: 4, zeroAware: true },
  { bins: 2, zeroAware: true },
];

describe('every fast route of every registered statistic equals its reference', () => {
  it('the registry lists each statistic once, in the order of the result', () => {
    const names = STATISTICS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['ic', 'quantiles', 'regression', 'turnover', 'icMonthly', 'icByGroup', 'icDecay']);
  });

  it('property: random markets, options and cuts of the dates', () => {
    const checked = new Set<string>();
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 4, max: 24 }),
          n: fc.integer({ min: 12, max: 50 }),
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
          universe: fc.constantFrom<'joint' | 'pairwise'>('joint', 'pairwise'),
          binning: fc.integer({ min: 0, max: binnings.length - 1 }),
          groups: fc.boolean(),
          byGroup: fc.boolean(),
          decay: fc.boolean(),
          weights: fc.boolean(),
          wls: fc.boolean(),
          controls: fc.boolean(),
          size: fc.boolean(),
          zscore: fc.boolean(),
          shared: fc.boolean(),
          horizons: fc.constantFrom([1], [1, 3], [2, 5]),
          cuts: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 4 }),
        }),
        (c) => {
          const mk = market(c.m, c.n, c.seed);
          const base: AnalyzeOptions = {
            horizons: c.horizons,
            universe: c.universe,
            quantiles: binnings[c.binning],
            maxLoss: 1,
            minAssets: 3,
            ...(c.groups ? { groups: mk.groups, byGroup: c.byGroup } : {}),
            ...(c.decay ? { decayLags: [0, 1, 3] } : {}),
            ...(c.weights ? { weights: mk.weights } : {}),
          };
          if (c.shared) {
            // a zoo's route: forward returns computed once, and presorted (forwardOrder.ts)
            base.forwardReturns = forwardReturns(mk.prices, c.horizons);
            base.forwardOrder = forwardReturnOrder(base.forwardReturns);
          }
          const data = prepareFactorData(factorDataInput({ factor: mk.factor, prices: mk.prices }, base));
          const nd = data.dates.length,
            m = data.assets.length;
          const size = c.size
            ? new Panel(
                data.dates,
                data.assets,
                Float64Array.from({ length: nd * m }, (_, i) => 1 + ((i * 7919) % 101)),
              )
            : undefined;
          const options: AnalyzeOptions = {
            ...base,
            regression: {
              factorScale: c.zscore ? 'zscore' : 'raw',
              groupControls: c.groups && c.controls,
              wls: c.weights && c.wls,
              ...(size ? { size } : {}),
            },
          };
          const out = createPerDateStatistics(data, options),
            scratch = createStatisticsScratch();
          const bounds = [0, ...c.cuts.filter((x) => x < nd).sort((a, b) => a - b), nd];
          for (let i = bounds.length - 1; i > 0; i--) perDateStatistics(data, options, out, bounds[i - 1], bounds[i], scratch);
          const Q = quantileCount(options.quantiles);
          for (const hr of out.horizons) {
            const setup: StatisticSetup = {
              data,
              options,
              horizon: hr.horizon,
              step: rebalanceStep(data, hr.horizon),
              quantiles: Q,
              nDates: nd,
            };
            for (const s of ENGINE_STATISTICS) {
              const got = (hr as unknown as Record<string, unknown>)[s.name];
              if (got === undefined) {
                expect(s.applies?.(setup) ?? true).toBe(false);
                continue;
              }
              const want = s.reference(setup);
              const g = leaves(got),
                w = leaves(want);
              expect(g.map(([p]) => p)).toEqual(w.map(([p]) => p));
              g.forEach(([p, a], i) => expectClose(a, w[i][1], `h=${hr.horizon} ${s.name}${p}`));
              if (g.length > 0) checked.add(s.name);
            }
            const labels = referenceLabels(setup);
            expectClose(hr.labels.unlabeled, labels.unlabeled, `h=${hr.horizon} labels.unlabeled`);
            expectClose(hr.labels.single, labels.single, `h=${hr.horizon} labels.single`);
          }
          if (c.universe === 'joint' && nd > 0) {
            // the shared labels of the last range, whole: rerun over every row and compare cell by cell
            perDateStatistics(data, options, out, 0, nd, scratch);
            const setup: StatisticSetup = { data, options, horizon: data.horizons[0], step: 1, quantiles: Q, nDates: nd };
            expectClose(scratch.labels.subarray(0, nd * m), referenceLabels(setup).labels, 'labels');
          }
        },
      ),
      { numRuns: 60 },
    );
    // every statistic with per-date arrays was exercised
    expect([...checked].sort()).toEqual(['ic', 'icByGroup', 'icDecay', 'quantiles', 'regression', 'turnover']);
  });
});
