/**
 * `combine --method icir` with a factor whose IC is the same on every date (a factor computed from
 * the returns it predicts): its IC_IR is undefined in every window, so the composite is empty. The
 * message names the factor and the cause; it said "no formation date had 12 earlier dates of
 * realised IC", beside a count of 100 dates with an IC for each factor.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

describe('combine --method icir: a factor whose IC never varies', () => {
  const t = tempDir('combine-constant-ic');
  afterAll(() => t.remove());
  const days = weekdays('2019-01-01', 120);
  const assets = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
  const csv = pricesCsv(days, assets, 3);
  const prices = t.write('prices.csv', csv);
  const rows = csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  // the 1-row forward return from the execution row (the next one): its rank IC is 1 on every date
  const peek = ['date,asset,value'];
  const other = ['date,asset,value'];
  for (let r = 0; r + 2 < rows.length; r++)
    assets.forEach((a, j) => {
      peek.push(`${rows[r][0]},${a},${Number(rows[r + 2][j + 1]) / Number(rows[r + 1][j + 1]) - 1}`);
      other.push(`${rows[r][0]},${a},${((r * 7 + j * 13) % 11) / 11}`);
    });
  const peekFile = t.write('peek.csv', `${peek.join('\n')}\n`);
  const otherFile = t.write('other.csv', `${other.join('\n')}\n`);

  it('exit 2 naming the factor, its IC and why the IC_IR is undefined, with the likely cause', async () => {
    const out = join(t.dir, 'composite.csv');
    const args = ['combine', '--factor', peekFile, '--factor', otherFile, '--prices', prices, '--window', '12', '--horizon', '1'];
    const r = await cli(...args, '--method', 'icir', '--execution-lag', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /the IC of peek \(1\) is the same on every date, so its standard deviation is 0 and its IC_IR \(mean \/ std\) is undefined/,
    );
    expect(r.err).toMatch(/look-ahead/);
    expect(r.err).not.toMatch(/earlier dates of realised IC/);
  });
});
