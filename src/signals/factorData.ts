/**
 * The clean intermediate every single-factor statistic reads (alphalens' `factor_data`, as
 * panels): factor values and forward returns on the same grid of formation dates × assets, plus
 * groups, weights and a data-loss account.
 *
 * Definitions:
 * - **Calendars.** Horizons count rows of the PRICE calendar. A factor date d is matched to the
 *   first price date on or after d (a factor dated on a weekend or a calendar month end is traded
 *   on the next trading day; never earlier, so no look-ahead). Factor dates after the last price
 *   date, and before the first one (no price is known to follow them directly: a 1920 value is
 *   not tested on 2018 returns), are dropped (`unmatched-date`). Several factor dates matched to
 *   the same price date (a Saturday and a Sunday; the fiscal year ends of a sparse fundamentals
 *   file) merge into the last of them asset by asset: each asset keeps its latest value, and an
 *   earlier value that a later one replaces is `unmatched-date` (superseded). Formation dates keep
 *   the factor's own dates.
 * - **Execution lag** L (default 0): with r the matched price row, the position is entered at row
 *   e = r + L and the forward return is `fwd_h = p[e + h] / p[e] - 1` (core `forwardReturn`, the
 *   one definition, which the row kernels call; equal to core `forwardReturns` read at row e). L = 1 means "signal at the close of t, trade at the close of t + 1".
 * - **Universe per date.** `joint` (default, alphalens): an asset enters a date only if it has the
 *   forward return of every horizon, so all horizons use one universe and one set of labels.
 *   `pairwise`: each horizon uses the assets with that horizon's forward return (forward[h] is NaN
 *   elsewhere; `factor` holds every observation that passed the common stages).
 *   In both, `forward[h]` is NaN wherever `factor` is NaN.
 * - **minAssets** (default 3): a date with fewer observations (per horizon in `pairwise`) is
 *   dropped and counted; a date dropped for every horizon leaves `dates`.
 * - **Groups** are taken as of the formation date (see groups.ts); with groups, observations
 *   without a group are dropped (`no-group`), as alphalens does.
 * - **Weights** (e.g. market cap) are read as of the matched price date, asset by asset: each
 *   asset's latest weight on or before it (pandas: the pivoted weights forward-filled), so a file
 *   whose names report on different days weights every name. An asset without one is NaN
 *   (weighted statistics skip it; not a universe filter).
 * - **periodsPerYear** comes from the factor calendar's frequency (core `detectFrequency`).
 * - **maxLoss** (default 0.35, alphalens' `max_loss`): see dataLoss.ts.
 */
import { detectFrequency, lowerBound, type Calendar } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { checkPrices, forwardReturn } from '../core/returns.js';
import { DataLossCounter, enforceMaxLoss, makeDataLoss, type DataLoss, type UnmatchedCauses } from './dataLoss.js';
import { resolveGroups, type GroupCodes, type GroupInput } from './groups.js';

export type Universe = 'pairwise' | 'joint';

export const DEFAULT_HORIZONS: readonly number[] = [1, 5, 21];
export const DEFAULT_MIN_ASSETS = 3;
export const DEFAULT_MAX_LOSS = 0.35;
export const DEFAULT_UNIVERSE: Universe = 'joint';

export interface FactorDataInput {
  factor: Panel;
  prices: Panel;
  /** Horizons in rows of the price calendar (default [1, 5, 21]). */
  horizons?: readonly number[];
  /** Rows between the matched price date and the entry (default 0). */
  executionLag?: number;
  groups?: GroupInput;
  weights?: Panel;
  universe?: Universe;
  minAssets?: number;
  /** Largest share of observations that may be lost, in [0, 1] (default 0.35). */
  maxLoss?: number;
  /**
   * Forward returns already computed on the price calendar (core `forwardReturns(prices, h)`),
   * to share them between factors. Must contain every horizon and have the prices' dates and assets.
   */
  forwardReturns?: ReadonlyMap<number, Panel>;
  /**
   * Periods per year for annualising (default: from the factor calendar, core `detectFrequency`:
   * 252 daily, 365 for a 7-day calendar, 52 weekly, 12 monthly, ...).
   */
  periodsPerYear?: number;
  /**
   * Let the prepared factor be written over `factor.values` instead of a new panel: one panel of
   * memory less (the prepared factor is the same size). The factor panel's values are then
   * overwritten (kept rows moved up, cells outside the universe NaN), so set it only when nothing
   * reads that panel afterwards (the CLI's `analyze`, which read the file for this analysis alone).
   * Ignored when the factor's buffer is also the prices', the weights', the group codes' or a
   * shared forward return's. Default false.
   */
  overwriteFactor?: boolean;
  /**
   * Demean the forward returns within each group per date (alphalens `group_adjust`, the
   * `group_neutral` tear sheet): `fwd_h[t, j] − mean_{k in g(j), fwd_h[t, k] present} fwd_h[t, k]`
   * over the date's universe, so every statistic measures the factor within groups. Needs `groups`.
   * Default false.
   */
  groupAdjust?: boolean;
}

