/**
 * The optimiser's and the replicating basket's report pages as {@link ReportDocument}s, from the
 * JSON of `factorlab optimize --out result.json` (portfolio/result.ts `OptimizationResult.toJSON()`
 * plus `notes`) and of `factorlab replicate --out basket.json` (portfolio/replicate.ts
 * `ReplicationResult.toJSON()` plus `notes`).
 *
 * Optimiser page: headline numbers (volatility, tracking error, names held, turnover, solver
 * status); the largest positions (weight, benchmark weight, active weight w − b); exposures
 * against the benchmark and every portfolio-level constraint against its bounds; the risk
 * decomposition (Euler contributions c_f = b_f (F b)_f and the specific variance Σ w_i² d_i, as
 * shares of the variance, of the active weights when there is a benchmark); the trades Δw = w − w0
 * with turnover Σ|Δw| (two-way) and Σ|Δw|/2 (one-way); solver diagnostics and notes.
 *
 * Replicate page: the target's fitted exposures against the basket's (difference = basket −
 * target), the holdings, the ex-post tracking error std(r_p − r_T)·√P in and out of sample beside
 * the model's ex-ante one, the assets dropped from the risk model, the solver and the notes.
 */
import type { Block, ChartBlock, Columns, HeadlineNumber, ReportDocument, Section, TableBlock } from './document.js';
import { FORMAT, barChart } from './specs.js';
import { formatCount, formatNumberOrNa, formatNumberText, formatPct, periodsNoun, shareFigure } from './format.js';

/** One holding as `optimize` writes it (portfolio/result.ts `HoldingRow`). */
export interface HoldingJson {
  asset: string;
  weight: number;
  benchmark: number | null;
  active: number | null;
  current: number;
  trade: number;
}

/** A constraint at the solution (portfolio/result.ts `ConstraintReport`). */
export interface ConstraintJson {
  kind: 'budget' | 'exposure' | 'return' | 'group' | 'turnover';
  name: string | null;
  relative: 'absolute' | 'active';
  min: number | null;
  max: number | null;
  value: number;
  multiplier: number;
  atBound: 'min' | 'max' | 'equal' | null;
}

/** The part of the variance decomposition (exposures/variance.ts) the page reads. */
export interface DecompositionJson {
  holdings: number;
  exposures: Record<string, number>;
  systematicVariance: number;
  specificVariance: number;
  totalVariance: number;
  contributions: Record<string, number>;
  shares: { factors: Record<string, number>; systematic: number; specific: number };
  volatility: { total: number; systematic: number; specific: number };
  volatilityContributions: { factors: Record<string, number>; specific: number };
}

/** Solver diagnostics (portfolio/result.ts `SolverDiagnostics`). */
export interface SolverJson {
  engine: string;
  status: string;
  iterations: number;
  solves: number;
  primalResidual: number;
  dualResidual: number;
  kkt: { primal: number; stationarity: number; complementarity: number };
  polish: { status: string; multipliers?: string; attempts?: number; lowerActive?: number; upperActive?: number; refinements?: number };
  rho: number;
  rhoUpdates: number;
  linearSystem: string;
  milliseconds: number;
}

export interface CardinalityJson {
  method: string;
  maxNames: number | null;
  minPosition: number | null;
  names: number;
  relaxedObjective: number;
  objective: number;
  gap: number;
  milpStatus: string;
  /** Exchanges that improved the support (absent in JSON written before they were made). */
  swaps?: number;
}

/** What the optimiser page reads: the JSON `factorlab optimize --out result.json` writes. */
export interface OptimizeReportSource {
  objective: number;
  names: number;
  holdings: HoldingJson[];
  exposures: Record<string, { portfolio: number; benchmark: number | null; active: number | null }>;
  risk: {
    periodsPerYear: number;
    volatility: number;
    trackingError: number;
    trackingErrorDefinition?: string;
    decomposition: DecompositionJson;
    activeDecomposition: DecompositionJson | null;
  };
  turnover: { twoWay: number; oneWay: number; convention?: string };
  constraints: ConstraintJson[];
  trackingErrorCap: {
    cap: number;
    achieved: number;
    binding: boolean;
    riskAversion: number;
    multiplier: number;
    bisectionSteps: number;
  } | null;
  cardinality: CardinalityJson | null;
  /** Present for `optimize --max-sharpe` (portfolio maxSharpe.ts). */
  maxSharpe?: { sharpe: number; annualisedSharpe: number; expectedReturn: number; volatility: number; tangency: number };
  /** Present for `optimize --frontier N` (portfolio frontier.ts). */
  frontier?: {
    minReturn: number;
    maxReturn: number;
    points: { target: number; expectedReturn: number; risk: number; ratio: number | null; names: number }[];
  };
  /** Present for `optimize --views` (portfolio blackLitterman.ts): returns a year. */
  blackLitterman?: {
    tau: number;
    delta: number;
    deltaSource: string;
    market: string;
    periodsPerYear: number;
    views: { name: string; value: number; prior: number; posterior: number; omega: number | null; confidence: number | null }[];
    returns: { asset: string; marketWeight: number; prior: number; posterior: number }[];
  };
  solver: SolverJson;
  notes: string[];
  resultFile?: string;
  generator?: string;
}

export interface WindowFitJson {
  start: string;
  end: string;
  observations: number;
  trackingError: number;
  correlation: number;
  coverage: number;
}

