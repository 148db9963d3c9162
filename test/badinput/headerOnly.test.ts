/**
 * A file with a header and no rows, on every reader and every command that reads a panel: exit 2
 * "the file has a header but no data rows". A long header-only file (date,asset,weight) said
 * "cannot tell which column holds the values ... pass the value column with --value-col" (DuckDB
 * types the columns of an empty file as text), a flag some commands lack, which read it to the same end.
 */
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('header-only');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 120);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D', 'E', 'F']));
const factors = t.write('factors.csv', factorsCsv(days));
const long = t.write('long.csv', 'date,asset,weight\n');
const crlf = t.write('long-crlf.csv', '\ufeffdate;ticker;score\r\n');
const gz = join(t.dir, 'long.csv.gz');
writeFileSync(gz, gzipSync('date,asset,value\n'));

describe('a long file with a header and no rows', () => {
  it.each([
    ['inspect', (f: string) => ['inspect', f]],
    ['analyze --factor', (f: string) => ['analyze', '--factor', f, '--prices', prices]],
    ['backtest --factor', (f: string) => ['backtest', '--factor', f, '--prices', prices]],
    ['rolling --weights', (f: string) => ['rolling', '--weights', f, '--prices', prices, '--factors', factors, '--window', '30']],
    ['exposures --returns', (f: string) => ['exposures', '--returns', f, '--factors', factors]],
  ])('%s: exit 2 saying it has no rows', async (_name, args) => {
    for (const f of [long, crlf, gz]) {
      const r = await cli(...args(f));
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`${f}: the file has a header but no data rows`);
      expect(r.err).not.toMatch(/cannot tell which column holds the values/);
    }
  });

  it('a long file with rows but no numeric column still says which columns it has', async () => {
    const text = t.write('text.csv', 'date,asset,label\n2019-01-02,A,x\n');
    const r = await cli('inspect', text);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot tell which column holds the values: no numeric column besides the date and asset/);
  });
});
