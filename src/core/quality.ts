/**
 * Data-quality checks: suspicious data is reported, never silently used or silently dropped.
 *
 * {@link checkQuality} walks the date-major panel once (a single fused pass with a little state per
 * asset) and reports findings of seven kinds. A value is *observed* when it is finite; `NaN` and
 * `±Infinity` count as missing everywhere.
 *
 * Definitions (defaults in {@link DEFAULT_QUALITY_OPTIONS}):
 *
 * - **bad-tick** (`kind` 'prices'): an observed price `p_t` of an asset, with `p_prev` the asset's
 *   previous observed positive price and `p_next` its next one (missing rows in between are
 *   skipped), is a bad tick when it jumps away
 *   `p_t / p_prev >= badTickUp` (4) or `p_t / p_prev <= 1 / badTickDown` (1/5)
 *   AND the next price reverts to the old level
 *   `1 / reversalBand <= p_next / p_prev <= reversalBand` (reversalBand 2).
 *   A flagged price is then ignored: the price after it is compared with `p_prev` again, so a
 *   reversal is never itself a candidate. Edges: the asset's first observed price has no `p_prev`
 *   and its last has no `p_next`, so neither is ever a bad tick (one side of the "away and back"
 *   is unobservable; at the start the move could be real, at the end it could be a real crash).
 *   A move that does not come back (a split-like drop to 1/5 that stays) is not a bad tick.
 *   Non-positive prices are reported as 'non-positive' and skipped by this rule.
 *   On the S&P 500 file `us_sp500_adj_ohlcv_2005_2017.csv.gz` this flags exactly the 11 known
 *   one-day prices at 1/10 or 1/100 (each reverts to within 3% of the previous price).
 * - **bad-tick** (`kind` 'returns'): a return with gross `g_t = 1 + r_t >= badTickUp` or
 *   `g_t <= 1 / badTickDown`, and the return on the very next row reverses it:
 *   `1 / reversalBand <= g_t * g_{t+1} <= reversalBand`. The reversal must be on the next row: a
 *   missing return breaks the compounding chain. The finding spans both rows (`date`..`endDate`),
 *   which are the two returns a single bad price spoils; the reversal row is consumed and is not a
 *   candidate itself.
 * - **jump**: a move as large as a bad tick's (`p_t / p_prev >= badTickUp` or `<= 1 / badTickDown`;
 *   for returns, the gross return) that no reversal confirms as a one-day error: the level stays
 *   (an unadjusted split or reverse split, a unit change), the next price is missing or the move is
 *   the asset's last (a bad last price, a real crash), or the first price is the odd one (a bad
 *   first price). Listed, never cleaned: the move may be real, but every return across it is used
 *   as it stands, so a person should look. Returns: a candidate whose next row is not a reversal
 *   (or is missing).
 * - **non-positive**: a price `<= 0` ('prices'), or a return `<= -1`, i.e. a non-positive gross
 *   return ('returns'). One finding per cell.
 * - **constant-series**: an asset with at least two observations that never change (the whole
 *   sample; one finding for the asset), or otherwise a run of `>= constantRows` (20) consecutive
 *   observations with the identical value. Missing rows neither break nor lengthen a run.
 * - **long-gap**: an asset missing for more than `gapRows` (20) consecutive rows strictly between
 *   two of its own observations (inside its first..last observed range; missing data before an
 *   asset starts or after it ends is not a gap), and for more than 3 (s − 1) rows, s the median of
 *   its own steps (rows from one observation to the next): a daily series (s = 1) is held to the
 *   20 rows; an annual series on the union calendar of a sparse file (each company on its own
 *   fiscal dates, steps of about 40 rows) is not a row of gaps, one missing two years is. An asset
 *   with fewer than 3 steps has no cadence of its own and takes the file's: the median, over the
 *   assets with at least 3 steps, of their mean step (last − first observed row) / steps (1 when no
 *   asset has 3 steps), so a company with two or three annual reports is not a row of gaps either.
 * - **thin-date**: a date on which `0 < count < thinDateShare * median` (share 0.5) or
 *   `0 < count < minAssets` (default 0, off), where `count` is the number of assets observed on
 *   that date and `median` is the median count over non-empty dates.
 * - **empty-asset**: an asset with no observation at all. **empty-date**: a date with no
 *   observation at all (only when the panel has assets).
 *
 * 'values' runs only constant-series, long-gap, thin-date and the two empty checks (no bad-tick,
 * jump or non-positive).
 *
 * Listing: within each kind findings are sorted by date, then asset name (so the listing does not
 * depend on the column order), and at most `maxFindingsPerKind` are listed; `counts` are always
 * exact and `truncated` says whether anything was left out. The report is plain JSON-serialisable
 * data. Cost: one pass over the values plus O(assets + dates) state; memory for findings is
 * bounded by `2 * maxFindingsPerKind` per kind.
 *
 * Definitions (all of them, in one place): docs/definitions.md#data-quality.
 */
