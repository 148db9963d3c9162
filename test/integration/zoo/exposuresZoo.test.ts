/**
 * `factorlab exposures-zoo`: many portfolios' exposures in one fit. Each portfolio's row equals
 * (1) statsmodels OLS of its return series, built independently in pandas
 * (python/portfolio_ols.py: weights carried forward, r_p(t) = Σ w(t−1)·r(t)), and (2) what
 * `factorlab exposures --returns` gives for that series alone (Newey-West t included); a portfolio
 * that cannot be read is a row with its reason, the others are fitted, the exit code is 2.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate } from '../../../src/core/dates.js';
import { Rng } from '../../../src/synthetic/random.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';
import { writeTable } from '../../../src/io/write.js';
import { cli } from './fixtures.js';
import { tempDir } from '../../tempDir.js';

const PORTFOLIOS = ['pf0.csv', 'pf1.csv', 'pf2.csv'];
let dir = '';
const f = (n: string): string => join(dir, n);
let run: { code: number; out: string; err: string };
type Row = Record<string, string | number | null>;
let rows: Row[];

interface PyFit {
  series: Record<string, number | null>;
  params: Record<string, number>;
  t: Record<string, number>;
  r2: number;
  nobs: number;
}

beforeAll(async () => {
  dir = tempDir('factorlab-exposures-zoo-');
  const m = syntheticMarket({ seed: 5, nAssets: 40, nDates: 300, signalIC: 0.05 });
  await writeTable(f('prices.csv'), m.prices, { wide: true });
  const p = m.prices,
    n = p.nDates,
    a = p.nAssets,
    rng = new Rng(2);
  const lines = ['date,mkt,noise'];
  for (let t = 1; t < n; t++) {
    let s = 0,
      c = 0;
    for (let j = 0; j < a; j++) {
      const r = p.values[t * a + j] / p.values[(t - 1) * a + j] - 1;
      if (r === r) {
        s += r;
        c++;
      }
    }
    lines.push(`${formatIsoDate(p.dates[t])},${s / c},${rng.normal(0, 0.01)}`);
  }
  writeFileSync(f('factors.csv'), `${lines.join('\n')}\n`);
  PORTFOLIOS.forEach((name, k) => {
    const wl = ['date,asset,weight'];
    for (let t = 0; t < n; t += 21)
      for (let j = k; j < a; j += 3) wl.push(`${formatIsoDate(p.dates[t])},${p.assets[j]},${(1 + rng.uniform()) / 14}`);
    writeFileSync(f(name), `${wl.join('\n')}\n`);
  });
  // pf0 with every weight doubled: its return doubles, so do its coefficients; its t-values and R² stay
  writeFileSync(
    f('pf0x2.csv'),
    readFileSync(f('pf0.csv'), 'utf8').replace(/,([0-9.e-]+)$/gm, (_, w: string) => `,${2 * Number(w)}`),
  );
  writeFileSync(f('foreign.csv'), 'date,asset,weight\n2018-01-02,ZZZ,1\n');
  run = await cli(
    'exposures-zoo',
    '--prices',
    f('prices.csv'),
    '--factors',
    f('factors.csv'),
    ...PORTFOLIOS.map(f),
    f('foreign.csv'),
    f('missing.csv'),
    f('pf0x2.csv'),
    '--weights-max-age',
    '40',
    '--newey-west',
    '--table',
    f('table.json'),
    '--threads',
    '1',
  );
  rows = JSON.parse(readFileSync(f('table.json'), 'utf8')) as Row[];
}, 120_000);

describe('factorlab exposures-zoo', () => {
  it('one row per portfolio in the order given; failures with their reasons; exit 2', () => {
    expect(run.code, run.err).toBe(2);
    expect(rows.map((r) => r.portfolio)).toEqual([...PORTFOLIOS, 'foreign.csv', 'missing.csv', 'pf0x2.csv'].map(f));
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'failed', 'ok']);
    expect(rows[3].reason).toMatch(/no asset of the weights \(ZZZ\) has returns/);
    expect(rows[4].reason).toMatch(/file not found/);
    expect(rows[3].const).toBeNull();
    for (const r of rows) expect(Object.keys(r)).toEqual(Object.keys(rows[0]));
    expect(run.err).toMatch(/2 of 6 portfolios failed/);
    expect(run.out).toMatch(/factorlab exposures-zoo: OLS of 6 portfolios on mkt, noise, .*: 4 fitted, 2 failed/);
    expect(run.out).toMatch(/missing\.csv: file not found/);
  });

  it('a market-cap file given as weights fails with the reason rolling gives, not nonsense betas', async () => {
    writeFileSync(f('mcap.csv'), 'date,asset,mktcap\n2018-01-02,A0001,100\n2018-01-02,A0002,300\n');
    const r = await cli(
      'exposures-zoo',
      '--prices',
      f('prices.csv'),
      '--factors',
      f('factors.csv'),
      f('mcap.csv'),
      '--table',
      f('mcap.json'),
    );
    expect(r.code).toBe(2);
    const [row] = JSON.parse(readFileSync(f('mcap.json'), 'utf8')) as Row[];
    expect(row.status).toBe('failed');
    expect(row.reason).toMatch(/sum to 400 in absolute value .* portfolio weights are fractions/);
  });

  it('doubling every weight doubles the coefficients and keeps the t-values and R²', () => {
    const [a, b] = [rows[0], rows[5]];
    expect(b.nobs).toBe(a.nobs);
    for (const c of ['const', 'mkt', 'noise']) {
      expect((b[c] as number) / (a[c] as number)).toBeCloseTo(2, 9);
      expect(b[`t_${c}`] as number).toBeCloseTo(a[`t_${c}`] as number, 8);
      expect(b[`t_nw_${c}`] as number).toBeCloseTo(a[`t_nw_${c}`] as number, 8);
    }
    expect(b.r2 as number).toBeCloseTo(a.r2 as number, 10);
  });

  it("each row equals statsmodels OLS of the portfolio's return series built in pandas", () => {
    const res = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'python', 'portfolio_ols.py')], {
      input: JSON.stringify({ dir, portfolios: PORTFOLIOS, maxAge: 40 }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(res.status, res.stderr).toBe(0);
    const py = JSON.parse(res.stdout) as Record<string, PyFit>;
    PORTFOLIOS.forEach((name, k) => {
      const row = rows[k],
        ref = py[name];
      expect(row.nobs).toBe(ref.nobs);
      for (const c of ['const', 'mkt', 'noise']) {
        expect(row[c] as number).toBeCloseTo(ref.params[c], 12);
        expect((row[`t_${c}`] as number) / ref.t[c]).toBeCloseTo(1, 9);
      }
      expect(row.r2 as number).toBeCloseTo(ref.r2, 12);
    });
  });

  it("each row is what exposures --returns gives for that portfolio's series alone", async () => {
    const res = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'python', 'portfolio_ols.py')], {
      input: JSON.stringify({ dir, portfolios: [PORTFOLIOS[1]], maxAge: 40 }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const series = (JSON.parse(res.stdout) as Record<string, PyFit>)[PORTFOLIOS[1]].series;
    writeFileSync(
      f('pf1_returns.csv'),
      `date,pf1\n${Object.entries(series)
        .map(([d, v]) => `${d},${v === null ? '' : String(v)}`)
        .join('\n')}\n`,
    );
    const alone = await cli(
      'exposures',
      '--returns',
      f('pf1_returns.csv'),
      '--factors',
      f('factors.csv'),
      '--newey-west',
      '--out',
      f('alone.csv'),
      '--threads',
      '1',
    );
    expect(alone.code, alone.err).toBe(0);
    const [head, line] = readFileSync(f('alone.csv'), 'utf8').trim().split('\n');
    const one = Object.fromEntries(head.split(',').map((k, i) => [k, line.split(',')[i]]));
    const row = rows[1];
    expect(row.nobs).toBe(Number(one.nobs));
    for (const c of ['const', 'mkt', 'noise']) {
      expect(row[c] as number).toBeCloseTo(Number(one[c]), 12);
      expect(row[`t_${c}`] as number).toBeCloseTo(Number(one[`t_${c}`]), 9);
      expect(Number.isFinite(row[`t_nw_${c}`])).toBe(true);
    }
    expect(row.r2 as number).toBeCloseTo(Number(one.r2), 12);
    expect(row.covered_weight as number).toBeGreaterThan(0.5);
    expect(row.covered_weight as number).toBeLessThanOrEqual(1);
  });
});
