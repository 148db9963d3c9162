import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError, type InputError } from '../core/errors.js';
import { loadHighs } from '../io/highs.js';
import { allocateShares, greedyLots } from './allocation.js';

/** The least Σ|wV − q·p| over every whole allocation with Σq·p ≤ V (to 1e-12 of V, BUDGET_ROUNDING), by enumeration (the independent route). */
function bruteForce(w: number[], p: number[], capital: number): number {
  let best = Infinity;
  const q = w.map(() => 0);
  const walk = (i: number, spent: number): void => {
    if (i === w.length) {
      let d = 0;
      for (let j = 0; j < w.length; j++) d += Math.abs(w[j] * capital - q[j] * p[j]);
      best = Math.min(best, d);
      return;
    }
    for (let k = 0; spent + k * p[i] <= capital * (1 + 1e-12); k++) {
      q[i] = k;
      walk(i + 1, spent + k * p[i]);
    }
    q[i] = 0;
  };
  walk(0, 0);
  return best;
}

const rejects = async (p: Promise<unknown>, message: RegExp): Promise<void> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isInputError(e)).toBe(true);
  expect((e as Error).message).toMatch(message);
};

describe('allocateShares', () => {
  const assets = ['A', 'B', 'C', 'D', 'E'];
  const weights = [0.3, 0.25, 0.2, 0.15, 0.1];
  const prices = [173.2, 1021.5, 47.3, 310.9, 1999.99];

  it('the MILP: the least deviation any whole allocation reaches (enumerated), within the capital', async () => {
    const r = await allocateShares({ assets, weights, prices, capital: 10000 }, { highs: loadHighs });
    expect(Array.from(r.shares)).toEqual([17, 2, 42, 5, 0]);
    expect(r.deviation).toBeCloseTo(bruteForce(weights, prices, 10000), 9);
    expect(r.milp?.status).toBe('optimal');
    expect(r.milp?.gap).toBe(0);
    expect(r.invested).toBeCloseTo(17 * 173.2 + 2 * 1021.5 + 42 * 47.3 + 5 * 310.9, 9);
    expect(r.cash).toBeCloseTo(10000 - r.invested, 9);
    expect(r.deviationShare).toBeCloseTo(r.deviation / 10000, 15);
    expect(r.unfilled).toEqual(['E']); // one share (2,000) is further from its 1,000 than none, and the cash is better kept
    // PyPortfolioOpt's RMSE over the names with a target
    let sq = 0;
    for (let i = 0; i < 5; i++) sq += (weights[i] - (r.shares[i] * prices[i]) / 10000) ** 2;
    expect(r.rmse).toBeCloseTo(Math.sqrt(sq / 5), 15);
  });

  it('greedy (PyPortfolioOpt greedy_portfolio): whole lots below each target, then one lot at a time to the largest shortfall it can pay', async () => {
    // by hand: floor(wV/p) = 17, 2, 42, 4, 0 (spent 8,217.6; cash 1,782.4); the shortfalls then: A 0.3 − 0.29444,
    // B 0.25 − 0.2043 = 0.0457, C 0.2 − 0.19866, D 0.15 − 0.12436 = 0.02564, E 0.1 (1,999.99: too dear).
    // B → 3 (cash 760.9); D → 5 (450.0); A 0.00556 → 18 (276.8); C 0.00134 → 43 (229.5): every name it
    // can pay for is then at or above its target, so it stops with the cash
    expect(Array.from(greedyLots(Float64Array.from(weights), Float64Array.from(prices), 10000))).toEqual([18, 3, 43, 5, 0]);
    const r = await allocateShares({ assets, weights, prices, capital: 10000 }, { method: 'greedy' });
    expect(r.milp).toBeNull();
    expect(Array.from(r.shares)).toEqual([18, 3, 43, 5, 0]);
    expect(r.cash).toBeCloseTo(10000 - (18 * 173.2 + 3 * 1021.5 + 43 * 47.3 + 5 * 310.9), 9);
  });

  it('on random small books the MILP equals enumeration, and never does worse than greedy', async () => {
    const highs = await loadHighs();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 5, max: 400, noNaN: true })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.double({ min: 200, max: 1500, noNaN: true }),
        async (rows, capital) => {
          const total = rows.reduce((s, [v]) => s + v, 0);
          const w = rows.map(([v]) => v / total);
          const p = rows.map(([, x]) => x);
          const r = await allocateShares({ assets: rows.map((_, i) => `X${i}`), weights: w, prices: p, capital }, { highs });
          expect(r.invested).toBeLessThanOrEqual(capital * (1 + 1e-12));
          const g = await allocateShares({ assets: rows.map((_, i) => `X${i}`), weights: w, prices: p, capital }, { method: 'greedy' });
          expect(g.invested).toBeLessThanOrEqual(capital * (1 + 1e-12));
          const best = bruteForce(w, p, capital);
          expect(
            Math.abs(r.deviation - best),
            JSON.stringify({ w, p, capital, shares: Array.from(r.shares), best, milp: r.milp }),
          ).toBeLessThan(1e-7 * capital);
          expect(r.deviation).toBeLessThanOrEqual(g.deviation + 1e-9 * capital);
          for (const s of r.shares) expect(Number.isInteger(s) && s >= 0).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lots of 100 shares (an A-share board lot): shares in hundreds, the price of a lot 100 × the share', async () => {
    const r = await allocateShares(
      { assets: ['600036', '601318'], weights: [0.5, 0.5], prices: [35.2, 48.9], capital: 100000, lotSize: 100 },
      { highs: loadHighs },
    );
    for (const s of r.shares) expect(s % 100).toBe(0);
    expect(Array.from(r.shares)).toEqual([1400, 1000]);
    expect(r.deviation).toBeCloseTo(bruteForce([0.5, 0.5], [3520, 4890], 100000), 9);
  });

  it('weights summing below 1 keep the rest as cash; all zero weights buy nothing', async () => {
    const r = await allocateShares({ assets: ['A', 'B'], weights: [0.3, 0.2], prices: [10, 20], capital: 1000 }, { highs: loadHighs });
    expect(Array.from(r.shares)).toEqual([30, 10]);
    expect(r.cash).toBeCloseTo(500, 12);
    const none = await allocateShares({ assets: ['A', 'B'], weights: [0, 0], prices: [NaN, 20], capital: 1000 }, { highs: loadHighs });
    expect(Array.from(none.shares)).toEqual([0, 0]);
    expect(none.cash).toBe(1000);
  });

  it('refuses what would be a wrong order, naming the asset', async () => {
    const base = { assets: ['A', 'B'], prices: [10, 20], capital: 1000 };
    await rejects(allocateShares({ ...base, weights: [0.5, -0.2] }, { method: 'greedy' }), /weight of B is negative .* long-only/);
    await rejects(allocateShares({ ...base, weights: [0.5, NaN] }, { method: 'greedy' }), /weight of B is not a finite number/);
    await rejects(allocateShares({ ...base, weights: [0.8, 0.4] }, { method: 'greedy' }), /weights sum to 1\.2, more than the capital/);
    const percent = await allocateShares({ ...base, weights: [60, 40] }, { method: 'greedy' }).catch((e: unknown) => e as InputError);
    expect((percent as InputError).hint).toMatch(/look like percent: divide them by 100/);
    await rejects(
      allocateShares({ ...base, prices: [10, NaN], weights: [0.5, 0.5] }, { method: 'greedy' }),
      /B has a target weight of 0\.5 and no positive price/,
    );
    await rejects(allocateShares({ ...base, prices: [10, 0], weights: [0.5, 0.5] }, { method: 'greedy' }), /B has a target weight/);
    await rejects(allocateShares({ ...base, capital: 0, weights: [0.5, 0.5] }, { method: 'greedy' }), /capital must be a positive number/);
    await rejects(
      allocateShares({ ...base, weights: [0.5, 0.5], lotSize: 2.5 }, { method: 'greedy' }),
      /lot size of A must be a whole number/,
    );
    await rejects(allocateShares({ ...base, weights: [0.5] }, { method: 'greedy' }), /weights have 1 values for 2 assets/);
    await rejects(allocateShares({ ...base, weights: [0.5, 0.5] }), /needs HiGHS/);
  });
});
