/** Out-of-range and inconsistent flags are refused with the valid range (exit 2), before any work. */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('flags');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 120);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D', 'E']));
const factors = t.write('factors.csv', factorsCsv(days));
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => ['A', 'B', 'C', 'D', 'E'].map((a, j) => `${d},${a},${(i * 3 + j * 7) % 11}`)).join('\n')}\n`,
);
const groups = t.write('groups.csv', 'asset,group\nA,x\nB,x\nC,y\nD,y\nE,y\n');

const analyze = (...more: string[]) => cli('analyze', '--factor', factor, '--prices', prices, '--horizons', '1', ...more);

describe('flag ranges', () => {
  const cases: [string, string[], RegExp][] = [
    ['--quantiles 1', ['--quantiles', '1'], /--quantiles must be a whole number >= 2/],
    ['--min-assets 1', ['--min-assets', '1'], /--min-assets must be a whole number >= 2/],
    ['--ic-threshold 2', ['--ic-threshold', '2'], /--ic-threshold must be a number in \[0, 1\)/],
    ['--horizons 0', ['--horizons', '0'], /--horizons takes positive whole numbers/],
    ['--max-loss 1.5', ['--max-loss', '1.5'], /--max-loss must be a share between 0 and 1/],
    ['--controls without --groups', ['--controls'], /--controls needs --groups/],
    ['--by-group without --groups', ['--by-group'], /--by-group needs --groups/],
    ['--zero-aware with the default 5 quantiles', ['--zero-aware'], /--zero-aware splits the labels evenly .* --quantiles 5 is odd/],
    ['--zero-aware --bins 3', ['--zero-aware', '--bins', '3'], /--bins 3 is odd/],
  ];
  for (const [name, args, message] of cases) {
    it(`analyze ${name}: exit 2 with the valid range`, async () => {
      const r = await analyze(...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    });
  }

  it('analyze --zero-aware --quantiles 2: the negative values are quantile 1, the others 2', async () => {
    const signed = t.write(
      'signed.csv',
      `date,asset,value\n${days.flatMap((d, i) => ['A', 'B', 'C', 'D', 'E'].map((a, j) => `${d},${a},${((i * 3 + j * 7) % 11) - 4}`)).join('\n')}\n`,
    );
    const r = await cli('analyze', '--factor', signed, '--prices', prices, '--horizons', '1', '--zero-aware', '--quantiles', '2', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { binning: unknown; quantiles: Record<string, { quantiles: number }> };
    expect(j.binning).toEqual({ quantiles: 2, zeroAware: true });
    expect(j.quantiles['1'].quantiles).toBe(2);
  });

  it('a group named NA (what R writes for a missing value) is read as a group, with a warning saying how to mean none', async () => {
    const na = t.write('groups_na.csv', 'asset,group\nA,x\nB,NA\nC,y\nD,NA\nE,y\n');
    const r = await analyze('--groups', na);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /warning: .*groups_na\.csv: 2 assets are in a group named "NA", a spelling R and pandas use for a missing value; if they have no group, leave the group cell empty/,
    );
    const plain = await analyze('--groups', groups);
    expect(plain.out).not.toMatch(/warning/);
  });

  it('analyze --controls with --groups runs', async () => {
    const r = await analyze('--controls', '--groups', groups, '--quantiles', '2', '--max-loss', '1');
    expect(r.code, r.err).toBe(0);
  });

  it('analyze --weights with a negative weight: exit 2 naming file, asset and date', async () => {
    const w = t.write(
      'weights.csv',
      `date,asset,weight\n${days
        .slice(0, 3)
        .flatMap((d) => ['A', 'B', 'C', 'D', 'E'].map((a) => `${d},${a},${a === 'C' && d === days[1] ? -5 : 10}`))
        .join('\n')}\n`,
    );
    const r = await analyze('--weights', w);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`weights\\.csv, asset C, date ${days[1]}: negative weight -5`));
  });

  const model: [string, string[], RegExp][] = [
    ['--newey-west -1', ['--newey-west', '-1'], /--newey-west must be a positive whole number/],
    ['--min-obs 0', ['--min-obs', '0'], /--min-obs must be a positive whole number/],
    ['--l1 -1', ['--l1', '-1'], /--l1 must be a number >= 0/],
    ['--start not a date', ['--start', '2018-13-01'], /--start must be a date YYYY-MM-DD[\s\S]*hint: e.g. --start 2019-12-31/],
  ];
  for (const [name, args, message] of model) {
    it(`exposures ${name}: exit 2`, async () => {
      const r = await cli('exposures', '--prices', prices, '--factors', factors, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    });
  }

  it('rolling --min-obs not above the coefficients: exit 2', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', 'equal', '--window', '30', '--min-obs', '3');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--min-obs 3 leaves nothing to estimate the error from with 3 coefficients/);
  });

  it('nothing is left behind', () => {
    expect(t.files()).toEqual(['factor.csv', 'factors.csv', 'groups.csv', 'groups_na.csv', 'prices.csv', 'signed.csv', 'weights.csv']);
  });
});
