/**
 * Single-factor analysis benchmark (issue 4, "Fast"). Every case sits next to a baseline measured
 * in the same run. Cases:
 *  - the full analysis (`analyzeFactor`: forward returns 1, 5, 21; IC and rank IC; quantiles with
 *    every variant, NAV and spread; the regression test; turnover and rank autocorrelation) on a
 *    synthetic market of 3,000 assets x 2,500 days (factor = the planted signal), split into
 *    `prepareFactorData` and the statistics, next to a plain pass over the same two panels (the
 *    sum of every cell of prices and factor);
 *  - the same on the real 5,774-ticker wide price matrix (../shared/data, 12-1 momentum from
 *    signals/momentum.ts), next to a plain pass over its panels;
 *  - growth: 750 x 1,250, 1,500 x 2,500 and 3,000 x 2,500, each against the plain pass over its own
 *    panels (a constant ratio = time linear in assets x dates), with ns per asset-day;
 *  - memory of the 5,774-ticker case in a child process: `/usr/bin/time -v` maximum RSS of the
 *    whole process (DuckDB's ingest included), and process.memoryUsage() rss / heap after the
 *    analysis;
 *  - the alphalens comparison: alphalens is not installable here (no PyPI), so its approach (pandas
 *    groupby per date, pd.qcut, scipy spearmanr / pearsonr, per-date OLS) is timed as a whole
 *    /usr/bin/python3 process (bench/python/signals_baseline.py) on 500 x 1,250 synthetic data and
 *    on the bench's 3,000 x 2,500, against factorlab doing the same work as a whole node process
 *    (loads dist, reads the same float64 files, onto shared memory with threads as the CLI's readers
 *    do, runs analyzeFactorParallel as the CLI does). The
 *    issue's alphalens figure (4.4 s compute + 1.5 s start-up for 500 x 1,250; its compute scaled
 *    by asset-days for the big case) is quoted as a fixed reference in the note column.
 * Multi-core: `analyzeFactorParallel` (src/parallel/analyze.ts) on 2 threads against 1 thread (=
 * `analyzeFactor` in process), alternated, best of 3, on 3,000 x 2,500 synthetic and the real
 * 5,774-ticker momentum case, each with the parallel capacity of the shared machine measured just
 * before (two spin loops on two threads vs one: 2.00 = a free second core) and whether the JSON is
 * bit-identical; a fresh pool per call, as the CLI does (worker start-up included). The crossover
 * rows time both paths on small sizes (where the in-process threshold MIN_PARALLEL_ASSET_DAYS
 * comes from). The other rows are one thread; the whole-process child uses the CLI's code path.
 *
 * Run: `npm run build && node bench/signals.mjs` (or `npm run bench -- --only signals`).
 */
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticMarket } from '../dist/synthetic/index.js';
import { analyzeFactor, analyzeFactorData } from '../dist/signals/analyze.js';
import { MIN_PARALLEL_ASSET_DAYS, analyzeFactorParallel } from '../dist/parallel/analyze.js';
import { prepareFactorData } from '../dist/signals/factorData.js';
import { momentum } from '../dist/signals/momentum.js';
import { readPanel } from '../dist/io/index.js';
import { parallelCapacity, plainPass, time } from './_common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../shared/data');
const WIDE = resolve(DATA, 'us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');
const PY = '/usr/bin/python3';
const DIST = pathToFileURL(resolve(here, '../dist')).href;
const SIGNALS_GROUP = 'signals';
const ALPHALENS_REF = { compute: 4.4, startup: 1.5 }; // issue 4, 500 x 1,250 on this machine class

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const fmt = (x, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function market(m, n) {
  const mk = syntheticMarket({ nAssets: m, nDates: n, seed: 7 });
  return { factor: mk.signal, prices: mk.prices };
}

/** Runs a node ES module given as source; returns wall seconds, parsed last stdout line, stderr. */
function nodeChild(code, { timeV = false } = {}) {
  const args = ['--input-type=module', '-e', code];
  const cmd = timeV ? '/usr/bin/time' : process.execPath;
  const argv = timeV ? ['-v', process.execPath, ...args] : args;
  const t = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`child failed (${cmd}): ${r.stderr}`);
  return { seconds, out: JSON.parse(r.stdout.trim().split('\n').pop()), stderr: r.stderr };
}

