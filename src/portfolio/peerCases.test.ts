/**
 * The optimiser and the backtest statistics against published cases of peer libraries:
 * PyPortfolioOpt (robertmartin8/PyPortfolioOpt, tests/test_efficient_frontier.py,
 * test_objective_functions.py, test_custom_objectives.py, test_risk_models.py,
 * test_expected_returns.py) and empyrical (quantopian/empyrical, empyrical/tests/test_stats.py,
 * the cases not already in src/backtest/performance.test.ts).
 *
 * How PyPortfolioOpt's problems are written as an OptimizeSpec (Σ and μ annualised, so the risk
 * model has periodsPerYear 1 and the tracking-error cap is an annual volatility):
 * - a full covariance Σ is a risk model with B = I, F = Σ, D = 0;
 * - a linear constraint aᵀw ≥ t (a target return, the max-Sharpe normalisation) is an exposure band
 *   on an extra factor with exposures a and zero variance (it adds nothing to the risk);
 * - min_volatility (wᵀΣw) is riskAversion 2; L2_reg(γ) (γ‖w‖²) is tradePenalty 2γ (about no holdings);
 *   transaction_cost(w_prev, k) (k‖w − w_prev‖₁) is linearCost k with current = w_prev, and then
 *   the L2 term about 0 needs alpha = −κ·w_prev (½κ‖w‖² = ½κ‖w − w0‖² + κw0ᵀw − const);
 * - max_quadratic_utility(δ) (max μᵀw − ½δwᵀΣw) is riskAversion δ with alpha μ;
 * - efficient_return(t) is min wᵀΣw with the exposure band μᵀw ≥ t;
 * - efficient_risk(σ) (max μᵀw s.t. wᵀΣw ≤ σ²) is riskAversion 0, alpha μ and trackingError σ with
 *   no benchmark (the cap is met from below to 1e-12 relative: optimize.ts);
 * - market_neutral is budget 0; weight_bounds (−1, 1) is longOnly false, minWeight −1, maxWeight 1;
 * - add_sector_constraints is groups with bands;
 * - max_sharpe is PyPortfolioOpt's own transform: min yᵀΣy s.t. (μ − rf)ᵀy = 1, y ≥ 0, no budget;
 *   w = y / Σy.
 *
 * PyPortfolioOpt's stock_prices.csv is not copied here. The embedded case is six of its names
 * (AAPL, AMZN, GE, XOM, JPM, SBUX): μ = mean_historical_return and Σ = sample_cov (frequency 252,
 * pct_change without fill, pandas 1.5.3) on the whole file, rounded to 6 significant digits (the
 * numbers below are the problem). Every expected weight vector was computed on these rounded numbers
 * by an independent route: scipy.optimize.minimize SLSQP (ftol 1e-16), then Newton's method
 * (scipy.optimize.fsolve) on the KKT system of the active set SLSQP found (residuals ≤ 1e-16).
 * The same route and factorlab agree on the full 20-asset file to 1e-15 in the weights for every
 * PyPortfolioOpt case above.
 */
import { describe, expect, it } from 'vitest';
import {
  alphaBeta,
  annualReturn,
  annualVolatility,
  calmarRatio,
  downsideDeviation,
  informationRatio,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
} from '../backtest/performance.js';
import type { OptimizeSpec, RiskModel } from './index.js';
import { objectiveOf, optimize, sampleCovariance } from './index.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const close = (a: number, b: number, tol: number): void => {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
};

/** Σ given whole (B = [I | extra], F = blockdiag(Σ, 0), D = 0), annualised (periodsPerYear 1). */
function fullCovarianceModel(
  assets: readonly string[],
  sigma: readonly (readonly number[])[],
  extra: Record<string, readonly number[]> = {},
): RiskModel {
  const n = assets.length;
  const names = Object.keys(extra);
  const k = n + names.length;
  const exposures = new Float64Array(n * k);
  const factorCovariance = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    exposures[i * k + i] = 1;
    names.forEach((f, j) => (exposures[i * k + n + j] = extra[f][i]));
    for (let j = 0; j < n; j++) factorCovariance[i * k + j] = sigma[i][j];
  }
  return { assets, factors: [...assets, ...names], exposures, factorCovariance, specificVariance: new Float64Array(n), periodsPerYear: 1 };
}

