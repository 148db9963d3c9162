/**
 * The submitter's wait for its jobs (`zoo --redis`, `exposures-zoo --redis`), with Redis traffic
 * O(1) per job rather than per job and per poll.
 *
 * 1. {@link watchJobs} before any job is looked at: the id of the last entry of the queue's event
 *    stream is read (one XREVRANGE), and a BullMQ QueueEvents reader follows the stream from there
 *    (a blocking XREAD on its own connection, returning whatever events came, at least every
 *    {@link EVENTS_BLOCK_MS}): so no `completed` / `failed` event after that point is missed.
 * 2. {@link awaitJobs}: each id a `completed` or `failed` event names is looked at once (its state,
 *    then the job with its return value); a `failed` event of a job that BullMQ then retries leaves
 *    it pending. Besides, once every {@link SWEEP_MS} one pending job, in turn, has its state read:
 *    a job gone from Redis (restarted without persistence, flushed) stops the wait with an error
 *    within about a second (all jobs are gone then), and an event lost (a stream trimmed, a restart)
 *    is caught up with eventually; after Redis comes back from a restart every pending job is
 *    looked at once.
 *
 * Per job: one state read and one job read when it finishes, the events about it (added, active,
 * completed: read in batches by the XREAD), plus per second of waiting one state read in all.
 */
import { Job, type Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

export const SWEEP_MS = 1000;
export const EVENTS_BLOCK_MS = 5000;

/** The events of a queue since this call: the ids of jobs that completed or failed, as they come. */
export interface JobWatch {
  /** Ids named by a completed or failed event since the last {@link JobWatch.take}. */
  take(): string[];
  /** Resolves at the next such event, or after `ms`. */
  next(ms: number): Promise<void>;
  /** How many times the connection came back after a loss. */
  reconnects(): number;
  close(): Promise<void>;
}

export async function watchJobs(queue: Queue, connection: Redis): Promise<JobWatch> {
  await connection.ping();
  const key = queue.keys.events;
  const last = (await connection.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
  const events = new QueueEvents(queue.name, {
    connection,
    lastEventId: last.length > 0 ? last[0][0] : '0',
    blockingTimeout: EVENTS_BLOCK_MS,
    prefix: queue.opts.prefix,
  });
  let seen: string[] = [];
  let wake: (() => void) | undefined;
  const note = (e: { jobId: string }): void => {
    seen.push(e.jobId);
    wake?.();
  };
  events.on('completed', note);
  events.on('failed', note);
  events.on('error', () => undefined); // a lost connection: ioredis reconnects, the sweep checks the states
  let readies = 0;
  const onReady = (): void => {
    readies++;
    wake?.();
  };
  connection.on('ready', onReady);
  return {
    take: () => {
      const s = seen;
      seen = [];
      return s;
    },
    next: (ms) =>
      seen.length > 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const t = setTimeout(done, ms);
            function done(): void {
              clearTimeout(t);
              wake = undefined;
              resolve();
            }
            wake = done;
          }),
    reconnects: () => readies,
    close: async () => {
      connection.off('ready', onReady);
      await events.close();
    },
  };
}

export interface AwaitOptions<R> {
  /** Called once per job when it is completed or failed for good. */
  onFinished: (id: string, state: 'completed' | 'failed', job: Job<unknown, R>) => Promise<void>;
  /** Thrown when a pending job is gone from Redis. */
  gone: (id: string) => Error;
  /** Reads a finished job (default: BullMQ's `Job.fromId` on the queue). */
  fetch?: (id: string) => Promise<Job<unknown, R> | undefined>;
  /** Jobs to look at before waiting (those already completed when the wait began). */
  first?: readonly string[];
  /** Called about every {@link SWEEP_MS} with the time waited so far (e.g. to say that no worker is connected). */
  onSweep?: (waitedMs: number) => Promise<void>;
}

/**
 * Waits until every job of `pending` is completed or failed for good (see the module doc); `watch`
 * must have been started before the jobs' states were first read.
 */
export async function awaitJobs<R>(
  queue: Pick<Queue, 'getJobState'>,
  watch: JobWatch,
  pending: ReadonlySet<string>,
  o: AwaitOptions<R>,
): Promise<void> {
  const left = new Set(pending);
  const look = async (id: string): Promise<void> => {
    if (!left.has(id)) return;
    const state = await queue.getJobState(id);
    if (state === 'completed' || state === 'failed') {
      const job = await (o.fetch ?? ((j: string) => Job.fromId<unknown, R>(queue as Queue, j)))(id);
      if (job === undefined) throw o.gone(id);
      left.delete(id);
      await o.onFinished(id, state, job);
    } else if (state === 'unknown') throw o.gone(id);
  };
  const started = Date.now();
  let lastSweep = Date.now();
  let reconnects = watch.reconnects();
  let turn: string[] = [];
  for (const id of o.first ?? []) await look(id);
  while (left.size > 0) {
    for (const id of watch.take()) await look(id);
    if (left.size === 0) break;
    if (watch.reconnects() !== reconnects) {
      reconnects = watch.reconnects();
      for (const id of [...left]) await look(id); // events may have been lost with the connection
    }
    if (Date.now() - lastSweep >= SWEEP_MS) {
      lastSweep = Date.now();
      if (turn.length === 0) turn = [...left];
      const id = turn.pop();
      if (id !== undefined) await look(id);
      await o.onSweep?.(Date.now() - started);
    }
    if (left.size > 0) await watch.next(Math.max(1, SWEEP_MS - (Date.now() - lastSweep)));
  }
}
