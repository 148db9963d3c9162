/**
 * A plain (not gzip) wide CSV read over several threads: the file is cut at line starts into K
 * byte ranges of about equal size ({@link lineRanges}); the calling thread parses the first range
 * (which holds the header) while K − 1 worker threads (splitWorker.ts) parse the others, each with
 * the same row parser as the one-thread read ({@link wideRowFn}); then the ranges are stitched in
 * file order and sorted by date exactly as {@link parseWide} sorts them. A shared read (the panel
 * wanted on shared memory) gives each range a region of one output buffer ({@link rangeRegions})
 * and joins them by moving rows down inside it; otherwise the workers' rows, on shared memory, are
 * appended to the first range's matrix, which was sized for the whole file.
 *
 * Physical lines: a worker numbers its range's lines from an arbitrary start; the true line of a
 * row is that plus the lines of the ranges before it (each range reports how many it read), so
 * `fileLine` and the duplicate-date error name the same lines as the one-thread read.
 *
 * Errors: when any range fails (a located InputError, a Declined, anything), the others are
 * stopped (a shared flag polled once per row, then the workers are terminated) and the whole file
 * is read again by the one-thread {@link parseWide}, which throws exactly what it throws today:
 * the first error in file order, with its line, column and value, or the same Declined. The error
 * path pays one more read up to the bad line; the good path never reads twice.
 *
 * A worker that cannot start (no compiled worker file: run from the TypeScript sources without a
 * build) also sends the read to the one-thread path: same numbers, one core.
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { forEachRow } from './lines.js';
import { GrowInt32, RowMatrix, type MatrixRegion } from './matrix.js';
import { fileChunks, type ByteRange } from './source.js';
import { parseLong, type LongPanel, type LongSpec } from './long.js';
import { LongRangeReader, readLongDirect, planLong, type LongFound, type LongPlan } from './longDirect.js';
import { noRows, parseWide, sortRows, wideRowFn, type WideMatrix, type WideSpec } from './wide.js';

/**
 * Below this many bytes a plain wide file is read on one thread: starting a worker thread costs
 * ~30-50 ms of wall time and CPU, more than half the parse of a file this size saves.
 */
export const MIN_SPLIT_BYTES = 24 << 20;

/** Line number given to the first line of a range after the first (any number > 1: no header skip). */
const PROVISIONAL_FIRST_LINE = 2;

/** The spec a worker gets: the wide spec without its callback. */
export type RangeSpec = Omit<WideSpec, 'onRows'>;

/** One wide range's task (a worker receives it as `workerData`, with `kind: 'wide'`). */
export interface RangeTask {
  spec: RangeSpec;
  range: ByteRange;
  /** Physical line of the range's first line (1: the range starts with the header). */
  firstLine: number;
  /** Set to 1 by whoever fails first; the others stop at their next row. */
  abort: Int32Array;
  /** Where the range's rows go first: its region of the one output buffer (shared reads; see {@link rangeRegions}). */
  region?: MatrixRegion;
}

/** What a range read gives back: its rows (values on shared memory when asked), their days and lines. */
export interface RangeResult {
  rows: number;
  /** Physical lines the range holds (blank ones included). */
  lines: number;
  values: Float64Array;
  days: Int32Array;
  fileLine: Int32Array;
  /** Every row went into the task's region (`values` is a view of it). */
  inRegion?: boolean;
}

/** Slack of a range's region over its estimated rows (the estimate is from the range's first lines). */
const REGION_SLACK = 1.25;

/**
 * One shared output buffer for a split read, a region of it per range. Every range but the last
 * gets as many rows as it has lines (counted: each row is a line, and the first range's header is
 * one more), so the next range's region starts where this range's rows will end and the join moves
 * nothing (only blank lines leave a gap); the last range gets its bytes over the bytes per line of
 * its first 256 KiB (more, up to 4 MiB, until 16 lines are seen), times {@link REGION_SLACK}, plus
 * 64 rows. The buffer is virtual until written: the last region's unused rows cost no memory.
 * Counting the lines reads the ranges before the last once more (~35 ms for 55 MB); estimating
 * them instead left the rows the join moved down behind, resident and unused (~9 MiB a file at
 * 3,000 assets).
 */
