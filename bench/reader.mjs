/**
 * Whole-process reader benchmark: `factorlab inspect --json FILE` per case, wall time and peak RSS
 * (from `/usr/bin/time -v`), alternating between this build and an optional baseline build
 * (`--base DIR`: another checkout's dist/cli/main.js, e.g. the commit before the fast reader) so
 * machine load hits both alike; best of `--reps` (default 3). Also `node -e 0`,
 * `main.js --version`, and `pandas.read_csv` of each file (whole python process) when pandas is
 * importable. Input files are given on the command line (generate the synthetic wide matrix with
 * bench/gen-wide.mjs).
 *
 * Run: `npm run build && node bench/reader.mjs [--base /path/to/old/checkout] [--reps 3] FILE...`
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const base = opt('--base', undefined);
const reps = Number(opt('--reps', '3'));
const files = args;

/** Runs a command under /usr/bin/time -v: wall seconds and max RSS in MB. */
function timed(cmd, cmdArgs) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { wall, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function best(runs) {
  return { wall: Math.min(...runs.map((r) => r.wall)), rssMb: Math.min(...runs.map((r) => r.rssMb)) };
}

let pandas = false;
try {
  execFileSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' });
  pandas = true;
} catch {
  /* not installed */
}
const PANDAS = 'import sys, pandas as pd; df = pd.read_csv(sys.argv[1]); print(df.shape)';

const builds = [['this', resolve(here, '../dist/cli/main.js')], ...(base ? [['base', resolve(base, 'dist/cli/main.js')]] : [])];
const rows = [];
const startup = { node: [], version: Object.fromEntries(builds.map(([n]) => [n, []])) };
for (let k = 0; k < reps; k++) {
  startup.node.push(timed(process.execPath, ['-e', '0']));
  for (const [n, main] of builds) startup.version[n].push(timed(process.execPath, [main, '--version']));
}
rows.push(['node -e 0', best(startup.node)]);
for (const [n] of builds) rows.push([`main.js --version (${n})`, best(startup.version[n])]);
for (const f of files) {
  const per = Object.fromEntries(builds.map(([n]) => [n, []]));
  const pd = [];
  for (let k = 0; k < reps; k++) {
    for (const [n, main] of builds) per[n].push(timed(process.execPath, [main, 'inspect', '--json', f]));
    if (pandas) pd.push(timed('/usr/bin/python3', ['-c', PANDAS, f]));
  }
  for (const [n] of builds) rows.push([`inspect ${f.split('/').pop()} (${n})`, best(per[n])]);
  if (pandas) rows.push([`pandas.read_csv ${f.split('/').pop()}`, best(pd)]);
}
for (const [name, r] of rows) console.log(`${name.padEnd(70)} ${r.wall.toFixed(3).padStart(7)} s  ${r.rssMb.toFixed(0).padStart(6)} MB`);
