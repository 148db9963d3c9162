/**
 * Rolling exposures on real data against statsmodels RollingOLS.
 *
 * S&P 500 adjusted closes 2005-2017 (us_sp500_adj_ohlcv_2005_2017.csv.gz), simple returns of a few
 * tickers (FB lists in 2012: its first windows are partial or below minObs), in excess of the
 * Fama-French daily risk-free rate, on FF5 + momentum (Ken French files, decimal), 252-day windows,
 * at least 8 observations. test/real/python/rolling_reference.py computes
 * RollingOLS(y, add_constant(X), 252, min_nobs=8, missing='drop') from the same files.
 * Checked to 1e-9 relative (a slope relative to the window's largest slope, measured worst 4e-10 on JPM, ~2e-11 elsewhere):
 * every window's 7 coefficients, R², residual std and nobs; and the
 * equal-weighted rolling portfolio exposure against Σ w·β built from statsmodels' betas.
 * Fails (never skips) without ../shared/data or the Python modules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinFrames } from '../../src/core/align.js';
import type { Frame } from '../../src/core/frame.js';
import { Panel } from '../../src/core/panel.js';
import { excessReturns, simpleReturns } from '../../src/core/returns.js';
import { rollingPortfolioExposures, rollingRegression } from '../../src/exposures/rolling.js';
import { readKenFrench, readPanel } from '../../src/io/index.js';
import { DATA } from './data.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, 'python/rolling_reference.py');
const PYTHON = '/usr/bin/python3';
const TICKERS = ['AAPL', 'MSFT', 'JPM', 'XOM', 'FB'];
const FACTORS = ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom'];
const WINDOW = 252,
  MIN_OBS = 8;

function need(p: string): string {
  if (!existsSync(p))
    throw new Error(
      `real-data file ${p} is missing: these tests need ../shared/data next to the repository (see its README.md); they never skip`,
    );
  return p;
}

interface Ref {
  dates: string[];
  factors: string[];
  tickers: Record<string, { params: (number | null)[]; rsquared: (number | null)[]; sd: (number | null)[]; nobs: (number | null)[] }>;
}

function reference(): Ref {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3-statsmodels python3-sklearn (CI installs them)`);
  try {
    return JSON.parse(
      execFileSync(PYTHON, [SCRIPT, DATA, TICKERS.join(','), String(WINDOW), String(MIN_OBS)], { encoding: 'utf8', maxBuffer: 256 << 20 }),
    ) as Ref;
  } catch (e) {
    if ((e as { status?: number }).status === 3)
      throw new Error('the Python reference needs statsmodels: apt-get install python3-statsmodels python3-sklearn (CI installs them)');
    throw e;
  }
}

const num = (v: number | null): number => (v === null ? NaN : v);
function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

let excess: Panel;
let factors: Frame;
let ref: Ref;

beforeAll(async () => {
  const prices = (
    await readPanel(need(join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz')), { assetCol: 'ticker', valueCol: 'close', kind: 'prices' })
  ).panel;
  const ff5 = await readKenFrench(need(join(DATA, 'ff/F-F_Research_Data_5_Factors_2x3_daily.CSV')));
  const mom = await readKenFrench(need(join(DATA, 'ff/F-F_Momentum_Factor_daily.CSV')));
  const all = joinFrames([ff5.frame, mom.frame], 'inner');
  excess = excessReturns(simpleReturns(prices.selectAssets(TICKERS)), { dates: all.dates, values: all.get('rf') });
  factors = all.select(FACTORS);
  ref = reference();
});

describe('rolling regression vs statsmodels RollingOLS (252 days, FF5 + momentum)', () => {
  it('same calendar', () => {
    expect(excess.isoDates()).toEqual(ref.dates);
  });

  it('every window of every ticker: coefficients, R², residual std, nobs to 1e-9', () => {
    const n = excess.nDates;
    for (const tk of TICKERS) {
      const fr = rollingRegression({ dates: excess.dates, values: excess.column(tk) }, factors, { window: WINDOW, minObs: MIN_OBS });
      const r = ref.tickers[tk];
      let compared = 0,
        worst = 0,
        nanAgree = 0;
      const cols = ['const', ...FACTORS].map((c) => fr.get(c));
      for (let t = 0; t < n; t++) {
        const mine = cols.map((c) => c[t]);
        const theirs = Array.from({ length: 7 }, (_, i) => num(r.params[t * 7 + i]));
        if (Number.isNaN(theirs[1])) {
          // statsmodels reports nothing: neither do we
          expect(Number.isNaN(mine[1]), `${tk} ${ref.dates[t]}: we fit a window statsmodels does not`).toBe(true);
          nanAgree++;
          continue;
        }
        expect(fr.get('nobs')[t]).toBe(num(r.nobs[t]));
        const big = Math.max(...theirs.slice(1).map(Math.abs));
        for (let i = 0; i < 7; i++) {
          // the intercept relative to itself, a slope relative to the window's largest slope (a beta
          // near zero, e.g. 9e-5 next to betas of 1, is compared on the scale of the fit)
          const e = i === 0 ? rel(mine[i], theirs[i]) : Math.abs(mine[i] - theirs[i]) / big;
          worst = Math.max(worst, e);
          if (!(e < 1e-9)) throw new Error(`${tk} ${ref.dates[t]} coef ${i}: ${mine[i]} vs statsmodels ${theirs[i]}`);
        }
        expect(rel(fr.get('r2')[t], num(r.rsquared[t]))).toBeLessThan(1e-9);
        expect(rel(fr.get('residual_std')[t], num(r.sd[t]))).toBeLessThan(1e-9);
        compared++;
      }
      console.log(
        `${tk}: ${compared} windows compared, ${nanAgree} undefined on both sides, worst relative coefficient error ${worst.toExponential(2)}`,
      );
      expect(compared).toBeGreaterThan(tk === 'FB' ? 1000 : 2900);
    }
  });

  it('equal-weight rolling portfolio exposures == Σ w·β of statsmodels betas, covered weight from FB listing', () => {
    const n = excess.nDates,
      m = TICKERS.length;
    const w = new Panel(excess.dates, TICKERS, new Float64Array(n * m).fill(1 / m));
    const res = rollingPortfolioExposures(excess, factors, w, { window: WINDOW, minObs: MIN_OBS });
    let checked = 0;
    for (let t = WINDOW - 1; t < n; t += 7) {
      let cov = 0;
      const e = new Float64Array(6);
      for (const tk of TICKERS) {
        const p = ref.tickers[tk].params;
        if (p[t * 7 + 1] === null) continue;
        cov += 1 / m;
        for (let f = 0; f < 6; f++) e[f] += num(p[t * 7 + 1 + f]) / m;
      }
      expect(res.coveredWeight[t]).toBeCloseTo(cov, 14);
      for (let f = 0; f < 6; f++) expect(rel(res.exposures.series[f][t], e[f])).toBeLessThan(1e-9);
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
    expect(res.coveredWeight[WINDOW + 10]).toBeCloseTo(0.8, 14); // FB not listed yet in 2006
    expect(res.coveredWeight[n - 1]).toBeCloseTo(1, 14);
  });
});
