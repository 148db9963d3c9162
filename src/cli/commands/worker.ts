/**
 * `factorlab worker --redis URL`: processes the jobs of `factorlab zoo --redis URL` (zoo/worker.ts).
 */
import { type Command, Option } from 'commander';
import { DEFAULT_QUEUE, parseRedisUrl } from '../../zoo/redis.js';
import { positiveInteger } from '../load.js';
import type { CliStreams } from '../streams.js';

interface WorkerFlags {
  redis: string;
  queue: string;
  concurrency: number;
  lockMs: number;
  resultsUnder?: string;
}

export function registerWorker(program: Command, streams: CliStreams): void {
  program
    .command('worker')
    .summary('process the jobs of `factorlab zoo --redis` (run one or more on each machine)')
    .description(
      'Connect to Redis and run zoo jobs, one factor each, in sandboxed child processes, until stopped ' +
        'with Ctrl-C or SIGTERM (the jobs in progress finish first). The worker opens no port. It needs ' +
        'the same files at the same paths as the submitter (a shared file system) and checks each ' +
        "input's SHA-256 before computing; the results are written where the zoo asked.",
    )
    .requiredOption('--redis <url>', 'Redis URL: redis://[:password@]host[:port][/db], rediss:// for TLS')
    .option('--queue <name>', 'the queue name (as given to zoo --queue)', DEFAULT_QUEUE)
    .addOption(
      new Option('--concurrency <n>', 'jobs at once, each in its own process (about one per free core)')
        .default(1)
        .argParser(positiveInteger('--concurrency')),
    )
    .addOption(
      new Option('--lock-ms <ms>', 'job lock time: a job whose worker dies is retried after about this long')
        .default(30_000)
        .argParser(positiveInteger('--lock-ms')),
    )
    .option(
      '--results-under <dir>',
      'write results only under this folder: a job whose result file lies elsewhere fails, unrun (recommended when others can write to Redis)',
    )
    .addHelpText(
      'after',
      `
Logs one line per job on stderr (started, completed, failed with the reason).

Examples:
  factorlab worker --redis redis://127.0.0.1:6379
  factorlab worker --redis redis://:secret@10.0.0.5:6379 --concurrency 2 --results-under /shared/zoo
  factorlab worker --redis rediss://:secret@redis.internal:6380/1 --queue my-zoo`,
    )
    .action(async (flags: WorkerFlags) => {
      const redis = parseRedisUrl(flags.redis);
      const stop = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const { runWorker } = await import('../../zoo/worker.js'); // BullMQ loads only here
      await runWorker({
        redis,
        queue: flags.queue,
        concurrency: flags.concurrency,
        lockMs: flags.lockMs,
        resultsUnder: flags.resultsUnder,
        log: (l) => streams.stderr(`${l}\n`),
        stop,
      });
    });
}
