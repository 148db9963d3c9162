/**
 * The backtest engine: a rule applied on a schedule to a price panel, trading after the signal is
 * known, with weights that drift, forced sales, and costs.
 *
 * Timeline (rows of the price calendar; t−1 → t is one period):
 * 1. **Drift.** Weights w (fractions of NAV at the close of t−1) earn r_j = p_j(t)/p̂_j − 1, p̂_j the
 *    name's last price (p_j(t−1) unless it had none then); the gross return is R_t = Σ_j w_j r_j
 *    (cash earns 0) and the weights become w_j(1 + r_j)/(1 + R_t). A held name without a price on t
 *    earns 0 (it is carried at its last price) and earns the move across the gap on its next price.
 * 2. **Forced sales.** A held name that left the universe is sold (at t's close, or at its last
 *    price without one). A held member without a price (a gap in the data, a suspension) is held
 *    through at most `maxGap` rows in a row without one: it cannot be traded then (neither sold nor
 *    bought: it is *locked*), and on the next row still without a price it is sold at its last
 *    price (a delisting). Δw_j = −w_j for a sale. The rule uses only rows up to t, so a result never
 *    depends on later data (whether the price comes back is not known on t).
 * 3. **Rebalance.** On an execution row t = s + executionLag (s a signal row of the schedule,
 *    executionLag ≥ 1: never at the close the signal used), the rule's target, computed at s from
 *    what was known at s, replaces the weights. A target name that is not tradable on t is not
 *    bought (its weight stays in cash). Locked names keep their weights, and the other names' target
 *    weights are scaled so that the book's total is the target's: w_j = target_j·(S − L)/(S − T_L),
 *    S the target's total, L the locked names' weight, T_L the target's weight on them (a
 *    keep-and-buy target counts them as kept); with nothing locked, w_j = target_j.
 * 4. **Costs.** Every traded name j pays max(bps/10⁴ · |Δw_j| · NAV, minCost) in currency (NAV =
 *    capital × net NAV before the cost); c_t = Σ_j cost_j / NAV is the row's cost as a fraction.
 *    Without a minimum, c_t = bps/10⁴ · Σ|Δw| exactly: costs are linear in bps and in turnover.
 *
 * NAVs: gross G_t = G_{t−1}(1 + R_t); net N_t = N_{t−1}(1 + R_t)(1 − c_t). Both start at 1 before
 * the first execution row t₀ (whose own return is 0 gross and −c net). Reported rows: t₀ .. to.
 * Turnover of a row is Σ_j |Δw_j| (buys plus sells; one-way = Σ|Δw|/2 beside it).
 */
import { detectFrequency, type Calendar } from '../core/calendar.js';
import { checkInteger, checkNonNegative, checkOptionNames, checkPositive, checkSameGrid, describeValue } from '../core/checks.js';
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { isKeepAndBuy, type Holdings, type KeepAndBuy, type Rule, type RuleContext, type Target } from './rules.js';
import { scheduleRows, type Schedule } from './schedule.js';
import { candidatesBuffer, type Candidates } from './select.js';
import { Float64Slab, Int32Slab } from './slab.js';
import { compactTradable, signalRow, type SignalSource } from './signal.js';
import { MembershipCursor, type UniverseSpec } from './universe.js';

export { alignSignal } from './signal.js';
export type { Holdings } from './rules.js';

export interface BacktestOptions {
  /**
   * The signal on the price grid (same dates and assets as the prices): a panel (see alignSignal)
   * or rows computed on demand (signal.ts: momentumRows, alignedRows); read on signal rows only.
   */
  signal?: SignalSource;
  rule: Rule;
  schedule: Schedule;
  /** Default: every asset of the prices (static). */
  universe?: UniverseSpec;
  /** Rows between the signal row and the trade (default 1: the next close). At least 1. */
  executionLag?: number;
  /** Cost in basis points per unit of turnover (default 0). */
  costBps?: number;
  /** Minimum cost per traded name, in currency (default 0). */
  minCost?: number;
  /** Starting capital in currency (default 1; matters only with minCost). */
  capital?: number;
  /** First and last rows used (default the whole calendar). */
  from?: number;
  to?: number;
  /**
   * Rows in a row a held name may have no price and stay held, carried at its last price (see the
   * module comment); on the next row without one it is sold at its last price. 0 sells on the
   * first row without a price. Default {@link defaultMaxGap} of the price calendar: about a week
   * (5 rows daily, 1 weekly, 0 monthly or coarser).
   */
  maxGap?: number;
  /** Keep every rebalance's weights and trades (default true). */
  recordTrades?: boolean;
  /** Keep the held weights at every reported row's close (`holdingsHistory`; default false). */
  recordHoldings?: boolean;
}

/**
 * Held weights at the close of every reported row, compactly (like a CSR matrix): row i's names
 * are `assets[offsets[i] .. offsets[i + 1])` (columns, increasing) with `weights` beside them.
 */
export interface WeightsHistory {
  offsets: Int32Array;
  assets: Int32Array;
  weights: Float64Array;
}

/** The trades of one rebalance, by asset column (compact: typed arrays, no object per name). */
export interface Trades {
  /** Columns of the traded assets, increasing. */
  assets: Int32Array;
  before: Float64Array;
  after: Float64Array;
}

