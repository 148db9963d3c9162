/**
 * Turns an {@link OptimizeSpec} into the engine's QP, keeping a human label for every constraint
 * row (the infeasibility diagnosis speaks in these words).
 *
 * Variables: x = (w, t) with w the n weights and, when trades are priced or capped (a turnover cap
 * or a linear cost), t the n absolute trades, t_i ≥ |w_i − w0_i| through the two rows
 * t_i − w_i ≥ −w0_i and t_i + w_i ≥ w0_i (the standard L1 lift; at the optimum t_i = |Δw_i| for
 * every name whose trade is priced or capped).
 *
 * P = γ·(D + L·Lᵀ) + κ·I on w (L = B·F^½, riskModel.ts), 0 on t: factor form, never n × n.
 * q = −γ·Σb − α − κ·w0 on w, c on t.
 * Rows: budget (dense), bounds (one entry), exposures (dense), the return floor μᵀw ≥ r (dense),
 * groups (dense), turnover pairs (two entries), turnover cap Σt ≤ T (dense).
 */
import { InputError } from '../core/errors.js';
import type { ConstraintRow, QpProblem } from './qp/problem.js';
import type { RiskModel } from './riskModel.js';
import { covarianceTimes, riskLoadings } from './riskModel.js';
import type { OptimizeSpec } from './spec.js';

export type RowKind = 'budget' | 'bound' | 'exposure' | 'return' | 'group' | 'turnover-pair' | 'turnover';

export interface RowLabel {
  kind: RowKind;
  /** Asset index (bounds, turnover pairs). */
  asset?: number;
  /** The asset's name (bounds), the factor's or the group's. */
  name?: string;
  /** Words for the lower and upper side: "weight of XOM ≥ 1%". */
  lowerText: string;
  upperText: string;
  /** Exposure and group rows: absolute or active (then the row's bounds include `shift`, the
   * benchmark's exposure or group weight; the user's bounds are lower − shift, upper − shift). */
  relative?: 'absolute' | 'active';
  shift?: number;
  /** The bounds as the user gave them (before the shift). */
  given?: [number, number];
}

export interface BuiltProblem {
  problem: QpProblem;
  labels: RowLabel[];
  n: number;
  /** Whether t variables exist (x has 2n entries). */
  trades: boolean;
  current: Float64Array;
  benchmark: Float64Array | null;
  loadings: { loadings: Float64Array; rank: number };
}

const pct = (v: number): string => `${+(v * 100).toPrecision(6)}%`;
const num = (v: number): string => `${+v.toPrecision(6)}`;

function perAsset(
  v: number | ArrayLike<number> | undefined,
  n: number,
  fill: number,
  what: string,
  assets: readonly string[],
): Float64Array {
  if (v === undefined) return new Float64Array(n).fill(fill);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new InputError(`${what} is not a number`);
    return new Float64Array(n).fill(v);
  }
  if (v.length !== n)
    throw new InputError(`${what} has ${v.length} values for ${n} assets`, {
      hint: 'give one value per asset of the risk model, in its order',
    });
  const out = Float64Array.from(v);
  for (let i = 0; i < n; i++) if (Number.isNaN(out[i])) throw new InputError(`${what} is not a number`, { asset: assets[i] });
  return out;
}

export function vectorOf(v: ArrayLike<number> | undefined, n: number, what: string, assets: readonly string[]): Float64Array | null {
  if (v === undefined) return null;
  if (v.length !== n)
    throw new InputError(`${what} has ${v.length} values for ${n} assets`, {
      hint: 'give one value per asset of the risk model, in its order',
    });
  const out = Float64Array.from(v);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(out[i])) throw new InputError(`${what} is not a finite number (${out[i]})`, { asset: assets[i] });
  return out;
}

