import { describe, expect, it } from 'vitest';
import { isInputError } from '../core/errors.js';
import { loadHighs } from '../io/highs.js';
import { efficientFrontier } from './frontier.js';
import { maxSharpe } from './maxSharpe.js';
import type { RiskModel } from './riskModel.js';
import { randomCase } from './testing/randomModel.js';

// PyPortfolioOpt's six names (peerCases.test.ts): μ − 0.02 and Σ annualised.
const ASSETS = ['AAPL', 'AMZN', 'GE', 'XOM', 'JPM', 'SBUX'];
const EXCESS = [0.294305, 0.371328, 0.136009, 0.143051, 0.15617, 0.231815].map((v) => v - 0.02);
const SIGMA = [
  [0.207537, 0.0792939, 0.0383477, 0.0203663, 0.0471153, 0.0439449],
  [0.0792939, 0.375394, 0.0522615, 0.0268795, 0.0728535, 0.0659039],
  [0.0383477, 0.0522615, 0.083109, 0.0259812, 0.059512, 0.03807],
  [0.0203663, 0.0268795, 0.0259812, 0.0544038, 0.0302293, 0.0234746],
  [0.0471153, 0.0728535, 0.059512, 0.0302293, 0.146893, 0.04953],
  [0.0439449, 0.0659039, 0.03807, 0.0234746, 0.04953, 0.152589],
];
const MODEL: RiskModel = {
  assets: ASSETS,
  factors: ASSETS,
  exposures: Float64Array.from({ length: 36 }, (_, p) => (p % 7 === 0 ? 1 : 0)),
  factorCovariance: Float64Array.from(SIGMA.flat()),
  specificVariance: new Float64Array(6),
  periodsPerYear: 1,
};

describe('efficientFrontier', () => {
  it("from PyPortfolioOpt's min_volatility to the highest return; every ratio at most max_sharpe's", async () => {
    const f = await efficientFrontier({ riskModel: MODEL, alpha: EXCESS }, 12, { highs: loadHighs });
    expect(f.points).toHaveLength(12);
    // the least-risk end: min_volatility's weights (peerCases.test.ts, SLSQP + KKT Newton)
    const minVol = [
      0.0773272965342412, 0.00140081664426542, 0.23027038210635545, 0.577778762232638, 0.0128406527369427, 0.10038208974555715,
    ];
    f.points[0].weights.forEach((w, i) => expect(Math.abs(w - minVol[i])).toBeLessThan(1e-9));
    expect(f.points[0].risk).toBeCloseTo(Math.sqrt(0.0417731785944504), 9);
    // the highest return long-only: all in AMZN
    expect(f.maxReturn).toBeCloseTo(EXCESS[1], 12);
    expect(f.points[11].weights[1]).toBeGreaterThan(1 - 1e-6);
    const best = (await maxSharpe({ riskModel: MODEL, alpha: EXCESS })).data.maxSharpe?.sharpe ?? NaN;
    for (let k = 0; k < 12; k++) {
      const p = f.points[k];
      expect(p.expectedReturn).toBeGreaterThanOrEqual(p.target - 1e-12);
      expect(p.ratio).toBeLessThanOrEqual(best + 1e-12);
      // risk rises with the return along the frontier
      if (k > 0) expect(p.risk).toBeGreaterThan(f.points[k - 1].risk);
    }
  });

  it('against a benchmark: risk is the tracking error and the ratio the information ratio; the first point the least tracking error', async () => {
    const { model, benchmark } = randomCase(30, 3, 9);
    const alpha = Float64Array.from({ length: 30 }, (_, i) => 1e-4 * Math.sin(i));
    const f = await efficientFrontier({ riskModel: model, alpha, benchmark, constraints: { maxWeight: 0.1 } }, 5, { highs: loadHighs });
    // the benchmark itself meets every constraint (its weights are below 10%): least tracking error 0,
    // and no information ratio (the solve's rounding of w − b gave 3.4e-16 and a ratio of 0.58 or −0.65)
    expect(f.points[0].risk).toBe(0);
    expect(f.points[0].ratio).toBeNaN();
    for (const p of f.points.slice(1)) {
      let active = 0;
      for (let i = 0; i < 30; i++) active += alpha[i] * (p.weights[i] - benchmark[i]);
      expect(p.ratio).toBeCloseTo((active * 252) / p.risk, 10);
    }
  });

  it('refuses what it cannot draw', async () => {
    const bad = async (p: Promise<unknown>, message: RegExp): Promise<void> => {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(message);
    };
    await bad(efficientFrontier({ riskModel: MODEL }, 5, { highs: loadHighs }), /needs expected returns \(alpha\)/);
    await bad(efficientFrontier({ riskModel: MODEL, alpha: EXCESS }, 1, { highs: loadHighs }), /from 2 to 200/);
    await bad(efficientFrontier({ riskModel: MODEL, alpha: EXCESS }, 5), /no HiGHS/);
    await bad(
      efficientFrontier({ riskModel: MODEL, alpha: EXCESS, constraints: { longOnly: false } }, 5, { highs: loadHighs }),
      /has no maximum under these constraints/,
    );
    await bad(
      efficientFrontier({ riskModel: MODEL, alpha: EXCESS, constraints: { trackingError: 0.2 } }, 5, { highs: loadHighs }),
      /cannot be combined with a return floor, a tracking-error cap/,
    );
    // costs: each point would minimise risk plus costs, not risk
    const current = new Float64Array(6).fill(1 / 6);
    await bad(
      efficientFrontier({ riskModel: MODEL, alpha: EXCESS, current, linearCost: 0.01 }, 5, { highs: loadHighs }),
      /cannot be combined with linear costs or a trade penalty/,
    );
    await bad(
      efficientFrontier({ riskModel: MODEL, alpha: EXCESS, current, tradePenalty: 1 }, 5, { highs: loadHighs }),
      /cannot be combined with linear costs or a trade penalty/,
    );
  });

  it('with a turnover cap: each point the least risk at its return within the cap, risk rising', async () => {
    // PyPortfolioOpt's six names from an equal-weight book, at most 40% two-way turnover: the
    // least variance at μᵀw ≥ r, Σw = 1, 0 ≤ w, Σ|w − 1/6| ≤ 0.4 by SLSQP on (w, buys, sells)
    const current = new Float64Array(6).fill(1 / 6);
    const f = await efficientFrontier({ riskModel: MODEL, alpha: EXCESS, current, constraints: { turnover: 0.4 } }, 5, {
      highs: loadHighs,
    });
    const slsqp = [0.21707388930622798, 0.22420263493642048, 0.24430714496952086, 0.27295613569981936, 0.3254261571293625];
    for (let k = 0; k < 5; k++) {
      expect(Math.abs(f.points[k].risk - slsqp[k])).toBeLessThan(1e-8);
      const w = f.points[k].weights;
      let t = 0;
      for (let i = 0; i < 6; i++) t += Math.abs(w[i] - 1 / 6);
      expect(t).toBeLessThanOrEqual(0.4 + 1e-9);
      if (k > 0) expect(f.points[k].risk).toBeGreaterThan(f.points[k - 1].risk);
    }
  });
});