const quadForm = (sigma: readonly (readonly number[])[], w: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < w.length; i++) for (let j = 0; j < w.length; j++) s += w[i] * sigma[i][j] * w[j];
  return s;
};
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const sum = (a: ArrayLike<number>): number => dot(a, new Array<number>(a.length).fill(1));

// Six names of PyPortfolioOpt's tests/resources/stock_prices.csv (see the header).
const ASSETS = ['AAPL', 'AMZN', 'GE', 'XOM', 'JPM', 'SBUX'];
const MU = [0.294305, 0.371328, 0.136009, 0.143051, 0.15617, 0.231815];
const SIGMA = [
  [0.207537, 0.0792939, 0.0383477, 0.0203663, 0.0471153, 0.0439449],
  [0.0792939, 0.375394, 0.0522615, 0.0268795, 0.0728535, 0.0659039],
  [0.0383477, 0.0522615, 0.083109, 0.0259812, 0.059512, 0.03807],
  [0.0203663, 0.0268795, 0.0259812, 0.0544038, 0.0302293, 0.0234746],
  [0.0471153, 0.0728535, 0.059512, 0.0302293, 0.146893, 0.04953],
  [0.0439449, 0.0659039, 0.03807, 0.0234746, 0.04953, 0.152589],
];
const N = ASSETS.length;
const model = fullCovarianceModel(ASSETS, SIGMA);
const withMu = fullCovarianceModel(ASSETS, SIGMA, { mu: MU });
const SHORT = { longOnly: false, minWeight: -1, maxWeight: 1 } as const;
// Sector bands in the manner of test_min_volatility_sector_constraints (binding ones for six names).
const SECTORS = {
  labels: ['tech', 'tech', 'utility', 'energy', 'fig', 'retail'],
  bands: [
    { group: 'tech', max: 0.3 },
    { group: 'fig', min: 0.1 },
    { group: 'energy', max: 0.15 },
  ],
};

interface Case {
  name: string;
  spec: OptimizeSpec;
  /** SLSQP + KKT-Newton weights (see the header). */
  expected: number[];
  /** PyPortfolioOpt's objective at the expected weights, and what objectiveOf adds to it. */
  peerObjective: number;
  offset?: number;
}

