/**
 * How many cases the exhaustive property tests run. `npm test` runs a tenth of each count (still
 * tens of thousands of cases, a few seconds); the `integration` project, which `.ci/run` runs,
 * sets FACTORLAB_FULL_PROPERTIES=1 and runs the full counts (millions of parsed numbers).
 */
export function propertyRuns(full: number): number {
  return process.env.FACTORLAB_FULL_PROPERTIES === '1' ? full : Math.max(1_000, Math.round(full / 10));
}
