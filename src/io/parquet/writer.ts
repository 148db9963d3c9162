/**
 * A streaming Parquet writer for a {@link TableSource}, in TypeScript (no DuckDB): the file is
 * `PAR1`, the row groups one after the other, the footer (FileMetaData, Thrift compact), its
 * length as 4 bytes little-endian, `PAR1`.
 *
 * Rows are gathered into one row group of at most {@link GROUP_CELLS} cells (and
 * {@link MAX_GROUP_ROWS} rows): raw column buffers (Float64Array for numbers, Int32Array for dates
 * and dictionary codes), encoded when full (columns.ts: one dictionary page where it applies and
 * one data page per column chunk, uncompressed) and written with one `writev`, which runs on
 * libuv's thread while the next group is gathered and encoded into a second set of raw buffers (a
 * set is refilled once its group's write is done). Memory: two sets of raw buffers (16 MB each at
 * most) plus the encoded pages that are not views of them (dictionary indices, definition levels:
 * small), plus the footer's metadata.
 *
 * Uncompressed: the numbers of our tables are full-precision doubles that snappy does not shrink
 * (DuckDB's snappy file of the residuals of 5,000 x 2,520 is 122.4 MB, this writer's uncompressed
 * one 120.9 MB), and the repeated columns are already a few bits a row as dictionary indices and
 * RLE runs; a compressor would cost CPU for nothing on the tables we write.
 */
import { open } from 'node:fs/promises';
import type { TableSource } from '../tableBlocks.js';
import { encodeDates, encodeNumbers, encodeText, physicalType, type EncodedChunk, type Kind } from './columns.js';
import { Codec, fileMetaData, type ColumnChunkMeta, type RowGroupMeta, type SchemaColumn } from './format.js';

/** Cells per row group at most: 2 Mi (16 MB of doubles). */
export const GROUP_CELLS = 1 << 21;
/** Rows per row group at most. */
export const MAX_GROUP_ROWS = 1 << 20;

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // PAR1
const CREATED_BY = 'factorlab';

/** Whether typed arrays are little-endian here (Parquet's PLAIN is; every platform Node runs on is). */
export const LITTLE_ENDIAN = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;

export interface ParquetWriteOptions {
  /** Row group size in cells (tests use small ones to get many groups). */
  groupCells?: number;
}

/** Writes `source` to `file` (created or truncated). The caller removes `file` if this throws. */
export async function writeParquetFile(file: string, source: TableSource, options: ParquetWriteOptions = {}): Promise<void> {
  if (!LITTLE_ENDIAN) throw new Error('the Parquet writer needs a little-endian platform');
  const { columns } = source;
  const nCols = columns.length;
  const groupRows = Math.max(1, Math.min(MAX_GROUP_ROWS, Math.floor((options.groupCells ?? GROUP_CELLS) / Math.max(1, nCols))));
  const kinds: Kind[] = columns.map((c) => c.kind);
  const encoder = new TextEncoder();
  const entries = columns.map((c) => (c.kind === 'text' ? c.dictionary.map((s) => encoder.encode(s)) : []));
  const remaps = columns.map((c) => (c.kind === 'text' ? new Int32Array(c.dictionary.length).fill(-1) : new Int32Array(0)));
  const capacity = Math.min(groupRows, Math.max(1, source.rowCount));
  const rawBuffers = (): (Float64Array | Int32Array)[] =>
    kinds.map((k) => (k === 'number' ? new Float64Array(capacity) : new Int32Array(capacity)));
  // Two sets of raw buffers: a row group's pages are written (on libuv's thread) while the next one
  // is gathered and encoded into the other set; a set is refilled only once its group is on disk
  // (a number column's page is a view of its raw buffer). A table of one group needs one set.
  const sets = [rawBuffers(), source.rowCount > capacity ? rawBuffers() : []]; // the second made on demand
  const written: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  let cur = 0;
  let buffers = sets[0];
  const schema: SchemaColumn[] = columns.map((c) => ({ name: c.name, ...physicalType(c.kind) }));
  const rowGroups: RowGroupMeta[] = [];

  const fh = await open(file, 'w');
  let chain: Promise<void> = Promise.resolve(); // the row groups' writes, in order
  try {
    let offset = 0;
    const write = async (parts: Uint8Array[]): Promise<void> => {
      let size = 0;
      for (const p of parts) size += p.length;
      const { bytesWritten } = await fh.writev(parts);
      if (bytesWritten !== size) throw new Error(`short write to ${file}: ${bytesWritten} of ${size} bytes`);
      offset += size;
    };
    await write([MAGIC]);
    let rows = 0; // rows in the buffers
    let total = 0;
    let planned = offset; // where the next row group starts (the writes are chained in order)
    const flush = async (): Promise<void> => {
      const parts: Uint8Array[] = [];
      const metas: ColumnChunkMeta[] = [];
      const start = planned;
      let at = planned;
      for (let c = 0; c < nCols; c++) {
        const buf = buffers[c];
        const chunk: EncodedChunk =
          kinds[c] === 'number'
            ? encodeNumbers(buf as Float64Array, rows)
            : kinds[c] === 'date'
              ? encodeDates(buf as Int32Array, rows)
              : encodeText(buf as Int32Array, rows, entries[c], remaps[c]);
        parts.push(...chunk.parts);
        metas.push({
          type: chunk.type,
          encodings: [chunk.encoding],
          path: columns[c].name,
          codec: Codec.UNCOMPRESSED,
          numValues: chunk.numValues,
          totalUncompressedSize: chunk.totalBytes,
          totalCompressedSize: chunk.totalBytes,
          dataPageOffset: at + chunk.dictionaryBytes,
          dictionaryPageOffset: chunk.dictionaryBytes > 0 ? at : undefined,
          statistics: chunk.statistics,
        });
        at += chunk.totalBytes;
      }
      planned = at;
      const end = at;
      chain = chain.then(async () => {
        await write(parts);
        if (offset !== end) throw new Error('Parquet writer: page sizes do not add up'); // a bug, not bad input
      });
      chain.catch(() => undefined); // awaited below (before the set is reused, and at the end)
      written[cur] = chain;
      rowGroups.push({ columns: metas, numRows: rows, fileOffset: start });
      total += rows;
      rows = 0;
      // the other set: its group (two flushes ago) must be on disk before it is refilled
      cur ^= 1;
      await written[cur];
      if (sets[cur].length === 0) sets[cur] = rawBuffers();
      buffers = sets[cur];
    };
    for (const block of source.blocks()) {
      let r0 = 0;
      while (r0 < block.rows) {
        const take = Math.min(block.rows - r0, capacity - rows);
        for (let c = 0; c < nCols; c++) buffers[c].set(block.data[c].subarray(r0, r0 + take), rows);
        rows += take;
        r0 += take;
        if (rows === capacity) await flush();
      }
    }
    if (rows > 0) await flush();
    await chain;
    const footer = fileMetaData(schema, total, rowGroups, CREATED_BY);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, footer.length, true);
    await write([footer, length, MAGIC]);
  } finally {
    await chain.catch(() => undefined); // no write in flight when the file is closed (and removed on error)
    await fh.close();
  }
}
