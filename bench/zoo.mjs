/**
 * The zoo's shared work and its workers (issue 14). A synthetic market (ZOO_ASSETS x ZOO_DATES,
 * default 3,000 x 2,500, prices as wide CSV) and ZOO_FACTORS distinct factors (default 200): half
 * momentum variants (`momentum:L,S`, every one different: L = 20, 25, 30, ... rows, S = 0 or 5),
 * half noisy copies of the planted signal (signal + noise of growing size, one wide CSV each,
 * 6 significant digits) are tested:
 *
 * - `factorlab zoo` (one process, `--threads ZOO_THREADS`, default 2) against one
 *   `factorlab analyze --threads 1` process per factor: CPU time (user + sys of the whole processes,
 *   from /usr/bin/time). The separate runs are a sample (ZOO_SAMPLE, default 6: half momentum, half
 *   noisy copies, spread over the list), scaled to the zoo's mix: separate = mean CPU of a sampled
 *   momentum run x the momentum factors + mean CPU of a sampled file run x the file factors (the
 *   note says so; ZOO_SAMPLE=all runs every one);
 * - `factorlab zoo --redis` with 1 and then 2 `factorlab worker` processes on a redis-server of its
 *   own, on the first ZOO_DIST_FACTORS factors of the list (default 40, momentum and files
 *   alternating): wall time (what a second worker buys), the baseline being 1 worker. The machine's
 *   1-minute load average (`uptime`) before each run is in the note: on a shared machine a second
 *   worker only helps when a second core is free. The note also has each worker's CPU over the run
 *   (the worker and its job processes, from /proc): the same total with 2 workers as with 1 means
 *   the second worker splits the work and repeats none of it but its one-time setup.
 *
 * Every run is made once (the machine is shared; no loops). ZOO_SKIP_LOCAL=1 skips the first part,
 * ZOO_SKIP_REDIS=1 the second.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The `factorlab` command as a user runs it (bin/factorlab: the CLI with 2 MiB pages for large arrays). */
const BIN = join(root, 'bin/factorlab');

