/**
 * Worker-thread entry of the parallel CSV writer (csvParallel.ts): formats jobs of rows with the
 * same {@link CsvRowWriter} as the calling thread, so a row's bytes do not depend on which thread
 * wrote it. The jobs live in shared memory slots (csvParallel.ts `Slot`), so a message is two
 * numbers each way and nothing is copied or transferred: in `{ slot, rows }` (the slot's column
 * arrays hold the rows), out `{ slot, length }` (the slot's text buffer holds the bytes).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableColumn } from './tableBlocks.js';
import { CsvRowWriter } from './textBlocks.js';

/** One slot's shared memory: a buffer per column (Float64 for numbers, Int32 otherwise) and one for the text. */
export interface SharedSlot {
  data: SharedArrayBuffer[];
  out: SharedArrayBuffer;
}

export interface CsvWorkerData {
  columns: TableColumn[];
  slots: SharedSlot[];
}

export interface CsvJob {
  slot: number;
  rows: number;
}

export interface CsvJobDone {
  slot: number;
  length: number;
}

const port = parentPort;
if (port !== null) {
  const { columns, slots } = workerData as CsvWorkerData;
  const writer = new CsvRowWriter(columns);
  const views = slots.map((s) => ({
    data: s.data.map((b, c) => (columns[c].kind === 'number' ? new Float64Array(b) : new Int32Array(b))),
    out: new Uint8Array(s.out),
  }));
  port.on('message', (job: CsvJob) => {
    const v = views[job.slot];
    const done: CsvJobDone = { slot: job.slot, length: writer.write(v.data, 0, job.rows, v.out, 0) };
    port.postMessage(done);
  });
}