// Expected weights: scipy SLSQP + active-set KKT Newton on (MU, SIGMA) above.
const CASES: Case[] = [
  {
    // test_min_volatility: min wᵀΣw, long-only, Σw = 1
    name: 'min_volatility',
    spec: { riskModel: model, riskAversion: 2 },
    expected: [0.0773272965342412, 0.00140081664426542, 0.23027038210635545, 0.577778762232638, 0.0128406527369427, 0.10038208974555715],
    peerObjective: 0.0417731785944504,
  },
  {
    // test_custom_bounds / test_max_sharpe_long_weight_bounds: weight_bounds (0.05, 0.3)
    name: 'min_volatility with bounds (0.05, 0.3)',
    spec: { riskModel: model, riskAversion: 2, constraints: { minWeight: 0.05, maxWeight: 0.3 } },
    expected: [0.11000859552960217, 0.05, 0.3, 0.3, 0.0777260625183248, 0.16226534195207315],
    peerObjective: 0.04796661115213348,
  },
  {
    // test_min_volatility_L2_reg: + L2_reg(gamma=1) = ‖w‖²
    name: 'min_volatility + L2_reg(1)',
    spec: { riskModel: model, riskAversion: 2, tradePenalty: 2 },
    expected: [0.15981069691583435, 0.13008736729574416, 0.180153936225949, 0.1982269214631575, 0.16328475974105325, 0.16843631835826173],
    peerObjective: 0.22933322987332447,
  },
  {
    // test_min_volatility_tx_costs_L2_reg: + transaction_cost(w_prev = 1/n, k = 0.001) + L2_reg(1)
    name: 'min_volatility + transaction_cost + L2_reg',
    spec: {
      riskModel: model,
      riskAversion: 2,
      tradePenalty: 2,
      current: new Array<number>(N).fill(1 / N),
      alpha: new Array<number>(N).fill(-2 / N),
      linearCost: 0.001,
    },
    expected: [0.16025624900059754, 0.13047991238710344, 0.17969972843701146, 0.19778529311866708, 0.16377206220267146, 0.168006754853949],
    peerObjective: 0.22942553882578143,
    offset: 1 / N, // ‖w0‖²
  },
  {
    // test_min_volatility_sector_constraints: weight_bounds (None, None) = (−1, 1) and sector bands
    name: 'min_volatility, (−1, 1), sector bands',
    spec: { riskModel: model, riskAversion: 2, constraints: { ...SHORT, groups: SECTORS } },
    expected: [0.12197475322438076, 0.00677700292065237, 0.4421320730481654, 0.15, 0.1, 0.1791161708068016],
    peerObjective: 0.05432914070428392,
  },
  {
    // test_max_quadratic_utility: risk_aversion 2, long-only
    name: 'max_quadratic_utility(2)',
    spec: { riskModel: model, riskAversion: 2, alpha: MU },
    expected: [0.33614393146080235, 0.25384291042461543, 0, 0.16488302861211243, 0, 0.24513012950246985],
    peerObjective: -0.17993139783156978,
  },
  {
    // test_max_quadratic_utility_market_neutral: (−1, 1), Σw = 0, risk_aversion 1
    name: 'max_quadratic_utility, market neutral',
    spec: { riskModel: model, riskAversion: 1, alpha: MU, constraints: { ...SHORT, budget: 0 } },
    expected: [0.5872817426896816, 0.5524052139135083, -0.8095056927353234, -0.521370190613397, -0.20338612238178402, 0.3945750491273145],
    peerObjective: -0.12649324696738573,
  },
  {
    // test_max_quadratic_utility_L2_reg: L2_reg(gamma=5), risk_aversion 1
    name: 'max_quadratic_utility + L2_reg(5)',
    spec: { riskModel: model, riskAversion: 1, alpha: MU, tradePenalty: 10 },
    expected: [0.17310828073305115, 0.17668993759984442, 0.15977910564162937, 0.16240797314847688, 0.1599970113708916, 0.1680176915061066],
    peerObjective: 0.6428074629538704,
  },
  {
    // test_efficient_return: target return 0.25, long-only
    name: 'efficient_return(0.25)',
    spec: { riskModel: withMu, riskAversion: 2, constraints: { exposures: [{ factor: 'mu', min: 0.25 }] } },
    expected: [0.28057602209223675, 0.19665082788012764, 0, 0.3017387969287561, 0, 0.22103435309887948],
    peerObjective: 0.07296283474944287,
  },
  {
    // test_efficient_return_market_neutral: (−1, 1), Σw = 0
    name: 'efficient_return(0.25), market neutral',
    spec: { riskModel: withMu, riskAversion: 2, constraints: { ...SHORT, budget: 0, exposures: [{ factor: 'mu', min: 0.25 }] } },
    expected: [0.5803489087060739, 0.5458840957493337, -0.7999495152338464, -0.5152154394730494, -0.20098515855378418, 0.3899171088052723],
    peerObjective: 0.24704876148888252,
  },
  {
    // test_custom_tracking_error (ex-post TE to AAPL, AAPL excluded): here the ex-ante
    // (w − b)ᵀΣ(w − b) to SBUX with SBUX's weight capped at 0 (ex-post TE² = (T − 1)·that on sample_cov)
    name: 'minimum tracking error to an excluded name',
    spec: { riskModel: model, riskAversion: 2, benchmark: [0, 0, 0, 0, 0, 1], constraints: { maxWeight: [1, 1, 1, 1, 1, 0] } },
    expected: [0.1170443595474658, 0.09038032496733757, 0.27756196484458173, 0.35942522979934255, 0.15558812084127244, 0],
    peerObjective: -0.025002995996705746,
    offset: SIGMA[5][5], // SLSQP dropped the constant bᵀΣb
  },
];

