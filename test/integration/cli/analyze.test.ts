/**
 * `factorlab analyze` and `factorlab combine` end to end on files written from the synthetic market.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeOutput } from '../../../src/cli/commands/analyze.js';
import { runCli } from '../../../src/cli/run.js';
import { periodEnds } from '../../../src/core/calendar.js';
import { dayOfWeek, formatIsoDate } from '../../../src/core/dates.js';
import { writeTable } from '../../../src/io/write.js';
import { Rng } from '../../../src/synthetic/random.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';
import { tempDir } from '../../tempDir.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

const dir = tempDir('factorlab-analyze-');
const f = (name: string): string => join(dir, name);
const market = syntheticMarket({ seed: 21, nAssets: 120, nDates: 300, signalIC: 0.1, badTicks: 1 });

beforeAll(async () => {
  await writeTable(f('prices.csv'), market.prices, { wide: true });
  await writeTable(f('signal.csv'), market.signal);
  const rng = new Rng(8);
  await writeTable(
    f('noise.csv'),
    market.signal.map((v) => (v === v ? rng.normal(0, 1) : NaN)),
  );
  writeFileSync(f('sectors.csv'), `asset,sector\n${market.assets.map((a) => `${a},${market.sectors[a]}`).join('\n')}\n`);
});

describe('factorlab analyze', () => {
  it('prints the ten-second summary and writes the full JSON', async () => {
    const r = await cli(
      'analyze',
      '--factor',
      f('signal.csv'),
      '--prices',
      f('prices.csv'),
      '--horizons',
      '1,5',
      '--groups',
      f('sectors.csv'),
      '--out',
      f('result.json'),
    );
    expect(r.code, r.err).toBe(0);
    for (const label of ['IC mean', 'rank IC mean', 'top - bottom', 'share |t| > 2', 'turnover top / bottom', 'data lost'])
      expect(r.out).toContain(label);
    expect(r.out).toMatch(/1 one-day bad tick kept as published.*--clean/);
    const json = JSON.parse(readFileSync(f('result.json'), 'utf8')) as AnalyzeOutput;
    expect(json.horizons).toEqual([1, 5]);
    const s = json.ic['1'].summary.pearson;
    expect(Math.abs(s.mean - 0.1)).toBeLessThan((4 * s.std) / Math.sqrt(s.n));
    expect(json.quantiles['1'].spread.mean).toBeGreaterThan(0);
    expect(json.inputs.groups?.groups.length).toBe(10);
    expect(json.inputs.prices.badTicks).toBe(1);
  });

  it('--json prints the same result on stdout; --clean removes the bad tick first', async () => {
    const r = await cli('analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--horizons', '1', '--clean', '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as AnalyzeOutput;
    expect(json.inputs.prices.cleaned).toBe(1);
    expect(Object.keys(json.ic)).toEqual(['1']);
  });

  it('horizons (and lag) beyond the price history exit 2 naming them, not the universe or --max-loss', async () => {
    const r = await cli('analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--horizons', '1,300');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--horizons 1,300 reach 300 price rows past a factor date; --prices .* has 300/);
    expect(r.err).not.toMatch(/--max-loss|pairwise/);
  });

  it('--sample monthly annualises by 12 however few the month-ends (a partial last month included)', async () => {
    // two whole months and the first day of a third: month-ends 28-31 days apart, then 1-3 days
    const lines = readFileSync(f('prices.csv'), 'utf8').trim().split('\n');
    const month = (l: string): string => l.slice(0, 7);
    const second = lines.findIndex((l, i) => i > 1 && month(l) !== month(lines[1]));
    const third = lines.findIndex((l, i) => i > second && month(l) !== month(lines[second]));
    writeFileSync(f('prices_short.csv'), `${lines.slice(0, third + 1).join('\n')}\n`);
    const args = [
      '--factor',
      f('signal.csv'),
      '--sample',
      'monthly',
      '--prices',
      f('prices_short.csv'),
      '--horizons',
      '1',
      '--max-loss',
      '1',
    ];
    const r = await cli('analyze', ...args, '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as AnalyzeOutput;
    expect(json.steps).toEqual({ '1': 1 });
    expect(json.periodsPerYear).toBe(12);
  });

  it('a fundamentals export (Kaggle layout, dated by fiscal period end) reads as long, merges same-day dates per asset and warns of look-ahead', async () => {
    // each asset reports once a "year" on a Saturday or a Sunday (both trade on the Monday), two years
    const d = market.prices.dates;
    const fridays = Array.from(d, (_x, i) => i).filter((i) => i + 1 < d.length && dayOfWeek(d[i]) === 4 && d[i + 1] === d[i] + 3);
    const [first, last] = [fridays.find((i) => i >= 5) as number, fridays.filter((i) => i < d.length - 80).pop() as number]; // room for --execution-lag 63 below;
    const rows = [',Ticker Symbol,Period Ending,After Tax ROE'];
    let n = 0;
    for (const i of [first, last])
      market.assets.forEach((a, j) => {
        const v = market.signal.at(i, j);
        if (v === v) rows.push(`${n++},${a},${formatIsoDate(d[i] + 1 + (j % 2))},${v}`);
      });
    writeFileSync(f('fundamentals.csv'), `${rows.join('\n')}\n`);
    const args = ['--factor', f('fundamentals.csv'), '--factor-col', 'After Tax ROE', '--prices', f('prices.csv'), '--horizons', '5'];
    const r = await cli('analyze', ...args, '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as AnalyzeOutput;
    expect(json.nDates).toBe(2); // the two Sundays
    expect(json.dataLoss.common[0]).toMatchObject({ stage: 'unmatched-date', dropped: 0 }); // no Saturday value lost to its Sunday
    expect(json.periodsPerYear).toBeLessThan(4); // two clusters of dates a day apart, a year between them: not 365 a year
    expect(json.notes.join('\n')).toMatch(/dated by "Period Ending", a fiscal period's end.*look-ahead.*--execution-lag 63/);
    const lagged = await cli('analyze', ...args, '--execution-lag', '63', '--json');
    expect(lagged.code, lagged.err).toBe(0);
    expect((JSON.parse(lagged.out) as AnalyzeOutput).notes.join('\n')).not.toContain('Period Ending');
    // --as-of monthly: every month end of the prices, each asset's latest report (at most --max-age days old)
    const monthly = await cli('analyze', ...args, '--as-of', 'monthly', '--max-age', '400', '--json');
    expect(monthly.code, monthly.err).toBe(0);
    const m = JSON.parse(monthly.out) as AnalyzeOutput;
    const monthEnds = periodEnds(d, 'monthly').filter((x) => x >= d[first] + 1 && x <= d[d.length - 1 - 5]);
    expect(m.nDates).toBe(monthEnds.length);
    expect(m.periodsPerYear).toBe(12);
    expect(m.notes.join('\n')).toContain("each asset's latest value on or before it, at most 400 days old");
    const one = (JSON.parse(monthly.out) as AnalyzeOutput).ic['5'];
    expect(one.n.every((k) => k > 100)).toBe(true); // every asset with a report, not half of them
    for (const bad of [
      ['--as-of', 'monthly', '--sample', 'monthly'],
      ['--max-age', '30'],
    ]) {
      const r2 = await cli('analyze', ...args, ...bad);
      expect(r2.code).toBe(2);
      expect(r2.err).toMatch(/--as-of/);
    }
    const mom = await cli('analyze', '--factor', 'momentum:20,0', '--prices', f('prices.csv'), '--as-of', 'monthly');
    expect(mom.code).toBe(2);
    expect(mom.err).toContain('--sample monthly');
  });

  it('--group-adjust: a note says the returns were demeaned within groups; without --groups exit 2', async () => {
    const ok = await cli(
      'analyze',
      '--factor',
      f('signal.csv'),
      '--prices',
      f('prices.csv'),
      '--groups',
      f('sectors.csv'),
      '--group-adjust',
      '--horizons',
      '1',
      '--json',
    );
    expect(ok.code, ok.err).toBe(0);
    expect((JSON.parse(ok.out) as AnalyzeOutput).notes.join('\n')).toContain('demeaned within each group per date (--group-adjust)');
    const bad = await cli('analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--group-adjust');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--group-adjust needs --groups/);
  });

  it('momentum from the prices, sampled monthly, needs no factor file', async () => {
    const r = await cli(
      'analyze',
      '--factor',
      'momentum:60,5',
      '--sample',
      'monthly',
      '--prices',
      f('prices.csv'),
      '--horizons',
      '21',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as AnalyzeOutput;
    expect(json.periodsPerYear).toBe(12);
    expect(json.steps).toEqual({ '21': 1 });
  });

  it('--bins, --quantile-edges and --bin-edges bin each date as pandas.cut / qcut do (hand case)', async () => {
    // Four assets, three formation dates, one-row forward returns written out by hand below.
    writeFileSync(
      f('hand-p.csv'),
      'date,A,B,C,D\n2020-01-02,100,100,100,100\n2020-01-03,101,102,99,105\n2020-01-06,102,101,99,104\n2020-01-07,103,101,98,104\n',
    );
    writeFileSync(f('hand-s.csv'), 'date,A,B,C,D\n2020-01-02,0,1,2,4\n2020-01-03,4,1,-2,0\n2020-01-06,1,1,1,3\n');
    const run = async (...extra: string[]): Promise<AnalyzeOutput> => {
      const r = await cli(
        'analyze',
        '--factor',
        f('hand-s.csv'),
        '--prices',
        f('hand-p.csv'),
        '--horizons',
        '1',
        '--min-assets',
        '2',
        '--json',
        ...extra,
      );
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as AnalyzeOutput;
    };
    const ret = (a: number, b: number): number => b / a - 1;
    // --bins 2: edges min, (min+max)/2, max per date, right-closed. Date 1: 0,1,2 | 4. Date 2 (range -2..4,
    // middle 1): C, D, B | A. Date 3 (1..3, middle 2): A, B, C | D.
    const bins = await run('--bins', '2');
    expect(bins.binning).toEqual({ bins: 2 });
    const q = bins.quantiles['1'];
    expect(q.count).toEqual({ '1': [3, 3, 3], '2': [1, 1, 1] });
    const expected = {
      '1': [
        (ret(100, 101) + ret(100, 102) + ret(100, 99)) / 3,
        (ret(99, 99) + ret(105, 104) + ret(102, 101)) / 3,
        (ret(102, 103) + ret(101, 101) + ret(99, 98)) / 3,
      ],
      '2': [ret(100, 105), ret(101, 102), ret(104, 104)],
    };
    for (const k of ['1', '2'] as const) q.meanReturn[k].forEach((v, i) => expect(v).toBeCloseTo(expected[k][i], 14));
    // --bin-edges -1,0,1: date 1 has A (0) in bin 1 and B (1) in bin 2; C and D are outside and left out.
    const edges = await run('--bin-edges=-1,0,1');
    expect(edges.binning).toEqual({ binEdges: [-1, 0, 1] });
    expect(edges.quantiles['1'].count['1'][0]).toBe(1);
    expect(edges.quantiles['1'].meanReturn['2'][0]).toBeCloseTo(ret(100, 102), 14);
    expect(edges.quantiles['1'].unlabeled).toBeGreaterThan(0);
    // --quantile-edges 0,0.5,1 is --quantiles 2, bit for bit.
    const qe = await run('--quantile-edges', '0,0.5,1');
    const q2 = await run('--quantiles', '2');
    expect(qe.quantiles).toEqual(q2.quantiles);
    expect(q2.binning).toBeUndefined();
    const text = await cli(
      'analyze',
      '--factor',
      f('hand-s.csv'),
      '--prices',
      f('hand-p.csv'),
      '--horizons',
      '1',
      '--min-assets',
      '2',
      '--bins',
      '2',
    );
    expect(text.out).toContain('2 equal-width bins');
  });

  const bad: [string, string[], RegExp][] = [
    ['no --factor', ['--prices', 'p.csv'], /required option '--factor <file>'/],
    ['a zero horizon', ['--horizons', '0,5'], /--horizons takes positive whole numbers/],
    ['a share above one', ['--max-loss', '1.5'], /--max-loss must be a share between 0 and 1/],
    ['by-group without groups', ['--by-group'], /group/i],
    ['momentum with skip >= lookback', ['--factor', 'momentum:20,30'], /SKIP < LOOKBACK/],
    ['a missing factor file', ['--factor', 'nope.csv'], /nope\.csv: file not found/],
    ['--bins with --quantiles', ['--bins', '3', '--quantiles', '4'], /'--bins <n>' cannot be used with option '--quantiles <n>'/],
    ['one bin', ['--bins', '1'], /--bins must be a whole number >= 2/],
    ['quantile edges out of order', ['--quantile-edges', '0,0.5,0.4'], /quantile edges must be strictly increasing/],
    ['quantile edges outside [0, 1]', ['--quantile-edges', '0,0.5,2'], /quantile edges: edge 2 is outside/],
    ['a bin edge that is not a number', ['--bin-edges', '0,x'], /--bin-edges takes two or more numbers/],
  ];
  for (const [what, extra, pattern] of bad) {
    it(`${what}: exit 2 with a message`, async () => {
      const base = ['--factor', f('signal.csv'), '--prices', f('prices.csv')];
      const args = what === 'no --factor' ? extra.map((a) => (a === 'p.csv' ? f('prices.csv') : a)) : [...base, ...extra];
      const r = await cli('analyze', ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }
});

describe('factorlab combine', () => {
  it('IC_IR weights favour the predictive factor; the composite can be analysed', async () => {
    const r = await cli(
      'combine',
      '--factor',
      f('signal.csv'),
      '--factor',
      f('noise.csv'),
      '--prices',
      f('prices.csv'),
      '--method',
      'icir',
      '--window',
      '20',
      '--out',
      f('composite.csv'),
      '--weights-out',
      f('weights.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/signal \+ noise by trailing 20-date mean IC_IR/);
    const weights = readFileSync(f('weights.csv'), 'utf8').trim().split('\n');
    expect(weights[0]).toBe('date,signal,noise');
    const last = weights[weights.length - 1].split(',').map(Number);
    expect(Math.abs(last[1])).toBeGreaterThan(Math.abs(last[2]));
    const a = await cli('analyze', '--factor', f('composite.csv'), '--prices', f('prices.csv'), '--horizons', '1', '--json');
    expect(a.code, a.err).toBe(0);
    expect((JSON.parse(a.out) as AnalyzeOutput).ic['1'].summary.pearson.mean).toBeGreaterThan(0.05);
  });

  it('two columns of a sparse multi-factor file (FILE#col), carried to the price month ends with --as-of', async () => {
    // every asset reports two items once, on one of three days in the first two weeks of the second month
    const d = market.prices.dates;
    const start = d.findIndex((x) => formatIsoDate(x).slice(5, 7) !== formatIsoDate(d[0]).slice(5, 7));
    const rows = [',Ticker Symbol,Period Ending,Net Income,Total Equity'];
    market.assets.forEach((a, j) => {
      const v = market.signal.at(start + 5, j);
      if (v === v) rows.push(`${j},${a},${formatIsoDate(d[start + (j % 3)])},${v},${-v + (j % 7)}`);
    });
    writeFileSync(f('fund2.csv'), `${rows.join('\n')}\n`);
    const args = [
      'combine',
      '--factor',
      `${f('fund2.csv')}#Net Income`,
      '--factor',
      `${f('fund2.csv')}#Total Equity`,
      '--out',
      f('fq.csv'),
    ];
    const r = await cli(...args, '--prices', f('prices.csv'), '--as-of', 'monthly', '--max-age', '400');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Net Income \+ Total Equity by equal weights/);
    expect(r.out).toContain('at most 400 days old');
    const lines = readFileSync(f('fq.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => !l.endsWith(',')); // the writer keeps an empty date as one row without a value
    const byDate = new Map<string, number>();
    for (const l of lines) byDate.set(l.split(',')[0], (byDate.get(l.split(',')[0]) ?? 0) + 1);
    const monthEnds = Array.from(periodEnds(d, 'monthly')).filter((x) => x >= d[start + 2]);
    expect([...byDate.keys()]).toEqual(monthEnds.map(formatIsoDate)); // every month end after the last report day
    expect(Math.min(...byDate.values())).toBe(rows.length - 1); // each with every reporting asset
    // without --as-of the three report days hold a third of the assets each
    const raw = await cli(...args);
    expect(raw.code, raw.err).toBe(0);
    expect(
      readFileSync(f('fq.csv'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => /\d$/.test(l)).length,
    ).toBe(rows.length - 1);
    const noPrices = await cli(...args, '--as-of', 'monthly');
    expect(noPrices.code).toBe(2);
    expect(noPrices.err).toMatch(/--as-of carries each factor to the prices' dates, and there is no --prices/);
  });

  it('IC weights without prices: exit 2 and what to do', async () => {
    const r = await cli('combine', '--factor', f('signal.csv'), '--factor', f('noise.csv'), '--method', 'ic', '--out', f('x.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs prices[\s\S]*--prices/);
  });
});