/** What the replicate page reads: the JSON `factorlab replicate --out basket.json` writes. */
export interface ReplicateReportSource {
  target: string;
  names: number;
  holdings: { asset: string; weight: number }[];
  exposures: Record<string, { target: number; basket: number; difference: number }>;
  exposureMismatch: number;
  modelTrackingError: number;
  inSample: WindowFitJson;
  outOfSample: WindowFitJson | null;
  riskModel: {
    factors: string[];
    assets: number;
    periodsPerYear: number;
    estimate: { method: string; nobs: number; start?: string; end?: string; shrinkage?: number; halfLife?: number } | null;
  };
  dropped: { asset: string; reason: string }[];
  cardinality: CardinalityJson | null;
  solver: SolverJson;
  notes?: string[];
  resultFile?: string;
  generator?: string;
}

function chart(
  id: string,
  title: string,
  spec: Record<string, unknown>,
  data: Columns,
  width: 'full' | 'half',
  caption?: string,
  empty?: string,
): ChartBlock {
  return {
    kind: 'chart',
    id,
    title,
    spec,
    data,
    width,
    ...(caption !== undefined ? { caption } : {}),
    ...(empty !== undefined ? { empty } : {}),
  };
}

const kv = (id: string, title: string, rows: [string, string][], caption?: string): TableBlock => ({
  kind: 'table',
  id,
  title,
  columns: [
    { key: 'k', label: '', format: 'text' },
    { key: 'v', label: '', format: 'text' },
  ],
  data: { k: rows.map((r) => r[0]), v: rows.map((r) => r[1]) },
  ...(caption !== undefined ? { caption } : {}),
});

const sci = (v: number): string => (Number.isFinite(v) ? (v === 0 ? '0' : v.toExponential(1)) : 'n/a');

/**
 * The `k` rows with the largest |key(row)|, largest first (ties by name), skipping rows whose key
 * is 0: the names a bar chart of weights, active weights or trades shows.
 */
export function largestBy<T extends { asset: string }>(rows: readonly T[], key: (r: T) => number, k: number): T[] {
  return rows
    .filter((r) => key(r) !== 0 && Number.isFinite(key(r)))
    .sort((a, b) => Math.abs(key(b)) - Math.abs(key(a)) || (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0))
    .slice(0, k);
}

/** A constraint's label in the page: "exposure mkt_rf (active)", "group Energy", "budget", "turnover". */
export function constraintLabel(c: ConstraintJson): string {
  const rel = c.relative === 'active' ? ' (active)' : '';
  return c.kind === 'budget' || c.kind === 'turnover'
    ? `${c.kind}${rel}`
    : c.kind === 'return'
      ? 'expected return (alphaᵀw)'
      : `${c.kind} ${c.name ?? ''}${rel}`;
}

/**
 * Where a value sits in its band, as a share of the band's width: (value − min)/(max − min), 0 at
 * the lower bound, 1 at the upper; null for an equality or a one-sided band.
 */
export function bandPosition(c: Pick<ConstraintJson, 'min' | 'max' | 'value'>): number | null {
  if (c.min === null || c.max === null || !(c.max > c.min)) return null;
  return (c.value - c.min) / (c.max - c.min);
}

// ---------------------------------------------------------------------------------------------
// optimize

function optimizeHeadlines(r: OptimizeReportSource): HeadlineNumber[] {
  const hasBench = r.holdings.some((h) => h.benchmark !== null);
  const s = r.solver;
  return [
    ...(r.maxSharpe !== undefined
      ? [
          {
            label: 'Sharpe ratio (ex-ante)',
            value: r.maxSharpe.annualisedSharpe.toFixed(2),
            detail: `the highest under the constraints (--max-sharpe): alphaᵀw ${r.maxSharpe.expectedReturn.toPrecision(4)} a period`,
          },
        ]
      : []),
    {
      label: 'volatility (ex-ante)',
      value: formatPct(r.risk.volatility, 1),
      detail: `annualised with ${r.risk.periodsPerYear} periods a year`,
    },
    ...(hasBench
      ? [
          {
            label: 'tracking error (ex-ante)',
            value: formatPct(r.risk.trackingError, 2),
            detail: r.trackingErrorCap
              ? `cap ${formatPct(r.trackingErrorCap.cap, 2)}, ${r.trackingErrorCap.binding ? 'binding' : 'not binding'}`
              : 'against the benchmark',
          },
        ]
      : []),
    {
      label: 'names held',
      value: formatCount(r.names),
      detail: `of ${formatCount(r.holdings.length)} in the risk model${r.cardinality ? `; at most ${r.cardinality.maxNames ?? 'any'} asked` : ''}`,
    },
    {
      label: 'turnover (two-way)',
      value: formatPct(r.turnover.twoWay, 1),
      detail: `Σ|Δw|; one-way Σ|Δw|/2 ${formatPct(r.turnover.oneWay, 1)}`,
    },
    {
      label: 'solver',
      value: s.status,
      detail: `${s.iterations} ADMM iterations, polish ${s.polish.status}; KKT ≤ ${sci(Math.max(s.kkt.primal, s.kkt.stationarity, s.kkt.complementarity))}`,
    },
  ];
}

