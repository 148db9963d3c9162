/**
 * Stage times of one CLI run, for the whole-process benchmark (bench/wholepath.mjs): with
 * `FACTORLAB_TIMINGS=1` in the environment the exposures and analyze commands print one line of
 * JSON on stderr when they finish:
 *   {"factorlab_timings":{"startup":ms,"parse":ms,"read":ms,"compute":ms,"write":ms,"total":ms}}
 * and beside it `"factorlab_peak_rss_mb":{"read":MB,...}`, the process's peak resident memory at the
 * end of each stage (where the memory goes), and `"glibc_tunables"`: the malloc settings the
 * process ran with (bin/factorlab adds 2 MiB pages; null when run as `node dist/cli/main.js`).
 * All times are milliseconds on `performance.now()`, whose origin is the start of the process, so
 *   startup = process start → first line of main.ts (Node's own start-up and loading our modules),
 *   each later stage = the time since the previous mark (consecutive, no gaps: they sum to total),
 *   total   = process start → the report (what is left of the wall time is the exit itself).
 * Without the variable every call is a cheap no-op and nothing is printed. With
 * `FACTORLAB_MEMDEBUG=1`, each stage mark also prints `process.memoryUsage()` (MiB: rss, heap used /
 * total, external, array buffers) and the peak RSS so far on stderr: where the memory is held.
 */

const enabled = (): boolean => process.env.FACTORLAB_TIMINGS === '1';

const stages: Record<string, number> = {};
/** Peak resident memory (MB) of the process at the end of each stage. */
const peakMb: Record<string, number> = {};
let last = 0;

/** Marks the first line of main: the start-up stage ends here. */
export function markStartup(): void {
  last = performance.now();
  stages.startup = last;
}

/** Ends stage `name` now: adds the time since the previous mark to it (a stage may be marked twice). */
export function markStage(name: string): void {
  const now = performance.now();
  stages[name] = (stages[name] ?? 0) + (now - last);
  last = now;
  if (enabled()) peakMb[name] = Math.round(process.resourceUsage().maxRSS / 1024);
  if (process.env.FACTORLAB_MEMDEBUG === '1') {
    const u = process.memoryUsage(),
      mb = (v: number): string => (v / 2 ** 20).toFixed(0);
    process.stderr.write(
      `mem ${name}: rss ${mb(u.rss)} heap ${mb(u.heapUsed)}/${mb(u.heapTotal)} ext ${mb(u.external)} ab ${mb(u.arrayBuffers)} peak ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`,
    );
  }
}

/** The stages so far and the total, rounded to 0.1 ms. */
export function stageTimes(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(stages)) out[k] = Math.round(v * 10) / 10;
  out.total = Math.round(performance.now() * 10) / 10;
  return out;
}

/** Prints the one-line report on stderr when FACTORLAB_TIMINGS=1. */
export function reportStages(): void {
  if (enabled())
    process.stderr.write(
      `${JSON.stringify({ factorlab_timings: stageTimes(), factorlab_peak_rss_mb: { ...peakMb }, glibc_tunables: process.env.GLIBC_TUNABLES ?? null })}\n`,
    );
}