import { checkOptionNames } from './checks.js';
import { formatIsoDate, tryParseIsoDate } from './dates.js';
import { InputError } from './errors.js';
import { Panel } from './panel.js';

export type QualityKind =
  'bad-tick' | 'jump' | 'constant-series' | 'long-gap' | 'thin-date' | 'empty-asset' | 'empty-date' | 'non-positive';

/** Every finding kind, in the order findings are listed. */
export const QUALITY_KINDS: readonly QualityKind[] = [
  'bad-tick',
  'jump',
  'non-positive',
  'constant-series',
  'long-gap',
  'thin-date',
  'empty-asset',
  'empty-date',
];

/** What the panel holds: price levels, simple returns, or any other values (factor scores, ...). */
export type QualityDataKind = 'prices' | 'returns' | 'values';

export interface QualityOptions {
  /** What the panel holds (default 'prices'). */
  kind?: QualityDataKind;
  /** A jump up to `>= badTickUp` times the previous price is a bad-tick candidate (default 4). */
  badTickUp?: number;
  /** A drop to `<= 1 / badTickDown` of the previous price is a bad-tick candidate (default 5). */
  badTickDown?: number;
  /** Reversal: the next price is within a factor `reversalBand` of the previous one (default 2). */
  reversalBand?: number;
  /** A gap of more than this many consecutive missing rows is reported (default 20). */
  gapRows?: number;
  /** A run of at least this many identical observations is reported (default 20). */
  constantRows?: number;
  /** A date with fewer than this share of the median assets per date is thin (default 0.5). */
  thinDateShare?: number;
  /** A date with fewer than this many assets is thin (default 0: off). */
  minAssets?: number;
  /** At most this many findings of each kind are listed; counts stay exact (default 50). */
  maxFindingsPerKind?: number;
}

export const DEFAULT_QUALITY_OPTIONS: Readonly<Required<QualityOptions>> = Object.freeze({
  kind: 'prices',
  badTickUp: 4,
  badTickDown: 5,
  reversalBand: 2,
  gapRows: 20,
  constantRows: 20,
  thinDateShare: 0.5,
  minAssets: 0,
  maxFindingsPerKind: 50,
});

export interface QualityFinding {
  kind: QualityKind;
  asset?: string;
  /** ISO date of the finding (start of a range). */
  date?: string;
  /** ISO end date of a range (inclusive). */
  endDate?: string;
  /** A sentence a person reads: asset, dates and the values involved. */
  message: string;
  /** The numbers behind the message (all finite). */
  values?: Record<string, number>;
}

export interface QualityReport {
  /** Listed findings, grouped by kind in {@link QUALITY_KINDS} order, then by date and asset. */
  findings: QualityFinding[];
  /** Exact number of findings of each kind, listed or not. */
  counts: Record<QualityKind, number>;
  /** True when some findings were not listed because of `maxFindingsPerKind`. */
  truncated: boolean;
}

