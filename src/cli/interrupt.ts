/**
 * Ctrl-C, `kill` and a closed terminal during a write: the CLI's SIGINT / SIGTERM / SIGHUP handlers remove every temporary path
 * in flight (the writers' hidden `.NAME.<pid>.<rand>.tmp` files, DuckDB's spill directory; see
 * io/tempFiles.ts), print one line on stderr and end the process by the same signal, so a shell
 * sees exit status 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP: the terminal or ssh session closed). Targets are renamed into place only when complete, so
 * an interrupted output is either absent or still holds its previous content.
 *
 * The outputs of one run (`--out`, `--nav-out`, `--report`, ...) are renamed into place together
 * at its end (io/write.ts `writeOutputsTogether`, run.ts): until then each waits, whole, in its
 * temporary file, so an interrupt leaves every target as it was, never a new table beside an old
 * report.
 *
 * The handlers are armed only while a temporary path exists or the outputs are being renamed into
 * place: otherwise a signal keeps its default action (the process ends at once, even in the middle
 * of a long synchronous computation, which a JS handler could only run after).
 *
 * The renames run in one synchronous loop, so a signal during them reaches the handler after the
 * loop: the commit stays recorded (io/outputs.ts `outputCommit`), and the handler armed, until
 * every signal caught by then has been delivered. The handler then says which outputs are in place
 * (all of them, with the loop done) and which are not, and ends the process by the signal: before,
 * the last rename removed the last temporary path, the handler went with it, and the caught signal
 * was dropped, so a Ctrl-C there ended the run with status 0.
 */
import { onOutputCommitChange, outputCommit } from '../io/outputs.js';
import { onTempPathsChange, removeTempPathsSync, tempPaths } from '../io/tempFiles.js';

/** The signals handled, with the exit status a shell reports for each. */
export const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type HandledSignal = keyof typeof EXIT_CODES;

/**
 * Ends the process by `signal` itself: the handlers are already removed, so re-raising it takes
 * the default action and the kernel ends the process at once; a shell reports 128 + the signal
 * number (130, 143, 129). `process.exit(130)` (and even `process.reallyExit`) hangs instead when a
 * Parquet write is running: tearing down the environment destroys the DuckDB instance, which
 * waits for the running COPY, which waits for this thread to run its table function (measured:
 * spinning until killed).
 */
function reraise(signal: NodeJS.Signals): void {
  process.kill(process.pid, signal);
}

/**
 * Installs the cleanup (see the module comment); returns a function that uninstalls it. `end`
 * ends the process after the cleanup (injectable for tests).
 */
export function installInterruptCleanup(stderr: (text: string) => void, end: (signal: HandledSignal) => void = reraise): () => void {
  const handler = (signal: HandledSignal): void => {
    const commit = outputCommit();
    const removed = removeTempPathsSync().length;
    const paths = `${removed} temporary path${removed === 1 ? '' : 's'}`;
    if (commit === undefined) stderr(`factorlab: interrupted by ${signal}; removed ${paths} (outputs are written whole or not at all)\n`);
    else {
      const list = (files: readonly string[]): string => files.join(', ');
      stderr(
        `factorlab: interrupted by ${signal} while the outputs were put in place; ` +
          (commit.notInPlace.length === 0
            ? `every output is in place, complete: ${list(commit.inPlace)}\n`
            : `in place, complete: ${commit.inPlace.length === 0 ? 'none' : list(commit.inPlace)}; ` +
              `not written (left as they were): ${list(commit.notInPlace)}; removed ${paths}\n`),
      );
    }
    arm(0);
    end(signal);
  };
  let armed = false;
  const arm = (count: number): void => {
    if (count > 0 && !armed) {
      for (const s of Object.keys(EXIT_CODES) as HandledSignal[]) process.on(s, handler);
      armed = true;
    } else if (count === 0 && armed) {
      for (const s of Object.keys(EXIT_CODES) as HandledSignal[]) process.off(s, handler);
      armed = false;
    }
  };
  const update = (): void => arm(tempPaths().length + (outputCommit() !== undefined ? 1 : 0));
  const previous = onTempPathsChange(update);
  const previousCommit = onOutputCommitChange(update);
  update();
  return () => {
    arm(0);
    onTempPathsChange(previous);
    onOutputCommitChange(previousCommit);
  };
}