function weightsSection(r: OptimizeReportSource): Section {
  const hasBench = r.holdings.some((h) => h.benchmark !== null);
  const top = largestBy(r.holdings, (h) => h.weight, 25);
  const data: Columns = { asset: [], who: [], weight: [] };
  for (const h of top) {
    data.asset.push(h.asset);
    data.who.push('portfolio');
    data.weight.push(h.weight);
    if (hasBench) {
      data.asset.push(h.asset);
      data.who.push('benchmark');
      data.weight.push(h.benchmark);
      data.asset.push(h.asset);
      data.who.push('active');
      data.weight.push(h.active);
    }
  }
  const held = r.holdings
    .filter((h) => h.weight !== 0 || (h.benchmark ?? 0) !== 0 || h.current !== 0)
    .sort((a, b) => b.weight - a.weight || (a.asset < b.asset ? -1 : 1));
  const spec = barChart({
    category: 'asset',
    categoryTitle: null,
    value: 'weight',
    valueTitle: 'weight',
    valueFormat: '.2%',
    horizontal: true,
    sort: top.map((h) => h.asset),
    ...(hasBench
      ? {
          series: 'who',
          seriesTitle: 'weight',
          seriesSort: ['portfolio', 'benchmark', 'active'],
          colors: ['#1f5fa8', '#b0b7c3', '#e6842a'],
        }
      : {}),
    height: Math.max(120, top.length * (hasBench ? 27 : 14)),
  });
  const table: TableBlock = {
    kind: 'table',
    id: 'holdings',
    title: `Holdings (${held.length})`,
    columns: [
      { key: 'asset', label: 'asset', format: 'text' },
      { key: 'weight', label: 'weight', format: 'pct' },
      ...(hasBench
        ? [
            { key: 'benchmark', label: 'benchmark', format: 'pct' as const },
            { key: 'active', label: 'active', format: 'pct' as const },
          ]
        : []),
      { key: 'current', label: 'current', format: 'pct' },
      { key: 'trade', label: 'trade', format: 'pct' },
    ],
    data: {
      asset: held.map((h) => h.asset),
      weight: held.map((h) => h.weight),
      ...(hasBench ? { benchmark: held.map((h) => h.benchmark), active: held.map((h) => h.active) } : {}),
      current: held.map((h) => h.current),
      trade: held.map((h) => h.trade),
    },
    interactive: held.length > 20,
    caption: hasBench
      ? 'Every name held now, in the benchmark or held before; active = weight − benchmark.'
      : 'Every name held now or held before.',
    ...(held.length === 0 ? { empty: 'No name is held.' } : {}),
  };
  return {
    id: 'weights',
    title: 'Weights',
    intro: `${formatCount(r.names)} name${r.names === 1 ? '' : 's'} held; the largest weight is ${formatPct(top.length > 0 ? Math.max(...r.holdings.map((h) => h.weight)) : NaN, 2)}.`,
    blocks: [
      chart(
        'weights',
        `The ${top.length} largest positions`,
        spec,
        data,
        'full',
        hasBench
          ? 'Weight, benchmark weight and active weight (w − b) of the largest positions by weight.'
          : 'The largest positions by weight.',
        top.length === 0 ? 'No name is held.' : undefined,
      ),
      table,
    ],
  };
}

/** optimize --views: the views (stated, prior, posterior) and the names the views moved most. */
function viewsSection(r: OptimizeReportSource, bl: NonNullable<OptimizeReportSource['blackLitterman']>): Section {
  const moved = largestBy(
    bl.returns.map((x) => ({ ...x, change: x.posterior - x.prior })),
    (x) => x.change,
    20,
  );
  const data: Columns = { asset: [], which: [], value: [] };
  for (const x of moved)
    for (const [which, v] of [
      ['prior', x.prior],
      ['posterior', x.posterior],
    ] as const) {
      data.asset.push(x.asset);
      data.which.push(which);
      data.value.push(v);
    }
  const spec = barChart({
    category: 'asset',
    categoryTitle: null,
    value: 'value',
    valueTitle: 'expected return a year',
    valueFormat: FORMAT.pct1,
    horizontal: true,
    sort: moved.map((x) => x.asset),
    series: 'which',
    seriesTitle: 'expected return',
    seriesSort: ['prior', 'posterior'],
    colors: ['#b0b7c3', '#1f5fa8'],
    height: Math.max(120, moved.length * 27),
  });
  const weight = new Map(r.holdings.map((h) => [h.asset, h.weight]));
  const rows = [...bl.returns].sort((a, b) => (weight.get(b.asset) ?? 0) - (weight.get(a.asset) ?? 0) || (a.asset < b.asset ? -1 : 1));
  return {
    id: 'views',
    title: 'Views (Black–Litterman)',
    intro: `The expected returns are the posterior of the market-implied prior δ·Σ·w_mkt (δ ${formatNumberText(bl.delta, 4)}, ${bl.deltaSource}; market: ${bl.market}) and ${bl.views.length} view${bl.views.length === 1 ? '' : 's'}, τ ${formatNumberText(bl.tau, 4)}.`,
    blocks: [
      {
        kind: 'table',
        id: 'views',
        title: 'The views',
        columns: [
          { key: 'name', label: 'view', format: 'text' },
          { key: 'value', label: 'stated a year', format: 'pct' },
          { key: 'prior', label: 'prior', format: 'pct' },
          { key: 'posterior', label: 'posterior', format: 'pct' },
          { key: 'confidence', label: 'confidence', format: 'text' },
        ],
        data: {
          name: bl.views.map((v) => v.name),
          value: bl.views.map((v) => v.value),
          prior: bl.views.map((v) => v.prior),
          posterior: bl.views.map((v) => v.posterior),
          confidence: bl.views.map((v) =>
            v.confidence === null ? 'default (ω = τ·pᵀΣp)' : v.omega === null ? '0% (no effect)' : formatPct(v.confidence, 1),
          ),
        },
        caption: "What the prior and the posterior expect of each view's portfolio; a view of confidence 1 is met exactly.",
      },
      chart(
        'views-moved',
        `The ${moved.length} names the views moved most`,
        spec,
        data,
        'full',
        'Prior and posterior expected return a year of the names whose expected return the views changed most.',
        moved.length === 0 ? 'The views moved no expected return.' : undefined,
      ),
      {
        kind: 'table',
        id: 'views-returns',
        title: `Expected returns (${bl.returns.length})`,
        columns: [
          { key: 'asset', label: 'asset', format: 'text' },
          { key: 'weight', label: 'weight', format: 'pct' },
          { key: 'market', label: 'market', format: 'pct' },
          { key: 'prior', label: 'prior a year', format: 'pct' },
          { key: 'posterior', label: 'posterior a year', format: 'pct' },
        ],
        data: {
          asset: rows.map((x) => x.asset),
          weight: rows.map((x) => weight.get(x.asset) ?? 0),
          market: rows.map((x) => x.marketWeight),
          prior: rows.map((x) => x.prior),
          posterior: rows.map((x) => x.posterior),
        },
        interactive: rows.length > 20,
        caption: 'Every name of the risk model: its weight, its market weight, and its prior and posterior expected return a year.',
      },
    ],
  };
}