export interface FactorData {
  /** Formation dates (factor dates kept). */
  dates: Calendar;
  assets: readonly string[];
  /** Factor values; NaN = not in the date's universe. */
  factor: Panel;
  /** Forward return per horizon on the factor's grid; NaN = not in that horizon's universe. */
  forward: Map<number, Panel>;
  horizons: number[];
  /** Entry row in the price calendar of each formation date (matched row + execution lag). */
  entryRows: Int32Array;
  /** The price calendar. */
  priceDates: Calendar;
  executionLag: number;
  groups?: GroupCodes;
  weights?: Panel;
  periodsPerYear: number;
  universe: Universe;
  minAssets: number;
  dataLoss: DataLoss;
  /**
   * The shared forward returns (`FactorDataInput.forwardReturns`) the `forward` panels were read
   * from, when given: a forward value of formation row t and asset a is that map's value at price
   * row `entryRows[t]` and asset a (forwardOrder.ts relies on it).
   */
  forwardSource?: ReadonlyMap<number, Panel>;
}

function checkHorizons(horizons: readonly number[]): number[] {
  if (horizons.length === 0) throw new InputError('at least one horizon is needed');
  const seen = new Set<number>();
  for (const h of horizons) {
    if (!Number.isInteger(h) || h < 1)
      throw new InputError(`horizon must be a positive whole number of rows, got ${h}`, {
        hint: 'e.g. horizons 1,5,21',
        options: ['horizons'],
      });
    if (seen.has(h))
      throw new InputError(`horizon ${h} is listed twice in horizons`, {
        hint: 'give each horizon once, e.g. horizons 1,5,21',
        options: ['horizons'],
      });
    seen.add(h);
  }
  return [...horizons];
}

/** Where one row's forward return of each horizon comes from (set per row by {@link prepareFactorRows}). */
interface RowPlan {
  /** Per horizon: 0 = p(entry + h) / p(entry) − 1 read from `src` at `offs`; 1 = shared forward return read from `src` at `offs`; 2 = none (past the prices). */
  mode: Int32Array;
  src: Float64Array[];
  /** Price row offset of the read, per horizon. */
  offs: Int32Array;
  /** Output: finite forward returns of the row, per horizon. */
  fin: Int32Array;
}

/**
 * One factor row (offset `off`, entry price row offset `e0`), every stage in one pass over the
 * assets, written straight to output row offset `o`: the common stages (finite factor, a price at
 * the entry, a group), each horizon's forward return (NaN unless finite and the cell ok), the factor
 * (NaN unless ok; in `joint` also NaN, with every horizon, unless every horizon is finite). Counts
 * finite returns per horizon into `plan.fin`, no price / no group into `lost`; returns
 * [ok cells, joint members] in `res`.
 */
function prepareRow(
  fv: Float64Array,
  off: number,
  pv: Float64Array,
  e0: number,
  pcol: Int32Array,
  codes: Int32Array | null,
  fOut: Float64Array,
  fwd: readonly Float64Array[],
  o: number,
  m: number,
  plan: RowPlan,
  joint: boolean,
  lost: Float64Array,
  res: Int32Array,
): void {
  const { mode, src, offs, fin } = plan;
  const H = fwd.length;
  fin.fill(0);
  let ok = 0,
    members = 0,
    noPrice = 0,
    noGroup = 0;
  for (let j = 0; j < m; j++) {
    const v = fv[off + j];
    const pj = pcol[j];
    const p = pj >= 0 ? pv[e0 + pj] : NaN;
    if (v - v !== 0 || p !== p || (codes !== null && codes[off + j] < 0)) {
      // v − v is 0 exactly when v is finite
      if (v - v === 0) {
        if (p !== p) noPrice++;
        else noGroup++;
      }
      fOut[o + j] = NaN;
      for (let k = 0; k < H; k++) fwd[k][o + j] = NaN;
      continue;
    }
    ok++;
    let all = true;
    for (let k = 0; k < H; k++) {
      const md = mode[k];
      const x = md === 0 ? forwardReturn(p, src[k][offs[k] + pj]) : md === 1 ? src[k][offs[k] + pj] : NaN;
      if (x - x === 0) {
        fin[k]++;
        fwd[k][o + j] = x;
      } else {
        all = false;
        fwd[k][o + j] = NaN;
      }
    }
    if (all) {
      members++;
      fOut[o + j] = v;
    } else if (joint) {
      fOut[o + j] = NaN;
      for (let k = 0; k < H; k++) fwd[k][o + j] = NaN;
    } else fOut[o + j] = v;
  }
  lost[0] += noPrice;
  lost[1] += noGroup;
  res[0] = ok;
  res[1] = members;
}