export interface Rebalance {
  signalRow: number;
  signalDate: number;
  row: number;
  date: number;
  /** Σ|Δw| of the rebalance (forced sales of the same row included). */
  turnover: number;
  /** Σ|Δw| / 2. */
  oneWayTurnover: number;
  /** Cost as a fraction of NAV. */
  cost: number;
  holdings: number;
  /** Names the rule picked that could not be bought (not tradable on the execution row). */
  unfilled: number;
  /** Weights after the trade (held names only), when recorded. */
  weights?: Holdings;
  /** Every name whose weight changed on the row (forced sales included), when recorded. */
  trades?: Trades;
}

export interface ForcedSale {
  row: number;
  date: number;
  asset: string;
  weight: number;
  /** `no price`: a member without a price for more than maxGap rows in a row, sold at its last price. */
  reason: 'left the universe' | 'no price';
}

export interface BacktestResult {
  /** Day numbers of the reported rows t₀ .. to. */
  dates: Calendar;
  /** Row of the price calendar of dates[0]. */
  firstRow: number;
  navGross: Float64Array;
  navNet: Float64Array;
  grossReturns: Float64Array;
  netReturns: Float64Array;
  /** Cost per row as a fraction of NAV. */
  costs: Float64Array;
  /** Σ|Δw| per row (rebalances and forced sales). */
  turnover: Float64Array;
  /** Names held at each row's close. */
  holdings: Int32Array;
  /** Net exposure Σw and gross exposure Σ|w| at each row's close. */
  netExposure: Float64Array;
  grossExposure: Float64Array;
  rebalances: Rebalance[];
  forcedSales: ForcedSale[];
  /** Rows × names a held name was carried without a price (locked: see `maxGap`), over the run. */
  heldWithoutPrice: number;
  /** The gap limit the run used (`maxGap`, or its default for the calendar). */
  maxGap: number;
  /** The held weights at each reported row's close, with `recordHoldings`. */
  holdingsHistory?: WeightsHistory;
}

/**
 * The book during a row: dense weights (0 = not held) and the names traded on the row, with their
 * weights before the row's first trade, Σ|Δw| and the cost in currency.
 */
class Book {
  readonly w: Float64Array;
  readonly before: Float64Array;
  readonly touched: Int32Array;
  private readonly scratch: Int32Array;
  private readonly mark: Uint8Array;
  touchedCount = 0;
  turnover = 0;
  costCurrency = 0;
  /** capital × NAV before the row's cost (set each row) and the cost rate. */
  navCapital = 0;
  private readonly rate: number;
  private readonly minCost: number;
  private readonly costly: boolean;

  constructor(m: number, bps: number, minCost: number) {
    this.w = new Float64Array(m);
    this.before = new Float64Array(m);
    this.touched = new Int32Array(m);
    this.scratch = new Int32Array(m);
    this.mark = new Uint8Array(m);
    this.rate = bps / 1e4;
    this.minCost = minCost;
    this.costly = bps > 0 || minCost > 0;
  }

  /** Sets w_j to `after`, paying max(bps/10⁴ · |Δw| · NAV, minCost). */
  trade(j: number, after: number): void {
    const w = this.w,
      d = after - w[j];
    if (d === 0) return;
    if (this.mark[j] === 0) {
      this.mark[j] = 1;
      this.touched[this.touchedCount++] = j;
      this.before[j] = w[j];
    }
    const a = Math.abs(d);
    this.turnover += a;
    if (this.costly) this.costCurrency += Math.max(this.rate * a * this.navCapital, this.minCost);
    w[j] = after;
  }

  /**
   * Sorts the traded names into increasing columns, in place. They were traded in a few increasing
   * runs (forced sales, then each target's passes), so runs are merged: O(k log runs).
   */
  sortTouched(): void {
    const k = this.touchedCount;
    let a = this.touched,
      tmp = this.scratch;
    for (;;) {
      // one bottom-up pass: merge neighbouring runs pairwise
      let runs = 0,
        i = 0;
      while (i < k) {
        let mid = i + 1;
        while (mid < k && a[mid - 1] < a[mid]) mid++;
        let end = mid;
        if (mid < k) {
          end = mid + 1;
          while (end < k && a[end - 1] < a[end]) end++;
        }
        let x = i,
          y = mid,
          o = i;
        while (x < mid && y < end) tmp[o++] = a[x] < a[y] ? a[x++] : a[y++];
        while (x < mid) tmp[o++] = a[x++];
        while (y < end) tmp[o++] = a[y++];
        runs++;
        i = end;
      }
      const t = a;
      a = tmp;
      tmp = t;
      if (runs <= 1) break;
    }
    if (a !== this.touched) this.touched.set(a.subarray(0, k));
  }

  /** Clears the row's trades. */
  reset(navCapital: number): void {
    for (let i = 0; i < this.touchedCount; i++) this.mark[this.touched[i]] = 0;
    this.touchedCount = 0;
    this.turnover = 0;
    this.costCurrency = 0;
    this.navCapital = navCapital;
  }
}

/** The held names (columns with w ≠ 0), increasing, in a reused buffer. */
class HeldList {
  readonly list: Int32Array;
  count = 0;
  private readonly scratch: Int32Array;

