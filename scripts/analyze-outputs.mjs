/**
 * Records every output of `factorlab demo` and `factorlab analyze` (summary on stdout, --json on
 * stdout, --out JSON) over a fixed set of runs, so a refactoring can prove its outputs are the same
 * bytes as before:
 *
 *   node scripts/analyze-outputs.mjs record DIR [--cli path/to/dist/cli/main.js]
 *   node scripts/analyze-outputs.mjs compare DIR_BEFORE DIR_AFTER
 *
 * Record with the old build (a copy of dist/ taken before the change) and with the new one, then
 * compare: it lists every file that differs and exits 1 if any does. The runs cover the demo data
 * (joint and pairwise universes, groups with quantiles by group, IC by group, IC decay and group
 * controls, weights, z-score and an execution lag, weekly sampling, several horizons) and real files
 * from ../shared/data (the SSE 50 factor with its industries; 12-1 momentum of the S&P 500 file,
 * monthly and daily, the daily one large enough to run on the thread pool), each on --threads 1
 * and 2; three runs add --report-data (the tear sheet's extra numbers under `tearSheet`). The demo itself is run into DIR/demo and its files are part of the record.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../shared/data');

function runs(demo) {
  const d = (f) => join(demo, f);
  const cn = (f) => join(DATA, 'cn', f);
  const sp = join(DATA, 'us', 'us_sp500_adj_ohlcv_2005_2017.csv.gz');
  const base = ['--factor', d('signal.csv'), '--prices', d('prices.csv'), '--clean'];
  return {
    'demo-default': base,
    'demo-pairwise-h1-3-10-q4': [...base, '--universe', 'pairwise', '--horizons', '1,3,10', '--quantiles', '4'],
    'demo-groups-bygroup-decay-controls': [...base, '--groups', d('sectors.csv'), '--by-group', '--decay', '4', '--controls', '--zscore'],
    'demo-weights-lag1-h2-7': [...base, '--weights', d('prices.csv'), '--execution-lag', '1', '--horizons', '2,7'],
    'demo-weekly-placebo': [
      '--factor',
      d('placebo.csv'),
      '--prices',
      d('prices.csv'),
      '--clean',
      '--sample',
      'weekly',
      '--horizons',
      '5,10',
      '--groups',
      d('sectors.csv'),
    ],
    'sse50-groups': [
      '--factor',
      cn('sse50_2021q1_factor.csv'),
      '--prices',
      cn('sse50_2021q1_prices.csv'),
      '--groups',
      cn('sse50_2021q1_stock_2_idx.csv'),
      '--horizons',
      '1,5',
      '--decay',
      '3',
      '--min-assets',
      '5',
    ],
    'sp500-momentum-monthly': ['--factor', 'momentum', '--sample', 'monthly', '--prices', sp, '--clean', '--horizons', '21,63'],
    'sp500-momentum-daily': ['--factor', 'momentum:126,5', '--prices', sp, '--clean', '--horizons', '1,5,21', '--decay', '2'],
    // the tear sheet's extra numbers in the JSON (quantile x group means, the event view)
    'demo-groups-report-data': [...base, '--groups', d('sectors.csv'), '--by-group', '--report-data'],
    'demo-pairwise-report-data': [...base, '--universe', 'pairwise', '--horizons', '1,3', '--groups', d('sectors.csv'), '--report-data'],
    'sse50-report-data': [
      '--factor',
      cn('sse50_2021q1_factor.csv'),
      '--prices',
      cn('sse50_2021q1_prices.csv'),
      '--groups',
      cn('sse50_2021q1_stock_2_idx.csv'),
      '--horizons',
      '1,5',
      '--min-assets',
      '5',
      '--report-data',
    ],
  };
}

function run(cli, args, cwd) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, FACTORLAB_TIMINGS: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function record(dir, cli) {
  mkdirSync(dir, { recursive: true });
  const demo = join(dir, 'demo');
  const dm = run(cli, ['demo', '--out', demo], dir);
  writeFileSync(join(dir, 'demo.stdout'), `${dm.code}\n${dm.stdout}`);
  for (const [name, args] of Object.entries(runs(demo))) {
    for (const threads of [1, 2]) {
      const tag = `${name}.t${threads}`;
      const out = join(dir, `${tag}.json`);
      const s = run(cli, ['analyze', ...args, '--threads', String(threads), '--out', out], dir);
      writeFileSync(join(dir, `${tag}.stdout`), `${s.code}\n${s.stdout}${s.code === 0 ? '' : s.stderr}`);
      if (s.code !== 0) process.stderr.write(`${tag}: exit ${s.code}\n${s.stderr}\n`);
      if (threads === 1) {
        const j = run(cli, ['analyze', ...args, '--threads', '1', '--json'], dir);
        writeFileSync(join(dir, `${tag}.json-stdout`), `${j.code}\n${j.stdout}`);
      }
      process.stderr.write(`recorded ${tag}\n`);
    }
  }
}

function files(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

function compare(a, b) {
  const fa = files(a).sort(),
    fb = files(b).sort();
  let bad = 0;
  for (const f of new Set([...fa, ...fb])) {
    const pa = join(a, f),
      pb = join(b, f);
    if (!existsSync(pa) || !existsSync(pb)) {
      console.log(`only in one: ${f}`);
      bad++;
      continue;
    }
    // the two records live in different directories: the paths they print are normalised
    const norm = (p, dir) => readFileSync(p, 'utf8').split(resolve(dir)).join('<DIR>');
    if (norm(pa, a) !== norm(pb, b)) {
      console.log(`differs: ${f}`);
      bad++;
    } else console.log(`same: ${f}`);
  }
  console.log(bad === 0 ? `all ${fa.length} files identical` : `${bad} file(s) differ`);
  process.exit(bad === 0 ? 0 : 1);
}

const [cmd, x, y, ...rest] = process.argv.slice(2);
if (cmd === 'record' && x) {
  const i = [y, ...rest].indexOf('--cli');
  const cli = i >= 0 ? resolve([y, ...rest][i + 1]) : resolve(here, '../dist/cli/main.js');
  record(resolve(x), cli);
} else if (cmd === 'compare' && x && y) compare(resolve(x), resolve(y));
else {
  console.error('usage: analyze-outputs.mjs record DIR [--cli dist/cli/main.js] | compare DIR_BEFORE DIR_AFTER');
  process.exit(2);
}
