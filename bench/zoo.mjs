/**
 * The zoo's shared work and its workers (issue 14). A synthetic market (ZOO_ASSETS x ZOO_DATES,
 * default 500 x 1,250) and ZOO_FACTORS factor files (default 20: momentum variants and noisy copies
 * of the planted signal, half each, written as long CSV) are tested:
 *
 * - `factorlab zoo` (one process) against one `factorlab analyze` process per factor: CPU time
 *   (user + sys of the whole processes, from /usr/bin/time), the baseline being the separate runs;
 * - `factorlab zoo --redis` with 1 and then 2 `factorlab worker` processes on a redis-server of its
 *   own: wall time (what a second worker buys), the baseline being 1 worker.
 *
 * Every run is made once (the machine is shared; no loops). Set ZOO_SKIP_REDIS=1 to skip the second part.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(root, 'dist/cli/main.js');

/** user + sys CPU seconds and wall seconds of one process. */
function timed(args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, MAIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const wall = (performance.now() - t0) / 1000;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [u, s] = last.split(' ').map(Number);
  if (!Number.isFinite(u)) throw new Error(`factorlab ${args[0]} failed: ${r.stderr.slice(-500)}`);
  return { cpu: u + s, wall, status: r.status };
}

async function freePort() {
  return new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
}

export async function run() {
  const { syntheticMarket } = await import(join(root, 'dist/synthetic/market.js'));
  const { writeTable } = await import(join(root, 'dist/io/write.js'));
  const { Rng } = await import(join(root, 'dist/synthetic/random.js'));
  const nAssets = Number(process.env.ZOO_ASSETS ?? 500), nDates = Number(process.env.ZOO_DATES ?? 1250), nFactors = Number(process.env.ZOO_FACTORS ?? 20);
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-bench-zoo-'));
  const f = (n) => join(dir, n);
  const market = syntheticMarket({ seed: 7, nAssets, nDates, signalIC: 0.05 });
  await writeTable(f('prices.csv'), market.prices, { wide: true });
  const factors = [];
  const rng = new Rng(11);
  for (let k = 0; k < nFactors; k++) {
    if (k % 2 === 0) {
      factors.push(`momentum:${21 * (1 + (k % 12))},${k % 4 === 0 ? 0 : 5}`);
    } else {
      const noise = 0.5 + k / nFactors;
      await writeTable(f(`noisy${k}.csv`), market.signal.map((v) => (v === v ? v + noise * rng.normal(0, 1) : NaN)));
      factors.push(f(`noisy${k}.csv`));
    }
  }
  const common = ['--prices', f('prices.csv'), '--horizons', '1,5,21', '--threads', '1'];
  const note = `${nFactors} factors, ${nAssets} x ${nDates}, horizons 1,5,21`;
  const rows = [];

  const zoo = timed(['zoo', ...factors, ...common, '--results', f('zoo'), '--table', f('zoo/summary.csv')]);
  let separate = 0;
  for (const x of factors) separate += timed(['analyze', '--factor', x, ...common, '--out', f(`alone-${separate}.json`)]).cpu;
  rows.push({ group: 'zoo', case: `${nFactors} separate analyze processes (CPU)`, seconds: separate, note });
  rows.push({ group: 'zoo', case: 'factorlab zoo, one process (CPU)', seconds: zoo.cpu, baseline: 'separate', ratio: separate / zoo.cpu, note: `${(nFactors / zoo.wall).toFixed(1)} factors/s wall` });

  if (process.env.ZOO_SKIP_REDIS !== '1') {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await sleep(500);
    const walls = [];
    try {
      for (const n of [1, 2]) {
        const workers = Array.from({ length: n }, () => spawn(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', `bench${n}`], { stdio: 'ignore' }));
        await sleep(1500);
        walls.push(timed(['zoo', ...factors, ...common, '--results', f(`dist${n}`), '--redis', url, '--queue', `bench${n}`]).wall);
        for (const w of workers) w.kill('SIGTERM');
        await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
      }
    } finally {
      redis.kill('SIGTERM');
    }
    rows.push({ group: 'zoo', case: 'zoo --redis, 1 worker (wall)', seconds: walls[0], note });
    rows.push({ group: 'zoo', case: 'zoo --redis, 2 workers (wall)', seconds: walls[1], baseline: '1 worker', ratio: walls[0] / walls[1], note: 'on this 2-core machine' });
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
