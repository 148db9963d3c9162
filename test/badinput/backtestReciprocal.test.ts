/**
 * `factorlab backtest --reciprocal` on a signed factor: 1/x is monotone only on each side of 0, so it
 * ranks the values nearest 0 first (small positive at the top, small negative at the bottom), not
 * the factor reversed. Before, momentum and z-scores ran with it in silence; now momentum is refused
 * (exit 2) and a factor file with a quarter or more of its values below 0 gets a warning. Positive
 * ratios (P/E: the flag's purpose) run as before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-reciprocal');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 40);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const file = (name: string, value: (i: number, j: number) => number): string =>
  t.write(name, `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${value(i, j)}`)).join('\n')}\n`);

describe('backtest --reciprocal on a signed factor', () => {
  it('momentum: refused, pointing to --lower-is-better', async () => {
    const r = await cli('backtest', '--prices', prices, '--factor', 'momentum:10,1', '--reciprocal', '--top', '2');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/--reciprocal ranks by 1\/factor, for a positive ratio such as P\/E; --factor momentum:10,1 is a signed return/);
    expect(r.err).toMatch(/hint: --lower-is-better ranks the lowest momentum first/);
  });

  it('a z-score file (half its values below 0): a warning; a P/E file (positive): none', async () => {
    const z = file('z.csv', (i, j) => ((i * 7 + j * 5) % 11) - 5 + 0.5);
    const r = await cli('backtest', '--prices', prices, '--factor', z, '--reciprocal', '--top', '2', '--json');
    expect(r.code, r.err).toBe(0);
    const w =
      /--reciprocal ranks by 1\/factor, and 45\.4% of the values of .*z\.csv are below 0 \(a signed factor: a z-score, a return\): 1\/x ranks the values nearest 0 first/;
    expect(r.err).toMatch(w);
    expect((JSON.parse(r.out) as { notes: string[] }).notes.some((n) => w.test(n))).toBe(true);
    const pe = file('pe.csv', (i, j) => 5 + ((i * 7 + j * 5) % 11));
    const ok = await cli('backtest', '--prices', prices, '--factor', pe, '--reciprocal', '--top', '2', '--json');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.err).not.toMatch(/reciprocal/);
  });
});
