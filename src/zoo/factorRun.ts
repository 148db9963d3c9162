/**
 * One zoo factor, run the way `factorlab analyze` runs it, on inputs read once for the whole zoo.
 *
 * Shared by every factor of a zoo (read or computed once, by {@link loadShared}):
 * - the price panel: read, checked for data-quality problems (bad ticks set to missing with
 *   `--clean`), with its notes;
 * - the forward returns of the prices at every horizon (core `forwardReturns`), handed to the
 *   analysis instead of being recomputed per factor (signals `AnalyzeOptions.forwardReturns`), and
 *   their per-date sort order (signals `forwardReturnOrder`), so that no factor sorts the returns
 *   again for its rank IC (`AnalyzeOptions.forwardOrder`);
 * - the groups file (industries) and the weights panel, when given.
 * Per factor: the factor file (or momentum from the shared prices), its alignment to the price
 * calendar, the universe masks of its own cells (they depend on the factor's missing values), and
 * the statistics. The calendar of the prices is part of the shared price panel. The memory of a
 * factor's prepared data and ranks, and of its panel (momentum's, or a file's read on this thread),
 * is reused by the next factor on the same thread (signals buffers.ts; ~1 s of page faults a
 * factor at 3,000 × 2,500), the numbers unchanged.
 *
 * The factor's result is `analyzeLoaded` of cli/commands/analyze.ts, the function `analyze` itself
 * runs after reading its files, so the JSON {@link writeFactorResult} writes is byte for byte the
 * JSON `factorlab analyze --factor F --out F.json` writes with the same flags (tested).
 */
import { lstat, rm } from 'node:fs/promises';
import { InputError, isInputError } from '../core/errors.js';
import type { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { holdDuckdb } from '../io/duckdb.js';
import { writeJsonAtomic } from '../io/write.js';
import { BufferPool } from '../signals/buffers.js';
import { forwardReturnOrder } from '../signals/forwardOrder.js';
import {
  analyzeLoaded,
  loadFactor,
  NO_SPREAD_NOTE,
  NO_VARIATION_NOTE,
  type AnalyzeFlags,
  type AnalyzeOutput,
  type LoadedAnalyzeInputs,
} from '../cli/commands/analyze.js';
import { loadGroups, loadPrices, loadValues } from '../cli/load.js';
import { flagForOption } from '../cli/optionFlags.js';
import type { ProgressCallback } from '../cli/progress.js';
import type { FactorSpec } from './specs.js';
import { rowsOfAnalysis, rowsOfFailure, type ZooRow } from './summary.js';

/** The analyze flags every factor of a zoo shares: all of `analyze`'s but the factor and the outputs. */
export type ZooAnalyzeFlags = Omit<AnalyzeFlags, 'factor' | 'factorCol' | 'out' | 'json'>;

export type SharedInputs = Omit<LoadedAnalyzeInputs, 'factor'>;

/** Reads the prices, weights and groups once and computes the forward returns (see the module doc). */
export async function loadShared(
  flags: ZooAnalyzeFlags,
  onProgress: ProgressCallback = () => undefined,
  shared = false,
): Promise<SharedInputs> {
  // --timezone reads the prices and the weights as analyze reads them (each factor: analyze's loadFactor)
  const table = { dateCol: flags.dateCol, assetCol: flags.assetCol, ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}) };
  return holdDuckdb(async () => {
    const prices = await loadPrices(flags.prices, { ...table, valueCol: flags.priceCol }, flags.clean ?? false, onProgress, shared);
    checkReach(flags, prices.panel.nDates);
    const weights = flags.weights === undefined ? undefined : await loadValues(flags.weights, table, onProgress);
    const groups = flags.groups === undefined ? undefined : await loadGroups(flags.groups, flags);
    const fwd: ReadonlyMap<number, Panel> = forwardReturns(prices.panel, flags.horizons);
    // sorted once: every factor's rank IC ranks its returns by a walk of these rows (signals forwardOrder.ts)
    const forwardOrder = forwardReturnOrder(fwd, shared ? (b) => new SharedArrayBuffer(b) : undefined);
    return { prices, weights, groups, forwardReturns: fwd, forwardOrder };
  });
}

/**
 * Horizons (plus the execution lag) that reach past the price history fail every factor alike:
 * refused once, before any factor file is read, with analyze's message (each factor used to fail
 * with it, after its file was read).
 */
function checkReach(flags: ZooAnalyzeFlags, nDates: number): void {
  const lag = flags.executionLag ?? 0;
  const reach = Math.max(...flags.horizons) + lag;
  if (reach >= nDates)
    throw new InputError(
      `--horizons ${flags.horizons.join(',')}${lag > 0 ? ` with --execution-lag ${lag}` : ''} reach ${reach} price rows past a factor date; --prices ${flags.prices} has ${nDates}`,
      { hint: `choose horizons (and lag) that add up to well under ${nDates} rows, or give a longer price history` },
    );
}

/** The `analyze` flags of one factor of the zoo. */
export function factorFlags(flags: ZooAnalyzeFlags, spec: FactorSpec): AnalyzeFlags {
  return { ...flags, factor: spec.factor, ...(spec.factorCol !== undefined ? { factorCol: spec.factorCol } : {}) };
}

/**
 * The buffers of this thread's factors (signals buffers.ts): each factor's prepared data and
 * ranks reuse the previous factor's memory instead of paging in ~330 MB afresh at 2,500 × 3,000
 * (about 1 s of CPU a factor). A lease per factor, so factors that overlap never share a buffer.
 */
