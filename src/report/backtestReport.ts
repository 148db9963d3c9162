/**
 * The backtest report as a {@link ReportDocument}, from the JSON of `factorlab backtest`
 * (cli/commands/backtest.ts `BacktestOutput`): NAV net and gross against the benchmark (compounded
 * from its returns, NAV_t = Π(1 + r_s)), the drawdown of the net NAV (NAV_t / max_{s≤t} NAV_s − 1),
 * the calendar-year returns (Π over the year's rows of (1 + r) − 1), the trailing one-year return,
 * the holdings count and the weights of the largest names at each rebalance, the turnover
 * (Σ|Δw|, one-way Σ|Δw|/2 beside it) and cost of each rebalance, the statistics table (net, gross,
 * benchmark), the strategy's factor exposures through time when the result has them, forced sales,
 * settings and notes. A section whose numbers are not in the result says so.
 */
import type { Block, ChartBlock, Columns, HeadlineNumber, ReportDocument, Section, TableBlock } from './document.js';
import { barChart, DATE_X, dateTooltip, hoverLayer, lineChart, seriesColumns } from './specs.js';
import { formatCount, formatNumberOrNa, formatNumberText, formatPct } from './format.js';

/** The statistics of one return series (backtest/performance.ts `Performance`), as JSON. */
export interface BacktestPerformanceJson {
  periods: number;
  periodsPerYear: number;
  totalReturn: number | null;
  annualReturn: number | null;
  annualVolatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  downsideDeviation: number | null;
  calmar: number | null;
  hitRate: number | null;
  maxDrawdown: { maxDrawdown: number | null; peakRow?: number; troughRow?: number; recoveryRow?: number; durationRows?: number };
  benchmark?: {
    totalReturn: number | null;
    annualReturn: number | null;
    trackingError: number | null;
    informationRatio: number | null;
    beta: number | null;
    alpha: number | null;
  };
}

/** Exposures through time, when the result has them: dates and one column per factor. */
/**
 * The strategy's factor exposures through time as `factorlab backtest --factors` writes them, per
 * `series.dates` (NaN as null): the rolling regression of its (excess) net return (`const`, each
 * factor, `r2`, `residual_std`, `nobs`) and the holdings-weighted exposures Σ w_i β_i with the share
 * of the book they cover.
 */
export interface BacktestExposuresJson {
  factors: string[];
  window: number;
  riskFree: string | null;
  regression: Record<string, (number | null)[]>;
  holdings?: { exposures: Record<string, (number | null)[]>; coveredWeight: (number | null)[]; assetsUsed: number[] };
}

/** What the backtest report reads: the JSON `factorlab backtest --out` writes. */
export interface BacktestReportSource {
  strategy: string;
  settings: Record<string, string | number | boolean | undefined>;
  notes: string[];
  performance: { net: BacktestPerformanceJson; gross: BacktestPerformanceJson };
  summary: {
    firstDate: string;
    lastDate: string;
    rows: number;
    rebalances: number;
    /** The statistics' period (from the first rebalance that holds something); absent in older results. */
    statisticsFirstDate?: string;
    statisticsRows?: number;
    meanTurnover: number;
    meanOneWayTurnover: number;
    totalCost: number;
    meanHoldings: number;
    forcedSales: number;
    /** Rows × names a held name was carried without a price (absent from results written before 2026-12-04). */
    heldWithoutPrice?: number;
  };
  series: {
    dates: string[];
    navGross: (number | null)[];
    navNet: (number | null)[];
    grossReturns: (number | null)[];
    netReturns: (number | null)[];
    costs: (number | null)[];
    turnover: (number | null)[];
    holdings: (number | null)[];
    benchmarkReturns?: (number | null)[];
  };
  rebalances: {
    signalDate: string;
    date: string;
    turnover: number;
    oneWayTurnover: number;
    cost: number;
    holdings: number;
    unfilled: number;
    weights: { asset: string; weight: number }[];
    /** In JSON saved before 2026-12-04 (each rebalance listed its trades; now only the top-level `trades` does). */
    trades?: unknown[];
  }[];
  forcedSales: { date: string; asset: string; weight: number; reason: string }[];
  /** The strategy's factor exposures through time (added by the backtest when it computes them). */
  exposures?: BacktestExposuresJson | null;
  resultFile?: string;
  generator?: string;
}

