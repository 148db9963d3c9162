/**
 * `factorlab allocate`: target weights into whole shares at the latest prices. The orders against
 * an enumeration of every whole allocation, the prices as of a date, and the inputs that would make
 * a wrong order: exit 2 naming the file and the asset, nothing written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const t = tempDir('allocate');
afterAll(() => t.remove());
// prices of A, B, C on four dates; C stops after the first (delisted)
const prices = t.write(
  'prices.csv',
  'date,A,B,C\n2020-01-02,100,50,20\n2020-01-03,101,51,\n2020-01-06,102.5,49.5,\n2020-01-07,103.25,48.75,\n',
);
const weights = t.write('weights.csv', 'asset,weight\nA,0.6\nB,0.4\nC,0\n');

/** The least Σ|w·V − q·p| over whole q ≥ 0 with Σq·p ≤ V (enumeration). */
function least(w: number[], p: number[], capital: number): number {
  let best = Infinity;
  for (let a = 0; a * p[0] <= capital; a++)
    for (let b = 0; a * p[0] + b * p[1] <= capital; b++)
      best = Math.min(best, Math.abs(w[0] * capital - a * p[0]) + Math.abs(w[1] * capital - b * p[1]));
  return best;
}

interface J {
  capital: number;
  invested: number;
  cash: number;
  deviation: number;
  method: string;
  milp: { status: string; gap: number } | null;
  orders: { asset: string; weight: number; price: number; shares: number; value: number; achieved: number }[];
}

