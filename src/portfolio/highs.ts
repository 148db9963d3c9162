/**
 * HiGHS (the `highs` package: HiGHS compiled to WebAssembly, MIT) for what linear programming does
 * well here: the minimum turnover any feasible portfolio needs (an LP), irreducible infeasible
 * subsets of the linear constraints (the diagnosis), the support of an at-most-K-names portfolio
 * (a MILP), and a cross-check of the QP engine in tests and the bench.
 *
 * This layer is pure: it imports only the package's types and never loads the WebAssembly. The
 * caller injects a runtime (`OptimizeOptions.highs`): an instance, or a loader called on first need
 * (Node: `loadHighs` from `factorlab/io`; a browser: the package's loader with its own `.wasm`
 * location). Problems that need no LP/MILP never load it.
 */
import type { Highs, ModelData, VariableType } from 'highs';
import type { BuiltProblem } from './build.js';
import type { QpProblem } from './qp/problem.js';
import { checkBoundPair, checkConstraintRow, checkFiniteValues, checkQpProblem } from './qp/problem.js';
import { checkFinite, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';

/** A loaded HiGHS runtime (what the `highs` package's default export resolves to). */
export type HighsRuntime = Highs;

/** A runtime, or a function giving one (called at most once per optimisation, only when needed). */
export type HighsSource = HighsRuntime | (() => HighsRuntime | Promise<HighsRuntime>);

/** A lazy getter over an optional {@link HighsSource}: `null` when none was given. */
export function highsGetter(source: HighsSource | undefined): (() => Promise<HighsRuntime>) | null {
  if (source === undefined) return null;
  let loaded: Promise<HighsRuntime> | null = null;
  return () => (loaded ??= Promise.resolve(typeof source === 'function' ? source() : source));
}

/** An LP/MILP over the built problem's variables: bound rows become column bounds. */
export interface LpModel {
  data: ModelData;
  /** Built-problem row of each LP row. */
  rowOf: number[];
  /** Built-problem bound row of each column (−1: none). */
  colBoundRow: number[];
}

export interface LpExtras {
  /** Extra columns appended after the built variables. */
  extraCols?: { cost: number; lower: number; upper: number; integer?: boolean }[];
  /** Extra rows over all columns (sparse). */
  extraRows?: { index: number[]; values: number[]; lower: number; upper: number }[];
  /** Objective on the built variables (default zero). */
  cost?: ArrayLike<number>;
}

/**
 * The LP/MILP of a built problem with `extras`. Everything is checked before it is read, with
 * solveQp's checks (qp/problem.ts, one definition): the built problem as {@link checkQpProblem}
 * checks it (rows of n values or indices in 0..n−1, one lower and one upper bound per row,
 * ordered, no NaN), `cost` of one finite value per built variable, each extra column's finite cost
 * and ordered bounds, each extra row as a sparse row over all columns with ordered bounds; an
 * {@link InputError} naming the part and the index. A short bound array was read as undefined
 * (NaN in HiGHS's model), a NaN cost or crossed bounds went to HiGHS as they were, and a cost of
 * the wrong length was cut or padded with NaN: an "error" status or a wrong optimum, silently.
 */
export function lpModel(built: BuiltProblem, extras: LpExtras = {}): LpModel {
  const p = built.problem;
  checkQpProblem(p);
  const nv = p.hessian.n;
  checkLpExtras(extras, nv);
  const ne = extras.extraCols?.length ?? 0;
  const nc = nv + ne;
  const colLower = new Float64Array(nc).fill(-Infinity),
    colUpper = new Float64Array(nc).fill(Infinity);
  const colBoundRow = new Array<number>(nv).fill(-1);
  if (built.trades) for (let i = built.n; i < nv; i++) colLower[i] = 0;
  const starts: number[] = [0],
    indices: number[] = [],
    values: number[] = [],
    rowLower: number[] = [],
    rowUpper: number[] = [],
    rowOf: number[] = [];
  p.rows.forEach((row, r) => {
    if (!('dense' in row) && row.index.length === 1 && built.labels[r].kind === 'bound') {
      const j = row.index[0],
        v = row.values[0];
      colLower[j] = Math.max(colLower[j], p.lower[r] / v);
      colUpper[j] = Math.min(colUpper[j], p.upper[r] / v);
      colBoundRow[j] = r;
      return;
    }
    if ('dense' in row) {
      for (let j = 0; j < nv; j++)
        if (row.dense[j] !== 0) {
          indices.push(j);
          values.push(row.dense[j]);
        }
    } else
      for (let q = 0; q < row.index.length; q++) {
        indices.push(row.index[q]);
        values.push(row.values[q]);
      }
    starts.push(indices.length);
    rowLower.push(p.lower[r]);
    rowUpper.push(p.upper[r]);
    rowOf.push(r);
  });
  for (const er of extras.extraRows ?? []) {
    for (let q = 0; q < er.index.length; q++) {
      indices.push(er.index[q]);
      values.push(er.values[q]);
    }
    starts.push(indices.length);
    rowLower.push(er.lower);
    rowUpper.push(er.upper);
    rowOf.push(-1);
  }
  const colCost = new Float64Array(nc);
  if (extras.cost) for (let j = 0; j < nv; j++) colCost[j] = extras.cost[j];
  const integrality: VariableType[] = new Array<VariableType>(nc).fill(0);
  let anyInteger = false;
  (extras.extraCols ?? []).forEach((c, e) => {
    colCost[nv + e] = c.cost;
    colLower[nv + e] = c.lower;
    colUpper[nv + e] = c.upper;
    if (c.integer) {
      integrality[nv + e] = 1;
      anyInteger = true;
    }
  });
  const data: ModelData = {
    numCols: nc,
    numRows: rowOf.length,
    colCost,
    colLower,
    colUpper,
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csr',
      numRows: rowOf.length,
      numCols: nc,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    ...(anyInteger ? { integrality } : {}),
  };
  return { data, rowOf, colBoundRow };
}

/** {@link lpModel}'s checks of the extras over nv built variables (see there). */
function checkLpExtras(extras: LpExtras, nv: number): void {
  if (typeof extras !== 'object' || extras === null)
    throw new InputError(`the LP extras must be { extraCols?, extraRows?, cost? }, got ${describeValue(extras)}`);
  const { extraCols, extraRows, cost } = extras as { extraCols?: unknown; extraRows?: unknown; cost?: unknown };
  if (cost !== undefined) checkFiniteValues('LP cost', cost, nv, 'one value per variable of the built problem');
  if (extraCols !== undefined && !Array.isArray(extraCols))
    throw new InputError(`LP extraCols must be an array of { cost, lower, upper }, got ${describeValue(extraCols)}`);
  if (extraRows !== undefined && !Array.isArray(extraRows))
    throw new InputError(`LP extraRows must be an array of { index, values, lower, upper }, got ${describeValue(extraRows)}`);
  const cols = (extraCols ?? []) as readonly unknown[];
  cols.forEach((c, e) => {
    if (typeof c !== 'object' || c === null)
      throw new InputError(`LP extraCols[${e}] must be { cost, lower, upper }, got ${describeValue(c)}`);
    const { cost: ce, lower, upper } = c as { cost?: unknown; lower?: unknown; upper?: unknown };
    checkFinite(`LP extraCols[${e}].cost`, ce);
    checkBoundPair(`LP extraCols[${e}]`, lower, upper, 'variable');
  });
  const nc = nv + cols.length;
  ((extraRows ?? []) as readonly unknown[]).forEach((r, k) => {
    if (typeof r === 'object' && r !== null && 'dense' in r)
      throw new InputError(`LP extraRows[${k}] must be sparse: { index, values, lower, upper }, got { dense }`);
    checkConstraintRow(`LP extraRows[${k}]`, r, nc);
    const { lower, upper } = r as { lower?: unknown; upper?: unknown };
    checkBoundPair(`LP extraRows[${k}]`, lower, upper);
  });
}

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'other';

export interface LpSolution {
  status: LpStatus;
  modelStatus: number;
  objective: number;
  x: Float64Array;
  /** Present when infeasible and HiGHS found an irreducible infeasible subset. */
  iis?: { rows: { row: number; bound: number }[]; cols: { col: number; bound: number }[] };
}

/**
 * Solves an LP/MILP; on infeasibility also asks HiGHS for an IIS. The model is {@link lpModel}'s,
 * which checked everything it was built from (solveQp's checks): build models with it.
 */
export function solveLp(highs: Highs, model: LpModel, options: Record<string, number | string | boolean> = {}): LpSolution {
  const h = highs.createModel(model.data);
  try {
    h.options.set({ output_flag: false, ...options });
    h.run();
    const ms = h.getModelStatus();
    const k = highs.constants.modelStatus;
    const status: LpStatus = ms === k.optimal ? 'optimal' : ms === k.infeasible ? 'infeasible' : ms === k.unbounded ? 'unbounded' : 'other';
    const sol = h.getSolution();
    const out: LpSolution = {
      status,
      modelStatus: ms,
      objective: status === 'optimal' ? h.getObjectiveValue() : NaN,
      x: Float64Array.from(sol.colValue),
    };
    if (status === 'infeasible') {
      // HiGHS's default (light) IIS search finds only conflicts a single row's bounds show; one
      // that needs the LP (a sector floor against an exposure cap through the budget) comes back
      // empty, and the diagnosis could then name nothing. Then: the LP-based search, reduced to an
      // irreducible set, rows first (strategy 6 = FromLp | Irreducible).
      const iisOf = (): {
        rowIndex: ArrayLike<number>;
        rowBound: ArrayLike<number>;
        colIndex: ArrayLike<number>;
        colBound: ArrayLike<number>;
      } | null => {
        try {
          return h.getIis();
        } catch {
          return null;
        }
      };
      let iis = iisOf();
      if ((iis === null || (iis.rowIndex.length === 0 && iis.colIndex.length === 0)) && options.iis_strategy === undefined) {
        h.options.set({ iis_strategy: highs.constants.iis.strategyRowPriority });
        iis = iisOf() ?? iis;
      }
      if (iis !== null) {
        const found = iis;
        out.iis = {
          rows: Array.from(found.rowIndex, (r, q) => ({ row: r, bound: found.rowBound[q] })),
          cols: Array.from(found.colIndex, (c, q) => ({ col: c, bound: found.colBound[q] })),
        };
      }
    }
    return out;
  } finally {
    h.dispose();
  }
}

/**
 * A {@link QpProblem} as a HiGHS QP, in the form HiGHS's active-set solver handles (measured on the
 * 500-asset tracking-error case, issue 12):
 *
 * - **factor form with auxiliary variables**: P = diag(d) + L·Lᵀ becomes variables (x, f) with
 *   rows f_c = Σ_j L_jc·x_j / s_c and the diagonal Hessian diag(d, s²); never the dense n × n P
 *   (HiGHS stores its Hessian as given, and a dense one costs O(n²) per iteration);
 * - **auxiliary rows scaled** to ∞-norm one (s_c = max_j |L_jc|): with the raw loadings (entries
 *   1e-6…1e-2) HiGHS's QP drifts off those rows and ends in "QP solver claims optimality, but with
 *   primal infeasibilities → Solve error";
 * - **cost scaled** by 1/mean diag(P): daily variances put P near 1e-4 and q near 1e-5, below
 *   HiGHS's dual tolerance, and the active-set solver then cycles at null-space dimension 0 until
 *   its time limit ("Problem has some excessively small costs");
 * - one-entry rows become column bounds.
 *
 * The objective is reported in the problem's own units.
 */
export interface HighsQpModel {
  data: ModelData;
  /** Objective multiplier (HiGHS objective = scale × ours). */
  scale: number;
  n: number;
}

export function highsQpModel(p: QpProblem): HighsQpModel {
  // solveQp's checks (one definition): a row of the wrong length, crossed or NaN bounds or a NaN
  // entry went into HiGHS's model as they were (a short bound array read as "no bound")
  checkQpProblem(p);
  const h = p.hessian,
    n = h.n;
  const r = h.kind === 'factor' ? h.rank : 0;
  const nc = n + r;
  let meanDiag = 0;
  if (h.kind === 'dense') for (let j = 0; j < n; j++) meanDiag += h.matrix[j * n + j];
  else
    for (let j = 0; j < n; j++) {
      let s = h.diagonal[j];
      for (let c = 0; c < r; c++) s += h.loadings[j * r + c] ** 2;
      meanDiag += s;
    }
  meanDiag /= Math.max(n, 1);
  const qn = p.q.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const base = meanDiag > 1e-3 * qn ? meanDiag : qn;
  const scale = base > 0 ? 1 / base : 1;
  const colLower = new Float64Array(nc).fill(-Infinity),
    colUpper = new Float64Array(nc).fill(Infinity);
  const starts: number[] = [0],
    indices: number[] = [],
    values: number[] = [],
    rowLower: number[] = [],
    rowUpper: number[] = [];
  p.rows.forEach((row, i) => {
    if (!('dense' in row) && row.index.length === 1 && row.values[0] !== 0) {
      const j = row.index[0],
        v = row.values[0];
      const lo = (v > 0 ? p.lower[i] : p.upper[i]) / v,
        hi = (v > 0 ? p.upper[i] : p.lower[i]) / v;
      colLower[j] = Math.max(colLower[j], lo);
      colUpper[j] = Math.min(colUpper[j], hi);
      return;
    }
    if ('dense' in row) {
      for (let j = 0; j < n; j++)
        if (row.dense[j] !== 0) {
          indices.push(j);
          values.push(row.dense[j]);
        }
    } else
      for (let q = 0; q < row.index.length; q++) {
        indices.push(row.index[q]);
        values.push(row.values[q]);
      }
    starts.push(indices.length);
    rowLower.push(p.lower[i]);
    rowUpper.push(p.upper[i]);
  });
  const hStarts: number[] = [0],
    hIndex: number[] = [],
    hValues: number[] = [];
  if (h.kind === 'factor') {
    const s = new Float64Array(r);
    for (let c = 0; c < r; c++) {
      for (let j = 0; j < n; j++) s[c] = Math.max(s[c], Math.abs(h.loadings[j * r + c]));
      if (s[c] === 0) s[c] = 1;
      for (let j = 0; j < n; j++) {
        const v = h.loadings[j * r + c];
        if (v !== 0) {
          indices.push(j);
          values.push(v / s[c]);
        }
      }
      indices.push(n + c);
      values.push(-1);
      starts.push(indices.length);
      rowLower.push(0);
      rowUpper.push(0);
    }
    for (let j = 0; j < nc; j++) {
      const d = j < n ? h.diagonal[j] : s[j - n] ** 2;
      if (d !== 0) {
        hIndex.push(j);
        hValues.push(d * scale);
      }
      hStarts.push(hIndex.length);
    }
  } else {
    // Lower triangle, column by column.
    for (let j = 0; j < n; j++) {
      for (let i = j; i < n; i++) {
        const v = h.matrix[i * n + j];
        if (v !== 0) {
          hIndex.push(i);
          hValues.push(v * scale);
        }
      }
      hStarts.push(hIndex.length);
    }
  }
  const colCost = new Float64Array(nc);
  for (let j = 0; j < n; j++) colCost[j] = p.q[j] * scale;
  const numRows = rowLower.length;
  const data: ModelData = {
    numCols: nc,
    numRows,
    colCost,
    colLower,
    colUpper,
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csr',
      numRows,
      numCols: nc,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    hessian: {
      format: 'triangular',
      dimension: nc,
      starts: Int32Array.from(hStarts),
      indices: Int32Array.from(hIndex),
      values: Float64Array.from(hValues),
    },
  };
  return { data, scale, n };
}

export interface HighsQpSolution {
  /** 'optimal', 'time-limit', or HiGHS's model status / error text. */
  status: string;
  x: Float64Array;
  /** ½xᵀPx + qᵀx in the problem's units (NaN unless optimal). */
  objective: number;
  /** HiGHS active-set iterations. */
  iterations: number;
}

/** Solves a QP with HiGHS's active-set QP solver on {@link highsQpModel}'s formulation. */
export function solveQpWithHighs(highs: Highs, p: QpProblem, options: Record<string, number | string | boolean> = {}): HighsQpSolution {
  const { data, scale, n } = highsQpModel(p);
  const h = highs.createModel(data);
  try {
    h.options.set({ output_flag: false, ...options });
    try {
      h.run();
    } catch (e) {
      return { status: `error: ${e instanceof Error ? e.message : String(e)}`, x: new Float64Array(n), objective: NaN, iterations: 0 };
    }
    const ms = h.getModelStatus();
    const k = highs.constants.modelStatus;
    const status = ms === k.optimal ? 'optimal' : ms === k.timeLimit ? 'time-limit' : `model status ${ms}`;
    const x = Float64Array.from(h.getSolution().colValue).subarray(0, n);
    let iterations = 0;
    try {
      iterations = Number(h.info.get('qp_iteration_count'));
    } catch {
      iterations = 0;
    }
    return { status, x: Float64Array.from(x), objective: status === 'optimal' ? h.getObjectiveValue() / scale : NaN, iterations };
  } finally {
    h.dispose();
  }
}
