/**
 * Atomic, streamed writers: every output goes to a temporary file in the target's directory and
 * is renamed over the target only when complete, so a crash, an error or an interrupt never
 * leaves a half-written file (rename within one directory is atomic on POSIX file systems). The
 * temporary file is removed when anything fails, and is in the registry of temporary paths
 * (tempFiles.ts) while it exists, so an interrupted CLI removes it before exiting.
 *
 * `writeTable` picks the format from the extension: `.csv`, `.csv.gz` (gzip), `.parquet` (the
 * TypeScript writer of parquet/, DuckDB only for what it declines: parquetWrite.ts), `.json` (an array of records, one per line); any other extension is an
 * InputError. Panels are written long (`date,asset,value`, missing cells skipped) unless
 * `{ wide: true }` (`date,<asset>...`, NaN as an empty cell); Frames as `date,<column>...`;
 * records as they are (columns = union of keys in first-seen order). NaN / non-finite numbers
 * become empty cells in CSV and `null` in JSON / Parquet. Numbers are written as `String(v)`,
 * which reads back as exactly `v`.
 *
 * Streaming: the table is turned into blocks of at most 64 Ki cells (tableBlocks.ts) and those into
 * text chunks of about 1 MB (textBlocks.ts) written one at a time to a file stream (through gzip
 * for `.csv.gz`); a CSV of at least {@link PARALLEL_MIN_CELLS} cells is formatted on every
 * available core in jobs of 128 Ki cells handed on in row order (csvParallel.ts), the same bytes; or gathered into Parquet row groups of at most 16 MB written as they fill; a
 * write never holds the table as one string or as an array of rows.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { InputError } from '../core/errors.js';
import { joinPieces, jsonTextPieces } from './jsonText.js';
import { beginOutputCommit, checkOutput, endOutputCommit, signalsDelivered, TABLE_FORMATS } from './outputs.js';
import { tableSource, type TableData } from './tableBlocks.js';
import { csvChunks, csvString, jsonChunks } from './textBlocks.js';
import { trackTempPath } from './tempFiles.js';

export type { TableData } from './tableBlocks.js';

export interface WriteTableOptions {
  /** Panels: write `date,<asset>...` instead of long `date,asset,value`. */
  wide?: boolean;
  /**
   * Threads that format a large CSV / CSV.gz (the calling thread and `threads - 1` workers, for
   * tables of at least {@link PARALLEL_MIN_CELLS} cells); default: the machine's available
   * parallelism. The bytes are the same for every value; 1 formats on the calling thread only.
   */
  threads?: number;
}

/**
 * Cells (rows × columns) from which a CSV is formatted on more than one thread: 2 Mi, about 40 MB of
 * 17-digit numbers. A worker costs ~30-50 ms to start; below this the calling thread alone is as fast.
 */
export const PARALLEL_MIN_CELLS = 1 << 21;

/** Threads to format with: `threads` if given, else the machine's available parallelism (at least 1). */
function formatThreads(threads: number | undefined): number {
  const t = threads ?? (typeof availableParallelism === 'function' ? availableParallelism() : 1);
  return Number.isFinite(t) ? Math.max(1, Math.floor(t)) : 1;
}

/**
 * gzip level of `.csv.gz` outputs: 1. Measured on the long CSV of the 5,774-ticker matrix (6.07 M
 * rows, 133 MB of text; CPU seconds, 1 MB chunks): level 1 1.14 s, 40.1 MB; level 3 1.88 s,
 * 39.5 MB; level 6 (zlib's default) 3.80 s, 36.6 MB; level 9 17.5 s, 36.6 MB. Level 1 keeps up
 * with the CSV formatting (about 117 MB/s of input, on a libuv thread beside it) for a file 10 %
 * larger than level 6's; recompress with `gzip -9` if size matters more than time.
 */
export const GZIP_LEVEL = 1;

function tempPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Runs `write(tmp)` then renames `tmp` to `file`; removes `tmp` if anything fails. `tmp` is in the
 * registry of temporary paths from before it is created until it is renamed or removed.
 */
