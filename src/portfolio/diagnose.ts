/**
 * Why a portfolio problem has no solution, in words. The linear constraints (budget, bounds,
 * exposures, groups, turnover) are handed to HiGHS as an LP:
 *
 * - with a turnover cap, the LP  min Σ_i t_i  over every other constraint gives the minimum
 *   turnover any feasible portfolio needs; a cap below it is the conflict, and the message quotes
 *   that minimum;
 * - otherwise (or when the other constraints already conflict) HiGHS's irreducible infeasible
 *   subset (IIS: a set of constraints that cannot all hold, every proper subset of which can) is
 *   translated back to the constraints' labels ("weight of group Energy ≥ 5% (2 names)", "weight of
 *   XOM ≤ 2%").
 *
 * Without HiGHS (a pure caller that injected none), {@link diagnoseFromCertificate} reads the QP
 * engine's primal infeasibility certificate instead: δy with Aᵀδy ≈ 0 and uᵀδy⁺ + lᵀδy⁻ < 0 is a
 * Farkas certificate, so the rows with δy_i ≠ 0 (their upper side where δy_i > 0, lower where
 * δy_i < 0) cannot all hold. That set is a conflict but not necessarily irreducible.
 *
 * A tracking-error cap is not linear; optimize.ts reports the smallest tracking error the linear
 * constraints allow when the cap is below it.
 */
import { InputError } from '../core/errors.js';
import type { BuiltProblem, RowLabel } from './build.js';
import type { HighsRuntime } from './highs.js';
import { lpModel, solveLp } from './highs.js';

export interface InfeasibilityDiagnosis {
  /** The conflicting constraints, in words. */
  conflicts: string[];
  /** With a turnover cap: the minimum Σ|Δw| a portfolio meeting the other constraints needs. */
  minimumTurnover?: number;
  /** With a tracking-error cap: the smallest annualised tracking error the other constraints allow. */
  minimumTrackingError?: number;
  message: string;
  /**
   * The names whose own bounds are in the conflicting set, every one of them (the words list a
   * few when many share a bound): e.g. the names fixed at 0 that keep a sector from its floor.
   */
  assets?: string[];
}

/** A problem without a solution: exit code 2 in the CLI, with the diagnosis as the message. */
export class InfeasibleError extends InputError {
  readonly diagnosis: InfeasibilityDiagnosis;
  constructor(diagnosis: InfeasibilityDiagnosis, hint: string) {
    super(diagnosis.message, { hint });
    this.name = 'InfeasibleError';
    this.diagnosis = diagnosis;
  }
}

const pct = (v: number): string => `${+(v * 100).toPrecision(4)}%`;

function sideText(label: RowLabel, bound: number, lower: number, upper: number, boxedSide: 'lower' | 'upper' | 'both'): string {
  // HiGHS IIS bound codes: 1 free, 2 lower, 3 upper, 4 boxed.
  if (lower === upper) return label.lowerText.replace('≥', '=');
  if (bound === 2) return label.lowerText;
  if (bound === 3) return label.upperText;
  if (boxedSide === 'lower') return label.lowerText;
  if (boxedSide === 'upper') return label.upperText;
  return `${label.lowerText} and ${label.upperText}`;
}

/** Labels of an IIS, bounds on many names summarised. */
function describeIis(
  built: BuiltProblem,
  iis: { rows: { row: number; bound: number }[]; cols: { col: number; bound: number }[] },
  rowOf: number[],
  colBoundRow: number[],
): { conflicts: string[]; assets: string[] } {
  const out: string[] = [];
  const assets: string[] = [];
  const p = built.problem;
  // bound 1 ("free"): in HiGHS's IIS without either of its bounds (a column whose bounds are not
  // part of the conflict): not a constraint to name
  for (const { row, bound } of iis.rows) {
    const r = rowOf[row];
    if (r < 0 || bound === 1) continue;
    out.push(sideText(built.labels[r], bound, p.lower[r], p.upper[r], 'both'));
  }
  const bySide = new Map<string, string[]>();
  for (const { col, bound } of iis.cols) {
    if (bound === 1) continue;
    const r = col < colBoundRow.length ? colBoundRow[col] : -1;
    if (r < 0) {
      if (col >= built.n && col < 2 * built.n && built.trades)
        bySide.set('trade', [...(bySide.get('trade') ?? []), 'trades are non-negative']);
      continue;
    }
    const label = built.labels[r];
    if (label.kind === 'bound' && label.name !== undefined) assets.push(label.name);
    const text = sideText(label, bound, p.lower[r], p.upper[r], 'both');
    const key = text.replace(/^weight of \S+ /, 'weight of NAME ');
    bySide.set(key, [...(bySide.get(key) ?? []), text]);
  }
  for (const [key, texts] of bySide) {
    if (key === 'trade') continue;
    if (texts.length <= 4) out.push(...texts);
    else {
      const names = texts.map((t) => t.split(' ')[2]);
      out.push(`${key.replace('weight of NAME', `weight of each of ${texts.length} names`)} (${names.slice(0, 4).join(', ')}, ...)`);
    }
  }
  return { conflicts: out, assets };
}