  constructor(m: number) {
    this.list = new Int32Array(m);
    this.scratch = new Int32Array(m);
  }

  /** Rebuilds the list: the old one merged with the row's traded names (both increasing), where w ≠ 0. */
  rebuild(w: Float64Array, touched: Int32Array, touchedCount: number): void {
    if (touchedCount === 0) return;
    const list = this.list,
      s = this.scratch,
      hn = this.count;
    let x = 0,
      y = 0,
      k = 0;
    while (x < hn || y < touchedCount) {
      let j: number;
      if (y >= touchedCount || (x < hn && list[x] < touched[y])) j = list[x++];
      else if (x >= hn || touched[y] < list[x]) j = touched[y++];
      else {
        j = list[x++];
        y++;
      }
      if (w[j] !== 0) s[k++] = j;
    }
    list.set(s.subarray(0, k));
    this.count = k;
  }
}

/** Grows a typed history of held weights per row (offsets, columns, weights). */
class WeightsRecorder {
  private assets = new Int32Array(1024);
  private weights = new Float64Array(1024);
  private size = 0;
  readonly offsets: Int32Array;
  private rows = 0;

  constructor(rows: number) {
    this.offsets = new Int32Array(rows + 1);
  }

  push(held: Int32Array, count: number, w: Float64Array): void {
    if (this.size + count > this.assets.length) {
      const cap = Math.max(this.assets.length * 2, this.size + count);
      const a = new Int32Array(cap);
      a.set(this.assets.subarray(0, this.size));
      this.assets = a;
      const v = new Float64Array(cap);
      v.set(this.weights.subarray(0, this.size));
      this.weights = v;
    }
    for (let i = 0; i < count; i++) {
      const j = held[i];
      this.assets[this.size] = j;
      this.weights[this.size++] = w[j];
    }
    this.offsets[++this.rows] = this.size;
  }

  finish(): WeightsHistory {
    return { offsets: this.offsets, assets: this.assets.slice(0, this.size), weights: this.weights.slice(0, this.size) };
  }
}

/** x[idx[k]] for k < count, into a view from the slab. */
function gather(x: Float64Array, idx: Int32Array, count: number, slab: Float64Slab): Float64Array {
  const out = slab.take(count);
  for (let k = 0; k < count; k++) out[k] = x[idx[k]];
  return out;
}

/** idx[0..count) copied into a view from the slab. */
function copyInts(idx: Int32Array, count: number, slab: Int32Slab): Int32Array {
  const out = slab.take(count);
  out.set(idx.subarray(0, count));
  return out;
}

/** Prices of rows 0..row as a panel view (no copy). */
function historyView(prices: Panel, row: number): Panel {
  const m = prices.nAssets;
  return new Panel(prices.dates.subarray(0, row + 1), prices.assets, prices.values.subarray(0, (row + 1) * m));
}

/**
 * Checks what a rule returned (once per rebalance, O(m)): a Float64Array of m finite weights, a
 * sparse { assets, weights } target (columns increasing in 0..m−1, finite weights) or { keep, buy }
 * (m flags, m finite weights). A NaN weight would make every later NAV NaN; a plain array would
 * fail with a TypeError deep in the engine.
 */
function checkTarget(target: unknown, m: number, row: number, dates: Calendar): Target {
  const at = `the rule's target for the signal of ${formatIsoDate(dates[row])}`;
  const finite = (x: ArrayLike<number>, what: string) => {
    for (let i = 0; i < x.length; i++)
      if (!(x[i] - x[i] === 0)) throw new InputError(`${at}: ${what}[${i}] is ${x[i]}, expected a finite weight (0 for no position)`);
  };
  if (target instanceof Float64Array) {
    if (target.length !== m) throw new InputError(`${at} has ${target.length} weights, expected one per asset (${m})`);
    finite(target, 'weight');
    return target;
  }
  if (typeof target === 'object' && target !== null) {
    const t = target as Partial<Holdings & KeepAndBuy>;
    if (t.keep instanceof Uint8Array && t.buy instanceof Float64Array) {
      if (t.keep.length !== m || t.buy.length !== m)
        throw new InputError(`${at}: keep and buy need one value per asset (${m}), got ${t.keep.length} and ${t.buy.length}`);
      finite(t.buy, 'buy');
      return target as KeepAndBuy;
    }
    if (t.assets instanceof Int32Array && t.weights instanceof Float64Array) {
      checkSparse(t as Holdings, m, at);
      finite(t.weights, 'weights');
      return target as Holdings;
    }
  }
  throw new InputError(
    `${at} is ${describeValue(target)}, expected a Float64Array of ${m} weights, a sparse { assets: Int32Array, weights: Float64Array } or { keep: Uint8Array, buy: Float64Array }`,
  );
}

/** The error for a held name's price that is not a positive finite number (driftHeld returned NaN on row t). */
function badHeldPrice(prices: Panel, t: number, hl: Int32Array, hn: number): InputError {
  const m = prices.nAssets,
    p = prices.values;
  for (const row of [t, t - 1])
    for (let i = 0; i < hn; i++) {
      const j = hl[i],
        v = p[row * m + j];
      if (v === v && !(v > 0 && v < Infinity))
        return new InputError('prices must be positive finite numbers (leave a missing price NaN)', {
          asset: prices.assets[j],
          date: formatIsoDate(prices.dates[row]),
          value: String(v),
        });
    }
  return new InputError('prices must be positive finite numbers (leave a missing price NaN)', { date: formatIsoDate(prices.dates[t]) });
}

