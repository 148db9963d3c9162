/**
 * Backtest benchmark (issue 13): two strategies on the real files, factorlab against a pandas/numpy
 * peer on the same files in the same run (bench/python/backtest_peer.py), the NAVs compared to
 * 1e-10 before any time is reported.
 *
 * - S&P 500 monthly top 50 by 12-1 momentum among point-in-time members (sp500_ticker_start_end.csv),
 *   2007-01-01 .. 2016-12-31, 5 bp, on the long us_sp500_adj_ohlcv_2005_2017.csv.gz (523 tickers);
 *   the peer runs the drift-aware row loop (vectorised over assets).
 * - daily top decile by 12-1 momentum over the wide 5,774-ticker matrix, 2 bp; the peer is fully
 *   vectorised over dates and assets.
 *
 * Three timings each (few repetitions: a shared machine):
 * - whole process: `factorlab backtest ... --nav-out` against the peer script, each a fresh process
 *   under /usr/bin/time, CPU seconds (user + sys) and wall, best of `REPS`; and again with the
 *   weights after every rebalance and every trade written as CSV (`--weights-out --trades-out`;
 *   the peer writes the same rows with pandas' to_csv; the row counts compared);
 * - backtest only (read excluded on both sides): factorlab in process (momentum, membership,
 *   runBacktest, statistics; best CPU of at least INPROCESS_REPS repetitions and of as many as fill
 *   INPROCESS_SECONDS, so that a case of a few milliseconds is timed once V8 has optimised it, as a
 *   long one is; the first, compiling repetition is reported beside it) against the peer's own CPU
 *   for the same stage, timed the same way: best of as many repetitions in one process of its own
 *   (`repeat`, `repeat_seconds`; its first beside it).
 * CPU time is the fairer measure on a loaded machine; wall is printed beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const DATA = resolve(root, '../shared/data');
const PY = '/usr/bin/python3';
const BIN = join(root, 'bin/factorlab');
const TIME = '/usr/bin/time';
const REPS = Number(process.env.BENCH_REPS ?? 2);

const { readPanel } = await import(join(root, 'dist/io/index.js'));
const { runBacktest, momentumRows, topN, topQuantile, performance: performanceStats } = await import(join(root, 'dist/backtest/index.js'));
const { readMembership } = await import(join(root, 'dist/cli/membership.js'));

const CASES = [
  {
    name: 'S&P 500 monthly top 50, point-in-time members, 2007-2016',
    prices: join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz'),
    membership: join(DATA, 'us/sp500_ticker_start_end.csv'),
    cli: [
      '--factor',
      'momentum',
      '--schedule',
      'month-end',
      '--top',
      '50',
      '--cost-bps',
      '5',
      '--start',
      '2007-01-01',
      '--end',
      '2016-12-31',
    ],
    peer: {
      prices_layout: 'long',
      asset_col: 'ticker',
      price_col: 'close',
      factor: 'momentum',
      schedule: 'month-end',
      bps: 5,
      rule: 'top-n',
      top: 50,
      start: '2007-01-01',
      end: '2016-12-31',
    },
    rule: () => topN(50),
    schedule: { kind: 'month-end' },
    bps: 5,
    range: ['2007-01-01', '2016-12-31'],
  },
  {
    name: '5,774 tickers daily top decile, 2013-2017',
    prices: join(DATA, 'us/us_all_stocks_adj_close_wide_2013_2017.csv.gz'),
    cli: ['--factor', 'momentum', '--rule', 'top-quantile', '--quantiles', '10', '--schedule', 'daily', '--cost-bps', '2'],
    peer: { factor: 'momentum', schedule: 'daily', bps: 2, rule: 'top-quantile', quantiles: 10 },
    rule: () => topQuantile(10),
    schedule: { kind: 'daily' },
    bps: 2,
  },
];

function timed(cmd, args) {
  const out = join(tmpdir(), `bt-time-${process.pid}.txt`);
  const r = spawnSync(TIME, ['-f', '%U %S %e %M', '-o', out, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-1500)}`);
  const [user, sys, wall, rss] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(out, { force: true });
  return { cpu: user + sys, wall, rssMiB: rss / 1024, stdout: r.stdout };
}

function navCsv(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const d = head.indexOf('date'),
    v = head.indexOf('nav_net');
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    return [c[d], Number(c[v])];
  });
}

// The read's garbage is collected before the first timing (the process runs with --expose-gc):
// otherwise V8's collection of it, on its helper threads as well, lands in the backtest's CPU. Only
// before the first: a forced full collection between repetitions makes V8 throw away the code it
// optimised, so every repetition paid its compilation again on the helper threads (16-24 functions
// a repetition, 30-60 ms of CPU on the daily case; none without the collection). The backtest's own
// garbage is counted.
/**
 * Repetitions of the in-process backtest (best CPU counts): the first ones run code V8 has not
 * optimised yet, and its compiler threads' CPU lands in theirs. At least INPROCESS_REPS, and more
 * until INPROCESS_SECONDS of wall time have passed (at most 200): seven repetitions of the 4 ms
 * monthly case end before V8 has finished compiling it (best 15 ms CPU at 7 repetitions, 8 ms
 * wall; 4.3 ms CPU and wall at 30); the daily case did not settle within seven either (2026-12-04:
 * best 105 ms at 7, 92 ms at 30 in the same minutes, CPU above wall in the first ones while V8
 * compiled): 2 s gives it about 25. The peer's stage is repeated the same way, so both sides are
 * their best steady-state run (pandas has no compiler to wait for; its first run is beside it).
 */
