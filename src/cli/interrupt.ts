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
 * The handlers are armed only while a temporary path exists: otherwise a signal keeps its default
 * action (the process ends at once, even in the middle of a long synchronous computation, which
 * a JS handler could only run after).
 */
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
    const removed = removeTempPathsSync().length;
    stderr(
      `factorlab: interrupted by ${signal}; removed ${removed} temporary path${removed === 1 ? '' : 's'} ` +
        '(outputs are written whole or not at all)\n',
    );
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
  const previous = onTempPathsChange(arm);
  arm(tempPaths().length);
  return () => {
    arm(0);
    onTempPathsChange(previous);
  };
}
