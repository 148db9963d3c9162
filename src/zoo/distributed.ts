/**
 * The zoo across machines, on BullMQ + Redis: the submitter side of `factorlab zoo --redis URL`.
 *
 * 1. Every input file is hashed (SHA-256) once; a missing shared input (prices, groups, weights)
 *    is bad input (exit 2) before anything is queued; a missing factor file is that factor's
 *    failure row, as on one machine.
 * 2. One job per factor, its payload data only (jobs.ts: paths, hashes, flags, the result file),
 *    its id the hash of that payload: resubmitting the same zoo adds nothing (a second submitter
 *    waits on the same jobs), a job that failed before is retried, one that completed is reused.
 * 3. The submitter waits on the queue's events (awaitJobs.ts: BullMQ QueueEvents, one blocking
 *    XREAD at a time, plus one state read per second in all) until each job is completed or failed
 *    for good (after its attempts): completed jobs return their summary rows (and, when the job was
 *    computed for a submitter with another results folder, its JSON is copied into this one); a
 *    failed job becomes failure rows with its reason in words (faults.ts: what BullMQ's raw reason
 *    means). A job that disappears from Redis (restarted without persistence, flushed) stops the
 *    zoo with an error: the table is never silently short.
 *
 * Redis traffic per job: one add (the payload, about 1 KB), the worker's fetch, lock renewals
 * every lockDuration/2 while it runs, the completion with the rows (about 1 KB per horizon), and on
 * the submitter's side a state read before adding, the events about it, and a state read and a job
 * read when it finishes: measured, 6 top-level commands per job for the submitter on a 20-factor zoo
 * (15 with the 250 ms polls before, growing with the wait). The price panel and the factor files
 * never pass through Redis.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Job, Queue } from 'bullmq';
import { awaitJobs, watchJobs, type JobWatch } from './awaitJobs.js';
import { InputError } from '../core/errors.js';
import { assertFile } from '../io/source.js';
import { writeTextAtomic } from '../io/write.js';
import { failureReason, removeStaleResults, resultFileNames, type ZooAnalyzeFlags } from './factorRun.js';
import { failureInWords, INPUT_REFUSALS } from './faults.js';
import { inputPaths, jobId, JOB_VERSION, sha256Cached, sha256File, type InputFile, type ZooJobData } from './jobs.js';
import type { ZooFailure, ZooOutcome } from './local.js';
import type { ZooJobResult } from './processor.js';
import { connectRedis, type RedisTarget } from './redis.js';
import type { FactorSpec } from './specs.js';
import { rowsOfFailure, type ZooRow } from './summary.js';

export interface DistributedZooOptions {
  redis: RedisTarget;
  queue: string;
  attempts: number;
  resultsDir: string;
  onFactor?: (done: number, failed: number) => void;
  /** Lines for the user while waiting (no worker connected, ...). */
  onNote?: (line: string) => void;
}

/** The payloads of a zoo's jobs, or a failure for a factor whose file is missing (as one machine reports it). */
export async function buildJobs(
  flags: ZooAnalyzeFlags,
  specs: readonly FactorSpec[],
  resultsDir: string,
  cwd = process.cwd(),
): Promise<({ data: ZooJobData; id: string } | { failure: ZooFailure })[]> {
  const names = resultFileNames(specs);
  const hashes = new Map<string, string>();
  const hash = async (path: string): Promise<string> => {
    const abs = resolve(cwd, path);
    let h = hashes.get(abs);
    if (h === undefined) {
      await assertFile(abs).catch((e: unknown) => {
        throw e instanceof InputError ? new InputError(e.problem, { ...e.location, file: path, hint: e.hint }) : e;
      });
      h = await sha256Cached(abs);
      hashes.set(abs, h);
    }
    return h;
  };
  const out: ({ data: ZooJobData; id: string } | { failure: ZooFailure })[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const inputs: InputFile[] = [];
    let failure: ZooFailure | undefined;
    for (const { role, path } of inputPaths(flags, spec)) {
      if (role !== 'factor') {
        inputs.push({ role, path, sha256: await hash(path) });
        continue;
      }
      try {
        inputs.push({ role, path, sha256: await hash(path) });
      } catch (e) {
        failure = { factor: spec.name, ...failureReason(e) };
      }
    }
    if (failure !== undefined) {
      out.push({ failure });
      continue;
    }
    const data: ZooJobData = {
      version: JOB_VERSION,
      spec: { ...spec },
      flags: { ...flags },
      cwd,
      inputs,
      resultFile: resolve(cwd, resultsDir, names[i]),
    };
    out.push({ data, id: jobId(data) });
  }
  return out;
}