const factorBuffers = new BufferPool();

/** One factor's `analyze` result on the shared inputs; throws as `analyze` would. */
export async function analyzeSpec(flags: ZooAnalyzeFlags, spec: FactorSpec, inputs: SharedInputs, shared = false): Promise<AnalyzeOutput> {
  const f = factorFlags(flags, spec);
  const lease = factorBuffers.lease();
  try {
    // the factor's panel on the lease too, momentum's or a file's (read on this thread: the zoo's
    // threads are its parallelism), unless it must be on shared memory for the analysis threads
    const alloc = shared ? undefined : lease.reserve;
    const factor = await holdDuckdb(() => loadFactor(f, inputs.prices.panel, () => undefined, shared, alloc)).catch((e: unknown) => {
      throw inZooWords(e, spec);
    });
    // the output is plain JSON values (no view of the leased buffers), so the lease ends here
    return await analyzeLoaded(f, { ...inputs, factor, buffers: lease });
  } finally {
    lease.release();
  }
}

/**
 * A reader's error about a factor file's value column in the zoo's words: the reader says
 * `--value-col` (analyze's loader `--factor-col`), which the zoo has not; the zoo names a long
 * file's factor column after a `#`.
 */
export function inZooWords(e: unknown, spec: FactorSpec): unknown {
  if (!isInputError(e) || spec.momentum === true || e.hint === undefined || !/--value-col|--factor-col/.test(e.hint)) return e;
  const hint =
    spec.factorCol !== undefined
      ? `name one of its columns after the #: ${spec.factor}#COL (${spec.factor}#* for every numeric one)`
      : `name the factor column after a #: ${spec.factor}#COL, or ${spec.factor}#* for every numeric column (each a factor)`;
  return new InputError(e.problem, { ...e.location, hint, options: e.options });
}

/**
 * Removes the result files of the factors that failed (`files[i]` for each failed `i`): a JSON an
 * earlier run wrote for the same factor would otherwise stay in the results folder beside this
 * run's table, its numbers from other data (the factor file changed since, or other flags), read
 * as this run's. The names are the zoo's own ({@link resultFileNames}).
 */
export async function removeStaleResults(files: readonly (string | undefined)[], failed: readonly boolean[]): Promise<void> {
  const stale = async (f: string): Promise<void> => {
    const s = await lstat(f).catch(() => undefined);
    if (s?.isFile() === true) await rm(f, { force: true }); // a folder of that name is no result: left alone
  };
  await Promise.all(files.map((f, i) => (failed[i] && f !== undefined ? stale(f) : undefined)));
}

/** Writes a factor's result as `analyze --out` does (2-space JSON, atomically: a rerun replaces it whole). */
export async function writeFactorResult(file: string, result: AnalyzeOutput): Promise<void> {
  await writeJsonAtomic(file, result);
}

/**
 * Why a factor's statistics are n/a, from its no-spread note (analyze `noSpreadNotes`: nothing to
 * rank across assets) or its no-variation note (a statistic equal on every date: its t-values are
 * undefined); null when it has neither.
 */
export function naReason(result: Pick<AnalyzeOutput, 'notes'>): string | null {
  return result.notes.find((n) => n.startsWith(NO_SPREAD_NOTE)) ?? result.notes.find((n) => n.startsWith(NO_VARIATION_NOTE)) ?? null;
}

/** Why a factor failed, on one line; `fault` when it is not bad input (a bug of ours, or the machine). */
export function failureReason(e: unknown): { reason: string; fault: boolean } {
  if (isInputError(e)) return { reason: e.renamed(flagForOption).replace(/\n\s*/g, '; '), fault: false };
  const msg = e instanceof Error ? e.message : String(e);
  return { reason: `internal error: ${msg.replace(/\n\s*/g, '; ')}`, fault: true };
}

export interface FactorOutcome {
  rows: ZooRow[];
  /** Undefined when the factor succeeded. */
  failure?: { reason: string; fault: boolean };
}

/** Runs one factor and writes its JSON to `resultFile` (when given); a failure becomes rows with the reason. */
export async function runFactor(
  flags: ZooAnalyzeFlags,
  spec: FactorSpec,
  inputs: SharedInputs,
  resultFile: string | undefined,
  shared = false,
): Promise<FactorOutcome> {
  try {
    const result = await analyzeSpec(flags, spec, inputs, shared);
    if (resultFile !== undefined) await writeFactorResult(resultFile, result);
    return { rows: rowsOfAnalysis(spec.name, result, naReason(result)) };
  } catch (e) {
    const failure = failureReason(e);
    return { rows: rowsOfFailure(spec.name, flags.horizons, failure.reason), failure };
  }
}

/**
 * A result file name per factor, inside the results folder: the file's base name (`#col` as
 * `.col`) or the momentum spec, with characters outside `[A-Za-z0-9._-]` as `_`, and `-2`, `-3`,
 * ... for names met before, in the order given; always ending in `.json`.
 */
export function resultFileNames(specs: readonly FactorSpec[]): string[] {
  const used = new Set<string>();
  return specs.map((s) => {
    const file = s.factor.split(/[\\/]/).pop() ?? s.factor;
    const stem =
      `${file}${s.factorCol !== undefined ? `.${s.factorCol}` : ''}`.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'factor';
    let name = `${stem}.json`;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${stem}-${k}.json`;
    used.add(name.toLowerCase());
    return name;
  });
}
