import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxSharpe } from '../portfolio/maxSharpe.js';
import { optimize } from '../portfolio/optimize.js';
import { randomCase } from '../portfolio/testing/randomModel.js';
import { chartsOf } from './document.js';
import {
  bandPosition,
  constraintLabel,
  largestBy,
  optimizeReportDocument,
  replicateReportDocument,
  type ConstraintJson,
  type OptimizeReportSource,
  type ReplicateReportSource,
} from './portfolioReport.js';

const con = (c: Partial<ConstraintJson>): ConstraintJson => ({
  kind: 'exposure',
  name: 'mkt',
  relative: 'absolute',
  min: null,
  max: null,
  value: 0,
  multiplier: 0,
  atBound: null,
  ...c,
});

describe('portfolio report helpers (hand cases)', () => {
  it('largestBy: largest |key| first, ties by name, zeros left out', () => {
    const rows = [
      { asset: 'B', x: -0.3 },
      { asset: 'A', x: 0.3 },
      { asset: 'C', x: 0 },
      { asset: 'D', x: 0.1 },
    ];
    expect(largestBy(rows, (r) => r.x, 3).map((r) => r.asset)).toEqual(['A', 'B', 'D']);
    expect(largestBy(rows, (r) => r.x, 1).map((r) => r.asset)).toEqual(['A']);
  });
  it('bandPosition: 0 at min, 1 at max, null without two sides', () => {
    expect(bandPosition({ min: -0.1, max: 0.1, value: 0.05 })).toBeCloseTo(0.75, 12);
    expect(bandPosition({ min: -0.1, max: 0.1, value: -0.1 })).toBe(0);
    expect(bandPosition({ min: null, max: 0.1, value: 0 })).toBeNull();
    expect(bandPosition({ min: 0.2, max: 0.2, value: 0.2 })).toBeNull();
  });
  it('constraintLabel names the kind, the factor or group, and active', () => {
    expect(constraintLabel(con({ name: 'smb', relative: 'active' }))).toBe('exposure smb (active)');
    expect(constraintLabel(con({ kind: 'group', name: 'Energy' }))).toBe('group Energy');
    expect(constraintLabel(con({ kind: 'budget', name: null }))).toBe('budget');
    expect(constraintLabel(con({ kind: 'turnover', name: null }))).toBe('turnover');
  });
});

/** (w − b)ᵀ(B F Bᵀ + D)(w − b) by plain loops over the dense n × n matrix: the route the page does not take. */
function denseVariance(m: ReturnType<typeof randomCase>['model'], x: ArrayLike<number>): number {
  const n = m.assets.length,
    k = m.factors.length;
  let v = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? m.specificVariance[i] : 0;
      for (let f = 0; f < k; f++)
        for (let g = 0; g < k; g++) s += m.exposures[i * k + f] * m.factorCovariance[f * k + g] * m.exposures[j * k + g];
      v += x[i] * s * x[j];
    }
  return v;
}

async function optimizedSource(
  seed: number,
): Promise<{ src: OptimizeReportSource; model: ReturnType<typeof randomCase>['model']; w: Float64Array; b: Float64Array }> {
  const { model, benchmark, sectors } = randomCase(40, 3, seed, 4);
  const current = new Float64Array(40).fill(0);
  current[0] = 0.5;
  current[1] = 0.5;
  const r = await optimize({
    riskModel: model,
    benchmark,
    current,
    constraints: {
      maxWeight: 0.08,
      exposures: [{ factor: model.factors[0], min: -0.02, max: 0.02, relative: 'active' }],
      groups: { labels: sectors, bands: [{ group: sectors[0] as string, min: -0.01, max: 0.01, relative: 'active' }] },
    },
  });
  const src = { ...(JSON.parse(JSON.stringify(r)) as OptimizeReportSource), notes: ['a note'] };
  return { src, model, w: r.weights, b: benchmark };
}