/** Checks a panel and reports suspicious data. Pure: the panel is not modified. */
export function checkQuality(panel: Panel, options: QualityOptions = {}): QualityReport {
  const o = resolveOptions(options);
  const n = panel.nDates,
    m = panel.nAssets;
  const cap = o.maxFindingsPerKind;
  const ctx: Context = {
    assets: panel.assets,
    iso: (t: number): string => formatIsoDate(panel.dates[t]),
    col: {
      'bad-tick': new Collector(cap),
      jump: new Collector(cap),
      'non-positive': new Collector(cap),
      'constant-series': new Collector(cap),
      'long-gap': new Collector(cap),
      'thin-date': new Collector(cap),
      'empty-asset': new Collector(cap),
      'empty-date': new Collector(cap),
    },
  };
  const { col, iso, assets } = ctx;
  const s = scan(panel, o, ctx);

  // Long gaps: over gapRows rows, and over GAP_SPACING times the asset's median step between its
  // observations, so that a quarterly or annual series on the union calendar of a sparse file is
  // not a row of gaps (module doc). The steps are read again only for assets with a candidate.
  const medianStep = new Map<number, number>();
  let fileStep = NaN; // the file's cadence, for assets with too few steps of their own (module doc)
  for (let i = 0; i < s.gaps.length; i += 3) {
    const j = s.gaps[i],
      before = s.gaps[i + 1],
      after = s.gaps[i + 2];
    let step = medianStep.get(j);
    if (step === undefined) {
      step = s.nObs[j] > MIN_OWN_STEPS ? ownMedianStep(panel, j, s.firstRow[j], s.lastRow[j]) : NaN;
      if (step !== step) {
        if (fileStep !== fileStep) fileStep = typicalStep(s.nObs, s.firstRow, s.lastRow);
        step = fileStep;
      }
      medianStep.set(j, step);
    }
    if (after - before - 1 > GAP_SPACING * (step - 1)) emitGap(ctx, j, before + 1, after - 1, before, after);
  }

  // Per-asset endings: empty assets, whole-sample constants, runs still open at the end.
  for (let j = 0; j < m; j++) {
    const name = assets[j];
    if (s.nObs[j] === 0) {
      if (col['empty-asset'].add(-1, name)) {
        col['empty-asset'].push(-1, name, () => ({
          kind: 'empty-asset',
          asset: name,
          message: `${name}: no data on any of the ${n} dates`,
        }));
      }
    } else if (s.nObs[j] >= 2 && s.varies[j] === 0) {
      const from = s.firstRow[j],
        to = s.lastRow[j],
        k = s.nObs[j],
        value = s.runVal[j];
      if (col['constant-series'].add(from, name)) {
        col['constant-series'].push(from, name, () => ({
          kind: 'constant-series',
          asset: name,
          date: iso(from),
          endDate: iso(to),
          message: `${name}: all ${k} observations (${iso(from)}..${iso(to)}) are the same value ${fmt(value)}`,
          values: { value, observations: k },
        }));
      }
    } else if (s.runLen[j] >= o.constantRows) {
      emitRun(ctx, j, s.runStart[j], s.lastRow[j], s.runLen[j], s.runVal[j]);
    }
  }

  // Per-date endings: empty and thin dates.
  if (m > 0) {
    const nonEmpty: number[] = [];
    for (let t = 0; t < n; t++) if (s.rowCount[t] > 0) nonEmpty.push(s.rowCount[t]);
    const median = medianOf(nonEmpty);
    const thinBelow = o.thinDateShare * median;
    for (let t = 0; t < n; t++) {
      const c = s.rowCount[t];
      if (c === 0) {
        if (col['empty-date'].add(t, '')) {
          col['empty-date'].push(t, '', () => ({
            kind: 'empty-date',
            date: iso(t),
            message: `${iso(t)}: no asset has data`,
          }));
        }
      } else if (c < thinBelow || c < o.minAssets) {
        if (col['thin-date'].add(t, '')) {
          col['thin-date'].push(t, '', () => ({
            kind: 'thin-date',
            date: iso(t),
            message:
              `${iso(t)}: only ${c} of ${m} assets have data, ${fmt((100 * c) / median, 3)}% of the median ${fmt(median)} per date` +
              (c < o.minAssets ? ` and fewer than the minimum ${o.minAssets}` : ''),
            values: { assets: c, median },
          }));
        }
      }
    }
  }

  const findings: QualityFinding[] = [];
  const counts = {} as Record<QualityKind, number>;
  let truncated = false;
  for (const kind of QUALITY_KINDS) {
    const c = col[kind];
    counts[kind] = c.count;
    const listed = c.finish();
    if (listed.length < c.count) truncated = true;
    for (const f of listed) findings.push(f);
  }
  return { findings, counts, truncated };
}

interface Context {
  assets: readonly string[];
  iso: (t: number) => string;
  col: Record<QualityKind, Collector>;
}

interface ScanState {
  rowCount: Int32Array;
  nObs: Int32Array;
  firstRow: Int32Array;
  lastRow: Int32Array;
  varies: Uint8Array;
  runVal: Float64Array;
  runStart: Int32Array;
  runLen: Int32Array;
  /** Gap candidates over gapRows: (asset, observation row before, observation row after), flat (kept against the asset's median step after the scan). */
  gaps: number[];
}

