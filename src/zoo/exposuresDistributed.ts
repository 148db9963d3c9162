/**
 * The exposures zoo across machines (`factorlab exposures-zoo --redis URL`), on the factor zoo's
 * BullMQ queue and workers (distributed.ts, processor.ts):
 *
 * 1. The shared inputs (prices or returns, factors) are hashed (SHA-256); a missing one is bad
 *    input (exit 2) before anything is queued. Each weights file is hashed; a missing one is that
 *    portfolio's failure row, with the reason one machine gives.
 * 2. The readable portfolios, in order, are cut into blocks of `block`; one job per block, named
 *    `exposures`, its payload data only (exposuresJobs.ts), its id the hash of the flags, the input
 *    hashes and the block's files: resubmitting the same zoo reuses the completed blocks and
 *    retries the failed ones; two submitters wait on the same jobs.
 * 3. Each completed job returns its block's results (rows, coverage, reasons: about 1 KB a
 *    portfolio), stored by BullMQ with the job; they are assembled as on one machine
 *    (exposures.ts `assembleExposuresZoo`), so the table is the same bytes. A job that fails for good
 *    (a worker killed too often, a changed input) makes each of its portfolios a failure row with
 *    the reason in words; one whose shared returns or factors are bad input stops the zoo with that
 *    error (exit 2), as one machine does. The wait is faults-aware and O(1) in Redis commands per
 *    job (awaitJobs.ts).
 */
import { resolve } from 'node:path';
import { Job, Queue } from 'bullmq';
import { InputError } from '../core/errors.js';
import { assertFile } from '../io/source.js';
import { awaitJobs, watchJobs, type JobWatch } from './awaitJobs.js';
import { noWorkerNote, probeRedis, readyQueue } from './distributed.js';
import {
  assembleExposuresZoo,
  type ExposuresBlock,
  type ExposuresZooFlags,
  type ExposuresZooOutcome,
  type PortfolioResult,
} from './exposures.js';
import {
  EXPOSURES_JOB_NAME,
  EXPOSURES_JOB_VERSION,
  exposuresInputPaths,
  exposuresJobId,
  SHARED_INPUT,
  type ExposuresInput,
  type ExposuresJobData,
  type PortfolioInput,
} from './exposuresJobs.js';
import { failureReason } from './factorRun.js';
import { failureInWords, INPUT_REFUSALS } from './faults.js';
import { sha256Cached } from './jobs.js';
import { connectRedis, type RedisTarget } from './redis.js';

export interface DistributedExposuresOptions {
  redis: RedisTarget;
  queue: string;
  attempts: number;
  /** Portfolios per job. */
  block: number;
  /** After each block: portfolios done, failed so far. */
  onProgress?: (done: number, failed: number) => void;
  onNote?: (line: string) => void;
}

/** A block's job: its payload, its id and the indices of its portfolios in the zoo. */
export interface ExposuresJob {
  id: string;
  data: ExposuresJobData;
  indices: number[];
}

async function hashOf(path: string, cwd: string): Promise<string> {
  const abs = resolve(cwd, path);
  await assertFile(abs).catch((e: unknown) => {
    throw e instanceof InputError ? new InputError(e.problem, { ...e.location, file: path, hint: e.hint }) : e;
  });
  return sha256Cached(abs);
}

/**
 * The jobs of an exposures zoo and the failures of portfolios whose file cannot be hashed
 * (`failed[i]` set for those). At least one job, even an empty block, so the header (the
 * coefficients, the notes) comes from the workers.
 */
export async function buildExposuresJobs(
  flags: ExposuresZooFlags,
  portfolios: readonly string[],
  block: number,
  cwd = process.cwd(),
): Promise<{ jobs: ExposuresJob[]; failed: (PortfolioResult | undefined)[] }> {
  if ((flags.prices === undefined) === (flags.returns === undefined)) {
    throw new InputError('give exactly one of --prices and --returns', {
      hint: '--prices prices.csv computes simple returns; --returns takes them as they are',
    });
  }
  const inputs: ExposuresInput[] = [];
  for (const { role, path } of exposuresInputPaths(flags)) inputs.push({ role, path, sha256: await hashOf(path, cwd) });
  const failed: (PortfolioResult | undefined)[] = portfolios.map(() => undefined);
  const ok: { index: number; input: PortfolioInput }[] = [];
  for (let i = 0; i < portfolios.length; i++) {
    try {
      ok.push({ index: i, input: { path: portfolios[i], sha256: await hashOf(portfolios[i], cwd) } });
    } catch (e) {
      failed[i] = { row: null, covered: null, ...failureReason(e) };
    }
  }
  const jobs: ExposuresJob[] = [];
  for (let k = 0; k < Math.max(1, ok.length); k += block) {
    const part = ok.slice(k, k + block);
    const data: ExposuresJobData = {
      version: EXPOSURES_JOB_VERSION,
      flags: { ...flags, threads: 1 },
      cwd,
      inputs,
      portfolios: part.map((p) => p.input),
    };
    jobs.push({ id: exposuresJobId(data), data, indices: part.map((p) => p.index) });
  }
  return { jobs, failed };
}