/** user + sys CPU seconds and wall seconds of one process (a failed run throws unless `allowFail`). */
function timed(args, allowFail = false) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    maxBuffer: 1 << 28,
  });
  const wall = (performance.now() - t0) / 1000;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [u, s, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(u) || (!allowFail && r.status !== 0))
    throw new Error(`factorlab ${args[0]} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { cpu: u + s, wall, status: r.status, rssMb: kb / 1024 };
}

async function freePort() {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
}

const load = () => loadavg()[0].toFixed(1);

/**
 * CPU seconds (user + sys) used so far by a process and every live descendant (a worker and the
 * child processes BullMQ runs its jobs in), from /proc; 0 where /proc is missing. The difference
 * over a run is the workers' CPU for the run: wall time on a busy 2-core machine says little, this
 * says whether a second worker repeats work (per-job setup) or only splits it.
 */
function treeCpu(pid) {
  const tick = 100; // USER_HZ on Linux
  const seen = new Set();
  const visit = (p) => {
    if (seen.has(p)) return 0;
    seen.add(p);
    let cpu = 0;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu += (Number(f[11]) + Number(f[12])) / tick; // utime, stime (fields 14, 15)
      for (const t of readdirSync(`/proc/${p}/task`))
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) cpu += visit(Number(c));
    } catch {
      // the process has gone, or no /proc
    }
    return cpu;
  };
  return visit(pid);
}

/** The factor list: momentum variants and noisy-copy files alternating (see the module doc). */
export function zooFactors(nFactors, file) {
  const out = [];
  for (let k = 0; k < nFactors; k++) {
    const i = Math.floor(k / 2);
    out.push(
      k % 2 === 0
        ? { momentum: true, arg: `momentum:${20 + 5 * Math.floor(i / 2)},${i % 2 === 0 ? 0 : 5}` }
        : { momentum: false, arg: file(`noisy${i}.csv`), index: i },
    );
  }
  return out;
}

export async function run() {
  const { syntheticMarket } = await import(join(root, 'dist/synthetic/market.js'));
  const { writeTable } = await import(join(root, 'dist/io/write.js'));
  const { Rng } = await import(join(root, 'dist/synthetic/random.js'));
  const { Panel } = await import(join(root, 'dist/core/panel.js'));
  const nAssets = Number(process.env.ZOO_ASSETS ?? 3000),
    nDates = Number(process.env.ZOO_DATES ?? 2500),
    nFactors = Number(process.env.ZOO_FACTORS ?? 200);
  const threads = Number(process.env.ZOO_THREADS ?? 2),
    nDist = Math.min(nFactors, Number(process.env.ZOO_DIST_FACTORS ?? 40));
  const sampleEnv = process.env.ZOO_SAMPLE ?? '6';
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-bench-zoo-'));
  const f = (n) => join(dir, n);
  try {
    const market = syntheticMarket({ seed: 7, nAssets, nDates, signalIC: 0.05 });
    await writeTable(f('prices.csv'), market.prices, { wide: true });
    const factors = zooFactors(nFactors, f);
    const nFiles = factors.filter((x) => !x.momentum).length;
    const rng = new Rng(11);
    for (const x of factors) {
      if (x.momentum) continue;
      const noise = 0.5 + (2 * x.index) / Math.max(1, nFiles);
      const sd = market.signal.values;
      const v = new Float64Array(sd.length);
      for (let c = 0; c < sd.length; c++) v[c] = sd[c] === sd[c] ? Number((sd[c] + noise * rng.normal(0, 1)).toPrecision(6)) : NaN;
      await writeTable(x.arg, new Panel(market.signal.dates, market.signal.assets, v), { wide: true });
    }
    const args = factors.map((x) => x.arg);
    const common = ['--prices', f('prices.csv'), '--horizons', '1,5,21'];
    const size = `${nAssets} x ${nDates}, horizons 1,5,21`;
    const rows = [];

    if (process.env.ZOO_SKIP_LOCAL !== '1') {
      const loadZoo = load();
      const zoo = timed(
        ['zoo', ...args, ...common, '--threads', String(threads), '--results', f('zoo'), '--table', f('zoo/summary.csv')],
        true,
      );
      if (zoo.status !== 0) throw new Error(`factorlab zoo exited ${zoo.status}`);

      const sample =
        sampleEnv === 'all'
          ? factors
          : (() => {
              const k = Math.max(2, Number(sampleEnv));
              const pick = (list) =>
                Array.from(
                  { length: Math.min(list.length, Math.ceil(k / 2)) },
                  (_, i) => list[Math.floor((i * list.length) / Math.ceil(k / 2))],
                );
              return [...pick(factors.filter((x) => x.momentum)), ...pick(factors.filter((x) => !x.momentum))];
            })();
      const cpuOf = { true: [], false: [] };
      const loadSep = load();
      sample.forEach((x, i) =>
        cpuOf[x.momentum].push(timed(['analyze', '--factor', x.arg, ...common, '--threads', '1', '--out', f(`alone-${i}.json`)]).cpu),
      );
      const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
      const nMom = factors.length - nFiles;
      const separate = (nMom > 0 ? mean(cpuOf.true) * nMom : 0) + (nFiles > 0 ? mean(cpuOf.false) * nFiles : 0);
      const sampled = sample.length < factors.length;
      rows.push({
        group: 'zoo',
        case: `${nFactors} separate analyze processes (CPU)`,
        seconds: separate,
        note: `${size}; ${sampled ? `${sample.length} runs timed and scaled (momentum ${mean(cpuOf.true).toFixed(2)} s, file ${mean(cpuOf.false).toFixed(2)} s each)` : 'every run timed'}; load ${loadSep}`,
      });
      rows.push({
        group: 'zoo',
        case: `factorlab zoo, ${nFactors} factors, one process (CPU)`,
        seconds: zoo.cpu,
        baseline: 'separate',
        ratio: separate / zoo.cpu,
        note: `--threads ${threads}: ${zoo.wall.toFixed(1)} s wall, ${(nFactors / zoo.wall).toFixed(2)} factors/s, peak ${zoo.rssMb.toFixed(0)} MB; ${(zoo.cpu / nFactors).toFixed(2)} s CPU per factor; load ${loadZoo}`,
      });
    }

    if (process.env.ZOO_SKIP_REDIS !== '1') {
      const port = await freePort();
      const url = `redis://127.0.0.1:${port}`;
      const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await sleep(500);
      const dist = args.slice(0, nDist);
      const runs = [];
      try {
        for (const n of [1, 2]) {
          const workers = Array.from({ length: n }, () =>
            spawn(BIN, ['worker', '--redis', url, '--queue', `bench${n}`], { stdio: 'ignore' }),
          );
          await sleep(1500);
          const before = load();
          const cpu0 = workers.map((w) => treeCpu(w.pid));
          runs.push({
            ...timed(['zoo', ...dist, ...common, '--results', f(`dist${n}`), '--redis', url, '--queue', `bench${n}`]),
            load: before,
            workerCpu: workers.map((w, i) => treeCpu(w.pid) - cpu0[i]),
          });
          for (const w of workers) w.kill('SIGTERM');
          await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
        }
      } finally {
        redis.kill('SIGTERM');
      }
      const note = `${nDist} factors, ${size}`;
      const cpuNote = (r) => `workers' CPU ${r.workerCpu.map((c) => c.toFixed(1)).join(' + ')} s`;
      rows.push({
        group: 'zoo',
        case: 'zoo --redis, 1 worker process (wall)',
        seconds: runs[0].wall,
        note: `${note}; ${cpuNote(runs[0])}; load ${runs[0].load}`,
      });
      rows.push({
        group: 'zoo',
        case: 'zoo --redis, 2 worker processes (wall)',
        seconds: runs[1].wall,
        baseline: '1 worker',
        ratio: runs[0].wall / runs[1].wall,
        note: `${note}; ${cpuNote(runs[1])}; load ${runs[1].load} on this 2-core machine`,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