export async function rangeRegions(file: string, ranges: readonly ByteRange[], m: number): Promise<MatrixRegion[]> {
  const fh = await open(file, 'r');
  const rows: number[] = [];
  try {
    const window = Buffer.allocUnsafe(1 << 20);
    for (let k = 0; k < ranges.length; k++) {
      const r = ranges[k];
      const last = k === ranges.length - 1;
      let at = r.start,
        lines = 0;
      while (at < r.end && (!last || (lines < 16 && at - r.start < 4 << 20))) {
        const want = Math.min(last ? 256 * 1024 : window.length, r.end - at);
        const { bytesRead } = await fh.read(window, 0, want, at);
        if (bytesRead === 0) break;
        for (let i = window.indexOf(10); i !== -1 && i < bytesRead; i = window.indexOf(10, i + 1)) lines++;
        at += bytesRead;
      }
      if (!last) rows.push(k === 0 ? Math.max(0, lines - 1) : lines);
      else {
        const perLine = (at - r.start) / Math.max(1, lines);
        rows.push(Math.ceil(((r.end - r.start) / Math.max(1, perLine)) * REGION_SLACK) + 64);
      }
    }
  } finally {
    await fh.close();
  }
  const total = rows.reduce((a, b) => a + b, 0);
  const buffer = new SharedArrayBuffer(total * Math.max(1, m) * 8);
  let row = 0;
  return rows.map((n) => {
    const region = { buffer, row, rows: n };
    row += n;
    return region;
  });
}

/** A worker's reply. */
export type RangeReply = ({ ok: true } & RangeResult) | { ok: false; message: string };

/**
 * Cuts `[0, size)` into at most `k` ranges of about `size / k` bytes, each but the first starting
 * right after a `\n` (so at a line start), none empty. The first range starts at 0 and holds the
 * header. A cut that finds no newline after it (one long last line) is dropped.
 */
export async function lineRanges(file: string, size: number, k: number): Promise<ByteRange[]> {
  const starts = [0];
  if (k > 1 && size > 0) {
    const fh = await open(file, 'r');
    try {
      const window = Buffer.allocUnsafe(64 * 1024);
      for (let i = 1; i < k; i++) {
        // The first newline at or after the byte before the cut: the range starts after it.
        let at = Math.max(Math.floor((size * i) / k) - 1, starts[starts.length - 1]);
        let start = -1;
        while (at < size) {
          const { bytesRead } = await fh.read(window, 0, window.length, at);
          if (bytesRead === 0) break;
          const nl = window.subarray(0, bytesRead).indexOf(10);
          if (nl >= 0) {
            start = at + nl + 1;
            break;
          }
          at += bytesRead;
        }
        if (start < 0 || start >= size) break;
        if (start > starts[starts.length - 1]) starts.push(start);
      }
    } finally {
      await fh.close();
    }
  }
  return starts.map((s, i) => ({ start: s, end: i + 1 < starts.length ? starts[i + 1] : size }));
}

/**
 * Parses one range with the one-thread row parser. The values go into a matrix sized from
 * `spec.textBytes` (on shared memory when `spec.shared`); `onRows` sees the range's progress.
 */
export async function parseWideRange(task: RangeTask, onRows?: (rows: number) => void): Promise<RangeResult> {
  const { spec, range, firstLine, abort, region } = task;
  const store = new RowMatrix(spec.cols.length, spec.textBytes, spec.shared, region);
  const days = new GrowInt32(),
    lines = new GrowInt32();
  const row = wideRowFn(spec, store, days, lines, () => Atomics.load(abort, 0) !== 0);
  try {
    const st = await forEachRow(
      fileChunks(spec.file, false, range),
      row,
      onRows === undefined ? undefined : (s) => onRows(s.rows),
      firstLine,
    );
    return {
      rows: store.rows,
      lines: st.lines,
      values: store.finish(),
      days: days.view().slice(),
      fileLine: lines.view().slice(),
      inRegion: store.inRegion,
    };
  } catch (e) {
    Atomics.store(abort, 0, 1);
    throw e;
  }
}

/** The compiled worker entry beside this module (dist/io/csv/), or the checkout's dist/ when run from sources; undefined if neither exists. */
export function splitWorkerFile(): URL | undefined {
  const candidates = [new URL('./splitWorker.js', import.meta.url), new URL('../../../dist/io/csv/splitWorker.js', import.meta.url)];
  return candidates.find((c) => existsSync(fileURLToPath(c)));
}

/**
 * A worker thread spoken to in turns: {@link Conversation.reply} resolves with its next reply
 * (`ok: false` replies, an error or an early exit reject it, and set `abort` so the other ranges
 * stop).
 */
