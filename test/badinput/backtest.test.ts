/** `factorlab backtest`: bad inputs exit 2 with located messages and leave no output behind; a good run writes its files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, monthEnds, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 60);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 7 + j * 13) % 17) + 1}`)).join('\n')}\n`,
);
const groups = t.write('groups.csv', 'asset,group\nA,x\nB,x\nC,x\nD,y\nE,y\nF,y\n');
const bench2 = t.write('bench2.csv', pricesCsv(days, ['IDX1', 'IDX2'], 7));
const base = ['backtest', '--prices', prices, '--factor', factor];
const oldFactors = t.write(
  'factors-2010.csv',
  `date,mkt_rf,rf\n${weekdays('2010-01-04', 80)
    .map((d, i) => `${d},${((i % 7) - 3) / 1000},0.0001`)
    .join('\n')}\n`,
);
const rfOnly = t.write('factors-rf.csv', `date,rf\n${days.map((d) => `${d},0.0001`).join('\n')}\n`);

describe('backtest: bad input exits 2 with a located message', () => {
  const cases: [string, string[], RegExp][] = [
    [
      '--execution-lag 0',
      ['--execution-lag', '0'],
      /--execution-lag must be a whole number >= 1 \(0 would trade at the close the signal used: look-ahead\)/,
    ],
    [
      'an unknown schedule',
      ['--schedule', 'fortnightly'],
      /--schedule must be daily, weekly\[:mon\|tue\|wed\|thu\|fri\|sat\|sun\], month-end or every:N/,
    ],
    ['industry-neutral without groups', ['--rule', 'industry-neutral'], /--rule industry-neutral needs --groups/],
    [
      '--quantile above --quantiles',
      ['--rule', 'top-quantile', '--quantiles', '3', '--quantile', '4'],
      /--quantile 4 is above --quantiles 3/,
    ],
    ['--industry-weights with another rule', ['--industry-weights', groups], /--industry-weights only applies to --rule industry-neutral/],
    [
      'a benchmark with two series and no --benchmark-col',
      ['--benchmark', bench2],
      /bench2\.csv: the benchmark file has 2 series \(IDX1, IDX2\): say which with --benchmark-col/,
    ],
    [
      'an unknown --benchmark-col',
      ['--benchmark', bench2, '--benchmark-col', 'SPX'],
      /no asset "SPX" in the benchmark file; it has IDX1, IDX2/,
    ],
    ['--cost-bps negative', ['--cost-bps', '-1'], /--cost-bps must be a number in \[0, 10000\)/],
    [
      '--factors from another period',
      ['--factors', oldFactors],
      /factors-2010\.csv: the factors share 0 of the backtest's \d+ dates .*fewer than --exposure-window 63/,
    ],
    [
      '--factors with only the risk-free column',
      ['--factors', rfOnly],
      /factors-rf\.csv: the factor files have no factor besides the risk-free column/,
    ],
    ['--exposure-window too short', ['--exposure-window', '2'], /--exposure-window must be a whole number >= 3/],
    [
      '--factor-scale without --factors',
      ['--factor-scale', '0.01'],
      /--factor-scale scales the factor returns of --factors, and there is no --factors\n {2}hint: add --factors FILE, or drop --factor-scale/,
    ],
    ['--factor-scale 0', ['--factors', rfOnly, '--factor-scale', '0'], /--factor-scale must be a number > 0/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await cli(...base, ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    });
  }

  it('membership lines: a bad date, an end before the start, a header without the columns', async () => {
    const bad = t.write('members-bad.csv', 'ticker,start_date,end_date\nA,2019-01-01,\nB,2019-13-01,\n');
    let r = await cli(...base, '--membership', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /members-bad\.csv:3, asset B: the start date is not a date \(YYYY-MM-DD, YYYY\/MM\/DD or YYYYMMDD\) \(value: "2019-13-01"\)/,
    );
    const swapped = t.write('members-swapped.csv', 'ticker,start,end\nA,2020-02-01,2020-01-01\n');
    r = await cli(...base, '--membership', swapped);
    expect(r.err).toMatch(
      /members-swapped\.csv:2, asset A: the end date 2020-01-01 is not after the start date 2020-02-01 \(membership is start <= t < end\)/,
    );
    const header = t.write('members-header.csv', 'name,from_when\nA,2020-01-01\n');
    r = await cli(...base, '--membership', header);
    expect(r.err).toMatch(/members-header\.csv:1: a membership file needs ticker, start and end columns; the columns are: name,from_when/);
    const other = t.write('members-other.csv', 'ticker,start,end\nZZZ,2020-01-01,\n');
    r = await cli(...base, '--membership', other);
    expect(r.err).toMatch(/members-other\.csv: no ticker of the membership file \(ZZZ\) is among the price assets \(A, B, C, \.\.\.\)/);
  });

  it('a factor whose assets are not in the prices, and a factor dated after the prices', async () => {
    const other = t.write(
      'factor-other.csv',
      `date,asset,value\n${days
        .slice(0, 3)
        .map((d) => `${d},Q,1`)
        .join('\n')}\n`,
    );
    let r = await cli('backtest', '--prices', prices, '--factor', other);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no asset of --factor .*factor-other\.csv \(Q\) is in --prices/);
    const late = t.write('factor-late.csv', 'date,asset,value\n2030-01-01,A,1\n2030-01-01,B,2\n');
    r = await cli('backtest', '--prices', prices, '--factor', late);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /factor-late\.csv: the factor's dates \(2030-01-01 \.\. 2030-01-01\) start after the backtest \(2020-01-06 \.\. 2020-03-27\) ends: no rebalance has a factor value/,
    );
  });

  it('--factors of another frequency than the prices (weekly or monthly against daily) exit 2, as in exposures', async () => {
    const fridays = days.filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 5);
    const weekly = t.write('factors-weekly.csv', factorsCsv(fridays, 3, 1, 'rf', 0.02));
    let r = await cli(...base, '--factors', weekly, '--exposure-window', '5');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(
      /--prices .*prices\.csv is daily, --factors .*factors-weekly\.csv is weekly: daily returns cannot be regressed on weekly factors date by date/,
    );
    expect(r.err).toMatch(
      /hint: --factors must be of the prices' frequency: give daily factors \(Ken French: F-F_Research_Data_Factors_daily\.CSV\)/,
    );
    expect(r.err).not.toMatch(/--resample/); // backtest has no such flag
    expect(r.out).toBe('');
    const monthly = t.write('factors-monthly.csv', factorsCsv(monthEnds(2019, 6, 12), 4, 1, 'rf', 0.05));
    r = await cli(...base, '--factors', monthly, '--exposure-window', '5');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/is daily, --factors .*factors-monthly\.csv is monthly/);
    // the same files in exposures: refused the same way
    const ex = await cli('exposures', '--prices', prices, '--factors', weekly);
    expect(ex.code).toBe(2);
    expect(ex.err).toMatch(/is daily, --factors .*factors-weekly\.csv is weekly: daily returns cannot be regressed on weekly factors/);
  });

  it('percent factors: refused with a hint to add --factor-scale 0.01, which backtest takes', async () => {
    const decimalText = factorsCsv(days, 5, 1);
    // the same numbers in percent (6 decimals become 4: exact)
    const percentText = decimalText.replace(/-?\d+\.\d{6}/g, (x) => (Number(x) * 100).toFixed(4));
    const percent = t.write('factors-percent.csv', percentText);
    let r = await cli(...base, '--factors', percent, '--exposure-window', '20');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/factors-percent\.csv, column "mkt_rf": .*look like percent/);
    expect(r.err).toMatch(/hint: add --factor-scale 0\.01 if they are in percent/);
    r = await cli(...base, '--factors', percent, '--exposure-window', '20', '--factor-scale', '0.01', '--json');
    expect(r.code, r.err).toBe(0);
    const scaled = JSON.parse(r.out) as { notes: string[]; exposures: { factors: string[] } };
    expect(scaled.notes.some((n) => /factors-percent\.csv: factors mkt_rf, smb, rf x 0\.01/.test(n))).toBe(true);
    expect(scaled.exposures.factors).toEqual(['mkt_rf', 'smb']);
    // the same betas as the decimal file
    const decimal = t.write('factors-decimal.csv', decimalText);
    r = await cli(...base, '--factors', decimal, '--exposure-window', '20', '--json');
    const plain = JSON.parse(r.out) as { exposures: { regression: Record<string, (number | null)[]> } };
    const a = (JSON.parse(JSON.stringify(scaled)) as typeof plain).exposures.regression.mkt_rf,
      b = plain.exposures.regression.mkt_rf;
    expect(a.filter((x) => x !== null).length).toBeGreaterThan(10);
    a.forEach((x, i) => expect(Math.abs((x ?? 0) - (b[i] ?? 0))).toBeLessThan(1e-8));
    const help = await cli('backtest', '--help');
    expect(help.out).toMatch(/--factor-scale <x>\s+multiply the --factors values as written by this\s+\(0\.01 for percent\)/);
  });

  it('a bad output path is refused before any work, and nothing is written', async () => {
    const r = await cli(...base, '--nav-out', join(t.dir, 'nav.xlsx'), '--out', join(t.dir, 'result.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--nav-out/);
    expect(t.files().some((f) => f.startsWith('nav') || f.startsWith('result'))).toBe(false);
  });
});

describe('backtest: a good run', () => {
  it('prints the statistics with the periods per year and writes NAV, weights and trades', async () => {
    const nav = join(t.dir, 'nav.csv'),
      weights = join(t.dir, 'weights.csv'),
      trades = join(t.dir, 'trades.csv');
    const r = await cli(
      ...base,
      '--rule',
      'industry-neutral',
      '--groups',
      groups,
      '--quantiles',
      '2',
      '--cost-bps',
      '10',
      '--benchmark',
      'equal',
      '--nav-out',
      nav,
      '--weights-out',
      weights,
      '--trades-out',
      trades,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/annualised with 252 periods a year from the price calendar \(daily\)/);
    expect(r.out).toMatch(/Sortino/);
    expect(r.out).toMatch(/vs benchmark {2}tracking error/);
    expect(readFileSync(nav, 'utf8').split('\n')[0]).toBe(
      'date,nav_net,nav_gross,net_return,gross_return,cost,turnover,holdings,benchmark_return',
    );
    expect(readFileSync(weights, 'utf8').split('\n')[0]).toBe('date,asset,weight');
    expect(readFileSync(trades, 'utf8').split('\n')[0]).toBe('date,signal_date,asset,before,after,delta,reason');
    // two industries at their share of names (3/6 each), the top half of each: 3 names a date at 1/6 .. 1/3
    const rows = readFileSync(weights, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const byDate = new Map<string, number>();
    for (const [d, , w] of rows) byDate.set(d, (byDate.get(d) ?? 0) + Number(w));
    for (const s of byDate.values()) expect(s).toBeCloseTo(1, 12);
  });

  it("--help teaches: timing, statistics, the seed's example", async () => {
    const r = await cli('backtest', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--execution-lag/);
    expect(r.out).toMatch(/the seed's strategy: SSE 50, top 5 by book-to-price \(here 1\/PE\), weekly/);
    expect(r.out).toMatch(/Sortino\s+with the downside deviation over all periods/);
  });
});

describe('backtest: forced sales, the statistics period, --top, weekend schedules', () => {
  // a factor that ranks A first, B second, ... on every date: --top 2 holds A and B
  const ranked = t.write(
    'factor-ranked.csv',
    `date,asset,value\n${days.flatMap((d) => assets.map((a, j) => `${d},${a},${assets.length - j}`)).join('\n')}\n`,
  );
  const priceLines = pricesCsv(days, assets).trimEnd().split('\n');

  // 2020-01-15 (a Wednesday, not an execution day): A has no price
  const k = priceLines.findIndex((l) => l.startsWith('2020-01-15'));
  const cells = priceLines[k].split(',');
  cells[1] = '';
  const gap = t.write('prices-gap.csv', `${[...priceLines.slice(0, k), cells.join(','), ...priceLines.slice(k + 1)].join('\n')}\n`);

  it('a held name without a price on one day is held through the gap at its last price (default --max-gap: 5 rows on daily prices)', async () => {
    const trades = join(t.dir, 'trades-held.csv');
    const r = await cli('backtest', '--prices', gap, '--factor', ranked, '--top', '2', '--trades-out', trades, '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as {
      summary: { forcedSales: number; heldWithoutPrice: number };
      settings: { maxGap: number };
      trades: { reason: string }[];
    };
    expect(json.settings.maxGap).toBe(5);
    expect(json.summary.forcedSales).toBe(0);
    expect(json.summary.heldWithoutPrice).toBe(1);
    expect(json.trades.every((x) => x.reason === 'rebalance')).toBe(true);
    expect(readFileSync(trades, 'utf8').includes('\n2020-01-15,')).toBe(false);
    const text = await cli('backtest', '--prices', gap, '--factor', ranked, '--top', '2');
    expect(text.out).toMatch(/0 forced sales \(left the universe, or no price for more than 5 rows in a row: sold at the last price\)/);
    expect(text.out).toMatch(/gaps +1 time a held name had no price and was carried at its last price, untraded \(--max-gap 5\)/);
    for (const bad of ['-1', '1.5', 'week']) {
      const b = await cli('backtest', '--prices', gap, '--factor', ranked, '--top', '2', '--max-gap', bad);
      expect(b.code).toBe(2);
      expect(b.err).toMatch(/--max-gap.*whole number of rows >= 0/);
    }
  });

  it('--max-gap 0: a held name without a price on one day is sold at its last price, and that sale is a row of --trades-out', async () => {
    const nav = join(t.dir, 'nav-gap.csv'),
      trades = join(t.dir, 'trades-gap.csv'),
      out = join(t.dir, 'result-gap.json');
    const r = await cli(
      'backtest',
      '--prices',
      gap,
      '--factor',
      ranked,
      '--top',
      '2',
      '--nav-out',
      nav,
      '--trades-out',
      trades,
      '--out',
      out,
      '--max-gap',
      '0',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 forced sale \(left the universe, or no price on a row: sold at the last price\)/);
    const lines = readFileSync(trades, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('date,signal_date,asset,before,after,delta,reason');
    const forced = lines.filter((l) => l.startsWith('2020-01-15'));
    expect(forced).toHaveLength(1);
    const [, signalDate, asset, before, after, delta, reason] = forced[0].split(',');
    expect([signalDate, asset, after, reason]).toEqual(['', 'A', '0', 'forced: no price']);
    expect(Number(delta)).toBe(-Number(before));
    // the NAV's turnover that day is that sale
    const navRow = readFileSync(nav, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('2020-01-15'))!
      .split(',');
    expect(Number(navRow[6])).toBe(Number(before));
    // ... and so is the JSON's
    const json = JSON.parse(readFileSync(out, 'utf8')) as { trades: { date: string; signalDate: string | null; reason: string }[] };
    expect(json.trades.filter((x) => x.reason !== 'rebalance')).toEqual([
      {
        date: '2020-01-15',
        signalDate: null,
        asset: 'A',
        before: Number(before),
        after: 0,
        delta: Number(delta),
        reason: 'forced: no price',
      },
    ]);
  });

  it('--industry-weights: quoted, semicolon and headerless files give the result of the plain one; a group not in --groups exits 2', async () => {
    const navOf = (out: string): number[] => (JSON.parse(out) as { series: { navNet: number[] } }).series.navNet;
    const run = async (file: string) =>
      cli(...base, '--rule', 'industry-neutral', '--groups', groups, '--industry-weights', file, '--quantiles', '3', '--json');
    const plain = await run(t.write('iw.csv', 'group,weight\nx,0.7\ny,0.3\n'));
    expect(plain.code, plain.err).toBe(0);
    for (const [name, text] of [
      ['iw-quoted.csv', '"group","weight"\n"x","0.7"\n"y","0.3"\n'],
      ['iw-semi.csv', 'group;weight\nx;0.7\ny;0.3\n'],
      ['iw-nohdr.csv', 'x,0.7\ny,0.3\n'],
    ]) {
      const r = await run(t.write(name, text));
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      expect(navOf(r.out)).toEqual(navOf(plain.out));
    }
    const swapped = await run(t.write('iw-swapped.csv', 'group,weight\nx,0.3\ny,0.7\n'));
    expect(navOf(swapped.out)).not.toEqual(navOf(plain.out)); // the weights matter
    const bad = await run(t.write('iw-bad.csv', 'group,weight\nx,0.7\nz,0.3\n'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/industry "z" is not in the groups file/);
  });

  it('the statistics start at the first rebalance that holds something, and the output says so', async () => {
    // momentum over 20 rows: the first four weeks' rebalances have no signal and hold nothing
    const r = await cli('backtest', '--prices', prices, '--factor', 'momentum:20,5', '--top', '2', '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as {
      summary: { firstDate: string; rows: number; statisticsFirstDate: string; statisticsRows: number; meanHoldings: number };
      performance: { net: { periods: number; annualReturn: number } };
      series: { dates: string[]; netReturns: number[]; holdings: number[] };
      rebalances: { date: string; holdings: number }[];
    };
    const first = json.rebalances.find((x) => x.holdings > 0)!;
    expect(json.rebalances[0].holdings).toBe(0);
    expect(json.summary.statisticsFirstDate).toBe(first.date);
    const k = json.series.dates.indexOf(first.date);
    expect(k).toBeGreaterThan(0);
    expect(json.summary.statisticsRows).toBe(json.summary.rows - k);
    expect(json.performance.net.periods).toBe(json.summary.rows - k);
    const rs = json.series.netReturns.slice(k);
    const growth = rs.reduce((a, x) => a * (1 + x), 1);
    expect(Math.abs(json.performance.net.annualReturn - (growth ** (252 / rs.length) - 1))).toBeLessThan(1e-12);
    expect(json.summary.meanHoldings).toBe(2); // the cash rows are not averaged in
    const text = await cli('backtest', '--prices', prices, '--factor', 'momentum:20,5', '--top', '2');
    expect(text.out).toContain(
      `  statistics: ${first.date} .. ${json.series.dates[json.series.dates.length - 1]}, ${json.summary.rows - k} rows from the first rebalance that holds something (${k} earlier rows in cash left out`,
    );
    // the exposures' means leave out the warm-up and the windows reaching into it
    const fx = t.write('factors-expo.csv', factorsCsv(days, 9, 1));
    const ex = await cli(
      'backtest',
      '--prices',
      prices,
      '--factor',
      'momentum:20,5',
      '--top',
      '2',
      '--factors',
      fx,
      '--exposure-window',
      '10',
    );
    expect(ex.code, ex.err).toBe(0);
    expect(ex.out).toContain(`mean over the windows after the cash warm-up (from row ${k + 10})`);
    // no warm-up: every row
    const all = await cli(...base, '--top', '2');
    expect(all.out).toMatch(/ {2}statistics: 2020-01-13 \.\. 2020-03-27, 55 rows \(every row: the first rebalance holds something\)/);
  });

  it('--top above the tradable names: a warning (not an error) that the rule held every one of them', async () => {
    const r = await cli(...base, '--top', '100');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /^factorlab: warning: --top 100 is more than the tradable names with a factor value on 11 of 11 rebalances \(at most 6 there\): the rule held every tradable name on them, not a top 100; a smaller --top picks among them\n$/,
    );
    expect(r.out).toMatch(/ {2}warning: --top 100 is more than the tradable names/);
    expect(r.out).toMatch(/holdings {6}6 on average/);
    const json = await cli(...base, '--top', '100', '--json');
    expect((JSON.parse(json.out) as { notes: string[] }).notes.some((n) => n.startsWith('warning: --top 100'))).toBe(true);
    const fine = await cli(...base, '--top', '3');
    expect(fine.err).toBe('');
    // rules --top does not size: no warning (and --top given with them is refused: see the audit tests)
    const quantile = await cli(...base, '--rule', 'top-quantile');
    expect(quantile.err).toBe('');
  });

  it("--schedule weekly:sat and weekly:sun: on Monday-Friday data each week's last trading day, as weekly:fri", async () => {
    const navOf = async (schedule: string) => {
      const r = await cli(...base, '--schedule', schedule, '--json');
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { series: { dates: string[]; navNet: number[] } }).series;
    };
    const fri = await navOf('weekly:fri');
    expect(await navOf('weekly:sun')).toEqual(fri);
    expect(await navOf('weekly:sat')).toEqual(fri);
    const help = await cli('backtest', '--help');
    expect(help.out).toMatch(/mon\.\.sun;\s+sat\s+and\s+sun\s+matter\s+only\s+on\s+a\s+calendar\s+with\s+weekend\s+rows/);
  });
});

describe('backtest: inputs that used to become numbers or vague errors exit 2, naming what and what to do, and write nothing', () => {
  const outs = (tag: string): string[] => ['--out', join(t.dir, `audit-${tag}.json`), '--nav-out', join(t.dir, `audit-${tag}-nav.csv`)];
  const wroteNothing = (tag: string): void => expect(t.files().filter((f) => f.startsWith(`audit-${tag}`))).toEqual([]);
  const refused = async (tag: string, args: string[], message: RegExp): Promise<void> => {
    const r = await cli(...args, ...outs(tag));
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    wroteNothing(tag);
  };

  const flagCases: [string, string[], RegExp][] = [
    [
      '--top with top-quantile',
      ['--rule', 'top-quantile', '--top', '3'],
      /--top does not apply to --rule top-quantile: it would be ignored/,
    ],
    ['--quantile with top-n', ['--quantile', '2'], /--quantile does not apply to --rule top-n/],
    ['--quantile with long-short', ['--rule', 'long-short', '--quantile', '2'], /--quantile does not apply to --rule long-short/],
    ['--quantiles with top-n', ['--quantiles', '3'], /--quantiles does not apply to --rule top-n/],
    [
      '--n-drop with top-n',
      ['--n-drop', '2'],
      /--n-drop does not apply to --rule top-n: it would be ignored\n {2}hint: --n-drop sizes --rule topk-dropout; drop it, or use that rule/,
    ],
    ['--vol-lookback with top-n', ['--vol-lookback', '10'], /--vol-lookback does not apply to --rule top-n/],
    ['--groups with top-n', ['--groups', groups], /--groups does not apply to --rule top-n/],
    ['--exposure-window without --factors', ['--exposure-window', '20'], /--exposure-window needs --factors, and there is none/],
    ['--rf-col without --factors', ['--rf-col', 'rf'], /--rf-col needs --factors/],
    [
      '--capital without --min-cost',
      ['--capital', '1000'],
      /--capital sizes the --min-cost of a trade \(in currency\), and there is no --min-cost: it would be ignored/,
    ],
    ['--capital with --min-cost 0', ['--capital', '1000', '--min-cost', '0'], /and there is no --min-cost: it would be ignored/],
    ['a negative --factor-scale', ['--factor-scale', '-1'], /--factor-scale must be a number > 0 \(it states a unit: 0\.01 for percent\)/],
  ];
  for (const [name, args, message] of flagCases)
    it(`a flag the run would ignore: ${name}`, () => refused('flag', [...base, ...args], message));

  it('flags that need a factor file: --top with factorless inverse-vol, --signal-max-age or --factor-col with momentum, --reciprocal alone', async () => {
    await refused(
      'iv',
      ['backtest', '--prices', prices, '--rule', 'inverse-vol', '--top', '3'],
      /--top with --rule inverse-vol picks among the top names by --factor, and there is no --factor/,
    );
    await refused(
      'mom',
      ['backtest', '--prices', prices, '--factor', 'momentum:20,5', '--signal-max-age', '3'],
      /--signal-max-age applies to a factor file, and --factor momentum:20,5 is computed from the prices/,
    );
    await refused(
      'mom',
      ['backtest', '--prices', prices, '--factor', 'momentum', '--factor-col', 'x'],
      /--factor-col applies to a factor file/,
    );
    await refused(
      'rec',
      ['backtest', '--prices', prices, '--rule', 'inverse-vol', '--reciprocal'],
      /--reciprocal orders --factor, and there is no --factor/,
    );
    // the rules' own flags still run
    const ok = await cli(...base, '--rule', 'topk-dropout', '--top', '3', '--n-drop', '2');
    expect(ok.code, ok.err).toBe(0);
    const costed = await cli(...base, '--cost-bps', '5', '--min-cost', '10', '--capital', '100000');
    expect(costed.code, costed.err).toBe(0);
  });

  it('a factor dated before the backtest: every rebalance would reuse its last, stale date (was a note and a result)', async () => {
    const early = t.write('factor-2019.csv', readFileSync(factor, 'utf8').replaceAll('2020-', '2019-'));
    await refused(
      'early',
      ['backtest', '--prices', prices, '--factor', early],
      /factor-2019\.csv: the factor's dates \(2019-01-06 \.\. 2019-03-27\) end before the backtest \(2020-01-06 \.\. 2020-03-27\): every rebalance would reuse the factor of 2019-03-27\n {2}hint: give a factor dated inside the backtest, or --start\/--end inside the factor dates/,
    );
    // --start after the factor's last date: the same
    const short = t.write(
      'factor-jan.csv',
      readFileSync(factor, 'utf8')
        .split('\n')
        .filter((l) => !/^2020-0[23]/.test(l))
        .join('\n'),
    );
    await refused(
      'early',
      ['backtest', '--prices', prices, '--factor', short, '--start', '2020-02-10'],
      /end before the backtest \(2020-02-10 \.\. 2020-03-27\)/,
    );
  });

  it('--latest-per-asset when every value has aged past --signal-max-age: the hint names the age and the end, not --latest-per-asset', async () => {
    // values on the first two weeks only (to 2020-01-17); weekly Friday rebalances
    const early = t.write(
      'factor-two-weeks.csv',
      readFileSync(factor, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('date') || l === '' || l < '2020-01-18')
        .join('\n'),
    );
    await refused(
      'aged',
      ['backtest', '--prices', prices, '--factor', early, '--latest-per-asset', '--signal-max-age', '10'],
      /factor-two-weeks\.csv, date 2020-01-31: none of the 6 tradable names has a factor value on the rebalance date 2020-01-31 \(each name's latest value at most 10 days old, --signal-max-age; the factor's last date is 2020-01-17\): the rule would sell everything and hold cash until the next rebalance\n {2}hint: every factor value is more than 10 days old by then: --end 2020-01-27 or earlier stops the backtest before the values run out, or a larger --signal-max-age carries them longer/,
    );
  });

  it('a factor date with no value on a rebalance date: refused with the date, not a silent sale of the whole book', async () => {
    // 2020-01-17 is a Friday (a weekly:fri signal date): its factor cells are blank
    const blank = t.write(
      'factor-blank-day.csv',
      readFileSync(factor, 'utf8')
        .split('\n')
        .map((l) => (l.startsWith('2020-01-17,') ? l.replace(/,[^,]*$/, ',') : l))
        .join('\n'),
    );
    await refused(
      'blank',
      ['backtest', '--prices', prices, '--factor', blank, '--cost-bps', '10'],
      /factor-blank-day\.csv, date 2020-01-17: none of the 6 tradable names has a factor value on the rebalance date 2020-01-17 \(it uses the factor of 2020-01-17, which has no value for any of them\): the rule would sell everything and hold cash until the next rebalance\n {2}hint: fill that date's factor values or drop the date from the file/,
    );
    // blank on a date that is not a signal date: not used, fine
    const midweek = t.write(
      'factor-blank-wed.csv',
      readFileSync(factor, 'utf8')
        .split('\n')
        .map((l) => (l.startsWith('2020-01-15,') ? l.replace(/,[^,]*$/, ',') : l))
        .join('\n'),
    );
    const r = await cli('backtest', '--prices', prices, '--factor', midweek);
    expect(r.code, r.err).toBe(0);
  });

  it('a membership that ends before the prices: refused on the first rebalance with no tradable name', async () => {
    const ends = t.write(
      'members-ends.csv',
      'ticker,start,end\nA,2020-01-01,2020-02-15\nB,2020-01-01,2020-02-15\nC,2020-01-01,2020-02-15\n',
    );
    await refused(
      'ends',
      [...base, '--membership', ends, '--top', '2'],
      /members-ends\.csv, date 2020-02-21: no name is tradable \(a member with a price\) on the rebalance date 2020-02-21: the rule would sell everything/,
    );
    // --end before it runs
    const r = await cli(...base, '--membership', ends, '--top', '2', '--end', '2020-02-14');
    expect(r.code, r.err).toBe(0);
  });

  it('a benchmark of another frequency, or with levels on few of the dates: refused (its statistics were 0.00% or a few periods)', async () => {
    const fridays = days.filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 5);
    const weekly = t.write('bench-weekly.csv', `date,IDX\n${fridays.map((d, i) => `${d},${100 + i}`).join('\n')}\n`);
    await refused(
      'bw',
      [...base, '--benchmark', weekly],
      /bench-weekly\.csv: the benchmark is weekly and the prices are daily: the backtest's daily returns have no benchmark return to pair with/,
    );
    const gappy = t.write(
      'bench-gappy.csv',
      `date,IDX\n${days
        .filter((_, i) => i % 3 !== 0)
        .map((d, i) => `${d},${100 + i}`)
        .join('\n')}\n`,
    );
    await refused(
      'bg',
      [...base, '--benchmark', gappy],
      /bench-gappy\.csv: the benchmark has a return on only \d+ of the backtest's 54 periods/,
    );
  });

  it('a prices file of returns: all positive (did not move like prices) or signed (named as a return)', async () => {
    const r = rng(5);
    const positive = t.write(
      'returns-positive.csv',
      `date,${assets.join(',')}\n${days.map((d) => `${d},${assets.map(() => (0.001 + 0.02 * (r() + 0.5)).toFixed(4)).join(',')}`).join('\n')}\n`,
    );
    await refused(
      'rp',
      ['backtest', '--prices', positive, '--factor', factor],
      /returns-positive\.csv: the values of --prices do not move like prices \(the median daily change \|p\(t\)\/p\(t-1\) - 1\| is 0\.\d+; daily prices move about 0\.01\)/,
    );
    const signed = t.write(
      'returns-signed.csv',
      `date,${assets.join(',')}\n${days.map((d, i) => `${d},${assets.map((_, j) => (((i + j) % 5) - 2) / 100 + 0.001).join(',')}`).join('\n')}\n`,
    );
    await refused(
      'rs',
      ['backtest', '--prices', signed, '--factor', factor],
      /returns-signed\.csv:2, column "A", asset A, date 2020-01-06: price is zero or negative: -0\.019 looks like a return, not a price \(value: "-0\.019"\)\n {2}hint: backtest needs prices \(close or adjusted close\): to backtest on returns, compound them into a price index first/,
    );
  });

  it("a missing --price-col / --factor-col is named with backtest's own flag (the hint said --value-col)", async () => {
    const long = t.write(
      'prices-long.csv',
      `date,asset,close\n${days.map((d, i) => assets.map((a, j) => `${d},${a},${100 + i + j}`).join('\n')).join('\n')}\n`,
    );
    await refused(
      'pc',
      ['backtest', '--prices', long, '--price-col', 'adj', '--factor', factor],
      /no value column "adj".*\n {2}hint: pass one of the existing columns with --price-col\n/,
    );
    await refused(
      'fc',
      [...base, '--factor-col', 'score'],
      /no value column "score".*\n {2}hint: pass one of the existing columns with --factor-col\n/,
    );
  });

  it('membership: tickers absent from the prices are named; a line with extra cells, a name,ticker header, an empty file', async () => {
    const absent = t.write(
      'members-absent.csv',
      'ticker,start,end\nA,2019-01-01,\nB,2019-01-01,\nZZZ,2019-01-01,\nOLD,2010-01-01,2011-01-01\n',
    );
    const r = await cli(...base, '--membership', absent, '--top', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      "universe: 1 ticker of the membership file is a member during the prices' dates but not in the price file (ZZZ): never tradable, so the universe is smaller than the membership",
    );
    expect(r.out).toMatch(/2 members in the price file a date on average/);
    await refused(
      'mx',
      [...base, '--membership', t.write('members-extra.csv', 'ticker,start,end\nA,2020-01-01,\nBerkshire, Inc.,2020-01-01,2020-02-01\n')],
      /members-extra\.csv:3: the line has 4 cells and the header 3 .*\n {2}hint: quote a cell that holds the delimiter/,
    );
    // a company-name column before the ticker: the ticker column is the asset (it was 'name', and no ticker matched)
    const named = await cli(
      ...base,
      '--membership',
      t.write('members-named.csv', 'name,ticker,start,end\nAlpha Inc,A,2020-01-01,\nBeta Corp,B,2020-01-01,\n'),
      '--top',
      '2',
    );
    expect(named.code, named.err).toBe(0);
    expect(named.out).toMatch(/2 of the price assets ever members/);
    await refused('me', [...base, '--membership', t.write('members-empty.csv', '')], /members-empty\.csv: the membership file is empty/);
  });

  it('a bad tick kept as published with --benchmark equal: a warning that the daily-rebalanced benchmark books it as a gain', async () => {
    const lines = pricesCsv(days, assets).trimEnd().split('\n');
    const k = lines.findIndex((l) => l.startsWith('2020-02-12'));
    const cells = lines[k].split(',');
    cells[2] = (Number(cells[2]) / 100).toFixed(4); // B at 1/100 for one day
    const ticked = t.write('prices-tick.csv', `${[...lines.slice(0, k), cells.join(','), ...lines.slice(k + 1)].join('\n')}\n`);
    const r = await cli('backtest', '--prices', ticked, '--factor', factor, '--benchmark', 'equal');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /^factorlab: warning: the prices have 1 one-day bad tick kept as published: the equal-weighted benchmark, rebalanced every row, books each round trip as a gain .*; add --clean\n$/,
    );
    const clean = await cli('backtest', '--prices', ticked, '--factor', factor, '--benchmark', 'equal', '--clean');
    expect(clean.err).toBe('');
    // the benchmark's total return with the tick is far above the cleaned one's
    const total = (out: string): number => Number(/total return .* (-?[\d.]+)%\n/.exec(out)![1]);
    expect(total(r.out) - total(clean.out)).toBeGreaterThan(100);
  });

  it('inverse-vol that never holds says why: --vol-lookback, not a factor', async () => {
    await refused(
      'ivl',
      ['backtest', '--prices', prices, '--rule', 'inverse-vol', '--vol-lookback', '80'],
      /the rule never held anything: no tradable name had --vol-lookback 80 returns before any rebalance date \(60 price dates in the period\)/,
    );
  });
});

describe('backtest: a sparse factor file (fundamentals: each company on its own dates)', () => {
  // each name reports every 10 rows, A and D on one day, B and E the next, C and F the day after;
  // the value ranks them A < B < ... < F, so the top 2 is E and F whenever every name is seen
  const sparse = t.write(
    'sparse.csv',
    `date,asset,value\n${days
      .flatMap((d, i) => assets.filter((_a, j) => i % 10 === j % 3).map((a) => `${d},${a},${assets.indexOf(a) + 1}`))
      .join('\n')}\n`,
  );
  const run = ['backtest', '--prices', prices, '--factor', sparse, '--top', '2', '--schedule', 'weekly:fri'];
  type Json = { notes: string[]; settings: { signal: string }; rebalances: { weights: { asset: string }[] }[] };

  it('by default a rebalance sees the latest factor date only, and a note says the file is sparse', async () => {
    const r = await cli(...run, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as Json;
    expect(j.notes.join('\n')).toMatch(/sparse .*--latest-per-asset/);
    expect(j.rebalances.some((b) => b.weights.map((w) => w.asset).join() !== 'E,F')).toBe(true);
  });

  it("--latest-per-asset takes each name's latest value: every rebalance holds the true top 2", async () => {
    const r = await cli(...run, '--latest-per-asset', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as Json;
    expect(j.settings.signal).toContain("each name's latest value dated on or before it, at most 366 days old");
    expect(j.notes.join('\n')).not.toMatch(/sparse/);
    for (const b of j.rebalances) expect(b.weights.map((w) => w.asset).join()).toBe('E,F');
    // --signal-max-age 0: only the names that reported on the rebalance date itself, none on most Fridays
    const same = await cli(...run, '--latest-per-asset', '--signal-max-age', '0');
    expect(same.code).toBe(2);
    expect(same.err).toMatch(/no tradable asset had a factor value.*--signal-max-age 0 drops every factor value older than 0 days/s);
  });

  it('--latest-per-asset needs a factor file', async () => {
    for (const args of [
      ['backtest', '--prices', prices, '--factor', 'momentum:20,0', '--latest-per-asset'],
      ['backtest', '--prices', prices, '--rule', 'inverse-vol', '--latest-per-asset'],
    ]) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--latest-per-asset');
    }
  });
});