export async function writeAtomic(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const staged = batch.getStore();
  const tmp = tempPath(file);
  const untrack = trackTempPath(tmp);
  let kept = false;
  try {
    await write(tmp);
    if (staged !== undefined) {
      // renamed with the run's other outputs (writeOutputsTogether); a second write to the same
      // target replaces the first
      const earlier = staged.findIndex((s) => s.file === file);
      if (earlier >= 0) {
        const [e] = staged.splice(earlier, 1);
        rmSync(e.tmp, { force: true });
        e.untrack();
      }
      staged.push({ tmp, file, untrack });
      kept = true;
    } else await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw deviceError(e, file) ?? e;
  } finally {
    if (!kept) untrack();
  }
}

/** An output written whole to its temporary file, waiting for the rename into place. */
interface Staged {
  tmp: string;
  file: string;
  untrack: () => void;
}

/** The outputs of the innermost {@link writeOutputsTogether} scope (none outside one). */
const batch = new AsyncLocalStorage<Staged[]>();

/**
 * Runs `f` with every {@link writeAtomic} inside it (writeTable, writeJsonAtomic, writeTextAtomic)
 * held back: each output is written whole to its hidden temporary file as before, but none is
 * renamed into place until `f` has succeeded; then all are renamed at once, in one synchronous
 * loop (a signal is handled only after it, so a Ctrl-C cannot fall between two renames). If `f`
 * throws, or the process is interrupted before it ends (the temporary files are in the registry
 * the CLI's signal handlers clear), no output is renamed: a run with several outputs (`--out`,
 * `--nav-out`, `--report`, ...) leaves either all of them new or all as they were, never a new
 * table beside an old report.
 *
 * A rename refused by the system (the target's directory removed meanwhile, ...) throws after the
 * temporary files not yet renamed are removed; outputs renamed before it stay.
 *
 * A signal during the renames is handled once they are done (cli/interrupt.ts keeps its handler
 * armed while the commit is recorded, io/outputs.ts): the process then ends by the signal (status
 * 130 for Ctrl-C), saying which outputs are in place, rather than ending with status 0.
 */
export async function writeOutputsTogether<T>(f: () => Promise<T>): Promise<T> {
  const staged: Staged[] = [];
  let result: T;
  try {
    result = await batch.run(staged, f);
  } catch (e) {
    for (const s of staged.splice(0)) {
      rmSync(s.tmp, { force: true });
      s.untrack();
    }
    throw e;
  }
  const pending = staged.splice(0);
  if (pending.length === 0) return result;
  // recorded for an interrupt during the renames: it says which outputs are in place (io/outputs.ts)
  const commit = beginOutputCommit(pending.map((s) => s.file));
  try {
    try {
      for (const s of pending.slice()) {
        renameSync(s.tmp, s.file);
        commit.inPlace++;
        pending.shift();
        s.untrack();
        if (pending.length > 0) commitPauseForTest();
      }
    } catch (e) {
      const failed = pending[0];
      for (const s of pending) {
        rmSync(s.tmp, { force: true });
        s.untrack();
      }
      throw deviceError(e, failed.file) ?? e;
    }
  } finally {
    // a Ctrl-C during the renames reaches its handler only now (the loop is synchronous): it must
    // find the handler still armed and the commit still recorded, or the run ends with status 0
    await signalsDelivered();
    endOutputCommit(commit);
  }
  return result;
}

/**
 * A test hook, not a user setting (no flag, not in --help or the docs): with
 * FACTORLAB_TEST_COMMIT_PAUSE_MS set, the thread blocks that many milliseconds after each rename
 * of a commit but the last, as a slow file system would, so that
 * test/integration/cli/interruptCommit.test.ts can send SIGINT between two renames.
 */
