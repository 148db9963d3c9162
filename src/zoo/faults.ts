/**
 * What a failed zoo job's reason means, in words for the table and the exit message.
 *
 * BullMQ records a job's failure as a raw string: our processor's own message (processor.ts: an
 * input refused, a result that could not be written, a bug), or one of BullMQ's, which say what the
 * queue saw rather than what happened to the factor:
 * - `job stalled more than allowable limit`: the job's worker stopped renewing its lock (the worker
 *   was killed, ran out of memory, or its machine was lost) more often than the worker allows;
 * - `Unexpected exit code: C signal: S`: the sandboxed child process running the factor died
 *   (137 / SIGKILL is most often the kernel's out-of-memory killer);
 * - `Missing lock for job ...` / `Lock mismatch for job ...`: the worker lost the job's lock
 *   (it was too busy to renew it, or it lost Redis for longer than the lock time).
 * The refusals of bad input (a changed or missing input file, a malformed payload) are already
 * sentences and are kept as they are; everything else is said with the number of attempts made.
 */

/** Reasons about the inputs or the payload (processor.ts, jobs.ts): bad input, not a fault of factorlab. */
export const INPUT_REFUSALS =
  /^(input changed|input not found|malformed job payload|the submitter's working directory|.* was submitted as momentum)/;

const tries = (n: number): string => (n === 1 ? '1 attempt' : `${n} attempts`);

/** The failure of a job that ended failed after `attemptsMade` attempts, in words (see the module doc). */
export function failureInWords(raw: string, attemptsMade: number): string {
  const reason = raw.trim();
  if (reason === '') return `failed on the workers after ${tries(attemptsMade)} without a reason recorded; see the workers' logs`;
  if (INPUT_REFUSALS.test(reason)) return reason;
  if (/job stalled more than allowable limit/i.test(reason)) {
    return "the worker running this factor stopped while running it (killed, out of memory, or its machine lost), more often than a job may stall; see the workers' logs, then resubmit the zoo (the completed factors are reused)";
  }
  const exit = /^Unexpected exit code: (\S+) signal: (\S+)/.exec(reason);
  if (exit !== null) {
    const [, code, signal] = exit;
    const how = signal !== 'null' ? `was killed by ${signal}` : `exited with code ${code}`;
    const oom =
      signal === 'SIGKILL' || code === '137'
        ? ' (most often the out-of-memory killer: run fewer jobs per machine with worker --concurrency)'
        : '';
    return `the worker's process for this factor ${how}${oom}, after ${tries(attemptsMade)}; see the workers' logs`;
  }
  if (/^(Missing lock for job|Lock mismatch for job)/.test(reason)) {
    return `the worker lost this factor's job lock (too busy to renew it, or cut off from Redis longer than --lock-ms), after ${tries(attemptsMade)}; give the workers a longer --lock-ms or fewer jobs at once, then resubmit`;
  }
  return `failed on the workers after ${tries(attemptsMade)}: ${reason}`;
}
