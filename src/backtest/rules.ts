/**
 * Rules: from a rebalance date's signal, universe and current weights to target weights.
 *
 * A rule is a plain function `(context) => target` (the seam for other rules, the optimiser's
 * among them: an optimiser rule is a function that reads the same context and returns weights).
 * It sees only what is known at the close of the signal row: that row's signal, which names are
 * tradable (member and priced), the current weights after drift, and the prices up to that row
 * (`history()`, a view that ends at the signal row, so a rule cannot look ahead).
 *
 * A target is either
 * - weights (`Float64Array`, one per asset, fractions of NAV; 0 = not held; negative = short; the
 *   rest of NAV is cash earning 0), or
 * - the same weights sparsely (`{ assets, weights }`: the held columns, increasing, and their
 *   weights; every other name 0), which is what the rules here return, or
 * - `{ keep, buy }`: hold the `keep` names at their drifted weights, sell every other holding, and
 *   split the weight that leaves free (1 − the kept weights at execution) among the `buy` names in
 *   proportion to `buy` (TopkDropout: buys are sized from everything freed, sells included).
 *
 * Rules here (each weight formula in its doc comment):
 * top N equal weight, top quantile, quantile long-short, signal-proportional, inverse volatility,
 * industry-neutral quantiles with benchmark industry weights, and qlib's TopkDropout.
 */
import { checkInteger, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Panel } from '../core/panel.js';
import {
  candidatesBuffer,
  compactCandidates,
  qcutLabels,
  qcutMembers,
  rankedCandidates,
  TailBin,
  topOfCandidates,
  type Candidates,
  type TailKeep,
} from './select.js';
import { Float64Slab, Int32Slab } from './slab.js';

export type { Candidates } from './select.js';

export interface RuleContext {
  /** Signal row (a row of the price calendar). */
  row: number;
  /** Its day number. */
  date: number;
  assets: readonly string[];
  /** The signal on the signal row, one per asset (NaN = none); undefined when the run has no signal. */
  signal: Float64Array | undefined;
  /** 1 = member of the universe with a price on the signal row; read-only, valid during the call (a buffer the engine reuses). */
  tradable: Uint8Array;
  /** Weights at the close of the signal row, after drift (0 = not held); read-only, valid during the call. */
  current: Float64Array;
  /** Prices of rows 0..row (a view; nothing after the signal row). */
  history: () => Panel;
  /**
   * The tradable names with a finite signal on the signal row (optional: a context without it is
   * served by {@link contextCandidates}, which compacts `signal` by `tradable`). The engine's
   * may come from a fused pass over the signal source (signal.ts, `SignalRows.candidatesInto`)
   * that never builds the whole signal or tradable row; the names and values are the same (tested).
   * Read-only, valid during the call (buffers the engine reuses).
   */
  candidates?: () => Candidates;
  /**
   * Optional fused pass of the top / bottom quantile rules (select.ts `TailKeep`, from the signal
   * source's `SignalRows.tailInto`): the names beyond a guess straight from the source, without
   * writing the candidates out. A rule may use it or `candidates`; the result is the same (tested).
   */
  tail?: TailKeep;
}

export interface KeepAndBuy {
  keep: Uint8Array;
  buy: Float64Array;
}

/** Weights of some names (columns, increasing) — a sparse target, and the engine's record of holdings. */
export interface Holdings {
  assets: Int32Array;
  weights: Float64Array;
}

export type Target = Float64Array | Holdings | KeepAndBuy;

export type Rule = (context: RuleContext) => Target;

export function isKeepAndBuy(t: Target): t is KeepAndBuy {
  return !(t instanceof Float64Array) && 'keep' in t;
}

/** Weights of a target as one per asset (a sparse target's other names 0). */
export function denseWeights(t: Float64Array | Holdings, m: number): Float64Array {
  if (t instanceof Float64Array) return t;
  const w = new Float64Array(m);
  for (let i = 0; i < t.assets.length; i++) w[t.assets[i]] = t.weights[i];
  return w;
}

/**
 * The same weight 1/k on each of k names (an array the target takes over; sorted into increasing
 * columns if it is not), the weights from the rule's slab.
 */
function equalWeights(assets: Int32Array, slab: Float64Slab): Holdings {
  for (let i = 1; i < assets.length; i++)
    if (assets[i] <= assets[i - 1]) {
      assets.sort();
      break;
    }
  return { assets, weights: slab.take(assets.length).fill(1 / assets.length) };
}

/**
 * The context's signal; a run without one is the caller's mistake (a signal rule given no signal):
 * an InputError saying which rule needs it.
 */
function needSignal(ctx: RuleContext, rule: string): Float64Array {
  if (ctx.signal === undefined)
    throw new InputError(`the ${rule} rule needs a signal, and the backtest has none`, {
      hint: 'give the backtest a signal (runBacktest options.signal), or use a rule without one (inverseVolatility without n)',
    });
  return ctx.signal;
}

