/**
 * exposures-zoo prints its portfolios' notes capped: alike notes once, at most 10 lines, then how
 * many more; every note stays in the table's and --json's `notes` column. Before, one line per
 * note and portfolio (450 lines for 150 portfolios with stale weights), and --json had none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('zoonotes');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const prices = t.write('prices.csv', pricesCsv(days, ['AAPL', 'MSFT', 'XOM']));
const factors = t.write('factors.csv', factorsCsv(days));
// 30 portfolios whose single weights date is held up to 30 rows, each from another day: stale
// weights after it, a note of its own for each (how long, on what share of the return dates)
const files = Array.from({ length: 30 }, (_, i) =>
  t.write(`p${String(i).padStart(2, '0')}.csv`, `date,asset,weight\n${days[3 * i]},AAPL,0.5\n${days[3 * i]},MSFT,0.5\n`),
);

describe('exposures-zoo notes', () => {
  it('are printed capped at 10 lines and a count; the JSON and the table hold every one', async () => {
    const table = join(t.dir, 'zoo.json');
    const r = await cli('exposures-zoo', '--prices', prices, '--factors', factors, '--weights-max-age', '30', '--table', table, ...files);
    expect(r.code, r.err).toBe(0);
    const noteLines = r.out.split('\n').filter((l) => /^ {2}(\d+ portfolios \(|\S+p\d\d\.csv: |\.\.\. \d+ more notes )/.test(l));
    expect(noteLines, noteLines.join('\n')).toHaveLength(11);
    expect(noteLines[0]).toMatch(
      /^ {2}30 portfolios \(\S+p00\.csv, \S+p01\.csv, \S+p02\.csv, \.\.\.\): weights present \(not stale, not all zero\) on 10% of 300 return dates$/,
    );
    expect(noteLines[1]).toMatch(
      /^ {2}\S+p00\.csv: weights: irregular, 1 date \(2018-01-01 \.\. 2018-01-01\), each held at most 30 return rows/,
    );
    expect(noteLines[10]).toMatch(/^ {2}\.\.\. 21 more notes on 21 portfolios \(every one in the notes column of --table and --json\)$/);
    const j = await cli('exposures-zoo', '--prices', prices, '--factors', factors, '--weights-max-age', '30', '--json', ...files);
    expect(j.code, j.err).toBe(0);
    const rows = JSON.parse(j.out) as { portfolio: string; notes: string | null }[];
    expect(rows).toHaveLength(30);
    for (const row of rows)
      expect(row.notes).toMatch(
        /each held at most 30 return rows .* \| weights present \(not stale, not all zero\) on \d+% of 300 return dates/,
      );
    expect(JSON.parse(readFileSync(table, 'utf8'))).toEqual(rows);
    // the notes on the shared inputs, in no row: on stderr with --json, as the summary prints them
    const shared = r.out.split('\n').filter((l) => /^ {2}rf: /.test(l));
    expect(shared.length).toBeGreaterThan(0);
    for (const l of shared) expect(j.err).toContain(`factorlab exposures-zoo: note: ${l.trim()}`);
  });
});

describe('exposures-zoo with --start/--end', () => {
  it('the covered weight and the held-weights notes are of the fitted window, not of the whole file', async () => {
    // weights dated on the window's first date, held 60 rows: the window (rows 100..149) is covered whole
    // and new weights after it, mostly in ZZZ (no returns): covered 0.1 on the rows past the window
    const w = t.write(
      'window.csv',
      `date,asset,weight\n${days[100]},AAPL,0.5\n${days[100]},MSFT,0.3\n${days[100]},ZZZ,0.2\n${days[160]},AAPL,0.1\n${days[160]},ZZZ,0.9\n`,
    );
    const r = await cli(
      'exposures-zoo',
      '--prices',
      prices,
      '--factors',
      factors,
      '--start',
      days[101],
      '--end',
      days[150],
      '--weights-max-age',
      '60',
      '--json',
      w,
    );
    expect(r.code, r.err).toBe(0);
    const [row] = JSON.parse(r.out) as { covered_weight: number; notes: string | null }[];
    // ZZZ has no returns: 0.8 of the gross weight is covered on every fitted date (the mean over the whole file, 0.1 past day 160 counted, was lower)
    expect(row.covered_weight).toBeCloseTo(0.8, 12);
    expect(row.notes ?? '').not.toMatch(/weights present \(not stale, not all zero\) on/);
    expect(row.notes ?? '').toMatch(/1 held asset has no returns|ZZZ/);
  });
});
