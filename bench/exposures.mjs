/**
 * Exposures benchmark (issue 3). Every case sits next to a baseline measured in the same run:
 * a plain pass over the same returns panel (sum of every cell), so ratios say "this many panel
 * passes", independent of the machine. Cases:
 *  - OLS with every diagnostic and residuals, 5,000 assets x 2,520 days x 6 factors (FactorExposures.fit),
 *    on 1 thread and on 2 (fitExposuresParallel, warm pool; bit-identity checked), and the same with
 *    5% of returns missing at random; olsBatch alone on 1 and 2 threads (y on shared memory);
 *  - Newey-West standard errors of that fit (opt-in diagnostic), 1 and 2 threads;
 *  - 252-day rolling portfolio exposures (equal weights) of that panel, 1 thread and 2 threads;
 *  - 252-day rolling exposures of the real 5,774-ticker matrix on FF5 + momentum;
 *  - elastic net (l1 = 1e-5, l2 = 1e-5) on 5,000 assets;
 *  - statsmodels (when /usr/bin/python3 has it): OLS with diagnostics, 500 x 1,250, and RollingOLS
 *    (60 days) on the same, each as a whole Python process, against factorlab doing the same work
 *    as a whole Node process (bench/_factorlab_case.mjs) on the same data files, checksums compared;
 *    each side's stages (start-up, imports, read, fit) and `node -e 0` (the floor of any Node
 *    process); plus the per-unit-of-work ratio of statsmodels' time per asset-day against
 *    factorlab's on the big case; and OLS with diagnostics on the bench's own 5,000 x 2,520 x 6, a
 *    whole statsmodels process against a whole factorlab process on 1 and on 2 threads (the issue's
 *    20x "on the same work, whole process included"), also against the issue's 0.7 s figure scaled
 *    by asset-days.
 * The machine is shared: "parallel capacity" (two identical spin loops on two threads against one)
 * says how much of a second core was free while the thread cases ran; timings are best of N.
 *
 * Run: `npm run build && node bench/exposures.mjs` (or `npm run bench -- --only exposures`).
 */
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Frame, Panel, excessReturns, joinFrames, simpleReturns } from '../dist/core/index.js';
import { FactorExposures } from '../dist/exposures/index.js';
import { rollingPortfolioExposures } from '../dist/exposures/rolling.js';
import {
  WorkerPool,
  fitExposuresParallel,
  neweyWestBatchParallel,
  olsBatchParallel,
  rollingPortfolioExposuresParallel,
} from '../dist/parallel/index.js';
import { elasticNetBatch, neweyWestBatch, olsBatch } from '../dist/stats/index.js';
import { readKenFrench, readPanel } from '../dist/io/index.js';
import { parallelCapacity, plainPass, time, timeAsync } from './_common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../shared/data');
const PY = '/usr/bin/python3';
/** The issue's statsmodels figure: OLS with diagnostics on 500 assets x 1,250 days, this machine class (s). */
const ISSUE_STATSMODELS_OLS = 0.7;
const ISSUE_STATSMODELS_ROLLING = 7.4; // issue 3: statsmodels RollingOLS, 60-day window, 500 x 1,250

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
function gauss(u) {
  let s = 0;
  for (let i = 0; i < 12; i++) s += u();
  return s - 6;
}

/** A synthetic panel: m assets x n days on k factors, betas ~ N(., .), idio 2% daily. */
function makePanel(n, m, k, missing, seed = 1) {
  const u = lcg(seed);
  const iso = [];
  for (let d = Date.UTC(2000, 0, 3); iso.length < n; d += 86400000) {
    const w = new Date(d).getUTCDay();
    if (w !== 0 && w !== 6) iso.push(new Date(d).toISOString().slice(0, 10));
  }
  const days = Int32Array.from(iso, (s) => Math.round(Date.parse(s) / 86400000));
  const names = ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom'].slice(0, k);
  const f = names.map(() => Float64Array.from({ length: n }, () => 0.01 * gauss(u)));
  const factors = new Frame(days, names, f);
  const v = new Float64Array(n * m);
  const beta = Float64Array.from({ length: m * k }, () => 0.5 * gauss(u) + 0.3);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let r = 0.02 * gauss(u);
      for (let c = 0; c < k; c++) r += beta[j * k + c] * f[c][t];
      v[t * m + j] = missing > 0 && u() < missing ? NaN : r;
    }
  const assets = Array.from({ length: m }, (_, j) => `A${j}`);
  return { returns: new Panel(days, assets, v), factors };
}

