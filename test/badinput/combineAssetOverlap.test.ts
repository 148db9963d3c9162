/**
 * `factorlab combine` with factors whose assets only partly match: a name needs every factor's
 * value on a date, so the others have no composite. The output said "N dates x M assets" with M the
 * union of the files' assets, however few of them had a value; now a note counts the assets
 * without a composite and names what each factor lacks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir, weekdays } from './helpers.js';

const t = tempDir('combine-overlap');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 20);

function factor(name: string, assets: readonly string[], seed: number): string {
  const lines = days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * seed + j * 7) % 13) - 6}`));
  return t.write(name, `date,asset,value\n${lines.join('\n')}\n`);
}

describe('combine: factors covering different assets', () => {
  it('a note names the assets without a composite and the factor each lacks', async () => {
    const value = factor('value.csv', ['AAA', 'BBB', 'BRK.B', 'CCC', 'DDD'], 3);
    const quality = factor('quality.csv', ['AAA', 'BBB', 'BRK-B', 'CCC', 'DDD', 'EEE'], 5);
    const out = `${t.dir}/composite.csv`;
    const r = await cli('combine', '--factor', value, '--factor', quality, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      "assets: 3 of the 7 assets have no composite value on any date (a name needs every factor's value on a date): value has none for 2 (BRK-B, EEE); quality has none for 1 (BRK.B); asset names must match exactly across the files",
    );
    // the composite itself: values for the four common names only
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(new Set(rows.filter((c) => c[2] !== '').map((c) => c[1]))).toEqual(new Set(['AAA', 'BBB', 'CCC', 'DDD']));
  });

  it('no note when every asset has a composite', async () => {
    const a = factor('a.csv', ['AAA', 'BBB', 'CCC', 'DDD'], 3);
    const b = factor('b.csv', ['AAA', 'BBB', 'CCC', 'DDD'], 5);
    const r = await cli('combine', '--factor', a, '--factor', b, '--out', `${t.dir}/ab.csv`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/assets: /);
  });
});