describe('optimizeReportDocument', () => {
  it('draws weights with benchmark and active, exposures against bounds, the risk split, trades; numbers agree with a dense computation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), async (seed) => {
        const { src, model, w, b } = await optimizedSource(seed);
        const doc = optimizeReportDocument(src);
        const charts = chartsOf(doc);
        const byId = (id: string) => charts.find((c) => c.id === id);
        expect(charts.map((c) => c.id)).toEqual(['weights', 'exposures', 'constraint-bands', 'risk', 'trades']);
        // weights: portfolio, benchmark, active per name, active = w − b
        const wd = byId('weights')!.data;
        for (let i = 0; i < wd.asset.length; i += 3) {
          const a = model.assets.indexOf(wd.asset[i] as string);
          expect(wd.who.slice(i, i + 3)).toEqual(['portfolio', 'benchmark', 'active']);
          expect(wd.weight[i]).toBe(w[a]);
          expect(wd.weight[i + 1]).toBe(b[a]);
          expect(wd.weight[i + 2] as number).toBeCloseTo(w[a] - b[a], 15);
        }
        // the largest weight comes first
        expect(wd.weight[0]).toBe(Math.max(...w));
        // the active risk: shares sum to 1 and the total variance is the dense (w − b)ᵀΣ(w − b)
        const risk = byId('risk')!.data;
        const shares = (risk.share as number[]).reduce((s, x) => s + x, 0);
        expect(shares).toBeCloseTo(1, 10);
        const x = Float64Array.from(w, (v, i) => v - b[i]);
        const active = src.risk.activeDecomposition!;
        expect(active.totalVariance).toBeCloseTo(denseVariance(model, x), 12);
        expect(src.risk.trackingError).toBeCloseTo(Math.sqrt(252 * denseVariance(model, x)), 10);
        // the bands chart: one row per exposure and group constraint, with its bounds and value
        const bands = byId('constraint-bands')!.data;
        const cons = src.constraints.filter((c) => c.kind === 'exposure' || c.kind === 'group');
        expect(bands.label).toEqual(cons.map(constraintLabel));
        expect(bands.value).toEqual(cons.map((c) => c.value));
        cons.forEach((c, i) => {
          expect(bands.lo[i]).toBe(c.min);
          expect(bands.hi[i]).toBe(c.max);
          expect(c.value).toBeGreaterThanOrEqual((c.min as number) - 1e-9);
          expect(c.value).toBeLessThanOrEqual((c.max as number) + 1e-9);
        });
        // trades: Δw = w − w0; buys + sells = the two-way turnover stated in the intro
        const td = byId('trades')!.data;
        for (let i = 0; i < td.asset.length; i++) expect(td.trade[i]).toBe((td.weight[i] as number) - (td.current[i] as number));
        const trades = doc.sections.find((s) => s.id === 'trades')!;
        const m = /buys ([\d.]+)% plus sells ([\d.]+)%/.exec(trades.intro ?? '')!;
        expect(Number(m[1]) + Number(m[2])).toBeCloseTo(src.turnover.twoWay * 100, 0);
        let twoWay = 0;
        for (let i = 0; i < w.length; i++) twoWay += Math.abs(w[i] - (i < 2 ? 0.5 : 0));
        expect(src.turnover.twoWay).toBeCloseTo(twoWay, 12);
        expect(doc.headlines.find((h) => h.label === 'turnover (two-way)')?.value).toBe(`${(twoWay * 100).toFixed(1)}%`);
        expect(doc.headlines.find((h) => h.label === 'names held')?.value).toBe(String(w.filter((v) => v !== 0).length));
      }),
      { numRuns: 5 },
    );
  });

  it('without a benchmark or constraint bands: weights only, total risk, and the bands chart says why it is empty', async () => {
    const { model } = randomCase(20, 2, 3, 2);
    const r = await optimize({ riskModel: model, constraints: { maxWeight: 0.2 } });
    const doc = optimizeReportDocument({ ...(JSON.parse(JSON.stringify(r)) as OptimizeReportSource), notes: [] });
    const charts = chartsOf(doc);
    expect(charts.find((c) => c.id === 'constraint-bands')?.empty).toMatch(/No exposure or group constraint/);
    expect(new Set(charts.find((c) => c.id === 'weights')!.data.who)).toEqual(new Set(['portfolio']));
    expect(Object.keys(charts.find((c) => c.id === 'weights')!.data)).toEqual(['asset', 'who', 'weight']);
    expect(charts.find((c) => c.id === 'trades')?.empty).toBeUndefined();
    expect(doc.sections.find((s) => s.id === 'trades')?.intro).toMatch(/No current holdings/);
    expect(doc.headlines.map((h) => h.label)).not.toContain('tracking error (ex-ante)');
    expect(doc.sections.find((s) => s.id === 'risk')!.blocks.filter((b) => b.kind === 'table')).toHaveLength(1);
  });

  it("the risk table and caption print a share of rounding noise (a neutral book's 1e-30) as 0, a real small share as it is", async () => {
    const { model } = randomCase(20, 2, 3, 2);
    const r = await optimize({ riskModel: model, constraints: { maxWeight: 0.2 } });
    const src = { ...(JSON.parse(JSON.stringify(r)) as OptimizeReportSource), notes: [] };
    const d = src.risk.decomposition;
    const factors = Object.keys(d.shares.factors);
    expect(factors.length).toBeGreaterThanOrEqual(2);
    const noise = factors.map((_, i) => (i === 0 ? 1e-30 : i === 1 ? -1e-30 : 1e-4));
    factors.forEach((f, i) => (d.shares.factors[f] = noise[i]));
    d.shares.systematic = -1e-30;
    d.shares.specific = 1 - 1e-15;
    const risk = optimizeReportDocument(src).sections.find((s) => s.id === 'risk')!;
    const table = risk.blocks.find((b) => b.kind === 'table' && b.id === 'risk-table') as { data: Record<string, unknown[]> };
    // factors, all factors, specific, total: noise is 0 (the page printed 1e-30 as "0.00%", -1e-30 as "-0.00%"), 1e-4 kept
    expect(table.data.share).toEqual([0, 0, ...noise.slice(2), 0, 1, 1]);
    const caption = (risk.blocks.find((b) => b.kind === 'chart') as { caption?: string }).caption ?? '';
    expect(caption).toContain('factors 0.0%, specific 100.0%.');
    expect(caption).not.toContain('-0.0%');
  });

  it('counts the names held: "1 name held", not "1 names held"', async () => {
    const { model } = randomCase(20, 2, 3, 2);
    const r = await optimize({ riskModel: model, constraints: { maxWeight: 0.2 } });
    const src = { ...(JSON.parse(JSON.stringify(r)) as OptimizeReportSource), notes: [] };
    const intro = (names: number) => optimizeReportDocument({ ...src, names }).sections.find((s) => s.id === 'weights')?.intro;
    expect(intro(1)).toMatch(/^1 name held;/);
    expect(intro(5)).toMatch(/^5 names held;/);
  });

  it('the maximum Sharpe ratio leads the headlines, annualised; other results have no such tile', async () => {
    const { model } = randomCase(20, 2, 3, 2);
    const alpha = Float64Array.from({ length: 20 }, (_, i) => 1e-4 * Math.sin(i) + 2e-5);
    const r = await maxSharpe({ riskModel: model, alpha, constraints: { maxWeight: 0.2 } });
    const doc = optimizeReportDocument({ ...(JSON.parse(JSON.stringify(r)) as OptimizeReportSource), notes: [] });
    expect(doc.headlines[0].label).toBe('Sharpe ratio (ex-ante)');
    expect(doc.headlines[0].value).toBe((r.data.maxSharpe?.annualisedSharpe ?? NaN).toFixed(2));
    const plain = await optimize({ riskModel: model, alpha, constraints: { maxWeight: 0.2 } });
    const other = optimizeReportDocument({ ...(JSON.parse(JSON.stringify(plain)) as OptimizeReportSource), notes: [] });
    expect(other.headlines.map((h) => h.label)).not.toContain('Sharpe ratio (ex-ante)');
  });
});

