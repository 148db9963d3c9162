/**
 * `factorlab exposures` and `factorlab rolling` end to end on synthetic files with planted betas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Frame } from '../../../src/core/frame.js';
import type { ExposureFitJson } from '../../../src/exposures/json.js';
import { runCli } from '../../../src/cli/run.js';
import { writeTable } from '../../../src/io/write.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';
import { tempDir } from '../../tempDir.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

const dir = tempDir('factorlab-exposures-');
const f = (name: string): string => join(dir, name);
const market = syntheticMarket({ seed: 33, nAssets: 60, nDates: 500 });

beforeAll(async () => {
  await writeTable(f('prices.csv'), market.prices, { wide: true });
  await writeTable(f('returns.csv'), market.returns);
  const withRf = new Frame(market.dates, [...market.factorReturns.columns, 'rf'], [...market.factorReturns.series, market.rf]);
  await writeTable(f('factors.csv'), withRf);
  await writeTable(f('factors_pct.csv'), withRf.scale(100));
});

describe('factorlab exposures', () => {
  it('OLS on prices: planted betas recovered, JSON in the documented schema', async () => {
    const r = await cli('exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', f('fit.json'), '--newey-west');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/OLS of 60 assets on mkt_rf, smb, hml, rmw, cma, mom/);
    expect(r.out).toMatch(/rf: subtracted from every return/);
    expect(r.out).toMatch(/coefficient \(Newey-West t\)/);
    const json = JSON.parse(readFileSync(f('fit.json'), 'utf8')) as ExposureFitJson;
    expect(json.factors).toEqual(['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom']);
    const a = json.assets[0];
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['asset', 'nobs', 'coef', 'se', 't', 'p', 'r2', 'adjR2', 'residualVol', 'nw']));
    expect(Object.keys(a.coef)).toEqual(['const', 'mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom']);
    let inside = 0,
      total = 0;
    for (const asset of json.assets) {
      const j = market.assets.indexOf(asset.asset);
      for (const fac of json.factors) {
        total++;
        if (Math.abs((asset.coef[fac] as number) - market.truth.exposures[fac][j]) <= 2 * (asset.se[fac] as number)) inside++;
      }
    }
    expect(inside / total).toBeGreaterThan(0.88);
    expect(Array.isArray(json.skipped)).toBe(true);
    // the CSV carries the Newey-West se, t and p beside the plain ones, the same numbers as the JSON
    const c = await cli('exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', f('fit-nw.csv'), '--newey-west');
    expect(c.code, c.err).toBe(0);
    const [head, first] = readFileSync(f('fit-nw.csv'), 'utf8').split('\n');
    const cells = Object.fromEntries(head.split(',').map((k, i) => [k, first.split(',')[i]]));
    const nw = a.nw as { t: Record<string, number>; se: Record<string, number>; p: Record<string, number> };
    for (const k of ['const', 'mkt_rf', 'mom']) {
      expect(Number(cells[`t_nw_${k}`])).toBe(nw.t[k]);
      expect(Number(cells[`se_nw_${k}`])).toBe(nw.se[k]);
      expect(Number(cells[`p_nw_${k}`])).toBe(nw.p[k]);
      expect(Number(cells[`t_${k}`])).toBe(a.t[k]);
    }
  });

  it('percent factors with --factor-scale 0.01 give the same betas as decimal ones', async () => {
    const a = await cli('exposures', '--returns', f('returns.csv'), '--factors', f('factors.csv'), '--json');
    const b = await cli('exposures', '--returns', f('returns.csv'), '--factors', f('factors_pct.csv'), '--factor-scale', '0.01', '--json');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const ja = JSON.parse(a.out) as ExposureFitJson,
      jb = JSON.parse(b.out) as ExposureFitJson;
    expect(jb.assets[3].coef.mkt_rf).toBeCloseTo(ja.assets[3].coef.mkt_rf as number, 10);
  });

  it('elastic net, cross scores, CSV output and residuals', async () => {
    const r = await cli(
      'exposures',
      '--returns',
      f('returns.csv'),
      '--factors',
      f('factors.csv'),
      '--l1',
      '0.00001',
      '--l2',
      '0.00001',
      '--cross-score',
      'mkt_rank:mkt_rf',
      '--out',
      f('fit.csv'),
      '--residuals',
      f('resid.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/elastic-net \(l1 0.00001, l2 0.00001, standardised regressors\)/);
    const head = readFileSync(f('fit.csv'), 'utf8').split('\n')[0].split(',');
    expect(head.slice(0, 4)).toEqual(['asset', 'nobs', 'const', 'mkt_rf']);
    expect(head).toContain('mkt_rank');
    expect(readFileSync(f('resid.csv'), 'utf8').split('\n')[0]).toBe('date,asset,value');
  });

  const bad: [string, string[], RegExp][] = [
    ['both prices and returns', ['--prices', 'P', '--returns', 'R'], /exactly one of --prices and --returns/],
    ['an unknown risk-free column', ['--returns', 'R', '--rf-col', 'tbill'], /no risk-free column tbill/],
    ['an unknown factor column', ['--returns', 'R', '--factor-cols', 'mkt_rf,quality'], /no factor column quality/],
    ['a negative penalty', ['--returns', 'R', '--l1', '-1'], /--l1 must be a number >= 0/],
    ['a bad cross score', ['--returns', 'R', '--cross-score', 'rank'], /--cross-score takes name:base/],
    ['a factor file given twice', ['--returns', 'R', '--factors', 'F'], /appears in two factor files/],
  ];
  for (const [what, extra, pattern] of bad) {
    it(`${what}: exit 2`, async () => {
      const args = extra.map((a) => (a === 'P' ? f('prices.csv') : a === 'R' ? f('returns.csv') : a === 'F' ? f('factors.csv') : a));
      const r = await cli('exposures', '--factors', f('factors.csv'), ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(pattern);
    });
  }
});

describe('factorlab rolling', () => {
  it("equal-weight rolling exposures, with the portfolio's own regression, written to CSV", async () => {
    const r = await cli(
      'rolling',
      '--prices',
      f('prices.csv'),
      '--factors',
      f('factors.csv'),
      '--weights',
      'equal',
      '--window',
      '120',
      '--portfolio-regression',
      '--out',
      f('rolling.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/120-row exposures of an equal-weighted portfolio \(60 assets\)/);
    const lines = readFileSync(f('rolling.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    expect(head.slice(0, 9)).toEqual(['date', 'mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom', 'covered_weight', 'assets_used']);
    expect(head).toContain('portfolio_mkt_rf');
    const last = lines[lines.length - 1].split(',');
    const mean = market.truth.exposures.mkt_rf.reduce((s, v) => s + v, 0) / 60;
    expect(Math.abs(Number(last[1]) - mean)).toBeLessThan(0.15);
  });

  it('a window is required', async () => {
    const r = await cli('rolling', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--weights', 'equal');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--window/);
  });
});

describe('--threads', () => {
  // 520 assets x 2,000 days: over the 1M cells where the fit splits, and three 256-asset blocks
  // of the rolling fold; the worker pool runs the built dist/ (npm run build first)
  const big = syntheticMarket({ seed: 34, nAssets: 520, nDates: 2000 });
  beforeAll(async () => {
    await writeTable(f('big_returns.parquet'), big.returns);
    await writeTable(f('big_factors.csv'), big.factorReturns);
  }, 60_000);

  it('exposures: the same JSON on 1 and 2 threads', async () => {
    const outs: string[] = [];
    for (const threads of ['1', '2']) {
      const r = await cli(
        'exposures',
        '--returns',
        f('big_returns.parquet'),
        '--factors',
        f('big_factors.csv'),
        '--threads',
        threads,
        '--out',
        f(`big_fit_${threads}.json`),
      );
      expect(r.code, r.err).toBe(0);
      outs.push(readFileSync(f(`big_fit_${threads}.json`), 'utf8'));
    }
    expect(outs[1]).toBe(outs[0]);
    const json = JSON.parse(outs[0]) as ExposureFitJson;
    expect(json.assets).toHaveLength(520);
  }, 60_000);

  it('rolling: the same exposures on 1 and 2 threads', async () => {
    const outs: string[] = [];
    for (const threads of ['1', '2']) {
      const r = await cli(
        'rolling',
        '--returns',
        f('big_returns.parquet'),
        '--factors',
        f('big_factors.csv'),
        '--weights',
        'equal',
        '--window',
        '252',
        '--threads',
        threads,
        '--out',
        f(`big_roll_${threads}.csv`),
      );
      expect(r.code, r.err).toBe(0);
      outs.push(readFileSync(f(`big_roll_${threads}.csv`), 'utf8'));
    }
    expect(outs[1]).toBe(outs[0]);
    const lines = outs[0].trim().split('\n');
    const head = lines[0].split(','),
      last = lines[lines.length - 1].split(',');
    expect(lines.length).toBeGreaterThan(1990);
    // the synthetic market lists and delists names: most, not all, hold betas on the last date
    const covered = Number(last[head.indexOf('covered_weight')]),
      used = Number(last[head.indexOf('assets_used')]);
    expect(covered).toBeGreaterThan(0.8);
    expect(covered).toBeLessThanOrEqual(1);
    expect(used).toBeGreaterThan(400);
    expect(used).toBeLessThanOrEqual(520);
  }, 60_000);

  it('rejects a thread count that is not a positive integer', async () => {
    const r = await cli('exposures', '--returns', f('big_returns.parquet'), '--factors', f('big_factors.csv'), '--threads', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--threads/);
  });
});
