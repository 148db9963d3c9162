/**
 * The `--threads` option of the commands whose heavy work the worker pool (parallel/) can split:
 * how many threads, the machine's available parallelism by default. One thread runs everything in
 * process; jobs too small to pay for starting workers run in process whatever the flag says. The
 * results are the same bits on any number of threads.
 */
import { Option } from 'commander';
import { defaultThreads } from '../parallel/pool.js';
import { positiveInteger } from './load.js';

export function threadsOption(): Option {
  return new Option(
    '--threads <n>',
    'threads for the heavy work and for parsing large CSVs (1 = in process; small jobs stay in process; same results on any number)',
  )
    .default(defaultThreads(), `${defaultThreads()}, the available cores`)
    .argParser(positiveInteger('--threads'));
}
