/**
 * `factorlab backtest`: the rule, watched on each rebalance for a cross-section that cannot be
 * ranked. A rebalance whose tradable names all have the same factor value (a date filled with 0
 * for missing, a constant column) or too few distinct values for the quantiles asked used to
 * become a number in silence: the quantile rules held nothing (the whole book sold, cash until the
 * next rebalance), top N took the first names in the prices' column order. Such a rebalance is
 * refused (exit 2) naming the date and the value; a `--top` cutoff that falls inside a group of
 * equal values (some of them picked by column order) is counted for a warning.
 */
import { InputError } from '../../core/errors.js';
import { formatIsoDate } from '../../core/dates.js';
import type { Panel } from '../../core/panel.js';
import { contextCandidates, isKeepAndBuy, type Rule, type RuleContext, type Target } from '../../backtest/rules.js';
import { selectKth } from '../../stats/descriptive.js';
import { formatNumber, plural } from '../format.js';

/** The rules of `factorlab backtest --rule`. */
export type RuleName = 'top-n' | 'top-quantile' | 'long-short' | 'proportional' | 'inverse-vol' | 'industry-neutral' | 'topk-dropout';

/** Rebalances on which the `--top` cutoff fell inside a group of names with equal factor values. */
export interface TieTally {
  count: number;
  /** The first such rebalance: its date, the tied value, how many names share it and how many of the places they fill. */
  first?: { date: number; value: number; tied: number; places: number };
}

export interface RuleCheckOptions {
  rule: RuleName;
  /** `--top` of the rules it sizes (top-n, topk-dropout, inverse-vol with a factor); undefined otherwise. */
  top: number | undefined;
  quantiles: number;
  quantile: number | undefined;
  /** The factor file, for the message (undefined for momentum). */
  file: string | undefined;
  factor: Panel | undefined;
  ties: TieTally;
}

/** Whether a target holds no name: every weight 0 (a keep-and-buy target keeps and buys nothing). */
export function holdsNothing(t: Target): boolean {
  if (t instanceof Float64Array) return !t.some((x) => x !== 0);
  if (isKeepAndBuy(t)) return !t.keep.some((x) => x === 1) && !t.buy.some((x) => x > 0);
  return !t.weights.some((x) => x !== 0);
}

/** The distinct values of values[0..n) and the most common one with its count (sorted copy in `buf`). */
function distinctOf(values: Float64Array, n: number, buf: Float64Array): { distinct: number; mode: number; modeCount: number } {
  const s = buf.subarray(0, n);
  s.set(values.subarray(0, n));
  s.sort();
  let distinct = n > 0 ? 1 : 0,
    mode = n > 0 ? s[0] : NaN,
    modeCount = n > 0 ? 1 : 0,
    run = 1;
  for (let i = 1; i < n; i++) {
    if (s[i] === s[i - 1]) run++;
    else {
      distinct++;
      run = 1;
    }
    if (run > modeCount) {
      modeCount = run;
      mode = s[i];
    }
  }
  return { distinct, mode, modeCount };
}

/** Whether values[0..n) are all equal (n >= 1). */
function allEqual(values: Float64Array, n: number): boolean {
  const x = values[0];
  for (let i = 1; i < n; i++) if (values[i] !== x) return false;
  return true;
}

/**
 * The cutoff of a top-k pick among values[0..n) (n > k): the k-th largest v_k and the (k+1)-th
 * largest v_{k+1}; when they are equal the pick took some of the names equal to v_k by column
 * order. Returns the tied value, the names equal to it and the places among the top k they fill,
 * or undefined when v_k > v_{k+1}. O(n) by selection on the copy in `buf`.
 */
export function tieAtCutoff(
  values: Float64Array,
  n: number,
  k: number,
  buf: Float64Array,
): { value: number; tied: number; places: number } | undefined {
  if (!(n > k && k >= 1)) return undefined;
  const a = buf.subarray(0, n);
  a.set(values.subarray(0, n));
  const vk = selectKth(a, n - k); // ascending index n − k is the k-th largest
  let below = -Infinity;
  for (let i = 0; i < n - k; i++) if (a[i] > below) below = a[i]; // the largest of the rest: v_{k+1}
  if (below !== vk) return undefined;
  let tied = 0,
    above = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === vk) tied++;
    else if (x > vk) above++;
  }
  return { value: vk, tied, places: k - above };
}