/**
 * {@link prepareRow} for the common case, with the same results: three forward-return slots, each a
 * price ratio at price row offset `r0`, `r1`, `r2` (fewer horizons repeat the last one: the slot
 * writes the same array, the same values), every factor asset with a price column. Unrolled: no
 * loop over horizons per cell, no scratch row. Finite returns per slot go to `fin[0..3)`.
 */
function prepareRow3(
  fv: Float64Array,
  off: number,
  pv: Float64Array,
  e0: number,
  pcol: Int32Array,
  codes: Int32Array | null,
  fOut: Float64Array,
  F0: Float64Array,
  F1: Float64Array,
  F2: Float64Array,
  o: number,
  m: number,
  r0: number,
  r1: number,
  r2: number,
  joint: boolean,
  lost: Float64Array,
  res: Int32Array,
  fin: Int32Array,
): void {
  let ok = 0,
    members = 0,
    noPrice = 0,
    noGroup = 0,
    c0 = 0,
    c1 = 0,
    c2 = 0;
  for (let j = 0; j < m; j++) {
    const v = fv[off + j];
    const pj = pcol[j]; // >= 0 here
    const p = pv[e0 + pj];
    if (v - v !== 0 || p !== p || (codes !== null && codes[off + j] < 0)) {
      if (v - v === 0) {
        if (p !== p) noPrice++;
        else noGroup++;
      }
      fOut[o + j] = NaN;
      F0[o + j] = NaN;
      F1[o + j] = NaN;
      F2[o + j] = NaN;
      continue;
    }
    ok++;
    const x0 = forwardReturn(p, pv[r0 + pj]),
      x1 = forwardReturn(p, pv[r1 + pj]),
      x2 = forwardReturn(p, pv[r2 + pj]);
    const f0 = x0 - x0 === 0,
      f1 = x1 - x1 === 0,
      f2 = x2 - x2 === 0;
    c0 += f0 ? 1 : 0;
    c1 += f1 ? 1 : 0;
    c2 += f2 ? 1 : 0;
    const all = f0 && f1 && f2;
    if (all) members++;
    if (joint) {
      fOut[o + j] = all ? v : NaN;
      F0[o + j] = all ? x0 : NaN;
      F1[o + j] = all ? x1 : NaN;
      F2[o + j] = all ? x2 : NaN;
    } else {
      fOut[o + j] = v;
      F0[o + j] = f0 ? x0 : NaN;
      F1[o + j] = f1 ? x1 : NaN;
      F2[o + j] = f2 ? x2 : NaN;
    }
  }
  lost[0] += noPrice;
  lost[1] += noGroup;
  res[0] = ok;
  res[1] = members;
  fin[0] = c0;
  fin[1] = c1;
  fin[2] = c2;
}

/**
 * {@link prepareRow3} for forward returns read from shared panels (`forwardReturns` given, the
 * zoo): slot k reads `S_k[e0 + pj]`, the value {@link prepareRow}'s shared mode reads, so the
 * results are the same; unrolled like prepareRow3 (no loop over horizons per cell, no mode switch).
 */
function prepareRow3Shared(
  fv: Float64Array,
  off: number,
  pv: Float64Array,
  e0: number,
  pcol: Int32Array,
  codes: Int32Array | null,
  fOut: Float64Array,
  F0: Float64Array,
  F1: Float64Array,
  F2: Float64Array,
  o: number,
  m: number,
  S0: Float64Array,
  S1: Float64Array,
  S2: Float64Array,
  joint: boolean,
  lost: Float64Array,
  res: Int32Array,
  fin: Int32Array,
): void {
  let ok = 0,
    members = 0,
    noPrice = 0,
    noGroup = 0,
    c0 = 0,
    c1 = 0,
    c2 = 0;
  for (let j = 0; j < m; j++) {
    const v = fv[off + j];
    const q = e0 + pcol[j]; // pcol[j] >= 0 here
    const p = pv[q];
    if (v - v !== 0 || p !== p || (codes !== null && codes[off + j] < 0)) {
      if (v - v === 0) {
        if (p !== p) noPrice++;
        else noGroup++;
      }
      fOut[o + j] = NaN;
      F0[o + j] = NaN;
      F1[o + j] = NaN;
      F2[o + j] = NaN;
      continue;
    }
    ok++;
    const x0 = S0[q],
      x1 = S1[q],
      x2 = S2[q];
    const f0 = x0 - x0 === 0,
      f1 = x1 - x1 === 0,
      f2 = x2 - x2 === 0;
    c0 += f0 ? 1 : 0;
    c1 += f1 ? 1 : 0;
    c2 += f2 ? 1 : 0;
    const all = f0 && f1 && f2;
    if (all) members++;
    if (joint) {
      fOut[o + j] = all ? v : NaN;
      F0[o + j] = all ? x0 : NaN;
      F1[o + j] = all ? x1 : NaN;
      F2[o + j] = all ? x2 : NaN;
    } else {
      fOut[o + j] = v;
      F0[o + j] = f0 ? x0 : NaN;
      F1[o + j] = f1 ? x1 : NaN;
      F2[o + j] = f2 ? x2 : NaN;
    }
  }
  lost[0] += noPrice;
  lost[1] += noGroup;
  res[0] = ok;
  res[1] = members;
  fin[0] = c0;
  fin[1] = c1;
  fin[2] = c2;
}