export interface BuildOptions {
  /** Override γ (the tracking-error cap's bisection). */
  riskAversion?: number;
  /** Per-asset bound overrides (the cardinality heuristic's support). */
  lower?: Float64Array;
  upper?: Float64Array;
  /** Leave the turnover cap out (the minimum-turnover LP puts it back as the objective). */
  withoutTurnoverCap?: boolean;
}

export function buildProblem(spec: OptimizeSpec, options: BuildOptions = {}): BuiltProblem {
  const m: RiskModel = spec.riskModel;
  const n = m.assets.length,
    k = m.factors.length,
    assets = m.assets;
  const c = spec.constraints ?? {};
  const gamma = options.riskAversion ?? spec.riskAversion ?? 1;
  if (!(gamma >= 0)) throw new InputError(`riskAversion must be >= 0, got ${gamma}`, { options: ['riskAversion'] });
  const kappa = spec.tradePenalty ?? 0;
  if (!(kappa >= 0)) throw new InputError(`tradePenalty must be >= 0, got ${kappa}`, { options: ['tradePenalty'] });
  const benchmark = vectorOf(spec.benchmark, n, 'benchmark weight', assets);
  const current = vectorOf(spec.current, n, 'current weight', assets) ?? new Float64Array(n);
  const alpha = vectorOf(spec.alpha, n, 'alpha', assets);
  const cost = spec.linearCost === undefined ? null : perAsset(spec.linearCost, n, 0, 'linear cost', assets);
  if (cost && cost.some((v) => v < 0)) throw new InputError('linear cost must be >= 0', { options: ['linearCost'] });
  const turnover = c.turnover;
  if (turnover !== undefined && !(turnover >= 0))
    throw new InputError(`turnover cap must be >= 0, got ${turnover}`, { options: ['turnover'] });
  const trades = turnover !== undefined || (cost !== null && cost.some((v) => v > 0));
  const nv = trades ? 2 * n : n;

  // Objective.
  const loadings = riskLoadings(m);
  const r = loadings.rank;
  const diag = new Float64Array(nv);
  const lw = new Float64Array(nv * r);
  const sg = Math.sqrt(gamma);
  for (let i = 0; i < n; i++) {
    diag[i] = gamma * m.specificVariance[i] + kappa;
    for (let j = 0; j < r; j++) lw[i * r + j] = sg * loadings.loadings[i * r + j];
  }
  const q = new Float64Array(nv);
  if (benchmark) {
    const sb = covarianceTimes(m, benchmark);
    for (let i = 0; i < n; i++) q[i] -= gamma * sb[i];
  }
  if (alpha) for (let i = 0; i < n; i++) q[i] -= alpha[i];
  if (kappa > 0) for (let i = 0; i < n; i++) q[i] -= kappa * current[i];
  if (trades && cost) for (let i = 0; i < n; i++) q[n + i] = cost[i];

  const rows: ConstraintRow[] = [];
  const lo: number[] = [],
    hi: number[] = [];
  const labels: RowLabel[] = [];
  const add = (row: ConstraintRow, l: number, u: number, label: RowLabel): void => {
    rows.push(row);
    lo.push(l);
    hi.push(u);
    labels.push(label);
  };
  const widen = (v: Float64Array): Float64Array => {
    if (nv === n) return v;
    const o = new Float64Array(nv);
    o.set(v);
    return o;
  };

  // Budget.
  const budget = c.budget === undefined ? 1 : c.budget;
  if (budget !== null) {
    if (!Number.isFinite(budget)) throw new InputError(`budget must be a finite number, got ${budget}`, { options: ['budget'] });
    add({ dense: widen(new Float64Array(n).fill(1)) }, budget, budget, {
      kind: 'budget',
      lowerText: `weights sum to ${pct(budget)}`,
      upperText: `weights sum to ${pct(budget)}`,
    });
  }
  // Bounds.
  const longOnly = c.longOnly ?? true;
  const lower = options.lower ?? perAsset(c.minWeight, n, longOnly ? 0 : -Infinity, 'minimum weight', assets);
  const upper = options.upper ?? perAsset(c.maxWeight, n, Infinity, 'maximum weight', assets);
  if (longOnly && !options.lower) for (let i = 0; i < n; i++) lower[i] = Math.max(lower[i], 0);
  for (let i = 0; i < n; i++) {
    if (lower[i] > upper[i])
      throw new InputError(`minimum weight ${pct(lower[i])} is above the maximum weight ${pct(upper[i])}`, {
        asset: assets[i],
        hint: 'check the per-name bounds',
      });
    if (lower[i] === -Infinity && upper[i] === Infinity) continue;
    add({ index: [i], values: [1] }, lower[i], upper[i], {
      kind: 'bound',
      asset: i,
      name: assets[i],
      lowerText: `weight of ${assets[i]} ≥ ${pct(lower[i])}`,
      upperText: `weight of ${assets[i]} ≤ ${pct(upper[i])}`,
    });
  }
  // Exposures.
  for (const e of c.exposures ?? []) {
    const f = m.factors.indexOf(e.factor);
    if (f < 0)
      throw new InputError(`no factor ${JSON.stringify(e.factor)} in the risk model; its factors are ${m.factors.join(', ')}`, {
        hint: 'name one of the risk model factors in the exposure constraint',
      });
    const active = (e.relative ?? 'absolute') === 'active';
    if (active && !benchmark)
      throw new InputError(`the active exposure constraint on ${e.factor} needs a benchmark`, {
        hint: 'give a benchmark, or make the constraint absolute',
      });
    let l = e.equal ?? e.min ?? -Infinity,
      u = e.equal ?? e.max ?? Infinity;
    const given: [number, number] = [l, u];
    if (!(l <= u))
      throw new InputError(`exposure constraint on ${e.factor}: min ${l} is above max ${u}`, { hint: 'give the band as min <= max' });
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) row[i] = m.exposures[i * k + f];
    let shift = 0;
    if (active && benchmark) for (let i = 0; i < n; i++) shift += row[i] * benchmark[i];
    l += shift;
    u += shift;
    const word = active ? `active exposure to ${e.factor}` : `exposure to ${e.factor}`;
    add({ dense: widen(row) }, l, u, {
      kind: 'exposure',
      name: e.factor,
      lowerText: `${word} ≥ ${num(l - shift)}`,
      upperText: `${word} ≤ ${num(u - shift)}`,
      relative: active ? 'active' : 'absolute',
      shift,
      given,
    });
  }
  // Return floor (efficient_return).
  if (c.returnFloor !== undefined) {
    const { min } = c.returnFloor;
    if (!Number.isFinite(min)) throw new InputError(`the return floor must be a finite number, got ${min}`, { options: ['returnFloor'] });
    const mu = vectorOf(c.returnFloor.expected, n, 'expected return', assets) as Float64Array;
    add({ dense: widen(mu) }, min, Infinity, {
      kind: 'return',
      name: 'expected return',
      lowerText: `expected return ≥ ${num(min)}`,
      upperText: 'expected return ≤ ∞',
    });
  }
  // Groups.
  if (c.groups) {
    const { labels: g, bands = [], neutral = false } = c.groups;
    if (g.length !== n)
      throw new InputError(`group labels have ${g.length} values for ${n} assets`, { hint: 'give one group per asset of the risk model' });
    const names = [...new Set(g.filter((x): x is string => x !== null))].sort();
    const constrained = new Set<string>();
    const groupRow = (name: string, l0: number, u0: number, active: boolean): void => {
      const members: number[] = [];
      for (let i = 0; i < n; i++) if (g[i] === name) members.push(i);
      if (members.length === 0)
        throw new InputError(`group ${JSON.stringify(name)} has no assets; the groups are ${names.join(', ')}`, {
          hint: 'name a group that appears in the groups file',
        });
      let shift = 0;
      if (active && benchmark) for (const i of members) shift += benchmark[i];
      const word = active ? `active weight of group ${name}` : `weight of group ${name}`;
      add({ index: members, values: members.map(() => 1) }, l0 + shift, u0 + shift, {
        kind: 'group',
        name,
        lowerText: `${word} ≥ ${pct(l0)} (${members.length} name${members.length === 1 ? '' : 's'})`,
        upperText: `${word} ≤ ${pct(u0)} (${members.length} name${members.length === 1 ? '' : 's'})`,
        relative: active ? 'active' : 'absolute',
        shift,
        given: [l0, u0],
      });
    };
    for (const b of bands) {
      const active = (b.relative ?? 'absolute') === 'active';
      if (active && !benchmark)
        throw new InputError(`the active constraint on group ${b.group} needs a benchmark`, {
          hint: 'give a benchmark, or make the band absolute',
        });
      const l = b.equal ?? b.min ?? -Infinity,
        u = b.equal ?? b.max ?? Infinity;
      if (!(l <= u)) throw new InputError(`group band on ${b.group}: min ${l} is above max ${u}`, { hint: 'give the band as min <= max' });
      constrained.add(b.group);
      groupRow(b.group, l, u, active);
    }
    if (neutral) {
      if (!benchmark) throw new InputError('group neutrality needs a benchmark', { hint: 'give a benchmark, or give group bands instead' });
      // Every asset in a group and every group at the benchmark's weight: the weights sum to the
      // benchmark's sum, so a benchmark holding cash (or summing above the budget) conflicts with
      // the budget. Said so; the diagnosis named only the budget and every group's "= 0%" row.
      if (budget !== null && bands.length === 0 && g.every((x) => x !== null)) {
        let sb = 0;
        for (let i = 0; i < n; i++) sb += benchmark[i];
        if (Math.abs(sb - budget) > 1e-9 * Math.max(1, Math.abs(budget))) {
          const num10 = (v: number): string => String(+v.toPrecision(10));
          throw new InputError(
            `group neutrality holds every group at the benchmark's weight and every asset is in a group, so the weights would sum to the benchmark's sum, ${num10(sb)}; the budget is ${num10(budget)}: no portfolio meets both (the benchmark's ${num10(Math.abs(budget - sb))} ${sb < budget ? 'of cash has no group to go to' : 'above the budget cannot be held'})`,
            {
              hint: `give a benchmark whose weights sum to the budget (rescale it by ${num10(budget / sb)}), a budget equal to its sum, or group bands instead of neutrality`,
            },
          );
        }
      }
      for (const name of names) if (!constrained.has(name)) groupRow(name, 0, 0, true);
    }
  }
  // Turnover.
  if (trades) {
    for (let i = 0; i < n; i++) {
      add({ index: [i, n + i], values: [-1, 1] }, -current[i], Infinity, {
        kind: 'turnover-pair',
        asset: i,
        lowerText: `trade of ${assets[i]} measured`,
        upperText: `trade of ${assets[i]} measured`,
      });
      add({ index: [i, n + i], values: [1, 1] }, current[i], Infinity, {
        kind: 'turnover-pair',
        asset: i,
        lowerText: `trade of ${assets[i]} measured`,
        upperText: `trade of ${assets[i]} measured`,
      });
    }
    if (turnover !== undefined && !options.withoutTurnoverCap) {
      const row = new Float64Array(nv);
      for (let i = 0; i < n; i++) row[n + i] = 1;
      add({ dense: row }, -Infinity, turnover, { kind: 'turnover', lowerText: '', upperText: `turnover Σ|Δw| ≤ ${pct(turnover)}` });
    }
  }
  return {
    problem: {
      hessian: { kind: 'factor', n: nv, diagonal: diag, rank: r, loadings: lw },
      q,
      rows,
      lower: Float64Array.from(lo),
      upper: Float64Array.from(hi),
    },
    labels,
    n,
    trades,
    current,
    benchmark,
    loadings,
  };
}
