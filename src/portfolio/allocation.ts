/**
 * Whole shares for target weights: the orders a long-only portfolio of capital V becomes
 * (PyPortfolioOpt's `DiscreteAllocation`). With w_i the target weights (w ≥ 0, Σw ≤ 1: the rest is
 * cash), p_i the price of one lot of asset i (its share price × the lot size) and q_i whole lots:
 *
 *   minimise  Σ_i |w_i·V − q_i·p_i|   subject to  Σ_i q_i·p_i ≤ V,  q_i ∈ {0, 1, 2, ...}
 *
 * (the budget met to {@link BUDGET_ROUNDING} of V: rounding in the prices is not an overrun)
 *
 * the money by which the holdings miss their targets, buying nothing on margin. Solved exactly as
 * a MILP by HiGHS (`method: 'milp'`, the default: u_i ≥ ±(w_i·V − q_i·p_i), minimise Σu), started
 * from the greedy allocation; `'greedy'` is PyPortfolioOpt's `greedy_portfolio`: each name's
 * whole lots below its target (largest weights first), then one lot at a time of the name furthest
 * below its target weight that the cash left still buys, until no name it can buy is below its
 * target (without PyPortfolioOpt's stop after ten names it cannot afford).
 *
 * PyPortfolioOpt's `lp_portfolio` minimises Σu + r (r the cash left), which is 2·Σ_i max(0,
 * w_i·V − q_i·p_i) when Σw = 1: only shortfalls count there, so lots above a target cost nothing and
 * its optimum is not unique; the objective here counts both sides, so it is.
 *
 * Reported: the lots and shares, their value, the weights they reach (value / V), the cash left, the
 * deviation Σ|w·V − q·p| (in money and / V), PyPortfolioOpt's RMSE √(mean_i (w_i − q_i·p_i/V)²)
 * over the names with a target, and for the MILP HiGHS's status, its proven lower bound and gap.
 */
import type { Highs, ModelData, VariableType } from 'highs';
import { InputError } from '../core/errors.js';
import { highsGetter, type HighsSource } from './highs.js';

export type AllocationMethod = 'milp' | 'greedy';

export interface AllocationInput {
  assets: readonly string[];
  /** Target weights, fractions of `capital` (≥ 0; Σ ≤ 1, the rest cash). */
  weights: ArrayLike<number>;
  /** Price of one share, per asset (> 0 where the weight is > 0; ignored elsewhere). */
  prices: ArrayLike<number>;
  /** The portfolio's value V (> 0). */
  capital: number;
  /** Shares per lot: one number, or one per asset (default 1). */
  lotSize?: number | ArrayLike<number>;
}

export interface AllocationOptions {
  /** Default 'milp' (needs `highs`); 'greedy' needs none. */
  method?: AllocationMethod;
  /** HiGHS (a runtime or a loader), for the MILP. */
  highs?: HighsSource;
  /** Time limit of the MILP in seconds (default 20); at the limit its best allocation is returned with its gap. */
  timeLimit?: number;
}

export interface Allocation {
  assets: readonly string[];
  weights: Float64Array;
  prices: Float64Array;
  lots: Float64Array;
  shares: Float64Array;
  /** shares × price. */
  values: Float64Array;
  /** values / capital. */
  achieved: Float64Array;
  capital: number;
  invested: number;
  cash: number;
  /** Σ|w·V − q·p|, in money. */
  deviation: number;
  /** deviation / capital. */
  deviationShare: number;
  /** √(mean (w − achieved)²) over the names with a target weight > 0 (PyPortfolioOpt's RMSE). */
  rmse: number;
  method: AllocationMethod;
  /** The MILP's: HiGHS's model status in words, its proven lower bound on the deviation and the relative gap (0: optimal). Null for greedy. */
  milp: { status: string; lowerBound: number; gap: number } | null;
  /** Names with a target weight whose allocation is 0 lots (a lot costs more than helps). */
  unfilled: string[];
}