/**
 * Everything the per-row pass of {@link prepareFactorData} reads, checked and computed once: the
 * factor and price values, each factor row's matched price row (−1 = unmatched), the price column
 * of each factor asset, group codes, shared forward returns. Plain data (typed arrays), so worker
 * threads can run {@link prepareFactorRows} on ranges of rows (src/parallel/analyze.ts).
 */
export interface PrepareContext {
  horizons: number[];
  lag: number;
  universe: Universe;
  minAssets: number;
  maxLoss: number;
  nf: number;
  m: number;
  np: number;
  mp: number;
  fv: Float64Array;
  pv: Float64Array;
  pcol: Int32Array;
  matched: Int32Array;
  /** Group codes of the factor grid (−1 = none), when groups were given. */
  codes: Int32Array | null;
  /** Shared forward returns of horizons[k] on the price grid, when given. */
  sv: (Float64Array | undefined)[];
  /** Finite factor values, and those on unmatched dates. */
  initial: number;
  unmatched: number;
  /** The unmatched ones by cause: dated before the first price date, after the last, superseded (dataLoss.ts). */
  unmatchedCauses?: UnmatchedCauses;
}

/**
 * Per-range output of {@link prepareFactorRows}: the kept rows of a range [t0, t1) are written
 * compacted from row t0 of `factor` and `forward[k]` (nf × m each), their factor rows t into
 * `kept[t0 ..]`, and the range's counters into `counts` at `range · width` ({@link prepareCountWidth}).
 */
export interface PrepareRowsOutput {
  factor: Float64Array;
  forward: Float64Array[];
  kept: Int32Array;
  counts: Float64Array;
}

/** Counters of one range: noPrice, noGroup, missingAny, belowJoint, belowDatesJoint, then per horizon byH, missingH, belowH, belowDatesH, then the kept rows. */
export function prepareCountWidth(nHorizons: number): number {
  return 6 + 4 * nHorizons;
}