const num = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);

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

/** NAV from returns, starting at 1 before the first row: NAV_t = Π_{s≤t}(1 + r_s) (a missing return counts as 0). */
export function compoundReturns(r: readonly (number | null)[]): number[] {
  let v = 1;
  return r.map((x) => (v *= 1 + (typeof x === 'number' && Number.isFinite(x) ? x : 0)));
}

/** Drawdown of a NAV: NAV_t / max_{s≤t} NAV_s − 1 (0 at a new high; missing NAVs stay missing). */
export function drawdownSeries(nav: readonly (number | null)[]): (number | null)[] {
  let peak = -Infinity;
  return nav.map((x) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) return null;
    peak = Math.max(peak, x);
    return x / peak - 1;
  });
}

/** Calendar-year returns: Π over the year's rows of (1 + r) − 1, for each year with a row (dates YYYY-MM-DD). */
export function yearlyReturns(dates: readonly string[], r: readonly (number | null)[]): { year: string; ret: number }[] {
  const out: { year: string; ret: number }[] = [];
  for (let i = 0; i < dates.length; i++) {
    const y = dates[i].slice(0, 4);
    if (out.length === 0 || out[out.length - 1].year !== y) out.push({ year: y, ret: 1 });
    const x = r[i];
    if (typeof x === 'number' && Number.isFinite(x)) out[out.length - 1].ret *= 1 + x;
  }
  return out.map((o) => ({ year: o.year, ret: o.ret - 1 }));
}

/** Trailing return over `w` rows: NAV_t / NAV_{t−w} − 1 (missing for the first w rows). */
export function trailingReturn(nav: readonly number[], w: number): (number | null)[] {
  return nav.map((x, i) => (i >= w && Number.isFinite(x) && Number.isFinite(nav[i - w]) && nav[i - w] !== 0 ? x / nav[i - w] - 1 : null));
}

