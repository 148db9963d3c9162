/** Class 10: --clean cleans every bad tick whatever --max-findings lists; hints name CLI flags. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir, weekdays } from './helpers.js';

const t = tempDir('inspect');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 60);
// 14 assets, each with one bad tick (a day at 1/10 of the price, reverting the next day)
const assets = Array.from({ length: 14 }, (_, j) => `S${j}`);
const prices = t.write(
  'ticks.csv',
  `date,${assets.join(',')}\n${days.map((d, i) => `${d},${assets.map((_, j) => (i === 10 + j * 3 ? 10 : 100 + (i % 3))).join(',')}`).join('\n')}\n`,
);

describe('inspect --clean', () => {
  it('14 bad ticks with --max-findings 10: all cleaned, 10 listed', async () => {
    const out = join(t.dir, 'clean.csv');
    const r = await cli('inspect', prices, '--clean', '--max-findings', '10', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/14 bad ticks/);
    expect(r.out).toMatch(/cleaned\s+14 bad-tick cells set to missing/);
    expect(r.out.match(/bad-tick: S\d+ /g)).toHaveLength(10);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/,10(,|\n|$)/);
  });

  it('--max-findings 0 still cleans, --json reports the exact count', async () => {
    const r = await cli('inspect', prices, '--clean', '--max-findings', '0', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { cleaned: { cells: number }; quality: { counts: Record<string, number>; truncated: boolean } };
    expect(j.cleaned.cells).toBe(14);
    expect(j.quality.counts['bad-tick']).toBe(14);
    expect(j.quality.truncated).toBe(true);
  });

  it('analyze --clean on the same prices cleans them all too', async () => {
    const f = t.write(
      'factor.csv',
      `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${(i * 7 + j * 13) % 17}`)).join('\n')}\n`,
    );
    const r = await cli('analyze', '--factor', f, '--prices', prices, '--clean', '--horizons', '1', '--json', '--max-loss', '1');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { inputs: { prices: { cleaned: number } } };
    expect(j.inputs.prices.cleaned).toBe(14);
  });

  it('a library hint reaches the CLI user with the CLI flag, not the option name', async () => {
    const f = t.write(
      'sparse.csv',
      `date,asset,value\n${days
        .slice(0, 40)
        .flatMap((d, i) => assets.slice(0, 4).map((a, j) => `${d},${a},${i + j}`))
        .join('\n')}\n`,
    );
    const r = await cli('analyze', '--factor', f, '--prices', prices, '--horizons', '30', '--max-loss', '0.01');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/more than --max-loss/);
    expect(r.err).toMatch(/raise --max-loss/);
    expect(r.err).not.toMatch(/maxLoss/);
  });
});
