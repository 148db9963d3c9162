/**
 * `replicate` on bad dates and targets that cannot be what the flags take: exit 2 naming the flag
 * (--fit-end, --target-weights, --target-returns), the file and what to do, never an internal
 * error or a misleading "infeasible".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('replicate');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factors = t.write('factors.csv', factorsCsv(days));
const base = ['replicate', '--prices', prices, '--factors', factors, '--exposure-tolerance', '0.5'];

describe('replicate: factors that end before --fit-end', () => {
  it('the fit stops with the factors (a note says where), and the out-of-sample test still runs on the returns after --fit-end', async () => {
    const short = t.write('factors-short.csv', factorsCsv(days.slice(0, 180)));
    const r = await cli(
      ...base.slice(0, 3),
      '--factors',
      short,
      '--exposure-tolerance',
      '0.5',
      '--target-weights',
      'equal',
      '--fit-end',
      days[200],
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      `--prices ${prices}: 21 return dates after ${days[179]} (the factors end ${days[179]}) have no value of every factor of --factors ${short}: not fitted, so the fit covers ${days[1]} .. ${days[179]}`,
    );
    // the basket is tested after --fit-end on returns alone: no "out-of-sample: none" beside an out-of-sample row
    expect(r.out).not.toMatch(/out-of-sample: none/);
    expect(r.out).toMatch(new RegExp(`out-of-sample +${days[201]} \\.\\. ${days[299]} +99 `));
  });
});

describe('replicate: the headline counts the names held', () => {
  it('a basket of one name says "1 name replicates", not "1 names replicate"', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', days[200], '--max-names', '1', '--exposure-tolerance', '5');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^factorlab replicate: 1 name replicates equal-weight universe from 6 assets;/);
    const two = await cli(...base, '--target-weights', 'equal', '--fit-end', days[200], '--max-names', '2', '--exposure-tolerance', '5');
    expect(two.out).toMatch(/^factorlab replicate: 2 names replicate equal-weight universe/);
  });
});

describe('replicate --fit-end', () => {
  it.each(['20191231', '12/31/2019', '2019-02-30', '2019-13-45', ''])('%j is refused as a date, exit 2', async (d) => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--fit-end must be a date YYYY-MM-DD (value: ${JSON.stringify(d)})`);
    expect(r.err).toMatch(/hint: give the last date of the fit window as year-month-day, e.g. --fit-end 2019-12-31/);
    expect(r.err).not.toMatch(/internal error/);
  });

  it('a --start that is not a date is refused the same way', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', days[200], '--start', '20180101');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--start must be .*date YYYY-MM-DD/);
  });

  it('before the data: names --fit-end and the range the data covers, not --end', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', '2017-01-01');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `the fit window from the first date .. --fit-end 2017-01-01 holds no date (the returns and factors share ${days[0]} .. ${days[299]}); fitting 2 factors needs at least 5`,
    );
    expect(r.err).toContain(`hint: choose --fit-end inside ${days[0]} .. ${days[299]}`);
    expect(r.err).not.toMatch(/--end 2017-01-01/);
  });

  it('too few dates before it: says how many and how many are needed', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', days[2]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--fit-end \S+ holds only \d dates? .*needs at least 5/);
  });

  it('before --start, or after --end: exit 2 naming both flags', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--start', days[100], '--fit-end', days[50]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--fit-end ${days[50]} is before --start ${days[100]}`);
    const r2 = await cli(...base, '--target-weights', 'equal', '--end', days[100], '--fit-end', days[150]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`--fit-end ${days[150]} is after --end ${days[100]}`);
    expect(r2.err).toMatch(/hint: put --fit-end before --end/);
  });

  it('at or after the last date: runs, and notes that there is no out-of-sample window', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', '2030-01-01');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`out-of-sample: none, --fit-end 2030-01-01 is at or after the last date ${days[299]}`);
  });
});

describe('replicate: targets that cannot be what the flag takes', () => {
  it('target weights in percent exit 2 with the sum, not "infeasible"', async () => {
    const tw = t.write('tw-pct.csv', 'asset,weight\nA,50\nB,50\n');
    const r = await cli(...base, '--target-weights', tw, '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${tw}: the --target-weights weights sum to 100 over 2 names`);
    expect(r.err).toMatch(/hint: in percent\? divide them by 100/);
    expect(r.err).not.toMatch(/infeasible/);
  });

  it('target weights summing to 0.6 (a partial file) exit 2 instead of replicating a portfolio 40% in cash', async () => {
    const tw = t.write('tw-partial.csv', 'asset,weight\nA,0.4\nB,0.2\n');
    const out = join(t.dir, 'basket-partial.json');
    const r = await cli(...base, '--target-weights', tw, '--fit-end', days[200], '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${tw}: the --target-weights weights sum to 0.6 over 2 names; a target portfolio's weights sum to about 1 (0.95 to 1.05)`,
    );
    expect(r.err).toMatch(
      /hint: divide each weight by their sum, 0\.6; to replicate a portfolio that also holds cash, give its returns with --target-returns/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('target weights a little under 1 run, and the rest is noted as cash', async () => {
    const tw = t.write('tw-cash.csv', 'asset,weight\nA,0.5\nB,0.47\n');
    const r = await cli(...base, '--target-weights', tw, '--fit-end', days[200], '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { notes: string[] }).notes).toContain(
      `target weights: ${tw} sums to 0.97, the rest is cash (zero return)`,
    );
  });

  it('a cap below 1/N does not blame the exposure match the conflict does not involve', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', days[200], '--max-weight', '0.1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /no long-only basket \(weights summing to 1\) meets the constraints; infeasible: these constraints cannot all hold: weights sum to 100%; weight of each of \d names ≤ 10%/,
    );
    expect(r.err).not.toMatch(/matches the target's factor exposures/);
    expect(r.err).toMatch(/hint: raise --max-weight 0\.1/);
  });

  it('a target weight on an asset outside the universe names the file and the asset', async () => {
    const tw = t.write('tw-unknown.csv', 'asset,weight\nA,0.5\nZZZ,0.5\n');
    const r = await cli(...base, '--target-weights', tw, '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${tw}, asset ZZZ: 1 asset of --target-weights is not in the replicating universe: ZZZ`);
  });

  it('a long dated target-weights file says what --target-weights takes', async () => {
    const tw = t.write('tw-long.csv', `date,asset,weight\n${days[0]},A,0.5\n${days[0]},B,0.5\n`);
    const r = await cli(...base, '--target-weights', tw, '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--target-weights takes one value per asset (asset,value rows), but this is a long table');
  });

  it('target returns that are prices exit 2 saying so, not "infeasible"', async () => {
    const r = await cli(...base, '--target-returns', prices, '--target-col', 'A', '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `${prices.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, column "A": --target-returns: column A looks like prices, not returns \\(all \\d+ positive, median [\\d.]+\\)`,
      ),
    );
    expect(r.err).toMatch(/hint: give the target's simple returns/);
    expect(r.err).not.toMatch(/infeasible/);
  });

  it('target returns in percent exit 2 with a hint to divide by 100', async () => {
    const lines = ['date,fund', ...days.map((d, i) => `${d},${(((i * 7919) % 200) / 100 - 1).toFixed(3)}`)];
    const fund = t.write('fund-pct.csv', `${lines.join('\n')}\n`);
    const r = await cli(...base, '--target-returns', fund, '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--target-returns: column fund looks like percent returns');
    expect(r.err).toMatch(/hint: give the returns in decimal: divide them by 100/);
  });

  it('an exposure match no basket can reach is said in flag names, not "relax one of the conflicting constraints"', async () => {
    const r = await cli(
      'replicate',
      '--prices',
      prices,
      '--factors',
      factors,
      '--target-weights',
      'equal',
      '--fit-end',
      days[200],
      '--max-names',
      '1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "no long-only basket (weights summing to 1) matches the target's factor exposures exactly (--exposure-tolerance 0)",
    );
    expect(r.err).toMatch(/hint: raise --exposure-tolerance \(now 0; e\.g\. 0\.05\), or allow more than --max-names 1/);
    expect(r.err).not.toMatch(/relax one of the conflicting constraints/);
  });

  it('decimal target returns run', async () => {
    const lines = ['date,fund', ...days.map((d, i) => `${d},${(((i * 7919) % 200) / 10000 - 0.01).toFixed(5)}`)];
    const fund = t.write('fund.csv', `${lines.join('\n')}\n`);
    const r = await cli(...base, '--target-returns', fund, '--fit-end', days[200], '--exposure-tolerance', '5', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it("target returns missing on some dates: the tracking error's days say how many of the window's dates it has", async () => {
    // every fifth date without a return (blank): the fit and the tracking error use the others
    const lines = ['date,fund', ...days.map((d, i) => `${d},${i % 5 === 0 ? '' : (((i * 7919) % 200) / 10000 - 0.01).toFixed(5)}`)];
    const fund = t.write('fund-gaps.csv', `${lines.join('\n')}\n`);
    const r = await cli(...base, '--target-returns', fund, '--fit-end', days[200], '--exposure-tolerance', '5', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { inSample: { observations: number; windowDates: number } };
    expect(j.inSample.windowDates).toBe(200); // returns from the second date .. days[200]
    expect(j.inSample.observations).toBe(160);
    const text = await cli(...base, '--target-returns', fund, '--fit-end', days[200], '--exposure-tolerance', '5');
    expect(text.out).toMatch(/in-sample +\S+ \.\. \S+ +160 of 200 /);
    expect(text.out).toMatch(/out-of-sample +\S+ \.\. \S+ +80 of 99 /);
  });
});

describe('replicate --target-returns of another frequency than the factors', () => {
  // a fund's daily returns: each a deterministic value in [-1%, 1%)
  const daily = days.map((d, i) => [d, ((i * 7919) % 200) / 10000 - 0.01] as const);
  const fundDaily = t.write('fund-daily.csv', `date,fund\n${daily.map(([d, v]) => `${d},${v.toFixed(5)}`).join('\n')}\n`);
  // the same fund compounded to calendar month ends (the months the daily file covers whole)
  const byMonth = new Map<string, { end: string; growth: number }>();
  for (const [d, v] of daily) {
    const m = byMonth.get(d.slice(0, 7)) ?? { end: d, growth: 1 };
    m.end = d;
    m.growth *= 1 + Number(v.toFixed(5));
    byMonth.set(d.slice(0, 7), m);
  }
  const monthEnd = (ym: string): string => new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const months = [...byMonth.keys()].slice(1, -1); // the first month lacks its first return; the last is partial
  const fundMonthly = t.write(
    'fund-monthly.csv',
    `date,fund\n${months.map((m) => `${monthEnd(m)},${((byMonth.get(m) as { growth: number }).growth - 1).toPrecision(15)}`).join('\n')}\n`,
  );
  const monthlyFactors = t.write('factors-monthly.csv', factorsCsv([...byMonth.keys()].map(monthEnd), 5, 1, 'rf', 0.04));

  it('a monthly target beside daily factors: exit 2 naming both frequencies (it was fitted on the month ends the two calendars share)', async () => {
    const r = await cli(...base, '--target-returns', fundMonthly, '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--target-returns ${fundMonthly} is monthly, --factors ${factors} is daily`);
    expect(r.err).toMatch(/hint: give the target's daily returns, or monthly factors/);
  });

  it('a daily target beside monthly factors without --resample (monthly universe): exit 2 naming both frequencies', async () => {
    const monthlyPrices = t.write('prices-monthly.csv', pricesCsv([...byMonth.keys()].map(monthEnd), assets, 3));
    const r = await cli(
      'replicate',
      '--prices',
      monthlyPrices,
      '--factors',
      monthlyFactors,
      '--exposure-tolerance',
      '5',
      '--target-returns',
      fundDaily,
      '--fit-end',
      monthEnd(months[8]),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--target-returns ${fundDaily} is daily, --factors ${monthlyFactors} is monthly`);
    expect(r.err).toMatch(/hint: give the target's monthly returns/);
  });

  it('a daily target with daily prices, monthly factors and --resample monthly: compounded as the universe is, the numbers of the monthly target', async () => {
    const run = async (fund: string): Promise<{ exposures: Record<string, { target: number }>; inSample: { observations: number } }> => {
      const r = await cli(
        'replicate',
        '--prices',
        prices,
        '--factors',
        monthlyFactors,
        '--resample',
        'monthly',
        '--exposure-tolerance',
        '5',
        '--target-returns',
        fund,
        '--fit-end',
        monthEnd(months[8]),
        '--json',
      );
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as { exposures: Record<string, { target: number }>; inSample: { observations: number } };
    };
    const fromDaily = await run(fundDaily);
    const fromMonthly = await run(fundMonthly);
    expect(fromDaily.inSample.observations).toBe(fromMonthly.inSample.observations);
    for (const f of ['mkt_rf', 'smb']) expect(fromDaily.exposures[f].target).toBeCloseTo(fromMonthly.exposures[f].target, 10);
    // before, the daily values of the month ends the calendars share were regressed on monthly factors
    expect(Math.abs(fromDaily.exposures.mkt_rf.target)).toBeGreaterThan(0);
  });

  it('a daily target with a mid-month --start/--end: its months are those the universe keeps (whole months inside the window), warned of once', async () => {
    const run = async (start: string, end: string) => {
      const r = await cli(
        'replicate',
        '--prices',
        prices,
        '--factors',
        monthlyFactors,
        '--resample',
        'monthly',
        '--exposure-tolerance',
        '5',
        '--target-returns',
        fundDaily,
        '--start',
        start,
        '--fit-end',
        monthEnd(months[8]),
        '--end',
        end,
        '--json',
      );
      expect(r.code, r.err).toBe(0);
      return { err: r.err, json: JSON.parse(r.out) as { exposures: unknown; notes: string[]; inSample: unknown; outOfSample: unknown } };
    };
    const cut = await run('2018-02-14', '2019-01-15');
    const whole = await run('2018-03-01', '2018-12-31');
    // the target's note said the whole file's months (2018-01-31 .. 2019-02-28), days outside the window compounded
    const target = cut.json.notes.filter((n) => n.startsWith(`--target-returns ${fundDaily}: daily returns compounded to`));
    expect(target).toHaveLength(1);
    expect(target[0]).toMatch(/compounded to 10 monthly periods ending on the factors' dates 2018-03-31 \.\. 2018-12-31 /);
    expect(cut.json.exposures).toEqual(whole.json.exposures);
    expect(cut.json.inSample).toEqual(whole.json.inSample);
    expect(cut.json.outOfSample).toEqual(whole.json.outOfSample);
    // each cut month warned of once (the universe's and the target's warning are the same)
    expect(cut.err.match(/warning: --resample: the month ending 2018-02-28 is left out/g)).toHaveLength(1);
    expect(cut.err.match(/warning: --resample: the month ending 2019-01-31 is left out/g)).toHaveLength(1);
    expect(cut.json.notes.filter((n) => n.startsWith('--resample: the month ending'))).toHaveLength(2);
  });

  it("a monthly fit's tracking-error windows count months, not days", async () => {
    const r = await cli(
      'replicate',
      '--prices',
      prices,
      '--factors',
      monthlyFactors,
      '--resample',
      'monthly',
      '--exposure-tolerance',
      '5',
      '--target-returns',
      fundMonthly,
      '--fit-end',
      monthEnd(months[8]),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/tracking error +window +months +TE \(annual\)/);
    expect(r.out).not.toMatch(/ days /);
  });
});

describe('replicate --max-weight in percent', () => {
  it('--max-weight 5 (for 5%): exit 2 naming the fraction meant, before any work (the basket ran uncapped)', async () => {
    const r = await cli(...base, '--target-weights', 'equal', '--fit-end', days[200], '--max-weight', '5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--max-weight 5 is above the budget \(1\), which no weight of a long-only portfolio exceeds, so it would constrain nothing/,
    );
    expect(r.err).toContain('hint: caps are fractions, not percent: 0.05 for 5%');
  });
});

describe('replicate --target-returns given a Ken French file', () => {
  it('exit 2 saying it is in percent and an excess return, with how to write the market as a target (it said only "divide them by 100")', async () => {
    const kf = t.write(
      'F-F_Research_Data_Factors_daily.CSV',
      `Date,Mkt-RF,SMB,RF\n${days.map((d, i) => `${d.replace(/-/g, '')},${((((i * 7919) % 200) - 100) / 100).toFixed(2)},0.10,0.01`).join('\n')}\n`,
    );
    const r = await cli(...base, '--target-returns', kf, '--target-col', 'mkt_rf', '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--target-returns ${kf} is a Ken French factor file: its values are in percent, and mkt_rf is a factor return`);
    expect(r.err).toContain("hint: give the target's total returns in decimal as a date,value table (the market: (Mkt-RF + RF) / 100)");
  });
});
