/**
 * The zoo on one machine: the shared inputs read once ({@link loadShared}), then every factor in
 * turn on them, each factor's JSON written into the results folder as it finishes, a failed
 * factor recorded with its reason while the others go on.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressCallback } from '../cli/progress.js';
import { loadShared, resultFileNames, runFactor, type ZooAnalyzeFlags } from './factorRun.js';
import type { FactorSpec } from './specs.js';
import type { ZooRow } from './summary.js';

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
  /** Panels on shared memory, for `--threads` > 1. */
  shared?: boolean;
}

export async function runZooLocal(flags: ZooAnalyzeFlags, specs: readonly FactorSpec[], options: LocalZooOptions = {}): Promise<ZooOutcome> {
  const inputs = await loadShared(flags, options.onReadProgress, options.shared);
  if (options.resultsDir !== undefined) await mkdir(options.resultsDir, { recursive: true });
  const names = resultFileNames(specs);
  const rows: ZooRow[] = [];
  const failures: ZooFailure[] = [];
  for (let i = 0; i < specs.length; i++) {
    const file = options.resultsDir === undefined ? undefined : join(options.resultsDir, names[i]);
    const outcome = await runFactor(flags, specs[i], inputs, file, options.shared);
    rows.push(...outcome.rows);
    if (outcome.failure !== undefined) failures.push({ factor: specs[i].name, ...outcome.failure });
    options.onFactor?.(i + 1, failures.length);
  }
  return { rows, failures };
}
