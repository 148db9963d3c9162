/** Class 5: a command that computes nothing exits 2 naming the real cause. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('nothing');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D']));
const factors = t.write('factors.csv', factorsCsv(days));
const constant = t.write(
  'constant.csv',
  `date,mkt_rf,smb,rf\n${days.map((d, i) => `${d},${(0.01 * Math.sin(i)).toFixed(5)},0.001,0.0001`).join('\n')}\n`,
);
const long = (name: string, assets: string[], dates: string[], f: (i: number, j: number) => number): string =>
  t.write(name, `date,asset,value\n${dates.flatMap((d, i) => assets.map((a, j) => `${d},${a},${f(i, j)}`)).join('\n')}\n`);

describe('nothing computed', () => {
  it('exposures: every asset skipped for --min-obs exits 2 with the reason', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', factors, '--min-obs', '1000');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no asset could be fitted: 4 skipped: 4 too few observations, fewer than the minimum 1000/);
    expect(r.err).toMatch(/lower --min-obs/);
  });

  it('rolling: a window smaller than the coefficients exits 2 before fitting', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', 'equal', '--window', '2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--window 2 is smaller than the 4 observations each regression needs \(3 coefficients \+ 1\)/);
  });

  it('rolling: a window longer than the common dates exits 2 (not a table of NaN)', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', 'equal', '--window', '500');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--window 500 is longer than the 300 dates the returns and factors share: no window is ever full/);
  });

  it('rolling: a constant factor column exits 2 naming it and --factor-cols', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', constant, '--weights', 'equal', '--window', '60');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/column "smb": factor column smb is constant/);
    expect(r.err).toMatch(/--factor-cols/);
  });

  it('rolling: all-zero weights, and weights of assets without returns, exit 2', async () => {
    const zero = long('zero.csv', ['A', 'B'], days, () => 0);
    const a = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', zero, '--window', '60');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/every weight is zero or missing/);
    const other = long('other.csv', ['X', 'Y'], days, () => 0.5);
    const b = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', other, '--window', '60');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/no asset of the weights \(X, Y\) has returns \(A, B, C, \.\.\.\)/);
  });

  it('rolling: weights that go stale before the first full window say so and name --weights-max-age', async () => {
    // one weights date: held one year (252 rows) by default, and the 260-row window ends after that
    const single = t.write('single.csv', `date,A,B,C,D\n${days[0]},0.25,0.25,0.25,0.25\n`);
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', single, '--window', '260');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /single\.csv: no date has an exposure: .* window ending on a date with weights \(weights on \d+ of 300 return dates, 2018-01-01 \.\. /,
    );
    expect(r.err).toMatch(/hint: the weights are stale or missing on most dates: hold them longer \(--weights-max-age/);
    const held = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      single,
      '--window',
      '260',
      '--weights-max-age',
      '400',
    );
    expect(held.code).toBe(0);
  });

  it('combine: factors with no common asset exit 2 and write nothing', async () => {
    const f1 = long('f1.csv', ['A', 'B', 'C'], days.slice(0, 20), (i, j) => i + j);
    const f2 = long('f2.csv', ['X', 'Y', 'Z'], days.slice(0, 20), (i, j) => i - j);
    const out = `${t.dir}/composite.csv`;
    const r = await cli('combine', '--factor', f1, '--factor', f2, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/factors f1 \(A, B, C, \.\.\.\) and f2 \(X, Y, Z, \.\.\.\) have no asset in common/);
    const p = await cli(
      'combine',
      '--factor',
      f1,
      '--factor',
      f1.replace('f1', 'f1'),
      '--name',
      'a,b',
      '--prices',
      t.write('pz.csv', pricesCsv(days, ['P', 'Q'])),
      '--method',
      'ic',
      '--out',
      out,
    );
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/no factor asset \(A, B, C, \.\.\.\) is among the price assets \(P, Q, \.\.\.\)/);
    const h = await cli(
      'combine',
      '--factor',
      f1,
      '--factor',
      f1,
      '--name',
      'a,b',
      '--prices',
      prices,
      '--method',
      'ic',
      '--horizon',
      '5000',
      '--out',
      out,
    );
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/--horizon 5000 is not shorter than the \d+ price dates/);
    expect(h.err).not.toMatch(/--window/);
    expect(t.files()).not.toContain('composite.csv');
  });

  it('analyze: one formation date exits 2 (not an internal error)', async () => {
    const one = long('one.csv', ['A', 'B', 'C', 'D'], days.slice(10, 11), (_, j) => j);
    const r = await cli('analyze', '--factor', one, '--prices', prices);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/only one factor date .* IC statistics need at least 2 formation dates/);
  });

  it('analyze: factor assets absent from the prices exit 2 naming both, even with --max-loss 1', async () => {
    const other = long('otherfactor.csv', ['W', 'X', 'Y', 'Z'], days.slice(0, 50), (i, j) => (i * 5 + j * 3) % 7);
    for (const more of [[], ['--max-loss', '1']]) {
      const r = await cli('analyze', '--factor', other, '--prices', prices, ...more);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/no asset of --factor .*otherfactor\.csv \(W, X, Y, \.\.\.\) is in --prices .*prices\.csv \(A, B, C, \.\.\.\)/);
      expect(r.out).toBe('');
    }
  });

  it('analyze: every date below --min-assets with --max-loss 1 exits 2 naming the stages', async () => {
    const f = long('two.csv', ['A', 'B'], days.slice(0, 50), (i, j) => i + j);
    const r = await cli('analyze', '--factor', f, '--prices', prices, '--max-loss', '1', '--min-assets', '3');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no formation date is left to test: below-min-assets 100\n {2}hint: fewer --min-assets/);
  });
});

describe('rolling --report with weights that go stale before the end', () => {
  it("reports the book of the last date with weights held, not stale weights as today's, and says so", async () => {
    // monthly weights over the first 100 rows only: held at most 32 rows each (the default), so the
    // series has no weights after about row 130 of 300
    const monthly = days.filter((_, i) => i < 100 && i % 21 === 0);
    const w = t.write('early.csv', `date,A,B,C,D\n${monthly.map((d) => `${d},0.4,0.3,0.2,0.1`).join('\n')}\n`);
    const html = join(t.dir, 'stale.html');
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', w, '--window', '40', '--report', html);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(html, 'utf8');
    const m =
      /report date (\d{4}-\d{2}-\d{2}): the last date with weights held; after it the weights are stale \(older than --weights-max-age\) up to the fit's last date (\d{4}-\d{2}-\d{2})/.exec(
        text,
      );
    expect(m).not.toBeNull();
    expect(m?.[2]).toBe(days[days.length - 1]);
    // the last monthly weights date plus 32 rows of the returns calendar
    expect(m?.[1]).toBe(days[days.indexOf(monthly[monthly.length - 1]) + 32]);
  });
});