describe('PyPortfolioOpt test_efficient_frontier.py cases on six of its names', () => {
  for (const c of CASES) {
    it(`${c.name}: weights to 1e-9, objective to 1e-12 of the SLSQP/KKT optimum`, async () => {
      const r = await optimize(c.spec);
      expect(r.data.solver.status).toBe('solved');
      expect(maxAbsDiff(r.weights, c.expected)).toBeLessThan(1e-9);
      const f = objectiveOf(c.spec, r.weights);
      expect(Math.abs(f - objectiveOf(c.spec, c.expected))).toBeLessThan(1e-12);
      // the objective is PyPortfolioOpt's (up to the stated constant)
      close(f, c.peerObjective + (c.offset ?? 0), 1e-12);
    });
  }

  it('efficient_return: the return target binds (μᵀw = 0.25), the constraint row reports it', async () => {
    const r = await optimize(CASES[8].spec);
    close(dot(r.weights, MU), 0.25, 1e-12);
    const row = r.data.constraints.find((c) => c.kind === 'exposure' && c.name === 'mu');
    expect(row?.atBound).toBe('min');
  });

  it('efficient_return through the return floor (constraints.returnFloor, the CLI --min-return): the same weights as the μ-exposure route, long-only and market neutral', async () => {
    for (const i of [8, 9]) {
      const c = CASES[i];
      const { exposures: _e, ...rest } = c.spec.constraints ?? {};
      const spec: OptimizeSpec = { riskModel: model, riskAversion: 2, constraints: { ...rest, returnFloor: { expected: MU, min: 0.25 } } };
      const r = await optimize(spec);
      expect(r.data.solver.status).toBe('solved');
      expect(maxAbsDiff(r.weights, c.expected), c.name).toBeLessThan(1e-9);
      const row = r.data.constraints.find((x) => x.kind === 'return');
      expect(row).toMatchObject({ min: 0.25, max: null, atBound: 'min' });
      close(row?.value ?? NaN, 0.25, 1e-12);
    }
  });

  // test_efficient_risk / test_efficient_risk_short: max μᵀw s.t. √(wᵀΣw) ≤ 0.24. factorlab meets the
  // cap by a safeguarded secant on γ to 1e-12 relative (from below).
  const effRisk: [string, OptimizeSpec, number[]][] = [
    [
      'efficient_risk(0.24)',
      { riskModel: model, riskAversion: 0, alpha: MU, constraints: { trackingError: 0.24 } },
      [0.22300987420684998, 0.13774010616427335, 0.00568418461090167, 0.4382451781827201, 0, 0.19532065683525496],
    ],
    [
      'efficient_risk(0.24), (−1, 1)',
      { riskModel: model, riskAversion: 0, alpha: MU, constraints: { ...SHORT, trackingError: 0.24 } },
      [0.22421812574321923, 0.1395683332428428, 0.0277969288866272, 0.4473737214198645, -0.03803025639337077, 0.19907314710081717],
    ],
    [
      // test_efficient_risk_sector_constraints_auto
      'efficient_risk(0.24) with sector bands',
      { riskModel: model, riskAversion: 0, alpha: MU, constraints: { groups: SECTORS, trackingError: 0.24 } },
      [0.18281815535221296, 0.06937735286958423, 0.2888665391137516, 0.15, 0.1, 0.20893795266445123],
    ],
  ];
  for (const [name, spec, expected] of effRisk) {
    it(`${name}: volatility within [0.24·(1 − 1e-12), 0.24], weights to 1e-9, return to 1e-12`, async () => {
      const r = await optimize(spec);
      const vol = Math.sqrt(quadForm(SIGMA, r.weights));
      expect(vol).toBeLessThanOrEqual(0.24 * (1 + 1e-12));
      expect(vol).toBeGreaterThanOrEqual(0.24 * (1 - 1e-12));
      close(r.data.risk.volatility, vol, 1e-12);
      expect(r.data.trackingErrorCap?.binding).toBe(true);
      expect(maxAbsDiff(r.weights, expected)).toBeLessThan(1e-9);
      const ret = dot(r.weights, MU),
        best = dot(expected, MU);
      expect(ret).toBeLessThanOrEqual(best + 1e-12);
      expect(best - ret).toBeLessThan(1e-12);
    });
  }

  it('max_sharpe (rf 0.02) through its own transform: budget free, (μ − rf)ᵀy = 1, w = y / Σy', async () => {
    const excess = MU.map((m) => m - 0.02);
    const r = await optimize({
      riskModel: fullCovarianceModel(ASSETS, SIGMA, { excess }),
      riskAversion: 2,
      constraints: { budget: null, exposures: [{ factor: 'excess', equal: 1 }] },
    });
    const s = sum(r.weights);
    const w = Array.from(r.weights, (y) => y / s);
    expect(maxAbsDiff(w, [0.24076132574835787, 0.15567240300040794, 0, 0.3997966673858694, 0, 0.20376960386536486])).toBeLessThan(1e-9);
    const sharpe = (v: ArrayLike<number>): number => (dot(v, MU) - 0.02) / Math.sqrt(quadForm(SIGMA, v));
    // the tangency portfolio beats min volatility and quadratic utility on Sharpe (test_min_volatility_vs_max_sharpe)
    for (const c of [CASES[0], CASES[5]]) expect(sharpe(w)).toBeGreaterThan(sharpe(c.expected));
    close(sharpe(w), (0.23309094782197148 - 0.02) / 0.2483688552890307, 1e-9);
  });

  it('max_sharpe unconstrained equals the closed-form tangency Σ⁻¹(μ − rf) / 1ᵀΣ⁻¹(μ − rf)', async () => {
    const excess = MU.map((m) => m - 0.02);
    const r = await optimize({
      riskModel: fullCovarianceModel(ASSETS, SIGMA, { excess }),
      riskAversion: 2,
      constraints: { budget: null, longOnly: false, exposures: [{ factor: 'excess', equal: 1 }] },
    });
    const s = sum(r.weights);
    // numpy.linalg.solve(SIGMA, MU − 0.02), normalised
    const tangency = [
      0.2494570241692495, 0.16330838519834795, -0.00699221994791419, 0.42496742419191746, -0.04677093622541931, 0.2160303226138186,
    ];
    expect(
      maxAbsDiff(
        Array.from(r.weights, (y) => y / s),
        tangency,
      ),
    ).toBeLessThan(1e-9);
  });
});

