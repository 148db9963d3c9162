/**
 * A worker's side of an exposures-zoo job (processor.ts dispatches the job named `exposures`
 * here): the payload is checked field by field (exposuresJobs.ts; a malformed one fails at once,
 * never retried, never run); the process moves to the submitter's working directory; every shared
 * input's SHA-256 is compared with the one the zoo was submitted with (a mismatch or a missing file
 * fails the job without a retry: every portfolio of the block is a failure row with that reason);
 * the returns and factors are read once per child process and reused by every job on the same
 * files and flags; then the block is fitted as on one machine (exposures.ts `fitPortfolioBlock`).
 * A portfolio whose weights file is missing here or is not the file submitted is that portfolio's
 * failure row with the reason; the others in the block are fitted. The block's rows are the job's
 * return value: stored by BullMQ with the job, replaced whole when a retry completes.
 */
import { resolve } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { InputError, isInputError } from '../core/errors.js';
import { loadModelInputs, type LoadedModelInputs } from '../cli/commands/exposures.js';
import { fitPortfolioBlock, type ExposuresBlock } from './exposures.js';
import { parseExposuresJobData, SHARED_INPUT, type ExposuresJobData } from './exposuresJobs.js';
import { canonicalJson, PayloadError, sha256Cached } from './jobs.js';

let cached: { key: string; inputs: Promise<LoadedModelInputs> } | undefined;

/** The shared inputs for this job's files and flags: the last ones when they are the same. */
function modelInputsFor(data: ExposuresJobData): Promise<LoadedModelInputs> {
  const { flags } = data;
  const key = canonicalJson({
    cwd: data.cwd,
    inputs: data.inputs,
    flags: { ...flags, fill: undefined, weightsMaxAge: undefined, constant: undefined, neweyWest: undefined, minObs: undefined },
  });
  if (cached === undefined || cached.key !== key) {
    const inputs = loadModelInputs({ ...flags, threads: 1 }, () => undefined);
    inputs.catch(() => undefined); // a failure is seen by the awaiting job; do not keep it
    cached = { key, inputs };
  }
  return cached.inputs;
}

/** The hash check of one file: a message when it is missing or is another file. */
async function mismatch(cwd: string, what: string, path: string, sha256: string): Promise<string | undefined> {
  let sha: string;
  try {
    sha = await sha256Cached(resolve(cwd, path));
  } catch {
    return `input not found on this worker: ${what} ${path} (in ${cwd}); the workers must see the submitter's files at the same paths`;
  }
  if (sha === sha256) return undefined;
  return `input changed: ${what} ${path} has sha256 ${sha.slice(0, 16)}... on this worker, the zoo was submitted with ${sha256.slice(0, 16)}...; resubmit the zoo on the current files`;
}

export async function processExposuresJob(raw: unknown): Promise<ExposuresBlock> {
  let data: ExposuresJobData;
  try {
    data = parseExposuresJobData(raw);
  } catch (e) {
    if (e instanceof PayloadError) throw new UnrecoverableError(e.message);
    throw e;
  }
  if (process.cwd() !== data.cwd) {
    try {
      process.chdir(data.cwd);
    } catch {
      throw new UnrecoverableError(`the submitter's working directory ${data.cwd} does not exist on this worker`);
    }
  }
  for (const input of data.inputs) {
    const m = await mismatch(data.cwd, input.role, input.path, input.sha256);
    if (m !== undefined) throw new UnrecoverableError(m);
  }
  const portfolios = data.portfolios.map((p) => p.path);
  let inputs: LoadedModelInputs;
  try {
    inputs = await modelInputsFor(data);
  } catch (e) {
    // bad shared input fails the whole zoo on one machine; here it fails the block, unretried
    if (isInputError(e)) throw new UnrecoverableError(`${SHARED_INPUT}${e.message}`);
    throw e;
  }
  return fitPortfolioBlock(inputs, data.flags, portfolios, {
    check: async (i) => {
      const p = data.portfolios[i];
      const m = await mismatch(data.cwd, 'portfolio', p.path, p.sha256);
      if (m !== undefined) throw new InputError(m, { hint: 'resubmit the zoo on the current files' });
    },
  });
}
