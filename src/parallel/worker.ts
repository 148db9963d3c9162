/**
 * Worker entry of the pool (loaded by piscina from the compiled `dist/parallel/worker.js`; a worker
 * thread cannot load the TypeScript sources, see pool.ts).
 */
import { type PoolTask, type TaskResult, runTask } from './tasks.js';

export default function run(task: PoolTask): TaskResult {
  return runTask(task);
}