export function diagnoseInfeasibility(built: BuiltProblem, highs: HighsRuntime, turnoverCap: number | undefined): InfeasibilityDiagnosis {
  if (turnoverCap !== undefined && built.trades) {
    // Minimum turnover over every other constraint: drop the cap row, minimise Σt.
    const capRow = built.labels.findIndex((l) => l.kind === 'turnover');
    const withoutCap: BuiltProblem = {
      ...built,
      problem: {
        ...built.problem,
        rows: built.problem.rows.filter((_, r) => r !== capRow),
        lower: built.problem.lower.filter((_, r) => r !== capRow),
        upper: built.problem.upper.filter((_, r) => r !== capRow),
      },
      labels: built.labels.filter((_, r) => r !== capRow),
    };
    const cost = new Float64Array(2 * built.n);
    for (let i = built.n; i < 2 * built.n; i++) cost[i] = 1;
    const model = lpModel(withoutCap, { cost });
    const sol = solveLp(highs, model);
    if (sol.status === 'optimal') {
      const minimumTurnover = sol.objective;
      if (minimumTurnover > turnoverCap + 1e-9) {
        const conflicts = [
          `turnover Σ|Δw| ≤ ${pct(turnoverCap)}`,
          `every portfolio meeting the other constraints trades at least ${pct(minimumTurnover)}`,
        ];
        return {
          conflicts,
          minimumTurnover,
          message: `infeasible: the turnover cap ${pct(turnoverCap)} is below the minimum turnover ${pct(minimumTurnover)} that any portfolio meeting the other constraints needs (turnover = Σ|w − w0|, two-way)`,
        };
      }
    } else if (sol.status === 'infeasible' && sol.iis) {
      const { conflicts, assets } = describeIis(withoutCap, sol.iis, model.rowOf, model.colBoundRow);
      return {
        conflicts,
        assets,
        message: `infeasible even without the turnover cap: these constraints cannot all hold: ${conflicts.join('; ')}`,
      };
    }
  }
  const model = lpModel(built);
  const sol = solveLp(highs, model);
  if (sol.status === 'infeasible' && sol.iis && (sol.iis.rows.length > 0 || sol.iis.cols.length > 0)) {
    const { conflicts, assets } = describeIis(built, sol.iis, model.rowOf, model.colBoundRow);
    return { conflicts, assets, message: `infeasible: these constraints cannot all hold: ${conflicts.join('; ')}` };
  }
  if (sol.status === 'infeasible')
    return {
      conflicts: ['the linear constraints'],
      message: 'infeasible: the linear constraints cannot all hold (HiGHS found no smaller conflicting set)',
    };
  return {
    conflicts: [],
    message: `the QP engine reported the constraints infeasible but HiGHS finds them feasible (status ${sol.modelStatus}); the problem is badly scaled`,
  };
}

/**
 * A conflicting set from the QP engine's Farkas certificate δy (normalised to ‖δy‖∞ = 1): the rows
 * with |δy_i| > 1e-6, on the side δy_i pushes against. Bounds on many names are summarised.
 */
export function diagnoseFromCertificate(built: BuiltProblem, certificate: ArrayLike<number>): InfeasibilityDiagnosis {
  const rows: { row: number; bound: number }[] = [];
  const cols: { col: number; bound: number }[] = [];
  const rowOf: number[] = [],
    colBoundRow: number[] = new Array<number>(built.problem.hessian.n).fill(-1);
  let mx = 0;
  for (let i = 0; i < certificate.length; i++) mx = Math.max(mx, Math.abs(certificate[i]));
  for (let i = 0; i < certificate.length; i++) {
    const v = certificate[i];
    if (!(Math.abs(v) > 1e-6 * mx)) continue;
    const label = built.labels[i];
    // IIS bound codes: 2 lower, 3 upper.
    const bound = v > 0 ? 3 : 2;
    if (label.kind === 'bound' && label.asset !== undefined) {
      colBoundRow[label.asset] = i;
      cols.push({ col: label.asset, bound });
    } else if (label.kind === 'turnover-pair') continue;
    else {
      rowOf.push(i);
      rows.push({ row: rowOf.length - 1, bound });
    }
  }
  const { conflicts, assets } = describeIis(built, { rows, cols }, rowOf, colBoundRow);
  return {
    conflicts,
    assets,
    message: `infeasible: these constraints cannot all hold (from the QP engine's certificate; give a HiGHS runtime for the smallest conflicting set${built.trades ? ' and the minimum turnover' : ''}): ${conflicts.join('; ')}`,
  };
}
