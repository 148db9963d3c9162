/**
 * Class 2: non-finite values in a price, return, factor or weight cell (`inf`, `Infinity`, `-inf`,
 * `1e400`) are exit 2 naming file, line, asset, date and the value, on every command that reads
 * them, CSV, CSV.gz and long layout alike; nothing is written.
 */
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('nonfinite');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 120);
const good = pricesCsv(days, ['A', 'B', 'C']);
const factors = t.write('factors.csv', factorsCsv(days));

/** The wide prices with the cell of asset B on data row `row` (1-based) replaced by `text`. */
function withCell(text: string, row = 40): string {
  const lines = good.split('\n');
  const cells = lines[row].split(',');
  cells[2] = text;
  lines[row] = cells.join(',');
  return lines.join('\n');
}

describe('non-finite cells are refused where they are', () => {
  for (const text of ['inf', 'Infinity', '-inf', '-Infinity', '1e400', 'INF']) {
    it(`"${text}" in a wide price file: exposures and inspect`, async () => {
      const f = t.write(`p_${text}.csv`, withCell(text));
      for (const args of [
        ['exposures', '--prices', f, '--factors', factors],
        ['inspect', f, '--out', join(t.dir, 'never.csv')],
      ]) {
        const r = await cli(...args);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`${f}:41`);
        expect(r.err).toContain('asset B');
        expect(r.err).toContain(`date ${days[39]}`);
        expect(r.err).toContain(`"${text}"`);
        expect(r.err).toMatch(/leave the cell empty/);
      }
    });
  }

  it('gzip and long layout: the line of the long file and its asset', async () => {
    const gz = join(t.dir, 'p.csv.gz');
    writeFileSync(gz, gzipSync(withCell('1e999', 10)));
    const r = await cli('exposures', '--returns', gz, '--factors', factors);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${gz}:11`);
    const long = t.write('signal.csv', `date,asset,value\n${days[0]},A,0.5\n${days[0]},B,Infinity\n`);
    const a = await cli('analyze', '--factor', long, '--prices', t.write('ok.csv', good));
    expect(a.code).toBe(2);
    expect(a.err).toContain(`${long}:3`);
    expect(a.err).toContain('asset B');
  });

  it('a factor file with an infinite value', async () => {
    const lines = factorsCsv(days).split('\n');
    lines[5] = lines[5].replace(/^([^,]+),[^,]+/, '$1,-inf');
    const f = t.write('f_inf.csv', lines.join('\n'));
    const r = await cli('exposures', '--prices', t.write('ok2.csv', good), '--factors', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:6`);
    expect(r.err).toContain('mkt_rf');
  });

  it('nothing is written and no temporary file is left', () => {
    expect(t.files().filter((f) => f.includes('never') || f.includes('.tmp'))).toEqual([]);
  });
});
