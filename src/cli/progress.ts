/**
 * Progress bars for long work: on stderr, and only when stderr is a terminal (never in pipes,
 * CI logs or JSON output). The library reports progress through plain callbacks; this module
 * turns them into a line that moves:
 *
 *   read prices.csv [=========-----------] 45% | 47.3 MB / 105 MB | 1.2s
 *   fit 5,000 assets ... 1,024 | 3.4s
 *
 * A phase with a known total gets a bar, one without a counter; both show the elapsed time of the
 * phase, redrawn several times a second while the event loop is free, so a slow phase never looks
 * stuck. `label` (a file name, say) follows the phase; `unit: 'bytes'` prints sizes.
 */
import { basename } from 'node:path';
import cliProgress from 'cli-progress';

export interface ProgressEvent {
  phase: string;
  done: number;
  total?: number;
  /** What `done` and `total` count: 'bytes' prints them as sizes; anything else as counts. */
  unit?: string;
  /** Shown after the phase: the file being read, say (only its base name is shown). */
  label?: string;
}

export type ProgressCallback = (p: ProgressEvent) => void;

export interface ProgressReporter {
  /** Callback to pass to library functions. */
  readonly update: ProgressCallback;
  /** Stops and clears the bar. Safe to call twice. */
  stop(): void;
}

const SILENT: ProgressReporter = { update: () => undefined, stop: () => undefined };

/** `1234567` -> `1,234,567`; with unit 'rows', `1,234,567 rows`; with unit 'bytes', `47.3 MB`. */
export function formatAmount(n: number, unit?: string): string {
  if (unit !== 'bytes') return `${Math.round(n).toLocaleString('en-US')}${unit === undefined ? '' : ` ${unit}`}`;
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024,
    k = 0;
  while (v >= 1000 && k < units.length - 1) {
    v /= 1024;
    k++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[k]}`;
}

/** The text before the bar: the phase and, when given, the label's base name. */
export function phaseText(p: ProgressEvent): string {
  return p.label === undefined ? p.phase : `${p.phase} ${basename(p.label)}`;
}

/** A progress bar on stderr when it is a TTY and `enabled`; otherwise a silent reporter. */
let quiet = false;

/** `--quiet` on any command: no progress line, whatever the terminal (set once per run by run.ts). */
export function setQuiet(on: boolean): void {
  quiet = on;
}

export function progressReporter(enabled = true, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!enabled || quiet || !stream.isTTY || process.env.CI === 'true') return SILENT;
  let bar: cliProgress.SingleBar | undefined;
  let counted = false;
  let key = '';
  const payload = (p: ProgressEvent): Record<string, string> => ({
    phase: phaseText(p),
    // An uncounted phase that reports no count yet ('fitting 523 assets') shows only its time.
    doneText: (p.total ?? 0) <= 0 && p.done === 0 && p.unit === undefined ? '' : ` ${formatAmount(p.done, p.unit)}`,
    totalText: p.total === undefined ? '' : formatAmount(p.total, p.unit),
  });
  const start = (p: ProgressEvent): void => {
    counted = (p.total ?? 0) > 0;
    key = phaseText(p);
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: counted
          ? '{phase} [{bar}] {percentage}% |{doneText} / {totalText} | {duration_formatted}'
          : '{phase} ...{doneText} | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(counted ? (p.total as number) : 1, p.done, payload(p));
  };
  return {
    update(p) {
      // A new phase (or a change between counted and uncounted) starts a new line, so the
      // elapsed time is the phase's own.
      if (bar !== undefined && (counted !== (p.total ?? 0) > 0 || key !== phaseText(p))) {
        bar.stop();
        bar = undefined;
      }
      if (bar === undefined) {
        start(p);
        return;
      }
      if (counted) bar.setTotal(p.total as number);
      bar.update(counted ? p.done : 0, payload(p));
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
