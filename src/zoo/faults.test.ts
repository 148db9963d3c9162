import { describe, expect, it } from 'vitest';
import { failureInWords, INPUT_REFUSALS } from './faults.js';

describe('failureInWords', () => {
  it("says what BullMQ's own reasons mean, with the attempts made", () => {
    expect(failureInWords('job stalled more than allowable limit', 2)).toMatch(
      /^the worker running this factor stopped while running it \(killed, out of memory/,
    );
    expect(failureInWords('Unexpected exit code: null signal: SIGKILL', 3)).toBe(
      "the worker's process for this factor was killed by SIGKILL (most often the out-of-memory killer: run fewer jobs per machine with worker --concurrency), after 3 attempts; see the workers' logs",
    );
    expect(failureInWords('Unexpected exit code: 1 signal: null', 1)).toBe(
      "the worker's process for this factor exited with code 1, after 1 attempt; see the workers' logs",
    );
    expect(failureInWords('Missing lock for job f-abc. moveToFinished', 2)).toMatch(
      /^the worker lost this factor's job lock .* after 2 attempts; give the workers a longer --lock-ms/,
    );
    expect(failureInWords('Lock mismatch for job f-abc. Cmd moveToFinished from active', 1)).toMatch(/job lock/);
  });

  it('keeps the refusals of bad input as they are, and prefixes our own errors with the attempts', () => {
    const changed =
      'input changed: factor f.csv has sha256 0123456789abcdef... on this worker, the zoo was submitted with fedcba9876543210...; resubmit the zoo on the current files';
    expect(failureInWords(changed, 1)).toBe(changed);
    expect(INPUT_REFUSALS.test(changed)).toBe(true);
    expect(failureInWords('malformed job payload: unknown field "processor"', 1)).toBe('malformed job payload: unknown field "processor"');
    expect(failureInWords('could not write the result file /r/f.json: EISDIR: illegal operation on a directory', 2)).toBe(
      'failed on the workers after 2 attempts: could not write the result file /r/f.json: EISDIR: illegal operation on a directory',
    );
    expect(failureInWords('  ', 3)).toMatch(/after 3 attempts without a reason recorded/);
    expect(INPUT_REFUSALS.test('failed on the workers after 2 attempts: x')).toBe(false);
  });
});