/**
 * Gross weight Σ|w_j| a book may reach by drift: no rule holds more than 2 (long-short), and drift
 * takes a book past 1000 times its NAV only when it has lost more than 99.8% of it with its
 * positions open (a short side that rose): weights of 1e15 and returns of 1e13 followed.
 */
const MAX_LEVERAGE = 1000;

/** Σ|w_j| over the held names. */
function grossWeight(hl: Int32Array, hn: number, w: Float64Array): number {
  let g = 0;
  for (let i = 0; i < hn; i++) g += Math.abs(w[hl[i]]);
  return g;
}

/**
 * The book lost its whole NAV or more over one row (R_t ≤ −1: a short position that more than
 * doubled, or shorts beside leverage): the NAV would reach 0 or turn negative, and the drift
 * w_j(1 + r_j)/(1 + R) would flip or blow up every weight (turnovers of 1e16 after it). Names the
 * date and the held name that lost most, w_j·r_j.
 */
function navGone(prices: Panel, t: number, hl: Int32Array, hn: number, w: Float64Array, ret: Float64Array, left?: number): InputError {
  if (left !== undefined)
    return new InputError(
      `on ${formatIsoDate(prices.dates[t])} the book's positions are ${grossWeight(hl, hn, w).toPrecision(4)} times its NAV: it has lost nearly all of its NAV (net NAV ${left.toPrecision(4)} of the starting 1) while they stayed open, and nothing after it has a meaning`,
      {
        date: formatIsoDate(prices.dates[t]),
        hint: 'a long-short book whose short side rose: check the prices (--clean sets one-day bad ticks to missing), or hold more names a side (fewer --quantiles)',
      },
    );
  let worst = 0;
  for (let i = 1; i < hn; i++) if (w[hl[i]] * ret[i] < w[hl[worst]] * ret[worst]) worst = i;
  const j = hl[worst];
  const pct = (x: number): string => `${(100 * x).toPrecision(4)}%`;
  let R = 0;
  for (let i = 0; i < hn; i++) R += w[hl[i]] * ret[i];
  return new InputError(
    `the book's return on ${formatIsoDate(prices.dates[t])} is ${pct(R)}: it lost its whole NAV (most in ${prices.assets[j]}, held at ${pct(w[j])} of the NAV, which moved ${pct(ret[worst])}), and nothing after it has a meaning`,
    {
      asset: prices.assets[j],
      date: formatIsoDate(prices.dates[t]),
      hint: `check ${prices.assets[j]}'s prices around that date (a bad tick: --clean sets one-day bad ticks to missing); a short side of a few names can lose more than the NAV: more names a side (fewer --quantiles)`,
    },
  );
}

/** Checks a sparse target: columns increasing inside 0..m−1, one weight each; `at` says whose target it is. */
function checkSparse(t: Holdings, m: number, at: string): void {
  // the rule is the caller's (a custom rule): an InputError naming the signal date (a RangeError before)
  if (t.assets.length !== t.weights.length)
    throw new InputError(`${at} needs one weight per asset, got ${t.assets.length} assets and ${t.weights.length} weights`);
  let prev = -1;
  for (let i = 0; i < t.assets.length; i++) {
    const j = t.assets[i];
    if (!(Number.isInteger(j) && j > prev && j < m))
      throw new InputError(`${at}: assets must be increasing columns in 0..${m - 1}; got ${j} ${prev < 0 ? 'first' : `after ${prev}`}`);
    prev = j;
  }
}

/**
 * Step 1 over the held names: R = Σ w_j r_j with r_j = p_j(t)/p̂_j − 1 (0 without a price), p̂_j
 * its last price — p_j(t−1) when its gap is 0, else `last` (set when the gap began); then
 * w_j ← w_j(1 + r_j)/(1 + R), and gross[0] = Σ|w_j| after it. A name without a price on t starts
 * or extends its gap. Returns R (with R ≤ −1 the weights are left as they were and gross is not
 * set: the book is gone, see {@link navGone}).
 */
function driftHeld(
  hl: Int32Array,
  hn: number,
  w: Float64Array,
  p: Float64Array,
  base: number,
  ret: Float64Array,
  m: number,
  last: Float64Array,
  gap: Int32Array,
  gross: Float64Array,
): number {
  const prev = base - m;
  let R = 0,
    ok = true;
  for (let i = 0; i < hn; i++) {
    const j = hl[i];
    const p1 = p[base + j];
    let x = 0;
    if (p1 === p1) {
      x = p1 / (gap[j] === 0 ? p[prev + j] : last[j]) - 1;
      if (!(x > -1)) ok = false; // a price <= 0 (or a previous one of 0 or below)
      gap[j] = 0;
    } else {
      if (gap[j] === 0) last[j] = p[prev + j];
      gap[j]++;
    }
    ret[i] = x;
    R += w[j] * x;
  }
  if (!ok || !(R - R === 0)) return NaN; // a price <= 0 or infinite: the caller names it (badHeldPrice)
  const g = 1 + R;
  if (!(g > 0)) return R; // the book lost its whole NAV (shorts): weights left as they were, for the caller's message (navGone)
  let G = 0;
  for (let i = 0; i < hn; i++) {
    const j = hl[i];
    const v = (w[j] * (1 + ret[i])) / g;
    w[j] = v;
    G += Math.abs(v);
  }
  gross[0] = G;
  return R;
}

