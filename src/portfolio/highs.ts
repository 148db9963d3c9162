/**
 * HiGHS (the `highs` package: HiGHS compiled to WebAssembly, MIT) for what linear programming does
 * well here: the minimum turnover any feasible portfolio needs (an LP), irreducible infeasible
 * subsets of the linear constraints (the diagnosis), the support of an at-most-K-names portfolio
 * (a MILP), and a cross-check of the QP engine in tests. The runtime loads once, lazily; pass your
 * own instance (`highs` option) to control where the `.wasm` comes from (a browser).
 */
import highsModule from 'highs';
import type { Highs, ModelData, VariableType } from 'highs';
import type { BuiltProblem } from './build.js';

export type HighsRuntime = Highs;

// The package's types describe its CommonJS build (module.exports with `default`); under ESM the
// `import` condition resolves to highs.mjs whose default export is the loader itself.
type Loader = typeof highsModule.default;
const loadHighs: Loader = typeof highsModule === 'function' ? (highsModule as unknown as Loader) : highsModule.default;

let runtime: Promise<Highs> | null = null;

/** The HiGHS runtime, loaded on first use. */
export function highsRuntime(): Promise<Highs> {
  if (runtime === null) runtime = loadHighs();
  return runtime;
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

export function lpModel(built: BuiltProblem, extras: LpExtras = {}): LpModel {
  const p = built.problem;
  const nv = p.hessian.n;
  const ne = extras.extraCols?.length ?? 0;
  const nc = nv + ne;
  const colLower = new Float64Array(nc).fill(-Infinity), colUpper = new Float64Array(nc).fill(Infinity);
  const colBoundRow = new Array<number>(nv).fill(-1);
  if (built.trades) for (let i = built.n; i < nv; i++) colLower[i] = 0;
  const starts: number[] = [0], indices: number[] = [], values: number[] = [], rowLower: number[] = [], rowUpper: number[] = [], rowOf: number[] = [];
  p.rows.forEach((row, r) => {
    if (!('dense' in row) && row.index.length === 1 && built.labels[r].kind === 'bound') {
      const j = row.index[0], v = row.values[0];
      colLower[j] = Math.max(colLower[j], p.lower[r] / v);
      colUpper[j] = Math.min(colUpper[j], p.upper[r] / v);
      colBoundRow[j] = r;
      return;
    }
    if ('dense' in row) { for (let j = 0; j < nv; j++) if (row.dense[j] !== 0) { indices.push(j); values.push(row.dense[j]); } }
    else for (let q = 0; q < row.index.length; q++) { indices.push(row.index[q]); values.push(row.values[q]); }
    starts.push(indices.length);
    rowLower.push(p.lower[r]);
    rowUpper.push(p.upper[r]);
    rowOf.push(r);
  });
  for (const er of extras.extraRows ?? []) {
    for (let q = 0; q < er.index.length; q++) { indices.push(er.index[q]); values.push(er.values[q]); }
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
    colCost[nv + e] = c.cost; colLower[nv + e] = c.lower; colUpper[nv + e] = c.upper;
    if (c.integer) { integrality[nv + e] = 1; anyInteger = true; }
  });
  const data: ModelData = {
    numCols: nc, numRows: rowOf.length, colCost, colLower, colUpper, rowLower: Float64Array.from(rowLower), rowUpper: Float64Array.from(rowUpper),
    matrix: { format: 'csr', numRows: rowOf.length, numCols: nc, starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values) },
    ...(anyInteger ? { integrality } : {}),
  };
  return { data, rowOf, colBoundRow };
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

/** Solves an LP/MILP; on infeasibility also asks HiGHS for an IIS. */
export function solveLp(highs: Highs, model: LpModel, options: Record<string, number | string | boolean> = {}): LpSolution {
  const h = highs.createModel(model.data);
  try {
    h.options.set({ output_flag: false, ...options });
    h.run();
    const ms = h.getModelStatus();
    const k = highs.constants.modelStatus;
    const status: LpStatus = ms === k.optimal ? 'optimal' : ms === k.infeasible ? 'infeasible' : ms === k.unbounded ? 'unbounded' : 'other';
    const sol = h.getSolution();
    const out: LpSolution = { status, modelStatus: ms, objective: status === 'optimal' ? h.getObjectiveValue() : NaN, x: Float64Array.from(sol.colValue) };
    if (status === 'infeasible') {
      const iis = h.getIis();
      out.iis = {
        rows: Array.from(iis.rowIndex, (r, q) => ({ row: r, bound: iis.rowBound[q] })),
        cols: Array.from(iis.colIndex, (c, q) => ({ col: c, bound: iis.colBound[q] })),
      };
    }
    return out;
  } finally {
    h.dispose();
  }
}
