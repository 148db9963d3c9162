/**
 * Whole-path benchmark (issue 15): what a user runs, end to end. The CLI (`node dist/cli/main.js`)
 * as a whole process on CSV / CSV.gz files, to the JSON the user asked for, beside peers run on the
 * SAME files in the SAME run:
 *   - vectorised: bench/python/vectorised_peer.py, numpy/pandas written as a competent engineer
 *     would (pandas.read_csv, pivot, all assets at once, batched solve, batched NW lag products);
 *   - statsmodels: the per-asset sm.OLS(...).fit(cov_type='HAC') loop (statsmodels_bench.py wholepath);
 *   - alphalens-way: per-date pandas groupby / qcut / scipy (signals_baseline.py wholepath).
 * Jobs: `exposures --prices P --factors F --newey-west --out r.json` (OLS + Newey-West) and
 * `analyze --factor S --prices P --horizons 1,5,21 --out a.json`.
 *
 * Files (bench/_wholepath_data.mjs): seeded synthetic markets, generated once into
 * bench/out/data/<m>x<n>/ and reused: prices wide and long, plain and .csv.gz, a daily factor file
 * (date,mkt_rf,smb,hml,rmw,cma,mom,rf) and a long signal; plus the real 5,774-ticker matrix
 * (../shared/data/us/us_all_stocks_adj_close_wide_2013_2017.csv.gz) on Ken French daily 5 factors.
 *
 * Before any timing, on the small size 500 x 1,250 (and again after every timed case, on that
 * case's outputs), factorlab's JSON and the vectorised peer's are
 * compared field by field (exposures: nobs, coefficients, t, Newey-West t and lags, R²; analyze:
 * formation dates, per-date IC and rank IC and their means, quantile mean returns per date and over
 * dates); a relative difference above 1e-10 (AGREE; near-zero quantities against their own scale,
 * see relDiff) throws, and the bench fails loudly.
 *
 * Each timing is the wall time of the whole process (spawn -> exit) under /usr/bin/time (peak RSS
 * from its %M), runs alternated (factorlab, peer, factorlab, peer, ...), the median reported; each
 * side's stage split is its own one-line report on stderr (factorlab: FACTORLAB_TIMINGS=1,
 * src/cli/timings.ts; peers: peer_timings), medians per stage. Start-up is process start (the
 * peer: the caller's spawn) to ready-to-read, i.e. including module / library imports.
 *
 * Environment:
 *   BENCH_SIZES    comma list of MxN (assets x dates) and/or "real"; default 500x1250,3000x2500,5000x2520,real
 *   BENCH_RUNS     runs per side (default 5 at sizes under 1M cells, 3 above)
 *   BENCH_JOBS     exposures,analyze (default both)
 *   BENCH_LAYOUTS  wide,long (default both)      BENCH_FORMATS  csv,csv.gz (default both); without
 *                  either, sizes of 1M cells and more run wide csv and long csv.gz only
 *   BENCH_PEERS    vectorised,statsmodels,alphalens (default all three; the last two are slow: they
 *                  run in full at sizes up to BENCH_SLOW_MAX cells, default 700,000, BENCH_SLOW_RUNS
 *                  times, default 1, in the first rounds of the alternation)
 *   BENCH_SLOW_FULL=1  run the slow peers in full at every size too (statsmodels at 5,000 x 2,520:
 *                  several minutes a run). Without it, above BENCH_SLOW_MAX they run SAMPLED: the
 *                  whole file is read and prepared as always, but statsmodels' per-asset loop runs on
 *                  every step-th asset (BENCH_SAMPLE_ASSETS, default 500 assets) and the alphalens
 *                  way's per-date work on that many consecutive formation dates from the middle of
 *                  the calendar (BENCH_SAMPLE_DATES, default 250); the sampled part's time is scaled
 *                  linearly to all assets / dates (each asset's fit, each date's groupby is the same
 *                  work) and added to the measured rest. Such rows say "sampled" and the sample.
 *   BENCH_THREADS  factorlab --threads (default: the CLI's default)
 * Writes bench/out/wholepath.json. Run: `npm run bench -- --only wholepath`, or
 * `npm run build && node bench/wholepath.mjs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMarketFiles } from './_wholepath_data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out');
const DATA = join(OUT, 'data');
const WORK = join(OUT, 'wholepath-tmp');
const CLI = resolve(here, '../dist/cli/main.js');
/** The `factorlab` command as a user runs it (bin/factorlab: the CLI with 2 MiB pages for large arrays). */
const BIN = resolve(here, '../bin/factorlab');
const PY = '/usr/bin/python3';
const TIME = '/usr/bin/time';
const SHARED = resolve(here, '../../shared/data');
const REAL_PRICES = join(SHARED, 'us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');
const REAL_FACTORS = join(SHARED, 'ff/F-F_Research_Data_5_Factors_2x3_daily.CSV');