/** Position in the held list of the first name that is not tradable on the row, or −1. */
function firstUntradable(hl: Int32Array, hn: number, member: Uint8Array, p: Float64Array, base: number): number {
  for (let i = 0; i < hn; i++) {
    const j = hl[i];
    if (member[j] !== 1 || p[base + j] !== p[base + j]) return i;
  }
  return -1;
}

/** 1 where a member has a price on the row, into `out` (reused row to row: no allocation per row). */
function tradableRow(member: Uint8Array, p: Float64Array, base: number, m: number, out: Uint8Array): Uint8Array {
  for (let j = 0; j < m; j++) {
    const x = p[base + j];
    out[j] = member[j] & +(x === x);
  } // branch-free: member is 0/1
  return out;
}

/**
 * The rule's view of a signal row. Its signal, tradable row and candidates are computed on first
 * use (a rule that only asks for the candidates never builds the other two), into buffers reused
 * from row to row: valid during the rule's call.
 * Candidates come from the source's fused `candidatesInto` when it has one, else from
 * `compactTradable` of the signal row (the reference route: the same names and values, tested).
 */
class RowContexts {
  private readonly tradableBuf: Uint8Array;
  private readonly cands: Candidates;

  constructor(
    private readonly prices: Panel,
    private readonly signal: SignalSource | undefined,
    private readonly member: Uint8Array,
    private readonly current: Float64Array,
  ) {
    this.tradableBuf = new Uint8Array(prices.nAssets);
    this.cands = candidatesBuffer(signal === undefined ? 0 : prices.nAssets);
  }

  context(t: number): RuleContext {
    const { prices, signal, member, tradableBuf, cands } = this;
    const p = prices.values,
      m = prices.nAssets,
      base = t * m;
    let row: Float64Array | undefined, tradable: Uint8Array | undefined, candidates: Candidates | undefined;
    const signalOf = (s: SignalSource): Float64Array => (row ??= signalRow(s, t));
    return {
      row: t,
      date: prices.dates[t],
      assets: prices.assets,
      get signal(): Float64Array | undefined {
        return signal === undefined ? undefined : signalOf(signal);
      },
      get tradable(): Uint8Array {
        return (tradable ??= tradableRow(member, p, base, m, tradableBuf));
      },
      current: this.current,
      history: () => historyView(prices, t),
      candidates:
        signal === undefined
          ? undefined
          : () =>
              (candidates ??=
                !(signal instanceof Panel) && signal.candidatesInto !== undefined
                  ? signal.candidatesInto(t, member, p, cands)
                  : compactTradable(signalOf(signal), member, p, base, cands)),
      tail:
        signal !== undefined && !(signal instanceof Panel) && signal.tailInto !== undefined
          ? (g, top, idx, val, buf, res) => signal.tailInto!(t, member, p, g, top, idx, val, buf, res)
          : undefined,
    };
  }
}

/**
 * Dense target: trade every name to its weight × `scale` ({@link lockedScale}), untradable picks
 * staying in cash and locked names (`locked[j]` = 1) untouched; returns the unfilled count.
 */
function applyDense(
  book: Book,
  target: Float64Array,
  member: Uint8Array,
  p: Float64Array,
  base: number,
  locked: Uint8Array,
  scale: number,
): number {
  const w = book.w,
    m = w.length;
  // an invariant (checkTarget checked the length when the rule returned it): a RangeError is a fault of ours
  if (target.length !== m) throw new RangeError(`the rule returned ${target.length} weights for ${m} assets`);
  let unfilled = 0;
  for (let j = 0; j < m; j++) {
    if (locked[j] === 1) continue;
    let x = target[j] * scale;
    if (x !== 0 && !(member[j] === 1 && p[base + j] === p[base + j])) {
      x = 0;
      unfilled++;
    }
    if (x !== w[j]) book.trade(j, x);
  }
  return unfilled;
}

/**
 * Sparse target: sell held names outside it, trade its names to their weights × `scale`, locked
 * names untouched (as applyDense); returns the unfilled count.
 */
function applySparse(
  book: Book,
  target: Holdings,
  hl: Int32Array,
  hn: number,
  member: Uint8Array,
  p: Float64Array,
  base: number,
  inTarget: Uint8Array,
  locked: Uint8Array,
  scale: number,
): number {
  const w = book.w; // the target passed checkTarget (checkSparse) when the rule returned it
  const ta = target.assets,
    tw = target.weights;
  let unfilled = 0;
  for (let i = 0; i < ta.length; i++) inTarget[ta[i]] = 1;
  for (let i = 0; i < hn; i++) {
    const j = hl[i];
    if (inTarget[j] === 0 && w[j] !== 0 && locked[j] === 0) book.trade(j, 0);
  }
  for (let i = 0; i < ta.length; i++) {
    const j = ta[i];
    inTarget[j] = 0;
    if (locked[j] === 1) continue;
    let x = tw[i] * scale;
    if (x !== 0 && !(member[j] === 1 && p[base + j] === p[base + j])) {
      x = 0;
      unfilled++;
    }
    if (x !== w[j]) book.trade(j, x);
  }
  return unfilled;
}