/**
 * The context's candidates: its own `candidates()` when it has one, else its signal (which the
 * `rule` named needs) compacted by its tradable row into `scratch.buf` (grown as needed; one per
 * rule instance).
 */
function candidatesOf(ctx: RuleContext, rule: string, scratch: { buf: Candidates }): Candidates {
  if (ctx.candidates !== undefined) return ctx.candidates();
  const signal = needSignal(ctx, rule);
  if (scratch.buf.assets.length < signal.length) scratch.buf = candidatesBuffer(signal.length);
  return compactCandidates(signal, ctx.tradable, scratch.buf);
}

/** The candidates of a context: its own, or its signal compacted by its tradable row into a new buffer. */
export function contextCandidates(ctx: RuleContext): Candidates {
  return candidatesOf(ctx, 'candidates', { buf: candidatesBuffer(0) });
}

/** A reused buffer of one rule instance (grown as needed). */
function valuesScratch(): (m: number) => Float64Array {
  let values = new Float64Array(0);
  return (m) => {
    if (values.length < m) values = new Float64Array(m);
    return values;
  };
}

/**
 * Top N, equal weight: the k = min(N, available) tradable names with the highest signal, each
 * 1/k (fully invested; ties keep the asset order).
 */
export function topN(n: number): Rule {
  // the builders' arguments are the caller's: an InputError naming the argument and the value (they
  // were RangeErrors, which the CLI reports as a fault of factorlab), never a string coerced ("5" - 1)
  checkInteger('n', n, 1, Infinity, 'a whole number of names >= 1');
  const cands = { buf: candidatesBuffer(0) },
    scratch = valuesScratch(),
    ints = new Int32Slab(),
    floats = new Float64Slab();
  return (ctx) => {
    const c = candidatesOf(ctx, 'top-n', cands);
    return equalWeights(topOfCandidates(c, n, scratch(c.count), ints), floats);
  };
}

/**
 * Top quantile: `pandas.qcut` labels 1..Q of the tradable names' signals (select.ts); the names
 * labelled `quantile` (default Q, the highest) each get 1/count.
 */
export function topQuantile(quantiles: number, quantile = quantiles): Rule {
  checkInteger('quantiles', quantiles, 2);
  checkInteger('quantile', quantile, 1, quantiles, `a whole number in 1..${quantiles} (the quantiles)`);
  const tail = quantile === quantiles ? new TailBin(quantiles, true) : quantile === 1 ? new TailBin(quantiles, false) : undefined;
  const cands = { buf: candidatesBuffer(0) },
    scratch = valuesScratch(),
    ints = new Int32Slab(),
    floats = new Float64Slab();
  return (ctx) => {
    if (tail !== undefined)
      return equalWeights(
        ctx.tail !== undefined
          ? tail.selectKept(ctx.tail, ctx.assets.length, ints)
          : tail.select(candidatesOf(ctx, 'top-quantile', cands), ints),
        floats,
      );
    const c = candidatesOf(ctx, 'top-quantile', cands);
    return equalWeights(qcutMembers(c, quantiles, quantile, scratch(c.count), ints), floats);
  };
}

/**
 * Quantile long-short: +1/n_Q on each name of the top quantile, −1/n_1 on each of the bottom one
 * (gross 2, net 0: the NAV moves by the top-minus-bottom return; the short proceeds are not
 * reinvested). An empty side leaves the date in cash.
 */
export function quantileLongShort(quantiles: number): Rule {
  checkInteger('quantiles', quantiles, 2);
  const upper = new TailBin(quantiles, true),
    lower = new TailBin(quantiles, false);
  const cands = { buf: candidatesBuffer(0) },
    ints = new Int32Slab();
  return (ctx) => {
    const c = candidatesOf(ctx, 'long-short', cands);
    const top = upper.select(c, ints);
    const bottom = lower.select(c, ints);
    if (top.length === 0 || bottom.length === 0) return { assets: new Int32Array(0), weights: new Float64Array(0) };
    const sides = new Map<number, number>();
    for (const j of top) sides.set(j, 1 / top.length);
    for (const j of bottom) sides.set(j, -1 / bottom.length);
    const assets = Int32Array.from(sides.keys()).sort();
    return { assets, weights: Float64Array.from(assets, (j) => sides.get(j) ?? 0) };
  };
}

/**
 * Signal-proportional: w_j = s_j / Σ_k |s_k| over the tradable names with a signal (long-only when
 * every signal is positive, gross 1 in any case; all-zero signals: cash).
 */
