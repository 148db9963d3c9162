import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  percentFormatFor,
  backtestReportDocument,
  compoundReturns,
  drawdownSeries,
  trailingReturn,
  yearlyReturns,
  type BacktestReportSource,
} from './backtestReport.js';
import { chartsOf } from './document.js';

describe('backtest report series (hand cases)', () => {
  it('compounds returns from 1, a missing return counting as 0', () => {
    expect(compoundReturns([0.1, -0.5, null, 1])).toEqual([1.1, 0.55, 0.55, 1.1]);
  });
  it('drawdown is the NAV against its running peak', () => {
    const d = drawdownSeries([1, 1.2, 0.9, null, 1.2, 1.5, 0.75]);
    expect(d.map((x) => (x === null ? null : Number(x.toFixed(12))))).toEqual([0, 0, -0.25, null, 0, 0, -0.5]);
  });
  it('calendar-year returns compound within each year', () => {
    const y = yearlyReturns(['2020-12-30', '2020-12-31', '2021-01-04', '2021-06-01'], [0.1, 0.1, -0.5, null]);
    expect(y.map((x) => x.year)).toEqual(['2020', '2021']);
    expect(y[0].ret).toBeCloseTo(0.21, 12);
    expect(y[1].ret).toBeCloseTo(-0.5, 12);
  });
  it('trailing return over w rows', () => {
    expect(trailingReturn([1, 2, 3, 6], 2)).toEqual([null, null, 2, 2]);
  });
});

describe('backtest report series (properties)', () => {
  const rets = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 60 });
  it('drawdown is ≤ 0 and 0 exactly at a new high; the years compound to the whole', () => {
    fc.assert(
      fc.property(rets, (r) => {
        const nav = compoundReturns(r);
        const dd = drawdownSeries(nav);
        let peak = -Infinity;
        nav.forEach((v, i) => {
          const high = v >= peak;
          peak = Math.max(peak, v);
          expect(dd[i] as number).toBeLessThanOrEqual(0);
          if (high) expect(dd[i]).toBe(0);
        });
        const dates = r.map((_, i) => `${2000 + Math.floor(i / 7)}-01-${String((i % 7) + 1).padStart(2, '0')}`);
        const total = yearlyReturns(dates, r).reduce((p, y) => p * (1 + y.ret), 1);
        expect(total).toBeCloseTo(nav[nav.length - 1], 9);
      }),
    );
  });
});

const source = (withBench: boolean, exposures: boolean): BacktestReportSource => {
  const dates = ['2021-01-04', '2021-01-05', '2021-01-06', '2022-01-03'];
  const perf = {
    periods: 4,
    periodsPerYear: 252,
    totalReturn: 0.1,
    annualReturn: 0.2,
    annualVolatility: 0.15,
    sharpe: 1.2,
    sortino: 1.5,
    downsideDeviation: 0.1,
    calmar: 2,
    hitRate: 0.5,
    maxDrawdown: { maxDrawdown: -0.1, peakRow: 0, troughRow: 1, recoveryRow: 2, durationRows: 2 },
    ...(withBench
      ? { benchmark: { totalReturn: 0.05, annualReturn: 0.1, trackingError: 0.05, informationRatio: 0.8, beta: 0.9, alpha: 0.02 } }
      : {}),
  };
  return {
    strategy: 'top 2 by signal',
    settings: { rule: 'top-n', schedule: 'weekly:fri', costBps: 10, universe: 'every asset' },
    notes: [],
    performance: { net: perf, gross: perf },
    summary: {
      firstDate: dates[0],
      lastDate: dates[3],
      rows: 4,
      rebalances: 2,
      meanTurnover: 1,
      meanOneWayTurnover: 0.5,
      totalCost: 0.001,
      meanHoldings: 2,
      forcedSales: 0,
    },
    series: {
      dates,
      navGross: [1.01, 0.95, 1.05, 1.1],
      navNet: [1, 0.9, 1.0, 1.1],
      grossReturns: [0.01, -0.06, 0.1, 0.05],
      netReturns: [0, -0.1, 0.11, 0.1],
      costs: [0, 0, 0, 0],
      turnover: [1, 0, 0, 1],
      holdings: [2, 2, 2, 2],
      ...(withBench ? { benchmarkReturns: [0, 0.01, 0.01, 0] } : {}),
    },
    rebalances: [
      {
        signalDate: dates[0],
        date: dates[1],
        turnover: 1,
        oneWayTurnover: 0.5,
        cost: 0.001,
        holdings: 2,
        unfilled: 0,
        weights: [
          { asset: 'A', weight: 0.5 },
          { asset: 'B', weight: 0.5 },
        ],
        trades: [],
      },
      {
        signalDate: dates[2],
        date: dates[3],
        turnover: 1,
        oneWayTurnover: 0.5,
        cost: 0.001,
        holdings: 2,
        unfilled: 0,
        weights: [
          { asset: 'A', weight: 0.5 },
          { asset: 'C', weight: 0.5 },
        ],
        trades: [],
      },
    ],
    forcedSales: [],
    ...(exposures
      ? {
          exposures: {
            factors: ['mkt', 'smb'],
            window: 2,
            riskFree: 'rf',
            regression: { const: [null, 0, 0, 0], mkt: [null, 1, 1, 1], smb: [null, 0.2, 0.1, 0] },
            holdings: {
              exposures: { mkt: [1, 1, 1, 1], smb: [0.1, 0.2, 0.1, 0] },
              coveredWeight: [1, 1, 0.5, 1],
              assetsUsed: [2, 2, 2, 2],
            },
          },
        }
      : {}),
  };
};