const INPROCESS_REPS = 7;
const INPROCESS_SECONDS = 2;
const cpuSeconds = (f, collect = false) => {
  if (collect) globalThis.gc?.();
  const u = process.cpuUsage();
  const t = performance.now();
  const result = f();
  const d = process.cpuUsage(u);
  return { cpu: (d.user + d.system) / 1e6, wall: (performance.now() - t) / 1000, result };
};

export async function run() {
  if (!existsSync(join(DATA, 'us'))) throw new Error(`${DATA} is missing (the shared market data beside the repository)`);
  if (!existsSync(PY)) throw new Error(`${PY} with pandas is needed for the peer`);
  const rows = [];
  const work = mkdtempSync(join(tmpdir(), 'factorlab-bench-backtest-'));
  try {
    for (const c of CASES) {
      const nav = join(work, 'nav.csv');
      const cliArgs = [
        'backtest',
        '--prices',
        c.prices,
        ...(c.membership ? ['--membership', c.membership] : []),
        ...c.cli,
        '--nav-out',
        nav,
      ];
      const peerArgs = [
        join(here, 'python/backtest_peer.py'),
        JSON.stringify({ prices: c.prices, ...(c.membership ? { membership: c.membership } : {}), ...c.peer }),
      ];
      let ours = null,
        peer = null,
        peerOut = null;
      for (let k = 0; k < REPS; k++) {
        const a = timed(BIN, cliArgs); // the `factorlab` command as a user runs it (bin/factorlab)
        const b = timed(PY, peerArgs);
        if (ours === null || a.cpu < ours.cpu) ours = a;
        if (peer === null || b.cpu < peer.cpu) {
          peer = b;
          peerOut = JSON.parse(b.stdout);
        }
      }
      // the same NAV, to 1e-10, before any time counts
      const ourNav = navCsv(nav);
      if (ourNav.length !== peerOut.navNet.length)
        throw new Error(`${c.name}: ${ourNav.length} NAV rows against the peer's ${peerOut.navNet.length}`);
      let worst = 0;
      ourNav.forEach(([d, v], i) => {
        if (d !== peerOut.dates[i]) throw new Error(`${c.name}: row ${i} is ${d}, the peer's ${peerOut.dates[i]}`);
        worst = Math.max(worst, Math.abs(v - peerOut.navNet[i]));
      });
      if (!(worst < 1e-10)) throw new Error(`${c.name}: NAVs differ by ${worst}`);

      // the whole process again with the weights and trades written (the peer writes them with pandas' to_csv)
      const files = { weights: join(work, 'weights.csv'), trades: join(work, 'trades.csv') };
      const peerFiles = { weights_out: join(work, 'peer-weights.csv'), trades_out: join(work, 'peer-trades.csv') };
      const peerTablesArgs = [
        join(here, 'python/backtest_peer.py'),
        JSON.stringify({ prices: c.prices, ...(c.membership ? { membership: c.membership } : {}), ...c.peer, ...peerFiles }),
      ];
      let oursTables = null,
        peerTables = null;
      for (let k = 0; k < REPS; k++) {
        const a = timed(BIN, [...cliArgs, '--weights-out', files.weights, '--trades-out', files.trades]);
        const b = timed(PY, peerTablesArgs);
        if (oursTables === null || a.cpu < oursTables.cpu) oursTables = a;
        if (peerTables === null || b.cpu < peerTables.cpu) peerTables = b;
      }
      const lines = (f) => readFileSync(f, 'utf8').split('\n').length;
      const counts = [lines(files.weights), lines(files.trades)];
      const peerCounts = [lines(peerFiles.weights_out), lines(peerFiles.trades_out)];
      if (counts[0] !== peerCounts[0] || counts[1] !== peerCounts[1])
        throw new Error(`${c.name}: weights / trades rows ${counts.join(' / ')} against the peer's ${peerCounts.join(' / ')}`);

      // backtest only, in a fresh process of its own (as a user's run: no other case's code or heap in it), read excluded;
      // the peer's too, timed the same way (best of at least INPROCESS_REPS repetitions in one
      // process and of as many as fill INPROCESS_SECONDS)
      const best = inProcess(CASES.indexOf(c));
      const lastNav = best.lastNav;
      if (Math.abs(lastNav - peerOut.navNet[peerOut.navNet.length - 1]) >= 1e-10)
        throw new Error(`${c.name}: in-process NAV ${lastNav} differs from the peer's`);
      const peerRepeat = timed(PY, [
        join(here, 'python/backtest_peer.py'),
        JSON.stringify({
          prices: c.prices,
          ...(c.membership ? { membership: c.membership } : {}),
          ...c.peer,
          repeat: INPROCESS_REPS,
          repeat_seconds: INPROCESS_SECONDS,
        }),
      ]);
      const peerBest = JSON.parse(peerRepeat.stdout);

      rows.push({
        group: 'backtest',
        case: `${c.name}: whole process`,
        seconds: ours.cpu,
        baseline: `pandas peer ${peer.cpu.toFixed(2)} s CPU`,
        ratio: peer.cpu / ours.cpu,
        note: `CPU (user+sys), best of ${REPS}; wall ${ours.wall.toFixed(2)} vs ${peer.wall.toFixed(2)} s; peak RSS ${ours.rssMiB.toFixed(0)} vs ${peer.rssMiB.toFixed(0)} MiB; NAVs agree to ${worst.toExponential(1)}`,
      });
      rows.push({
        group: 'backtest',
        case: `${c.name}: whole process, with --weights-out and --trades-out`,
        seconds: oursTables.cpu,
        baseline: `pandas peer (to_csv) ${peerTables.cpu.toFixed(2)} s CPU`,
        ratio: peerTables.cpu / oursTables.cpu,
        note: `CPU (user+sys), best of ${REPS}; wall ${oursTables.wall.toFixed(2)} vs ${peerTables.wall.toFixed(2)} s; peak RSS ${oursTables.rssMiB.toFixed(0)} vs ${peerTables.rssMiB.toFixed(0)} MiB; ${(counts[0] - 2).toLocaleString('en-US')} weight rows and ${(counts[1] - 2).toLocaleString('en-US')} trades on both sides (ours add each trade's signal date and reason)`,
      });
      rows.push({
        group: 'backtest',
        case: `${c.name}: backtest only`,
        seconds: best.cpu,
        baseline: `pandas peer ${peerBest.cpu.backtest.toFixed(3)} s CPU`,
        ratio: peerBest.cpu.backtest / best.cpu,
        note: `read excluded on both sides; best of ${best.reps} in a fresh process (the first, compiling: ${best.firstCpu.toFixed(3)} s CPU, ${best.firstWall.toFixed(3)} s wall) against the peer's best of ${peerBest.reps} (its first ${peerBest.first_cpu.toFixed(3)} s CPU); wall ${best.wall.toFixed(3)} vs ${peerBest.wall.backtest.toFixed(3)} s; ${best.rebalances} rebalances`,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/**
 * The in-process backtest of CASES[i] in a fresh `node --expose-gc` process (this file run as a
 * script), with the malloc setting bin/factorlab gives the CLI (2 MiB pages for large arrays).
 */
function inProcess(i) {
  const tunables = [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--in-process', String(i)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, GLIBC_TUNABLES: tunables },
  });
  if (r.status !== 0) throw new Error(`in-process backtest ${i} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return JSON.parse(r.stdout);
}

/** Reads CASES[i]'s prices, then times the backtest (INPROCESS_REPS and INPROCESS_SECONDS); prints the best CPU, its wall, the last NAV, the rebalances. */
async function inProcessMain(i) {
  const c = CASES[i];
  const loaded = await readPanel(
    c.prices,
    c.peer.prices_layout === 'long' ? { assetCol: 'ticker', valueCol: 'close', kind: 'prices' } : { kind: 'prices' },
  );
  const px = loaded.panel;
  const from = c.range ? px.dates.findIndex((d) => d >= Date.parse(`${c.range[0]}T00:00:00Z`) / 864e5) : 0;
  let to = px.nDates - 1;
  if (c.range) while (px.dates[to] > Date.parse(`${c.range[1]}T00:00:00Z`) / 864e5) to--;
  let best = null,
    first = null;
  const started = performance.now();
  let reps = 0;
  for (let k = 0; k < 200 && (k < INPROCESS_REPS || performance.now() - started < INPROCESS_SECONDS * 1000); k++) {
    reps++;
    const m = cpuSeconds(() => {
      const signal = momentumRows(px); // what the CLI does: momentum on the signal rows only
      const universe = c.membership ? { kind: 'membership', intervals: readMembership(c.membership) } : { kind: 'static' };
      const res = runBacktest(px, { signal, rule: c.rule(), schedule: c.schedule, universe, costBps: c.bps, from, to });
      performanceStats(res.netReturns, { periodsPerYear: 252 });
      return res;
    }, k === 0);
    first ??= m;
    if (best === null || m.cpu < best.cpu) best = m;
  }
  const nav = best.result.navNet;
  process.stdout.write(
    JSON.stringify({
      cpu: best.cpu,
      wall: best.wall,
      firstCpu: first.cpu,
      firstWall: first.wall,
      reps,
      lastNav: nav[nav.length - 1],
      rebalances: best.result.rebalances.length,
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--in-process')
  await inProcessMain(Number(process.argv[3]));
