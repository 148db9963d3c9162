/**
 * The LP/MILP route (lpModel, then solveLp) checks what it reads with solveQp's checks (one
 * definition, qp/problem.ts): before, a short bound array, a NaN cost, crossed bounds or a row of
 * the wrong length went into HiGHS's model as they were (undefined read as NaN, a cost cut or
 * padded), to an "error" status or a wrong optimum without a word.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { loadHighs } from '../io/highs.js';
import type { BuiltProblem } from './build.js';
import { buildProblem } from './build.js';
import { lpModel, solveLp, type HighsRuntime, type LpExtras } from './highs.js';
import { randomCase } from './testing/randomModel.js';

/** Six names, budget 1, each weight in [0, 0.4]: rows 0 (budget) and 1..6 (bounds). */
function small(): BuiltProblem {
  const { model } = randomCase(6, 2, 7);
  return buildProblem({ riskModel: model, constraints: { maxWeight: 0.4 } });
}

const withProblem = (b: BuiltProblem, change: Partial<BuiltProblem['problem']>): BuiltProblem => ({
  ...b,
  problem: { ...b.problem, ...change },
});

describe('lpModel checks the built problem and the extras as solveQp checks a problem', () => {
  let highs: HighsRuntime;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  it('a valid model still solves: the minimum of the first weight (0), and with an extra column and row (0.3)', () => {
    const b = small();
    const cost = new Float64Array(6);
    cost[0] = 1;
    const sol = solveLp(highs, lpModel(b, { cost }));
    expect(sol.status).toBe('optimal');
    expect(sol.objective).toBeCloseTo(0, 9);
    // with an extra column and row: x0 − y >= 0.3, y in [0, 1] at cost 1: x0 = 0.3 + y, minimum at y = 0, x0 = 0.3
    const extras: LpExtras = {
      cost,
      extraCols: [{ cost: 1, lower: 0, upper: 1 }],
      extraRows: [{ index: [0, 6], values: [1, -1], lower: 0.3, upper: Infinity }],
    };
    const withExtras = solveLp(highs, lpModel(b, extras));
    expect(withExtras.status).toBe('optimal');
    expect(withExtras.objective).toBeCloseTo(0.3, 9);
  });

  const b = small();
  const nRows = b.problem.rows.length;
  const cases: [string, () => unknown, string][] = [
    [
      'a short lower-bound array',
      () => lpModel(withProblem(b, { lower: b.problem.lower.slice(0, nRows - 1) })),
      `QP dimensions do not match: ${nRows} constraint rows but lower has ${nRows - 1} and upper ${nRows} values`,
    ],
    [
      'a NaN row bound',
      () => lpModel(withProblem(b, { upper: Float64Array.from(b.problem.upper, (u, r) => (r === 2 ? NaN : u)) })),
      'QP row 2: lower bound 0, upper bound NaN: each must be a number',
    ],
    [
      'a row whose lower bound is above its upper',
      () => lpModel(withProblem(b, { lower: Float64Array.from(b.problem.lower, (l, r) => (r === 3 ? 0.5 : l)) })),
      'QP row 3: lower bound 0.5 above upper bound 0.4',
    ],
    [
      'a dense row of the wrong length',
      () => lpModel(withProblem(b, { rows: [{ dense: new Float64Array(5).fill(1) }, ...b.problem.rows.slice(1)] })),
      'QP rows[0].dense has 5 values, expected 6 (one coefficient per variable)',
    ],
    ['a NaN cost', () => lpModel(b, { cost: Float64Array.from([1, 0, NaN, 0, 0, 0]) }), 'LP cost[2] is NaN, expected a finite number'],
    [
      'a cost of the wrong length',
      () => lpModel(b, { cost: new Float64Array(5) }),
      'LP cost has 5 values, expected 6 (one value per variable of the built problem)',
    ],
    [
      'an extra column with crossed bounds',
      () =>
        lpModel(b, {
          extraCols: [
            { cost: 0, lower: 0, upper: 1 },
            { cost: 0, lower: 2, upper: 1 },
          ],
        }),
      'LP extraCols[1]: lower bound 2 above upper bound 1',
    ],
    [
      'an extra column with a NaN cost',
      () => lpModel(b, { extraCols: [{ cost: NaN, lower: 0, upper: 1 }] }),
      'LP extraCols[0].cost must be a finite number, got NaN',
    ],
    [
      'an extra row with fewer values than indices',
      () => lpModel(b, { extraRows: [{ index: [0, 1], values: [1], lower: 0, upper: 1 }] }),
      'LP extraRows[0].values has 1 values, expected 2 (one coefficient per index)',
    ],
    [
      'an extra row naming a column past the end',
      () => lpModel(b, { extraCols: [{ cost: 0, lower: 0, upper: 1 }], extraRows: [{ index: [7], values: [1], lower: 0, upper: 1 }] }),
      'LP extraRows[0].index[0] is 7, expected a variable index in 0..6',
    ],
    [
      'an extra row with crossed bounds',
      () =>
        lpModel(b, {
          extraRows: [
            { index: [0], values: [1], lower: 0, upper: 1 },
            { index: [1], values: [1], lower: 1, upper: 0 },
          ],
        }),
      'LP extraRows[1]: lower bound 1 above upper bound 0',
    ],
    [
      'an extra row with a NaN bound',
      () => lpModel(b, { extraRows: [{ index: [0], values: [1], lower: NaN, upper: 1 }] }),
      'LP extraRows[0]: lower bound NaN, upper bound 1: each must be a number',
    ],
  ];
  for (const [what, f, message] of cases)
    it(`${what}: an InputError naming the index`, () => {
      expect(f).toThrow(InputError);
      expect(f).toThrow(message);
    });
});