/**
 * The fused pass over the date-major values: per-date counts, gaps, constant runs, non-positive
 * values and bad ticks, with O(1) state per asset. The state is kept in local typed arrays (no
 * closure captures them) and findings go through top-level emit functions, so the loop stays
 * simple for the JIT.
 */
function scan(panel: Panel, o: Required<QualityOptions>, ctx: Context): ScanState {
  const n = panel.nDates,
    m = panel.nAssets,
    v = panel.values;
  const isPrices = o.kind === 'prices',
    isReturns = o.kind === 'returns';
  const up = o.badTickUp,
    down = 1 / o.badTickDown,
    bandHi = o.reversalBand,
    bandLo = 1 / o.reversalBand;
  const gapRows = o.gapRows,
    constantRows = o.constantRows;

  const rowCount = new Int32Array(n);
  const nObs = new Int32Array(m);
  const gaps: number[] = []; // (asset, observation row before, observation row after) of each gap over gapRows
  const lastRow = new Int32Array(m).fill(-1);
  const firstRow = new Int32Array(m).fill(-1);
  // Constant runs.
  const varies = new Uint8Array(m);
  const runVal = new Float64Array(m);
  const runStart = new Int32Array(m);
  const runLen = new Int32Array(m);
  // Bad ticks. Prices: last accepted price and a pending candidate. Returns: pending candidate.
  const tickPrev = new Float64Array(m);
  const tickPrevRow = new Int32Array(m).fill(-1);
  const candRow = new Int32Array(m).fill(-1);
  const candVal = new Float64Array(m);
  const candPrev = new Float64Array(m);
  const candPrevRow = new Int32Array(m);

  for (let t = 0; t < n; t++) {
    const base = t * m;
    let count = 0;
    for (let j = 0; j < m; j++) {
      const x = v[base + j];
      if (x - x !== 0) continue; // NaN or ±Infinity: missing
      count++;
      const lr = lastRow[j];
      lastRow[j] = t;
      const k = ++nObs[j];
      // Long gap strictly between two observations: a candidate, kept after the scan when it is
      // also long against the asset's own spacing.
      if (lr >= 0 && t - lr - 1 > gapRows) gaps.push(j, lr, t);
      // Constant runs.
      if (k === 1) {
        firstRow[j] = t;
        runVal[j] = x;
        runStart[j] = t;
        runLen[j] = 1;
      } else if (x === runVal[j]) {
        runLen[j]++;
      } else {
        varies[j] = 1;
        if (runLen[j] >= constantRows) emitRun(ctx, j, runStart[j], lr, runLen[j], runVal[j]);
        runVal[j] = x;
        runStart[j] = t;
        runLen[j] = 1;
      }
      if (isPrices) {
        if (x <= 0) {
          emitNonPositive(ctx, j, t, x, 'price');
          continue;
        }
        if (candRow[j] >= 0) {
          const back = x / candPrev[j];
          if (back >= bandLo && back <= bandHi) {
            emitBadTickPrice(ctx, j, candRow[j], candVal[j], candPrevRow[j], candPrev[j], t, x);
            // Ignore the bad price: compare the next price with the one before it.
            tickPrev[j] = candPrev[j];
            tickPrevRow[j] = candPrevRow[j];
          } else emitJumpPrice(ctx, j, candRow[j], candVal[j], candPrevRow[j], candPrev[j], t, x, firstRow[j]);
          candRow[j] = -1;
        }
        if (tickPrevRow[j] >= 0) {
          const ratio = x / tickPrev[j];
          if (ratio >= up || ratio <= down) {
            candRow[j] = t;
            candVal[j] = x;
            candPrev[j] = tickPrev[j];
            candPrevRow[j] = tickPrevRow[j];
          }
        }
        tickPrev[j] = x;
        tickPrevRow[j] = t;
      } else if (isReturns) {
        if (x <= -1) {
          emitNonPositive(ctx, j, t, x, 'return');
          if (candRow[j] >= 0) emitJumpReturn(ctx, j, candRow[j], candVal[j] - 1, candRow[j] === t - 1 ? 'stays' : 'gap');
          candRow[j] = -1;
          continue;
        }
        const g = 1 + x;
        let consumed = false;
        if (candRow[j] >= 0) {
          if (candRow[j] === t - 1) {
            const both = candVal[j] * g;
            if (both >= bandLo && both <= bandHi) {
              emitBadTickReturn(ctx, j, t - 1, candVal[j] - 1, x);
              consumed = true;
            }
          }
          if (!consumed) emitJumpReturn(ctx, j, candRow[j], candVal[j] - 1, candRow[j] === t - 1 ? 'stays' : 'gap');
          candRow[j] = -1;
        }
        if (!consumed && (g >= up || g <= down)) {
          candRow[j] = t;
          candVal[j] = g;
        }
      }
    }
    rowCount[t] = count;
  }
  // candidates still open: the asset's last observation moved and nothing after it can revert it
  if (isPrices || isReturns)
    for (let j = 0; j < m; j++) {
      if (candRow[j] < 0) continue;
      if (isPrices) emitJumpPrice(ctx, j, candRow[j], candVal[j], candPrevRow[j], candPrev[j], -1, NaN, firstRow[j]);
      else emitJumpReturn(ctx, j, candRow[j], candVal[j] - 1, 'last');
    }
  return { rowCount, nObs, firstRow, lastRow, varies, runVal, runStart, runLen, gaps };
}