/** optimize --frontier: the least-risk portfolios from the least-risk return to the highest, as a line. */
function frontierSection(r: OptimizeReportSource, f: NonNullable<OptimizeReportSource['frontier']>): Section {
  const hasBench = r.holdings.some((h) => h.benchmark !== null);
  const p = r.risk.periodsPerYear;
  const riskLabel = hasBench ? 'tracking error' : 'volatility';
  const data: Columns = {
    risk: f.points.map((x) => x.risk),
    annual: f.points.map((x) => x.expectedReturn * p),
    ratio: f.points.map((x) => x.ratio),
    names: f.points.map((x) => x.names),
  };
  const spec = {
    height: 260,
    layer: [
      {
        mark: { type: 'line', point: true, color: '#1f5fa8' },
        encoding: {
          x: { field: 'risk', type: 'quantitative', title: `${riskLabel} a year`, axis: { format: FORMAT.pct1 }, scale: { zero: false } },
          y: {
            field: 'annual',
            type: 'quantitative',
            title: 'expected return a year (alphaᵀw × periods)',
            axis: { format: FORMAT.pct1 },
            scale: { zero: false },
          },
          tooltip: [
            { field: 'risk', type: 'quantitative', title: riskLabel, format: FORMAT.pct },
            { field: 'annual', type: 'quantitative', title: 'expected return a year', format: FORMAT.pct },
            { field: 'ratio', type: 'quantitative', title: hasBench ? 'information ratio' : 'Sharpe ratio', format: '.3f' },
            { field: 'names', type: 'quantitative', title: 'names' },
          ],
        },
      },
    ],
  };
  return {
    id: 'frontier',
    title: 'Efficient frontier',
    intro: `${f.points.length} least-risk portfolios at expected returns from the least-risk portfolio's to the highest the constraints allow (--frontier).`,
    blocks: [
      chart(
        'frontier',
        'Expected return against risk',
        spec,
        data,
        'full',
        `Each point is the least-risk portfolio at its expected return under the same constraints; risk is the ${riskLabel}.`,
      ),
      {
        kind: 'table',
        id: 'frontier-points',
        title: 'The points',
        columns: [
          { key: 'annual', label: 'expected return a year', format: 'pct' },
          { key: 'risk', label: riskLabel, format: 'pct' },
          { key: 'ratio', label: hasBench ? 'information ratio' : 'Sharpe ratio', format: 'num' },
          { key: 'names', label: 'names', format: 'int' },
        ],
        data,
      },
    ],
  };
}