function checkInput(input: AllocationInput): { w: Float64Array; p: Float64Array; lot: Float64Array } {
  const { assets, weights, prices, capital } = input;
  const n = assets.length;
  if (!(Number.isFinite(capital) && capital > 0))
    throw new InputError(`the capital must be a positive number, got ${capital}`, {
      options: ['capital'],
      hint: 'give the portfolio value, e.g. 1000000',
    });
  if (weights.length !== n) throw new InputError(`weights have ${weights.length} values for ${n} assets`, { options: ['weights'] });
  if (prices.length !== n) throw new InputError(`prices have ${prices.length} values for ${n} assets`, { options: ['prices'] });
  const lotOf = (i: number): number =>
    input.lotSize === undefined ? 1 : typeof input.lotSize === 'number' ? input.lotSize : input.lotSize[i];
  if (typeof input.lotSize !== 'number' && input.lotSize !== undefined && input.lotSize.length !== n)
    throw new InputError(`lot sizes have ${input.lotSize.length} values for ${n} assets`, { options: ['lotSize'] });
  const w = new Float64Array(n),
    p = new Float64Array(n),
    lot = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[i];
    if (!Number.isFinite(wi)) throw new InputError(`the weight of ${assets[i]} is not a finite number (${wi})`, { asset: assets[i] });
    if (wi < 0)
      throw new InputError(`the weight of ${assets[i]} is negative (${wi}): whole shares are allocated to long-only weights`, {
        asset: assets[i],
        hint: 'allocate the long and the short legs separately, each as positive weights of its own capital',
      });
    const l = lotOf(i);
    if (!(Number.isInteger(l) && l >= 1))
      throw new InputError(`the lot size of ${assets[i]} must be a whole number >= 1, got ${l}`, {
        asset: assets[i],
        options: ['lotSize'],
      });
    w[i] = wi;
    lot[i] = l;
    sum += wi;
    if (wi > 0) {
      const pi = prices[i];
      if (!(Number.isFinite(pi) && pi > 0))
        throw new InputError(`${assets[i]} has a target weight of ${wi} and no positive price (${pi})`, {
          asset: assets[i],
          hint: 'give a price for every name with a weight, or set its weight to 0',
        });
      p[i] = pi * l;
    }
  }
  if (sum > 1 + 1e-9)
    throw new InputError(`the weights sum to ${+sum.toPrecision(10)}, more than the capital: whole shares are bought without margin`, {
      hint:
        sum > 1.5 && sum < 150
          ? 'they look like percent: divide them by 100 (weights are fractions of the capital, summing to 1 or less)'
          : 'give weights that sum to 1 or less (the rest stays cash), or a larger capital for a levered book',
    });
  return { w, p, lot };
}

/** A budget met to this share of the capital is met: prices such as 5.000000000000002 make 20 lots cost 200.00000000000004 of 200. */
export const BUDGET_ROUNDING = 1e-12;

/** PyPortfolioOpt's greedy_portfolio on lots (module doc): lots q, deterministic (ties by input order). */
export function greedyLots(w: Float64Array, p: Float64Array, capital: number): Float64Array {
  const n = w.length;
  const q = new Float64Array(n);
  let cash = capital;
  const slack = capital * BUDGET_ROUNDING;
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => w[i] > 0);
  order.sort((a, b) => w[b] - w[a] || a - b);
  for (const i of order) {
    const k = Math.min(Math.floor((w[i] * capital) / p[i]), Math.floor((cash + slack) / p[i]));
    if (k > 0) {
      q[i] = k;
      cash -= k * p[i];
    }
  }
  for (;;) {
    let best = -1,
      deficit = 0;
    for (const i of order) {
      if (p[i] > cash + slack) continue;
      const d = w[i] - (q[i] * p[i]) / capital;
      if (d > deficit) {
        deficit = d;
        best = i;
      }
    }
    if (best < 0) break;
    q[best]++;
    cash -= p[best];
  }
  return q;
}

/** Σ|w·V − q·p|. */
function deviationOf(w: Float64Array, p: Float64Array, q: ArrayLike<number>, capital: number): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.abs(w[i] * capital - q[i] * p[i]);
  return s;
}

/** The MILP of the module doc over the names with a target (columns q then u), started from `start`. */
function milpLots(
  highs: Highs,
  w: Float64Array,
  p: Float64Array,
  capital: number,
  start: Float64Array,
  timeLimit: number,
): { q: Float64Array; status: string; lowerBound: number; gap: number } {
  const idx: number[] = [];
  for (let i = 0; i < w.length; i++) if (w[i] > 0) idx.push(i);
  const k = idx.length;
  const nc = 2 * k;
  const colCost = new Float64Array(nc),
    colLower = new Float64Array(nc),
    colUpper = new Float64Array(nc).fill(Infinity);
  const integrality = new Array<VariableType>(nc).fill(0);
  idx.forEach((i, c) => {
    colCost[k + c] = 1;
    colUpper[c] = Math.floor(capital / p[i]);
    integrality[c] = 1;
  });
  // rows: u_c + p·q_c ≥ wV;  u_c − p·q_c ≥ −wV;  Σ p·q ≤ V
  const starts: number[] = [0],
    indices: number[] = [],
    values: number[] = [],
    rowLower: number[] = [],
    rowUpper: number[] = [];
  idx.forEach((i, c) => {
    const target = w[i] * capital;
    indices.push(c, k + c);
    values.push(p[i], 1);
    starts.push(indices.length);
    rowLower.push(target);
    rowUpper.push(Infinity);
    indices.push(c, k + c);
    values.push(-p[i], 1);
    starts.push(indices.length);
    rowLower.push(-target);
    rowUpper.push(Infinity);
  });
  idx.forEach((i, c) => {
    indices.push(c);
    values.push(p[i]);
  });
  starts.push(indices.length);
  rowLower.push(-Infinity);
  rowUpper.push(capital);
  const nr = rowLower.length;
  const data: ModelData = {
    numCols: nc,
    numRows: nr,
    colCost,
    colLower,
    colUpper,
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csr',
      numRows: nr,
      numCols: nc,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    integrality,
  };
  const h = highs.createModel(data);
  try {
    h.options.set({ output_flag: false, time_limit: timeLimit, mip_rel_gap: 0, mip_abs_gap: 1e-9 * capital });
    const x0 = new Float64Array(nc);
    idx.forEach((i, c) => {
      x0[c] = start[i];
      x0[k + c] = Math.abs(w[i] * capital - start[i] * p[i]);
    });
    try {
      h.setSolution({ colValue: x0 });
    } catch {
      // a start HiGHS refuses is only a start
    }
    h.run();
    const ms = h.getModelStatus();
    const K = highs.constants.modelStatus;
    const status = ms === K.optimal ? 'optimal' : ms === K.timeLimit ? 'time-limit' : ms === K.infeasible ? 'infeasible' : `status ${ms}`;
    const sol = h.getSolution();
    const q = new Float64Array(w.length);
    idx.forEach((i, c) => (q[i] = Math.max(0, Math.round(sol.colValue[c]))));
    const bound = Number(h.info.get('mip_dual_bound'));
    const gap = status === 'optimal' ? 0 : Number(h.info.get('mip_gap'));
    return { q, status, lowerBound: Number.isFinite(bound) ? Math.max(0, bound) : 0, gap };
  } finally {
    h.dispose();
  }
}