describe('PyPortfolioOpt cases with their own published numbers', () => {
  it('test_efficient_return_longshort_target: 9 assets, diagonal Σ, market neutral (−1, 1), target 0.08', async () => {
    const mu = [-0.15, -0.12, -0.1, -0.05, -0.01, 0.02, 0.03, 0.04, 0.05];
    const d = [0.2, 0.2, 0.4, 0.3, 0.1, 0.5, 0.2, 0.3, 0.1];
    const sigma = d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));
    const names = mu.map((_, i) => `A${i}`);
    const r = await optimize({
      riskModel: fullCovarianceModel(names, sigma, { mu }),
      riskAversion: 2,
      constraints: { ...SHORT, budget: 0, exposures: [{ factor: 'mu', min: 0.08 }] },
    });
    const w = r.weights;
    const ret = dot(w, mu),
      vol = Math.sqrt(quadForm(sigma, w));
    // published portfolio_performance(risk_free_rate=0.02), asserted there to atol 1e-6
    close(ret, 0.08, 1e-12);
    close(vol, 0.16649041068958137, 1e-12);
    close((ret - 0.02) / vol, 0.3603811159542937, 1e-12);
    close(sum(w), 0, 1e-12);
    // SLSQP + KKT on the same problem
    const expected = [
      -0.2207142410407155, -0.16874100944399276, -0.06704609418975546, -0.03164675714553756, 0.04365501282131465, 0.029520295202952032,
      0.09112514853962099, 0.07229970604790793, 0.2515479392082057,
    ];
    expect(maxAbsDiff(w, expected)).toBeLessThan(1e-9);
  });

  it('test_min_volatility_vs_max_sharpe (issue #75): 4 ETFs, min-vol volatility below max-Sharpe volatility', async () => {
    const names = ['AGG', 'SPY', 'GLD', 'HYG'];
    const mu = [0.043622, 0.120588, 0.072331, 0.056586];
    const sigma = [
      [0.000859, -0.000941, 0.001494, -0.000062],
      [-0.000941, 0.0224, -0.002184, 0.005747],
      [0.001494, -0.002184, 0.011518, -0.000129],
      [-0.000062, 0.005747, -0.000129, 0.002287],
    ];
    const minVol = await optimize({ riskModel: fullCovarianceModel(names, sigma), riskAversion: 2 });
    // SLSQP + KKT
    expect(maxAbsDiff(minVol.weights, [0.7183486238532111, 0, 0, 0.28165137614678903])).toBeLessThan(1e-9);
    close(minVol.data.risk.volatility, 0.024486712367502654, 1e-10);
    const ms = await optimize({
      riskModel: fullCovarianceModel(names, sigma, { mu }),
      riskAversion: 2,
      constraints: { budget: null, exposures: [{ factor: 'mu', equal: 1 }] }, // risk_free_rate 0
    });
    const s = sum(ms.weights);
    const w = Array.from(ms.weights, (y) => y / s);
    expect(maxAbsDiff(w, [0.7138927014275024, 0.03530346488383489, 0, 0.25080383368866266])).toBeLessThan(1e-9);
    const volMs = Math.sqrt(quadForm(sigma, w));
    close(volMs, 0.025331723886253394, 1e-10);
    expect(minVol.data.risk.volatility).toBeLessThan(volMs);
  });
});