/** Largest relative difference tolerated between factorlab and the vectorised peer. */
const AGREE = 1e-10;

const env = process.env;
const list = (v, d) =>
  v === undefined || v === ''
    ? d
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
const log = (s) => process.stderr.write(`${s}\n`);

/** Peer processes run without this machine's OpenBLAS overrides, so numpy picks its own kernel. */
function peerEnv() {
  const e = { ...process.env };
  delete e.OPENBLAS_CORETYPE;
  delete e.OPENBLAS_L2_SIZE;
  return e;
}

/**
 * One whole process: wall seconds (spawn -> exit), peak RSS (KiB, /usr/bin/time %M) and the stage
 * line it printed on stderr (`key` = factorlab_timings / peer_timings).
 */
function runProcess(cmd, args, key, extraEnv = {}, useTime = existsSync(TIME)) {
  const rssFile = join(WORK, `rss-${process.pid}.txt`);
  const full = useTime ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const baseEnv = key === 'peer_timings' ? peerEnv() : { ...process.env };
  const e = { ...baseEnv, ...extraEnv, BENCH_SPAWN_EPOCH_MS: String(Date.now()) };
  const t = performance.now();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', env: e, maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-2000)}`);
  let stages = null;
  for (const line of (r.stderr ?? '').split('\n')) {
    if (!line.startsWith(`{"${key}"`)) continue;
    try {
      stages = JSON.parse(line)[key];
    } catch {
      /* not the report */
    }
  }
  let rssKiB = null;
  if (useTime && existsSync(rssFile)) {
    rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    rmSync(rssFile);
  }
  return { seconds, stages, rssKiB };
}

const median = (v) => {
  const s = v.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median of each stage over runs (ms). */
function medianStages(runs) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.stages ?? {})))];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r.stages?.[k]))]));
}

/** "startup 0.31 / read 1.20 / compute 0.40 / write 0.05" in seconds, from a stage record in ms. */
function splitText(s) {
  if (s === null) return '';
  const get = (k) => (s[k] === undefined || s[k] === null ? null : s[k] / 1000);
  const parts = [
    ['start', get('startup')],
    ['read', get('read')],
    ['compute', get('compute')],
    ['write', get('write')],
  ];
  return parts
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(' / ');
}

/**
 * A sampled slow peer's run scaled to the full work: its sampled part (`stages.sampled` ms, the
 * per-asset loop or the per-date work on the sample) times `stages.scale`, in place of the sample's
 * time; the measured wall time is kept as `measured`.
 */
function scaledRun(r) {
  const st = r.stages;
  if (st === null || !(st.scale > 1) || !(st.sampled >= 0)) return r;
  const extra = (st.sampled * (st.scale - 1)) / 1000;
  return {
    ...r,
    measured: r.seconds,
    seconds: r.seconds + extra,
    sample: st.sampleOf,
    stages: { ...st, compute: st.compute + extra * 1000, total: st.total + extra * 1000 },
  };
}

/** Alternated runs of every side (a side with `maxRuns` stops after that many): [side][run] results. */
function alternate(sides, runs) {
  const out = sides.map(() => []);
  for (let r = 0; r < runs; r++)
    sides.forEach((s, i) => {
      if (r < (s.maxRuns ?? runs)) out[i].push(s.run());
    });
  return out;
}

// ---------------------------------------------------------------- agreement check

/**
 * |a − b| / max(|a|, |b|, floor): relative, except that a quantity close to 0 on its own scale is
 * compared against that scale (`floor`): a coefficient against its standard error (an estimate of
 * 5e-7 with se 0.05 differs by 1.5e-15 in absolute terms, 3e-9 relatively), a t-value against 1, a
 * per-date IC or quantile mean against 1e-3 of the series' root mean square.
 */
