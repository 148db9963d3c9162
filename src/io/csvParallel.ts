/**
 * CSV text of a large table formatted on two or more threads: the rows are cut into jobs of about
 * {@link JOB_CELLS} cells, in order; each job is formatted either by a worker thread
 * (csvWorker.ts) or by the calling thread, whichever is free (the calling thread takes a job
 * itself when every worker already has {@link WORKER_DEPTH} in flight), and the jobs' bytes are
 * handed on strictly in row order. Every thread formats with the same {@link CsvRowWriter}, so the
 * text is byte for byte the one-thread {@link csvChunks} text, whichever thread wrote a job.
 *
 * Memory: {@link SLOTS} job slots in shared memory (a SharedArrayBuffer per column and one for the
 * text: ~1 MB of cells in and ~2 MB of text out for a long panel), allocated once and reused, so
 * nothing is transferred or garbage-collected per job (transferring fresh buffers each job cost
 * more CPU in the garbage collector and in postMessage than the second thread saved). A chunk
 * handed on is a view of its slot's text: the consumer must be done with it (have written it out)
 * before it asks for the next chunk, when the slot is refilled.
 *
 * When it pays: a worker costs ~30-50 ms to start (a thread and the formatter's modules), and
 * formatting runs at ~100-200 ns a cell, so write.ts takes this route only for tables of at least
 * `PARALLEL_MIN_CELLS` cells (a few tenths of a second of formatting) and two threads; smaller
 * tables are formatted on the calling thread by `csvChunks`, and this module is not even loaded.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvJob, CsvJobDone, CsvWorkerData, SharedSlot } from './csvWorker.js';
import type { TableSource } from './tableBlocks.js';
import { CsvRowWriter } from './textBlocks.js';

/** Cells per job: 128 Ki. */
export const JOB_CELLS = 1 << 17;
/** Jobs a worker holds at once (one formatting, one queued so it never waits for the calling thread). */
export const WORKER_DEPTH = 2;
/** Job slots: jobs in flight or formatted and waiting to be handed on, at most. */
export const SLOTS = 6;

/** The compiled worker entry (next to this module in dist/, or dist/'s when run from the sources under vitest). */
function workerUrl(): URL {
  const candidates = [new URL('./csvWorker.js', import.meta.url), new URL('../../dist/io/csvWorker.js', import.meta.url)];
  for (const c of candidates) if (existsSync(fileURLToPath(c))) return c;
  throw new Error(
    `factorlab: the CSV worker entry dist/io/csvWorker.js is missing; run \`npm run build\` first (looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')})`,
  );
}

/** One worker thread: jobs in, lengths out by slot; a crash rejects every job in flight. */
class CsvThread {
  readonly worker: Worker;
  inFlight = 0;
  private readonly waiting = new Map<number, { resolve: (length: number) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(url: URL, data: CsvWorkerData) {
    this.worker = new Worker(url, { workerData: data });
    this.worker.unref(); // an interrupted or failed write never waits for it
    this.worker.on('message', (r: CsvJobDone) => {
      const w = this.waiting.get(r.slot);
      this.waiting.delete(r.slot);
      this.inFlight--;
      w?.resolve(r.length);
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

  run(job: CsvJob): Promise<number> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.inFlight++;
    const p = new Promise<number>((resolve, reject) => this.waiting.set(job.slot, { resolve, reject }));
    this.worker.postMessage(job);
    return p;
  }
}

/** A job handed out, in row order: its slot, and its text's length once known. */
interface Pending {
  slot: number;
  length: number; // -1 while a worker formats it
  done: Promise<number> | null;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The CSV bytes of `source` (header first), formatted on `threads` threads (`threads - 1` workers
 * and the calling thread), in row order. Each chunk is a view of shared memory that is written over
 * once the consumer asks for the next chunk. The workers end when the generator ends or is closed.
 */
export async function* csvChunksParallel(
  source: TableSource,
  threads: number,
  jobCells: number = JOB_CELLS,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { columns } = source;
  const writer = new CsvRowWriter(columns);
  yield writer.header;
  const jobRows = Math.max(1, Math.floor(jobCells / Math.max(1, columns.length)));
  const shared: SharedSlot[] = Array.from({ length: SLOTS }, () => ({
    data: columns.map((c) => new SharedArrayBuffer(jobRows * (c.kind === 'number' ? 8 : 4))),
    out: new SharedArrayBuffer(jobRows * writer.rowBound),
  }));
  const slots = shared.map((s) => ({
    data: s.data.map((b, c) => (columns[c].kind === 'number' ? new Float64Array(b) : new Int32Array(b))),
    out: new Uint8Array(s.out),
  }));
  const url = workerUrl();
  const workers = Array.from({ length: Math.max(1, threads - 1) }, () => new CsvThread(url, { columns: [...columns], slots: shared }));
  const free = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  const queue: Pending[] = [];

  /** Hands on the oldest job's text (waiting for its worker if need be); its slot is free once the consumer asks for more. */
  async function* handOn(): AsyncGenerator<Uint8Array, void, undefined> {
    const head = queue.shift() as Pending;
    const length = head.length >= 0 ? head.length : await (head.done as Promise<number>);
    yield slots[head.slot].out.subarray(0, length);
    free.push(head.slot);
  }

  const dispatch = (slot: number, rows: number): void => {
    const worker = workers.find((w) => w.inFlight < WORKER_DEPTH);
    if (worker === undefined) {
      const s = slots[slot];
      queue.push({ slot, length: writer.write(s.data, 0, rows, s.out, 0), done: null });
      return;
    }
    const pending: Pending = { slot, length: -1, done: null };
    pending.done = worker.run({ slot, rows }).then((length) => (pending.length = length));
    pending.done.catch(() => undefined); // awaited in order by handOn; not an unhandled rejection meanwhile
    queue.push(pending);
  };

  try {
    let slot = -1;
    let rows = 0;
    for (const block of source.blocks()) {
      let r = 0;
      while (r < block.rows) {
        if (slot < 0) {
          while (free.length === 0) yield* handOn();
          slot = free.pop() as number;
          rows = 0;
        }
        const take = Math.min(block.rows - r, jobRows - rows);
        const data = slots[slot].data;
        for (let c = 0; c < columns.length; c++) data[c].set(block.data[c].subarray(r, r + take), rows);
        rows += take;
        r += take;
        if (rows === jobRows) {
          dispatch(slot, rows);
          slot = -1;
          await nextTurn(); // let finished workers report
          while (queue.length > 0 && queue[0].length >= 0) yield* handOn();
        }
      }
    }
    if (slot >= 0 && rows > 0) dispatch(slot, rows);
    while (queue.length > 0) yield* handOn();
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
