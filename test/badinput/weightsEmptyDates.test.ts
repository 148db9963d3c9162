/**
 * A portfolio's weights file with a date on which every weight cell is empty (a pandas pivot
 * reindexed to a calendar, a spreadsheet's blank row, a long file's date with empty weights): the
 * date is dropped with a note, read as a date the file lacks, so the exposures are those of the
 * file without it. Before, it counted as that day's weights with no position at all: it stopped
 * the carry of the weights before it, and the exposures were missing from it to the next weights
 * date, said only by the coverage share. A date of zeros (a book with no holdings) stays; a file
 * with every cell empty is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('weights-empty');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 120);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C']));
const factors = t.write('factors.csv', factorsCsv(days));
const rolling = (weights: string, out: string): ReturnType<typeof cli> =>
  cli(
    'rolling',
    '--prices',
    prices,
    '--factors',
    factors,
    '--weights',
    weights,
    '--window',
    '20',
    '--weights-max-age',
    '60',
    '--out',
    join(t.dir, out),
  );
const read = (name: string): string => readFileSync(join(t.dir, name), 'utf8');

describe('weights dates with every cell empty', () => {
  const plain = t.write('plain.csv', 'date,A,B\n2018-01-31,0.5,0.5\n2018-03-30,0.25,0.75\n');

  it('wide: dropped with a note; the exposures are those of the file without the date', async () => {
    const wide = t.write('wide.csv', 'date,A,B\n2018-01-31,0.5,0.5\n2018-02-28,,\n2018-03-30,0.25,0.75\n');
    const a = await rolling(wide, 'wide-out.csv');
    const b = await rolling(plain, 'plain-out.csv');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(a.out).toContain(
      `weights: 1 date of ${wide} with no weight for any asset (every cell empty) dropped (2018-02-28): read as dates the file lacks, so with --fill ffill the weights before it are held there (up to --weights-max-age); write 0 for an asset not held (a date of zeros is a book with no holdings)`,
    );
    expect(read('wide-out.csv')).toBe(read('plain-out.csv'));
    // held across the dropped date, not missing from it to the next weights date
    expect(read('wide-out.csv')).toMatch(/\n2018-03-01,-?\d/);
  });

  it('long: a date whose weight cells are all empty, the same', async () => {
    const long = t.write(
      'long.csv',
      'date,asset,weight\n2018-01-31,A,0.5\n2018-01-31,B,0.5\n2018-02-28,A,\n2018-02-28,B,\n2018-03-30,A,0.25\n2018-03-30,B,0.75\n',
    );
    const a = await rolling(long, 'long-out.csv');
    await rolling(plain, 'plain-out2.csv');
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(/weights: 1 date of .*long\.csv with no weight for any asset \(every cell empty\) dropped \(2018-02-28\)/);
    expect(read('long-out.csv')).toBe(read('plain-out2.csv'));
  });

  it('a date of zeros stays (a book with no holdings: no exposure there)', async () => {
    const zeros = t.write('zeros.csv', 'date,A,B\n2018-01-31,0.5,0.5\n2018-02-28,0,0\n2018-03-30,0.25,0.75\n');
    const a = await rolling(zeros, 'zeros-out.csv');
    expect(a.code, a.err).toBe(0);
    expect(a.out).not.toMatch(/every cell empty/);
    expect(read('zeros-out.csv')).toMatch(/\n2018-03-01,,/);
  });

  it('every cell empty: exit 2 naming the file', async () => {
    const none = t.write('none.csv', 'date,A,B\n2018-01-31,,\n2018-02-28,,\n');
    const a = await rolling(none, 'none-out.csv');
    expect(a.code, a.err).toBe(2);
    expect(a.err).toContain(`${none}: no date of the weights has a weight for any asset: every weight cell is empty`);
  });
});