export async function runZooDistributed(
  flags: ZooAnalyzeFlags,
  specs: readonly FactorSpec[],
  options: DistributedZooOptions,
): Promise<ZooOutcome> {
  const jobs = await buildJobs(flags, specs, options.resultsDir);
  await mkdir(options.resultsDir, { recursive: true });
  await probeRedis(options.redis);
  const connection = await connectRedis(options.redis, options.onNote);
  const queue = new Queue(options.queue, { connection });
  queue.on('error', () => undefined); // a lost connection: said once by connectRedis's note; ioredis reconnects
  const results: (ZooRow[] | undefined)[] = specs.map(() => undefined);
  const failures: (ZooFailure | undefined)[] = specs.map(() => undefined);
  let done = 0,
    failed = 0;
  const finish = (i: number, rows: ZooRow[], failure?: ZooFailure): void => {
    results[i] = rows;
    failures[i] = failure;
    done++;
    if (failure !== undefined) failed++;
    options.onFactor?.(done, failed);
  };
  const eventsConnection = await connectRedis(options.redis);
  let watch: JobWatch | undefined;
  try {
    await readyQueue(queue, options.redis);
    watch = await watchJobs(queue, eventsConnection);
    const pending = new Map<string, number>();
    const completedBefore: string[] = [];
    const toAdd: {
      name: string;
      data: ZooJobData;
      opts: { jobId: string; attempts: number; removeOnComplete: { age: number }; removeOnFail: { age: number } };
    }[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const j = jobs[i];
      if ('failure' in j) {
        finish(i, rowsOfFailure(specs[i].name, flags.horizons, j.failure.reason), j.failure);
        continue;
      }
      let state = await queue.getJobState(j.id);
      if (state === 'completed') {
        // done before, by this or another submitter: reused, unless its result file is gone since or
        // holds another result now (a run with other flags or data wrote the same name since)
        const old = await Job.fromId<ZooJobData, ZooJobResult>(queue, j.id);
        const why =
          old === undefined || old.returnvalue.failure !== undefined ? undefined : await staleResult(old.data.resultFile, old.returnvalue);
        if (old !== undefined && why !== undefined) {
          options.onNote?.(`${specs[i].name}: its result ${old.data.resultFile} from an earlier run ${why}; running it again`);
          await old.remove().catch(() => undefined);
          state = await queue.getJobState(j.id);
        }
      }
      if (state === 'completed') completedBefore.push(j.id);
      else if (state === 'failed') {
        const old = await Job.fromId(queue, j.id);
        // another submitter may have retried it first: then it is no longer failed, and waiting on it is enough
        await old?.retry('failed').catch(() => undefined);
      } else if (state === 'unknown') {
        toAdd.push({
          name: 'factor',
          data: j.data,
          opts: { jobId: j.id, attempts: options.attempts, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 7 * 86400 } },
        });
      }
      pending.set(j.id, i);
    }
    for (let k = 0; k < toAdd.length; k += 500) await queue.addBulk(toAdd.slice(k, k + 500));
    await awaitJobs<ZooJobResult>(queue, watch, new Set(pending.keys()), {
      first: completedBefore,
      onFinished: async (id, state, job) => {
        const i = pending.get(id) as number;
        const data = (jobs[i] as { data: ZooJobData }).data;
        if (state === 'completed') {
          const r = job.returnvalue;
          const from = (job.data as ZooJobData).resultFile;
          if (r.failure === undefined && from !== data.resultFile) await copyResult(from, data.resultFile);
          finish(i, r.rows, r.failure === undefined ? undefined : { factor: specs[i].name, ...r.failure });
        } else {
          const reason = failureInWords(job.failedReason ?? '', job.attemptsMade);
          finish(i, rowsOfFailure(specs[i].name, flags.horizons, reason), {
            factor: specs[i].name,
            reason,
            fault: !INPUT_REFUSALS.test(reason),
          });
        }
      },
      gone: (id) =>
        new Error(
          `job ${id} (${specs[pending.get(id) as number].name}) is gone from Redis at ${options.redis.shown} before it finished (was Redis restarted without persistence, or flushed?); resubmit the zoo: completed factors are reused`,
        ),
      onSweep: noWorkerNote(queue, options, () => done),
    });
  } finally {
    await watch?.close();
    await queue.close();
    eventsConnection.disconnect();
    connection.disconnect();
  }
  const names = resultFileNames(specs);
  await removeStaleResults(
    names.map((n) => resolve(options.resultsDir, n)),
    failures.map((f) => f !== undefined),
  );
  return {
    rows: results.flatMap((r) => r ?? []),
    failures: failures.filter((f): f is ZooFailure => f !== undefined),
  };
}

