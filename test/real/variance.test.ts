/**
 * Variance decomposition on real data: a 20-stock equal-weight portfolio of S&P 500 stocks
 * (dividend- and split-adjusted prices, 2015-2016) on the Fama-French 5 factors plus momentum.
 *
 * - Σ, the OLS betas and residual variances, b, b'Σb, Σw²σ² and the Euler split agree with numpy
 *   (test/real/python/variance_reference.py) to 1e-9 relative;
 * - the in-sample identity Var(w'r) = b'Σb + Var(w'ê) holds to 1e-10 (ddof 1 on the same rows);
 * - the model total b'Σb + Σw²σ² is compared with the realised variance of the portfolio's
 *   return: they differ only by the residuals' cross-asset covariance (the model assumes none) and
 *   the ddof of σ² (n − 7 vs n − 1); the gap is measured and bounded.
 * Fails (never skips) when ../shared/data or /usr/bin/python3 with numpy and pandas is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignPanelFrame, joinFrames } from '../../src/core/align.js';
import { parseIsoDate } from '../../src/core/dates.js';
import type { Frame } from '../../src/core/frame.js';
import type { Panel } from '../../src/core/panel.js';
import { excessReturns, simpleReturns } from '../../src/core/returns.js';
import { varianceDecomposition, type VarianceDecomposition } from '../../src/exposures/variance.js';
import { exposureReportData } from '../../src/exposures/report.js';
import { variance as sampleVariance } from '../../src/stats/descriptive.js';
import { olsBatch, type OlsBatchResult } from '../../src/stats/ols.js';
import { readKenFrench, readPanel } from '../../src/io/index.js';
import { DATA } from './data.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, 'python/variance_reference.py');
const START = '2015-01-02',
  END = '2016-12-30';
const FACTORS = ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom'];
const N_STOCKS = 20;

function dataFile(rel: string): string {
  const p = join(DATA, rel);
  if (!existsSync(p))
    throw new Error(
      `real-data file ${p} is missing: these tests need ../shared/data next to the repository (see its README.md); they never skip`,
    );
  return p;
}

interface Reference {
  n: number;
  start: string;
  end: string;
  factors: string[];
  covariance: number[][];
  means: number[];
  betas: number[][];
  specificVariance: number[];
  exposures: number[];
  systematic: number;
  specific: number;
  total: number;
  euler: number[];
  realisedVariance: number;
  residualPortfolioVariance: number;
}

function pythonReference(tickers: readonly string[]): Reference {
  const python = '/usr/bin/python3';
  if (!existsSync(python))
    throw new Error(
      '/usr/bin/python3 is missing: apt-get install python3 python3-numpy python3-pandas python3-statsmodels python3-sklearn',
    );
  const res = spawnSync(python, [SCRIPT, DATA, START, END, tickers.join(',')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) {
    throw new Error(
      `${SCRIPT} failed (exit ${res.status}): ${res.stderr}\nIf a module is missing: apt-get install python3-statsmodels python3-sklearn python3-pandas`,
    );
  }
  return JSON.parse(res.stdout) as Reference;
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('variance decomposition: 20 S&P stocks, equal weight, FF5 + momentum, 2015-2016', () => {
  let tickers: string[];
  let excess: Panel;
  let factors: Frame;
  let fit: OlsBatchResult;
  let d: VarianceDecomposition;
  let ref: Reference;
  let betas: Float64Array;
  let weights: Float64Array;

  beforeAll(async () => {
    const prices = (
      await readPanel(dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz'), {
        layout: 'long',
        dateCol: 'date',
        assetCol: 'ticker',
        valueCol: 'close',
        kind: 'prices',
      })
    ).panel;
    const ff5 = (await readKenFrench(dataFile('ff/F-F_Research_Data_5_Factors_2x3_daily.CSV'))).frame;
    const mom = (await readKenFrench(dataFile('ff/F-F_Momentum_Factor_daily.CSV'))).frame;
    const ff = joinFrames([ff5, mom]).sliceDates(parseIsoDate(START), parseIsoDate(END));
    const returns = simpleReturns(prices);
    const aligned = alignPanelFrame(returns, ff);
    const ex = excessReturns(aligned.panel, aligned.frame.get('rf'));
    // stocks with a return on every row of the window; 20 spread evenly over the alphabet
    const complete = ex.assets.filter((_, j) => {
      for (let t = 0; t < ex.nDates; t++) if (!Number.isFinite(ex.at(t, j))) return false;
      return true;
    });
    const step = Math.floor(complete.length / N_STOCKS);
    tickers = Array.from({ length: N_STOCKS }, (_, q) => complete[q * step]);
    excess = ex.selectAssets(tickers);
    factors = aligned.frame.select(FACTORS);
    const n = excess.nDates,
      k = FACTORS.length;
    const x = new Float64Array(n * k);
    FACTORS.forEach((f, g) => {
      const s = factors.get(f);
      for (let t = 0; t < n; t++) x[t * k + g] = s[t];
    });
    fit = olsBatch(excess.values, n, N_STOCKS, x, k);
    betas = new Float64Array(N_STOCKS * k);
    for (let i = 0; i < N_STOCKS; i++) for (let g = 0; g < k; g++) betas[i * k + g] = fit.coef[i * fit.p + 1 + g];
    weights = new Float64Array(N_STOCKS).fill(1 / N_STOCKS);
    d = varianceDecomposition({
      factors,
      factorNames: FACTORS,
      assets: tickers,
      betas,
      specificVariance: Float64Array.from(fit.residualStd, (s) => s * s),
      weights,
    });
    ref = pythonReference(tickers);
  });

  it('uses the same window as numpy: ~504 complete daily rows', () => {
    expect(fit.issues).toEqual([]);
    expect(d.covariance.nobs).toBe(ref.n);
    expect(d.covariance.nobs).toBeGreaterThan(500);
    expect(d.covariance.start).toBe(ref.start);
    expect(d.covariance.end).toBe(ref.end);
    expect(d.frequency).toBe('daily');
    expect(d.periodsPerYear).toBe(252);
  });

  it('factor covariance, betas and residual variances match numpy to 1e-9', () => {
    let worst = 0;
    for (let f = 0; f < 6; f++) for (let h = 0; h < 6; h++) worst = Math.max(worst, rel(d.covariance.matrix[f][h], ref.covariance[f][h]));
    console.log(
      `tickers ${tickers.join(',')}; worst relative Σ difference vs numpy ${worst.toExponential(2)}, b'Σb ${rel(d.portfolio.systematicVariance, ref.systematic).toExponential(2)}`,
    );
    for (let f = 0; f < 6; f++) {
      expect(rel(d.covariance.means[f], ref.means[f])).toBeLessThan(1e-9);
      for (let h = 0; h < 6; h++) expect(rel(d.covariance.matrix[f][h], ref.covariance[f][h])).toBeLessThan(1e-9);
    }
    for (let i = 0; i < N_STOCKS; i++) {
      for (let g = 0; g < 6; g++)
        expect(Math.abs(betas[i * 6 + g] - ref.betas[i][g])).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.betas[i][g])));
      expect(rel(fit.residualStd[i] ** 2, ref.specificVariance[i])).toBeLessThan(1e-9);
    }
  });

  it("b, b'Σb, Σw²σ², the total and the Euler split match numpy to 1e-9", () => {
    const p = d.portfolio;
    FACTORS.forEach((f, g) => {
      expect(rel(p.exposures[f], ref.exposures[g])).toBeLessThan(1e-9);
      expect(Math.abs(p.contributions[f] - ref.euler[g])).toBeLessThan(1e-9 * ref.systematic);
    });
    expect(rel(p.systematicVariance, ref.systematic)).toBeLessThan(1e-9);
    expect(rel(p.specificVariance, ref.specific)).toBeLessThan(1e-9);
    expect(rel(p.totalVariance, ref.total)).toBeLessThan(1e-9);
    const shares = Object.values(p.shares.factors).reduce((a, b) => a + b, 0) + p.shares.specific;
    expect(shares).toBeCloseTo(1, 14);
    // an equal-weight portfolio is its own equal-weight combination
    expect(rel(d.equalWeight.totalVariance, p.totalVariance)).toBeLessThan(1e-14);
  });

  it("in sample, Var(w'r) = b'Σb + Var(w'ê) exactly; the model total is within 5% of the realised variance", () => {
    const n = excess.nDates;
    const rp = new Float64Array(n),
      ep = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < N_STOCKS; i++) {
        rp[t] += weights[i] * excess.at(t, i);
        ep[t] += weights[i] * fit.residuals![t * N_STOCKS + i];
      }
    }
    const realised = sampleVariance(rp);
    expect(rel(realised, ref.realisedVariance)).toBeLessThan(1e-9);
    expect(rel(d.portfolio.systematicVariance + sampleVariance(ep), realised)).toBeLessThan(1e-10);
    // the model total differs from the realised variance by the residuals' cross-covariances and
    // the ddof of σ²; for these 20 stocks from different industries it is 0.06%
    const gap = rel(d.portfolio.totalVariance, realised);
    console.log(
      `20-stock EW 2015-2016: realised var ${realised.toExponential(6)}, model total ${d.portfolio.totalVariance.toExponential(6)} (gap ${(100 * gap).toFixed(2)}%), systematic share ${(100 * d.portfolio.shares.systematic).toFixed(1)}%, annualised vol ${(100 * d.portfolio.volatility.total).toFixed(2)}%`,
    );
    expect(gap).toBeLessThan(0.05);
    expect(d.portfolio.shares.systematic).toBeGreaterThan(0.5);
  });

  it('the report data for the same portfolio is consistent and serialisable', () => {
    const r = exposureReportData({
      date: END,
      factors,
      factorNames: FACTORS,
      assets: tickers,
      betas,
      specificVariance: Float64Array.from(fit.residualStd, (s) => s * s),
      weights,
    });
    expect(r.varianceDecomposition.portfolio.totalVariance).toBe(d.portfolio.totalVariance);
    expect(r.distributions[0].portfolio.values.length).toBe(N_STOCKS);
    expect(r.distributions[0].portfolio.kde.degenerate).toBe(false);
    expect(r.topContributors.portfolio.mkt_rf.length).toBe(10);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
