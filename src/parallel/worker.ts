/**
 * Worker entry of the pool (loaded by piscina from the compiled `dist/parallel/worker.js`; a worker
 * thread cannot load the TypeScript sources, see pool.ts). It imports the kernel module of a task's
 * kind on the first task of that kind (kernels/ols, kernels/signals, kernels/rolling), so a worker
 * loads only the code it runs.
 */
import type { PoolTask, TaskResult } from './tasks.js';
import type { OlsIssue } from '../stats/ols.js';

export default async function run(task: PoolTask): Promise<TaskResult> {
  const t0 = performance.now();
  let issues: OlsIssue[] = [];
  if (task.kind === 'olsRange' || task.kind === 'neweyWestRange') issues = (await import('./kernels/ols.js')).runOlsTask(task);
  else if (task.kind === 'prepareRange' || task.kind === 'analyzeRange') (await import('./kernels/signals.js')).runSignalsTask(task);
  else if (task.kind === 'rollingFold') (await import('./kernels/rolling.js')).runRollingTask(task);
  else throw new Error(`unknown pool task ${String((task as { kind: unknown }).kind)}`);
  return { seconds: (performance.now() - t0) / 1000, issues };
}