function performanceSection(r: BacktestReportSource): Section {
  const s = r.series;
  const bench = s.benchmarkReturns ? compoundReturns(s.benchmarkReturns) : null;
  const nav = seriesColumns(s.dates, [
    { name: 'net of costs', values: s.navNet.map(num) },
    { name: 'gross', values: s.navGross.map(num) },
    ...(bench ? [{ name: 'benchmark', values: bench }] : []),
  ]);
  // a log scale only when the NAV at least doubles or halves: on a flat NAV it only adds empty decades
  const finiteNav = [...s.navNet, ...s.navGross, ...(bench ?? [])].map(num).filter((v) => Number.isFinite(v) && v > 0);
  const logY = finiteNav.length > 0 && Math.max(...finiteNav) / Math.min(...finiteNav) >= 2;
  const dd = drawdownSeries(s.navNet);
  const ddData: Columns = { date: s.dates.slice(), dd };
  const ddSpec = {
    height: 150,
    layer: [
      {
        mark: { type: 'area', color: '#d62728', opacity: 0.35, line: { color: '#d62728', strokeWidth: 1 } },
        transform: [{ filter: 'isValid(datum.dd)' }],
        encoding: { x: DATE_X, y: { field: 'dd', type: 'quantitative', title: 'drawdown', axis: { format: '.0%' } } },
      },
      hoverLayer({
        mark: { type: 'rule', color: '#888' },
        params: [{ name: 'hover', select: { type: 'point', encodings: ['x'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
        encoding: {
          x: DATE_X,
          opacity: { condition: { param: 'hover', empty: false, value: 0.7 }, value: 0 },
          tooltip: [dateTooltip(), { field: 'dd', type: 'quantitative', title: 'drawdown', format: '.2%' }],
        },
      }),
    ],
  };
  const P = r.performance.net.periodsPerYear;
  const navNet = s.navNet.map(num);
  const roll = seriesColumns(s.dates, [
    { name: 'strategy (net)', values: trailingReturn(navNet, Math.round(P)) },
    ...(bench ? [{ name: 'benchmark', values: trailingReturn(bench, Math.round(P)) }] : []),
  ]);
  const years = yearlyReturns(s.dates, s.netReturns);
  const byear = s.benchmarkReturns ? yearlyReturns(s.dates, s.benchmarkReturns) : [];
  const yearData: Columns = { year: [], who: [], ret: [] };
  for (const y of years) {
    yearData.year.push(y.year);
    yearData.who.push('strategy (net)');
    yearData.ret.push(y.ret);
  }
  for (const y of byear) {
    yearData.year.push(y.year);
    yearData.who.push('benchmark');
    yearData.ret.push(y.ret);
  }
  const mdd = r.performance.net.maxDrawdown.maxDrawdown;
  return {
    id: 'performance',
    title: 'Performance',
    intro: `Growth of 1 from ${r.summary.firstDate} to ${r.summary.lastDate} (${r.summary.rows.toLocaleString('en-US')} rows, ${formatCount(r.summary.rebalances)} ${r.summary.rebalances === 1 ? 'rebalance' : 'rebalances'}). Net: after costs; gross: before.`,
    blocks: [
      chart(
        'nav',
        'Growth of 1',
        lineChart(nav, {
          yTitle: logY ? 'NAV (log scale)' : 'NAV',
          legend: null,
          colors: ['#1f5fa8', '#9ecae1', '#7f7f7f'],
          dashed: bench ? ['benchmark'] : [],
          height: 260,
          logY,
        }),
        nav.data,
        'full',
        `Net ${formatPct(num(r.performance.net.annualReturn), 1)} a year, gross ${formatPct(num(r.performance.gross.annualReturn), 1)}${r.performance.net.benchmark ? `, benchmark ${formatPct(num(r.performance.net.benchmark.annualReturn), 1)}` : ''}.`,
        s.dates.length === 0 ? 'The backtest has no row.' : undefined,
      ),
      chart(
        'drawdown',
        'Drawdown (underwater)',
        ddSpec,
        ddData,
        'full',
        `NAV against its running peak, net of costs. Deepest: ${formatPct(num(mdd), 1)}.`,
        s.dates.length === 0 ? 'The backtest has no row.' : undefined,
      ),
      chart(
        'rolling-return',
        'Trailing one-year return',
        lineChart(roll, {
          yTitle: `return over ${Math.round(P)} rows`,
          yFormat: '.0%',
          legend: null,
          colors: ['#1f5fa8', '#7f7f7f'],
          zero: true,
          height: 180,
        }),
        roll.data,
        'half',
        'NAV_t / NAV_{t−1y} − 1.',
        s.dates.length <= P ? 'Shorter than a year: no trailing one-year return.' : undefined,
      ),
      chart(
        'annual-returns',
        'Calendar-year returns',
        barChart({
          category: 'year',
          categoryTitle: null,
          value: 'ret',
          valueTitle: 'return',
          valueFormat: '.1%',
          series: bench ? 'who' : undefined,
          seriesSort: ['strategy (net)', 'benchmark'],
          colors: ['#1f5fa8', '#b0b7c3'],
          signColor: !bench,
          height: 180,
        }),
        yearData,
        'half',
        'Compounded within each calendar year (a partial first or last year is partial).',
        years.length === 0 ? 'The backtest has no row.' : undefined,
      ),
    ],
  };
}

function statisticsSection(r: BacktestReportSource): Section {
  const net = r.performance.net,
    gross = r.performance.gross,
    b = net.benchmark;
  const rows: [string, (p: BacktestPerformanceJson) => number | null | undefined, 'pct' | 'num'][] = [
    ['total return', (p) => p.totalReturn, 'pct'],
    ['annual return', (p) => p.annualReturn, 'pct'],
    ['annual volatility', (p) => p.annualVolatility, 'pct'],
    ['Sharpe ratio', (p) => p.sharpe, 'num'],
    ['Sortino ratio', (p) => p.sortino, 'num'],
    ['max drawdown', (p) => p.maxDrawdown.maxDrawdown, 'pct'],
    ['Calmar ratio', (p) => p.calmar, 'num'],
    ['hit rate (share of rows up)', (p) => p.hitRate, 'pct'],
  ];
  const fmt = (v: number | null | undefined, f: 'pct' | 'num'): string =>
    Number.isFinite(num(v)) ? (f === 'pct' ? formatPct(num(v), 2) : formatNumberText(num(v), 3)) : 'n/a';
  const data: Columns = {
    k: rows.map((x) => x[0]),
    net: rows.map((x) => fmt(x[1](net), x[2])),
    gross: rows.map((x) => fmt(x[1](gross), x[2])),
  };
  const extra: [string, string][] = [
    [
      'mean turnover per rebalance',
      `${formatPct(r.summary.meanTurnover, 1)} (Σ|Δw|); one-way ${formatPct(r.summary.meanOneWayTurnover, 1)}`,
    ],
    ['total cost', formatPct(r.summary.totalCost, 2) + ' of NAV'],
    ['mean names held', formatNumberText(r.summary.meanHoldings, 1)],
    ['forced sales', String(r.summary.forcedSales)],
    ...(r.summary.heldWithoutPrice !== undefined && r.summary.heldWithoutPrice > 0
      ? ([['held through a gap (name × rows without a price)', String(r.summary.heldWithoutPrice)]] as [string, string][])
      : []),
    ...(b
      ? ([
          ['benchmark annual return', fmt(b.annualReturn, 'pct')],
          ['tracking error', fmt(b.trackingError, 'pct')],
          ['information ratio', fmt(b.informationRatio, 'num')],
          ['beta to the benchmark', fmt(b.beta, 'num')],
          ['alpha (annual)', fmt(b.alpha, 'pct')],
        ] as [string, string][])
      : []),
  ];
  const table: TableBlock = {
    kind: 'table',
    id: 'statistics',
    title: 'Statistics',
    columns: [
      { key: 'k', label: '', format: 'text' },
      { key: 'net', label: 'net of costs', format: 'text' },
      { key: 'gross', label: 'gross', format: 'text' },
    ],
    data,
    caption:
      (r.summary.statisticsFirstDate !== undefined && r.summary.statisticsRows !== undefined && r.summary.statisticsRows < r.summary.rows
        ? `Over ${r.summary.statisticsFirstDate} .. ${r.summary.lastDate}, ${r.summary.statisticsRows.toLocaleString('en-US')} rows from the first rebalance that holds something (the ${(r.summary.rows - r.summary.statisticsRows).toLocaleString('en-US')} earlier rows in cash are left out). `
        : '') +
      `Annualised with ${net.periodsPerYear} periods a year${net.periods < net.periodsPerYear ? ` from ${formatCount(net.periods)} ${net.periods === 1 ? 'return' : 'returns'}, under a year: the annual figures extrapolate` : ''}; ratios on per-period returns (empyrical's definitions, docs/definitions.md).`,
  };
  const more: TableBlock = {
    kind: 'table',
    id: 'trading',
    title: b ? 'Trading and the benchmark' : 'Trading',
    columns: [
      { key: 'k', label: '', format: 'text' },
      { key: 'v', label: '', format: 'text' },
    ],
    data: { k: extra.map((x) => x[0]), v: extra.map((x) => x[1]) },
  };
  return { id: 'statistics', title: 'Statistics', blocks: [table, more] };
}

/** The names with the largest mean |weight| over the rebalances, at most `k`. */
function topNames(r: BacktestReportSource, k: number): string[] {
  const sum = new Map<string, number>();
  for (const rb of r.rebalances) for (const w of rb.weights) sum.set(w.asset, (sum.get(w.asset) ?? 0) + Math.abs(w.weight));
  return [...sum.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map((e) => e[0]);
}

function holdingsSection(r: BacktestReportSource): Section {
  const s = r.series;
  const held = seriesColumns(s.dates, [{ name: 'names held', values: s.holdings.map(num) }]);
  const rb = r.rebalances;
  const turn: Columns = {
    date: rb.map((x) => x.date),
    turnover: rb.map((x) => x.turnover),
    oneway: rb.map((x) => x.oneWayTurnover),
    cost: rb.map((x) => x.cost * 1e4),
  };
  const turnSpec = {
    height: 160,
    // a bar per rebalance on a time axis: about 70% of the room each one has in a half-width chart
    // (a parameter, so that the chart's compiled template does not depend on the number)
    params: [{ name: 'barWidth', value: Math.max(1, Math.min(14, Math.floor((0.7 * 380) / Math.max(1, rb.length)))) }],
    mark: { type: 'bar', color: '#6b8fbf', width: { expr: 'barWidth' } },
    encoding: {
      x: DATE_X,
      y: { field: 'turnover', type: 'quantitative', title: 'turnover Σ|Δw|', axis: { format: '.0%' } },
      tooltip: [
        dateTooltip('rebalance'),
        { field: 'turnover', type: 'quantitative', title: 'turnover Σ|Δw|', format: '.1%' },
        { field: 'oneway', type: 'quantitative', title: 'one-way Σ|Δw|/2', format: '.1%' },
        { field: 'cost', type: 'quantitative', title: 'cost, bp of NAV', format: ',.1f' },
      ],
    },
  };
  const withWeights = rb.filter((x) => x.weights.length > 0);
  const names = topNames(r, 25);
  const heat: Columns = { date: [], asset: [], weight: [], order: [] };
  for (const x of withWeights) {
    const m = new Map(x.weights.map((w) => [w.asset, w.weight]));
    names.forEach((a, i) => {
      const w = m.get(a);
      if (w !== undefined) {
        heat.date.push(x.date);
        heat.asset.push(a);
        heat.weight.push(w);
        heat.order.push(i);
      }
    });
  }
  const heatSpec = {
    // the legend's percent format, with enough decimals that its ticks differ (a parameter: see barWidth)
    params: [{ name: 'weightFormat', value: percentFormatFor(heat.weight) }],
    height: { step: 12 },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'date', type: 'ordinal', title: null, axis: { labelOverlap: true, labelAngle: -45 } },
      y: { field: 'asset', type: 'nominal', title: null, sort: { field: 'order', op: 'min' } },
      color: {
        field: 'weight',
        type: 'quantitative',
        title: 'weight',
        scale: { scheme: 'blues' },
        legend: { labelExpr: 'format(datum.value, weightFormat)' },
      },
      tooltip: [
        { field: 'date', type: 'nominal', title: 'rebalance' },
        { field: 'asset', type: 'nominal' },
        { field: 'weight', type: 'quantitative', format: '.2%' },
      ],
    },
  };
  const blocks: Block[] = [
    chart(
      'holdings',
      'Names held',
      lineChart(held, { yTitle: 'names held at the close', colors: ['#555'], height: 150 }),
      held.data,
      'half',
      `Mean ${formatNumberText(r.summary.meanHoldings, 1)}; names that could not be bought on a rebalance are not held.`,
      s.dates.length === 0 ? 'The backtest has no row.' : undefined,
    ),
    chart(
      'turnover',
      'Turnover of each rebalance',
      turnSpec,
      turn,
      'half',
      `Mean ${formatPct(r.summary.meanTurnover, 1)} Σ|Δw| (one-way ${formatPct(r.summary.meanOneWayTurnover, 1)}); the tooltip gives the cost.`,
      rb.length === 0 ? 'No rebalance.' : undefined,
    ),
    chart(
      'weights',
      `Weights of the ${names.length} largest names at each rebalance`,
      heatSpec,
      heat,
      'full',
      'Names by mean weight over the rebalances; blank: not held.',
      withWeights.length === 0
        ? 'No weights in this result.'
        : withWeights.length < rb.length
          ? `Only ${withWeights.length} of ${rb.length} rebalances have their weights in this result: run backtest with --out (or --json) for every rebalance.`
          : undefined,
    ),
  ];
  return { id: 'holdings', title: 'Holdings, weights and turnover', blocks };
}

function exposuresSection(r: BacktestReportSource): Section {
  const e = r.exposures;
  const title = 'Factor exposures through time';
  if (!e || e.factors.length === 0) {
    return {
      id: 'exposures',
      title,
      blocks: [
        chart(
          'exposures',
          'Exposures of the strategy',
          {},
          {},
          'full',
          undefined,
          "Not computed: run backtest with --factors FILE for the strategy's exposures through time.",
        ),
      ],
    };
  }
  const dates = r.series.dates;
  const lines = (cols: Record<string, (number | null)[]>): ReturnType<typeof seriesColumns> =>
    seriesColumns(
      dates,
      e.factors.filter((f) => cols[f] !== undefined).map((f) => ({ name: f, values: cols[f].map(num) })),
    );
  const reg = lines(e.regression);
  const hasReg = e.factors.some((f) => (e.regression[f] ?? []).some((v) => v !== null));
  const blocks: Block[] = [
    chart(
      'exposures',
      `Rolling regression of the strategy's return (${e.window} rows)`,
      lineChart(reg, { yTitle: 'beta', zero: true, legend: 'factor', height: 220 }),
      reg.data,
      'full',
      `OLS of the net return${e.riskFree ? ` minus ${e.riskFree}` : ''} on the factors over the last ${e.window} rows at each date.`,
      hasReg ? undefined : `No date has ${e.window} rows of returns and factors: lower --exposure-window or widen the dates.`,
    ),
  ];
  if (e.holdings) {
    const h = lines(e.holdings.exposures);
    const hasH = e.factors.some((f) => (e.holdings!.exposures[f] ?? []).some((v) => v !== null));
    blocks.push(
      chart(
        'exposures-holdings',
        'Holdings-weighted exposures',
        lineChart(h, { yTitle: 'Σ w·β', zero: true, legend: 'factor', height: 220 }),
        h.data,
        'full',
        `Σ w_i(t)·β_i(t) of the book held at each close (drift included), β_i each name's rolling ${e.window}-row slopes; the names with betas cover on average ${formatShare(e.holdings.coveredWeight)} of the book.`,
        hasH ? undefined : 'No held name has enough rows for its betas.',
      ),
    );
  }
  return { id: 'exposures', title, blocks };
}

/** The mean of the non-null shares, as a percentage with one decimal ("n/a" when none). */
function formatShare(xs: readonly (number | null)[]): string {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === 0 ? 'n/a' : `${((100 * v.reduce((a, b) => a + b, 0)) / v.length).toFixed(1)}%`;
}

/** The settings' names as a reader says them (keys not listed keep their own name). */
const SETTING_LABELS: Record<string, string> = {
  rule: 'rule',
  schedule: 'schedule',
  executionLag: 'execution lag (rows after the signal)',
  costBps: 'cost (bp of turnover)',
  minCost: 'minimum cost a traded name',
  capital: 'capital',
  maxGap: 'longest gap held (rows without a price)',
  periodsPerYear: 'periods a year',
  periodsPerYearSource: 'periods a year: source',
  universe: 'universe',
  signal: 'signal',
  benchmark: 'benchmark',
};

/** A setting's value as text: numbers with thousands separators (a capital of 1,000,000). */
function settingText(v: string | number | boolean): string {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v);
}

/**
 * A percent format with enough decimals that a legend's ticks over these values differ: one more
 * decimal for each factor of 10 the range falls below 10 percentage points (".1%" for weights 1–20%,
 * ".2%" for 1.70–1.85%).
 */
export function percentFormatFor(values: readonly (number | string | null)[]): string {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values)
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  const range = hi - lo;
  if (!(range > 0)) return '.1%';
  const decimals = Math.min(4, Math.max(1, Math.ceil(-Math.log10(range * 100)) + 1));
  return `.${decimals}%`;
}

function detailsSection(r: BacktestReportSource): Section {
  const settings = Object.entries(r.settings)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => [SETTING_LABELS[k] ?? k, settingText(v)] as [string, string]);
  const blocks: Block[] = [
    { kind: 'text', paragraphs: r.notes.length > 0 ? r.notes : ['No note from the run.'] },
    {
      kind: 'table',
      id: 'settings',
      title: 'Settings',
      columns: [
        { key: 'k', label: '', format: 'text' },
        { key: 'v', label: '', format: 'text' },
      ],
      data: {
        k: [...settings.map((x) => x[0]), ...(r.resultFile ? ['result'] : [])],
        v: [...settings.map((x) => x[1]), ...(r.resultFile ? [r.resultFile] : [])],
      },
    },
    {
      kind: 'table',
      id: 'forced-sales',
      title: `Forced sales (${r.forcedSales.length})`,
      columns: [
        { key: 'date', label: 'date', format: 'date' },
        { key: 'asset', label: 'asset', format: 'text' },
        { key: 'weight', label: 'weight sold', format: 'pct' },
        { key: 'reason', label: 'reason', format: 'text' },
      ],
      data: {
        date: r.forcedSales.map((f) => f.date),
        asset: r.forcedSales.map((f) => f.asset),
        weight: r.forcedSales.map((f) => f.weight),
        reason: r.forcedSales.map((f) => f.reason),
      },
      ...(r.forcedSales.length === 0
        ? { empty: 'No holding had to be sold outside a rebalance.' }
        : { interactive: r.forcedSales.length > 20 }),
    },
  ];
  return { id: 'details', title: 'Settings, notes and forced sales', blocks };
}

