/**
 * The one dispatch table of the pool's task kinds (messages.ts): which kernel runs a kind. The
 * worker (worker.ts) and in-process runs (tests, callers that want a task in this thread) both go
 * through {@link runTask}. Each entry imports its kernel module on first use, so a worker that fits
 * OLS never loads the signals modules.
 */
import type { OlsIssue } from '../stats/ols.js';
import type { PoolTask, TaskResult } from './messages.js';

type Kernel<K extends PoolTask['kind']> = (task: Extract<PoolTask, { kind: K }>) => OlsIssue[] | void;

/** Per task kind, its kernel (loaded on first use). Adding a kind: its message in messages.ts, its kernel in kernels/, a line here. */
export const KERNELS: { readonly [K in PoolTask['kind']]: () => Promise<Kernel<K>> } = {
  olsRange: async () => (await import('./kernels/ols.js')).runOlsRange,
  neweyWestRange: async () => (await import('./kernels/ols.js')).runNeweyWestRange,
  rollingFold: async () => (await import('./kernels/rolling.js')).runRollingFold,
  analyzeRange: async () => (await import('./kernels/signals.js')).runAnalyzeRange,
  prepareRange: async () => (await import('./kernels/signals.js')).runPrepareRange,
};

/** Runs one task in the current thread by the table; resolves with its seconds and issues. */
export async function runTask(task: PoolTask): Promise<TaskResult> {
  const load = KERNELS[task.kind] as (() => Promise<Kernel<PoolTask['kind']>>) | undefined;
  if (load === undefined) throw new Error(`unknown pool task ${String((task as { kind: unknown }).kind)}`);
  const kernel = (await load()) as (t: PoolTask) => OlsIssue[] | void;
  const t0 = performance.now();
  const issues = kernel(task) ?? [];
  return { seconds: (performance.now() - t0) / 1000, issues };
}
