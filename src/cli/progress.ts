/**
 * Progress bars for long work: on stderr, and only when stderr is a terminal (never in pipes,
 * CI logs or JSON output). The library reports progress through plain callbacks; this module
 * turns them into a bar.
 */
import cliProgress from 'cli-progress';

export interface ProgressEvent {
  phase: string;
  done: number;
  total?: number;
}

export type ProgressCallback = (p: ProgressEvent) => void;

export interface ProgressReporter {
  /** Callback to pass to library functions. */
  readonly update: ProgressCallback;
  /** Stops and clears the bar. Safe to call twice. */
  stop(): void;
}

const SILENT: ProgressReporter = { update: () => undefined, stop: () => undefined };

/** A progress bar on stderr when it is a TTY and `enabled`; otherwise a silent reporter. */
export function progressReporter(enabled = true, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!enabled || !stream.isTTY || process.env.CI === 'true') return SILENT;
  let bar: cliProgress.SingleBar | undefined;
  let counted = false;
  const start = (p: ProgressEvent): void => {
    counted = (p.total ?? 0) > 0;
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: counted ? '{phase} [{bar}] {percentage}% | {value}/{total}' : '{phase} ... {value}',
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(counted ? (p.total as number) : 1, p.done, { phase: p.phase });
  };
  return {
    update(p) {
      // A phase with a known total gets a bar; one without (a scan of unknown length) a counter.
      if (bar !== undefined && counted !== (p.total ?? 0) > 0) {
        bar.stop();
        bar = undefined;
      }
      if (bar === undefined) {
        start(p);
        return;
      }
      if (counted) bar.setTotal(p.total as number);
      bar.update(p.done, { phase: p.phase });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
