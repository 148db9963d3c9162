/**
 * Worker-thread entry of the parallel CSV writer (csvParallel.ts): formats jobs of rows with the
 * same {@link CsvRowWriter} as the calling thread, so a row's bytes do not depend on which thread
 * wrote it. Messages in: `{ id, rows, data }` (one typed array per column, transferred); out:
 * `{ id, bytes, data }` (the row text, and the input arrays handed back for reuse, both transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableColumn } from './tableBlocks.js';
import { CsvRowWriter } from './textBlocks.js';

export interface CsvJob {
  id: number;
  rows: number;
  data: (Int32Array | Float64Array)[];
}

export interface CsvJobResult {
  id: number;
  bytes: Uint8Array;
  data: (Int32Array | Float64Array)[];
}

const port = parentPort;
if (port !== null) {
  const writer = new CsvRowWriter((workerData as { columns: TableColumn[] }).columns);
  port.on('message', (job: CsvJob) => {
    const buf = new Uint8Array(job.rows * writer.rowBound);
    const end = writer.write(job.data, 0, job.rows, buf, 0);
    const result: CsvJobResult = { id: job.id, bytes: buf.subarray(0, end), data: job.data };
    port.postMessage(result, [buf.buffer, ...job.data.map((a) => a.buffer as ArrayBuffer)]);
  });
}