/** The full analysis of one synthetic size, split into its two halves; best of reps. */
function synthCase(m, n, reps) {
  const { factor, prices } = market(m, n);
  const plain = plainPass(prices, factor);
  let prep = Infinity,
    stats = Infinity,
    full = Infinity,
    result;
  for (let i = 0; i < reps; i++) {
    const a = time(() => prepareFactorData({ factor, prices }));
    const b = time(() => analyzeFactorData(a.result));
    const c = time(() => analyzeFactor({ factor, prices }));
    prep = Math.min(prep, a.seconds);
    stats = Math.min(stats, b.seconds);
    full = Math.min(full, c.seconds);
    result = c.result;
  }
  return { plain, prep, stats, full, result, cells: m * n };
}

/**
 * analyzeFactorParallel on 1 thread (in process) and on 2 (a fresh pool per call, as the CLI does),
 * alternated, best of `reps` each; the parallel capacity just before; JSON identity of the two.
 */
async function oneVsTwo(input, options, reps) {
  const capacity = await parallelCapacity();
  let one = Infinity,
    two = Infinity,
    a,
    b;
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    a = await analyzeFactorParallel(input, { ...options, threads: 1 });
    one = Math.min(one, (performance.now() - t) / 1000);
    t = performance.now();
    b = await analyzeFactorParallel(input, { ...options, threads: 2, minParallelCells: 0 });
    two = Math.min(two, (performance.now() - t) / 1000);
  }
  return { one, two, capacity, identical: JSON.stringify(a) === JSON.stringify(b), result: a };
}