function exposuresSection(r: OptimizeReportSource): Section {
  const factors = Object.keys(r.exposures);
  const hasBench = factors.some((f) => r.exposures[f].benchmark !== null);
  const data: Columns = { factor: [], who: [], exposure: [] };
  for (const f of factors) {
    data.factor.push(f);
    data.who.push('portfolio');
    data.exposure.push(r.exposures[f].portfolio);
    if (hasBench) {
      data.factor.push(f);
      data.who.push('benchmark');
      data.exposure.push(r.exposures[f].benchmark);
    }
  }
  const spec = barChart({
    category: 'factor',
    categoryTitle: null,
    value: 'exposure',
    valueTitle: 'exposure Σ w·β',
    valueFormat: FORMAT.num, // '1', '0.8' on the axis, not '1.000', '0.800'; four significant digits in the tooltip
    sort: factors,
    ...(hasBench
      ? { series: 'who', seriesTitle: 'portfolio', seriesSort: ['portfolio', 'benchmark'], colors: ['#1f5fa8', '#b0b7c3'] }
      : {}),
    height: 200,
  });
  const bands = r.constraints.filter((c) => c.kind === 'exposure' || c.kind === 'group');
  const bandData: Columns = { label: [], lo: [], hi: [], value: [], bound: [] };
  for (const c of bands) {
    bandData.label.push(constraintLabel(c));
    bandData.lo.push(c.min ?? c.value);
    bandData.hi.push(c.max ?? c.value);
    bandData.value.push(c.value);
    bandData.bound.push(c.atBound ?? 'inside');
  }
  const bandSpec = {
    height: Math.max(60, bands.length * 22),
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 6, color: '#c6dbef' },
        encoding: {
          y: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 220 } },
          x: { field: 'lo', type: 'quantitative', title: 'value (bounds shaded)' },
          x2: { field: 'hi' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null },
          x: { field: 'value', type: 'quantitative' },
          color: {
            field: 'bound',
            type: 'nominal',
            title: 'at bound',
            scale: { domain: ['inside', 'min', 'max', 'equal'], range: ['#1f5fa8', '#d62728', '#d62728', '#555555'] },
          },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'constraint' },
            { field: 'value', type: 'quantitative', title: 'value', format: ',.4f' },
            { field: 'lo', type: 'quantitative', title: 'min', format: ',.4f' },
            { field: 'hi', type: 'quantitative', title: 'max', format: ',.4f' },
            { field: 'bound', type: 'nominal', title: 'at bound' },
          ],
        },
      },
    ],
  };
  const cons = r.constraints;
  const consTable: TableBlock = {
    kind: 'table',
    id: 'constraints',
    title: `Constraints at the solution (${cons.length})`,
    columns: [
      { key: 'label', label: 'constraint', format: 'text' },
      { key: 'min', label: 'min', format: 'num' },
      { key: 'max', label: 'max', format: 'num' },
      { key: 'value', label: 'value', format: 'num' },
      { key: 'atBound', label: 'at bound', format: 'text' },
      { key: 'multiplier', label: 'KKT multiplier', format: 'num' },
    ],
    data: {
      label: cons.map(constraintLabel),
      min: cons.map((c) => c.min),
      max: cons.map((c) => c.max),
      value: cons.map((c) => c.value),
      atBound: cons.map((c) => c.atBound ?? ''),
      multiplier: cons.map((c) => c.multiplier),
    },
    caption:
      "Active constraints are in the benchmark-relative terms (value minus the benchmark's). A multiplier > 0: the upper side pushes; < 0: the lower; 0: not binding.",
    interactive: cons.length > 20,
  };
  const expTable: TableBlock = {
    kind: 'table',
    id: 'exposures',
    title: 'Exposures',
    columns: [
      { key: 'factor', label: 'factor', format: 'text' },
      { key: 'portfolio', label: 'portfolio', format: 'num' },
      ...(hasBench
        ? [
            { key: 'benchmark', label: 'benchmark', format: 'num' as const },
            { key: 'active', label: 'active', format: 'num' as const },
          ]
        : []),
    ],
    data: {
      factor: factors,
      portfolio: factors.map((f) => r.exposures[f].portfolio),
      ...(hasBench ? { benchmark: factors.map((f) => r.exposures[f].benchmark), active: factors.map((f) => r.exposures[f].active) } : {}),
    },
  };
  const atBound = bands.filter((c) => c.atBound !== null).length;
  return {
    id: 'exposures',
    title: 'Exposures and constraints',
    blocks: [
      chart(
        'exposures',
        hasBench ? 'Exposures: portfolio and benchmark' : 'Exposures of the portfolio',
        spec,
        data,
        'half',
        "Σ_i w_i β_if with the risk model's betas.",
        factors.length === 0 ? 'The risk model has no factor.' : undefined,
      ),
      chart(
        'constraint-bands',
        'Exposure and group constraints against their bounds',
        bandSpec,
        bandData,
        'half',
        `The band [min, max] shaded, the value at the solution as a dot; ${atBound} of ${bands.length} sit on a bound.`,
        bands.length === 0 ? 'No exposure or group constraint was given.' : undefined,
      ),
      expTable,
      consTable,
    ],
  };
}

/** A factor's share as the risk table prints it ({@link shareFigure}); null when the decomposition has none. */
const shareOrNull = (v: number | null | undefined): number | null => (v === undefined || v === null ? null : shareFigure(v));

function riskSection(r: OptimizeReportSource): Section {
  const active = r.risk.activeDecomposition;
  const d = active ?? r.risk.decomposition;
  const factors = Object.keys(d.shares.factors);
  const data: Columns = {
    part: [...factors, 'specific'],
    share: [...factors.map((f) => d.shares.factors[f]), d.shares.specific],
    vol: [...factors.map((f) => d.volatilityContributions.factors[f]), d.volatilityContributions.specific],
  };
  const spec = barChart({
    category: 'part',
    categoryTitle: null,
    value: 'share',
    valueTitle: 'share of the variance',
    valueFormat: '.1%',
    horizontal: true,
    sort: data.part as string[],
    signColor: true,
    height: Math.max(80, (factors.length + 1) * 20),
    extraTooltip: [{ field: 'vol', title: 'volatility contribution (annual)', format: '.2%' }],
  });
  const rows = (x: DecompositionJson): Columns => ({
    part: [...factors, 'all factors', 'specific', 'total'],
    exposure: [...factors.map((f) => x.exposures[f] ?? null), null, null, null],
    contribution: [...factors.map((f) => x.contributions[f] ?? null), x.systematicVariance, x.specificVariance, x.totalVariance],
    // printed: rounding noise (a neutral book's ~1e-30) as 0, not "-0.00%" (the chart's data keep it)
    share: [...factors.map((f) => shareOrNull(x.shares.factors[f])), shareFigure(x.shares.systematic), shareFigure(x.shares.specific), 1],
    vol: [
      ...factors.map((f) => x.volatilityContributions.factors[f] ?? null),
      x.volatility.systematic,
      x.volatilityContributions.specific,
      x.volatility.total,
    ],
  });
  const cols = [
    { key: 'part', label: '', format: 'text' as const },
    { key: 'exposure', label: 'exposure', format: 'num' as const },
    { key: 'contribution', label: 'variance (per period)', format: 'num' as const },
    { key: 'share', label: 'share', format: 'pct' as const },
    { key: 'vol', label: 'volatility (annual)', format: 'pct' as const },
  ];
  const blocks: Block[] = [
    chart(
      'risk',
      `${active ? 'Active' : 'Total'} risk by source`,
      spec,
      data,
      'half',
      `Euler contributions c_f = b_f (F b)_f of each factor and the specific variance Σ w_i² d_i, as shares of the ${active ? 'active ' : ''}variance; factors ${formatPct(shareFigure(d.shares.systematic), 1)}, specific ${formatPct(shareFigure(d.shares.specific), 1)}.`,
      d.totalVariance > 0 ? undefined : 'The variance is zero: nothing to decompose.',
    ),
    {
      kind: 'table',
      id: 'risk-table',
      title: active ? 'Active risk (weights − benchmark)' : 'Risk of the weights',
      columns: cols,
      data: rows(d),
      caption: 'For factors the volatility column is the Euler contribution c_f·√P/√total; "all factors" and "total" are volatilities.',
    },
  ];
  if (active)
    blocks.push({ kind: 'table', id: 'risk-total', title: 'Total risk of the weights', columns: cols, data: rows(r.risk.decomposition) });
  return {
    id: 'risk',
    title: 'Risk decomposition',
    intro: `Volatility ${formatPct(r.risk.volatility, 2)} a year${active ? `, tracking error ${formatPct(r.risk.trackingError, 2)}` : ''} (ex-ante, B F Bᵀ + D).`,
    blocks,
  };
}

