/**
 * `factorlab backtest --benchmark` given a file of returns, not levels: refused saying the values
 * look like returns and how to give the benchmark (backtest's benchmark takes levels), as the
 * --prices path says of a prices file of returns.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-benchmark-returns');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 60);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 7 + j * 13) % 17) + 1}`)).join('\n')}\n`,
);
const base = ['backtest', '--prices', prices, '--factor', factor];
const HINT =
  /\n {2}hint: --benchmark takes levels \(an index or one asset's close prices\), not returns: compound the returns into a level series first \(a cumulative product of 1 \+ r, from 1\), or use --benchmark equal/;

describe('backtest: a --benchmark file of returns', () => {
  it('signed returns: the first one below 0 is named as a return, not a level', async () => {
    const r0 = rng(11);
    const signed = t.write('bench-returns.csv', `date,SPX\n${days.map((d) => `${d},${(r0() / 50).toFixed(4)}`).join('\n')}\n`);
    const r = await cli(...base, '--benchmark', signed);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /bench-returns\.csv:\d+, column "SPX", asset SPX, date 2020-01-\d\d: the benchmark's price is zero or negative: -0\.\d+ looks like a return, not a level \(value: "-0\.\d+"\)/,
    );
    expect(r.err).toMatch(HINT);
  });

  it('all-positive returns: they do not move like levels', async () => {
    const r0 = rng(12);
    const positive = t.write(
      'bench-positive.csv',
      `date,SPX\n${days.map((d) => `${d},${(0.001 + 0.02 * (r0() + 0.5)).toFixed(4)}`).join('\n')}\n`,
    );
    const r = await cli(...base, '--benchmark', positive);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/bench-positive\.csv: the values of --benchmark do not move like levels \(the median daily change/);
    expect(r.err).toMatch(HINT);
  });

  it('a benchmark of levels still runs', async () => {
    const levels = t.write('bench-levels.csv', pricesCsv(days, ['SPX'], 9));
    const r = await cli(...base, '--benchmark', levels);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/vs benchmark {2}tracking error/);
  });
});
