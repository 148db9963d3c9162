/**
 * fileChunks gives a gzip file's exact text in several chunks, and a plain file's; the long gzip
 * read in one pass (rows kept) and in two (inflated twice) give parseLong's panel.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLong } from './long.js';
import { parseLongDirect, parseLongOnePass } from './longDirect.js';
import { fileChunks } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bytesOf(chunks: AsyncIterable<Buffer>): Promise<{ text: Buffer; pieces: Buffer[] }> {
  const pieces: Buffer[] = [];
  for await (const c of chunks) pieces.push(Buffer.from(c));
  return { text: Buffer.concat(pieces), pieces };
}

// ticker-major rows (the S&P file's order), ~2 MB of text: several 256 KB zlib chunks
const lines = ['date,asset,value'];
const days = Array.from({ length: 1500 }, (_, d) => new Date(Date.UTC(2010, 0, 1 + d)).toISOString().slice(0, 10));
for (let a = 0; a < 40; a++) for (let d = 0; d < days.length; d++) lines.push(`${days[d]},A${a},${(a * 1.5 + d / 7).toFixed(6)}`);
const text = Buffer.from(lines.join('\n') + '\n');
const gz = join(dir, 'long.csv.gz');
writeFileSync(gz, gzipSync(text));

describe('fileChunks and the long gzip read', () => {
  it('a gzip file inflates to its exact bytes, in several chunks, each time it is read', async () => {
    const first = await bytesOf(fileChunks(gz, true));
    const second = await bytesOf(fileChunks(gz, true));
    expect(first.text.equals(text)).toBe(true);
    expect(second.text.equals(text)).toBe(true);
    expect(first.pieces.length).toBeGreaterThan(2);
  });

  it('a plain file is read from disk on every pass', async () => {
    const plain = join(dir, 'long.csv');
    writeFileSync(plain, text);
    expect((await bytesOf(fileChunks(plain, false))).text.equals(text)).toBe(true);
    expect((await bytesOf(fileChunks(plain, false))).text.equals(text)).toBe(true);
  });

  it('one pass (rows kept) and two passes (inflated twice) give the one-pass panel of parseLong', async () => {
    const spec = {
      file: gz,
      delimiter: ',',
      columns: ['date', 'asset', 'value'],
      dateCol: 'date',
      assetCol: 'asset',
      valueCol: 'value',
      prices: false,
      shared: false,
    };
    const ref = await parseLong(fileChunks(gz, true), spec);
    for (const p of [await parseLongOnePass(() => fileChunks(gz, true), spec), await parseLongDirect(() => fileChunks(gz, true), spec)]) {
      expect(p.rows).toBe(ref.rows);
      expect(p.assets).toEqual(ref.assets);
      expect(Array.from(p.days)).toEqual(Array.from(ref.days));
      expect(Array.from(p.values)).toEqual(Array.from(ref.values));
    }
  });
});