/** Checks a completed job's return value against its block (a worker of another version, a tampered result). */
function checkBlock(value: unknown, size: number, id: string): ExposuresBlock {
  const b = value as Partial<ExposuresBlock> | null;
  if (
    b === null ||
    typeof b !== 'object' ||
    !Array.isArray(b.results) ||
    b.results.length !== size ||
    !Array.isArray(b.coefficients) ||
    !Array.isArray(b.notes) ||
    typeof b.fitted !== 'boolean'
  ) {
    throw new Error(
      `job ${id} completed with a result that is not an exposures block of ${size} portfolios; run the same factorlab on the submitter and the workers`,
    );
  }
  return b as ExposuresBlock;
}

export async function runExposuresZooDistributed(
  flags: ExposuresZooFlags,
  portfolios: readonly string[],
  options: DistributedExposuresOptions,
): Promise<ExposuresZooOutcome> {
  const { jobs, failed } = await buildExposuresJobs(flags, portfolios, options.block);
  const results: (PortfolioResult | undefined)[] = failed.slice();
  const blocks: (ExposuresBlock | undefined)[] = jobs.map(() => undefined);
  let done = results.filter((r) => r !== undefined).length,
    nFailed = done;
  await probeRedis(options.redis);
  const connection = await connectRedis(options.redis, options.onNote);
  const eventsConnection = await connectRedis(options.redis);
  const queue = new Queue(options.queue, { connection });
  queue.on('error', () => undefined); // a lost connection: said once by connectRedis's note; ioredis reconnects
  let watch: JobWatch | undefined;
  try {
    await readyQueue(queue, options.redis);
    watch = await watchJobs(queue, eventsConnection);
    const byId = new Map(jobs.map((j, k) => [j.id, k]));
    const first: string[] = [];
    const toAdd: {
      name: string;
      data: ExposuresJobData;
      opts: { jobId: string; attempts: number; removeOnComplete: { age: number }; removeOnFail: { age: number } };
    }[] = [];
    for (const j of jobs) {
      const state = await queue.getJobState(j.id);
      if (state === 'completed') first.push(j.id);
      else if (state === 'failed') await (await Job.fromId(queue, j.id))?.retry('failed').catch(() => undefined);
      else if (state === 'unknown')
        toAdd.push({
          name: EXPOSURES_JOB_NAME,
          data: j.data,
          opts: { jobId: j.id, attempts: options.attempts, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 7 * 86400 } },
        });
    }
    for (let k = 0; k < toAdd.length; k += 500) await queue.addBulk(toAdd.slice(k, k + 500));
    options.onProgress?.(done, nFailed);
    await awaitJobs<unknown>(queue, watch, new Set(byId.keys()), {
      first,
      onFinished: async (id, state, job) => {
        const k = byId.get(id) as number;
        const j = jobs[k];
        if (state === 'completed') {
          const b = checkBlock(job.returnvalue, j.indices.length, id);
          blocks[k] = b;
          j.indices.forEach((i, c) => {
            results[i] = b.results[c];
            if (b.results[c].row === null) nFailed++;
          });
        } else {
          const raw = job.failedReason ?? '';
          if (raw.startsWith(SHARED_INPUT))
            throw new InputError(raw.slice(SHARED_INPUT.length), { hint: 'fix the shared input and resubmit the zoo' });
          const reason = failureInWords(raw, job.attemptsMade);
          for (const i of j.indices) results[i] = { row: null, covered: null, reason, fault: !INPUT_REFUSALS.test(reason) };
          nFailed += j.indices.length;
        }
        done += j.indices.length;
        options.onProgress?.(done, nFailed);
      },
      gone: (id) =>
        new Error(
          `job ${id} (a block of ${jobs[byId.get(id) as number].indices.length} portfolios) is gone from Redis at ${options.redis.shown} before it finished (was Redis restarted without persistence, or flushed?); resubmit the zoo: completed blocks are reused`,
        ),
      onSweep: noWorkerNote(queue, options, () => done),
    });
  } finally {
    await watch?.close();
    await queue.close();
    eventsConnection.disconnect();
    connection.disconnect();
  }
  const heads = blocks.filter((b): b is ExposuresBlock => b !== undefined);
  if (heads.length === 0) heads.push({ results: [], coefficients: flags.constant ? ['const'] : [], fitted: false, notes: [], dates: null });
  return assembleExposuresZoo(
    portfolios,
    results.map((r, i) => r ?? { row: null, covered: null, reason: `${portfolios[i]}: no result`, fault: true }),
    heads,
  );
}
