/**
 * Class 3: a truncated or corrupt `.csv.gz` (a cut download, a flipped byte) is exit 2 saying so,
 * never read as the rows that happen to decompress; on wide and long files, every command.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('truncated');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 400);
const wide = gzipSync(pricesCsv(days, ['A', 'B', 'C', 'D', 'E', 'F']));
const factors = t.write('factors.csv', factorsCsv(days));
const longText = [
  'date,asset,value',
  ...days.flatMap((d, i) => ['A', 'B', 'C'].map((a, j) => `${d},${a},${((i * 7 + j * 3) % 11) / 10 - 0.5}`)),
].join('\n');
const long = gzipSync(longText);

function put(name: string, b: Buffer): string {
  const p = join(t.dir, name);
  writeFileSync(p, b);
  return p;
}

describe('truncated or corrupt gzip', () => {
  const variants: [string, (b: Buffer) => Buffer][] = [
    ['cut at 60%', (b) => b.subarray(0, Math.floor(b.length * 0.6))],
    ['missing its last 5 bytes (the trailer)', (b) => b.subarray(0, b.length - 5)],
    ['missing its last byte', (b) => b.subarray(0, b.length - 1)],
    [
      'a flipped byte in the middle',
      (b) => {
        const c = Buffer.from(b);
        c[c.length >> 1] ^= 0xff;
        return c;
      },
    ],
    [
      'a wrong checksum',
      (b) => {
        const c = Buffer.from(b);
        c[c.length - 6] ^= 0x01;
        return c;
      },
    ],
  ];
  for (const [what, damage] of variants) {
    it(`${what}: inspect, exposures and analyze refuse it`, async () => {
      const w = put(`wide-${what.length}.csv.gz`, damage(wide));
      const l = put(`long-${what.length}.csv.gz`, damage(long));
      for (const args of [
        ['inspect', w],
        ['exposures', '--prices', w, '--factors', factors],
        ['inspect', l],
        ['analyze', '--factor', l, '--prices', put('ok.csv.gz', wide)],
      ]) {
        const r = await cli(...args);
        expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(2);
        expect(r.err).toMatch(/the gzip file is truncated or corrupt/);
        expect(r.err).toMatch(/re-download or re-compress it/);
      }
    });
  }

  it('the intact files read', async () => {
    expect((await cli('inspect', put('whole.csv.gz', wide))).code).toBe(0);
    expect((await cli('inspect', put('whole-long.csv.gz', long))).code).toBe(0);
  });
});