function commitPauseForTest(): void {
  const ms = Number(process.env.FACTORLAB_TEST_COMMIT_PAUSE_MS);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The error a user can act on for a write the system refused (a full disk or quota, a read-only
 * or vanished file system), naming the target rather than the temporary file; undefined for any
 * other error. The Parquet writer reports a full disk as a short write.
 */
function deviceError(e: unknown, file: string): InputError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : '';
  const full = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || message.startsWith('short write to ');
  if (full)
    return new InputError('no space left on the device (or over the quota) while writing it: nothing was written', {
      file,
      hint: 'free some space, or write to another directory (a .csv.gz or .parquet output is several times smaller than .csv)',
    });
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return new InputError(`the system refused the write (${String(code)}): nothing was written`, {
      file,
      hint: 'choose a directory you can write in',
    });
  return undefined;
}

export async function writeTextAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await writeAtomic(file, (tmp) => writeFile(tmp, text));
}

/**
 * JSON with 2-space indent and a final newline; NaN and infinities become `null` (JSON has no NaN),
 * typed arrays arrays. The text is `JSON.stringify(value, replacer, 2)` byte for byte, written in
 * chunks of 64 KB as it is made (jsonText.ts, jsonBuffers): a 12 MB result is never one string.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeAtomic(file, (tmp) => writeChunks(tmp, jsonBuffers(value)));
}

/**
 * The compact JSON of `value` (`JSON.stringify(value)`, NaN and infinities as null, typed arrays
 * as arrays, Tables from their columns) in strings of about 64 K: for `--json` on stdout, so a
 * large result is never one string. Nothing for a value JSON has no text for.
 */
export function compactJsonChunks(value: unknown): Generator<string> {
  return joinPieces(jsonTextPieces(value, jsonReplacer, true, 0));
}

/** Bytes of the chunks jsonBuffers writes. */
const JSON_CHUNK = 1 << 16;

/**
 * The UTF-8 of the pieces, packed into chunks of {@link JSON_CHUNK} bytes as they come (the last
 * shorter): a piece that surely fits (3 bytes a UTF-16 unit at most) is encoded where it lands; a
 * larger one is encoded once and its bytes copied on (a run of whole chunks of it passed as one).
 * No string is joined first, and no chunk is a short scrap before a large piece.
 */
function* jsonBuffers(value: unknown): Generator<Buffer> {
  let any = false;
  let chunk = Buffer.allocUnsafe(JSON_CHUNK);
  let at = 0;
  for (const s of jsonTextPieces(value, jsonReplacer, true)) {
    any = true;
    if (at + 3 * s.length <= JSON_CHUNK) {
      at += chunk.write(s, at);
      continue;
    }
    const bytes = Buffer.from(s);
    let from = 0;
    while (from < bytes.length) {
      const whole = at === 0 ? bytes.length - from - ((bytes.length - from) % JSON_CHUNK) : 0;
      if (whole > 0) {
        yield bytes.subarray(from, from + whole);
        from += whole;
        continue;
      }
      const n = bytes.copy(chunk, at, from);
      at += n;
      from += n;
      if (at === JSON_CHUNK) {
        yield chunk;
        chunk = Buffer.allocUnsafe(JSON_CHUNK);
        at = 0;
      }
    }
  }
  const end = any ? '\n' : 'undefined\n'; // what `${JSON.stringify(undefined)}\n` wrote
  if (at + end.length > JSON_CHUNK) {
    yield chunk.subarray(0, at);
    yield Buffer.from(end);
  } else yield chunk.subarray(0, at + chunk.write(end, at));
}

/** Returns plain JSON values unchanged (non-finite numbers to null, as JSON does): jsonTextPieces' `plainUnchanged` holds. */
function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Float32Array) return Array.from(v);
  return v;
}

/** CSV text of a table (header line, `\n` line ends), as one string: for small tables. */
export function toCsv(data: TableData, options: WriteTableOptions = {}): string {
  return csvString(tableSource(data, options.wide === true));
}

/** Writes text chunks to `file`, waiting for the disk as it goes (`.csv.gz`: writeGzipMembers). */
async function writeChunks(file: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  await pipeline(Readable.from(chunks), createWriteStream(file));
}

/** Uncompressed bytes per gzip member (see writeGzipMembers). */
export const GZIP_MEMBER_BYTES = 4 << 20;
/** Members compressed at once, on libuv's thread pool. */
const GZIP_IN_FLIGHT = 3;
const gzipAsync = promisify(gzipCallback);

