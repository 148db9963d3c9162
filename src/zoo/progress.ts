/**
 * The zoo's progress line: factors done (and failed) of the total, the rate, and the time left at
 * that rate. On stderr, only when it is a terminal (as every progress display of the CLI), redrawn
 * in place; {@link zooProgressText} is the text, for tests.
 *
 *   zoo 37/200 factors (2 failed) | 4.1 factors/s | ETA 40s | 9s
 */

/** `75` -> `1m15s`, `3725` -> `1h02m`, under a minute `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The line for `done` of `total` factors (`failed` of them failed) after `elapsedSeconds`. */
export function zooProgressText(done: number, failed: number, total: number, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : NaN;
  const eta = done > 0 && Number.isFinite(rate) && rate > 0 ? formatDuration((total - done) / rate) : '?';
  const rateText = Number.isFinite(rate) && done > 0 ? `${rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2)} factors/s` : '- factors/s';
  return `zoo ${done}/${total} factors${failed > 0 ? ` (${failed} failed)` : ''} | ${rateText} | ETA ${eta} | ${formatDuration(elapsedSeconds)}`;
}

export interface ZooProgress {
  update(done: number, failed: number): void;
  stop(): void;
}

/** A progress line on `stream` when it is a TTY (and not CI), redrawn at most 5 times a second and every second while waiting. */
export function zooProgress(total: number, stream: NodeJS.WriteStream = process.stderr, enabled = true): ZooProgress {
  if (!enabled || !stream.isTTY || process.env.CI === 'true') return { update: () => undefined, stop: () => undefined };
  const t0 = performance.now();
  let done = 0,
    failed = 0,
    last = 0;
  const draw = (): void => {
    last = performance.now();
    stream.write(`\r\x1b[K${zooProgressText(done, failed, total, (last - t0) / 1000)}`);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  draw();
  return {
    update(d, f) {
      done = d;
      failed = f;
      if (performance.now() - last > 200 || d === total) draw();
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
