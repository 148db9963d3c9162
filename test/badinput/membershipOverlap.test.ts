/**
 * `backtest --membership`: two spells of one ticker that overlap, or a repeated line, exit 2 naming
 * the file, the ticker and both lines (the universe took their union without a word); a ticker that
 * left and re-joined (disjoint spells, as 48 tickers of the S&P 500 file have) or spells that touch
 * run as before. No output is left behind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('membership-overlap');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 60);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 7 + j * 13) % 17) + 1}`)).join('\n')}\n`,
);
const base = ['backtest', '--prices', prices, '--factor', factor, '--top', '2'];
const others = ['B,2020-01-01,', 'C,2020-01-01,', 'D,2020-01-01,', 'E,2020-01-01,', 'F,2020-01-01,'];

describe('backtest --membership: one ticker, several lines', () => {
  it('overlapping spells: exit 2 naming the ticker and both lines, and no --out', async () => {
    const file = t.write(
      'members-overlap.csv',
      ['ticker,start,end', 'A,2020-01-01,2020-02-15', ...others, 'A,2020-02-01,'].join('\n') + '\n',
    );
    const out = join(t.dir, 'overlap.json');
    const r = await cli(...base, '--membership', file, '--out', out);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(
      'members-overlap.csv:8, asset A: ticker A has overlapping membership intervals: line 2 (2020-01-01 .. 2020-02-15) and line 8 (2020-02-01 .. (no end))',
    );
    expect(r.err).toMatch(/hint: correct the dates, or merge the two lines into one \(the earlier start, the later end\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('a repeated line: exit 2 naming both lines', async () => {
    const file = t.write('members-twice.csv', ['ticker,start,end', 'A,2020-01-01,', ...others, 'A,2020-01-01,'].join('\n') + '\n');
    const r = await cli(...base, '--membership', file);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(
      'members-twice.csv:8, asset A: ticker A has the same membership interval (2020-01-01 .. (no end)) on lines 2 and 8',
    );
    expect(r.err).toMatch(/hint: drop one of the two lines/);
  });

  it('left and re-joined (disjoint spells), and touching spells, run', async () => {
    const file = t.write(
      'members-spells.csv',
      ['ticker,start,end', 'A,2020-01-01,2020-02-03', 'A,2020-02-17,', 'B,2020-01-01,2020-02-03', 'B,2020-02-03,', ...others.slice(1)].join(
        '\n',
      ) + '\n',
    );
    const r = await cli(...base, '--membership', file, '--json');
    expect(r.code, r.err).toBe(0);
  });
});