describe('factorlab allocate', () => {
  it("whole shares at each name's last price: the least deviation any whole allocation has, within the capital", async () => {
    const r = await cli('allocate', '--weights', weights, '--prices', prices, '--capital', '10000', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as J;
    expect(j.orders.map((o) => [o.asset, o.price])).toEqual([
      ['A', 103.25],
      ['B', 48.75],
    ]);
    expect(j.deviation).toBeCloseTo(least([0.6, 0.4], [103.25, 48.75], 10000), 9);
    expect(j.invested).toBeLessThanOrEqual(10000);
    expect(j.cash).toBeCloseTo(10000 - j.invested, 9);
    expect(j.milp?.status).toBe('optimal');
    for (const o of j.orders) expect(o.value).toBeCloseTo(o.shares * o.price, 9);
    // as of a date: that date's prices
    const earlier = JSON.parse(
      (await cli('allocate', '--weights', weights, '--prices', prices, '--capital', '10000', '--date', '2020-01-03', '--json')).out,
    ) as J;
    expect(earlier.orders.map((o) => o.price)).toEqual([101, 51]);
    expect(earlier.deviation).toBeCloseTo(least([0.6, 0.4], [101, 51], 10000), 9);
    // a --date after the file's last date: its last prices, and a note says so
    const later = await cli('allocate', '--weights', weights, '--prices', prices, '--capital', '10000', '--date', '2021-06-30');
    expect(later.code, later.err).toBe(0);
    expect(later.out).toMatch(
      /note: --date 2021-06-30 is after the last price date of .*prices\.csv, 2020-01-07: the prices are that date's/,
    );
    // a weights file with more columns, the weight second (optimize --out weights.csv): read as before
    const wide = t.write('wide.csv', 'asset,weight,benchmark,active\nA,0.6,,\nB,0.4,,\n');
    const same = JSON.parse((await cli('allocate', '--weights', wide, '--prices', prices, '--capital', '10000', '--json')).out) as J;
    expect(same.deviation).toBeCloseTo(least([0.6, 0.4], [103.25, 48.75], 10000), 9);
  });

  it('weights rounded to a few decimals (summing to 1.00002) are scaled to 1 with a note; 1.0002 is refused; percent is named', async () => {
    const rounded = t.write('rounded.csv', 'asset,weight\nA,0.60001\nB,0.40001\n');
    const r = await cli('allocate', '--weights', rounded, '--prices', prices, '--capital', '10000', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as J & { notes: string[] };
    expect(j.notes[0]).toMatch(/rounded\.csv: the weights sum to 1\.00002, read as rounding: each divided by that sum/);
    expect(j.orders[0].weight).toBeCloseTo(0.60001 / 1.00002, 15);
    expect(j.invested).toBeLessThanOrEqual(10000);
    // a sum above 1 by the arithmetic's rounding only (optimize's own weights: 1.0000000000000002): no note
    const exact = t.write('exact.csv', 'asset,weight\nA,0.01\nB,0.9900000000000002\n');
    const e = JSON.parse((await cli('allocate', '--weights', exact, '--prices', prices, '--capital', '10000', '--json')).out) as J & {
      notes: string[];
    };
    expect(e.notes.join('\n')).not.toMatch(/read as rounding/);
    const over = await cli(
      'allocate',
      '--weights',
      t.write('over2.csv', 'asset,weight\nA,0.6002\nB,0.4\n'),
      '--prices',
      prices,
      '--capital',
      '10000',
    );
    expect(over.code).toBe(2);
    expect(over.err).toMatch(/the weights sum to 1\.0002, more than the capital/);
    const pct = await cli(
      'allocate',
      '--weights',
      t.write('pct.csv', 'asset,weight\nA,20\nB,10\n'),
      '--prices',
      prices,
      '--capital',
      '10000',
    );
    expect(pct.code).toBe(2);
    expect(pct.err).toMatch(/look like percent: divide them by 100/);
  });

  it('--latest-prices, lots of 100, greedy; the orders written as CSV and the text names the cash', async () => {
    const quotes = t.write('quotes.csv', 'asset,price\nA,35.2\nB,48.9\n');
    const out = join(t.dir, 'orders.csv');
    const r = await cli(
      'allocate',
      '--weights',
      t.write('half.csv', 'asset,weight\nA,0.5\nB,0.5\n'),
      '--latest-prices',
      quotes,
      '--capital',
      '100000',
      '--lot-size',
      '100',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^factorlab allocate: 2 orders; 98,180\.00 of 100,000\.00 in whole lots of 100 shares, 1,820\.00 cash \(MILP, optimal\)/,
    );
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('asset,weight,price,shares,value,achieved,deviation');
    const expected = [
      ['A', 0.5, 35.2, 1400, 49280, 0.4928, -720],
      ['B', 0.5, 48.9, 1000, 48900, 0.489, -1100],
    ];
    lines.slice(1).forEach((l, i) => {
      const cells = l.split(',');
      expect(cells[0]).toBe(expected[i][0]);
      cells.slice(1).forEach((c, k) => expect(Number(c)).toBeCloseTo(expected[i][k + 1] as number, 6));
    });
    const g = await cli(
      'allocate',
      '--weights',
      t.write('half2.csv', 'asset,weight\nA,0.5\nB,0.5\n'),
      '--latest-prices',
      quotes,
      '--capital',
      '100000',
      '--lot-size',
      '100',
      '--method',
      'greedy',
      '--json',
    );
    expect((JSON.parse(g.out) as J).method).toBe('greedy');
  });

  it('refuses what would be a wrong order: exit 2 naming the file and the asset, nothing written', async () => {
    const out = join(t.dir, 'never.csv');
    const cases: [string[], RegExp][] = [
      [
        ['--weights', t.write('stale.csv', 'asset,weight\nA,0.5\nC,0.5\n'), '--prices', prices, '--max-age', '2'],
        /1 name with a weight has no price in the last 3 price dates up to 2020-01-07 \(delisted or suspended\?\): C \(last 2020-01-02\)/,
      ],
      [
        ['--weights', t.write('absent.csv', 'asset,weight\nA,0.5\na,0.5\n'), '--prices', prices],
        /1 name with a weight is not in the price file: a/,
      ],
      [
        ['--weights', t.write('over.csv', 'asset,weight\nA,0.7\nB,0.4\n'), '--prices', prices],
        /over\.csv: the weights sum to 1\.1, more than the capital/,
      ],
      [
        ['--weights', t.write('short.csv', 'asset,weight\nA,0.7\nB,-0.2\n'), '--prices', prices],
        /short\.csv, asset B: the weight of B is negative/,
      ],
      [['--weights', weights], /no prices: give --prices or --latest-prices/],
      [['--weights', weights, '--prices', prices, '--latest-prices', weights], /give --prices or --latest-prices, not both/],
      [['--weights', weights, '--prices', prices, '--date', '2019-12-31'], /--date 2019-12-31 is before the first price date, 2020-01-02/],
      [['--weights', weights, '--prices', prices, '--date', '2020-13-01'], /--date must be a date YYYY-MM-DD/],
      [['--weights', weights, '--latest-prices', t.write('noB.csv', 'asset,price\nA,10\n')], /1 name with a weight has no price: B/],
      // quotes whose second column is another field: the open read as the price, or the weights file given twice
      [
        ['--weights', weights, '--latest-prices', t.write('ohlc.csv', 'asset,open,close\nA,99,101\nB,50,52\n')],
        /ohlc\.csv:1, column "open": the prices of --latest-prices are read from the second column, which is open; the prices are in column 3, close/,
      ],
      [
        ['--weights', weights, '--latest-prices', weights],
        /weights\.csv:1, column "weight": the prices of --latest-prices are read from the second column, which is weight\n/,
      ],
      // the second column is read as the weight: prices there were weights of 30% and 20%, in silence
      [
        ['--weights', t.write('pw.csv', 'asset,price,weight\nA,0.3,0.5\nB,0.2,0.5\n'), '--prices', prices],
        /pw\.csv:1, column "price": the weights of --weights are read from the second column, which is price; the weights are in column 3, weight/,
      ],
      [
        ['--weights', t.write('orders.csv', 'asset;shares\nA;0.5\nB;0.25\n'), '--prices', prices],
        /orders\.csv:1, column "shares": the weights of --weights are read from the second column, which is shares\n/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli('allocate', ...args, '--capital', '10000', '--out', out);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    // three price dates old is within --max-age 3: bought at its last price
    const older = await cli(
      'allocate',
      '--weights',
      t.write('stale.csv', 'asset,weight\nA,0.5\nC,0.5\n'),
      '--prices',
      prices,
      '--max-age',
      '3',
      '--capital',
      '10000',
      '--json',
    );
    expect(older.code, older.err).toBe(0);
    expect((JSON.parse(older.out) as J).orders.find((o) => o.asset === 'C')?.price).toBe(20);
    // a one-day bad tick (A at 1/10 for a day, reversed the next) as the price: ten times the shares
    // (AVB on 2012-12-21 in the S&P file: 4,275 shares at 11.70 for 50,000, 500,000 at its real price)
    const ticked = t.write(
      'ticked.csv',
      'date,A,B\n2020-01-02,100,50\n2020-01-03,101,51\n2020-01-06,10.2,49.5\n2020-01-07,102,48.75\n2020-01-08,103,49\n',
    );
    const tickArgs = ['--weights', weights, '--prices', ticked, '--date', '2020-01-06', '--capital', '10000'];
    const bad = await cli('allocate', ...tickArgs, '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /ticked\.csv, asset A, date 2020-01-06: the price of 1 name with a weight is a one-day bad tick .*: A 10\.2 on 2020-01-06/,
    );
    expect(bad.err).toMatch(/add --clean to take the last good price before it/);
    expect(existsSync(out)).toBe(false);
    const cleaned = await cli('allocate', ...tickArgs, '--clean', '--json');
    expect(cleaned.code, cleaned.err).toBe(0);
    expect((JSON.parse(cleaned.out) as J).orders.map((o) => o.price)).toEqual([101, 49.5]);
    // the tick on another date than the price date does not matter
    const after = await cli('allocate', '--weights', weights, '--prices', ticked, '--capital', '10000', '--json');
    expect(after.code, after.err).toBe(0);
    expect((JSON.parse(after.out) as J).orders.map((o) => o.price)).toEqual([103, 49]);
    const zero = await cli('allocate', '--weights', weights, '--prices', prices, '--capital', '0');
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/--capital must be a number > 0/);
  });
});