const rep = (outOfSample: boolean): ReplicateReportSource => ({
  target: 'index',
  names: 2,
  holdings: [
    { asset: 'A', weight: 0.4 },
    { asset: 'B', weight: 0.6 },
  ],
  exposures: { mkt: { target: 1, basket: 0.99, difference: -0.01 }, smb: { target: 0.2, basket: 0.2, difference: 0 } },
  exposureMismatch: 0.01,
  modelTrackingError: 0.03,
  inSample: { start: '2020-01-02', end: '2020-12-31', observations: 252, trackingError: 0.02, correlation: 0.99, coverage: 1 },
  outOfSample: outOfSample
    ? { start: '2021-01-04', end: '2021-06-30', observations: 124, trackingError: 0.04, correlation: 0.97, coverage: 0.98 }
    : null,
  riskModel: { factors: ['mkt', 'smb'], assets: 10, periodsPerYear: 252, estimate: { method: 'ledoit-wolf', nobs: 252, shrinkage: 0.1 } },
  dropped: [],
  cardinality: null,
  solver: {
    engine: 'osqp',
    status: 'solved',
    iterations: 25,
    solves: 1,
    primalResidual: 1e-8,
    dualResidual: 1e-9,
    kkt: { primal: 1e-16, stationarity: 1e-18, complementarity: 0 },
    polish: { status: 'applied' },
    rho: 0.1,
    rhoUpdates: 0,
    linearSystem: 'factor',
    milliseconds: 3,
  },
  notes: ['fitted on 2020'],
});

