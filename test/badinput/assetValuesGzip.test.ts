/**
 * Found by the CLI fuzz (fuzz.test.ts): the `asset,value` files of `optimize` (--benchmark,
 * --current, --alpha) and `replicate --target-weights` were read as plain UTF-8 whatever their
 * name, so a `.csv.gz` (read by every other input) was exit 2 "expected a header with two columns
 * ..., found "\u001f?\b\u0000..."" with the compressed bytes printed in the message. They now read
 * `.csv.gz` like every other reader (a truncated stream refused as such), and a binary file is
 * named for what it looks like, never printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('asset-values-gz');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 150);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factors = t.write('factors.csv', factorsCsv(days));
const weights = 'asset,weight\nA,0.1\nB,0.2\nC,0.3\nD,0.1\nE,0.2\nF,0.1\n';

function put(name: string, data: Buffer): string {
  const p = join(t.dir, name);
  writeFileSync(p, data);
  return p;
}

describe('asset,value files: .csv.gz and binary files', () => {
  it('a .csv.gz benchmark and target give the numbers of the plain file', async () => {
    const plain = t.write('w.csv', weights);
    const gz = put('w.csv.gz', gzipSync(weights));
    for (const flags of [
      ['optimize', '--prices', prices, '--factors', factors, '--max-weight', '0.4', '--json', '--benchmark'],
      ['replicate', '--prices', prices, '--factors', factors, '--fit-end', days[100], '--max-names', '4', '--json', '--target-weights'],
    ]) {
      const a = await cli(...flags, plain);
      const b = await cli(...flags, gz);
      expect(a.code, a.err).toBe(0);
      expect(b.code, b.err).toBe(0);
      const holdings = (out: string): unknown => (JSON.parse(out) as { holdings: unknown }).holdings;
      expect(holdings(b.out)).toEqual(holdings(a.out));
    }
  });

  it('a truncated .csv.gz, gzip without .gz, and a .parquet name exit 2 saying what the file is; no bytes printed', async () => {
    const base = ['optimize', '--prices', prices, '--factors', factors, '--max-weight', '0.4', '--benchmark'];
    const z = gzipSync(weights);
    const cases: [string, RegExp][] = [
      [put('cut.csv.gz', z.subarray(0, 20)), /the gzip file is truncated or corrupt/],
      [put('bin.csv', z), /this is not a text table: .*a gzip file without a \.gz name/],
      [t.write('w.parquet', weights), /read as CSV text/],
    ];
    for (const [file, problem] of cases) {
      const out = join(t.dir, 'never.json');
      const r = await cli(...base, file, '--out', out);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(file);
      expect(r.err).toMatch(problem);
      expect(r.err).toContain('hint:');
      expect([...r.err].some((c) => c.charCodeAt(0) < 9 || c.charCodeAt(0) === 0x1f)).toBe(false);
      expect(t.files()).not.toContain('never.json');
    }
  });

  it('a long header is shown cut to 40 characters', async () => {
    const f = t.write('one-column.csv', `${'x'.repeat(80)}\n`);
    const r = await cli('optimize', '--prices', prices, '--factors', factors, '--benchmark', f);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/expected a header with two columns \(asset and benchmark weights\)/);
    expect(r.err).not.toContain('x'.repeat(60));
  });
});
