/**
 * `factorlab backtest` runs whose NAV would reach zero or below: costs of one row at or above the
 * NAV (a cost in percent given as basis points, a minimum cost per name near the capital), and a
 * long-short book whose short side more than doubles. Before, the NAV went negative (a total return
 * of -100.10%), later costs were max(bps·|Δw|·NAV, 0) = 0, and weights flipped or blew up; now exit
 * 2 naming the date and what to change, with nothing written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-navgone');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 30);
const assets = ['A', 'B', 'C', 'D'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
// the ranking reverses every day: a daily top-2 book turns over 2 a day
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${i % 2 === 0 ? j : 3 - j}`)).join('\n')}\n`,
);

describe('backtest: a NAV that would reach zero', () => {
  it('--cost-bps 6000 on a full rotation: 120% of the NAV, refused with the date', async () => {
    const out = `${t.dir}/nav.csv`;
    const r = await cli(
      'backtest',
      '--prices',
      prices,
      '--factor',
      factor,
      '--top',
      '2',
      '--schedule',
      'daily',
      '--cost-bps',
      '6000',
      '--nav-out',
      out,
    );
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(
      /date 2020-01-08: the costs of the trades on 2020-01-08 are 120\.0% of the NAV \(turnover 2\.000, costBps \(--cost-bps\) 6000\): they take the whole book/,
    );
    expect(r.err).toMatch(/hint: costs are basis points of the traded value \(10 = 0\.1%\)/);
    expect(t.files()).not.toContain('nav.csv');
  });

  it('--min-cost above what the capital can pay', async () => {
    const r = await cli('backtest', '--prices', prices, '--factor', factor, '--top', '2', '--min-cost', '600', '--capital', '1000');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/are 120\.0% of the NAV .*minCost \(--min-cost\) 600 a name on a NAV of 1000\): they take the whole book/);
    expect(r.err).toMatch(/hint: the minimum cost per traded name is too large for the capital/);
  });

  it('long-short: a short name that triples in a day takes the whole NAV', async () => {
    // D ranks last (short) every day and triples on 2020-01-15
    const lines = pricesCsv(days, assets).trimEnd().split('\n');
    const k = days.indexOf('2020-01-15');
    for (let i = k + 1; i < lines.length; i++) {
      const cells = lines[i].split(',');
      cells[4] = String(Number(cells[4]) * 3);
      lines[i] = cells.join(',');
    }
    const squeeze = t.write('squeeze.csv', `${lines.join('\n')}\n`);
    const ranked = t.write(
      'ranked.csv',
      `date,asset,value\n${days.flatMap((d) => assets.map((a, j) => `${d},${a},${4 - j}`)).join('\n')}\n`,
    );
    const r = await cli('backtest', '--prices', squeeze, '--factor', ranked, '--rule', 'long-short', '--quantiles', '4');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(
      /asset D, date 2020-01-15: the book's return on 2020-01-15 is -19\d\.\d%: it lost its whole NAV \(most in D, held at -100\.\d% of the NAV, which moved 19\d\.\d%\)/,
    );
  });
});