/**
 * Why a completed job's result file cannot be reused: gone, or not the bytes the job wrote (its
 * SHA-256 differs: another run wrote the same name since, say the same factor with other
 * --horizons into the same --results); undefined when it is the job's result.
 */
async function staleResult(file: string, result: ZooJobResult): Promise<string | undefined> {
  if (!existsSync(file)) return 'is gone';
  if (result.resultSha256 === undefined) return 'cannot be checked (written by an earlier factorlab)';
  const sha = await sha256File(file).catch(() => undefined);
  return sha === result.resultSha256 ? undefined : 'was overwritten since by another result';
}

/**
 * Bad input naming the URL when Redis cannot be reached now (one connection attempt, no retries),
 * before the submitter's own connections, which wait for Redis indefinitely (BullMQ's setting).
 */
export async function probeRedis(redis: RedisTarget): Promise<void> {
  const { Redis: Client } = await import('ioredis');
  const probe = new Client(redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectTimeout: 10_000,
    ...(redis.tls ? { tls: {} } : {}),
  });
  let cause: Error | undefined;
  probe.on('error', (e: Error) => {
    cause ??= e;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    const why = cause ?? e;
    throw new InputError(`cannot reach Redis at ${redis.shown}: ${why instanceof Error ? why.message : String(why)}`, {
      hint: 'start redis-server there, or fix --redis',
    });
  } finally {
    probe.disconnect();
  }
}

/** The queue ready, or bad input naming the Redis URL. */
export async function readyQueue(queue: Queue, redis: RedisTarget): Promise<void> {
  await queue.waitUntilReady().catch((e: unknown) => {
    throw new InputError(`cannot reach Redis at ${redis.shown}: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'start redis-server there, or fix --redis',
    });
  });
}

/** A sweep callback that says once, after 5 s with nothing done, that no worker is connected. */
export function noWorkerNote(
  queue: Queue,
  options: { queue: string; redis: RedisTarget; onNote?: (line: string) => void },
  done: () => number,
): (waitedMs: number) => Promise<void> {
  let warned = false;
  return async (waited) => {
    if (warned || waited < 5000 || done() > 0) return;
    if ((await queue.getWorkersCount()) > 0) return;
    warned = true;
    options.onNote?.(
      `no worker is connected to queue ${options.queue} at ${options.redis.shown}; start one with: factorlab worker --redis URL --queue ${options.queue}`,
    );
  };
}

/**
 * A job computed for another submitter (the same inputs and flags, another results folder: the
 * same job id) wrote its JSON there; this zoo's folder gets a copy, written atomically.
 */
async function copyResult(from: string, to: string): Promise<void> {
  let text: Buffer;
  try {
    text = await readFile(from);
  } catch (e) {
    throw new Error(
      `the result of ${to} was computed for another submission of the same zoo and written to ${from}, which cannot be read here (${e instanceof Error ? e.message : String(e)}); resubmit with another --queue, or give the workers and the submitters one shared results folder`,
    );
  }
  await writeTextAtomic(to, text);
}