class Conversation {
  private readonly replies: RangeReplyAny[] = [];
  private waiting: { resolve: (r: RangeReplyAny) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;

  constructor(
    readonly worker: Worker,
    abort: Int32Array,
  ) {
    const fail = (e: unknown): void => {
      Atomics.store(abort, 0, 1);
      this.failure ??= e;
      this.waiting?.reject(e);
      this.waiting = undefined;
    };
    worker.on('message', (r: RangeReplyAny) => {
      if (!r.ok) return fail(new Error(r.message));
      if (this.waiting !== undefined) {
        this.waiting.resolve(r);
        this.waiting = undefined;
      } else this.replies.push(r);
    });
    worker.once('error', fail);
    // A worker ends by itself after its last reply: an exit is a failure only for a reply still awaited.
    worker.once('exit', (code) => {
      const e = new Error(`the range worker exited with code ${code} before replying`);
      if (this.waiting !== undefined) fail(e);
      else this.failure ??= e;
    });
  }

  reply<T extends RangeReplyAny>(): Promise<T> {
    const r = this.replies.shift();
    if (r !== undefined) return Promise.resolve(r as T);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.waiting = { resolve: resolve as (r: RangeReplyAny) => void, reject };
    });
  }
}

/** Every reply a range worker sends (split by task kind in splitWorker.ts). */
export type RangeReplyAny = RangeReply | LongScanReply | LongPlaceReply;

/** A long range's pass-1 reply. */
export type LongScanReply = { ok: true; found: LongFound } | { ok: false; message: string };
/** A long range's pass-2 reply. */
export type LongPlaceReply = { ok: true; rows: number } | { ok: false; message: string };

/** A long range's task (`workerData`): pass 1 at once, pass 2 when the plan arrives as a message. */
export interface LongRangeTask {
  kind: 'long';
  spec: Omit<LongSpec, 'onRows'>;
  range: ByteRange;
  firstLine: number;
  abort: Int32Array;
}

/** The plan as a range receives it: a {@link LongPlan} without its function, and the range's index in `ranks`. */
export type LongPlanMessage = Omit<LongPlan, 'panel'> & { range: number };

function spawn(entry: URL, workerData: unknown, started: Worker[], abort: Int32Array): Conversation {
  const w = new Worker(entry, { workerData });
  started.push(w);
  return new Conversation(w, abort);
}

/** For tests: how the ranges run, and which route a read took. */
export interface SplitHooks {
  /** Runs a range instead of a worker thread (tests run every range in process). */
  runRange?: (task: RangeTask) => Promise<RangeResult>;
  /** Told `'split'` when the ranges were stitched, `'one-thread'` when the whole file was read by parseWide. */
  route?: (how: 'split' | 'one-thread') => void;
  /** Told how the ranges' rows were joined: in their regions of one buffer, or copied into a new array. */
  joined?: (how: 'in-place' | 'copied') => void;
}

/**
 * A wide CSV (plain, not gzip) read over `threads` threads as described in the module comment;
 * the same {@link WideMatrix}, bit for bit, as {@link parseWide} of the whole file, and the same
 * error when the file has one.
 */
