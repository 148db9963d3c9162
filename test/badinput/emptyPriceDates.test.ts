/**
 * A wide price file with a row for each weekday, empty on the market's holidays (pandas
 * `prices.reindex(pd.bdate_range(...))`, a spreadsheet's blank row): the rows are dropped with a
 * note, so the numbers are those of the same file without them. Before, every asset's return into
 * and out of each such row was missing: the move across the holiday was lost for all of them (in
 * analyze, exposures, the backtest and the zoo alike), counted only as "no forward return".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('emptydates');
afterAll(() => t.remove());

const all = weekdays('2019-01-01', 300);
const holidays = new Set(['2019-01-21', '2019-05-27', '2019-07-04', '2019-09-02']);
const sessions = all.filter((d) => !holidays.has(d));
const assets = Array.from({ length: 12 }, (_, j) => `S${String(j).padStart(2, '0')}`);
const plain = pricesCsv(sessions, assets, 7);
const lines = plain.trimEnd().split('\n');
const byDate = new Map(lines.slice(1).map((l) => [l.slice(0, 10), l]));
const withHolidays = [lines[0], ...all.map((d) => byDate.get(d) ?? `${d}${','.repeat(assets.length)}`)].join('\n') + '\n';
const sessionsFile = t.write('sessions.csv', plain);
const holidaysFile = t.write('weekdays.csv', withHolidays);
const r = rng(11);
const signal = t.write(
  'signal.csv',
  [`date,${assets.join(',')}`, ...sessions.map((d) => `${d},${assets.map(() => r().toFixed(5)).join(',')}`)].join('\n') + '\n',
);
const factors = t.write('factors.csv', factorsCsv(sessions));
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(t.dir, name), 'utf8')) as Record<string, unknown>;

describe('price rows with no price for any asset', () => {
  it('analyze: dropped with a note naming them; every statistic is that of the file without them', async () => {
    const a = await cli('analyze', '--prices', holidaysFile, '--factor', signal, '--horizons', '1,5', '--out', join(t.dir, 'a.json'));
    const b = await cli('analyze', '--prices', sessionsFile, '--factor', signal, '--horizons', '1,5', '--out', join(t.dir, 'b.json'));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(a.out).toContain(
      'prices: 4 dates with no price for any asset dropped (2019-01-21, 2019-05-27, 2019-07-04, ...): rows for a day the market was closed',
    );
    const ja = read('a.json'),
      jb = read('b.json');
    for (const key of ['ic', 'quantiles', 'regression', 'turnover', 'dataLoss'])
      expect(JSON.stringify(ja[key]), key).toBe(JSON.stringify(jb[key]));
  });

  it('exposures and backtest: the same fits and the same NAV as without the rows', async () => {
    const e1 = await cli('exposures', '--prices', holidaysFile, '--factors', factors, '--json');
    const e2 = await cli('exposures', '--prices', sessionsFile, '--factors', factors, '--json');
    expect(e1.code, e1.err).toBe(0);
    const fits = (o: string): unknown => (JSON.parse(o) as { assets: unknown }).assets;
    expect(fits(e1.out)).toEqual(fits(e2.out));
    const b1 = await cli('backtest', '--prices', holidaysFile, '--factor', signal, '--top', '3', '--nav-out', join(t.dir, 'n1.csv'));
    const b2 = await cli('backtest', '--prices', sessionsFile, '--factor', signal, '--top', '3', '--nav-out', join(t.dir, 'n2.csv'));
    expect(b1.code, b1.err).toBe(0);
    expect(b2.code, b2.err).toBe(0);
    expect(b1.out).toContain('prices: 4 dates with no price for any asset dropped');
    expect(readFileSync(join(t.dir, 'n1.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 'n2.csv'), 'utf8'));
  });
});
