/**
 * `factorlab zoo` on inputs a user gets wrong: a horizon list with an empty entry or a horizon
 * twice (refused once, before anything is read), a folder or glob that takes in the zoo's own
 * price or group file (left out with a note, not tested as a factor), FILE#* on a wide file, and a
 * long file's factor column missing or unnamed (the hint in the zoo's words: FILE#col, not a flag
 * the zoo does not have).
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZooRow } from '../../../src/zoo/summary.js';
import { cli, zooFixture, type ZooFixture } from './fixtures.js';

let fx: ZooFixture;
let prices: string[];
beforeAll(async () => {
  fx = await zooFixture({ nAssets: 30, nDates: 120 });
  prices = ['--prices', fx.f('prices.csv'), '--threads', '1'];
}, 120_000);

const factorsOf = (out: string): string[] => [...new Set((JSON.parse(out) as ZooRow[]).map((r) => r.factor))];

describe('zoo: inputs a user gets wrong', () => {
  it('--horizons 1,,5: exit 2 naming the empty entry (a typo: 1,5? 1,15?); a trailing comma is fine; a horizon twice is refused once', async () => {
    for (const [h, message] of [
      ['1,,5', '--horizons 1,,5: entry 2 is empty (two commas in a row)'],
      [',1,5', '--horizons ,1,5: entry 1 is empty (a leading comma)'],
      ['1,5,,', '--horizons 1,5,,: entry 3 is empty (two commas in a row)'],
    ]) {
      const r = await cli('zoo', fx.f('signal.csv'), ...prices, '--horizons', h);
      expect(r.code, h).toBe(2);
      expect(r.err, h).toContain(message);
      expect(r.out, h).toBe('');
    }
    const trailing = await cli('zoo', fx.f('signal.csv'), ...prices, '--horizons', '1,5,', '--json');
    expect(trailing.code, trailing.err).toBe(0);
    expect((JSON.parse(trailing.out) as ZooRow[]).map((r) => r.horizon).sort()).toEqual([1, 5]);
    // each factor failed on it alone before (a table of failures, after the prices were read)
    const twice = await cli('zoo', fx.f('signal.csv'), fx.f('noise.csv'), ...prices, '--horizons', '1,5,5');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('horizon 5 is listed twice in --horizons');
    expect(twice.err).not.toMatch(/factors? failed/);
    expect(twice.out).toBe('');
  });

  it("a glob or folder over the zoo's own price and group files leaves them out with a note (the price level was tested as a factor)", async () => {
    const glob = await cli('zoo', fx.f('*.csv'), ...prices, '--groups', fx.f('sectors.csv'), '--horizons', '1,5', '--json');
    const tested = factorsOf(glob.out);
    expect(tested).not.toContain(fx.f('prices.csv'));
    expect(tested).not.toContain(fx.f('sectors.csv'));
    expect(tested).toContain(fx.f('signal.csv'));
    expect(glob.err).toContain(
      `${fx.f('*.csv')}: left out ${fx.f('prices.csv')}: it is --prices ${fx.f('prices.csv')}; to use it here anyway, name it`,
    );
    expect(glob.err).toContain(`left out ${fx.f('sectors.csv')}: it is --groups ${fx.f('sectors.csv')}`);
    const folder = await cli('zoo', fx.dir, ...prices, '--horizons', '1,5', '--json');
    expect(factorsOf(folder.out)).not.toContain(fx.f('prices.csv'));
    expect(folder.err).toContain(`${fx.dir}: left out ${fx.f('prices.csv')}: it is --prices`);
    // named, it is tested
    const named = await cli('zoo', fx.f('prices.csv'), ...prices, '--horizons', '1,5', '--json');
    expect(named.code, named.err).toBe(0);
    expect(factorsOf(named.out)).toEqual([fx.f('prices.csv')]);
    // a glob that matches only the prices
    const only = await cli('zoo', fx.f('pri*.csv'), ...prices, '--horizons', '1,5');
    expect(only.code).toBe(2);
    expect(only.err).toContain(`no factor file matches pri*.csv in ${fx.dir}: only the zoo's own input (${fx.f('prices.csv')})`);
  });

  it('FILE#* on a wide file says it takes a long file and how to give a wide one (not --asset-col)', async () => {
    const r = await cli('zoo', `${fx.f('prices.csv')}#*`, ...prices, '--horizons', '1,5');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'FILE#* takes the factor columns of a long file (date, asset, factor1, factor2, ...): long layout but no asset column found',
    );
    expect(r.err).toContain(`hint: a wide file (date, then a column per asset) holds one factor: give ${fx.f('prices.csv')} without #*`);
  });

  it("a long file's factor column unnamed or missing: the hint names FILE#col (the zoo has no --value-col)", async () => {
    const r = await cli(
      'zoo',
      fx.f('multi.csv'),
      `${fx.f('multi.csv')}#nope`,
      ...prices,
      '--horizons',
      '1,5',
      '--table',
      fx.f('cols.json'),
    );
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('--value-col');
    expect(r.err).toContain(
      `cannot tell which column holds the values: 2 numeric columns (sig2, noise); the columns are: date, asset, sig2, noise; hint: name the factor column after a #: ${fx.f('multi.csv')}#COL, or ${fx.f('multi.csv')}#* for every numeric column (each a factor)`,
    );
    expect(r.err).toContain(
      `no value column "nope"; the columns are: date, asset, sig2, noise; hint: name one of its columns after the #: ${fx.f('multi.csv')}#COL`,
    );
  });

  it("a factor that fails has no JSON in --results: an earlier run's JSON for it is removed, not left beside this run's table", async () => {
    copyFileSync(fx.f('noise.csv'), fx.f('changing.csv'));
    const args = [fx.f('signal.csv'), fx.f('changing.csv'), ...prices, '--horizons', '1,5', '--results', fx.f('res')];
    const first = await cli('zoo', ...args);
    expect(first.code, first.err).toBe(0);
    expect(existsSync(fx.f('res/changing.csv.json'))).toBe(true);
    writeFileSync(fx.f('changing.csv'), 'date,asset,value\n2020-01-02,A,abc\n');
    const second = await cli('zoo', ...args);
    expect(second.code).toBe(2);
    expect(second.err).toMatch(/changing\.csv.*not a number/);
    expect(existsSync(fx.f('res/changing.csv.json'))).toBe(false);
    expect(existsSync(fx.f('res/signal.csv.json'))).toBe(true);
    expect(second.out).toContain('(one analyze JSON per factor that ran; a failed factor has none)');
  });
});
