/**
 * The entry of a zoo thread (threads.ts): takes factor indices from the shared counter until none
 * is left, runs each on the shared inputs as the one-thread zoo does, posts each outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runFactor } from './factorRun.js';
import { sharedInputsOf, type ThreadMessage, type ThreadStart } from './threads.js';

const start = workerData as ThreadStart;
const inputs = sharedInputsOf(start.inputs);
const post = (m: ThreadMessage): void => parentPort?.postMessage(m);
for (let i = Atomics.add(start.next, 0, 1); i < start.specs.length; i = Atomics.add(start.next, 0, 1)) {
  const outcome = await runFactor(start.flags, start.specs[i], inputs, start.files[i], false);
  post({ kind: 'factor', index: i, outcome });
}
post({ kind: 'done' });