export async function run() {
  if (!existsSync(WIDE)) {
    throw new Error(
      `bench/signals.mjs: the real price matrix ${WIDE} is missing (expected ../shared/data next to the repository; see its README.md)`,
    );
  }
  const rows = [];
  const G = SIGNALS_GROUP;

  // ---- 3,000 x 2,500 synthetic, with the growth check ----
  const sizes = [
    [750, 1250, 3],
    [1500, 2500, 2],
    [3000, 2500, 2],
  ];
  {
    const w = market(500, 500);
    analyzeFactor(w);
  } // JIT warm-up, so the smallest size is not charged for it
  const growth = sizes.map(([m, n, reps]) => ({ m, n, ...synthCase(m, n, reps) }));
  const big = growth[growth.length - 1];
  const bigName = '3,000 x 2,500 synthetic';
  rows.push({
    group: G,
    case: `plain pass ${bigName} (prices + factor)`,
    seconds: big.plain,
    note: 'sum of every cell of both panels, best of 5',
  });
  rows.push({
    group: G,
    case: `prepareFactorData ${bigName}`,
    seconds: big.prep,
    baseline: `plain pass ${bigName} (prices + factor)`,
    ratio: big.prep / big.plain,
    note: 'forward returns 1,5,21, joint universe, data loss',
  });
  rows.push({
    group: G,
    case: `statistics ${bigName}`,
    seconds: big.stats,
    baseline: `plain pass ${bigName} (prices + factor)`,
    ratio: big.stats / big.plain,
    note: 'IC + rank IC, quantiles, regression, turnover, 3 horizons',
  });
  const ic1 = big.result.ic['1'].summary.spearman.mean;
  rows.push({
    group: G,
    case: `analyzeFactor ${bigName}`,
    seconds: big.full,
    baseline: `plain pass ${bigName} (prices + factor)`,
    ratio: big.full / big.plain,
    note: `1 thread, best of 2; rank IC(1) ${fmt(ic1)} (planted IC 0.05)`,
  });
  const perCell0 = growth[0].full / growth[0].cells;
  for (const g of growth) {
    const name = `${g.m} x ${g.n}`;
    rows.push({ group: `${G} growth`, case: `plain pass ${name}`, seconds: g.plain, note: `${(g.cells / 1e6).toFixed(2)} M asset-days` });
    rows.push({
      group: `${G} growth`,
      case: `analyzeFactor ${name}`,
      seconds: g.full,
      baseline: `plain pass ${name}`,
      ratio: g.full / g.plain,
      note: `${((1e9 * g.full) / g.cells).toFixed(0)} ns per asset-day, ${(g.full / g.cells / perCell0).toFixed(2)}x the smallest size's`,
    });
  }

  // ---- two threads: analyzeFactorParallel, the product path ----
  {
    const { factor, prices } = market(3000, 2500);
    const e = await oneVsTwo({ factor, prices }, {}, 3);
    rows.push({
      group: G,
      case: `analyzeFactorParallel ${bigName}, 1 thread`,
      seconds: e.one,
      note: 'in process (= analyzeFactor), best of 3 alternated with the 2-thread run',
    });
    rows.push({
      group: G,
      case: `analyzeFactorParallel ${bigName}, 2 threads`,
      seconds: e.two,
      baseline: `analyzeFactorParallel ${bigName}, 1 thread`,
      ratio: e.two / e.one,
      note: `speed-up ${(e.one / e.two).toFixed(2)}x; fresh pool per call (worker start-up included), best of 3; parallel capacity just before ${e.capacity.toFixed(2)} of 2.00; bit-identical: ${e.identical}`,
    });
  }
  // ---- where 2 threads start to pay (MIN_PARALLEL_ASSET_DAYS) ----
  for (const [m, n] of [
    [250, 1000],
    [500, 1250],
    [1000, 1250],
    [2000, 1250],
  ]) {
    const e = await oneVsTwo(market(m, n), {}, 3);
    rows.push({
      group: `${G} crossover`,
      case: `analyzeFactorParallel ${m} x ${n.toLocaleString('en-US')} (${((m * n) / 1e6).toFixed(2)} M asset-days), 2 threads vs 1`,
      seconds: e.two,
      ratio: e.two / e.one,
      note: `1 thread ${e.one.toFixed(3)} s; speed-up ${(e.one / e.two).toFixed(2)}x; capacity ${e.capacity.toFixed(2)}; bit-identical: ${e.identical}; in process below ${(MIN_PARALLEL_ASSET_DAYS / 1e6).toFixed(2)} M`,
    });
  }

  // ---- the real 5,774-ticker matrix ----
  const t0 = performance.now();
  const prices = (await readPanel(WIDE, { kind: 'prices' })).panel;
  const loadSeconds = (performance.now() - t0) / 1000;
  const mom = momentum(prices);
  const realName = `${prices.nAssets.toLocaleString('en-US')} tickers x ${prices.nDates.toLocaleString('en-US')} days`;
  const realPlain = plainPass(prices, mom);
  const real = await oneVsTwo({ factor: mom, prices }, {}, 3);
  const r1 = real.result;
  rows.push({
    group: `${G} real`,
    case: `plain pass ${realName} (prices + momentum)`,
    seconds: realPlain,
    note: `readPanel took ${loadSeconds.toFixed(2)} s (not in the rows below)`,
  });
  rows.push({
    group: `${G} real`,
    case: `analyzeFactor 12-1 momentum ${realName}, 1 thread`,
    seconds: real.one,
    baseline: `plain pass ${realName} (prices + momentum)`,
    ratio: real.one / realPlain,
    note: `${r1.nDates} formation dates; rank IC(21) ${fmt(r1.ic['21'].summary.spearman.mean)}; in process, best of 3`,
  });
  rows.push({
    group: `${G} real`,
    case: `analyzeFactorParallel 12-1 momentum ${realName}, 2 threads`,
    seconds: real.two,
    baseline: `analyzeFactor 12-1 momentum ${realName}, 1 thread`,
    ratio: real.two / real.one,
    note: `speed-up ${(real.one / real.two).toFixed(2)}x; fresh pool per call, best of 3; parallel capacity just before ${real.capacity.toFixed(2)} of 2.00; bit-identical: ${real.identical}`,
  });

  // ---- memory of the real case, whole processes: with DuckDB's ingest, and the analysis alone ----
  const timeV = existsSync('/usr/bin/time');
  const maxRssOf = (child) =>
    Number((/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr) ?? [])[1] ?? child.out.maxRssKb) * 1024;
  const memCode = `
    const { readPanel } = await import('${DIST}/io/index.js');
    const { momentum } = await import('${DIST}/signals/momentum.js');
    const { analyzeFactor } = await import('${DIST}/signals/analyze.js');
    const prices = (await readPanel(${JSON.stringify(WIDE)}, { kind: 'prices' })).panel;
    const loaded = process.memoryUsage();
    const a = analyzeFactor({ factor: momentum(prices), prices });
    const after = process.memoryUsage();
    console.log(JSON.stringify({ nDates: a.nDates, loaded, after, maxRssKb: process.resourceUsage().maxRSS }));`;
  const mem = nodeChild(memCode, { timeV });
  rows.push({
    group: `${G} real`,
    case: `peak memory, readPanel + analyzeFactor ${realName}`,
    seconds: mem.seconds,
    note: `max RSS ${mb(maxRssOf(mem))} (target < 1 GB); rss ${mb(mem.out.loaded.rss)} after readPanel (DuckDB), ${mb(mem.out.after.rss)} after the analysis`,
  });
  const memDir = mkdtempSync(join(tmpdir(), 'factorlab-signals-mem-'));
  try {
    writeFileSync(join(memDir, 'prices.f64'), Buffer.from(prices.values.buffer, prices.values.byteOffset, prices.values.byteLength));
    writeFileSync(join(memDir, 'meta.json'), JSON.stringify({ dates: Array.from(prices.dates), assets: prices.assets }));
    const aloneCode = `
      const { readFileSync } = await import('node:fs');
      const { Panel } = await import('${DIST}/core/index.js');
      const { momentum } = await import('${DIST}/signals/momentum.js');
      const { analyzeFactor } = await import('${DIST}/signals/analyze.js');
      const meta = JSON.parse(readFileSync(${JSON.stringify(join(memDir, 'meta.json'))}, 'utf8'));
      const buf = readFileSync(${JSON.stringify(join(memDir, 'prices.f64'))});
      const values = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const prices = new Panel(Int32Array.from(meta.dates), meta.assets, values);
      const loaded = process.memoryUsage();
      const a = analyzeFactor({ factor: momentum(prices), prices });
      const after = process.memoryUsage();
      console.log(JSON.stringify({ nDates: a.nDates, loaded, after, maxRssKb: process.resourceUsage().maxRSS }));`;
    const alone = nodeChild(aloneCode, { timeV });
    rows.push({
      group: `${G} real`,
      case: `peak memory, analyzeFactor alone ${realName}`,
      seconds: alone.seconds,
      note: `max RSS ${mb(maxRssOf(alone))} (prices from a binary file, no DuckDB); rss ${mb(alone.out.loaded.rss)} with the prices loaded; after: heap ${mb(alone.out.after.heapUsed)}, typed arrays ${mb(alone.out.after.arrayBuffers)}`,
    });
  } finally {
    rmSync(memDir, { recursive: true, force: true });
  }

  // ---- the alphalens-style comparison, whole processes: 500 x 1,250 (the issue's figure) and the bench's 3,000 x 2,500 ----
  const probe = spawnSync(PY, ['-c', 'import pandas, scipy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    rows.push({
      group: `${G} vs pandas`,
      case: 'pandas/scipy comparison skipped',
      seconds: 0,
      note: `${PY} lacks pandas or scipy: apt-get install python3-pandas python3-scipy`,
    });
    return rows;
  }
  for (const [cm, cn] of [
    [500, 1250],
    [3000, 2500],
  ])
    rows.push(...comparePandas(cm, cn, big));
  return rows;
}