/** Validates the input and computes the {@link PrepareContext} (bad input throws an `InputError`). */
export function prepareContext(input: FactorDataInput): PrepareContext & { groupCodes?: GroupCodes; unmatchedCauses: UnmatchedCauses } {
  const { factor, prices } = input;
  const horizons = checkHorizons(input.horizons ?? DEFAULT_HORIZONS);
  const lag = input.executionLag ?? 0;
  if (!Number.isInteger(lag) || lag < 0)
    throw new InputError(`executionLag must be a whole number of rows >= 0, got ${lag}`, { options: ['executionLag'] });
  const universe = input.universe ?? DEFAULT_UNIVERSE;
  if (universe !== 'joint' && universe !== 'pairwise')
    throw new InputError(`universe must be 'pairwise' or 'joint', got ${String(universe)}`, { options: ['universe'] });
  const minAssets = input.minAssets ?? DEFAULT_MIN_ASSETS;
  if (!Number.isInteger(minAssets) || minAssets < 1)
    throw new InputError(`minAssets must be a whole number >= 1, got ${minAssets}`, { options: ['minAssets'] });
  const maxLoss = input.maxLoss ?? DEFAULT_MAX_LOSS;
  const ppy = input.periodsPerYear;
  if (ppy !== undefined && !(Number.isFinite(ppy) && ppy > 0))
    throw new InputError(`periodsPerYear must be a number > 0, got ${ppy}`, {
      hint: 'e.g. 252 for trading days, 365 for a 7-day calendar',
      options: ['periodsPerYear'],
    });

  const nf = factor.nDates,
    m = factor.nAssets,
    fv = factor.values;
  checkPrices(prices); // once per price buffer: a 0 or negative price gave ±Infinity forward returns that still ranked
  const np = prices.nDates,
    mp = prices.nAssets,
    pv = prices.values;
  const pcol = Int32Array.from(factor.assets, (a) => prices.assetIndex(a));

  // Shared forward returns: validate once.
  const shared = input.forwardReturns;
  const sharedVals = new Map<number, Float64Array>();
  if (shared !== undefined) {
    for (const h of horizons) {
      const p = shared.get(h);
      if (p === undefined) throw new InputError(`forwardReturns lacks horizon ${h}`);
      if (
        p.nDates !== np ||
        p.nAssets !== mp ||
        p.dates.some((d, i) => d !== prices.dates[i]) ||
        p.assets.some((a, i) => a !== prices.assets[i])
      ) {
        throw new InputError(`forwardReturns for horizon ${h} are not on the prices' dates and assets`, {
          hint: 'compute them with forwardReturns(prices, horizons)',
        });
      }
      sharedVals.set(h, p.values);
    }
  }

  // 1. Match factor dates to price rows (first price date on or after).
  const matched = new Int32Array(nf).fill(-1);
  for (let t = 0; t < nf; t++) {
    const r = lowerBound(prices.dates, factor.dates[t]);
    if (r < np && factor.dates[t] >= prices.dates[0]) matched[t] = r;
  }
  const finiteCount = (t: number): number => {
    let k = 0;
    for (let j = t * m, end = j + m; j < end; j++) {
      const v = fv[j];
      k += v - v === 0 ? 1 : 0;
    } // v − v is 0 exactly when v is finite
    return k;
  };
  let initial = 0,
    before = 0,
    after = 0;
  for (let t = 0; t < nf; t++) {
    const k = finiteCount(t);
    initial += k;
    if (matched[t] < 0) {
      if (factor.dates[t] < prices.dates[0]) before += k;
      else after += k;
    }
  }
  // 2. Factor dates matched to the same price row (a weekend and a Friday, fiscal year ends of a
  // sparse fundamentals file) merge into the last of them, asset by asset: each asset keeps its
  // latest finite value; an earlier value it replaces is `superseded`. The merge is written on a
  // private copy of the factor values, or over the caller's panel with `overwriteFactor`.
  let values = fv,
    owned = input.overwriteFactor === true,
    superseded = 0;
  for (let t = 0; t + 1 < nf; t++) {
    if (matched[t] < 0 || matched[t] !== matched[t + 1]) continue;
    if (!owned) {
      values = fv.slice();
      owned = true;
    }
    const a = t * m,
      b = a + m;
    for (let j = 0; j < m; j++) {
      const v = values[a + j];
      if (v - v !== 0) continue;
      if (values[b + j] - values[b + j] === 0) superseded++;
      else values[b + j] = v;
      values[a + j] = NaN;
    }
    matched[t] = -1;
  }
  const unmatched = before + after + superseded;

  const groupCodes = input.groups !== undefined ? resolveGroups(input.groups, factor.dates, factor.assets) : undefined;
  return {
    horizons,
    lag,
    universe,
    minAssets,
    maxLoss,
    nf,
    m,
    np,
    mp,
    fv: values,
    pv,
    pcol,
    matched,
    codes: groupCodes !== undefined ? groupCodes.codes : null,
    sv: horizons.map((h) => sharedVals.get(h)),
    initial,
    unmatched,
    unmatchedCauses: { before, after, superseded },
    ...(groupCodes !== undefined ? { groupCodes } : {}),
  };
}

/**
 * Whether {@link prepareFactorRows} may write the prepared factor over `fv` (the factor values it
 * reads, `ctx.fv` or a private copy of them): `fv` must hold the whole factor grid and share no
 * buffer with anything read after the row it is written (prices, shared forward returns, group
 * codes, weights). In place is safe because a range writes its j-th kept row to row t0 + j, never
 * after the row t it reads, and a row's pass reads each cell before writing it.
 */
export function canPrepareInPlace(ctx: PrepareContext, fv: Float64Array, weights?: Panel): boolean {
  const b = fv.buffer;
  return (
    fv.length === ctx.nf * ctx.m &&
    ctx.pv.buffer !== b &&
    ctx.sv.every((v) => v === undefined || v.buffer !== b) &&
    (ctx.codes === null || ctx.codes.buffer !== b) &&
    (weights === undefined || weights.values.buffer !== b)
  );
}

/**
 * Fresh outputs of {@link prepareFactorRows} for `ranges` ranges; `alloc` makes the panel buffers.
 * `factorOut` (whole grid, see {@link canPrepareInPlace}) takes the prepared factor instead of a new panel.
 */
export function createPrepareRowsOutput(
  ctx: PrepareContext,
  ranges: number,
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
  factorOut?: Float64Array,
): PrepareRowsOutput {
  const cells = ctx.nf * ctx.m;
  if (factorOut !== undefined && factorOut.length !== cells)
    throw new RangeError(`createPrepareRowsOutput: a factor output of ${factorOut.length} cells for ${cells}`);
  return {
    factor: factorOut ?? new Float64Array(alloc(cells * 8)),
    forward: ctx.horizons.map(() => new Float64Array(alloc(cells * 8))),
    kept: new Int32Array(alloc(ctx.nf * 4)),
    counts: new Float64Array(alloc(ranges * prepareCountWidth(ctx.horizons.length) * 8)),
  };
}