describe('PyPortfolioOpt test_objective_functions.py: the objective terms through objectiveOf', () => {
  const three = fullCovarianceModel(
    ['a', 'b', 'c'],
    [
      [0.5, 0, 0],
      [0, 0.8, 0],
      [0, 0, 0.9],
    ],
  );
  it('test_volatility_dummy: portfolio_variance = 0.244 (riskAversion 2)', () => {
    close(objectiveOf({ riskModel: three, riskAversion: 2 }, [0.4, 0.4, 0.2]), 0.244, 1e-15);
  });
  it('test_transaction_costs: k·‖w − w_prev‖₁ = 0.1 · 0.6', () => {
    const f = objectiveOf({ riskModel: three, riskAversion: 0, linearCost: 0.1, current: [0.1, 0.2, 0.3] }, [-0.3, 0.1, 0.2]);
    close(f, 0.06, 1e-15);
  });
  it('test_L2_reg_dummy: gamma·‖w‖² with gamma 2 is tradePenalty 4', () => {
    const four = fullCovarianceModel(
      ['a', 'b', 'c', 'd'],
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ],
    );
    close(objectiveOf({ riskModel: four, riskAversion: 0, tradePenalty: 4 }, [0.1, 0.2, 0.3, 0.4]), 2 * 0.3, 1e-15);
  });
  it("test_ex_ante_tracking_error_dummy: PyPortfolioOpt's 0.2 is the squared TE; factorlab reports √0.2", async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const eye = names.map((_, i) => names.map((_, j) => (i === j ? 1 : 0)));
    const m = fullCovarianceModel(names, eye);
    const bm = new Array<number>(5).fill(0.2);
    const w = [0.4, 0.4, 0, 0, 0];
    close(objectiveOf({ riskModel: m, riskAversion: 2, benchmark: bm }, w), 0.2, 1e-15);
    // the weights pinned by their bounds: the result's tracking error is the square root (P = 1)
    const r = await optimize({ riskModel: m, benchmark: bm, constraints: { budget: null, minWeight: w, maxWeight: w } });
    close(r.data.risk.trackingError, Math.sqrt(0.2), 1e-12);
  });
});

describe('PyPortfolioOpt test_risk_models.py / test_expected_returns.py dummies', () => {
  const prices = [
    [4.0, 2.0, 0.6, -12],
    [4.2, 2.1, 0.59, -13.2],
    [3.9, 2.0, 0.58, -11.3],
    [4.3, 2.1, 0.62, -11.7],
    [4.1, 2.2, 0.63, -10.1],
  ];
  const returns = prices.slice(1).map((row, t) => row.map((p, j) => p / prices[t][j] - 1));
  it('test_sample_cov_dummy: sample_cov / 252 equals the sample covariance (ddof 1) of the returns', () => {
    const x = returns.flatMap((row) => row.slice(0, 3));
    const s = sampleCovariance(x, 4, 3).matrix;
    const published = [
      [0.006661687937656102, 0.00264970955585574, 0.0020849735375206195],
      [0.00264970955585574, 0.0023450491307634215, 0.00096770864287974],
      [0.0020849735375206195, 0.00096770864287974, 0.0016396416271856837],
    ];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) close(s[a * 3 + b], published[a][b], 1e-12);
  });
  it('test_mean_historical_returns_dummy: mean_historical_return (frequency 1) is the compounded annual return', () => {
    const published = [0.0061922, 0.0241137, 0.0122722, -0.0421775]; // asserted there to rtol 1e-3
    const numpy = [0.006192246325635864, 0.02411368908444511, 0.012272234429039353, -0.0421775061970725]; // (1 + R).prod() ** (1/4) − 1
    for (let j = 0; j < 4; j++) {
      const a = annualReturn(
        returns.map((row) => row[j]),
        1,
      );
      expect(Math.abs(a - published[j])).toBeLessThanOrEqual(1e-3 * Math.abs(published[j]));
      close(a, numpy[j], 1e-14);
    }
  });
});

