/**
 * The backtest engine: a rule applied on a schedule to a price panel, trading after the signal is
 * known, with weights that drift, forced sales, and costs.
 *
 * Timeline (rows of the price calendar; t−1 → t is one period):
 * 1. **Drift.** Weights w (fractions of NAV at the close of t−1) earn r_j = p_j(t)/p_j(t−1) − 1;
 *    the gross return is R_t = Σ_j w_j r_j (cash earns 0) and the weights become
 *    w_j(1 + r_j)/(1 + R_t). A held name without a price on t earns 0 (it is sold at its last price).
 * 2. **Forced sales.** A held name that is not tradable on t (left the universe: sold at t's close;
 *    no price: sold at its last price) is sold: Δw_j = −w_j.
 * 3. **Rebalance.** On an execution row t = s + executionLag (s a signal row of the schedule,
 *    executionLag ≥ 1: never at the close the signal used), the rule's target, computed at s from
 *    what was known at s, replaces the weights. A target name that is not tradable on t is not
 *    bought (its weight stays in cash).
 * 4. **Costs.** Every traded name j pays max(bps/10⁴ · |Δw_j| · NAV, minCost) in currency (NAV =
 *    capital × net NAV before the cost); c_t = Σ_j cost_j / NAV is the row's cost as a fraction.
 *    Without a minimum, c_t = bps/10⁴ · Σ|Δw| exactly: costs are linear in bps and in turnover.
 *
 * NAVs: gross G_t = G_{t−1}(1 + R_t); net N_t = N_{t−1}(1 + R_t)(1 − c_t). Both start at 1 before
 * the first execution row t₀ (whose own return is 0 gross and −c net). Reported rows: t₀ .. to.
 * Turnover of a row is Σ_j |Δw_j| (buys plus sells; one-way = Σ|Δw|/2 beside it).
 */
import type { Calendar } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { isKeepAndBuy, type Rule, type RuleContext, type Target } from './rules.js';
import { scheduleRows, type Schedule } from './schedule.js';
import { tradableMask, type UniverseSpec } from './universe.js';

export interface BacktestOptions {
  /** The signal on the price grid (same dates and assets as the prices; see alignSignal). */
  signal?: Panel;
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
  /** Keep every rebalance's weights and trades (default true). */
  recordTrades?: boolean;
}

/** The trades of one rebalance, by asset column (compact: typed arrays, no object per name). */
export interface Trades {
  /** Columns of the traded assets, increasing. */
  assets: Int32Array;
  before: Float64Array;
  after: Float64Array;
}

/** Weights after one rebalance (held names only, by column, increasing). */
export interface Holdings {
  assets: Int32Array;
  weights: Float64Array;
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
}

/**
 * Step 1 of a row: R = Σ w_j r_j over the held names (r_j = 0 without a price on the row) and the
 * weights drifted to w_j(1 + r_j)/(1 + R); `r` receives r_j. Returns R.
 */
function drift(held: readonly number[], w: Float64Array, p: Float64Array, base: number, prev: number, r: Float64Array): number {
  let R = 0;
  for (let i = 0; i < held.length; i++) {
    const j = held[i];
    const p1 = p[base + j];
    const x = p1 === p1 ? p1 / p[prev + j] - 1 : 0;
    r[j] = x;
    R += w[j] * x;
  }
  const g = 1 + R;
  for (let i = 0; i < held.length; i++) { const j = held[i]; w[j] = (w[j] * (1 + r[j])) / g; }
  return R;
}

/** True when a held name is not tradable on the row (so step 2 has a forced sale to make). */
function anyUntradable(held: readonly number[], tradable: Uint8Array, base: number): boolean {
  for (let i = 0; i < held.length; i++) if (tradable[base + held[i]] !== 1) return true;
  return false;
}

/** Σ w_j (or Σ |w_j|) over the held names. */
function sumOf(held: readonly number[], w: Float64Array, absolute: boolean): number {
  let s = 0;
  for (let i = 0; i < held.length; i++) s += absolute ? Math.abs(w[held[i]]) : w[held[i]];
  return s;
}

/** Prices of rows 0..row as a panel view (no copy). */
function historyView(prices: Panel, row: number): Panel {
  const m = prices.nAssets;
  return new Panel(prices.dates.subarray(0, row + 1), prices.assets, prices.values.subarray(0, (row + 1) * m));
}

