/**
 * Exposures benchmark (issue 3). Every case sits next to a baseline measured in the same run:
 * a plain pass over the same returns panel (sum of every cell), so ratios say "this many panel
 * passes", independent of the machine. Cases:
 *  - OLS with every diagnostic and residuals, 5,000 assets x 2,520 days x 6 factors (FactorExposures.fit),
 *    and the same with 5% of returns missing at random;
 *  - 252-day rolling portfolio exposures (equal weights) of that panel, 1 thread and 2 threads;
 *  - 252-day rolling exposures of the real 5,774-ticker matrix on FF5 + momentum;
 *  - elastic net (l1 = 1e-5, l2 = 1e-5) on 5,000 assets;
 *  - statsmodels (when /usr/bin/python3 has it): OLS with diagnostics, 500 x 1,250, and RollingOLS
 *    (60 days) on the same, each as a whole Python process, against factorlab doing the same work
 *    as a whole Node process (bench/_factorlab_case.mjs) on the same data files; plus the
 *    per-unit-of-work ratio of statsmodels' time per asset-day against factorlab's on the big case.
 *
 * Run: `npm run build && node bench/exposures.mjs` (or `npm run bench -- --only exposures`).
 */
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Frame, Panel, excessReturns, joinFrames, simpleReturns } from '../dist/core/index.js';
import { FactorExposures } from '../dist/exposures/index.js';
import { rollingPortfolioExposures } from '../dist/exposures/rolling.js';
import { WorkerPool, rollingPortfolioExposuresParallel } from '../dist/parallel/index.js';
import { elasticNetBatch, olsBatch } from '../dist/stats/index.js';
import { readKenFrench, readPanel } from '../dist/io/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../shared/data');
const PY = '/usr/bin/python3';

function lcg(seed) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}
function gauss(u) { let s = 0; for (let i = 0; i < 12; i++) s += u(); return s - 6; }

/** A synthetic panel: m assets x n days on k factors, betas ~ N(., .), idio 2% daily. */
function makePanel(n, m, k, missing, seed = 1) {
  const u = lcg(seed);
  const iso = [];
  for (let d = Date.UTC(2000, 0, 3); iso.length < n; d += 86400000) { const w = new Date(d).getUTCDay(); if (w !== 0 && w !== 6) iso.push(new Date(d).toISOString().slice(0, 10)); }
  const days = Int32Array.from(iso, (s) => Math.round(Date.parse(s) / 86400000));
  const names = ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom'].slice(0, k);
  const f = names.map(() => Float64Array.from({ length: n }, () => 0.01 * gauss(u)));
  const factors = new Frame(days, names, f);
  const v = new Float64Array(n * m);
  const beta = Float64Array.from({ length: m * k }, () => 0.5 * gauss(u) + 0.3);
  for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) {
    let r = 0.02 * gauss(u);
    for (let c = 0; c < k; c++) r += beta[j * k + c] * f[c][t];
    v[t * m + j] = missing > 0 && u() < missing ? NaN : r;
  }
  const assets = Array.from({ length: m }, (_, j) => `A${j}`);
  return { returns: new Panel(days, assets, v), factors };
}

function time(f, reps = 1) {
  let best = Infinity, result;
  for (let i = 0; i < reps; i++) { const t = performance.now(); result = f(); best = Math.min(best, (performance.now() - t) / 1000); }
  return { seconds: best, result };
}
async function timeAsync(f) { const t = performance.now(); const result = await f(); return { seconds: (performance.now() - t) / 1000, result }; }

/** The plain pass: sum of every cell (NaN-skipping), best of 5. */
function plainPass(panel) {
  return time(() => { const v = panel.values; let s = 0; for (let i = 0; i < v.length; i++) { const x = v[i]; if (x === x) s += x; } return s; }, 5).seconds;
}

function equalWeights(returns) {
  return new Panel(returns.dates, returns.assets, new Float64Array(returns.values.length).fill(1 / returns.nAssets));
}

function whole(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { seconds, out: JSON.parse(r.stdout.trim().split('\n').pop()) };
}