// empyrical test_stats.py fixtures (DECIMAL_PLACES = 8 there); the cases performance.test.ts lacks.
describe('empyrical test_stats.py: cases not in performance.test.ts', () => {
  const pct = (a: number[]): number[] => a.map((x) => x / 100);
  const mixed = pct([1, 10, -4, 2, 3, 2, 1, -10]); // mixed_returns without its leading NaN
  const simpleBenchmark = pct([0, 1, 0, 1, 0, 1, 0, 1, 0]);
  const positive = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
  const negative = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
  const allNegative = pct([-2, -6, -7, -1, -9, -2, -6, -8, -5]);
  const weekly = pct([0, 1, 10, -4, 2, 3, 2, 1, -10]);
  const flatLine1 = new Array<number>(9).fill(0.01);
  const flatLine1Tz = new Array<number>(1000).fill(0.01);
  const oneReturn = [0.01];
  const one = [-0.00171614, 0.01322056, 0.03063862, -0.01422057, -0.00489779, 0.01268925, -0.03357711, 0.01797036];
  const two = [0.01846232, 0.00793951, -0.01448395, 0.00422537, -0.00339611, 0.03756813, 0.0151531, 0.03549769];
  const e8 = 1e-10;

  it('test_annual_volatility: a flat line has none', () => {
    expect(annualVolatility(flatLine1Tz, 252)).toBeLessThan(1e-8);
  });

  it('test_sharpe_ratio: empty / one return NaN, flat line +∞, a return series as the risk-free rate', () => {
    expect(sharpeRatio([], 252)).toBeNaN();
    expect(sharpeRatio(oneReturn, 252)).toBeNaN();
    expect(sharpeRatio(flatLine1, 252)).toBe(Infinity);
    // risk_free = simple_benchmark (a series, aligned on dates: its first row drops with mixed's NaN):
    // mean(r − rf) / std(r − rf) · √252 is informationRatio against that series
    close(informationRatio(mixed, simpleBenchmark.slice(1), 252), 0.34111411441060574, e8);
    expect(informationRatio(mixed, mixed, 252)).toBeNaN();
  });

  it('test_downside_risk: the remaining required-return / frequency cases and the two-column frame', () => {
    expect(downsideDeviation([], 252)).toBeNaN();
    expect(downsideDeviation(oneReturn, 252)).toBe(0);
    close(downsideDeviation(weekly, 52, 0.1), 0.7733045971672482, e8);
    close(downsideDeviation(weekly, 12, 0), 0.1243650540411842, e8);
    // required_return = mixed itself: nothing below it
    expect(
      downsideDeviation(
        mixed.map((x, i) => x - mixed[i]),
        252,
      ),
    ).toBe(0);
    close(downsideDeviation(one, 252), 0.20671788246185202, e8);
    close(downsideDeviation(two, 252), 0.083495680595704475, e8);
    close(downsideDeviation(one, 52), 0.093902996054410062, e8);
    close(downsideDeviation(two, 52), 0.037928477556776516, e8);
    close(downsideDeviation(one, 12), 0.045109540184877193, e8);
    close(downsideDeviation(two, 12), 0.018220251263412916, e8);
  });

  it('test_sortino: simple_benchmark +∞, empty / one return NaN, the two-column frame', () => {
    expect(sortinoRatio(simpleBenchmark, 252)).toBe(Infinity);
    expect(sortinoRatio([], 252)).toBeNaN();
    expect(sortinoRatio(oneReturn, 252)).toBeNaN();
    expect(sortinoRatio(new Array<number>(8).fill(0), 252)).toBeNaN(); // mixed against itself
    close(sortinoRatio(one, 252), 3.0639640966566306, e8);
    close(sortinoRatio(two, 252), 38.090963117002495, e8);
    close(sortinoRatio(one, 52), 1.3918264112070571, e8);
    close(sortinoRatio(two, 52), 17.303077589064618, e8);
    close(sortinoRatio(one, 12), 0.6686117809312383, e8);
    close(sortinoRatio(two, 12), 8.3121296084492844, e8);
  });

  it('test_excess_sharpe: empty and one return are NaN', () => {
    expect(informationRatio([], [], 1)).toBeNaN();
    expect(informationRatio(oneReturn, oneReturn, 1)).toBeNaN();
  });

  it('test_max_drawdown / test_calmar / test_cum_returns_final: the remaining fixtures', () => {
    expect(maxDrawdown(oneReturn).maxDrawdown).toBe(0);
    expect(maxDrawdown(simpleBenchmark).maxDrawdown).toBe(0);
    close(maxDrawdown(allNegative).maxDrawdown, totalReturn(allNegative), 1e-15);
    expect(calmarRatio([], 252)).toBeNaN();
    expect(calmarRatio(oneReturn, 252)).toBeNaN();
    // cum_returns_final, 4 decimals there
    expect(Math.abs(totalReturn(mixed) - 0.03893)).toBeLessThan(5e-5);
    expect(Math.abs(totalReturn(negative) - -0.3659)).toBeLessThan(5e-5);
    close(totalReturn(oneReturn), 0.01, 1e-15);
  });

  it('test_cagr: one return, a 1000-day flat line, yearly returns', () => {
    close(annualReturn(oneReturn, 252), 11.274002099240244, e8);
    close(annualReturn(flatLine1Tz, 252), 11.274002099240256, e8);
    close(annualReturn([0.03, 0.03, 0.03], 1), 0.03, 1e-14);
  });

  it('test_alpha_beta / test_alpha / test_up_alpha_beta: NaN cases and the up-market alpha and beta', () => {
    for (const ab of [alphaBeta([], [], 252), alphaBeta(oneReturn, oneReturn, 252), alphaBeta(mixed, flatLine1.slice(1), 252)]) {
      expect(ab.alpha).toBeNaN();
      expect(ab.beta).toBeNaN();
    }
    // up_alpha_beta(mixed[1:], positive[1:]): every benchmark period is up, so it is alpha_beta
    const up = alphaBeta(mixed, positive.slice(1), 252);
    close(up.alpha, 0.432961242076658, e8);
    close(up.beta, 0.4285714285, e8);
  });

  it('test_roll_sharpe_ratio / test_roll_max_drawdown / test_roll_alpha_beta (window 6) by slicing', () => {
    const mixedWithNaN = [NaN, ...mixed];
    const windows = <T>(x: number[], f: (w: number[]) => T, y?: number[]): T[] =>
      Array.from({ length: x.length - 5 }, (_, i) => {
        const rows = [i, i + 1, i + 2, i + 3, i + 4, i + 5].filter((t) => !Number.isNaN(x[t]));
        return y ? f([...rows.map((t) => x[t]), ...rows.map((t) => y[t])]) : f(rows.map((t) => x[t]));
      });
    const s1 = windows(mixedWithNaN, (w) => sharpeRatio(w, 252));
    [7.57445259, 8.22784105, 8.22784105, -3.1374751].forEach((v, i) => expect(Math.abs(s1[i] - v)).toBeLessThan(5e-9));
    const s2 = windows(negative, (w) => sharpeRatio(w, 252));
    [-18.09162052, -26.79897486, -26.69138263, -25.72298838].forEach((v, i) => expect(Math.abs(s2[i] - v)).toBeLessThan(5e-9));
    const dd = windows(negative, (w) => maxDrawdown(w).maxDrawdown);
    [-0.2282, -0.2745, -0.2899, -0.2747].forEach((v, i) => expect(Math.abs(dd[i] - v)).toBeLessThan(5e-5));
    const ab = windows(mixedWithNaN, (w) => alphaBeta(w.slice(0, w.length / 2), w.slice(w.length / 2), 252), negative);
    const expected = [
      [-0.97854954, -0.7826087],
      [-0.9828927, -0.76156584],
      [-0.93166924, -0.61682243],
      [-0.99967288, -0.41311475],
    ];
    expected.forEach(([a, b], i) => {
      expect(Math.abs(ab[i].alpha - a)).toBeLessThan(5e-9);
      expect(Math.abs(ab[i].beta - b)).toBeLessThan(5e-9);
    });
  });
});