export function runBacktest(prices: Panel, options: BacktestOptions): BacktestResult {
  const n = prices.nDates, m = prices.nAssets, p = prices.values;
  const lag = options.executionLag ?? 1;
  if (!(Number.isInteger(lag) && lag >= 1)) throw new RangeError(`executionLag must be a whole number >= 1 (trading at the close the signal used is look-ahead), got ${lag}`);
  const bps = options.costBps ?? 0, minCost = options.minCost ?? 0, capital = options.capital ?? 1;
  if (!(bps >= 0) || !(minCost >= 0) || !(capital > 0)) throw new RangeError('costBps and minCost must be >= 0 and capital > 0');
  const from = options.from ?? 0, to = options.to ?? n - 1;
  const signal = options.signal;
  if (signal !== undefined && (signal.nDates !== n || signal.nAssets !== m)) {
    throw new RangeError(`the signal must be on the prices' grid (${n} x ${m}), got ${signal.nDates} x ${signal.nAssets}: align it first (alignSignal)`);
  }
  const tradable = tradableMask(prices, options.universe ?? { kind: 'static' });
  const record = options.recordTrades ?? true;

  // execution row -> signal row
  const signalRows = scheduleRows(options.schedule, prices.dates, from, to);
  const execOf = new Int32Array(n + lag + 1).fill(-1); // read at t + lag for every row: no out-of-bounds reads
  for (const s of signalRows) if (s + lag <= to) execOf[s + lag] = s;
  const pending = new Map<number, Target>();
  const pendingSignalRow = new Map<number, number>();
  let firstExec = -1;
  for (const s of signalRows) if (s + lag <= to) { firstExec = s + lag; break; }

  const w = new Float64Array(m);
  let held: number[] = [];
  const len = firstExec < 0 ? 0 : to - firstExec + 1;
  const out: BacktestResult = {
    dates: prices.dates.slice(Math.max(firstExec, 0), Math.max(firstExec, 0) + len),
    firstRow: firstExec,
    navGross: new Float64Array(len), navNet: new Float64Array(len),
    grossReturns: new Float64Array(len), netReturns: new Float64Array(len),
    costs: new Float64Array(len), turnover: new Float64Array(len), holdings: new Int32Array(len),
    netExposure: new Float64Array(len), grossExposure: new Float64Array(len),
    rebalances: [], forcedSales: [],
  };
  let gross = 1, net = 1;
  const before = new Float64Array(m);
  const touched: number[] = [];
  const touchedMark = new Uint8Array(m);
  const inHeld = new Uint8Array(m);
  const currentBuf = new Float64Array(m);

  // One row per call: a small function that V8 optimises by its call count (a single long loop
  // in this large function would wait for on-stack replacement and lose it at every deopt).
  const step = (t: number): void => {
    const base = t * m;
    let R = 0;
    // 1. drift (rows after the first execution)
    if (t > firstExec && held.length > 0) R = drift(held, w, p, base, (t - 1) * m, before);
    // 2. forced sales and 3. rebalance: collect Δw
    let turnover = 0, costCurrency = 0;
    const navPre = net * (1 + R);
    const trade = (j: number, after: number) => {
      const d = after - w[j];
      if (d === 0) return;
      if (touchedMark[j] === 0) { touchedMark[j] = 1; touched.push(j); before[j] = w[j]; }
      turnover += Math.abs(d);
      if (bps > 0 || minCost > 0) costCurrency += Math.max((bps / 1e4) * Math.abs(d) * navPre * capital, minCost);
      w[j] = after;
    };
    if (t >= firstExec && anyUntradable(held, tradable, base)) {
      for (const j of held) {
        if (tradable[base + j] === 1) continue;
        const priced = p[base + j] === p[base + j];
        out.forcedSales.push({ row: t, date: prices.dates[t], asset: prices.assets[j], weight: w[j], reason: priced ? 'left the universe' : 'no price' });
        trade(j, 0);
      }
    }
    const target = pending.get(t);
    let unfilled = 0;
    if (target !== undefined) {
      pending.delete(t);
      if (isKeepAndBuy(target)) {
        let kept = 0, buySum = 0;
        for (let j = 0; j < m; j++) {
          if (target.keep[j] === 1 && w[j] !== 0) kept += w[j];
          else if (w[j] !== 0) trade(j, 0);
        }
        for (let j = 0; j < m; j++) if (target.buy[j] > 0) { if (tradable[base + j] === 1) buySum += target.buy[j]; else unfilled++; }
        const free = 1 - kept;
        if (buySum > 0 && free > 0) for (let j = 0; j < m; j++) if (target.buy[j] > 0 && tradable[base + j] === 1) trade(j, w[j] + (free * target.buy[j]) / buySum);
      } else {
        for (let j = 0; j < m; j++) {
          let x = target[j];
          if (x !== 0 && tradable[base + j] !== 1) { x = 0; unfilled++; }
          if (x !== w[j]) trade(j, x);
        }
      }
    }
    // rebuild the held list when anything traded
    if (touched.length > 0) {
      for (const j of touched) inHeld[j] = w[j] !== 0 ? 1 : 0;
      for (const j of held) inHeld[j] = w[j] !== 0 ? 1 : 0;
      const next: number[] = [];
      if (touched.length + held.length > m >>> 4) {
        for (let j = 0; j < m; j++) if (inHeld[j] === 1) next.push(j);
      } else {
        for (const j of held) if (inHeld[j] === 1) { next.push(j); inHeld[j] = 2; }
        for (const j of touched) if (inHeld[j] === 1) next.push(j);
        next.sort((a, b) => a - b);
      }
      for (const j of touched) inHeld[j] = 0;
      for (const j of held) inHeld[j] = 0;
      held = next;
    }
    const c = costCurrency / (navPre * capital);
    gross *= 1 + R;
    net = navPre * (1 - c);
    if (t >= firstExec) {
      const i = t - firstExec;
      out.navGross[i] = gross; out.navNet[i] = net;
      out.grossReturns[i] = R; out.netReturns[i] = (1 + R) * (1 - c) - 1;
      out.costs[i] = c; out.turnover[i] = turnover; out.holdings[i] = held.length;
      const ne = sumOf(held, w, false), ge = sumOf(held, w, true);
      out.netExposure[i] = ne; out.grossExposure[i] = ge;
      if (target !== undefined) {
        const s = pendingSignalRow.get(t) ?? -1;
        pendingSignalRow.delete(t);
        const rb: Rebalance = { signalRow: s, signalDate: prices.dates[s], row: t, date: prices.dates[t], turnover, oneWayTurnover: turnover / 2, cost: c, holdings: held.length, unfilled };
        if (record) {
          // plain loops: TypedArray.from with a mapping function takes V8's slow iterator path
          const ha = Int32Array.from(held), hw = new Float64Array(held.length);
          for (let k = 0; k < held.length; k++) hw[k] = w[held[k]];
          rb.weights = { assets: ha, weights: hw };
          const tj = Int32Array.from(touched).sort();
          const tb = new Float64Array(tj.length), ta = new Float64Array(tj.length);
          for (let k = 0; k < tj.length; k++) { tb[k] = before[tj[k]]; ta[k] = w[tj[k]]; }
          rb.trades = { assets: tj, before: tb, after: ta };
        }
        out.rebalances.push(rb);
      }
    }
    for (const j of touched) touchedMark[j] = 0;
    touched.length = 0;
    // decide on signal rows: the target for row t + lag, from what is known at t's close
    if (execOf[t + lag] === t && t + lag <= to) {
      currentBuf.set(w);
      const ctx: RuleContext = {
        row: t, date: prices.dates[t], assets: prices.assets,
        signal: signal === undefined ? undefined : signal.values.subarray(base, base + m),
        tradable: tradable.subarray(base, base + m),
        current: currentBuf,
        history: () => historyView(prices, t),
      };
      pending.set(t + lag, options.rule(ctx));
      pendingSignalRow.set(t + lag, t);
    }
  };
  for (let t = firstExec < 0 ? to + 1 : from; t <= to; t++) step(t);
  return out;
}

/**
 * The signal on the prices' grid, as of each price date: row t holds the signal of the latest
 * signal date ≤ the price date t (a signal dated on a non-trading day is used from the next
 * trading day on, never before its date); assets by name, NaN where the signal has none.
 * `maxAgeDays` (calendar days, default unlimited) leaves NaN where the latest signal is older.
 */
export function alignSignal(signal: Panel, prices: Panel, maxAgeDays = Infinity): Panel {
  const n = prices.nDates, m = prices.nAssets, ms = signal.nAssets;
  const out = new Float64Array(n * m).fill(NaN);
  const col = new Int32Array(m);
  for (let j = 0; j < m; j++) col[j] = signal.assetIndex(prices.assets[j]);
  let k = -1;
  for (let t = 0; t < n; t++) {
    const day = prices.dates[t];
    while (k + 1 < signal.nDates && signal.dates[k + 1] <= day) k++;
    if (k < 0 || day - signal.dates[k] > maxAgeDays) continue;
    const src = k * ms, dst = t * m;
    for (let j = 0; j < m; j++) if (col[j] >= 0) out[dst + j] = signal.values[src + col[j]];
  }
  return new Panel(prices.dates, prices.assets, out);
}
