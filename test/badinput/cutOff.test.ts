/**
 * A CSV file whose last line has no line end, as a file cut off mid-write has (an interrupted
 * download, export or copy): a number cut short there (`12.3` as `1`) reads as another number,
 * which nothing can tell, so the run warns on stderr naming the file and the line (inspect: a
 * `note` line), and an error on that line (fewer fields, a cut number) says the file may be cut off.
 * The results are those of the same data with a final newline: the warning is not in the JSON.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('cutoff');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 120);
const pricesText = pricesCsv(days, ['A', 'B', 'C', 'D']);
const factorsText = factorsCsv(days);
const whole = t.write('prices.csv', pricesText);
const factors = t.write('factors.csv', factorsText);
const cut = t.write('prices-cut.csv', pricesText.slice(0, -1));
const lastLine = pricesText.trim().split('\n').pop() as string;

describe('a file cut off mid-write', () => {
  it('inspect: a note names the file and its last line; none with a final newline', async () => {
    const r = await cli('inspect', cut);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      `note     ${cut}: its last line (${JSON.stringify(lastLine)}) has no line end, as a file cut off mid-write has`,
    );
    const ok = await cli('inspect', whole);
    expect(ok.out).not.toMatch(/no line end/);
  });

  it('exposures: a warning on stderr for prices and factors; the JSON is that of the whole files', async () => {
    const cutFactors = t.write('factors-cut.csv', factorsText.slice(0, -1));
    const a = await cli('exposures', '--prices', cut, '--factors', cutFactors, '--out', `${t.dir}/a.json`);
    expect(a.code, a.err).toBe(0);
    expect(a.err).toContain(`factorlab: warning: ${cut}: its last line (${JSON.stringify(lastLine)}) has no line end`);
    expect(a.err).toMatch(/factors-cut\.csv: its last line .* has no line end.*check that the line is complete/);
    const b = await cli('exposures', '--prices', whole, '--factors', factors, '--out', `${t.dir}/b.json`);
    expect(b.code, b.err).toBe(0);
    expect(b.err).not.toMatch(/no line end/);
    const fit = (f: string): unknown => {
      const j = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      delete j.timings;
      return JSON.stringify(j).replaceAll('factors-cut.csv', 'factors.csv').replaceAll('prices-cut.csv', 'prices.csv');
    };
    expect(fit(`${t.dir}/a.json`)).toEqual(fit(`${t.dir}/b.json`));
  });

  it('analyze: a factor file without a final newline is warned about', async () => {
    const factor = t.write(
      'signal-cut.csv',
      `date,A,B,C,D\n${days.map((d, i) => `${d},${[1, 2, 3, 4].map((j) => ((i * j * 7) % 13) / 10).join(',')}`).join('\n')}`,
    );
    const r = await cli('analyze', '--factor', factor, '--prices', whole, '--horizons', '1,5');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*signal-cut\.csv: its last line .* has no line end/);
  });

  it('a last line cut short of its fields: exit 2 naming the line, and the hint says the file may be cut off', async () => {
    const short = t.write('prices-short.csv', pricesText.slice(0, pricesText.lastIndexOf(',')));
    const r = await cli('exposures', '--prices', short, '--factors', factors);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`prices-short.csv:${days.length + 1}: cannot read the table: the row has 4 fields, the header has 5`);
    expect(r.err).toMatch(
      /hint: the last line has no line end, as a file cut off mid-write has: if the file was being written, downloaded or copied, get it again whole/,
    );
  });
});
