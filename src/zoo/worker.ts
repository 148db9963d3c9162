/**
 * `factorlab worker`: a BullMQ worker on the zoo's queue. It opens no port; it connects to Redis,
 * takes jobs, and runs each in a sandboxed child process (processor.ts), so its own event loop
 * only renews locks and talks to Redis. A worker killed mid-job (SIGKILL, a lost machine) stops
 * renewing the job's lock; after `lockDuration` another worker's stalled-job check puts the job
 * back in the queue and it runs again (at most `maxStalledCount` = 1 such recovery, then the job
 * fails). SIGINT / SIGTERM let the jobs in progress finish, then the worker exits.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { connectRedis, type RedisTarget } from './redis.js';

export interface WorkerOptions {
  redis: RedisTarget;
  queue: string;
  /** Jobs at once (child processes). */
  concurrency: number;
  /** Lock time of a job in ms; a job whose worker stops renewing it is retried after about this long. */
  lockMs: number;
  log: (line: string) => void;
  /** Write results only under this folder (a job asking for another place fails, unrun). */
  resultsUnder?: string;
  /** Resolves when the worker should stop. */
  stop: Promise<void>;
}

/** The compiled processor beside this module (dist/zoo/processor.js). */
export function processorFile(): string {
  return fileURLToPath(new URL('./processor.js', import.meta.url));
}

export async function runWorker(o: WorkerOptions): Promise<void> {
  const connection = await connectRedis(o.redis, o.log);
  const worker = new Worker(o.queue, processorFile(), {
    connection,
    concurrency: o.concurrency,
    lockDuration: o.lockMs,
    stalledInterval: Math.max(1000, Math.floor(o.lockMs / 2)),
    maxStalledCount: 1,
    useWorkerThreads: false,
    ...(o.resultsUnder !== undefined
      ? { workerForkOptions: { env: { ...process.env, FACTORLAB_ZOO_RESULTS_UNDER: resolve(o.resultsUnder) } } }
      : {}),
  });
  const label = (job: { id?: string; data?: unknown }): string => {
    const data = job.data as { spec?: { name?: unknown }; portfolios?: { path?: unknown }[] } | undefined;
    const spec = data?.spec;
    const pf = Array.isArray(data?.portfolios) ? data.portfolios : undefined;
    const name =
      typeof spec?.name === 'string'
        ? spec.name
        : pf !== undefined
          ? `${pf.length} portfolios${typeof pf[0]?.path === 'string' ? ` from ${pf[0].path}` : ''}`
          : '?';
    return `job ${String(job.id).slice(0, 14)} ${name}`;
  };
  worker.on('active', (job) => o.log(`${label(job)}: started (attempt ${job.attemptsMade + 1})`));
  worker.on('completed', (job) => o.log(`${label(job)}: completed`));
  worker.on('failed', (job, err) => o.log(`${job ? label(job) : 'job'}: failed: ${err.message}`));
  worker.on('error', (err) => o.log(`worker error: ${err.message}`));
  await worker.waitUntilReady();
  o.log(`worker: waiting for jobs on queue ${o.queue} at ${o.redis.shown} (concurrency ${o.concurrency}, pid ${process.pid})`);
  await o.stop;
  o.log('worker: stopping after the jobs in progress');
  await worker.close();
  connection.disconnect();
}
