/**
 * The sandboxed processor of a zoo job (BullMQ runs this module in a child process of
 * `factorlab worker`, so the worker's own event loop stays free to renew the job's lock: a long
 * factor never looks stalled and is never run twice).
 *
 * For each job: the payload is checked field by field (jobs.ts; a malformed one fails at once,
 * never retried, never run), and its result file must lie under the worker's --results-under
 * folder when one is given; the process moves to the submitter's working directory; every input
 * file's SHA-256 is compared with the one the zoo was submitted with (a worker that sees another
 * file fails the job with both hashes instead of computing on it); the shared inputs (prices,
 * forward returns, groups, weights) are read once per child process and reused by every job on the
 * same files and flags; the factor runs as in `factorlab zoo` on one machine. Bad input in the
 * factor (a bad file, too much data lost) is the factor's result: the job completes with the
 * failure rows and its reason, as the one-machine zoo records it. Anything else (an unwritable
 * result folder, a crash) throws, and BullMQ retries the job up to its attempts. The result JSON is
 * written atomically under its fixed name, so a retried job overwrites its own result whole.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { isInputError } from '../core/errors.js';
import { analyzeSpec, failureReason, loadShared, naReason, writeFactorResult, type SharedInputs } from './factorRun.js';
import { canonicalJson, isInside, parseJobData, PayloadError, sha256Cached, sha256File, type ZooJobData } from './jobs.js';
import type { ExposuresBlock } from './exposures.js';
import { EXPOSURES_JOB_NAME } from './exposuresJobs.js';
import { rowsOfAnalysis, rowsOfFailure, type ZooRow } from './summary.js';

export interface ZooJobResult {
  rows: ZooRow[];
  failure?: { reason: string; fault: boolean };
  /** SHA-256 of the result JSON as written: a submitter reusing the job checks the file still holds it. */
  resultSha256?: string;
}

// A child whose worker died (SIGKILL, a lost machine) stops too: the job is retried elsewhere.
if (typeof process.send === 'function') process.once('disconnect', () => process.exit(1));

let cached: { key: string; inputs: Promise<SharedInputs> } | undefined;

/** The shared inputs for this job's files and flags: the last ones when they are the same. */
function sharedInputsFor(data: ZooJobData): Promise<SharedInputs> {
  const { flags } = data;
  const key = canonicalJson({
    cwd: data.cwd,
    inputs: data.inputs.filter((i) => i.role !== 'factor'),
    flags: {
      prices: flags.prices,
      priceCol: flags.priceCol,
      dateCol: flags.dateCol,
      assetCol: flags.assetCol,
      timezone: flags.timezone, // the prices read in another zone are other prices
      clean: flags.clean,
      weights: flags.weights,
      groups: flags.groups,
      groupCol: flags.groupCol,
      groupAssetCol: flags.groupAssetCol,
      groupNames: flags.groupNames,
      horizons: flags.horizons,
    },
  });
  if (cached === undefined || cached.key !== key) {
    const inputs = loadShared(flags, () => undefined, (flags.threads ?? 1) > 1);
    inputs.catch(() => undefined); // a failure is seen by the awaiting job; do not keep it
    cached = { key, inputs };
  }
  return cached.inputs;
}

/** Fails the job (no retry) when an input is missing or is not the file the zoo was submitted with. */
async function checkInputs(data: ZooJobData): Promise<void> {
  for (const input of data.inputs) {
    const path = resolve(data.cwd, input.path);
    let sha: string;
    try {
      sha = await sha256Cached(path);
    } catch {
      throw new UnrecoverableError(
        `input not found on this worker: ${input.role} ${input.path} (in ${data.cwd}); the workers must see the submitter's files at the same paths`,
      );
    }
    if (sha !== input.sha256) {
      throw new UnrecoverableError(
        `input changed: ${input.role} ${input.path} has sha256 ${sha.slice(0, 16)}... on this worker, the zoo was submitted with ${input.sha256.slice(0, 16)}...; resubmit the zoo on the current files`,
      );
    }
  }
}

export async function processZooJob(raw: unknown): Promise<ZooJobResult> {
  let data: ZooJobData;
  try {
    data = parseJobData(raw);
  } catch (e) {
    if (e instanceof PayloadError) throw new UnrecoverableError(e.message);
    throw e;
  }
  const root = process.env.FACTORLAB_ZOO_RESULTS_UNDER;
  if (root !== undefined && root !== '' && !isInside(resolve(data.resultFile), resolve(root))) {
    throw new UnrecoverableError(
      `malformed job payload: the result file ${data.resultFile} is outside ${root}, where this worker writes (--results-under)`,
    );
  }
  if (process.cwd() !== data.cwd) {
    try {
      process.chdir(data.cwd);
    } catch {
      throw new UnrecoverableError(`the submitter's working directory ${data.cwd} does not exist on this worker`);
    }
  }
  await checkInputs(data);
  if (data.spec.momentum === true && existsSync(data.spec.factor)) {
    throw new UnrecoverableError(
      `${data.spec.factor} was submitted as momentum from the prices, but a file of that name exists on this worker`,
    );
  }
  let result;
  try {
    const inputs = await sharedInputsFor(data);
    result = await analyzeSpec(data.flags, data.spec, inputs, (data.flags.threads ?? 1) > 1);
  } catch (e) {
    if (!isInputError(e)) throw e;
    const failure = failureReason(e);
    return { rows: rowsOfFailure(data.spec.name, data.flags.horizons, failure.reason), failure };
  }
  let resultSha256: string;
  try {
    await mkdir(dirname(data.resultFile), { recursive: true });
    await writeFactorResult(data.resultFile, result);
    resultSha256 = await sha256File(data.resultFile);
  } catch (e) {
    throw new Error(`could not write the result file ${data.resultFile}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { rows: rowsOfAnalysis(data.spec.name, result, naReason(result)), resultSha256 };
}

/**
 * BullMQ's entry point for sandboxed processors: a `factor` job (above) or an `exposures` block
 * (exposuresProcessor.ts, loaded only for those); any other job name is refused, unrun.
 */
export default async function (job: SandboxedJob): Promise<ZooJobResult | ExposuresBlock> {
  if (job.name === 'factor') return processZooJob(job.data);
  if (job.name === EXPOSURES_JOB_NAME) {
    const { processExposuresJob } = await import('./exposuresProcessor.js');
    return processExposuresJob(job.data);
  }
  throw new UnrecoverableError(`malformed job payload: unknown job name "${String(job.name).slice(0, 40)}" (factor or exposures)`);
}