export async function parseWideSplit(spec: WideSpec, threads: number, hooks: SplitHooks = {}): Promise<WideMatrix> {
  const file = spec.file;
  const runRange = hooks.runRange;
  const oneThread = (): Promise<WideMatrix> => {
    hooks.route?.('one-thread');
    return parseWide(fileChunks(file, false), spec);
  };
  const size = (await stat(file)).size;
  const entry = runRange === undefined ? splitWorkerFile() : undefined;
  if (threads < 2 || (runRange === undefined && entry === undefined)) return oneThread();
  const ranges = await lineRanges(file, size, threads);
  if (ranges.length < 2) return oneThread();

  const abort = new Int32Array(new SharedArrayBuffer(4));
  const { onRows: _onRows, ...rest } = spec;
  // A shared read writes every range into its region of one buffer (no range in a buffer of its own
  // to copy and free later); otherwise the ranges are appended to the first range's matrix.
  const regions = spec.shared ? await rangeRegions(file, ranges, spec.cols.length) : undefined;
  const started: Worker[] = [];
  // Every range is settled and every worker gone before the one-thread read starts or this returns
  // (a worker that cannot even start sends the read there too).
  let parts: RangeResult[] | undefined;
  try {
    const others = ranges.slice(1).map((range, i) => {
      const task: RangeTask = {
        spec: { ...rest, shared: true, textBytes: range.end - range.start },
        range,
        firstLine: PROVISIONAL_FIRST_LINE,
        abort,
        ...(regions !== undefined ? { region: regions[i + 1] } : {}),
      };
      return runRange !== undefined
        ? runRange(task)
        : spawn(entry!, { kind: 'wide', ...task }, started, abort).reply<{ ok: true } & RangeResult>();
    });
    const first = parseWideRange(
      {
        spec: { ...rest, textBytes: size },
        range: ranges[0],
        firstLine: 1,
        abort,
        ...(regions !== undefined ? { region: regions[0] } : {}),
      },
      spec.onRows,
    );
    parts = await settleAll([first, ...others], abort);
  } catch {
    parts = undefined;
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
  if (parts === undefined) return oneThread();
  hooks.route?.('split');
  return stitch(parts, spec, regions, hooks);
}

/**
 * The ranges' rows in file order, true lines, then the date sort. With regions: when every range
 * stayed in its own, each range's rows are moved down behind the previous ones inside the one
 * buffer (no copy elsewhere); when one outgrew its region, everything is copied into a new array.
 * Without: appended to the first range's matrix.
 */
function stitch(parts: RangeResult[], spec: WideSpec, regions: MatrixRegion[] | undefined, hooks: SplitHooks): WideMatrix {
  const m = spec.cols.length;
  const n = parts.reduce((a, p) => a + p.rows, 0);
  if (n === 0) throw noRows(spec.file);
  let values: Float64Array;
  if (regions !== undefined && parts.every((p) => p.inRegion === true)) {
    const all = new Float64Array(regions[0].buffer);
    let at = parts[0].rows;
    for (let k = 1; k < parts.length; k++) {
      const from = regions[k].row;
      if (from !== at) all.copyWithin(at * m, from * m, (from + parts[k].rows) * m); // down, never up: at <= from
      at += parts[k].rows;
    }
    values = all.subarray(0, n * m);
    hooks.joined?.('in-place');
  } else {
    // parts[0].values is a view of the first range's matrix; rebuild the matrix around it to append
    // (with regions, always into a new array: the parts may lie in the buffer it would append into).
    values = appendAll(parts, m, n, spec.shared, regions !== undefined);
    hooks.joined?.('copied');
  }
  const days = new Int32Array(n),
    fileLine = new Int32Array(n);
  let r = 0,
    lineBase = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    days.set(p.days, r);
    // Range 0 numbers its lines from 1 (the true numbers); range k from PROVISIONAL_FIRST_LINE.
    const shift = k === 0 ? 0 : lineBase + 1 - PROVISIONAL_FIRST_LINE;
    for (let i = 0; i < p.rows; i++) fileLine[r + i] = p.fileLine[i] + shift;
    r += p.rows;
    lineBase += p.lines;
  }
  return sortRows(days, values, fileLine, m, spec.file, spec.dateCol);
}

/**
 * The rows of every part in order as one array of `n * m` cells. The first part's values are a
 * view of a buffer sized for the whole file: the later parts are copied in after it when it has
 * room (no copy of the first part), else everything goes into a new array.
 */
function appendAll(parts: RangeResult[], m: number, n: number, shared: boolean, fresh: boolean): Float64Array {
  const head = parts[0].values;
  const room = (head.buffer.byteLength - head.byteOffset) / 8;
  if (!fresh && room >= n * m && (!shared || head.buffer instanceof SharedArrayBuffer)) {
    const out = new Float64Array(head.buffer, head.byteOffset, n * m);
    let p = head.length;
    for (let k = 1; k < parts.length; k++) {
      out.set(parts[k].values, p);
      p += parts[k].values.length;
    }
    return out;
  }
  const out = shared ? new Float64Array(new SharedArrayBuffer(n * m * 8)) : new Float64Array(n * m);
  let p = 0;
  for (const part of parts) {
    out.set(part.values, p);
    p += part.values.length;
  }
  return out;
}

/** For tests: how long ranges run in process (a stand-in for the worker), and the route taken. */
export interface LongSplitHooks {
  runRange?: (task: LongRangeTask) => LongRange;
  route?: (how: 'split' | 'one-thread') => void;
}

/** A long range's two passes, in this thread or on a worker. */
export interface LongRange {
  scan(): Promise<LongFound>;
  place(plan: LongPlanMessage): Promise<number>;
}