/**
 * Keep-and-buy target: sell the held names not kept (locked names are kept: they cannot be sold),
 * split the freed weight among the buys; returns the unfilled count.
 */
function applyKeepAndBuy(
  book: Book,
  target: KeepAndBuy,
  hl: Int32Array,
  hn: number,
  member: Uint8Array,
  p: Float64Array,
  base: number,
  locked: Uint8Array,
): number {
  const w = book.w,
    m = w.length;
  let kept = 0,
    buySum = 0,
    unfilled = 0;
  for (let i = 0; i < hn; i++) {
    const j = hl[i];
    if (w[j] === 0) continue;
    if (target.keep[j] === 1 || locked[j] === 1) kept += w[j];
    else book.trade(j, 0);
  }
  const buy = target.buy;
  const tradable = (j: number): boolean => member[j] === 1 && p[base + j] === p[base + j];
  for (let j = 0; j < m; j++)
    if (buy[j] > 0) {
      if (tradable(j)) buySum += buy[j];
      else unfilled++;
    }
  const free = 1 - kept;
  if (buySum > 0 && free > 0) for (let j = 0; j < m; j++) if (buy[j] > 0 && tradable(j)) book.trade(j, w[j] + (free * buy[j]) / buySum);
  return unfilled;
}

/**
 * The factor on a target's tradable weights when names are locked: (S − L)/(S − T_L), S the
 * target's total, T_L its weight on the locked names, L their held weight, so that the book's total
 * is the target's (a locked name the target keeps holds its own weight; one it drops holds L that
 * the other names give up). 1 when S − T_L ≤ 0 (a dollar-neutral target, or one of locked names
 * only: its weights as given); never below 0.
 */
function lockedScale(target: Float64Array | Holdings, lockedList: Int32Array, nLocked: number, L: number): number {
  let S = 0,
    TL = 0;
  if (target instanceof Float64Array) {
    for (let j = 0; j < target.length; j++) S += target[j];
    for (let k = 0; k < nLocked; k++) TL += target[lockedList[k]] ?? 0;
  } else {
    const ta = target.assets,
      tw = target.weights;
    let k = 0;
    for (let i = 0; i < ta.length; i++) {
      S += tw[i];
      while (k < nLocked && lockedList[k] < ta[i]) k++;
      if (k < nLocked && lockedList[k] === ta[i]) TL += tw[i];
    }
  }
  const free = S - TL;
  return free > 0 ? Math.max(0, (S - L) / free) : 1;
}

/** Σ w and Σ |w| over the held names. */
function exposures(hl: Int32Array, hn: number, w: Float64Array): [number, number] {
  let ne = 0,
    ge = 0;
  for (let k = 0; k < hn; k++) {
    const x = w[hl[k]];
    ne += x;
    ge += Math.abs(x);
  }
  return [ne, ge];
}

/**
 * The default `maxGap` of a price calendar: about a week of rows — 5 on a daily calendar, 1 on a
 * weekly one, 0 on a monthly or coarser (or irregular) one.
 */
export function defaultMaxGap(dates: Calendar): number {
  const f = detectFrequency(dates).frequency;
  return f === 'daily' ? 5 : f === 'weekly' ? 1 : 0;
}

/**
 * The costs of one row's trades are the whole NAV or more (c_t ≥ 1): the net NAV would reach 0 or
 * turn negative, and every statistic after it would be meaningless (a total return of −100.1%, a
 * later cost of max(bps·|Δw|·NAV, 0) = 0 on a negative NAV). Usually a cost in percent given as
 * basis points, or a minimum cost per name near the capital.
 */
function costsExceedNav(date: number, c: number, turnover: number, bps: number, minCost: number, nav: number, netNav: number): InputError {
  const pct = (x: number): string => `${(100 * x).toPrecision(4)}%`;
  // no rule turns over more than 4 (a long-short book reversed): more means the NAV all but vanished
  // under open positions (a short side that rose), so they are many times the NAV
  if (turnover > 4)
    return new InputError(
      `on ${formatIsoDate(date)} the trades turn over ${turnover.toPrecision(4)} times the NAV and cost ${pct(c)} of it: the book has lost nearly all of its NAV (net NAV ${netNav.toPrecision(4)} of the starting 1) while its positions stayed open, so they are many times what is left`,
      {
        date: formatIsoDate(date),
        hint: 'a long-short book whose short side rose: check the prices (--clean sets one-day bad ticks to missing), or hold more names a side (fewer --quantiles)',
      },
    );
  return new InputError(
    `the costs of the trades on ${formatIsoDate(date)} are ${pct(c)} of the NAV (turnover ${turnover.toPrecision(4)}, costBps (--cost-bps) ${bps}${minCost > 0 ? `, minCost (--min-cost) ${minCost} a name on a NAV of ${Math.round(nav * 100) / 100}` : ''}): they take the whole book`,
    {
      date: formatIsoDate(date),
      hint:
        minCost > 0
          ? 'the minimum cost per traded name is too large for the capital: a smaller --min-cost or a larger --capital'
          : 'costs are basis points of the traded value (10 = 0.1%): give --cost-bps in basis points',
    },
  );
}