export async function run() {
  const rows = [];
  const n = 2520, m = 5000, k = 6;
  const panelName = `${m} x ${n} x ${k}`;

  // ---- OLS with every diagnostic and residuals ----
  for (const missing of [0, 0.05]) {
    const { returns, factors } = makePanel(n, m, k, missing, missing === 0 ? 1 : 2);
    const base = `plain pass ${panelName}${missing ? ' (5% missing)' : ''}`;
    rows.push({ group: 'exposures', case: base, seconds: plainPass(returns), note: 'sum of every cell, best of 5' });
    let label = 'FactorExposures.fit (OLS, diagnostics, residuals)';
    let fit;
    try {
      const fe = new FactorExposures().addRegressionFactors(factors);
      fit = time(() => fe.fit(returns), 2);
    } catch (e) {
      label = `olsBatch (FactorExposures.fit failed: ${e instanceof Error ? e.message : e})`;
      const x = new Float64Array(n * k);
      for (let t = 0; t < n; t++) for (let c = 0; c < k; c++) x[t * k + c] = factors.series[c][t];
      fit = time(() => olsBatch(returns.values, n, m, x, k, { residuals: true }), 2);
    }
    rows.push({ group: 'exposures', case: `${label} ${panelName}${missing ? ', 5% missing' : ''}`, seconds: fit.seconds, baseline: base, ratio: fit.seconds / rows.at(-1).seconds, note: 'best of 2' });
  }

  // ---- rolling exposures, 1 and 2 threads ----
  {
    const { returns, factors } = makePanel(n, m, k, 0, 1);
    const w = equalWeights(returns);
    const base = `plain pass ${panelName}`;
    const pass = plainPass(returns);
    const one = time(() => rollingPortfolioExposures(returns, factors, w, { window: 252 }));
    rows.push({ group: 'exposures', case: `rolling 252d exposures ${panelName}, 1 thread`, seconds: one.seconds, baseline: base, ratio: one.seconds / pass, note: 'equal weights; betas of every asset-window' });
    const pool = new WorkerPool(2);
    try {
      await rollingPortfolioExposuresParallel(returns, factors, w, { window: 252, pool }); // warm the workers
      const two = await timeAsync(() => rollingPortfolioExposuresParallel(returns, factors, w, { window: 252, pool }));
      const same = two.result.exposures.series.every((s, c) => Buffer.from(s.buffer).equals(Buffer.from(one.result.exposures.series[c].buffer)));
      rows.push({ group: 'exposures', case: `rolling 252d exposures ${panelName}, 2 threads`, seconds: two.seconds, baseline: `rolling 252d exposures ${panelName}, 1 thread`, ratio: two.seconds / one.seconds, note: `bit-identical to 1 thread: ${same}` });
    } finally { await pool.destroy(); }
  }

  // ---- real matrix ----
  if (existsSync(DATA)) {
    const prices = (await readPanel(join(DATA, 'us/us_all_stocks_adj_close_wide_2013_2017.csv.gz'), { kind: 'prices' })).panel;
    const ff5 = (await readKenFrench(join(DATA, 'ff/F-F_Research_Data_5_Factors_2x3_daily.CSV'))).frame;
    const mom = (await readKenFrench(join(DATA, 'ff/F-F_Momentum_Factor_daily.CSV'))).frame;
    const all = joinFrames([ff5, mom], 'inner');
    const rets = simpleReturns(prices);
    const ex = excessReturns(rets, { dates: all.dates, values: all.get('rf') });
    const factors = all.drop(['rf']);
    const base = `plain pass real ${ex.nAssets} x ${ex.nDates}`;
    const pass = plainPass(ex);
    rows.push({ group: 'exposures', case: base, seconds: pass, note: 'excess returns from the wide price matrix' });
    const w = equalWeights(ex);
    const one = time(() => rollingPortfolioExposures(ex, factors, w, { window: 252 }));
    rows.push({ group: 'exposures', case: `rolling 252d exposures real ${ex.nAssets} tickers on ${factors.columns.join(',')}, 1 thread`, seconds: one.seconds, baseline: base, ratio: one.seconds / pass, note: `equal weights; mean covered weight ${(one.result.coveredWeight.slice(251).reduce((a, b) => a + (b || 0), 0) / (ex.nDates - 251)).toFixed(2)}` });
    const two = await timeAsync(() => rollingPortfolioExposuresParallel(ex, factors, w, { window: 252, threads: 2 }));
    rows.push({ group: 'exposures', case: `rolling 252d exposures real, 2 threads (pool started in the call)`, seconds: two.seconds, baseline: `rolling 252d exposures real ${ex.nAssets} tickers on ${factors.columns.join(',')}, 1 thread`, ratio: two.seconds / one.seconds });
  }

  // ---- elastic net ----
  {
    const { returns, factors } = makePanel(n, m, k, 0, 3);
    const x = new Float64Array(n * k);
    for (let t = 0; t < n; t++) for (let c = 0; c < k; c++) x[t * k + c] = factors.series[c][t];
    const base = `plain pass ${panelName} (elastic net data)`;
    const pass = plainPass(returns);
    rows.push({ group: 'exposures', case: base, seconds: pass });
    const en = time(() => elasticNetBatch(returns.values, n, m, x, k, { l1: 1e-5, l2: 1e-5 }));
    rows.push({ group: 'exposures', case: `elastic net (l1 1e-5, l2 1e-5, normalized) ${panelName}`, seconds: en.seconds, baseline: base, ratio: en.seconds / pass, note: 'with residuals' });
  }

  // ---- statsmodels comparison ----
  const hasSm = spawnSync(PY, ['-c', 'import statsmodels'], { encoding: 'utf8' }).status === 0;
  if (!hasSm) {
    rows.push({ group: 'statsmodels', case: 'statsmodels comparison skipped', seconds: 0, note: `${PY} lacks statsmodels: apt-get install python3-statsmodels` });
    return rows;
  }
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-bench-'));
  try {
    const sn = 1250, sm = 500, window = 60;
    const { returns, factors } = makePanel(sn, sm, k, 0, 4);
    const x = new Float64Array(sn * k);
    for (let t = 0; t < sn; t++) for (let c = 0; c < k; c++) x[t * k + c] = factors.series[c][t];
    writeFileSync(join(dir, 'y.f64'), Buffer.from(returns.values.buffer));
    writeFileSync(join(dir, 'x.f64'), Buffer.from(x.buffer));
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ n: sn, m: sm, k, window }));
    const py = join(here, 'python/statsmodels_bench.py'), nodeCase = join(here, '_factorlab_case.mjs');
    // big-case per-cell times from the rows above
    const bigOls = rows.find((r) => r.case.startsWith('FactorExposures.fit') || r.case.startsWith('olsBatch'));
    const bigRoll = rows.find((r) => r.case.startsWith(`rolling 252d exposures ${panelName}, 1 thread`));
    for (const mode of ['ols', 'rolling']) {
      const what = mode === 'ols' ? `OLS + diagnostics ${sm} x ${sn}` : `RollingOLS ${window}d ${sm} x ${sn}`;
      const s = whole(PY, [py, mode, dir]);
      const f = whole(process.execPath, [nodeCase, mode, dir]);
      rows.push({ group: 'statsmodels', case: `statsmodels ${what} (whole process)`, seconds: s.seconds, note: `inside the loop ${s.out.seconds_inside.toFixed(2)} s` });
      rows.push({ group: 'statsmodels', case: `factorlab ${what} (whole process)`, seconds: f.seconds, baseline: `statsmodels ${what} (whole process)`, ratio: f.seconds / s.seconds, note: `statsmodels / factorlab = ${(s.seconds / f.seconds).toFixed(1)}x; inside ${f.out.seconds_inside.toFixed(3)} s (${(s.out.seconds_inside / f.out.seconds_inside).toFixed(0)}x)` });
      const big = mode === 'ols' ? bigOls : bigRoll;
      if (big !== undefined) {
        const smPerCell = s.out.seconds_inside / (sn * sm);
        const flPerCell = big.seconds / (n * m);
        rows.push({ group: 'statsmodels', case: `per asset-day: factorlab big case vs statsmodels ${what}`, seconds: flPerCell * 1e9, baseline: `statsmodels ${what}`, ratio: flPerCell / smPerCell, note: `ns per asset-day (factorlab ${ (flPerCell * 1e9).toFixed(1)} vs statsmodels ${(smPerCell * 1e9).toFixed(0)}): statsmodels / factorlab = ${(smPerCell / flPerCell).toFixed(0)}x${mode === 'rolling' ? ' (factorlab window 252 vs 60)' : ''}` });
      }
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return rows;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) {
    console.log(`${r.case.padEnd(90)} ${r.seconds.toFixed(3).padStart(9)}${r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}` : ''}  ${r.note ?? ''}`);
  }
}