/** Whole lots for the target weights (module doc). */
export async function allocateShares(input: AllocationInput, options: AllocationOptions = {}): Promise<Allocation> {
  const { w, p, lot } = checkInput(input);
  const method = options.method ?? 'milp';
  if (method !== 'milp' && method !== 'greedy')
    throw new InputError(`unknown allocation method ${String(method)}`, { hint: "use 'milp' or 'greedy'" });
  const timeLimit = options.timeLimit ?? 20;
  if (!(timeLimit > 0)) throw new InputError(`the time limit must be > 0 seconds, got ${timeLimit}`, { options: ['timeLimit'] });
  const capital = input.capital;
  const greedy = greedyLots(w, p, capital);
  let q = greedy,
    milp: Allocation['milp'] = null;
  if (method === 'milp' && w.some((v) => v > 0)) {
    const get = highsGetter(options.highs);
    if (get === null)
      throw new InputError('the MILP allocation needs HiGHS, and none was given', {
        options: ['highs'],
        hint: "pass options.highs (Node: loadHighs from 'factorlab/io'), or method 'greedy'",
      });
    const r = milpLots(await get(), w, p, capital, greedy, timeLimit);
    // the MILP's allocation, checked on the original numbers: HiGHS meets its rows to ~1e-7, so a
    // budget overrun beyond rounding (1e-12 of the capital) sheds the lot furthest above its target
    // until it fits; the greedy allocation is kept if it is no worse
    let spent = 0;
    for (let i = 0; i < w.length; i++) spent += r.q[i] * p[i];
    while (spent > capital * (1 + BUDGET_ROUNDING)) {
      let shed = -1,
        excess = -Infinity;
      for (let i = 0; i < w.length; i++)
        if (r.q[i] > 0 && r.q[i] * p[i] - w[i] * capital > excess) {
          excess = r.q[i] * p[i] - w[i] * capital;
          shed = i;
        }
      r.q[shed]--;
      spent -= p[shed];
    }
    if (deviationOf(w, p, r.q, capital) <= deviationOf(w, p, greedy, capital)) q = r.q;
    milp = { status: r.status, lowerBound: r.lowerBound, gap: r.gap };
  }
  const n = w.length;
  const shares = new Float64Array(n),
    values = new Float64Array(n),
    achieved = new Float64Array(n),
    prices = new Float64Array(n);
  let invested = 0,
    sq = 0,
    held = 0;
  const unfilled: string[] = [];
  for (let i = 0; i < n; i++) {
    prices[i] = w[i] > 0 ? p[i] / lot[i] : Number(input.prices[i]);
    shares[i] = q[i] * lot[i];
    values[i] = q[i] * p[i];
    achieved[i] = values[i] / capital;
    invested += values[i];
    if (w[i] > 0) {
      held++;
      sq += (w[i] - achieved[i]) ** 2;
      if (q[i] === 0) unfilled.push(input.assets[i]);
    }
  }
  const deviation = deviationOf(w, p, q, capital);
  return {
    assets: input.assets,
    weights: w,
    prices,
    lots: q,
    shares,
    values,
    achieved,
    capital,
    invested,
    cash: capital - invested,
    deviation,
    deviationShare: deviation / capital,
    rmse: held > 0 ? Math.sqrt(sq / held) : 0,
    method,
    milp,
    unfilled,
  };
}