/**
 * Steps 2-4 of {@link prepareFactorData} for the factor rows [t0, t1), one pass (each row's work
 * stays in cache): the common stages per cell (finite factor, price at entry, group), the forward
 * return per horizon, the universe and minAssets; the range's j-th kept row is written to output
 * row t0 + j, its counters to `out.counts` at `range`. Each row's numbers depend on that row only.
 *
 * How: each row is one pass over its assets ({@link prepareRow}, or its unrolled forms
 * {@link prepareRow3} for up to three horizons from prices and {@link prepareRow3Shared} for up to
 * three from shared forward returns), written straight into the next
 * free output row; a row that is then dropped is overwritten by the next one (output rows past the
 * range's kept ones hold no meaning).
 */
export function prepareFactorRows(ctx: PrepareContext, t0: number, t1: number, out: PrepareRowsOutput, range: number): void {
  const { horizons, lag, universe, minAssets, m, np, mp, fv, pv, pcol, matched, codes, sv } = ctx;
  const H = horizons.length;
  const joint = universe === 'joint';
  const plan: RowPlan = {
    mode: new Int32Array(H),
    src: horizons.map((_, k) => sv[k] ?? pv),
    offs: new Int32Array(H),
    fin: new Int32Array(Math.max(H, 3)),
  };
  // the unrolled kernel: up to three horizons, all from prices, every factor asset priced; other rows (and the last hMax) take the general one
  const fast = H <= 3 && sv.every((s) => s === undefined) && pcol.every((c) => c >= 0);
  // its shared-returns twin: up to three horizons, all from shared forward returns, every factor asset priced (every row)
  const fastShared = H <= 3 && sv.every((s) => s !== undefined) && pcol.every((c) => c >= 0);
  const hMax = Math.max(...horizons);
  const fwd = out.forward,
    fOut = out.factor;
  const lost = new Float64Array(2); // no price, no group
  const res = new Int32Array(2); // ok cells, joint members
  let kept = 0;
  let missingAny = 0,
    belowJoint = 0,
    belowDatesJoint = 0;
  const byH = new Array<number>(H).fill(0),
    missingH = new Array<number>(H).fill(0);
  const belowH = new Array<number>(H).fill(0),
    belowDatesH = new Array<number>(H).fill(0);
  const counts = new Int32Array(H);
  for (let t = t0; t < t1; t++) {
    if (matched[t] < 0) continue;
    const e = matched[t] + lag,
      off = t * m,
      o = (t0 + kept) * m;
    if (e >= np) {
      // no entry price for anyone: every observation is lost to no-price
      let k = 0;
      for (let j = off; j < off + m; j++) {
        const v = fv[j];
        k += v - v === 0 ? 1 : 0;
      }
      lost[0] += k;
      continue;
    }
    if (fastShared) {
      const k1 = H > 1 ? 1 : 0,
        k2 = H - 1;
      prepareRow3Shared(
        fv,
        off,
        pv,
        e * mp,
        pcol,
        codes,
        fOut,
        fwd[0],
        fwd[k1],
        fwd[k2],
        o,
        m,
        sv[0] as Float64Array,
        sv[k1] as Float64Array,
        sv[k2] as Float64Array,
        joint,
        lost,
        res,
        plan.fin,
      );
    } else if (fast && e + hMax < np) {
      const k1 = H > 1 ? 1 : 0,
        k2 = H - 1;
      prepareRow3(
        fv,
        off,
        pv,
        e * mp,
        pcol,
        codes,
        fOut,
        fwd[0],
        fwd[k1],
        fwd[k2],
        o,
        m,
        (e + horizons[0]) * mp,
        (e + horizons[k1]) * mp,
        (e + horizons[k2]) * mp,
        joint,
        lost,
        res,
        plan.fin,
      );
    } else {
      for (let k = 0; k < H; k++) {
        const shared = sv[k] !== undefined,
          eh = e + horizons[k];
        plan.mode[k] = shared ? 1 : eh < np ? 0 : 2;
        plan.offs[k] = (shared ? e : eh < np ? eh : 0) * mp;
      }
      prepareRow(fv, off, pv, e * mp, pcol, codes, fOut, fwd, o, m, plan, joint, lost, res);
    }
    const ok = res[0];
    let keep = false;
    if (joint) {
      let c = res[1];
      for (let k = 0; k < H; k++) byH[k] += ok - plan.fin[k];
      missingAny += ok - c;
      if (c > 0 && c < minAssets) {
        belowJoint += c;
        belowDatesJoint++;
        c = 0;
      }
      keep = c > 0;
    } else {
      for (let k = 0; k < H; k++) {
        let c = plan.fin[k];
        missingH[k] += ok - c;
        if (c > 0 && c < minAssets) {
          belowH[k] += c;
          belowDatesH[k]++;
          c = 0;
        }
        counts[k] = c;
        if (c > 0) keep = true;
      }
      // a pairwise horizon below minAssets keeps no member on this row
      if (keep) for (let k = 0; k < H; k++) if (counts[k] === 0 && plan.fin[k] > 0) fwd[k].fill(NaN, o, o + m);
    }
    if (!keep) continue; // the next row overwrites output row o
    out.kept[t0 + kept] = t;
    kept++;
  }
  const c = out.counts,
    w = prepareCountWidth(H),
    q = range * w;
  c[q] = lost[0];
  c[q + 1] = lost[1];
  c[q + 2] = missingAny;
  c[q + 3] = belowJoint;
  c[q + 4] = belowDatesJoint;
  for (let k = 0; k < H; k++) {
    c[q + 5 + k] = byH[k];
    c[q + 5 + H + k] = missingH[k];
    c[q + 5 + 2 * H + k] = belowH[k];
    c[q + 5 + 3 * H + k] = belowDatesH[k];
  }
  c[q + w - 1] = kept;
}