describe('replicateReportDocument', () => {
  it('shows target against basket per factor, holdings by weight, and the tracking error in, out of sample and of the model', () => {
    const doc = replicateReportDocument(rep(true));
    const charts = chartsOf(doc);
    const exp = charts.find((c) => c.id === 'exposure-match')!.data;
    expect(exp).toEqual({
      factor: ['mkt', 'mkt', 'smb', 'smb'],
      who: ['target', 'basket', 'target', 'basket'],
      exposure: [1, 0.99, 0.2, 0.2],
      difference: [-0.01, -0.01, 0, 0],
    });
    expect(charts.find((c) => c.id === 'holdings')!.data).toEqual({ asset: ['B', 'A'], weight: [0.6, 0.4] });
    expect(charts.find((c) => c.id === 'tracking-error')!.data).toEqual({
      window: ['in sample (fit window)', 'out of sample', 'model (ex-ante)'],
      te: [0.02, 0.04, 0.03],
      span: ['2020-01-02 .. 2020-12-31', '2021-01-04 .. 2021-06-30', ''],
    });
    expect(doc.headlines.map((h) => h.value)).toEqual(['2', '4.00%', '2.00%', '3.00%', '1.0e-2']);
    const dropped = doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.id === 'dropped');
    expect(dropped && dropped.kind === 'table' ? dropped.empty : undefined).toMatch(/No asset/);
  });
  it('without an out-of-sample window says so instead of a number', () => {
    const doc = replicateReportDocument(rep(false));
    expect(doc.headlines[1]).toMatchObject({ value: 'n/a', detail: 'no date after the fit window' });
    expect(chartsOf(doc).find((c) => c.id === 'tracking-error')!.data.window).toEqual(['in sample (fit window)', 'model (ex-ante)']);
  });
});

describe('optimizeReportDocument: --views and --frontier', () => {
  it('a views section (the views, the names moved most, every expected return) and a frontier section (risk against expected return a year)', async () => {
    const { src } = await optimizedSource(3);
    const names = src.holdings.map((h) => h.asset);
    const bl: NonNullable<OptimizeReportSource['blackLitterman']> = {
      tau: 0.05,
      delta: 2.5,
      deltaSource: 'given (--market-risk-aversion)',
      market: '--market-caps caps.csv',
      periodsPerYear: 252,
      views: [
        { name: 'v1', value: 0.2, prior: 0.08, posterior: 0.15, omega: 0.001, confidence: 0.6 },
        { name: 'v2', value: -0.05, prior: 0.01, posterior: 0.01, omega: null, confidence: 0 },
      ],
      returns: names.map((asset, i) => ({
        asset,
        marketWeight: 1 / names.length,
        prior: 0.05,
        posterior: 0.05 + (i === 2 ? 0.04 : i === 5 ? -0.02 : 0),
      })),
    };
    const frontier = {
      minReturn: 0.0001,
      maxReturn: 0.0004,
      points: [
        { target: 0.0001, expectedReturn: 0.0001, risk: 0.02, ratio: 1.2, names: 30 },
        { target: 0.0004, expectedReturn: 0.0004, risk: 0.08, ratio: 1.3, names: 12 },
      ],
    };
    const doc = optimizeReportDocument({ ...src, blackLitterman: bl, frontier });
    expect(doc.sections.map((s) => s.id)).toEqual(['weights', 'views', 'frontier', 'exposures', 'risk', 'trades', 'details']);
    const views = doc.sections.find((s) => s.id === 'views')!;
    expect(views.intro).toMatch(/δ 2\.5, given \(--market-risk-aversion\); market: --market-caps caps\.csv\) and 2 views, τ 0\.05/);
    const table = views.blocks.find((b) => 'id' in b && b.id === 'views');
    expect(table?.kind === 'table' ? table.data.confidence : null).toEqual(['60.0%', '0% (no effect)']);
    // the names the views moved: only the two that moved, the larger first, prior then posterior
    const moved = chartsOf(doc).find((c) => c.id === 'views-moved')!.data;
    expect(moved.asset).toEqual([names[2], names[2], names[5], names[5]]);
    expect(moved.which).toEqual(['prior', 'posterior', 'prior', 'posterior']);
    expect(moved.value[1]).toBeCloseTo(0.09, 15);
    const returns = views.blocks.find((b) => 'id' in b && b.id === 'views-returns');
    expect(returns?.kind === 'table' ? returns.data.asset.length : 0).toBe(names.length);
    // the frontier: expected return a year = alphaᵀw × periods
    const f = chartsOf(doc).find((c) => c.id === 'frontier')!.data;
    expect(f.annual).toEqual([0.0001 * 252, 0.0004 * 252]);
    expect(f.risk).toEqual([0.02, 0.08]);
  });
});