/**
 * One whole pandas/scipy process against one whole factorlab process (median of 3) on the same
 * m x n synthetic market, both reading it from the same little-endian float64 files: factorlab
 * runs analyzeFactorParallel with the default threads, the CLI's code path.
 */
function comparePandas(cm, cn, big) {
  const rows = [];
  const cmpName = `${cm.toLocaleString('en-US')} x ${cn.toLocaleString('en-US')}`;
  const scale = (cm * cn) / (500 * 1250);
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-signals-'));
  try {
    const { factor, prices: p } = market(cm, cn);
    writeFileSync(join(dir, 'prices.f64'), Buffer.from(p.values.buffer, p.values.byteOffset, p.values.byteLength));
    writeFileSync(join(dir, 'factor.f64'), Buffer.from(factor.values.buffer, factor.values.byteOffset, factor.values.byteLength));
    writeFileSync(join(dir, 'days.i32'), Buffer.from(p.dates.buffer, p.dates.byteOffset, p.dates.byteLength));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n: cn, m: cm, horizons: [1, 5, 21], quantiles: 5 }));
    const tp = performance.now();
    const pr = spawnSync(PY, [join(here, 'python/signals_baseline.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const pySeconds = (performance.now() - tp) / 1000;
    if (pr.status !== 0) throw new Error(`signals_baseline.py failed: ${pr.stderr}`);
    const py = JSON.parse(pr.stdout.trim().split('\n').pop());
    // the CLI's code path: analyzeFactorParallel with the default threads (parallel when it pays)
    const flCode = `
      const t0 = performance.now();
      const { closeSync, fstatSync, openSync, readFileSync, readSync } = await import('node:fs');
      const { Panel } = await import('${DIST}/core/panel.js');
      const { analyzeFactorParallel } = await import('${DIST}/parallel/analyze.js');
      const { defaultThreads } = await import('${DIST}/parallel/pool.js');
      // as the CLI: with worker threads the panels are read onto shared memory (read in place by the workers)
      const shared = defaultThreads() > 1;
      const f64 = (f) => {
        if (!shared) { const b = readFileSync('${dir}/' + f); return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8); }
        const fd = openSync('${dir}/' + f, 'r');
        try {
          const size = fstatSync(fd).size, buf = new SharedArrayBuffer(size), bytes = new Uint8Array(buf);
          for (let at = 0; at < size;) at += readSync(fd, bytes, at, size - at, at);
          return new Float64Array(buf);
        } finally { closeSync(fd); }
      };
      const b = readFileSync('${dir}/days.i32'), days = new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
      const assets = Array.from({ length: ${cm} }, (_, j) => 'A' + j);
      const prices = new Panel(days, assets, f64('prices.f64')), factor = new Panel(days, assets, f64('factor.f64'));
      const t1 = performance.now();
      const a = await analyzeFactorParallel({ factor, prices });
      const t2 = performance.now();
      const by = (f) => Object.fromEntries(a.horizons.map((h) => [h + 'D', f(String(h))]));
      console.log(JSON.stringify({ seconds_setup: (t1 - t0) / 1000, seconds_compute: (t2 - t1) / 1000,
        mean_ic: by((h) => a.ic[h].summary.pearson.mean), mean_rank_ic: by((h) => a.ic[h].summary.spearman.mean),
        mean_factor_return: by((h) => a.regression[h].summary.meanFactorReturn), spread_mean: by((h) => a.quantiles[h].spread.mean) }));`;
    const runs = [nodeChild(flCode), nodeChild(flCode), nodeChild(flCode)].sort((x, y) => x.seconds - y.seconds);
    const fl = runs[1]; // median of three
    // cross-check: the two did the same work
    let diff = 0;
    for (const k of ['mean_ic', 'mean_rank_ic', 'mean_factor_return', 'spread_mean'])
      for (const h of ['1D', '5D', '21D']) diff = Math.max(diff, Math.abs(py[k][h] - fl.out[k][h]));
    // the issue's alphalens figure (500 x 1,250), its compute scaled by asset-days to this size
    const refTotal = ALPHALENS_REF.compute * scale + ALPHALENS_REF.startup;
    const pyCase = `pandas/scipy (alphalens approach) ${cmpName}, whole process`;
    rows.push({
      group: `${SIGNALS_GROUP} vs pandas`,
      case: pyCase,
      seconds: pySeconds,
      note: `one run; compute ${py.seconds_compute.toFixed(2)} s, imports ${py.seconds_import.toFixed(2)} s; issue's alphalens figure${scale !== 1 ? ` scaled by asset-days (x${scale.toFixed(1)})` : ''}: ${(ALPHALENS_REF.compute * scale).toFixed(1)} s + ${ALPHALENS_REF.startup} s start-up = ${refTotal.toFixed(1)} s`,
    });
    rows.push({
      group: `${SIGNALS_GROUP} vs pandas`,
      case: `factorlab ${cmpName}, whole process`,
      seconds: fl.seconds,
      baseline: pyCase,
      ratio: fl.seconds / pySeconds,
      note: `analyzeFactorParallel, default threads (${cm * cn >= MIN_PARALLEL_ASSET_DAYS ? 'parallel' : 'in process'} at ${((cm * cn) / 1e6).toFixed(3)} M asset-days), as the CLI; median of 3 (imports and reading ${fl.out.seconds_setup.toFixed(2)} s); pandas / factorlab = ${(pySeconds / fl.seconds).toFixed(1)}x whole process, ${(py.seconds_compute / fl.out.seconds_compute).toFixed(0)}x compute (${fl.out.seconds_compute.toFixed(3)} s); alphalens figure${scale !== 1 ? ' (scaled)' : ''} / factorlab = ${(refTotal / fl.seconds).toFixed(1)}x; max |diff| of mean IC, rank IC, factor return, spread ${diff.toExponential(1)}`,
    });
    if (cm === 500) {
      // per unit of work: pandas' compute per asset-day against factorlab's on the big synthetic case
      const pyCell = py.seconds_compute / (cm * cn),
        flCell = big.full / big.cells;
      rows.push({
        group: `${SIGNALS_GROUP} vs pandas`,
        case: 'per asset-day: factorlab 3,000 x 2,500 vs pandas/scipy 500 x 1,250',
        seconds: big.full,
        ratio: flCell / pyCell,
        baseline: pyCase,
        note: `${(1e9 * flCell).toFixed(0)} ns vs ${(1e6 * pyCell).toFixed(1)} us per asset-day (compute only, 1 thread): pandas / factorlab = ${(pyCell / flCell).toFixed(0)}x`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run();
  for (const r of rows) {
    console.log(
      `${r.case.padEnd(72)} ${r.seconds.toFixed(3).padStart(8)} s${r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}` : ''}  ${r.note ?? ''}`,
    );
  }
}
