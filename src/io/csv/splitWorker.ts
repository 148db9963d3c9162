/**
 * Worker-thread entry of the split wide read (split.ts): parses the range in `workerData` and
 * posts its rows (values on shared memory) or its failure, then ends. Loaded from the compiled
 * `dist/io/csv/splitWorker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseWideRange, type RangeReply, type RangeTask } from './split.js';

const task = workerData as RangeTask;
parseWideRange(task).then(
  (r) => parentPort!.postMessage({ ok: true, ...r } satisfies RangeReply),
  (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies RangeReply),
);