function headlines(r: BacktestReportSource): HeadlineNumber[] {
  const n = r.performance.net,
    b = n.benchmark;
  // under a year of returns an annual return is an extrapolation (261.7% "a year" from one day's 0.5%)
  const short = n.periods < n.periodsPerYear;
  return [
    {
      label: 'annual return (net)',
      value: formatPct(num(n.annualReturn), 1),
      detail: `gross ${formatPct(num(r.performance.gross.annualReturn), 1)}${short ? `; extrapolated from ${formatCount(n.periods)} ${n.periods === 1 ? 'return' : 'returns'}` : ''}`,
    },
    {
      label: 'Sharpe ratio (net)',
      value: formatNumberOrNa(num(n.sharpe), 2),
      detail: `volatility ${formatPct(num(n.annualVolatility), 1)} a year`,
    },
    { label: 'max drawdown', value: formatPct(num(n.maxDrawdown.maxDrawdown), 1), detail: `Calmar ${formatNumberOrNa(num(n.calmar), 2)}` },
    ...(b
      ? [
          {
            label: 'information ratio',
            value: formatNumberOrNa(num(b.informationRatio), 2),
            detail: `tracking error ${formatPct(num(b.trackingError), 1)}, beta ${formatNumberOrNa(num(b.beta), 2)}`,
          },
        ]
      : []),
    {
      label: 'turnover per rebalance',
      value: formatPct(r.summary.meanTurnover, 0),
      detail: `total cost ${formatPct(r.summary.totalCost, 2)} of NAV`,
    },
    {
      label: 'sample',
      value: `${r.summary.rows.toLocaleString('en-US')} rows`,
      detail: `${r.summary.firstDate} .. ${r.summary.lastDate}; ${formatCount(r.summary.rebalances)} ${r.summary.rebalances === 1 ? 'rebalance' : 'rebalances'}`,
    },
  ];
}

/** The backtest report document. */
export function backtestReportDocument(r: BacktestReportSource): ReportDocument {
  return {
    kind: 'backtest-report',
    title: `Backtest: ${r.strategy}`,
    subtitle: `${r.summary.firstDate} .. ${r.summary.lastDate}; ${[
      r.settings.rule !== undefined ? `rule ${String(r.settings.rule)}` : undefined,
      r.settings.costBps !== undefined ? `${String(r.settings.costBps)} bp of turnover` : undefined,
      r.settings.universe !== undefined ? `universe ${String(r.settings.universe)}` : undefined,
    ]
      .filter((x) => x !== undefined)
      .join(', ')}`,
    headlines: headlines(r),
    sections: [performanceSection(r), statisticsSection(r), holdingsSection(r), exposuresSection(r), detailsSection(r)],
    footer: `${r.generator ?? 'factorlab'}. Numbers in charts are rounded to 6 significant digits; the result JSON has them in full.`,
  };
}
