/**
 * `optimize --hrp`: hierarchical risk parity weights with the optimiser's reports; the flags that
 * would constrain them are refused by name. (Its weights against scipy: test/real/optimize.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('hrp');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factors = t.write('factors.csv', factorsCsv(days));
const base = ['optimize', '--prices', prices, '--factors', factors, '--hrp'];

interface J {
  holdings: { asset: string; weight: number; benchmark: number | null }[];
  risk: { trackingError: number; volatility: number };
  solver: { status: string };
  notes: string[];
}

describe('optimize --hrp', () => {
  it('long-only weights summing to 1 over every name, said in a note; against --benchmark equal, its tracking error', async () => {
    const r = await cli(...base, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as J;
    expect(j.solver.status).toBe('solved');
    expect(j.holdings).toHaveLength(6);
    for (const h of j.holdings) expect(h.weight).toBeGreaterThan(0);
    expect(j.holdings.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(1, 12);
    expect(j.notes.join('\n')).toMatch(/hierarchical risk parity \(--hrp; .*\) on the risk model's covariance B·F·Bᵀ \+ D over 6 names/);
    const b = JSON.parse((await cli(...base, '--benchmark', 'equal', '--json')).out) as J;
    // the same weights: the benchmark only measures them
    expect(b.holdings.map((h) => h.weight)).toEqual(j.holdings.map((h) => h.weight));
    expect(b.risk.trackingError).toBeGreaterThan(0);
    expect(b.holdings[0].benchmark).toBeCloseTo(1 / 6, 15);
  });

  it('refuses the flags that would constrain or move the weights, naming them', async () => {
    const alpha = t.write('alpha.csv', 'asset,value\nA,0.01\n');
    const r = await cli(...base, '--max-weight', '0.2', '--alpha', alpha, '--turnover', '0.5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--hrp cannot be combined with --alpha, --max-weight, --turnover/);
    const s = await cli(...base, '--max-sharpe');
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/--hrp cannot be combined with --max-sharpe|--max-sharpe maximises/);
  });
});

describe('optimize --hrp with names that cannot be traded', () => {
  // G's prices stop 20 dates before the end: it cannot be traded at the window's end
  const lines = pricesCsv(days, assets).trimEnd().split('\n');
  const g = pricesCsv(days.slice(0, 280), ['G'], 5).trimEnd().split('\n');
  const withG = t.write('prices-g.csv', `${lines.map((l, i) => `${l},${i === 0 ? 'G' : (g[i]?.split(',')[1] ?? '')}`).join('\n')}\n`);

  it('a stale name held short in --current is refused by name (HRP is long-only); without --current it gets 0, said in a note', async () => {
    const current = t.write('current.csv', 'asset,weight\nG,-0.05\nA,1.05\n');
    const r = await cli('optimize', '--prices', withG, '--factors', factors, '--hrp', '--current', current);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/asset G: 1 name short in --current has no return in the last 5 dates .* the portfolio is long-only: G/);
    const none = await cli('optimize', '--prices', withG, '--factors', factors, '--hrp', '--json');
    expect(none.code, none.err).toBe(0);
    const j = JSON.parse(none.out) as J;
    expect(j.notes.join('\n')).toMatch(/1 name that cannot be traded: weight 0/);
    expect(j.holdings.find((h) => h.asset === 'G')?.weight).toBe(0);
  });
});

describe('optimize --hrp --hrp-covariance sample', () => {
  it('clusters the sample covariance of the returns (another covariance: other weights), said in a note; refused without --hrp', async () => {
    const r = await cli(...base, '--hrp-covariance', 'sample', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as J;
    expect(j.holdings.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(1, 12);
    expect(j.notes.join('\n')).toMatch(
      /on the sample covariance of the returns \(pairwise, ddof 1, as pandas returns\.cov\(\)\) on the fit window's 299 dates over 6 names/,
    );
    const m = JSON.parse((await cli(...base, '--json')).out) as J;
    expect(j.holdings.map((h) => h.weight)).not.toEqual(m.holdings.map((h) => h.weight));
    const no = await cli('optimize', '--prices', prices, '--factors', factors, '--hrp-covariance', 'sample');
    expect(no.code).toBe(2);
    expect(no.err).toMatch(/--hrp-covariance sample picks the covariance of --hrp, and there is no --hrp/);
  });

  it('two names with fewer than 2 returns on common dates: exit 2 naming them', async () => {
    // G trades the first 150 dates, H the last 150: no common date
    const lines = pricesCsv(days, [...assets, 'G', 'H'])
      .trim()
      .split('\n');
    const split = lines.map((l, i) => {
      if (i === 0) return l;
      const c = l.split(',');
      if (i > 150) c[7] = '';
      if (i <= 150) c[8] = '';
      return c.join(',');
    });
    const p = t.write('split.csv', `${split.join('\n')}\n`);
    const r = await cli('optimize', '--prices', p, '--factors', factors, '--hrp', '--hrp-covariance', 'sample', '--stale-after', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/H and G have 0 returns on common dates in the fit window, so they have no sample covariance/);
    expect(r.err).toMatch(/--hrp-covariance model/);
  });
});
