/**
 * The CLI's names for library options. Library errors name the option they are about
 * (`InputError.options`, e.g. `maxLoss`); the CLI prints the flag the user can type instead
 * (`--max-loss`). An option without a flag here keeps its library name.
 */
const FLAGS: Readonly<Record<string, string>> = {
  maxLoss: '--max-loss',
  maxFindingsPerKind: '--max-findings',
  minObs: '--min-obs',
  minAssets: '--min-assets',
  periodsPerYear: '--periods-per-year',
  horizons: '--horizons',
  quantiles: '--quantiles',
  window: '--window',
  weightsFill: '--fill',
  weightsMaxAge: '--weights-max-age',
  executionLag: '--execution-lag',
  universe: '--universe',
  byGroup: '--by-group',
  groups: '--groups',
  riskFree: '--rf-col',
  start: '--start',
  end: '--end',
  neweyWest: '--newey-west',
  l1: '--l1',
  l2: '--l2',
};

/** The CLI flag for a library option name, or undefined when the CLI has none. */
export function flagForOption(option: string): string | undefined {
  return Object.hasOwn(FLAGS, option) ? FLAGS[option] : undefined;
}
