import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../core/errors.js';
import { maxSharpe } from './maxSharpe.js';
import { optimize } from './optimize.js';
import type { RiskModel } from './riskModel.js';
import { varianceOf } from './riskModel.js';
import { randomCase } from './testing/randomModel.js';

// PyPortfolioOpt's six names (peerCases.test.ts has the source): μ and Σ annualised, rf 0.02.
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
/** Σ given whole: B = I, F = Σ, D = 0 (periodsPerYear 1: annual numbers). */
const MODEL: RiskModel = {
  assets: ASSETS,
  factors: ASSETS,
  exposures: Float64Array.from({ length: 36 }, (_, p) => (p % 7 === 0 ? 1 : 0)),
  factorCovariance: Float64Array.from(SIGMA.flat()),
  specificVariance: new Float64Array(6),
  periodsPerYear: 1,
};
const sharpeOf = (m: RiskModel, mu: ArrayLike<number>, w: ArrayLike<number>): number => {
  let r = 0;
  for (let i = 0; i < w.length; i++) r += mu[i] * w[i];
  return r / Math.sqrt(varianceOf(m, w));
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describe('maxSharpe', () => {
  it("PyPortfolioOpt's max_sharpe (rf 0.02), long-only: its expected weights", async () => {
    const r = await maxSharpe({ riskModel: MODEL, alpha: EXCESS });
    // the weights of peerCases.test.ts's max_sharpe case (SLSQP + KKT Newton)
    expect(maxAbsDiff(r.weights, [0.24076132574835787, 0.15567240300040794, 0, 0.3997966673858694, 0, 0.20376960386536486])).toBeLessThan(
      1e-12,
    );
    const s = r.data.maxSharpe;
    expect(s).toBeDefined();
    expect(s?.sharpe).toBeCloseTo((0.23309094782197148 - 0.02) / 0.2483688552890307, 10);
    expect(s?.annualisedSharpe).toBe(s?.sharpe); // periodsPerYear 1
    expect(Math.abs((s?.tangency ?? 0) - 1)).toBeLessThan(1e-9);
    expect(r.toJSON().maxSharpe).toEqual(s);
    expect(r.data.notes.some((n) => n.startsWith('maximum Sharpe ratio'))).toBe(true);
  });

  it('weight bounds (0.05, 0.3) and sector bands: the exact KKT solution of the active set', async () => {
    // numpy.linalg.solve of the homogenised KKT system on the active set scipy's SLSQP found
    const bounded = await maxSharpe({ riskModel: MODEL, alpha: EXCESS, constraints: { minWeight: 0.05, maxWeight: 0.3 } });
    expect(maxAbsDiff(bounded.weights, [0.24247549495383125, 0.15391358348253384, 0.05, 0.3, 0.05, 0.20361092156363497])).toBeLessThan(
      1e-9,
    );
    const sectors = await maxSharpe({
      riskModel: MODEL,
      alpha: EXCESS,
      constraints: {
        groups: {
          labels: ['tech', 'tech', 'utility', 'energy', 'fig', 'retail'],
          bands: [
            { group: 'tech', max: 0.3 },
            { group: 'fig', min: 0.1 },
            { group: 'energy', max: 0.15 },
          ],
        },
      },
    });
    const exact = [0.18023926936008863, 0.1197607306399114, 0.13865786467361196, 0.15, 0.1, 0.31134213532638805];
    expect(maxAbsDiff(sectors.weights, exact)).toBeLessThan(1e-9);
    expect(sharpeOf(MODEL, EXCESS, sectors.weights)).toBeCloseTo(0.801342757650137, 11);
  });

  it('long-short without bounds: the closed form Σ⁻¹μ / 1ᵀΣ⁻¹μ', async () => {
    const r = await maxSharpe({ riskModel: MODEL, alpha: EXCESS, constraints: { longOnly: false } });
    // numpy.linalg.solve(SIGMA, MU − 0.02), normalised (peerCases.test.ts)
    const tangency = [
      0.2494570241692495, 0.16330838519834795, -0.00699221994791419, 0.42496742419191746, -0.04677093622541931, 0.2160303226138186,
    ];
    expect(maxAbsDiff(r.weights, tangency)).toBeLessThan(1e-12);
  });

  it('a factor model: the ratio beats the frontier on either side of its return, and every random long-only book', async () => {
    const { model } = randomCase(40, 4, 17);
    const alpha = Float64Array.from({ length: 40 }, (_, i) => 1e-4 * Math.sin(3 * i + 1) + 2e-5);
    const constraints = { maxWeight: 0.08 };
    const r = await maxSharpe({ riskModel: model, alpha, constraints });
    const best = sharpeOf(model, alpha, r.weights);
    expect(r.data.maxSharpe?.annualisedSharpe).toBeCloseTo(best * Math.sqrt(252), 12);
    const ret = r.data.maxSharpe?.expectedReturn ?? NaN;
    for (const f of [0.99, 0.999, 1.001, 1.01]) {
      const o = await optimize({ riskModel: model, constraints: { ...constraints, returnFloor: { expected: alpha, min: ret * f } } });
      expect(sharpeOf(model, alpha, o.weights)).toBeLessThanOrEqual(best + 1e-13);
    }
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }), (raw) => {
        // a long-only book within the caps: raw weights scaled to sum 1, then capped and spread again
        const w = Float64Array.from(raw, (v) => v + 1e-3);
        for (let pass = 0; pass < 50; pass++) {
          const s = w.reduce((a, b) => a + b, 0);
          for (let i = 0; i < 40; i++) w[i] = Math.min(0.08, w[i] / s);
        }
        const s = w.reduce((a, b) => a + b, 0);
        if (Math.abs(s - 1) > 1e-9) return;
        expect(sharpeOf(model, alpha, w)).toBeLessThanOrEqual(best + 1e-13);
      }),
      { numRuns: 200 },
    );
  });

  it('the same weights whatever the scale of alpha (the ratio is homogeneous in μ)', async () => {
    const { model } = randomCase(25, 3, 3);
    const alpha = Float64Array.from({ length: 25 }, (_, i) => 1e-4 * Math.cos(i) + 3e-5);
    const a = await maxSharpe({ riskModel: model, alpha, constraints: { maxWeight: 0.1 } });
    const b = await maxSharpe({ riskModel: model, alpha: alpha.map((v) => v * 1000), constraints: { maxWeight: 0.1 } });
    expect(maxAbsDiff(a.weights, b.weights)).toBeLessThan(1e-9);
  });

  it('annual expected returns against a daily model: the same weights, and a note with the annual ratio they mean', async () => {
    const { model } = randomCase(30, 3, 8, 3);
    const daily = Float64Array.from({ length: 30 }, (_, i) => 1e-4 * Math.cos(i) + 3e-4);
    const annual = daily.map((v) => v * 252);
    const d = await maxSharpe({ riskModel: model, alpha: daily, constraints: { maxWeight: 0.1 } });
    const a = await maxSharpe({ riskModel: model, alpha: annual, constraints: { maxWeight: 0.1 } });
    expect(maxAbsDiff(a.weights, d.weights)).toBeLessThan(1e-9);
    expect(d.data.notes.some((x) => x.startsWith('alpha:'))).toBe(false);
    // the annual ratio of the daily alpha is the one the annual alpha means: its printed one is 252 times that
    const right = d.data.maxSharpe?.annualisedSharpe ?? NaN;
    expect(a.data.maxSharpe?.annualisedSharpe).toBeCloseTo(right * 252, 6);
    const note = a.data.notes.find((x) => x.startsWith('alpha:')) ?? '';
    expect(note).toMatch(/if alpha holds annual expected returns the annual Sharpe ratio is ([0-9.]+), not/);
    expect(Number(/annual Sharpe ratio is ([0-9.]+), not/.exec(note)?.[1])).toBeCloseTo(right, 4);
    expect(note).toMatch(/divide annual expected returns by 252/);
  });

  it('a highest-return corner: the certificate below 1, the ratio still rising there', async () => {
    const { model } = randomCase(8, 3, 5);
    // one asset with a positive expected return: every long-only book with others has a lower ratio
    const alpha = Float64Array.from([4e-4, -1e-4, -2e-4, -1e-4, -3e-4, -1e-4, -2e-4, -1e-4]);
    const r = await maxSharpe({ riskModel: model, alpha });
    expect(maxAbsDiff(r.weights, [1, 0, 0, 0, 0, 0, 0, 0])).toBeLessThan(1e-9);
    expect(r.data.maxSharpe?.tangency).toBeLessThan(1);
  });

  const refusal = async (p: Promise<unknown>, message: RegExp): Promise<void> => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isInputError(e)).toBe(true);
    expect(String((e as Error).message)).toMatch(message);
  };

  it('refuses what it cannot maximise, by name', async () => {
    const { model, benchmark } = randomCase(8, 3, 5);
    const alpha = Float64Array.from({ length: 8 }, (_, i) => 1e-4 * (i - 2));
    await refusal(maxSharpe({ riskModel: model }), /needs expected returns \(alpha\)/);
    await refusal(maxSharpe({ riskModel: model, alpha, benchmark }), /cannot be combined with a benchmark/);
    await refusal(maxSharpe({ riskModel: model, alpha, constraints: { turnover: 0.3 } }), /a turnover cap/);
    await refusal(maxSharpe({ riskModel: model, alpha, constraints: { trackingError: 0.1 } }), /a tracking-error cap/);
    await refusal(maxSharpe({ riskModel: model, alpha, constraints: { maxNames: 3 } }), /at most K names/);
    await refusal(maxSharpe({ riskModel: model, alpha, linearCost: 0.001 }), /trading costs/);
    await refusal(maxSharpe({ riskModel: model, alpha, constraints: { budget: null } }), /positive budget/);
    await refusal(maxSharpe({ riskModel: model, alpha, constraints: { budget: 0 } }), /positive budget/);
    await refusal(maxSharpe({ riskModel: model, alpha: alpha.map(() => 0) }), /every expected return \(alpha\) is 0/);
    await refusal(
      maxSharpe({ riskModel: model, alpha: alpha.map((v) => -Math.abs(v) - 1e-5) }),
      /no portfolio .* positive expected excess return/,
    );
    await refusal(maxSharpe({ riskModel: model, alpha: [1, 2] }), /alpha has 2 values for 8 assets/);
  });

  it('a long-short book whose ratio has no maximum is refused, not returned as huge weights', async () => {
    const { model } = randomCase(8, 3, 5);
    // 1ᵀΣ⁻¹μ < 0: the unconstrained tangency of weights summing to 1 would be the lowest ratio, and the sup is a dollar-neutral book
    const alpha = Float64Array.from({ length: 8 }, (_, i) => -(2e-4 * (i - 2) + 1e-4 * Math.sin(i)));
    await refusal(maxSharpe({ riskModel: model, alpha, constraints: { longOnly: false } }), /has no maximum/);
    // bounded, it has one: the certificate says so
    const r = await maxSharpe({ riskModel: model, alpha, constraints: { longOnly: false, minWeight: -1, maxWeight: 1 } });
    expect(Math.abs((r.data.maxSharpe?.tangency ?? 0) - 1)).toBeLessThan(1e-9);
  });
});
