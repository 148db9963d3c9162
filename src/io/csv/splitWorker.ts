/**
 * Worker-thread entry of the split reads (split.ts), loaded from the compiled
 * `dist/io/csv/splitWorker.js`. A wide range (`kind: 'wide'`): parses it and posts its rows
 * (values on shared memory). A long range (`kind: 'long'`): runs pass 1 and posts what it found,
 * waits for the plan, runs pass 2 into the shared panel and posts its row count. Any failure is
 * posted as `ok: false` (the calling thread then reads the file on one thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  longRangeInProcess,
  parseWideRange,
  type LongPlaceReply,
  type LongPlanMessage,
  type LongRangeTask,
  type LongScanReply,
  type RangeReply,
  type RangeTask,
} from './split.js';

const port = parentPort!;
const failed = (e: unknown): { ok: false; message: string } => ({ ok: false, message: e instanceof Error ? e.message : String(e) });
const task = workerData as (RangeTask & { kind: 'wide' }) | LongRangeTask;

if (task.kind === 'wide') {
  parseWideRange(task).then(
    (r) => port.postMessage({ ok: true, ...r } satisfies RangeReply),
    (e: unknown) => port.postMessage(failed(e) satisfies RangeReply),
  );
} else {
  const range = longRangeInProcess(task);
  range.scan().then(
    (found) => {
      port.once('message', (plan: LongPlanMessage) => {
        range.place(plan).then(
          (rows) => port.postMessage({ ok: true, rows } satisfies LongPlaceReply),
          (e: unknown) => port.postMessage(failed(e) satisfies LongPlaceReply),
        );
      });
      port.postMessage({ ok: true, found } satisfies LongScanReply);
    },
    (e: unknown) => port.postMessage(failed(e) satisfies LongScanReply),
  );
}