/**
 * The {@link FactorData} from the outputs of {@link prepareFactorRows} over `ranges` (in order,
 * covering [0, nf)): moves each range's kept rows down behind the previous ranges' (no move for the
 * first), adds up the counters, enforces maxLoss, and gathers groups and weights of the kept rows.
 */
export function finishFactorData(
  input: FactorDataInput,
  ctx: PrepareContext & { groupCodes?: GroupCodes },
  out: PrepareRowsOutput,
  ranges: readonly (readonly [number, number])[],
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
): FactorData {
  const { factor, prices } = input;
  const { horizons, lag, universe, minAssets, maxLoss, nf, m, matched, initial, unmatched, groupCodes } = ctx;
  const H = horizons.length,
    w = prepareCountWidth(H);
  const sumAt = (i: number): number => {
    let s = 0;
    for (let q = 0; q < ranges.length; q++) s += out.counts[q * w + i];
    return s;
  };
  const keptRows: number[] = [];
  ranges.forEach(([t0], q) => {
    const kept = out.counts[q * w + w - 1],
      r = keptRows.length;
    if (r !== t0 && kept > 0) {
      for (const a of [out.factor, ...out.forward]) a.copyWithin(r * m, t0 * m, (t0 + kept) * m);
    }
    for (let i = 0; i < kept; i++) keptRows.push(out.kept[t0 + i]);
  });
  const common = new DataLossCounter(initial);
  common.stage('unmatched-date', unmatched, unmatched > 0 && ctx.unmatchedCauses !== undefined ? { causes: ctx.unmatchedCauses } : {});
  common.stage('no-price', sumAt(0));
  if (groupCodes !== undefined) common.stage('no-group', sumAt(1));
  const perHorizon = horizons.map((horizon) => ({ horizon, counter: new DataLossCounter(initial, common.left) }));
  if (universe === 'joint') {
    const byHorizon: Record<string, number> = {};
    horizons.forEach((h, k) => {
      byHorizon[String(h)] = sumAt(5 + k);
    });
    for (let k = 0; k < H; k++) {
      perHorizon[k].counter.stage('no-forward-return', sumAt(2), { byHorizon });
      perHorizon[k].counter.stage('below-min-assets', sumAt(3), { droppedDates: sumAt(4) });
    }
  } else {
    for (let k = 0; k < H; k++) {
      perHorizon[k].counter.stage('no-forward-return', sumAt(5 + H + k));
      perHorizon[k].counter.stage('below-min-assets', sumAt(5 + 2 * H + k), { droppedDates: sumAt(5 + 3 * H + k) });
    }
  }
  const dataLoss = enforceMaxLoss(makeDataLoss(common, perHorizon), maxLoss);
  const nd = keptRows.length;
  const dates = Int32Array.from(keptRows, (t) => factor.dates[t]);
  const fwdOut = out.forward.map((v) => (nd === nf ? v : v.subarray(0, nd * m)));
  const forward = new Map<number, Panel>();
  horizons.forEach((h, k) => forward.set(h, new Panel(dates, factor.assets, fwdOut[k])));
  const entryRows = Int32Array.from(keptRows, (t) => matched[t] + lag);

  let groups: GroupCodes | undefined;
  if (groupCodes !== undefined) {
    const codes = new Int32Array(alloc(nd * m * 4));
    keptRows.forEach((t, r) => codes.set(groupCodes.codes.subarray(t * m, (t + 1) * m), r * m));
    groups = { names: groupCodes.names, codes };
  }
  if (input.groupAdjust === true) {
    if (groups === undefined)
      throw new InputError('groupAdjust demeans the forward returns within groups, and there are no groups', {
        hint: 'give groups, or drop groupAdjust',
        options: ['groupAdjust'],
      });
    for (const v of fwdOut) demeanWithinGroups(v, groups.codes, nd, m, groups.names.length);
  }
  let weights: Panel | undefined;
  if (input.weights !== undefined) {
    const wp = input.weights,
      wm = wp.nAssets,
      wn = wp.nDates;
    const wcol = Int32Array.from(factor.assets, (a) => wp.assetIndex(a));
    const wv = new Float64Array(alloc(nd * m * 8)),
      wvals = wp.values;
    // each asset's latest weight on or before the price date (pandas: pivot, then ffill): a cursor
    // over the weights' rows, as the kept rows' price dates increase
    const latest = new Float64Array(m).fill(NaN);
    let wr = 0;
    keptRows.forEach((t, r) => {
      const day = prices.dates[matched[t]];
      for (; wr < wn && wp.dates[wr] <= day; wr++) {
        const b = wr * wm;
        for (let j = 0; j < m; j++) {
          const c = wcol[j];
          if (c < 0) continue;
          const x = wvals[b + c];
          if (x === x) latest[j] = x;
        }
      }
      wv.set(latest, r * m);
    });
    weights = new Panel(dates, factor.assets, wv);
  }
  return {
    dates,
    assets: factor.assets,
    factor: new Panel(dates, factor.assets, nd === nf ? out.factor : out.factor.subarray(0, nd * m)),
    forward,
    horizons,
    entryRows,
    priceDates: prices.dates,
    executionLag: lag,
    ...(groups !== undefined ? { groups } : {}),
    ...(weights !== undefined ? { weights } : {}),
    periodsPerYear: input.periodsPerYear ?? detectFrequency(factor.dates).periodsPerYear,
    universe,
    minAssets,
    dataLoss,
    // group-demeaned returns are not the shared panels' values: their presorted order does not apply
    ...(input.forwardReturns !== undefined && input.groupAdjust !== true ? { forwardSource: input.forwardReturns } : {}),
  };
}