/** Every option of {@link BacktestOptions} (the compiler keeps the list complete): a misspelt one is an error. */
export const BACKTEST_OPTION_NAMES: Readonly<Record<keyof BacktestOptions, true>> = {
  signal: true,
  rule: true,
  schedule: true,
  universe: true,
  executionLag: true,
  costBps: true,
  minCost: true,
  capital: true,
  from: true,
  to: true,
  maxGap: true,
  recordTrades: true,
  recordHoldings: true,
};

/** Runs the engine on `prices` (see the module comment). A misspelt option is an InputError naming it. */
export function runBacktest(prices: Panel, options: BacktestOptions): BacktestResult {
  checkOptionNames<BacktestOptions>('runBacktest options', options, BACKTEST_OPTION_NAMES);
  return runBacktestInner(prices, options);
}

/** {@link runBacktest} without the option-name check: `backtest` checks its wider options itself. */
export function runBacktestInner(prices: Panel, options: BacktestOptions): BacktestResult {
  const n = prices.nDates,
    m = prices.nAssets,
    p = prices.values;
  // the caller's options: an InputError naming the option and its value (exit 2 in a CLI), not a
  // RangeError (a fault of factorlab)
  const lag = checkInteger(
    'executionLag',
    options.executionLag ?? 1,
    1,
    Infinity,
    'a whole number >= 1 (trading at the close the signal used is look-ahead)',
  );
  const bps = checkNonNegative('costBps', options.costBps ?? 0),
    minCost = checkNonNegative('minCost', options.minCost ?? 0),
    capital = checkPositive('capital', options.capital ?? 1);
  const from = options.from ?? 0,
    to = options.to ?? n - 1;
  // rows outside the calendar read past the prices: NaN NAVs (to) or negative rows (from), silently
  for (const [name, row] of [
    ['from', from],
    ['to', to],
  ] as const)
    checkInteger(name, row, 0, n - 1, `a row of the price calendar, a whole number in 0..${n - 1}`);
  // from after to ran no row and returned an empty backtest, as if the rule had nothing to do
  if (from > to)
    throw new InputError(`from (row ${from}) is after to (row ${to}): the backtest would run no row`, {
      options: ['from', 'to'],
      hint: 'give from <= to',
    });
  const signal = options.signal;
  // a signal panel of the prices' shape on other dates or with its assets in another order would trade the wrong rows or names
  if (signal instanceof Panel) checkSameGrid('prices', prices, 'the signal', signal, 'align it first (alignSignal)');
  else if (signal !== undefined && (signal.nDates !== n || signal.nAssets !== m)) {
    throw new InputError(`the signal must be on the prices' grid (${n} x ${m}), got ${signal.nDates} x ${signal.nAssets}`, {
      options: ['signal'],
      hint: 'align it first (alignSignal)',
    });
  }
  if (typeof options.rule !== 'function')
    throw new InputError(
      `rule must be a function of the rule context (topN(50), topQuantile(10), ...), got ${describeValue(options.rule)}`,
      {
        options: ['rule'],
      },
    );
  const maxGap = checkInteger(
    'maxGap',
    options.maxGap ?? defaultMaxGap(prices.dates),
    0,
    Infinity,
    'a whole number of rows >= 0 (0 sells a held name on its first row without a price)',
  );
  const membership = new MembershipCursor(options.universe ?? { kind: 'static' }, prices.dates, prices.assets);
  const member = membership.member;
  const record = options.recordTrades ?? true;

  // signal rows whose trade lands inside the run; the first execution row
  const signalRows = scheduleRows(options.schedule, prices.dates, from, to);
  const isSignal = new Uint8Array(n);
  let firstExec = -1;
  for (const s of signalRows)
    if (s + lag <= to) {
      isSignal[s] = 1;
      if (firstExec < 0) firstExec = s + lag;
    }
  const pending = new Map<number, { target: Target; signalRow: number }>();

  const len = firstExec < 0 ? 0 : to - firstExec + 1;
  const out: BacktestResult = {
    dates: prices.dates.slice(Math.max(firstExec, 0), Math.max(firstExec, 0) + len),
    firstRow: firstExec,
    navGross: new Float64Array(len),
    navNet: new Float64Array(len),
    grossReturns: new Float64Array(len),
    netReturns: new Float64Array(len),
    costs: new Float64Array(len),
    turnover: new Float64Array(len),
    holdings: new Int32Array(len),
    netExposure: new Float64Array(len),
    grossExposure: new Float64Array(len),
    rebalances: [],
    forcedSales: [],
    heldWithoutPrice: 0,
    maxGap,
  };
  if (firstExec < 0) return out;
  const book = new Book(m, bps, minCost);
  const w = book.w;
  const held = new HeldList(m);
  const weightsOut = options.recordHoldings === true ? new WeightsRecorder(len) : undefined;
  const ret = new Float64Array(m); // r_j of the held names on the row, by position in the held list
  const grossAfterDrift = new Float64Array(1); // Σ|w_j| after the row's drift (driftHeld)
  const inTarget = new Uint8Array(m);
  const last = new Float64Array(m), // a held name's last price while it has none (set when its gap begins)
    gap = new Int32Array(m), // rows in a row a held name has had no price (0 for every other name)
    locked = new Uint8Array(m), // 1: held, a member, no price on this row, gap ≤ maxGap (not traded)
    lockedList = new Int32Array(m);
  const rows = new RowContexts(prices, signal, member, w);
  const ints = new Int32Slab(),
    floats = new Float64Slab(); // the recorded weights and trades
  let gross = 1,
    net = 1;

  for (let t = from; t <= to; t++) {
    const base = t * m;
    membership.advance(t);
    // 1. drift
    const hl = held.list,
      hn = held.count;
    const R = t > firstExec && hn > 0 ? driftHeld(hl, hn, w, p, base, ret, m, last, gap, grossAfterDrift) : 0;
    if (!(R - R === 0)) throw badHeldPrice(prices, t, hl, hn);
    if (!(R > -1)) throw navGone(prices, t, hl, hn, w, ret);
    if (hn > 0 && t > firstExec && grossAfterDrift[0] > MAX_LEVERAGE) throw navGone(prices, t, hl, hn, w, ret, net * (1 + R));
    const navPre = net * (1 + R);
    book.reset(navPre * capital);
    // 2. forced sales: a held name that left the universe, or has had no price for more than maxGap rows
    let nLocked = 0,
      lockedWeight = 0;
    if (t >= firstExec) {
      for (let i = firstUntradable(hl, hn, member, p, base); i >= 0 && i < hn; i++) {
        const j = hl[i];
        const priced = p[base + j] === p[base + j];
        if (member[j] === 1 && priced) continue;
        if (member[j] === 1 && gap[j] <= maxGap) {
          // a gap: carried at its last price, not traded on this row
          locked[j] = 1;
          lockedList[nLocked++] = j;
          lockedWeight += w[j];
          continue;
        }
        out.forcedSales.push({
          row: t,
          date: prices.dates[t],
          asset: prices.assets[j],
          weight: w[j],
          reason: member[j] === 1 ? 'no price' : 'left the universe',
        });
        book.trade(j, 0);
        gap[j] = 0; // a name bought again starts without a gap (names are bought only with a price)
      }
    }
    // 3. rebalance to the target decided `lag` rows ago
    const due = pending.get(t);
    let unfilled = 0;
    if (due !== undefined) {
      pending.delete(t);
      const target = due.target;
      const scale = nLocked === 0 || isKeepAndBuy(target) ? 1 : lockedScale(target, lockedList, nLocked, lockedWeight);
      if (target instanceof Float64Array) unfilled = applyDense(book, target, member, p, base, locked, scale);
      else if (isKeepAndBuy(target)) unfilled = applyKeepAndBuy(book, target, hl, hn, member, p, base, locked);
      else unfilled = applySparse(book, target, hl, hn, member, p, base, inTarget, locked, scale);
    }
    for (let k = 0; k < nLocked; k++) locked[lockedList[k]] = 0;
    if (t >= firstExec) out.heldWithoutPrice += nLocked;
    book.sortTouched();
    held.rebuild(w, book.touched, book.touchedCount);
    // 4. costs and NAVs
    const c = book.costCurrency / (navPre * capital);
    if (!(c < 1)) throw costsExceedNav(prices.dates[t], c, book.turnover, bps, minCost, navPre * capital, navPre);
    gross *= 1 + R;
    net = navPre * (1 - c);
    if (t >= firstExec) {
      const i = t - firstExec;
      const list = held.list,
        count = held.count;
      const [ne, ge] = exposures(list, count, w);
      out.navGross[i] = gross;
      out.navNet[i] = net;
      out.grossReturns[i] = R;
      out.netReturns[i] = (1 + R) * (1 - c) - 1;
      out.costs[i] = c;
      out.turnover[i] = book.turnover;
      out.holdings[i] = count;
      out.netExposure[i] = ne;
      out.grossExposure[i] = ge;
      weightsOut?.push(list, count, w);
      if (due !== undefined) {
        const s = due.signalRow;
        const rb: Rebalance = {
          signalRow: s,
          signalDate: prices.dates[s],
          row: t,
          date: prices.dates[t],
          turnover: book.turnover,
          oneWayTurnover: book.turnover / 2,
          cost: c,
          holdings: count,
          unfilled,
        };
        if (record) {
          // views of a few shared blocks (slab.ts), not an allocation each
          rb.weights = { assets: copyInts(list, count, ints), weights: gather(w, list, count, floats) };
          const tj = copyInts(book.touched, book.touchedCount, ints);
          rb.trades = { assets: tj, before: gather(book.before, tj, tj.length, floats), after: gather(w, tj, tj.length, floats) };
        }
        out.rebalances.push(rb);
      }
    }
    // decide on signal rows: the target for row t + lag, from what is known at t's close
    if (isSignal[t] === 1) pending.set(t + lag, { target: checkTarget(options.rule(rows.context(t)), m, t, prices.dates), signalRow: t });
  }
  if (weightsOut !== undefined) out.holdingsHistory = weightsOut.finish();
  return out;
}
