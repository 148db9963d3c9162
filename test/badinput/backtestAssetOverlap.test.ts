/**
 * `factorlab backtest` with a factor whose assets only partly match the prices' (a ticker spelt
 * another way, a file of another universe): the run goes on, and notes name the factor's assets that
 * are not in the prices (their values were dropped in silence) and the price assets that never have
 * a factor value (never held).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-overlap');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 40);
const prices = t.write('prices.csv', pricesCsv(days, ['AAA', 'BBB', 'BRK-B', 'CCC', 'DDD', 'EEE']));
// BRK.B is the prices' BRK-B spelt another way; EEE has no row
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => ['AAA', 'BBB', 'BRK.B', 'CCC', 'DDD'].map((a, j) => `${d},${a},${((i * 7 + j * 5) % 11) + 1}`)).join('\n')}\n`,
);

describe('backtest: a factor whose assets only partly match the prices', () => {
  it('notes the factor assets not in the prices and the price assets without a factor value', async () => {
    const r = await cli('backtest', '--prices', prices, '--factor', factor, '--top', '2', '--json');
    expect(r.code, r.err).toBe(0);
    const notes = (JSON.parse(r.out) as { notes: string[] }).notes;
    expect(notes).toContain(
      `signal: 1 of the 5 assets of ${factor} is not in --prices (BRK.B): its values are never used (the names differ in punctuation (BRK.B in ${factor}, BRK-B in --prices; 1 name would match): vendors write share classes differently (BRK.B, BRK-B, BRK/B); write them the same way in both files)`,
    );
    expect(notes).toContain(`signal: 2 of the 6 price assets have no value in ${factor} on any date (BRK-B, EEE): never held by the rule`);
    const text = await cli('backtest', '--prices', prices, '--factor', factor, '--top', '2');
    expect(text.out).toMatch(/signal: 1 of the 5 assets of .*factor\.csv is not in --prices \(BRK\.B\)/);
  });

  it('no such note when the assets match', async () => {
    const same = t.write(
      'same.csv',
      `date,asset,value\n${days.flatMap((d, i) => ['AAA', 'BBB', 'BRK-B', 'CCC', 'DDD', 'EEE'].map((a, j) => `${d},${a},${((i * 7 + j * 5) % 11) + 1}`)).join('\n')}\n`,
    );
    const r = await cli('backtest', '--prices', prices, '--factor', same, '--top', '2', '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { notes: string[] }).notes.filter((n) => /price assets|not in --prices/.test(n))).toEqual([]);
  });
});