/**
 * The chunks gzipped to `file` as a series of gzip members of {@link GZIP_MEMBER_BYTES} each,
 * compressed side by side on libuv's thread pool (at most {@link GZIP_IN_FLIGHT} at once) and
 * written in order. A file of several members is one valid gzip stream (RFC 1952 §2.2): gunzip,
 * zcat, Python's gzip and pandas, DuckDB and factorlab's readers read it whole. One gzip stream
 * compressed on one thread (~110 MB/s at level 1) set the pace of every `.csv.gz` output: the
 * 5,774-ticker matrix written long (133 MB of text) waited ~1.2 s on it with the formatting
 * threads idle. The chunks are copied as they come (a producer may reuse a chunk's memory).
 */
async function writeGzipMembers(file: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  const fh = await open(file, 'w');
  const pending: Promise<Buffer>[] = [];
  let batch: Buffer[] = [],
    size = 0,
    members = 0;
  const compress = (): void => {
    const input = Buffer.concat(batch, size);
    batch = [];
    size = 0;
    members++;
    const p = gzipAsync(input, { level: GZIP_LEVEL });
    p.catch(() => undefined); // awaited in order below; not an unhandled rejection meanwhile
    pending.push(p);
  };
  const writeNext = async (): Promise<void> => {
    const out = await pending.shift()!;
    let at = 0;
    while (at < out.length) at += (await fh.write(out, at, out.length - at)).bytesWritten;
  };
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      batch.push(Buffer.from(chunk));
      size += chunk.length;
      if (size >= GZIP_MEMBER_BYTES) {
        compress();
        if (pending.length >= GZIP_IN_FLIGHT) await writeNext();
      }
    }
    if (size > 0 || members === 0) compress(); // an empty text is still one (empty) member
    while (pending.length > 0) await writeNext();
  } finally {
    await Promise.allSettled(pending);
    await fh.close();
  }
}

/**
 * Writes the chunks to `file` one at a time, each written out completely before the next is asked
 * for, so a producer may write the next chunk over the memory of the last (csvChunks `reuse`,
 * csvChunksParallel): measured on 484 MB of residual CSV, 0.3 s of system time instead of 0.6-1.0 s
 * (no fresh megabyte to fault in per chunk) and less garbage collection.
 */
async function writeFileChunks(file: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  const fh = await open(file, 'w');
  try {
    for await (const chunk of chunks) {
      let at = 0;
      while (at < chunk.length) at += (await fh.write(chunk, at, chunk.length - at)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Writes a Panel, Frame or records as CSV / CSV.gz / Parquet / JSON by the file's extension,
 * atomically. Throws an InputError for an unknown extension, a missing or unwritable directory,
 * or a target that is a directory (see `checkOutput`).
 */
export async function writeTable(file: string, data: TableData, options: WriteTableOptions = {}): Promise<void> {
  const format = checkOutput(file, { flag: 'output', formats: TABLE_FORMATS });
  const source = tableSource(data, options.wide === true);
  await writeAtomic(file, async (tmp) => {
    if (format === 'parquet')
      await (await import('./parquetWrite.js')).writeParquet(tmp, source); // loaded only for Parquet
    else if (format === 'json') await writeChunks(tmp, jsonChunks(source));
    else {
      const threads = formatThreads(options.threads);
      const gzip = format === 'csv.gz';
      if (threads > 1 && source.rowCount * source.columns.length >= PARALLEL_MIN_CELLS) {
        // the parallel formatter (and its worker) is loaded only for a table big enough to pay for it
        const chunks = (await import('./csvParallel.js')).csvChunksParallel(source, threads);
        // its chunks are reused once the next is asked for: the gzip writer copies each one
        await (gzip ? writeGzipMembers(tmp, chunks) : writeFileChunks(tmp, chunks));
      } else if (gzip) await writeGzipMembers(tmp, csvChunks(source));
      else await writeFileChunks(tmp, csvChunks(source, undefined, true)); // one chunk's memory, reused
    }
  });
}