/** A gap's missing rows must also exceed this many times those of the asset's median step, step − 1 (module doc). */
const GAP_SPACING = 3;

/** Steps (observations − 1) an asset needs to have a cadence of its own. */
const MIN_OWN_STEPS = 3;

/**
 * The file's cadence: the median, over assets with at least {@link MIN_OWN_STEPS} steps, of their
 * mean step (last − first observed row) / (observations − 1); 1 when no asset has that many.
 */
function typicalStep(nObs: Int32Array, firstRow: Int32Array, lastRow: Int32Array): number {
  const means: number[] = [];
  for (let j = 0; j < nObs.length; j++) if (nObs[j] > MIN_OWN_STEPS) means.push((lastRow[j] - firstRow[j]) / (nObs[j] - 1));
  return means.length > 0 ? medianOf(means) : 1;
}

/**
 * The median of the steps (rows from one observation of asset j to its next) over rows
 * first..last; NaN when there are fewer than {@link MIN_OWN_STEPS} steps to tell a cadence.
 */
function ownMedianStep(panel: Panel, j: number, first: number, last: number): number {
  const m = panel.nAssets,
    v = panel.values;
  const steps: number[] = [];
  let prev = first;
  for (let t = first + 1; t <= last; t++) {
    const x = v[t * m + j];
    if (x - x !== 0) continue;
    steps.push(t - prev);
    prev = t;
  }
  if (steps.length < MIN_OWN_STEPS) return NaN;
  steps.sort((a, b) => a - b);
  const k = steps.length;
  return k % 2 === 1 ? steps[(k - 1) / 2] : (steps[k / 2 - 1] + steps[k / 2]) / 2;
}

function emitGap(ctx: Context, j: number, from: number, to: number, before: number, after: number): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col['long-gap'];
  if (!c.add(from, name)) return;
  c.push(from, name, () => ({
    kind: 'long-gap',
    asset: name,
    date: iso(from),
    endDate: iso(to),
    message: `${name} ${iso(from)}..${iso(to)}: missing for ${to - from + 1} consecutive dates between its observations on ${iso(before)} and ${iso(after)}`,
    values: { rows: to - from + 1 },
  }));
}

function emitRun(ctx: Context, j: number, from: number, to: number, len: number, value: number): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col['constant-series'];
  if (!c.add(from, name)) return;
  c.push(from, name, () => ({
    kind: 'constant-series',
    asset: name,
    date: iso(from),
    endDate: iso(to),
    message: `${name} ${iso(from)}..${iso(to)}: the same value ${fmt(value)} for ${len} observations in a row`,
    values: { value, observations: len },
  }));
}

/**
 * A new panel with every bad-tick cell of the report set to `NaN` (for a returns report, both rows
 * `date..endDate` of each finding). Every other cell is copied unchanged; the input is not touched,
 * unless `inPlace`: then the cells are set to NaN in the panel's own values and the panel itself is
 * returned (no second panel: for a caller that owns it, e.g. one just read onto shared memory).
 * Throws an {@link InputError} when the report does not list every bad tick (raise
 * `maxFindingsPerKind`) or names an asset or date the panel does not have (before any cell is set).
 */
export function cleanBadTicks(panel: Panel, report: QualityReport, inPlace = false): Panel {
  return cleanTicks(panel, report, inPlace).panel;
}

