/**
 * `optimize --frontier N`: the efficient frontier beside the result, in the text and the JSON; the
 * flags it cannot take are refused by name.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('frontier');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factors = t.write('factors.csv', factorsCsv(days));
const alpha = t.write('alpha.csv', 'asset,value\nA,0.0001\nB,0.0004\nC,0.0002\nD,0.0005\nE,-0.0001\nF,0.0003\n');
const base = ['optimize', '--prices', prices, '--factors', factors, '--alpha', alpha, '--max-weight', '0.4'];

interface Point {
  target: number;
  expectedReturn: number;
  risk: number;
  ratio: number;
  names: number;
}
interface J {
  frontier?: { minReturn: number; maxReturn: number; points: Point[] };
  maxSharpe?: { annualisedSharpe: number };
}

describe('optimize --frontier', () => {
  it('n points from the least-risk return to the highest (0.4·5 + 0.4·4 + 0.2·3 bp here), risk rising, none above the maximum Sharpe ratio', async () => {
    const r = await cli(...base, '--frontier', '6', '--max-sharpe', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as J;
    const f = j.frontier;
    expect(f?.points).toHaveLength(6);
    expect(f?.maxReturn).toBeCloseTo(0.4 * 0.0005 + 0.4 * 0.0004 + 0.2 * 0.0003, 12);
    const pts = f?.points ?? [];
    for (let k = 1; k < pts.length; k++) {
      expect(pts[k].risk).toBeGreaterThan(pts[k - 1].risk);
      expect(pts[k].expectedReturn).toBeGreaterThanOrEqual(pts[k].target - 1e-12);
    }
    for (const p of pts) expect(p.ratio).toBeLessThanOrEqual((j.maxSharpe?.annualisedSharpe ?? NaN) + 1e-9);
    const text = await cli(...base, '--frontier', '3');
    expect(text.out).toMatch(/efficient frontier \(--frontier\): 3 least-risk portfolios/);
    expect(text.out).toMatch(/alphaᵀw a period +a year +volatility +Sharpe ratio +names/);
  });

  it('against a benchmark it meets: the first point is the benchmark, tracking error 0 and no information ratio', async () => {
    const bench = t.write('bench.csv', 'asset,weight\nA,0.2\nB,0.2\nC,0.2\nD,0.2\nE,0.1\nF,0.1\n');
    const r = await cli(...base, '--frontier', '3', '--benchmark', bench, '--json');
    expect(r.code, r.err).toBe(0);
    const first = (JSON.parse(r.out) as J).frontier?.points[0];
    expect(first?.risk).toBe(0);
    expect(first?.ratio).toBeNull();
    const text = await cli(...base, '--frontier', '3', '--benchmark', bench);
    expect(text.out).toMatch(/tracking error +information ratio +names\n.*\n +[0-9.e-]+ +[0-9.e%-]+ +0% +- +6\n/);
  });

  it('refused without --alpha, with what sets its own floor, and for a count outside 2..200', async () => {
    const none = await cli('optimize', '--prices', prices, '--factors', factors, '--frontier', '5');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--frontier draws expected return against risk, and there is no --alpha/);
    const clash = await cli(...base, '--frontier', '5', '--min-return', '0.0002', '--tracking-error', '0.1');
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/--frontier cannot be combined with --min-return, --tracking-error/);
    // costs would make each point the least risk plus costs, not the least risk
    const costs = await cli(...base, '--frontier', '5', '--linear-cost', '0.01', '--trade-penalty', '1');
    expect(costs.code).toBe(2);
    expect(costs.err).toMatch(/--frontier cannot be combined with --linear-cost, --trade-penalty/);
    const one = await cli(...base, '--frontier', '1');
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/--frontier must be a whole number from 2 to 200/);
  });
});