/** A long range run in this thread (the first range; tests run every range so; the worker runs the same two calls). */
export function longRangeInProcess(task: LongRangeTask, onRows?: (rows: number) => void): LongRange {
  const reader = new LongRangeReader(task.spec, () => Atomics.load(task.abort, 0) !== 0);
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      Atomics.store(task.abort, 0, 1);
      throw e;
    }
  };
  return {
    scan: () => guard(async () => (await reader.scan(fileChunks(task.spec.file, false, task.range), task.firstLine), reader.found())),
    place: (plan) => guard(() => reader.place(fileChunks(task.spec.file, false, task.range), task.firstLine, plan, plan.range, onRows)),
  };
}

/**
 * A long `date, asset, value` CSV (plain, not gzip) read by the two-pass direct route over
 * `threads` threads: the file is cut at line starts as for wide files; every range runs pass 1
 * (its dates and assets, longDirect.ts {@link LongRangeReader}) at once, the calling thread joins
 * them into one calendar and asset order ({@link planLong}) and allocates the panel on shared
 * memory, then every range runs pass 2, writing its values straight into the panel. A (date,
 * asset) given in two ranges is caught by counting the filled cells. Same result, bit for bit, as
 * the one-thread read; on anything but plain good rows in any range the file is read by the
 * one-pass {@link parseLong}, which raises today's located error (or reads the file), exactly as
 * the one-thread two-pass read falls back to it.
 */
export async function parseLongSplit(spec: LongSpec, threads: number, hooks: LongSplitHooks = {}): Promise<LongPanel> {
  const file = spec.file;
  const onePass = (): Promise<LongPanel> => {
    hooks.route?.('one-thread');
    return parseLong(fileChunks(file, false), spec);
  };
  const entry = hooks.runRange === undefined ? splitWorkerFile() : undefined;
  const size = (await stat(file)).size;
  const ranges = threads < 2 || (hooks.runRange === undefined && entry === undefined) ? [] : await lineRanges(file, size, threads);
  if (ranges.length < 2) {
    hooks.route?.('one-thread');
    return readLongDirect(() => fileChunks(file, false), spec);
  }
  const abort = new Int32Array(new SharedArrayBuffer(4));
  const { onRows, ...rest } = spec;
  const started: Worker[] = [];
  const tasks: LongRangeTask[] = ranges
    .slice(1)
    .map((range) => ({ kind: 'long', spec: rest, range, firstLine: PROVISIONAL_FIRST_LINE, abort }));
  let panel: LongPanel | undefined;
  try {
    const others = tasks.map((task): LongRange => {
      if (hooks.runRange !== undefined) return hooks.runRange(task);
      const c = spawn(entry!, task, started, abort);
      return {
        scan: async () => (await c.reply<{ ok: true; found: LongFound }>()).found,
        place: async (plan) => {
          c.worker.postMessage(plan);
          return (await c.reply<{ ok: true; rows: number }>()).rows;
        },
      };
    });
    const first = longRangeInProcess({ kind: 'long', spec: rest, range: ranges[0], firstLine: 1, abort }, onRows);
    const found = await settleAll([first.scan(), ...others.map((o) => o.scan())], abort);
    const plan = planLong(found, true);
    const { panel: make, ...wire } = plan;
    const rows = await settleAll(
      [first, ...others].map((r, range) => r.place({ ...wire, range })),
      abort,
    );
    const total = rows.reduce((a, r) => a + r, 0);
    // A (date, asset) in two ranges: both ranges marked the same cell, so fewer cells are filled than rows placed.
    let cells = 0;
    for (let p = 0; p < plan.filled.length; p++) cells += plan.filled[p];
    if (cells === total) panel = make(total);
  } catch {
    panel = undefined;
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
  if (panel === undefined) return onePass();
  hooks.route?.('split');
  return panel;
}

/** Awaits every promise (so nothing is left running when one fails), then gives their values or throws the first failure. */
async function settleAll<T>(ps: Promise<T>[], abort: Int32Array): Promise<T[]> {
  const rs = await Promise.allSettled(
    ps.map((p) =>
      p.catch((e: unknown) => {
        Atomics.store(abort, 0, 1);
        throw e;
      }),
    ),
  );
  const bad = rs.find((r) => r.status === 'rejected');
  if (bad !== undefined) throw (bad as PromiseRejectedResult).reason;
  return rs.map((r) => (r as PromiseFulfilledResult<T>).value);
}