/** ` (it uses the factor of D)`: the factor date a rebalance date reads (the latest on or before it). */
function factorSource(factor: Panel | undefined, date: number): string {
  if (factor === undefined) return '';
  let k = factor.nDates - 1;
  while (k >= 0 && factor.dates[k] > date) k--;
  return k >= 0 && factor.dates[k] !== date ? ` (it uses the factor of ${formatIsoDate(factor.dates[k])})` : '';
}

const QUANTILE_RULES: readonly RuleName[] = ['top-quantile', 'long-short', 'industry-neutral'];

/**
 * The rule, refusing a rebalance whose cross-section it cannot rank:
 * - every tradable name with a factor value has the same value, and the rule would hold nothing
 *   (quantiles, proportional to zeros) or pick `--top` of more names by column order;
 * - a quantile rule whose held quantile is empty (too few distinct values for `--quantiles`);
 * - any rule holding nothing while names have factor values, once it has held something (it would
 *   sell the whole book; inverse-vol's warm-up before its first holding is allowed).
 * Counts into `o.ties` the rebalances where the `--top` cutoff split a group of equal values
 * (top-n and inverse-vol among the top N).
 */
export function refusingUnranked(rule: Rule, o: RuleCheckOptions): Rule {
  let held = false,
    buf = new Float64Array(0);
  return (ctx: RuleContext) => {
    const c = contextCandidates(ctx);
    const n = c.count;
    if (buf.length < n) buf = new Float64Array(n);
    const flat = n > 0 && allEqual(c.values, n),
      value = c.values[0];
    const date = formatIsoDate(ctx.date);
    const src = factorSource(o.factor, ctx.date);
    if (flat && o.top !== undefined && n > o.top) {
      let heldNow = 0;
      for (let j = 0; j < ctx.current.length; j++) if (ctx.current[j] !== 0) heldNow++;
      // topk-dropout only picks among equal names when it has places to fill; otherwise it keeps its book
      if (o.rule !== 'topk-dropout' || heldNow < o.top)
        throw new InputError(
          `all ${plural(n, 'tradable name')} with a factor value have the same value (${formatNumber(value, 6)}) on the rebalance date ${date}${src}: --rule ${o.rule} would pick --top ${o.top} of them by their column order in --prices, not by the factor`,
          { file: o.file, date, hint: flatHint(o) },
        );
    }
    if (o.top !== undefined && o.rule !== 'topk-dropout' && n > 0 && !flat) {
      const tie = tieAtCutoff(c.values, n, o.top, buf);
      if (tie !== undefined) {
        o.ties.count++;
        o.ties.first ??= { date: ctx.date, ...tie };
      }
    }
    const target = rule(ctx);
    const empty = holdsNothing(target);
    if (empty && n > 0 && (o.rule !== 'inverse-vol' || held)) {
      if (flat)
        throw new InputError(
          `${n === 1 ? 'only 1 tradable name has' : `all ${plural(n, 'tradable name')} with`} a factor value${n === 1 ? ` (${formatNumber(value, 6)})` : ` have the same value (${formatNumber(value, 6)})`} on the rebalance date ${date}${src}: --rule ${o.rule} cannot rank ${n === 1 ? 'one name' : 'them'} and would hold nothing (sell everything and hold cash until the next rebalance)`,
          { file: o.file, date, hint: flatHint(o) },
        );
      if (QUANTILE_RULES.includes(o.rule)) {
        const spread = distinctOf(c.values, n, buf);
        throw new InputError(
          `--rule ${o.rule} holds nothing on the rebalance date ${date}${src}: the ${plural(n, 'tradable name')}' factor values take only ${spread.distinct} distinct values (${formatNumber(spread.mode, 6)} on ${spread.modeCount} of them), too few for --quantiles ${o.quantiles}: the quantile edges leave ${o.rule === 'long-short' ? 'a side' : `quantile ${o.quantile ?? o.quantiles}`} empty, and the rule would sell everything and hold cash until the next rebalance`,
          { file: o.file, date, hint: 'fewer --quantiles (the names must spread over them), or --rule top-n' },
        );
      }
      throw new InputError(
        `--rule ${o.rule} holds nothing on the rebalance date ${date} although ${plural(n, 'tradable name')} have a factor value${src}: it would sell everything and hold cash until the next rebalance`,
        {
          file: o.file,
          date,
          hint:
            o.rule === 'inverse-vol'
              ? 'none of them has --vol-lookback returns up to that date: a shorter --vol-lookback'
              : 'check the factor on that date',
        },
      );
    }
    if (!empty) held = true;
    return target;
  };
}