function relDiff(a, b, floor = 0) {
  if (a === null || b === null || a === undefined || b === undefined) return a === b || (Number.isNaN(a) && b === null) ? 0 : Infinity;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** Root mean square of the finite values (the scale of a per-date series). */
const rms = (v) => {
  let s = 0,
    n = 0;
  for (const x of v)
    if (x !== null && Number.isFinite(x)) {
      s += x * x;
      n++;
    }
  return n ? Math.sqrt(s / n) : 0;
};

/** Throws when the vectorised peer's exposures differ from factorlab's. */
function checkExposures(fl, peer, where) {
  const byName = new Map(peer.assets.map((a) => [a.asset, a]));
  let worst = 0,
    what = '';
  const see = (d, label) => {
    if (d > worst) {
      worst = d;
      what = label;
    }
  };
  if (fl.assets.length !== peer.assets.length)
    throw new Error(`${where}: factorlab fitted ${fl.assets.length} assets, the peer ${peer.assets.length}`);
  for (const a of fl.assets) {
    const b = byName.get(a.asset);
    if (b === undefined) throw new Error(`${where}: asset ${a.asset} missing from the peer`);
    if (a.nobs !== b.nobs) throw new Error(`${where}: ${a.asset} nobs ${a.nobs} vs ${b.nobs}`);
    if (a.nw.lags !== b.nw.lags) throw new Error(`${where}: ${a.asset} NW lags ${a.nw.lags} vs ${b.nw.lags}`);
    for (const c of Object.keys(a.coef)) {
      see(relDiff(a.coef[c], b.coef[c], Math.min(a.se[c], a.nw.se[c])), `${a.asset} coef ${c}`);
      see(relDiff(a.se[c], b.se[c]), `${a.asset} se ${c}`);
      see(relDiff(a.nw.se[c], b.nw.se[c]), `${a.asset} NW se ${c}`);
      see(relDiff(a.t[c], b.t[c], 1), `${a.asset} t ${c}`);
      see(relDiff(a.nw.t[c], b.nw.t[c], 1), `${a.asset} NW t ${c}`);
    }
    see(relDiff(a.r2, b.r2), `${a.asset} r2`);
  }
  if (!(worst <= AGREE))
    throw new Error(
      `${where}: factorlab and the vectorised peer disagree: ${what} relative difference ${worst.toExponential(2)} > ${AGREE}`,
    );
  return {
    fields: 'nobs, NW lags, coef (vs max(|b|, se)), se, NW se, t and NW t (vs max(|t|, 1)), R²',
    assets: fl.assets.length,
    maxRelDiff: worst,
  };
}

/** Throws when the vectorised peer's analyze fields differ from factorlab's. */
function checkAnalyze(fl, peer, where) {
  let worst = 0,
    what = '';
  const see = (d, label) => {
    if (d > worst) {
      worst = d;
      what = label;
    }
  };
  for (const h of Object.keys(peer.ic)) {
    const a = fl.ic[h],
      b = peer.ic[h];
    if (a.dates.length !== peer.dates.length || a.dates.some((d, i) => d !== peer.dates[i]))
      throw new Error(`${where}: h=${h} formation dates differ (${a.dates.length} vs ${peer.dates.length})`);
    const fp = 1e-3 * rms(a.pearson),
      fs = 1e-3 * rms(a.spearman);
    a.pearson.forEach((v, i) => see(relDiff(v, b.pearson[i], fp), `h=${h} IC on ${a.dates[i]}`));
    a.spearman.forEach((v, i) => see(relDiff(v, b.spearman[i], fs), `h=${h} rank IC on ${a.dates[i]}`));
    see(relDiff(a.summary.pearson.mean, b.summary.pearson.mean), `h=${h} IC mean`);
    see(relDiff(a.summary.spearman.mean, b.summary.spearman.mean), `h=${h} rank IC mean`);
    see(relDiff(a.summary.pearson.tStat, b.summary.pearson.tStat), `h=${h} IC t`);
    const qa = fl.quantiles[h],
      qb = peer.quantiles[h];
    for (const q of Object.keys(qb.meanOverDates)) {
      see(relDiff(qa.meanOverDates[q], qb.meanOverDates[q]), `h=${h} quantile ${q} mean over dates`);
      const fq = 1e-3 * rms(qa.meanReturn[q]);
      qa.meanReturn[q].forEach((v, i) => see(relDiff(v, qb.meanReturn[q][i], fq), `h=${h} quantile ${q} mean on ${qa.dates[i]}`));
    }
  }
  if (!(worst <= AGREE))
    throw new Error(
      `${where}: factorlab and the vectorised peer disagree: ${what} relative difference ${worst.toExponential(2)} > ${AGREE}`,
    );
  return {
    fields: 'formation dates, per-date IC and rank IC, their means, IC t, quantile means per date and over dates',
    maxRelDiff: worst,
  };
}

// ---------------------------------------------------------------- cases

function factorlabArgs(job, files, layout) {
  const threads = env.BENCH_THREADS ? ['--threads', env.BENCH_THREADS] : [];
  if (job === 'exposures') {
    const long = layout === 'long' ? ['--value-col', 'value'] : [];
    return ['exposures', '--prices', files.prices, '--factors', files.factors, '--newey-west', ...long, '--out', files.out, ...threads];
  }
  const long = layout === 'long' ? ['--price-col', 'value'] : [];
  return [
    'analyze',
    '--factor',
    files.signal,
    '--factor-col',
    'value',
    '--prices',
    files.prices,
    ...long,
    '--horizons',
    '1,5,21',
    '--out',
    files.out,
    ...threads,
  ];
}

function peerArgs(peer, job, files, layout) {
  const py = join(here, 'python');
  if (peer === 'vectorised') {
    return job === 'exposures'
      ? [join(py, 'vectorised_peer.py'), 'exposures', files.prices, files.factors, files.out, '--layout', layout]
      : [join(py, 'vectorised_peer.py'), 'analyze', files.signal, files.prices, files.out, '--layout', layout, '--horizons', '1,5,21'];
  }
  if (peer === 'statsmodels') return [join(py, 'statsmodels_bench.py'), 'wholepath', files.prices, files.factors, files.out, layout];
  return [join(py, 'signals_baseline.py'), 'wholepath', files.signal, files.prices, files.out, layout];
}

function pythonVersions() {
  const code =
    'import json, numpy, pandas\ninfo = {"numpy": numpy.__version__, "pandas": pandas.__version__}\n' +
    'try:\n  from threadpoolctl import threadpool_info\n  info["blas"] = [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")} for d in threadpool_info()]\n' +
    'except Exception as e:\n  info["blas"] = "threadpoolctl unavailable: " + str(e)\nprint(json.dumps(info))';
  const r = spawnSync(PY, ['-c', code], { encoding: 'utf8', env: peerEnv() });
  return r.status === 0 ? JSON.parse(r.stdout) : { error: r.stderr };
}

export async function run() {
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js missing: npm run build');
  const py = spawnSync(PY, ['-c', 'import numpy, pandas, scipy'], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`${PY} lacks numpy / pandas / scipy: ${py.stderr}`);
  const versions = pythonVersions();
  const sizes = list(env.BENCH_SIZES, ['500x1250', '3000x2500', '5000x2520', 'real']);
  const jobs = list(env.BENCH_JOBS, ['exposures', 'analyze']);
  const layouts = list(env.BENCH_LAYOUTS, ['wide', 'long']);
  const formats = list(env.BENCH_FORMATS, ['csv', 'csv.gz']);
  const peers = list(env.BENCH_PEERS, ['vectorised', 'statsmodels', 'alphalens']);
  const slowMax = Number(env.BENCH_SLOW_MAX ?? 700_000);
  const slowFull = env.BENCH_SLOW_FULL === '1';
  const sampleEnv = { BENCH_SAMPLE_ASSETS: env.BENCH_SAMPLE_ASSETS ?? '500', BENCH_SAMPLE_DATES: env.BENCH_SAMPLE_DATES ?? '250' };
  const slowRuns = Number(env.BENCH_SLOW_RUNS ?? 1);
  const load0 = os.loadavg();
  const rows = [],
    table = [],
    checks = [];

  // ---- the agreement check, on the small size (whatever BENCH_SIZES says), before any timing
  const smallest = [500, 1250];
  {
    const dir = await ensureMarketFiles(DATA, smallest[0], smallest[1], log);
    for (const layout of ['wide', 'long']) {
      const prices = join(dir, `prices_${layout}.csv`);
      const files = { prices, factors: join(dir, 'factors.csv'), signal: join(dir, 'signal_long.csv') };
      for (const job of ['exposures', 'analyze']) {
        const flOut = join(WORK, `check-fl-${job}.json`),
          pyOut = join(WORK, `check-py-${job}.json`);
        runProcess(BIN, factorlabArgs(job, { ...files, out: flOut }, layout), 'factorlab_timings');
        runProcess(PY, peerArgs('vectorised', job, { ...files, out: pyOut }, layout), 'peer_timings');
        const fl = JSON.parse(readFileSync(flOut, 'utf8')),
          pe = JSON.parse(readFileSync(pyOut, 'utf8'));
        const where = `${job} ${smallest.join('x')} ${layout}`;
        const c = job === 'exposures' ? checkExposures(fl, pe, where) : checkAnalyze(fl, pe, where);
        checks.push({ case: where, ...c });
        log(`wholepath: agreement ${where}: max relative difference ${c.maxRelDiff.toExponential(2)} (${c.fields})`);
      }
    }
  }

  // ---- timings
  for (const size of sizes) {
    const real = size === 'real';
    let m, n, dir;
    if (real) {
      if (!existsSync(REAL_PRICES) || !existsSync(REAL_FACTORS)) {
        log('wholepath: real data missing, skipped');
        continue;
      }
      m = 5774;
      n = 1259;
    } else {
      [m, n] = size.split('x').map(Number);
      dir = await ensureMarketFiles(DATA, m, n, log);
    }
    const cells = m * n;
    const runs = Number(env.BENCH_RUNS ?? (cells < 1_000_000 ? 5 : 3));
    const caseJobs = real ? jobs.filter((j) => j === 'exposures') : jobs;
    // every layout x format at small sizes; at 1M cells and more (unless BENCH_LAYOUTS / BENCH_FORMATS
    // say otherwise) wide plain and long gzipped, the two ends, to keep the full run near 20 minutes
    const combos = real
      ? [['wide', 'csv.gz']]
      : cells >= 1_000_000 && env.BENCH_LAYOUTS === undefined && env.BENCH_FORMATS === undefined
        ? [
            ['wide', 'csv'],
            ['long', 'csv.gz'],
          ]
        : layouts.flatMap((l) => formats.map((f) => [l, f]));
    for (const job of caseJobs)
      for (const [layout, format] of combos) {
        const files = real
          ? { prices: REAL_PRICES, factors: REAL_FACTORS }
          : { prices: join(dir, `prices_${layout}.${format}`), factors: join(dir, 'factors.csv'), signal: join(dir, 'signal_long.csv') };
        const label = `${job} ${real ? 'real 5,774 x 1,259 (FF5)' : `${m} x ${n}`} ${layout} ${format}`;
        const sides = [
          {
            name: 'factorlab',
            run: () =>
              runProcess(BIN, factorlabArgs(job, { ...files, out: join(WORK, 'fl.json') }, layout), 'factorlab_timings', {
                FACTORLAB_TIMINGS: '1',
              }),
          },
        ];
        for (const peer of peers) {
          if (peer === 'statsmodels' && job !== 'exposures') continue;
          if (peer === 'alphalens' && job !== 'analyze') continue;
          const sampled = peer !== 'vectorised' && cells > slowMax && !slowFull;
          const run = () =>
            runProcess(
              PY,
              peerArgs(peer, job, { ...files, out: join(WORK, `${peer}.json`) }, layout),
              'peer_timings',
              sampled ? sampleEnv : {},
            );
          sides.push({ name: peer, maxRuns: peer === 'vectorised' ? runs : slowRuns, run: sampled ? () => scaledRun(run()) : run });
        }
        log(`wholepath: ${label}: ${runs} alternated runs of ${sides.map((s) => s.name).join(', ')}`);
        const load = os.loadavg()[0];
        const res = alternate(sides, runs);
        if (sides.some((s) => s.name === 'vectorised')) {
          // the timed outputs of the last runs, checked again on this case's own data
          const a = JSON.parse(readFileSync(join(WORK, 'fl.json'), 'utf8')),
            b = JSON.parse(readFileSync(join(WORK, 'vectorised.json'), 'utf8'));
          const c = job === 'exposures' ? checkExposures(a, b, label) : checkAnalyze(a, b, label);
          checks.push({ case: label, ...c });
          log(`wholepath: agreement ${label}: max relative difference ${c.maxRelDiff.toExponential(2)}`);
        }
        const fl = res[0];
        const flS = median(fl.map((r) => r.seconds));
        const flStages = medianStages(fl);
        const flRss = median(fl.map((r) => r.rssKiB));
        sides.forEach((s, i) => {
          const secs = median(res[i].map((r) => r.seconds));
          const stages = medianStages(res[i]);
          const rss = median(res[i].map((r) => r.rssKiB));
          const sample = res[i].find((r) => r.sample !== undefined)?.sample;
          const row = {
            job,
            size: real ? 'real' : `${m}x${n}`,
            layout,
            format,
            side: s.name,
            runs: res[i].length,
            seconds: secs,
            all: res[i].map((r) => r.seconds),
            stages,
            rssMiB: rss === null ? null : rss / 1024,
            load1: load,
            ...(sample === undefined ? {} : { sampled: `${sample}, scaled linearly`, measured: median(res[i].map((r) => r.measured)) }),
          };
          table.push(row);
          if (i > 0) {
            rows.push({
              group: 'wholepath',
              case: `${label}: ${s.name} / factorlab`,
              seconds: secs,
              baseline: `factorlab ${label}`,
              ratio: secs / flS,
              note: `factorlab ${flS.toFixed(2)} s [${splitText(flStages)}] ${flRss === null ? '' : `${(flRss / 1024).toFixed(0)} MiB`}; ${s.name} ${secs.toFixed(2)} s${row.sampled ? ` (sampled: ${row.sampled}; measured ${row.measured.toFixed(2)} s)` : ''} [${splitText(stages)}] ${rss === null ? '' : `${(rss / 1024).toFixed(0)} MiB`}; median of ${res[i].length} (factorlab ${runs}) alternated, load ${load.toFixed(1)}`,
            });
          } else {
            rows.push({
              group: 'wholepath',
              case: `factorlab ${label}`,
              seconds: secs,
              note: `[${splitText(stages)}] ${rss === null ? '' : `${(rss / 1024).toFixed(0)} MiB peak RSS`}; median of ${runs}`,
            });
          }
        });
        printTable(table);
      }
  }
  const out = {
    date: new Date().toISOString(),
    node: process.versions.node,
    cpus: os.cpus().length,
    loadavgStart: load0,
    loadavgEnd: os.loadavg(),
    python: versions,
    agreement: checks,
    cases: table,
  };
  writeFileSync(join(OUT, 'wholepath.json'), JSON.stringify(out, null, 2));
  log(`wholepath: wrote ${join(OUT, 'wholepath.json')}`);
  return rows;
}

/** The table: job, size, layout, format, factorlab s, peer s, ratio, both splits, both RSS. */
export function printTable(table) {
  const fls = table.filter((r) => r.side === 'factorlab');
  const lines = [
    [
      'job',
      'size',
      'layout',
      'format',
      'peer',
      'factorlab s',
      'peer s',
      'peer/fl',
      'factorlab split (s)',
      'peer split (s)',
      'RSS fl/peer MiB',
      'load',
    ],
  ];
  for (const f of fls) {
    const others = table.filter(
      (r) => r.side !== 'factorlab' && r.job === f.job && r.size === f.size && r.layout === f.layout && r.format === f.format,
    );
    for (const o of others.length ? others : [null]) {
      lines.push([
        f.job,
        f.size,
        f.layout,
        f.format,
        o ? `${o.side}${o.sampled ? ' (sampled)' : ''}` : '',
        f.seconds.toFixed(2),
        o ? `${o.sampled ? '~' : ''}${o.seconds.toFixed(2)}` : '',
        o ? `${(o.seconds / f.seconds).toFixed(2)}x` : '',
        splitText(f.stages),
        o ? splitText(o.stages) : '',
        `${f.rssMiB?.toFixed(0) ?? '?'} / ${o?.rssMiB?.toFixed(0) ?? '?'}`,
        f.load1.toFixed(1),
      ]);
    }
  }
  const w = lines[0].map((_, c) => Math.max(...lines.map((l) => String(l[c]).length)));
  log(
    lines
      .map((l) =>
        l
          .map((s, c) => String(s).padEnd(w[c]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n'),
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run();
  for (const r of rows)
    console.log(`${r.case}: ${r.seconds.toFixed(3)} s${r.ratio === undefined ? '' : ` (${r.ratio.toFixed(2)}x)`} ${r.note ?? ''}`);
}
