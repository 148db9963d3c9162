/**
 * `factorlab backtest` with more --quantiles than tradable names: each quantile holds one name or
 * none, which used to pass without a word (the holdings line said "1 on average").
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-quantiles');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 60);
const assets = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const lines = days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 7 + j * 13) % 31) + 1}`));
const factor = t.write('factor.csv', `date,asset,value\n${lines.join('\n')}\n`);

describe('backtest --quantiles above the tradable names', () => {
  for (const rule of ['top-quantile', 'long-short']) {
    it(`--rule ${rule} --quantiles 20 on 10 names: a warning naming the flag and the rebalances; --quantiles 5 none`, async () => {
      const r = await cli('backtest', '--prices', prices, '--factor', factor, '--rule', rule, '--quantiles', '20');
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(
        /warning: --quantiles 20 is more than the tradable names with a factor value on (\d+) of \1 rebalances \(at most 10 there\): each quantile held one name or none on them/,
      );
      const ok = await cli('backtest', '--prices', prices, '--factor', factor, '--rule', rule, '--quantiles', '5');
      expect(ok.code, ok.err).toBe(0);
      expect(ok.err).not.toMatch(/--quantiles 5 is more than/);
    });
  }
});