function flatHint(o: RuleCheckOptions): string {
  return o.file !== undefined
    ? 'check the factor on that date: one value for every name is usually a placeholder (0 for missing); leave missing cells empty, or drop the date from the file (a rebalance then uses the latest date before it)'
    : 'the prices give every name the same momentum on that date: check them';
}

/** The warning for ties at the `--top` cutoff, or undefined when there were none. */
export function tieWarning(ties: TieTally, top: number, rebalances: number): string | undefined {
  if (ties.count === 0 || ties.first === undefined) return undefined;
  const f = ties.first;
  return `on ${ties.count} of ${plural(rebalances, 'rebalance')} the --top ${top} cutoff fell among names with equal factor values (the first ${formatIsoDate(f.date)}: ${f.tied} names at ${formatNumber(f.value, 6)} for ${plural(f.places, 'place')}): the rule took them in their column order in --prices, not by the factor; a factor with finer values, or another --top, avoids it`;
}

/** Rebalances of industry-neutral on which some industries with candidates hold no name. */
export interface UncoveredTally {
  count: number;
  /** Σ over those rebalances of the benchmark weight share of the industries left out. */
  share: number;
  /** The first such rebalance: its date and the industries left out. */
  first?: { date: number; industries: string[] };
}

/**
 * Industry-neutral, watched for industries that hold no name on a rebalance: an industry whose
 * tradable names with a factor value are fewer than the quantiles need, or have no two different
 * values (a one-name industry always), has an empty quantile, and the rule scales the other
 * industries up to fill the book. Counts those rebalances and the share of the benchmark's
 * industry weight, b_g (`industryWeights`, else the industry's share of the candidates), they
 * leave out: Σ_{g left out} b_g / Σ_{g with candidates} b_g.
 */
export function countingUncovered(
  rule: Rule,
  codes: Int32Array,
  names: readonly string[],
  industryWeights: Float64Array | undefined,
  tally: UncoveredTally,
): Rule {
  const candidates = new Float64Array(names.length),
    held = new Uint8Array(names.length);
  return (ctx: RuleContext) => {
    const target = rule(ctx);
    const c = contextCandidates(ctx);
    candidates.fill(0);
    held.fill(0);
    for (let i = 0; i < c.count; i++) {
      const g = codes[c.assets[i]];
      if (g >= 0) candidates[g]++;
    }
    const w = target instanceof Float64Array ? target : isKeepAndBuy(target) ? undefined : target;
    if (w === undefined) return target;
    if (w instanceof Float64Array) {
      for (let j = 0; j < w.length; j++) if (w[j] !== 0 && codes[j] >= 0) held[codes[j]] = 1;
    } else for (let i = 0; i < w.assets.length; i++) if (w.weights[i] !== 0 && codes[w.assets[i]] >= 0) held[codes[w.assets[i]]] = 1;
    let all = 0,
      out = 0;
    const left: string[] = [];
    for (let g = 0; g < names.length; g++) {
      if (candidates[g] === 0) continue;
      const b = industryWeights === undefined ? candidates[g] : industryWeights[g];
      all += b;
      if (held[g] === 0) {
        out += b;
        left.push(names[g]);
      }
    }
    if (left.length > 0 && all > 0 && left.length < names.length) {
      tally.count++;
      tally.share += out / all;
      tally.first ??= { date: ctx.date, industries: left };
    }
    return target;
  };
}

/** The warning for industries left out of industry-neutral rebalances, or undefined when none was. */
export function uncoveredWarning(tally: UncoveredTally, quantiles: number, rebalances: number): string | undefined {
  if (tally.count === 0 || tally.first === undefined) return undefined;
  const f = tally.first;
  return `industry-neutral: on ${tally.count} of ${plural(rebalances, 'rebalance')} some industries held no name (too few names for --quantiles ${quantiles}, or no two different factor values among them: a one-name industry always), ${formatNumber(100 * (tally.share / tally.count), 3)}% of the benchmark's industry weight on average (the first ${formatIsoDate(f.date)}: ${f.industries.slice(0, 5).join(', ')}${f.industries.length > 5 ? ', ...' : ''}); the other industries were scaled up to fill the book, so it is not neutral to them: fewer --quantiles, or coarser industries`;
}
