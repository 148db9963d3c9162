/**
 * The zoo on one machine: the shared inputs read once ({@link loadShared}), then every factor on
 * them, each factor's JSON written into the results folder as it finishes, a failed factor
 * recorded with its reason while the others go on. With `threads` > 1 the factors run on worker
 * threads, a factor per thread (threads.ts); the rows, the failures and every JSON are the same as
 * with one thread, in the order of the specs.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressCallback } from '../cli/progress.js';
import { loadShared, removeStaleResults, resultFileNames, runFactor, type FactorOutcome, type ZooAnalyzeFlags } from './factorRun.js';
import type { FactorSpec } from './specs.js';
import type { ZooRow } from './summary.js';
import { runFactorsOnThreads } from './threads.js';

export interface ZooFailure {
  factor: string;
  reason: string;
  fault: boolean;
}

export interface ZooOutcome {
  /** Every factor's rows, in the order of the specs (sort them with sortRows). */
  rows: ZooRow[];
  failures: ZooFailure[];
}

export interface LocalZooOptions {
  /** Folder for one JSON per factor (created if missing); none: no JSON written. */
  resultsDir?: string;
  /** Reading the shared inputs. */
  onReadProgress?: ProgressCallback;
  /** After each factor: done, failed so far. */
  onFactor?: (done: number, failed: number) => void;
  /** Factors at once, each on its own worker thread (default 1: every factor on this thread). */
  threads?: number;
}

export async function runZooLocal(
  flags: ZooAnalyzeFlags,
  specs: readonly FactorSpec[],
  options: LocalZooOptions = {},
): Promise<ZooOutcome> {
  const threads = Math.min(options.threads ?? 1, specs.length);
  const perFactor = { ...flags, threads: 1 };
  const inputs = await loadShared(perFactor, options.onReadProgress, threads > 1);
  if (options.resultsDir !== undefined) await mkdir(options.resultsDir, { recursive: true });
  const names = resultFileNames(specs);
  const files = names.map((n) => (options.resultsDir === undefined ? undefined : join(options.resultsDir, n)));
  const outcomes: (FactorOutcome | undefined)[] = specs.map(() => undefined);
  let done = 0,
    failed = 0;
  const record = (i: number, outcome: FactorOutcome): void => {
    outcomes[i] = outcome;
    done++;
    if (outcome.failure !== undefined) failed++;
    options.onFactor?.(done, failed);
  };
  if (threads > 1) await runFactorsOnThreads(perFactor, specs, files, inputs, threads, record);
  else for (let i = 0; i < specs.length; i++) record(i, await runFactor(perFactor, specs[i], inputs, files[i]));
  await removeStaleResults(
    files,
    outcomes.map((o) => o?.failure !== undefined),
  );
  const rows: ZooRow[] = [];
  const failures: ZooFailure[] = [];
  outcomes.forEach((o, i) => {
    if (o === undefined) throw new Error(`factor ${specs[i].name} has no result`);
    rows.push(...o.rows);
    if (o.failure !== undefined) failures.push({ factor: specs[i].name, ...o.failure });
  });
  return { rows, failures };
}
