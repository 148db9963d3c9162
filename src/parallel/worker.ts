/**
 * Worker entry of the pool (loaded by piscina from the compiled `dist/parallel/worker.js`; a worker
 * thread cannot load the TypeScript sources, see pool.ts).
 */
import { type PoolTask, runTask } from './tasks.js';

export default function run(task: PoolTask): number {
  return runTask(task);
}