/** {@link cleanBadTicks}, and how many cells it set to NaN that were not NaN before. */
function cleanTicks(panel: Panel, report: QualityReport, inPlace: boolean): { panel: Panel; cells: number } {
  const ticks = report.findings.filter((f) => f.kind === 'bad-tick');
  const total = report.counts['bad-tick'] ?? ticks.length;
  if (ticks.length < total) {
    throw new InputError(`the quality report lists ${ticks.length} of ${total} bad ticks, so they cannot all be cleaned`, {
      hint: `run checkQuality again with maxFindingsPerKind >= ${total}`,
      options: ['maxFindingsPerKind'],
    });
  }
  const m = panel.nAssets;
  const cells = ticks.map((f) => {
    const j = f.asset === undefined ? -1 : panel.assetIndex(f.asset);
    const from = f.date === undefined ? -1 : rowOf(panel, f.date);
    const to = f.endDate === undefined ? from : rowOf(panel, f.endDate);
    if (j < 0 || from < 0 || to < from) {
      throw new InputError('a bad-tick finding does not match this panel', {
        asset: f.asset,
        date: f.date,
        hint: 'clean the panel that the report was made from',
      });
    }
    return { j, from, to };
  });
  const out = inPlace ? panel.values : panel.values.slice();
  let set = 0;
  for (const { j, from, to } of cells)
    for (let t = from; t <= to; t++) {
      const i = t * m + j;
      if (out[i] === out[i]) set++;
      out[i] = NaN;
    }
  return { panel: inPlace ? panel : new Panel(panel.dates, panel.assets, out), cells: set };
}

/** What {@link checkAndCleanBadTicks} returns. */
export interface CheckedAndCleaned {
  /** The report made with the caller's options (listing at most `maxFindingsPerKind` per kind). */
  report: QualityReport;
  /** The panel with every bad tick set to NaN (the input itself when there were none). */
  panel: Panel;
  /** Cells set to NaN that were not NaN before. */
  cells: number;
}

/**
 * {@link checkQuality} with `options`, then {@link cleanBadTicks} of EVERY bad tick, however many
 * the listing limit `maxFindingsPerKind` leaves out of the report: when the report lists fewer
 * bad ticks than it counts, the panel is checked again with a limit equal to that count and
 * cleaned from that listing. The listing limit limits what is shown, never what is cleaned.
 * `inPlace`: the cells are set to NaN in `panel` itself (see {@link cleanBadTicks}).
 */
export function checkAndCleanBadTicks(panel: Panel, options: QualityOptions = {}, inPlace = false): CheckedAndCleaned {
  const report = checkQuality(panel, options);
  const total = report.counts['bad-tick'] ?? 0;
  if (total === 0) return { report, panel, cells: 0 };
  const listed = report.findings.reduce((k, f) => k + (f.kind === 'bad-tick' ? 1 : 0), 0);
  const full = listed < total ? checkQuality(panel, { ...options, maxFindingsPerKind: total }) : report;
  const { panel: cleaned, cells } = cleanTicks(panel, full, inPlace);
  return { report, panel: cleaned, cells };
}

/** Lines a CLI can print: a summary line, then one line per listed finding. */
export function formatQualityReport(report: QualityReport): string[] {
  const parts: string[] = [];
  for (const kind of QUALITY_KINDS) {
    const c = report.counts[kind] ?? 0;
    if (c > 0) parts.push(`${c} ${c === 1 ? LABELS[kind][0] : LABELS[kind][1]}`);
  }
  const lines = [parts.length === 0 ? 'Data quality: no findings' : `Data quality: ${parts.join(', ')}`];
  for (const kind of QUALITY_KINDS) {
    let listed = 0;
    for (const f of report.findings) {
      if (f.kind !== kind) continue;
      lines.push(`  ${kind}: ${f.message}`);
      listed++;
    }
    const more = (report.counts[kind] ?? 0) - listed;
    if (more > 0) lines.push(`  ${kind}: ... and ${more} more (list them with --max-findings, or maxFindingsPerKind in the library)`);
  }
  return lines;
}

const LABELS: Record<QualityKind, [string, string]> = {
  'bad-tick': ['bad tick', 'bad ticks'],
  jump: ['large move that does not revert', 'large moves that do not revert'],
  'non-positive': ['non-positive value', 'non-positive values'],
  'constant-series': ['constant series', 'constant series'],
  'long-gap': ['long gap', 'long gaps'],
  'thin-date': ['thin date', 'thin dates'],
  'empty-asset': ['empty asset', 'empty assets'],
  'empty-date': ['empty date', 'empty dates'],
};