/**
 * 1 thread (sync f1) against 2 threads (async f2), alternated so both see the same load on the
 * shared machine; best of `reps` each, after `warm` untimed runs of f2 (the workers' JIT).
 */
async function pair(f1, f2, reps = 4, warm = 2) {
  for (let i = 0; i < warm; i++) await f2();
  let one = Infinity,
    two = Infinity,
    r1,
    r2;
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    r1 = f1();
    one = Math.min(one, (performance.now() - t) / 1000);
    t = performance.now();
    r2 = await f2();
    two = Math.min(two, (performance.now() - t) / 1000);
  }
  return { one: { seconds: one, result: r1 }, two: { seconds: two, result: r2 } };
}

const same = (a, b) =>
  a === b ||
  (a !== null && b !== null && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
const FIT_FIELDS = ['coef', 'se', 't', 'p', 'r2', 'adjR2', 'residualVol'];
const sameFit = (a, b) =>
  a.diagnostics.every((d, i) => FIT_FIELDS.every((f) => same(d[f], b.diagnostics[i][f]))) && same(a.residuals.values, b.residuals.values);

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
  const n = 2520,
    m = 5000,
    k = 6;
  const panelName = `${m} x ${n} x ${k}`;

  // ---- OLS with every diagnostic and residuals, 1 and 2 threads ----
  const capacity = await parallelCapacity();
  rows.push({
    group: 'exposures',
    case: 'parallel capacity (2 spin loops on 2 threads vs 1)',
    seconds: 0,
    note: `${capacity.toFixed(2)} of 2.00 at the start: ${capacity > 1.7 ? 'a second core was free' : 'the second core was busy with other work; 2-thread rows are bounded by that'} (the 2-thread rows quote it again)`,
  });
  const pool = new WorkerPool(2);
  try {
    for (const missing of [0, 0.05]) {
      const { returns, factors } = makePanel(n, m, k, missing, missing === 0 ? 1 : 2);
      const tag = `${panelName}${missing ? ', 5% missing' : ''}`;
      const base = `plain pass ${panelName}${missing ? ' (5% missing)' : ''}`;
      rows.push({ group: 'exposures', case: base, seconds: plainPass(returns), note: 'sum of every cell, best of 5' });
      const pass = rows.at(-1).seconds;
      const fe = new FactorExposures().addRegressionFactors(factors);
      const cap = await parallelCapacity();
      const { one, two } = await pair(
        () => fe.fit(returns),
        () => fitExposuresParallel(fe, returns, { pool }),
      );
      const oneCase = `FactorExposures.fit (OLS, diagnostics, residuals) ${tag}, 1 thread`;
      rows.push({
        group: 'exposures',
        case: oneCase,
        seconds: one.seconds,
        baseline: base,
        ratio: one.seconds / pass,
        note: 'best of 4, alternated with the 2-thread runs',
      });
      rows.push({
        group: 'exposures',
        case: `fitExposuresParallel ${tag}, 2 threads`,
        seconds: two.seconds,
        baseline: oneCase,
        ratio: two.seconds / one.seconds,
        note: `best of 4, warm pool, includes copying y to shared memory; parallel capacity just before ${cap.toFixed(2)}; bit-identical to 1 thread: ${sameFit(one.result, two.result)}`,
      });
      if (missing === 0) {
        const x = new Float64Array(n * k);
        for (let t = 0; t < n; t++) for (let c = 0; c < k; c++) x[t * k + c] = factors.series[c][t];
        const ys = new Float64Array(new SharedArrayBuffer(returns.values.length * 8));
        ys.set(returns.values);
        const cap2 = await parallelCapacity();
        const { one: b1, two: b2 } = await pair(
          () => olsBatch(ys, n, m, x, k),
          () => olsBatchParallel(ys, n, m, x, k, { pool }),
        );
        const b1Case = `olsBatch ${tag} (every diagnostic, residuals), 1 thread`;
        rows.push({
          group: 'exposures',
          case: b1Case,
          seconds: b1.seconds,
          baseline: base,
          ratio: b1.seconds / pass,
          note: 'best of 4, alternated with the 2-thread runs',
        });
        const ident = ['coef', 'se', 't', 'pValue', 'r2', 'residuals'].every((f) => same(b1.result[f], b2.result[f]));
        rows.push({
          group: 'exposures',
          case: `olsBatchParallel ${tag}, 2 threads (y already shared)`,
          seconds: b2.seconds,
          baseline: b1Case,
          ratio: b2.seconds / b1.seconds,
          note: `best of 4; parallel capacity just before ${cap2.toFixed(2)}; bit-identical: ${ident}`,
        });
        const cap3 = await parallelCapacity();
        const { one: nw, two: nw2 } = await pair(
          () => neweyWestBatch(b1.result.residuals, n, m, x, k, true, b1.result.coef, b1.result.dfResid, b1.result.rank),
          () => neweyWestBatchParallel(b2.result.residuals, n, m, x, k, true, b2.result.coef, b2.result.dfResid, b2.result.rank, { pool }),
          2,
          1,
        );
        const nwCase = `Newey-West se/t/p (Bartlett, default lags) ${tag}, 1 thread`;
        rows.push({
          group: 'exposures',
          case: nwCase,
          seconds: nw.seconds,
          baseline: base,
          ratio: nw.seconds / pass,
          note: `opt-in; lags ${nw.result.lags[0]}; best of 2`,
        });
        rows.push({
          group: 'exposures',
          case: `Newey-West ${tag}, 2 threads (neweyWestBatchParallel)`,
          seconds: nw2.seconds,
          baseline: nwCase,
          ratio: nw2.seconds / nw.seconds,
          note: `best of 2, warm; parallel capacity just before ${cap3.toFixed(2)}; bit-identical: ${same(nw.result.se, nw2.result.se) && same(nw.result.pValue, nw2.result.pValue)}`,
        });
      }
    }
  } finally {
    await pool.destroy();
  }

  // ---- rolling exposures, 1 and 2 threads ----
  {
    const { returns, factors } = makePanel(n, m, k, 0, 1);
    const w = equalWeights(returns);
    const base = `plain pass ${panelName}`;
    const pass = plainPass(returns);
    const one = time(() => rollingPortfolioExposures(returns, factors, w, { window: 252 }));
    rows.push({
      group: 'exposures',
      case: `rolling 252d exposures ${panelName}, 1 thread`,
      seconds: one.seconds,
      baseline: base,
      ratio: one.seconds / pass,
      note: 'equal weights; betas of every asset-window',
    });
    const pool = new WorkerPool(2);
    try {
      await rollingPortfolioExposuresParallel(returns, factors, w, { window: 252, pool }); // warm the workers
      const two = await timeAsync(() => rollingPortfolioExposuresParallel(returns, factors, w, { window: 252, pool }));
      const same = two.result.exposures.series.every((s, c) =>
        Buffer.from(s.buffer).equals(Buffer.from(one.result.exposures.series[c].buffer)),
      );
      rows.push({
        group: 'exposures',
        case: `rolling 252d exposures ${panelName}, 2 threads`,
        seconds: two.seconds,
        baseline: `rolling 252d exposures ${panelName}, 1 thread`,
        ratio: two.seconds / one.seconds,
        note: `bit-identical to 1 thread: ${same}`,
      });
    } finally {
      await pool.destroy();
    }
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
    rows.push({
      group: 'exposures',
      case: `rolling 252d exposures real ${ex.nAssets} tickers on ${factors.columns.join(',')}, 1 thread`,
      seconds: one.seconds,
      baseline: base,
      ratio: one.seconds / pass,
      note: `equal weights; mean covered weight ${(one.result.coveredWeight.slice(251).reduce((a, b) => a + (b || 0), 0) / (ex.nDates - 251)).toFixed(2)}`,
    });
    const two = await timeAsync(() => rollingPortfolioExposuresParallel(ex, factors, w, { window: 252, threads: 2 }));
    rows.push({
      group: 'exposures',
      case: `rolling 252d exposures real, 2 threads (pool started in the call)`,
      seconds: two.seconds,
      baseline: `rolling 252d exposures real ${ex.nAssets} tickers on ${factors.columns.join(',')}, 1 thread`,
      ratio: two.seconds / one.seconds,
    });
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
    rows.push({
      group: 'exposures',
      case: `elastic net (l1 1e-5, l2 1e-5, normalized) ${panelName}`,
      seconds: en.seconds,
      baseline: base,
      ratio: en.seconds / pass,
      note: 'with residuals',
    });
  }

  // ---- statsmodels comparison ----
  const hasSm = spawnSync(PY, ['-c', 'import statsmodels'], { encoding: 'utf8' }).status === 0;
  if (!hasSm) {
    rows.push({
      group: 'statsmodels',
      case: 'statsmodels comparison skipped',
      seconds: 0,
      note: `${PY} lacks statsmodels: apt-get install python3-statsmodels`,
    });
    return rows;
  }
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-bench-'));
  try {
    const sn = 1250,
      sm = 500,
      window = 60;
    const { returns, factors } = makePanel(sn, sm, k, 0, 4);
    const x = new Float64Array(sn * k);
    for (let t = 0; t < sn; t++) for (let c = 0; c < k; c++) x[t * k + c] = factors.series[c][t];
    writeFileSync(join(dir, 'y.f64'), Buffer.from(returns.values.buffer));
    writeFileSync(join(dir, 'x.f64'), Buffer.from(x.buffer));
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ n: sn, m: sm, k, window }));
    const py = join(here, 'python/statsmodels_bench.py'),
      nodeCase = join(here, '_factorlab_case.mjs');
    // the floor of any Node process on this machine: start-up and exit, nothing loaded
    const floor = Math.min(...Array.from({ length: 5 }, () => whole(process.execPath, ['-e', 'console.log("{}")']).seconds));
    rows.push({ group: 'statsmodels', case: 'node -e 0 (start-up floor of any Node process)', seconds: floor, note: 'best of 5' });
    // big-case per-cell times from the rows above (the faster of 1 and 2 threads)
    const bigOls = rows
      .filter(
        (r) =>
          (r.case.startsWith('FactorExposures.fit') && !r.case.includes('missing')) ||
          r.case.startsWith(`fitExposuresParallel ${panelName}, 2`),
      )
      .sort((p, q) => p.seconds - q.seconds)[0];
    const bigRoll = rows.find((r) => r.case.startsWith(`rolling 252d exposures ${panelName}, 1 thread`));
    const stages = (o, keys) =>
      keys
        .filter((key) => o.stages?.[key] !== undefined)
        .map((key) => `${key} ${o.stages[key].toFixed(0)}`)
        .join(', ');
    for (const mode of ['ols', 'rolling']) {
      const what = mode === 'ols' ? `OLS + diagnostics ${sm} x ${sn}` : `RollingOLS ${window}d ${sm} x ${sn}`;
      const best = (runs) => runs.sort((p, q) => p.seconds - q.seconds)[0];
      const s = best(Array.from({ length: mode === 'ols' ? 2 : 1 }, () => whole(PY, [py, mode, dir])));
      const f = best(Array.from({ length: 5 }, () => whole(process.execPath, [nodeCase, mode, dir])));
      const agree = Math.abs(s.out.checksum - f.out.checksum) <= 1e-9 * Math.max(1, Math.abs(s.out.checksum));
      const sStart = s.seconds * 1000 - Object.values(s.out.stages).reduce((p, q) => p + q, 0);
      rows.push({
        group: 'statsmodels',
        case: `statsmodels ${what} (whole process)`,
        seconds: s.seconds,
        note: `ms: interpreter ${sStart.toFixed(0)}, ${stages(s.out, ['import', 'read', 'fit'])}`,
      });
      const fExit = f.seconds * 1000 - Object.values(f.out.stages).reduce((p, q) => p + q, 0);
      rows.push({
        group: 'statsmodels',
        case: `factorlab ${what} (whole process)`,
        seconds: f.seconds,
        baseline: `statsmodels ${what} (whole process)`,
        ratio: f.seconds / s.seconds,
        note: `statsmodels / factorlab = ${(s.seconds / f.seconds).toFixed(1)}x (fit alone ${(s.out.seconds_inside / f.out.seconds_inside).toFixed(0)}x); ms: ${stages(f.out, ['startup', 'import', 'read', 'fit', 'output'])}, exit ${fExit.toFixed(0)}; checksums agree: ${agree}; best of 5`,
      });
      if (mode === 'ols') {
        const need = s.seconds / 20;
        rows.push({
          group: 'statsmodels',
          case: `20x on ${what} needs a whole Node process under`,
          seconds: need,
          baseline: 'node -e 0 (start-up floor of any Node process)',
          ratio: need / floor,
          note:
            need > f.seconds
              ? 'reached'
              : `not reached: ${need < floor ? 'below the start-up of an empty Node process' : `${((f.seconds - need) * 1000).toFixed(0)} ms over`}`,
        });
      }
      const big = mode === 'ols' ? bigOls : bigRoll;
      if (big !== undefined) {
        const smPerCell = s.out.seconds_inside / (sn * sm);
        const flPerCell = big.seconds / (n * m);
        rows.push({
          group: 'statsmodels',
          case: `per asset-day: factorlab big case vs statsmodels ${what}`,
          seconds: flPerCell * 1e9,
          baseline: `statsmodels ${what}`,
          ratio: flPerCell / smPerCell,
          note: `ns per asset-day (factorlab ${(flPerCell * 1e9).toFixed(1)} [${big.case}] vs statsmodels ${(smPerCell * 1e9).toFixed(0)}): statsmodels / factorlab = ${(smPerCell / flPerCell).toFixed(0)}x${mode === 'rolling' ? ' (factorlab window 252 vs 60)' : ''}`,
        });
      }
    }
    // ---- the bench's own size, whole process each side: the work the issue asks 20x on ----
    {
      const big = makePanel(n, m, k, 0, 1);
      const bx = new Float64Array(n * k);
      for (let t = 0; t < n; t++) for (let c = 0; c < k; c++) bx[t * k + c] = big.factors.series[c][t];
      const bigDir = join(dir, 'big');
      mkdirSync(bigDir);
      writeFileSync(join(bigDir, 'y.f64'), Buffer.from(big.returns.values.buffer));
      writeFileSync(join(bigDir, 'x.f64'), Buffer.from(bx.buffer));
      writeFileSync(join(bigDir, 'shape.json'), JSON.stringify({ n, m, k, window }));
      const what = `OLS + diagnostics ${panelName}`;
      const s = whole(PY, [py, 'ols', bigDir]);
      const sStart = s.seconds * 1000 - Object.values(s.out.stages).reduce((a, b) => a + b, 0);
      const sCase = `statsmodels ${what} (whole process)`;
      rows.push({
        group: 'statsmodels',
        case: sCase,
        seconds: s.seconds,
        note: `one run; ms: interpreter ${sStart.toFixed(0)}, ${stages(s.out, ['import', 'read', 'fit'])}; BLAS may use both cores`,
      });
      // the issue's own statsmodels figure (0.7 s on 500 x 1,250), scaled by asset-days to this size
      const scaled = (ISSUE_STATSMODELS_OLS * (n * m)) / (500 * 1250);
      for (const threads of [1, 2]) {
        const f = [0, 1, 2]
          .map(() => whole(process.execPath, [nodeCase, 'ols', bigDir, String(threads)]))
          .sort((p, q) => p.seconds - q.seconds)[0];
        const agree = Math.abs(s.out.checksum - f.out.checksum) <= 1e-9 * Math.max(1, Math.abs(s.out.checksum));
        rows.push({
          group: 'statsmodels',
          case: `factorlab ${what} (whole process), ${threads} thread${threads > 1 ? 's' : ''}`,
          seconds: f.seconds,
          baseline: sCase,
          ratio: f.seconds / s.seconds,
          note: `statsmodels / factorlab = ${(s.seconds / f.seconds).toFixed(1)}x whole process (fit alone ${(s.out.seconds_inside / f.out.seconds_inside).toFixed(0)}x); the issue's 0.7 s scaled to this size (${scaled.toFixed(1)} s) / factorlab = ${(scaled / f.seconds).toFixed(1)}x; ms: ${stages(f.out, ['startup', 'import', 'read', 'fit', 'output'])}; checksums agree: ${agree}; best of 3`,
        });
      }
      // RollingOLS (same window as the 500 x 1,250 case) at this size, whole process, against the
      // issue's RollingOLS figure scaled by asset-days (statsmodels itself would take ~20 minutes here)
      const rollScaled = (ISSUE_STATSMODELS_ROLLING * (n * m)) / (500 * 1250);
      const fr = whole(process.execPath, [nodeCase, 'rolling', bigDir]);
      rows.push({
        group: 'statsmodels',
        case: `factorlab RollingOLS ${window}d ${panelName} (whole process), 1 thread`,
        seconds: fr.seconds,
        note: `the issue's RollingOLS ${ISSUE_STATSMODELS_ROLLING} s (500 x 1,250) scaled to this size (${rollScaled.toFixed(0)} s) / factorlab = ${(rollScaled / fr.seconds).toFixed(1)}x; ms: ${stages(fr.out, ['startup', 'import', 'read', 'fit', 'output'])}; one run`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) {
    console.log(
      `${r.case.padEnd(90)} ${r.seconds.toFixed(3).padStart(9)}${r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}` : ''}  ${r.note ?? ''}`,
    );
  }
}