describe('backtestReportDocument', () => {
  it('draws NAV (with the benchmark when there is one), drawdown, yearly returns, holdings, turnover and weights', () => {
    const doc = backtestReportDocument(source(true, true));
    const charts = chartsOf(doc);
    expect(charts.filter((c) => c.empty === undefined).map((c) => c.id)).toEqual([
      'nav',
      'drawdown',
      'annual-returns',
      'holdings',
      'turnover',
      'weights',
      'exposures',
      'exposures-holdings',
    ]);
    // four rows are shorter than a year: no trailing one-year return, said in words
    expect(charts.find((c) => c.id === 'rolling-return')?.empty).toMatch(/Shorter than a year/);
    const nav = charts.find((c) => c.id === 'nav');
    expect(nav?.data.s2).toEqual([1, 1.01, 1.0201, 1.0201]);
    const years = charts.find((c) => c.id === 'annual-returns');
    expect(years?.data.year).toEqual(['2021', '2022', '2021', '2022']);
    expect(doc.headlines.map((h) => h.label)).toContain('information ratio');
    const held = charts.find((c) => c.id === 'exposures-holdings');
    expect(held?.caption).toMatch(/cover on average 87\.5% of the book/);
    expect(charts.find((c) => c.id === 'exposures')?.caption).toMatch(/minus rf .* last 2 rows/);
    const weights = charts.find((c) => c.id === 'weights');
    expect(weights?.data.asset).toEqual(['A', 'B', 'A', 'C']);
  });
  it('the statistics table says which period it covers when a cash warm-up is left out', () => {
    const src = source(false, false);
    expect(JSON.stringify(backtestReportDocument(src))).not.toContain('earlier rows in cash');
    const warm = { ...src, summary: { ...src.summary, statisticsFirstDate: src.summary.lastDate, statisticsRows: 1 } };
    expect(JSON.stringify(backtestReportDocument(warm))).toContain(
      `Over ${src.summary.lastDate} .. ${src.summary.lastDate}, 1 rows from the first rebalance that holds something (the 3 earlier rows in cash are left out).`,
    );
  });
  it('headlines never show an empty value, and say when an annual figure extrapolates under a year', () => {
    const src = source(true, false);
    const net = { ...src.performance.net, periods: 1, calmar: null as unknown as number, sharpe: NaN };
    const doc = backtestReportDocument({
      ...src,
      performance: { net, gross: net },
      summary: { ...src.summary, rebalances: 1 },
    });
    const card = (label: string) => doc.headlines.find((h) => h.label === label);
    expect(card('max drawdown')?.detail).toBe('Calmar n/a');
    expect(card('Sharpe ratio (net)')?.value).toBe('n/a');
    expect(card('annual return (net)')?.detail).toContain('extrapolated from 1 return');
    expect(card('sample')?.detail).toMatch(/; 1 rebalance$/);
    expect(doc.sections.find((s) => s.id === 'statistics')?.blocks.find((b) => b.kind === 'table')).toMatchObject({
      caption: expect.stringContaining('from 1 return, under a year: the annual figures extrapolate'),
    });
    // a year or more of returns: no such note
    const long = backtestReportDocument({ ...src, performance: { net: { ...net, periods: 300 }, gross: { ...net, periods: 300 } } });
    expect(JSON.stringify(long)).not.toContain('extrapolate');
  });
  it('says "not computed" when the result has no exposures, and leaves the benchmark out when there is none', () => {
    const doc = backtestReportDocument(source(false, false));
    expect(chartsOf(doc).find((c) => c.id === 'exposures')?.empty).toMatch(/Not computed/);
    expect(Object.keys(chartsOf(doc).find((c) => c.id === 'nav')?.data ?? {})).toEqual(['date', 's0', 's1']);
    expect(doc.headlines.map((h) => h.label)).not.toContain('information ratio');
  });
});

describe('percentFormatFor: a weights legend whose ticks differ', () => {
  it('adds decimals as the range narrows', () => {
    expect(percentFormatFor([0.01, 0.2])).toBe('.1%');
    expect(percentFormatFor([0.01, 0.02])).toBe('.1%');
    expect(percentFormatFor([0.017, 0.0185, null])).toBe('.2%');
    expect(percentFormatFor([0.017, 0.01712])).toBe('.3%');
    expect(percentFormatFor([0.02, 0.02])).toBe('.1%');
    expect(percentFormatFor([])).toBe('.1%');
  });
});
