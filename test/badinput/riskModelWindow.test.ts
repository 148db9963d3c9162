/**
 * The risk model's fit window holds only dates with returns. Returns computed from prices have
 * none on the first price date; the window (and F, the factor covariance estimated over it) used
 * to start there, so F held one factor return that no regression used, and `optimize --prices`
 * disagreed with `optimize --returns` of the same returns (and with pandas' covariance over the
 * regression sample) by ~2e-4 of the volatility on the demo. `replicate` the same.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('riskwindow');
afterAll(() => t.remove());

const dates = weekdays('2021-01-04', 160);
const assets = Array.from({ length: 12 }, (_, i) => `A${i}`);
const pricesText = pricesCsv(dates, assets, 5);
const prices = t.write('prices.csv', pricesText);
const factors = t.write('factors.csv', factorsCsv(dates, 9));
// the same returns, p_t / p_{t-1} - 1 (the operation the CLI runs), written to round-trip exactly
const returns = t.write(
  'returns.csv',
  (() => {
    const rows = pricesText
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const out = [`date,${assets.join(',')}`];
    for (let i = 1; i < rows.length; i++)
      out.push(
        `${rows[i][0]},${rows[i]
          .slice(1)
          .map((x, j) => String(Number(x) / Number(rows[i - 1][j + 1]) - 1))
          .join(',')}`,
      );
    return `${out.join('\n')}\n`;
  })(),
);

describe('the risk model fit window', () => {
  it('optimize --prices fits from the first return date, the same weights and risk as --returns of those returns', async () => {
    const args = ['--factors', factors, '--covariance', 'sample', '--max-weight', '0.2', '--json'];
    const a = await cli('optimize', '--prices', prices, ...args);
    const b = await cli('optimize', '--returns', returns, ...args);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const ja = JSON.parse(a.out) as { holdings: unknown; risk: unknown; notes: string[] };
    const jb = JSON.parse(b.out) as { holdings: unknown; risk: unknown; notes: string[] };
    expect(ja.holdings).toEqual(jb.holdings);
    expect(ja.risk).toEqual(jb.risk);
    expect(ja.notes.join('\n')).toContain(`fitted ${dates[1]} .. ${dates[dates.length - 1]}; F sample on ${dates.length - 1} dates`);
  });

  it('a --start on the first price date (no returns yet) starts the window on the next', async () => {
    const a = await cli('optimize', '--prices', prices, '--factors', factors, '--start', dates[0], '--json');
    expect(a.code, a.err).toBe(0);
    expect((JSON.parse(a.out) as { notes: string[] }).notes.join('\n')).toContain(`fitted ${dates[1]} ..`);
  });

  it('replicate --prices: the same basket as --returns of those returns', async () => {
    const args = ['--factors', factors, '--target-weights', 'equal', '--max-names', '5', '--fit-end', dates[120], '--json'];
    const a = await cli('replicate', '--prices', prices, ...args);
    const b = await cli('replicate', '--returns', returns, ...args);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const strip = (s: string): unknown => {
      const j = JSON.parse(s) as Record<string, unknown>;
      delete j.notes;
      delete j.solver;
      return j;
    };
    expect(strip(a.out)).toEqual(strip(b.out));
  });
});
