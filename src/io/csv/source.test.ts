/**
 * twoPassChunks: a gzip file's second pass replays the first pass's inflated chunks when they fit
 * the cap, and inflates again otherwise; every pass gives the file's exact bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLong } from './long.js';
import { parseLongTwoPass } from './longDirect.js';
import { fileChunks, twoPassChunks } from './source.js';

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

describe('twoPassChunks', () => {
  it('replays the kept chunks on the second pass when they fit, the exact bytes each time', async () => {
    const open = twoPassChunks(gz, true);
    const first = await bytesOf(open());
    const second = await bytesOf(open());
    const third = await bytesOf(open());
    expect(first.text.equals(text)).toBe(true);
    expect(second.text.equals(text)).toBe(true);
    expect(third.text.equals(text)).toBe(true);
    expect(first.pieces.length).toBeGreaterThan(2);
  });

  it('the second pass hands out the very chunks of the first (no second inflate); over the cap, new ones', async () => {
    const raw = async (chunks: AsyncIterable<Buffer>): Promise<Buffer[]> => {
      const out: Buffer[] = [];
      for await (const c of chunks) out.push(c);
      return out;
    };
    const kept = twoPassChunks(gz, true);
    const a = await raw(kept()),
      b = await raw(kept());
    expect(b.length).toBe(a.length);
    expect(b.every((c, i) => c === a[i])).toBe(true);
    const over = twoPassChunks(gz, true, 300_000);
    const c = await raw(over()),
      d = await raw(over());
    expect(d.some((x, i) => x === c[i])).toBe(false);
  });

  it('inflates again when the text is over the cap, or the first pass stopped early', async () => {
    const small = twoPassChunks(gz, true, 300_000);
    expect((await bytesOf(small())).text.equals(text)).toBe(true);
    expect((await bytesOf(small())).text.equals(text)).toBe(true);
    const stopped = twoPassChunks(gz, true);
    for await (const c of stopped()) {
      void c;
      break;
    }
    expect((await bytesOf(stopped())).text.equals(text)).toBe(true);
  });

  it('a trailer size over the cap keeps nothing from the start; a hint under the cap still meets the running cap', async () => {
    const raw = async (chunks: AsyncIterable<Buffer>): Promise<Buffer[]> => {
      const out: Buffer[] = [];
      for await (const c of chunks) out.push(c);
      return out;
    };
    // told the text is over the cap: inflated twice, the exact bytes both times
    const told = twoPassChunks(gz, true, 1 << 30, (1 << 30) + 1);
    const a = await raw(told()),
      b = await raw(told());
    expect(b.some((x, i) => x === a[i])).toBe(false);
    expect(Buffer.concat(b).equals(text)).toBe(true);
    // a hint that understates (a wrapped or multi-member trailer): the count still drops the chunks at the cap
    const wrong = twoPassChunks(gz, true, 300_000, 10);
    const c = await raw(wrong()),
      d = await raw(wrong());
    expect(d.some((x, i) => x === c[i])).toBe(false);
    expect(Buffer.concat(d).equals(text)).toBe(true);
    // the true size under the cap: kept
    const fits = twoPassChunks(gz, true, 1 << 30, text.length);
    const e = await raw(fits()),
      f = await raw(fits());
    expect(f.every((x, i) => x === e[i])).toBe(true);
  });

  it('a plain file is read from disk on every pass', async () => {
    const plain = join(dir, 'long.csv');
    writeFileSync(plain, text);
    const open = twoPassChunks(plain, false);
    expect((await bytesOf(open())).text.equals(text)).toBe(true);
    expect((await bytesOf(open())).text.equals(text)).toBe(true);
  });

  it('the two-pass long read gives the one-pass panel whether the text is kept or inflated twice', async () => {
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
    for (const cap of [1 << 30, 100_000]) {
      const p = await parseLongTwoPass(twoPassChunks(gz, true, cap), spec);
      expect(p.assets).toEqual(ref.assets);
      expect(Array.from(p.days)).toEqual(Array.from(ref.days));
      expect(Array.from(p.values)).toEqual(Array.from(ref.values));
    }
  });
});