function tradesSection(r: OptimizeReportSource): Section {
  const top = largestBy(r.holdings, (h) => h.trade, 25);
  const data: Columns = {
    asset: top.map((h) => h.asset),
    trade: top.map((h) => h.trade),
    current: top.map((h) => h.current),
    weight: top.map((h) => h.weight),
  };
  const fromCash = r.holdings.every((h) => h.current === 0);
  const spec = barChart({
    category: 'asset',
    categoryTitle: null,
    value: 'trade',
    valueTitle: 'trade Δw',
    valueFormat: '.2%',
    horizontal: true,
    sort: top.map((h) => h.asset),
    signColor: true,
    height: Math.max(100, top.length * 14),
    extraTooltip: [
      { field: 'current', title: 'current', format: '.2%' },
      { field: 'weight', title: 'new weight', format: '.2%' },
    ],
  });
  const buys = r.holdings.reduce((s, h) => s + Math.max(h.trade, 0), 0),
    sells = r.holdings.reduce((s, h) => s + Math.max(-h.trade, 0), 0);
  const cap = r.constraints.find((c) => c.kind === 'turnover');
  return {
    id: 'trades',
    title: 'Trades and turnover',
    intro: `Turnover ${formatPct(r.turnover.twoWay, 1)} two-way (Σ|Δw|: buys ${formatPct(buys, 1)} plus sells ${formatPct(sells, 1)}), ${formatPct(r.turnover.oneWay, 1)} one-way (Σ|Δw|/2)${cap ? `; cap ${formatPct(cap.max ?? NaN, 1)}${cap.atBound ? ', binding' : ', not binding'}` : ''}.${fromCash ? ' No current holdings were given (--current), so the trades are the weights.' : ''}`,
    blocks: [
      chart(
        'trades',
        `The ${top.length} largest trades`,
        spec,
        data,
        'full',
        'Buys in blue, sells in red; the tooltip has the current and the new weight.',
        top.length === 0 ? 'No trade: the weights equal the current holdings.' : undefined,
      ),
    ],
  };
}

function solverRows(s: SolverJson, c: CardinalityJson | null): [string, string][] {
  return [
    ['engine', `${s.engine} (factorlab's own, the OSQP algorithm), ${s.linearSystem} linear system`],
    ['status', s.status],
    ['ADMM iterations', `${s.iterations} in ${s.solves} QP solve${s.solves === 1 ? '' : 's'}`],
    ['ADMM residuals', `primal ${sci(s.primalResidual)}, dual ${sci(s.dualResidual)}`],
    [
      'polish',
      `${s.polish.status}${s.polish.multipliers ? ` (multipliers: ${s.polish.multipliers})` : ''}${s.polish.lowerActive !== undefined ? `, active set ${s.polish.lowerActive} lower + ${s.polish.upperActive ?? 0} upper` : ''}${s.polish.refinements !== undefined ? `, ${s.polish.refinements} refinements` : ''}`,
    ],
    [
      'KKT residuals',
      `primal ${sci(s.kkt.primal)}, stationarity ${sci(s.kkt.stationarity)}, complementarity ${sci(s.kkt.complementarity)}`,
    ],
    ['step size ρ', `${formatNumberText(s.rho, 4)} (${s.rhoUpdates} updates)`],
    ['solve time', `${formatNumberText(s.milliseconds, 1)} ms (wall clock)`],
    ...(c
      ? ([
          [
            'names (K)',
            `${c.names} held${c.maxNames !== null ? `, at most ${c.maxNames}` : ''}${c.minPosition !== null ? `, each ≥ ${formatPct(c.minPosition, 2)}` : ''}: ${cardinalityMethodText(c)}`,
          ],
          [
            'optimality gap',
            `${sci(c.gap)} (objective ${sci(c.objective)} against the continuous relaxation's ${sci(c.relaxedObjective)})`,
          ],
        ] as [string, string][])
      : []),
  ];
}

function optimizeDetails(r: OptimizeReportSource): Section {
  const rows = solverRows(r.solver, r.cardinality);
  if (r.trackingErrorCap) {
    const t = r.trackingErrorCap;
    rows.push([
      'tracking-error cap',
      `${formatPct(t.cap, 2)}: achieved ${formatPct(t.achieved, 2)}, ${t.binding ? `binding (γ = ${formatNumberText(t.riskAversion, 4)} after ${t.bisectionSteps} bisection steps)` : 'not binding'}`,
    ]);
  }
  rows.push(['objective', formatNumberText(r.objective, 8)]);
  if (r.resultFile) rows.push(['result', r.resultFile]);
  const blocks: Block[] = [
    kv('solver', 'Solver diagnostics', rows, "KKT residuals are after polishing, in the problem's own units."),
    { kind: 'text', paragraphs: r.notes.length > 0 ? r.notes : ['No note from the run.'] },
  ];
  return { id: 'details', title: 'Solver and notes', blocks };
}