const QUALITY_OPTION_NAMES: Readonly<Record<keyof QualityOptions, true>> = {
  kind: true,
  badTickUp: true,
  badTickDown: true,
  reversalBand: true,
  gapRows: true,
  constantRows: true,
  thinDateShare: true,
  minAssets: true,
  maxFindingsPerKind: true,
};

function resolveOptions(options: QualityOptions): Required<QualityOptions> {
  // a misspelt threshold (badTickRatio) ran with the default, silently
  checkOptionNames<QualityOptions>('quality options', options, QUALITY_OPTION_NAMES);
  const o: Required<QualityOptions> = { ...DEFAULT_QUALITY_OPTIONS };
  for (const [key, value] of Object.entries(options) as [keyof QualityOptions, unknown][]) {
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  if (o.kind !== 'prices' && o.kind !== 'returns' && o.kind !== 'values') {
    throw new InputError(`unknown quality kind ${JSON.stringify(o.kind)}`, { hint: "use 'prices', 'returns' or 'values'" });
  }
  const need = (ok: boolean, name: string, what: string): void => {
    if (!ok) {
      throw new InputError(`quality option ${name} must be ${what}`, {
        value: String((o as Record<string, unknown>)[name]),
        options: [name],
      });
    }
  };
  need(o.badTickUp > 1, 'badTickUp', 'a number > 1');
  need(o.badTickDown > 1, 'badTickDown', 'a number > 1');
  need(o.reversalBand >= 1 && Number.isFinite(o.reversalBand), 'reversalBand', 'a finite number >= 1');
  need(Number.isInteger(o.gapRows) && o.gapRows >= 0, 'gapRows', 'an integer >= 0');
  need(Number.isInteger(o.constantRows) && o.constantRows >= 2, 'constantRows', 'an integer >= 2');
  need(o.thinDateShare >= 0 && o.thinDateShare <= 1, 'thinDateShare', 'a number in [0, 1]');
  need(o.minAssets >= 0, 'minAssets', 'a number >= 0');
  need(
    o.maxFindingsPerKind >= 0 && (Number.isInteger(o.maxFindingsPerKind) || o.maxFindingsPerKind === Infinity),
    'maxFindingsPerKind',
    'an integer >= 0 (or Infinity)',
  );
  return o;
}

function emitNonPositive(ctx: Context, j: number, t: number, x: number, what: 'price' | 'return'): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col['non-positive'];
  if (!c.add(t, name)) return;
  c.push(t, name, () => ({
    kind: 'non-positive',
    asset: name,
    date: iso(t),
    message:
      what === 'price'
        ? `${name} ${iso(t)}: price ${fmt(x)} is not positive`
        : `${name} ${iso(t)}: return ${pct(x)} is -100% or worse (a non-positive price)`,
    values: { value: x },
  }));
}

function emitBadTickPrice(
  ctx: Context,
  j: number,
  t: number,
  price: number,
  prevRow: number,
  previous: number,
  nextRow: number,
  next: number,
): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col['bad-tick'];
  if (!c.add(t, name)) return;
  c.push(t, name, () => ({
    kind: 'bad-tick',
    asset: name,
    date: iso(t),
    message: `${name} ${iso(t)}: price ${fmt(price)} is ${ratioText(price / previous)} the previous ${fmt(previous)} (${iso(prevRow)}) and reverts to ${fmt(next)} (${iso(nextRow)})`,
    values: { previous, price, next, jump: price / previous, reversal: next / previous },
  }));
}

/**
 * A price move beyond the bad-tick thresholds that does not revert (module doc): `nextRow` -1 when
 * the moved price is the asset's last observation; `firstRow` the asset's first observed row (the
 * move from it may mean that the first price is the bad one).
 */