export function signalProportional(): Rule {
  return (ctx) => {
    const signal = needSignal(ctx, 'proportional');
    const w = new Float64Array(ctx.assets.length);
    let gross = 0;
    for (let j = 0; j < signal.length; j++) if (ctx.tradable[j] === 1 && Number.isFinite(signal[j])) gross += Math.abs(signal[j]);
    if (!(gross > 0)) return w;
    for (let j = 0; j < signal.length; j++) if (ctx.tradable[j] === 1 && Number.isFinite(signal[j])) w[j] = signal[j] / gross;
    return w;
  };
}

/**
 * Inverse volatility: among the top N by signal (all tradable names when `n` is undefined or there
 * is no signal), w_j ∝ 1/σ_j, Σ w = 1, where σ_j is the standard deviation (ddof 1) of the simple
 * returns p_t/p_{t−1} − 1 over the `lookback` rows ending at the signal row. Names without all
 * `lookback` returns, or with σ = 0, are left out.
 */
export function inverseVolatility(lookback: number, n?: number): Rule {
  checkInteger('lookback', lookback, 2, Infinity, 'a whole number of rows >= 2 (a standard deviation needs two returns)');
  if (n !== undefined) checkInteger('n', n, 1, Infinity, 'a whole number of names >= 1, or undefined for every tradable name');
  return (ctx) => {
    const m = ctx.assets.length;
    const w = new Float64Array(m);
    if (ctx.row < lookback) return w;
    let names: number[];
    if (ctx.signal !== undefined && n !== undefined) names = rankedCandidates(ctx.signal, ctx.tradable);
    else {
      names = [];
      for (let j = 0; j < m; j++) if (ctx.tradable[j] === 1) names.push(j);
    }
    const p = ctx.history().values;
    const inv: [number, number][] = [];
    for (const j of names) {
      if (n !== undefined && inv.length >= n) break;
      let s = 0,
        ok = true;
      for (let t = ctx.row - lookback + 1; t <= ctx.row; t++) {
        const r = p[t * m + j] / p[(t - 1) * m + j] - 1;
        if (!Number.isFinite(r)) {
          ok = false;
          break;
        }
        s += r;
      }
      if (!ok) continue;
      const mean = s / lookback;
      let v = 0;
      for (let t = ctx.row - lookback + 1; t <= ctx.row; t++) {
        const d = p[t * m + j] / p[(t - 1) * m + j] - 1 - mean;
        v += d * d;
      }
      const sd = Math.sqrt(v / (lookback - 1));
      if (sd > 0) inv.push([j, 1 / sd]);
    }
    let total = 0;
    for (const [, x] of inv) total += x;
    for (const [j, x] of inv) w[j] = x / total;
    return w;
  };
}

export interface IndustryNeutralOptions {
  quantiles: number;
  /** Which quantile to hold (default the top, Q). */
  quantile?: number;
  /** Industry code of each asset (-1 = none: never held). */
  groups: Int32Array;
  /**
   * Benchmark weight of each industry code (e.g. the CSI 300's industry weights). Default: each
   * industry's share of the tradable names with a signal on the date.
   */
  industryWeights?: Float64Array;
}

/**
 * Industry-neutral quantiles (the seed's grouped back test): within each industry, qcut labels of
 * the tradable names' signals; the names labelled `quantile` are equally weighted within their
 * industry, and industry g gets weight b_g / Σ b over the industries that have a selected name
 * (b = the benchmark's industry weights). So the portfolio's industry mix is the benchmark's over
 * the industries that have a selected name; an industry without one (fewer names than the
 * quantiles need, or no two different signals: a one-name industry always) gets nothing and its
 * weight goes to the others (`factorlab backtest` warns with the share).
 */
