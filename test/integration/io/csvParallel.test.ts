/**
 * The parallel CSV formatter (src/io/csvParallel.ts): the same bytes as the one-thread csvChunks
 * for any table, job size and thread count; writeTable takes it for big tables and writes the
 * same file (CSV and CSV.gz) as with one thread; a consumer that stops early ends the workers.
 * Integration project: the workers run the compiled dist/io/csvWorker.js (test/globalSetup.ts
 * rebuilds dist/ when it is older than src/).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Frame } from '../../../src/core/frame.js';
import { Panel } from '../../../src/core/panel.js';
import { csvChunksParallel } from '../../../src/io/csvParallel.js';
import { tableSource, type TableData } from '../../../src/io/tableBlocks.js';
import { csvChunks } from '../../../src/io/textBlocks.js';
import { PARALLEL_MIN_CELLS, toCsv, writeTable } from '../../../src/io/write.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-csvpar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parallelText(data: TableData, wide: boolean, threads: number, jobCells: number): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of csvChunksParallel(tableSource(data, wide), threads, jobCells)) parts.push(Buffer.from(c)); // a chunk is reused after the next is asked for
  return Buffer.concat(parts).toString('utf8');
}

const oneThread = (data: TableData, wide: boolean): string =>
  Buffer.concat(Array.from(csvChunks(tableSource(data, wide)))).toString('utf8');

/** Doubles of every sort: residual-like, integers, tiny, huge, ±0, missing and infinite. */
const cellValue = fc.oneof(
  fc.double({ noDefaultInfinity: false }),
  fc.double({ min: -0.1, max: 0.1, noNaN: true }),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e21, 1e-7, 5e-324),
);

describe('csvChunksParallel', () => {
  it('is the one-thread text byte for byte: random panels (long and wide), frames and records, any job size, 2 or 3 threads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 9 }),
        fc.array(cellValue, { minLength: 108, maxLength: 108 }),
        fc.array(fc.string({ maxLength: 4 }), { minLength: 9, maxLength: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 3 }),
        fc.boolean(),
        async (nDates, nAssets, cells, names, jobCells, threads, wide) => {
          const assets = names.slice(0, nAssets).map((s, j) => `${s}${j}`); // distinct, with commas / quotes / unicode
          const panel = new Panel(
            Int32Array.from({ length: nDates }, (_, t) => 19000 + 2 * t),
            assets,
            Float64Array.from(cells.slice(0, nDates * nAssets)),
          );
          expect(await parallelText(panel, wide, threads, jobCells)).toBe(oneThread(panel, wide));
        },
      ),
      { numRuns: 60 },
    );
    const frame = new Frame(
      Int32Array.of(19000, 19001, 19002),
      ['a', 'b,c'],
      [Float64Array.of(1.5, NaN, 0.1 + 0.2), Float64Array.of(-0, 1e300, 3)],
    );
    expect(await parallelText(frame, false, 2, 2)).toBe(oneThread(frame, false));
    const records = [
      { asset: 'x', n: 1, note: 'a "q"' },
      { asset: 'y', n: null, flag: true },
      { asset: 'z', n: 2.5e-8 },
    ];
    expect(await parallelText(records, false, 2, 1)).toBe(oneThread(records, false));
  });

  it('a consumer that stops early ends the workers (the process is not held open) and gets the first rows', async () => {
    const panel = new Panel(
      Int32Array.from({ length: 200 }, (_, t) => 19000 + t),
      ['A', 'B'],
      Float64Array.from({ length: 400 }, (_, i) => i / 7),
    );
    const gen = csvChunksParallel(tableSource(panel, false), 2, 16);
    const first = await gen.next();
    const second = Buffer.from((await gen.next()).value as Uint8Array);
    await gen.return(undefined);
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('date,asset,value\n');
    expect(oneThread(panel, false).startsWith(second.toString(), 17)).toBe(true);
  });
});

describe('writeTable on more than one thread', () => {
  it(`a table of ${PARALLEL_MIN_CELLS} cells or more: the same CSV and CSV.gz as with one thread`, async () => {
    const nDates = 500,
      nAssets = Math.ceil(PARALLEL_MIN_CELLS / nDates / 3) + 1; // long: 3 columns a row
    let s = 7;
    const values = Float64Array.from({ length: nDates * nAssets }, () => {
      s = (s * 48271) % 2147483647;
      return s % 97 === 0 ? NaN : (s / 2147483647 - 0.5) * 0.03;
    });
    const panel = new Panel(
      Int32Array.from({ length: nDates }, (_, t) => 18000 + t),
      Array.from({ length: nAssets }, (_, j) => `A${j}`),
      values,
    );
    const one = toCsv(panel);
    for (const ext of ['csv', 'csv.gz']) {
      const f = join(dir, `big.${ext}`);
      await writeTable(f, panel, { threads: 2 });
      const bytes = readFileSync(f);
      expect((ext === 'csv' ? bytes : gunzipSync(bytes)).toString('utf8') === one).toBe(true);
    }
    const g = join(dir, 'big1.csv');
    await writeTable(g, panel, { threads: 1 });
    expect(readFileSync(g).toString('utf8') === one).toBe(true);
  });
});