function emitJumpPrice(
  ctx: Context,
  j: number,
  t: number,
  price: number,
  prevRow: number,
  previous: number,
  nextRow: number,
  next: number,
  firstRow: number,
): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col.jump;
  if (!c.add(t, name)) return;
  c.push(t, name, () => {
    const moved = `${name} ${iso(t)}: price ${fmt(price)} is ${ratioText(price / previous)} the previous ${fmt(previous)} (${iso(prevRow)})`;
    const why =
      nextRow < 0
        ? 'and is the last price: nothing after it confirms the move (a bad last price? a real crash or spike?)'
        : prevRow === firstRow
          ? `and stays (next ${fmt(next)}, ${iso(nextRow)}): the first price ${fmt(previous)} may be the bad one, or an unadjusted split`
          : `and stays (next ${fmt(next)}, ${iso(nextRow)}): a real move, or an unadjusted split or change of unit; the return across it is used as it stands`;
    const values: Record<string, number> = { previous, price, jump: price / previous };
    if (nextRow >= 0) values.next = next;
    return { kind: 'jump', asset: name, date: iso(t), message: `${moved} ${why}`, values };
  });
}

/** A return beyond the bad-tick thresholds that the next row does not reverse: it stays, the next row is missing, or it is the last. */
function emitJumpReturn(ctx: Context, j: number, t: number, r: number, how: 'stays' | 'gap' | 'last'): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col.jump;
  if (!c.add(t, name)) return;
  c.push(t, name, () => ({
    kind: 'jump',
    asset: name,
    date: iso(t),
    message: `${name} ${iso(t)}: return ${pct(r)} ${how === 'stays' ? 'is not reversed on the next row (a real move, or an unadjusted split)' : how === 'gap' ? 'is followed by a missing row, so no reversal can confirm a bad price' : 'is the last return: nothing after it confirms the move'}`,
    values: { return: r },
  }));
}

function emitBadTickReturn(ctx: Context, j: number, t: number, r: number, rNext: number): void {
  const { iso } = ctx,
    name = ctx.assets[j],
    c = ctx.col['bad-tick'];
  if (!c.add(t, name)) return;
  c.push(t, name, () => ({
    kind: 'bad-tick',
    asset: name,
    date: iso(t),
    endDate: iso(t + 1),
    message: `${name} ${iso(t)}: return ${pct(r)} is reversed by ${pct(rNext)} on ${iso(t + 1)} (${pct((1 + r) * (1 + rNext) - 1)} over both days), a one-day bad price`,
    values: { return: r, nextReturn: rNext, combined: (1 + r) * (1 + rNext) - 1 },
  }));
}

/**
 * Keeps the smallest `cap` findings by (row, asset name) without holding every finding: it
 * compacts to `cap` whenever it holds `2 * cap`, so memory stays O(cap) and `count` stays exact.
 * Call `add` first (counts, and says whether the finding could be listed), then `push` the
 * builder, which runs only for the findings that are finally listed.
 */
class Collector {
  count = 0;
  private items: { t: number; name: string; make: () => QualityFinding }[] = [];
  private worstT = Infinity;
  private worstName = '';
  private full = false;

  constructor(private readonly cap: number) {}

  add(t: number, name: string): boolean {
    this.count++;
    if (this.cap === 0) return false;
    if (this.full && (t > this.worstT || (t === this.worstT && name > this.worstName))) return false;
    return true;
  }

  push(t: number, name: string, make: () => QualityFinding): void {
    this.items.push({ t, name, make });
    if (this.items.length >= 2 * this.cap) this.compact();
  }

  finish(): QualityFinding[] {
    this.compact();
    return this.items.map((i) => i.make());
  }

  private compact(): void {
    this.items.sort((a, b) => a.t - b.t || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (this.items.length > this.cap) this.items.length = this.cap;
    if (this.items.length === this.cap && this.cap > 0) {
      const last = this.items[this.cap - 1];
      this.full = true;
      this.worstT = last.t;
      this.worstName = last.name;
    }
  }
}

/** Row of an ISO date in the panel, or -1 (also for text that is not a date). */
function rowOf(panel: Panel, isoDate: string): number {
  const day = tryParseIsoDate(isoDate);
  return Number.isNaN(day) ? -1 : panel.dateIndex(day);
}

function medianOf(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** A ratio as text: "1/100 of" below 1, "4 times" at or above 1. */
function ratioText(r: number): string {
  return r < 1 ? `1/${fmt(1 / r, 3)} of` : `${fmt(r, 3)} times`;
}

/** A number with at most `digits` significant digits, without trailing zeros. */
function fmt(x: number, digits = 6): string {
  return String(Number(x.toPrecision(digits)));
}

function pct(x: number): string {
  return `${fmt(100 * x, 4)}%`;
}