/**
 * Each of the first `nd` rows of the date-major `v` (m columns) minus the mean of its present cells
 * in the same group (`codes`, the same shape; every present cell has a group): alphalens
 * `demean_forward_returns` by (date, group). In place.
 */
export function demeanWithinGroups(v: Float64Array, codes: Int32Array, nd: number, m: number, nGroups: number): void {
  const sum = new Float64Array(nGroups),
    count = new Float64Array(nGroups);
  for (let t = 0; t < nd; t++) {
    const o = t * m;
    sum.fill(0);
    count.fill(0);
    for (let j = 0; j < m; j++) {
      const x = v[o + j],
        g = codes[o + j];
      if (x === x && g >= 0) {
        sum[g] += x;
        count[g]++;
      }
    }
    for (let g = 0; g < nGroups; g++) if (count[g] > 0) sum[g] /= count[g];
    for (let j = 0; j < m; j++) {
      const g = codes[o + j];
      if (g >= 0) v[o + j] -= sum[g];
    }
  }
}

/**
 * Builds the {@link FactorData} (see the module comment for every rule). `alloc` makes the buffers
 * of the output panels (factor, forward returns, group codes, weights): default an ArrayBuffer; a
 * SharedArrayBuffer lets worker threads read them without a copy (src/parallel/analyze.ts, which
 * also runs {@link prepareFactorRows} on ranges of rows in threads).
 */
export function prepareFactorData(
  input: FactorDataInput,
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
): FactorData {
  const ctx = prepareContext(input);
  const inPlace = input.overwriteFactor === true && canPrepareInPlace(ctx, ctx.fv, input.weights);
  const out = createPrepareRowsOutput(ctx, 1, alloc, inPlace ? ctx.fv : undefined);
  prepareFactorRows(ctx, 0, ctx.nf, out, 0);
  return finishFactorData(input, ctx, out, [[0, ctx.nf]], alloc);
}

/**
 * Formation dates per non-overlapping rebalance at horizon h: `max(1, round(h / g))` with g the
 * median gap between consecutive entry rows (price rows per formation date). A daily factor gives
 * h (every h-th formation date, rebalanced every h rows); a monthly factor with h = 21 gives 1.
 */
export function rebalanceStep(data: Pick<FactorData, 'entryRows'>, horizon: number): number {
  const e = data.entryRows;
  if (e.length < 2) return 1;
  const gaps = new Float64Array(e.length - 1);
  for (let i = 1; i < e.length; i++) gaps[i - 1] = e[i] - e[i - 1];
  gaps.sort();
  const k = gaps.length;
  const g = k % 2 === 1 ? gaps[(k - 1) / 2] : (gaps[k / 2 - 1] + gaps[k / 2]) / 2;
  return Math.max(1, Math.round(horizon / g));
}