/** The optimiser's report document. */
export function optimizeReportDocument(r: OptimizeReportSource): ReportDocument {
  const hasBench = r.holdings.some((h) => h.benchmark !== null);
  return {
    kind: 'optimization-report',
    title: hasBench ? 'Optimised portfolio against its benchmark' : 'Optimised portfolio',
    subtitle: `${formatCount(r.names)} of ${formatCount(r.holdings.length)} names; factors ${Object.keys(r.exposures).join(', ')}; ${r.constraints.length} constraints`,
    headlines: optimizeHeadlines(r),
    sections: [
      weightsSection(r),
      ...(r.blackLitterman !== undefined ? [viewsSection(r, r.blackLitterman)] : []),
      ...(r.frontier !== undefined ? [frontierSection(r, r.frontier)] : []),
      exposuresSection(r),
      riskSection(r),
      tradesSection(r),
      optimizeDetails(r),
    ],
    footer: `${r.generator ?? 'factorlab'}. Numbers in charts are rounded to 6 significant digits; the result JSON has them in full.`,
  };
}

// ---------------------------------------------------------------------------------------------
// replicate

function replicateHeadlines(r: ReplicateReportSource): HeadlineNumber[] {
  const o = r.outOfSample;
  return [
    {
      label: 'names in the basket',
      value: formatCount(r.names),
      detail: `from ${formatCount(r.riskModel.assets)} assets${r.cardinality?.maxNames != null ? `; at most ${r.cardinality.maxNames} asked` : ''}`,
    },
    {
      label: 'tracking error out of sample',
      value: o ? formatPct(o.trackingError, 2) : 'n/a',
      detail: o ? `${o.start} .. ${o.end}, correlation ${formatNumberOrNa(o.correlation, 3)}` : 'no date after the fit window',
    },
    {
      label: 'tracking error in sample',
      value: formatPct(r.inSample.trackingError, 2),
      detail: `${r.inSample.start} .. ${r.inSample.end}, correlation ${formatNumberOrNa(r.inSample.correlation, 3)}`,
    },
    { label: 'model tracking error', value: formatPct(r.modelTrackingError, 2), detail: 'ex-ante, from the risk model' },
    { label: 'exposure mismatch', value: sci(r.exposureMismatch), detail: 'max over factors of |basket − target|' },
  ];
}

