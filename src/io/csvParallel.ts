/**
 * CSV text of a large table formatted on two or more threads: the rows are cut into jobs of about
 * {@link JOB_CELLS} cells, in order; each job is formatted either by a worker thread
 * (csvWorker.ts) or by the calling thread, whichever is free (the calling thread takes a job
 * itself when every worker already has {@link WORKER_DEPTH} in flight), and the jobs' bytes are
 * handed on strictly in row order. Every thread formats with the same {@link CsvRowWriter}, so the
 * text is byte for byte the one-thread {@link csvChunks} text, whichever thread wrote a job.
 *
 * When it pays: a worker costs ~30-50 ms to start (a thread and the formatter's modules), and
 * formatting runs at ~100-200 ns a cell, so write.ts takes this route only for tables of at least
 * `PARALLEL_MIN_CELLS` cells (a few tenths of a second of formatting) and two threads; smaller
 * tables are formatted on the calling thread by `csvChunks`, and this module is not even loaded.
 *
 * Memory: at most `WORKER_DEPTH` jobs per worker plus {@link MAX_QUEUE} jobs' text waiting
 * (a job is 128 Ki cells: ~1 MB of doubles in, ~2-3 MB of text out).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvJob, CsvJobResult } from './csvWorker.js';
import type { TableSource } from './tableBlocks.js';
import { CsvRowWriter } from './textBlocks.js';

/** Cells per job: 128 Ki. */
export const JOB_CELLS = 1 << 17;
/** Jobs a worker holds at once (one formatting, one queued so it never waits for the calling thread). */
export const WORKER_DEPTH = 2;
/** Jobs formatted but not yet handed on, at most (beyond it the calling thread waits for the oldest). */
export const MAX_QUEUE = 8;
/** The compiled worker entry (next to this module in dist/, or dist/'s when run from the sources under vitest). */
function workerUrl(): URL {
  const candidates = [new URL('./csvWorker.js', import.meta.url), new URL('../../dist/io/csvWorker.js', import.meta.url)];
  for (const c of candidates) if (existsSync(fileURLToPath(c))) return c;
  throw new Error(
    `factorlab: the CSV worker entry dist/io/csvWorker.js is missing; run \`npm run build\` first (looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')})`,
  );
}

interface Slot {
  bytes: Uint8Array | null;
  promise: Promise<Uint8Array> | null;
}

/** One worker thread: jobs in, results out by id; a crash rejects every job in flight. */
class CsvThread {
  readonly worker: Worker;
  inFlight = 0;
  private readonly waiting = new Map<number, { resolve: (r: CsvJobResult) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(url: URL, source: TableSource) {
    this.worker = new Worker(url, { workerData: { columns: source.columns } });
    this.worker.unref(); // an interrupted or failed write never waits for it
    this.worker.on('message', (r: CsvJobResult) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      this.inFlight--;
      w?.resolve(r);
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (this.waiting.size > 0) fail(new Error(`factorlab: a CSV formatting thread exited (code ${code})`));
    });
  }

  run(job: CsvJob): Promise<CsvJobResult> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.inFlight++;
    const p = new Promise<CsvJobResult>((resolve, reject) => this.waiting.set(job.id, { resolve, reject }));
    this.worker.postMessage(
      job,
      job.data.map((a) => a.buffer as ArrayBuffer),
    );
    return p;
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The CSV bytes of `source` (header first), formatted on `threads` threads (`threads - 1` workers
 * and the calling thread), in row order. The workers end when the generator ends or is closed.
 */
export async function* csvChunksParallel(
  source: TableSource,
  threads: number,
  jobCells: number = JOB_CELLS,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { columns } = source;
  const writer = new CsvRowWriter(columns);
  yield writer.header;
  const url = workerUrl();
  const threadsList = Array.from({ length: Math.max(1, threads - 1) }, () => new CsvThread(url, source));
  const jobRows = Math.max(1, Math.floor(jobCells / Math.max(1, columns.length)));
  const spare: (Int32Array | Float64Array)[][] = [];
  const fresh = (): (Int32Array | Float64Array)[] =>
    spare.pop() ?? columns.map((c) => (c.kind === 'number' ? new Float64Array(jobRows) : new Int32Array(jobRows)));
  const queue: Slot[] = [];
  let id = 0;
  let job = fresh();
  let rows = 0;

  const dispatch = (): void => {
    const n = rows;
    const data = job;
    rows = 0;
    const free = threadsList.find((t) => t.inFlight < WORKER_DEPTH);
    if (free !== undefined) {
      const slot: Slot = { bytes: null, promise: null };
      slot.promise = free.run({ id: id++, rows: n, data }).then((r) => {
        spare.push(r.data);
        slot.bytes = r.bytes;
        return r.bytes;
      });
      slot.promise.catch(() => undefined); // awaited in order below; not an unhandled rejection meanwhile
      queue.push(slot);
      job = fresh();
    } else {
      const buf = Buffer.allocUnsafe(n * writer.rowBound);
      const end = writer.write(data, 0, n, buf, 0);
      queue.push({ bytes: buf.subarray(0, end), promise: null });
      job = data; // formatted already: reuse
    }
  };

  try {
    for (const block of source.blocks()) {
      let r = 0;
      while (r < block.rows) {
        const take = Math.min(block.rows - r, jobRows - rows);
        for (let c = 0; c < columns.length; c++) job[c].set(block.data[c].subarray(r, r + take), rows);
        rows += take;
        r += take;
        if (rows === jobRows) {
          dispatch();
          await nextTurn(); // let finished workers report
          while (queue.length > 0 && (queue[0].bytes !== null || queue.length >= MAX_QUEUE)) {
            const head = queue[0];
            const bytes = head.bytes ?? (await (head.promise as Promise<Uint8Array>));
            queue.shift();
            yield bytes;
          }
        }
      }
    }
    if (rows > 0) dispatch();
    while (queue.length > 0) {
      const head = queue[0];
      const bytes = head.bytes ?? (await (head.promise as Promise<Uint8Array>));
      queue.shift();
      yield bytes;
    }
  } finally {
    await Promise.all(threadsList.map((t) => t.worker.terminate()));
  }
}