export function industryNeutral(options: IndustryNeutralOptions): Rule {
  const Q = options.quantiles,
    q = options.quantile ?? Q;
  checkInteger('quantiles', Q, 2);
  checkInteger('quantile', q, 1, Q, `a whole number in 1..${Q} (the quantiles)`);
  if (!(options.groups instanceof Int32Array))
    throw new InputError(`groups must be an Int32Array of industry codes (-1 = none), one per asset, got ${describeValue(options.groups)}`);
  if (options.industryWeights !== undefined && !(options.industryWeights instanceof Float64Array))
    throw new InputError(
      `industryWeights must be a Float64Array of benchmark weights by industry code, got ${describeValue(options.industryWeights)}`,
      { options: ['industryWeights'] },
    );
  // a NaN or negative benchmark weight dropped its industry without a word
  const b = options.industryWeights;
  if (b !== undefined)
    for (let g = 0; g < b.length; g++)
      if (!(b[g] >= 0 && b[g] < Infinity))
        throw new InputError(
          `industryWeights[${g}] is ${describeValue(b[g])}, expected a finite weight >= 0 (0: the industry is not held)`,
          {
            options: ['industryWeights'],
          },
        );
  return (ctx) => {
    const signal = needSignal(ctx, 'industry-neutral');
    const m = ctx.assets.length;
    // groups pair with the assets by position: a shorter array left the last names in no industry, silently
    if (options.groups.length !== m)
      throw new InputError(`groups has ${options.groups.length} industry codes, expected one per asset (${m})`);
    const byGroup = new Map<number, number[]>();
    for (let j = 0; j < m; j++) {
      const g = options.groups[j];
      if (g < 0 || ctx.tradable[j] !== 1 || !Number.isFinite(signal[j])) continue;
      let list = byGroup.get(g);
      if (list === undefined) byGroup.set(g, (list = []));
      list.push(j);
    }
    const w = new Float64Array(m);
    const picked: [number, number[]][] = [];
    let totalNames = 0;
    for (const list of byGroup.values()) totalNames += list.length;
    let bSum = 0;
    const bOf = (g: number, count: number) =>
      options.industryWeights === undefined ? count / totalNames : (options.industryWeights[g] ?? 0);
    for (const [g, list] of byGroup) {
      const labels = qcutLabels(signal, list, Q);
      const sel = list.filter((_, i) => labels[i] === q);
      const b = bOf(g, list.length);
      if (sel.length === 0 || !(b > 0)) continue;
      picked.push([b, sel]);
      bSum += b;
    }
    for (const [b, sel] of picked) for (const j of sel) w[j] = b / bSum / sel.length;
    return w;
  };
}

/**
 * qlib's TopkDropout: hold `topk` names; each rebalance replace at most `nDrop` of them, and never
 * sell a name to buy one with a lower signal.
 * With H the current holdings and C the tradable names not held, both by today's signal (a held
 * name without a signal ranks last):
 *   0. trim: while |H| > topk, sell the worst holding (a book above topk: a name the rule dropped
 *      had no price on the execution row, so it could not be sold and the buy went through); these
 *      sales count among the nDrop of step 2 (and happen even beyond it); when the rebalance buys
 *      no new name, the kept names share the weight the trim frees (a buy of names already held)
 *      instead of leaving it in cash;
 *   1. fill: while |H| < topk, buy the best remaining name of C;
 *   2. swap: up to nDrop times in all, if the best remaining name of C has a higher signal than the
 *      worst remaining holding, sell that holding and buy it; otherwise stop.
 * With nDrop >= |H| − topk, trimming is qlib's rule for a book above topk (it buys |sell| + topk − |H|
 * names; tested equal); without it the book stayed above topk until a forced sale (hold 5 held 6
 * for months).
 * With at least topk + nDrop names this is qlib's selection (sell the holdings among the nDrop
 * lowest of H and the nDrop + topk − |H| best of C, buy the best |sell| + topk − |H| of C; tested
 * equal); with fewer, qlib's can sell a name to buy a lower one, this cannot.
 * Kept names keep their drifted weights; the freed weight (sales and cash) is split equally among
 * the buys, so the buys are sized from everything the sales free, not from the cash alone.
 */
export function topkDropout(topk: number, nDrop: number): Rule {
  checkInteger('topk', topk, 1, Infinity, 'a whole number of names >= 1');
  checkInteger('nDrop', nDrop, 0, Infinity, 'a whole number of names >= 0 (the most replaced each rebalance)');
  return (ctx) => {
    const signal = needSignal(ctx, 'topk-dropout');
    const m = ctx.assets.length;
    const score = (j: number) => (Number.isFinite(signal[j]) ? signal[j] : -Infinity);
    const held: number[] = [];
    for (let j = 0; j < m; j++) if (ctx.current[j] !== 0) held.push(j);
    // worst first
    held.sort((a, b) => score(a) - score(b) || b - a);
    const notHeld = new Uint8Array(m);
    for (let j = 0; j < m; j++) notHeld[j] = ctx.tradable[j] === 1 && ctx.current[j] === 0 ? 1 : 0;
    const candidates = rankedCandidates(signal, notHeld);
    const keep = new Uint8Array(m),
      buy = new Float64Array(m);
    for (const j of held) keep[j] = 1;
    // trim a book above topk (a dropped name that could not be sold), worst first
    const trim = Math.max(0, held.length - topk);
    for (let i = 0; i < trim; i++) keep[held[i]] = 0;
    let c = 0;
    for (let k = held.length - trim; k < topk && c < candidates.length; k++) buy[candidates[c++]] = 1;
    for (let i = trim; i < nDrop && i < held.length && c < candidates.length; i++) {
      const h = held[i],
        j = candidates[c];
      if (!(score(j) > score(h))) break;
      keep[h] = 0;
      buy[j] = 1;
      c++;
    }
    // a trim that buys nothing: the kept names share what it frees (else it sat in cash until a swap)
    if (trim > 0 && c === 0) for (let i = trim; i < held.length; i++) if (keep[held[i]] === 1) buy[held[i]] = 1;
    return { keep, buy };
  };
}