/** The replicating basket's report document. */
export function replicateReportDocument(r: ReplicateReportSource): ReportDocument {
  const factors = Object.keys(r.exposures);
  const expData: Columns = { factor: [], who: [], exposure: [], difference: [] };
  for (const f of factors) {
    const e = r.exposures[f];
    expData.factor.push(f, f);
    expData.who.push('target', 'basket');
    expData.exposure.push(e.target, e.basket);
    expData.difference.push(e.difference, e.difference);
  }
  const expSpec = barChart({
    category: 'factor',
    categoryTitle: null,
    value: 'exposure',
    valueTitle: 'exposure (beta)',
    valueFormat: FORMAT.num,
    sort: factors,
    series: 'who',
    seriesTitle: 'exposure',
    seriesSort: ['target', 'basket'],
    colors: ['#b0b7c3', '#1f5fa8'],
    height: 200,
    extraTooltip: [{ field: 'difference', title: 'basket − target', format: '.2e' }],
  });
  const expTable: TableBlock = {
    kind: 'table',
    id: 'exposure-match',
    title: 'Exposure match',
    columns: [
      { key: 'factor', label: 'factor', format: 'text' },
      { key: 'target', label: 'target', format: 'num' },
      { key: 'basket', label: 'basket', format: 'num' },
      { key: 'difference', label: 'basket − target', format: 'num' },
    ],
    data: {
      factor: factors,
      target: factors.map((f) => r.exposures[f].target),
      basket: factors.map((f) => r.exposures[f].basket),
      difference: factors.map((f) => r.exposures[f].difference),
    },
  };
  const held = r.holdings.slice().sort((a, b) => b.weight - a.weight || (a.asset < b.asset ? -1 : 1));
  const top = held.slice(0, 30);
  const holdSpec = barChart({
    category: 'asset',
    categoryTitle: null,
    value: 'weight',
    valueTitle: 'weight',
    valueFormat: '.2%',
    horizontal: true,
    sort: top.map((h) => h.asset),
    height: Math.max(100, top.length * 14),
  });
  const windows = [
    { name: 'in sample (fit window)', w: r.inSample as WindowFitJson | null },
    { name: 'out of sample', w: r.outOfSample },
  ];
  const teData: Columns = { window: [], te: [], span: [] };
  for (const x of windows)
    if (x.w) {
      teData.window.push(x.name);
      teData.te.push(x.w.trackingError);
      teData.span.push(`${x.w.start} .. ${x.w.end}`);
    }
  teData.window.push('model (ex-ante)');
  teData.te.push(r.modelTrackingError);
  teData.span.push('');
  const teSpec = barChart({
    category: 'window',
    categoryTitle: null,
    value: 'te',
    valueTitle: 'tracking error (annual)',
    valueFormat: '.2%',
    horizontal: true,
    sort: teData.window as string[],
    height: 90,
    extraTooltip: [{ field: 'span', title: 'dates', type: 'nominal' }],
  });
  const teTable: TableBlock = {
    kind: 'table',
    id: 'tracking-error',
    title: 'Tracking error',
    columns: [
      { key: 'window', label: '', format: 'text' },
      { key: 'span', label: 'dates', format: 'text' },
      { key: 'days', label: periodsNoun(r.riskModel.periodsPerYear), format: 'int' },
      { key: 'te', label: 'TE (annual)', format: 'pct' },
      { key: 'corr', label: 'correlation', format: 'num' },
      { key: 'coverage', label: 'coverage', format: 'pct' },
    ],
    data: {
      window: windows.map((x) => x.name),
      span: windows.map((x) => (x.w ? `${x.w.start} .. ${x.w.end}` : 'no date after the fit window')),
      days: windows.map((x) => x.w?.observations ?? null),
      te: windows.map((x) => x.w?.trackingError ?? null),
      corr: windows.map((x) => x.w?.correlation ?? null),
      coverage: windows.map((x) => x.w?.coverage ?? null),
    },
    caption: `Ex-post std(r_basket − r_target)·√${r.riskModel.periodsPerYear}, weights held constant; coverage: the mean share of the basket's weight with a return. The model's ex-ante tracking error is ${formatPct(r.modelTrackingError, 2)}.`,
  };
  const est = r.riskModel.estimate;
  const model: [string, string][] = [
    ['factors', r.riskModel.factors.join(', ')],
    ['assets in the risk model', formatCount(r.riskModel.assets)],
    ...(est
      ? ([
          [
            'factor covariance',
            `${est.method}${est.shrinkage !== undefined ? ` (shrinkage ${formatNumberText(est.shrinkage, 4)})` : ''}${est.halfLife !== undefined ? ` (half-life ${est.halfLife})` : ''} on ${est.nobs} dates${est.start ? `, ${est.start} .. ${est.end ?? ''}` : ''}`,
          ],
        ] as [string, string][])
      : []),
    ...solverRows(r.solver, r.cardinality),
    ...(r.resultFile ? ([['result', r.resultFile]] as [string, string][]) : []),
  ];
  const dropped: TableBlock = {
    kind: 'table',
    id: 'dropped',
    title: `Dropped names (${r.dropped.length})`,
    columns: [
      { key: 'asset', label: 'asset', format: 'text' },
      { key: 'reason', label: 'reason', format: 'text' },
    ],
    data: { asset: r.dropped.map((d) => d.asset), reason: r.dropped.map((d) => d.reason) },
    ...(r.dropped.length === 0
      ? { empty: 'No asset of the universe was left out of the risk model.' }
      : { interactive: r.dropped.length > 20 }),
  };
  const notes = r.notes ?? [];
  return {
    kind: 'replication-report',
    title: `Replicating basket: ${r.target}`,
    subtitle: `${formatCount(r.names)} names from ${formatCount(r.riskModel.assets)}; fitted ${r.inSample.start} .. ${r.inSample.end}${r.outOfSample ? `, tested ${r.outOfSample.start} .. ${r.outOfSample.end}` : ''}`,
    headlines: replicateHeadlines(r),
    sections: [
      {
        id: 'exposures',
        title: 'Exposure match',
        intro: `The target's exposures fitted on ${r.inSample.start} .. ${r.inSample.end}, and the basket's Σ w_i β_i; the largest difference is ${sci(r.exposureMismatch)}.`,
        blocks: [
          chart(
            'exposure-match',
            'Target and basket exposures',
            expSpec,
            expData,
            'half',
            'The tooltip has the difference basket − target.',
            factors.length === 0 ? 'The risk model has no factor.' : undefined,
          ),
          expTable,
        ],
      },
      {
        id: 'tracking',
        title: 'Tracking error',
        blocks: [
          chart(
            'tracking-error',
            'Tracking error in and out of sample',
            teSpec,
            teData,
            'half',
            'Out of sample: fitted on one window, measured on the next.',
          ),
          teTable,
        ],
      },
      {
        id: 'holdings',
        title: 'Holdings',
        blocks: [
          chart(
            'holdings',
            held.length > top.length ? `The ${top.length} largest of ${held.length} holdings` : `The ${held.length} holdings`,
            holdSpec,
            { asset: top.map((h) => h.asset), weight: top.map((h) => h.weight) },
            'half',
            undefined,
            held.length === 0 ? 'The basket holds nothing.' : undefined,
          ),
          {
            kind: 'table',
            id: 'holdings-table',
            title: `Holdings (${held.length})`,
            columns: [
              { key: 'asset', label: 'asset', format: 'text' },
              { key: 'weight', label: 'weight', format: 'pct' },
            ],
            data: { asset: held.map((h) => h.asset), weight: held.map((h) => h.weight) },
            interactive: held.length > 20,
          },
        ],
      },
      {
        id: 'details',
        title: 'Risk model, solver and notes',
        blocks: [
          kv('solver', 'Risk model and solver', model),
          dropped,
          { kind: 'text', paragraphs: notes.length > 0 ? notes : ['No note from the run.'] },
        ],
      },
    ],
    footer: `${r.generator ?? 'factorlab'}. Numbers in charts are rounded to 6 significant digits; the result JSON has them in full.`,
  };
}

/** How an at-most-K-names portfolio's support was found, in words. */
export function cardinalityMethodText(c: { method: string; milpStatus: string; swaps?: number }): string {
  const how =
    c.method === 'elimination'
      ? `support by backward elimination on the QP (lower objective than the HiGHS MILP's support, ${c.milpStatus})`
      : `HiGHS MILP support (${c.milpStatus})`;
  return `${how}${exchangesText(c.swaps ?? 0)}, then the QP on it`;
}

/** ", improved by N exchanges" (a held name swapped for one outside, each lowering the objective), or nothing. */
export function exchangesText(swaps: number): string {
  return swaps > 0 ? `, improved by ${swaps} exchange${swaps > 1 ? 's' : ''} of a held name for one outside` : '';
}
