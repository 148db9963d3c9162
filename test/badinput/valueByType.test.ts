/**
 * A long file whose value column has no known name is read by the one numeric column left. DuckDB
 * types a column of numbers as text for one cell it cannot read (`NA`, `#DIV/0!`, `+5`, `0005`),
 * so that column dropped out of the choice: beside a `volume` column, the volume was taken as the
 * factor without a word (the same file without the bad cell is refused as ambiguous); alone, the
 * run stopped on "no numeric column besides the date and asset", naming no cell. Such a column now
 * counts as numeric: two candidates are refused by name, one is read (missing spellings missing,
 * `+5` as 5) and a cell that is no number is named with its line, asset and date.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const t = tempDir('valuebytype');
afterAll(() => t.remove());

const rows = (cell: string, extra: boolean): string => {
  const head = extra ? 'date,asset,score,volume' : 'date,asset,score';
  const body = [
    ['2024-01-02', 'AAA', '0.01', '100'],
    ['2024-01-03', 'AAA', cell, '200'],
    ['2024-01-04', 'AAA', '0.02', '300'],
    ['2024-01-02', 'BBB', '0.03', '400'],
    ['2024-01-03', 'BBB', '0.01', '500'],
    ['2024-01-04', 'BBB', '-0.01', '600'],
  ].map((r) => (extra ? r : r.slice(0, 3)).join(','));
  return `${head}\n${body.join('\n')}\n`;
};

interface Inspected {
  valueCol: string;
  missingShare: number;
}

describe('a long file whose value column is chosen by type', () => {
  it.each(['NA', '#DIV/0!', 'n.a.'])(
    'a numeric column with one %s cell beside volume: exit 2 naming both, not the volume read as values',
    async (cell) => {
      const f = t.write(`two_${cell.replace(/\W/g, '')}.csv`, rows(cell, true));
      const r = await cli('inspect', f, '--kind', 'values');
      expect(r.code).toBe(2);
      expect(r.err).toContain('cannot tell which column holds the values: 2 numeric columns (score, volume)');
      expect(r.err).toContain('--value-col');
    },
  );

  it('alone, it is the value column: NA is missing, +5 and 0005 are numbers, #DIV/0! is named with its line', async () => {
    const na = await cli('inspect', t.write('na.csv', rows('NA', false)), '--kind', 'values', '--json');
    expect(na.code, na.err).toBe(0);
    const j = JSON.parse(na.out) as Inspected;
    expect(j.valueCol).toBe('score');
    expect(j.missingShare).toBeCloseTo(1 / 6, 12);
    for (const cell of ['+5', '0005', ' 5 ']) {
      const f = t.write('plus.csv', rows(cell, false));
      const out = t.write('plus_out.csv', '');
      const r = await cli('inspect', f, '--kind', 'values', '--out', out);
      expect(r.code, r.err).toBe(0);
      const c = await cli('inspect', out, '--kind', 'values', '--json');
      expect((JSON.parse(c.out) as Inspected).missingShare).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('2024-01-03,AAA,5\n');
    }
    const bad = await cli('inspect', t.write('div.csv', rows('#DIV/0!', false)), '--kind', 'values');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('div.csv:3, column "score", asset AAA, date 2024-01-03: not a number (value: "#DIV/0!")');
  });

  it('analyze takes the same column as --factor', async () => {
    const f = t.write('factor_two.csv', rows('NA', true));
    const r = await cli(
      'analyze',
      '--factor',
      f,
      '--prices',
      t.write('p.csv', 'date,AAA,BBB\n2024-01-02,1,2\n2024-01-03,1.1,2\n2024-01-04,1,2.1\n2024-01-05,1,2\n'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('2 numeric columns (score, volume)');
  });
});
