/**
 * What building a report adds to the analysis that feeds it, on the real files: the CLI as a user
 * runs it, with and without --report, alternated, 2 runs each, the median of each side. Measured
 * in CPU time of the whole process (user + sys, /usr/bin/time; the 2-core machine is shared, so
 * wall time says more about the neighbours than about us), and, inside the run, the wall time of
 * the report stages (FACTORLAB_TIMINGS: `tear-sheet-data` / `report-data` and `report`).
 *
 * - exposures: OLS of the 523 S&P stocks on FF5 + momentum from 2010, equal-weighted report;
 * - analyze: 12-1 momentum sampled monthly, GICS sectors, horizons 21 and 63, IC decay to 6.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The `factorlab` command as a user runs it (bin/factorlab). */
const BIN = resolve(here, '../bin/factorlab');
const DATA = resolve(here, '../../shared/data');

function runCli(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '__cpu %U %S', BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FACTORLAB_TIMINGS: '1' },
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`factorlab ${args.join(' ')} failed:\n${r.stderr}`);
  const cpu = /__cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  const timings = JSON.parse(/\{"factorlab_timings":.*\}/.exec(r.stderr)[0]).factorlab_timings;
  return { cpu: Number(cpu[1]) + Number(cpu[2]), timings };
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run() {
  if (!existsSync(DATA) || !existsSync('/usr/bin/time'))
    return [{ group: 'report', case: 'skipped', note: `needs ${DATA} and /usr/bin/time` }];
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-bench-report-'));
  const sp500 = join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
  const cases = [
    {
      name: 'exposures S&P 523 x FF5+mom + report',
      stages: ['report-data', 'report'],
      args: [
        'exposures',
        '--prices',
        sp500,
        '--clean',
        '--factors',
        join(DATA, 'ff/F-F_Research_Data_5_Factors_2x3_daily.CSV'),
        '--factors',
        join(DATA, 'ff/F-F_Momentum_Factor_daily.CSV'),
        '--start',
        '2010-01-01',
        '--threads',
        '1',
        '--limit',
        '1',
      ],
      report: ['--report', join(dir, 'exposures.html')],
    },
    {
      name: 'analyze 12-1 momentum GICS + tear sheet',
      stages: ['tear-sheet-data', 'report'],
      args: [
        'analyze',
        '--factor',
        'momentum',
        '--sample',
        'monthly',
        '--prices',
        sp500,
        '--clean',
        '--groups',
        join(DATA, 'us/nyse_securities_gics_2017.csv'),
        '--group-asset-col',
        'Ticker symbol',
        '--group-col',
        'GICS Sector',
        '--horizons',
        '21,63',
        '--decay',
        '6',
        '--threads',
        '1',
      ],
      report: ['--report', join(dir, 'tearsheet.html')],
    },
  ];
  const rows = [];
  try {
    for (const c of cases) {
      const plain = [],
        withReport = [],
        stageMs = [];
      for (let i = 0; i < 2; i++) {
        plain.push(runCli(c.args).cpu);
        const r = runCli([...c.args, ...c.report]);
        withReport.push(r.cpu);
        stageMs.push(c.stages.reduce((s, k) => s + (r.timings[k] ?? 0), 0));
      }
      const base = median(plain),
        full = median(withReport);
      rows.push({
        group: 'report',
        case: c.name,
        seconds: full - base,
        baseline: `${base.toFixed(2)} s CPU without --report`,
        ratio: full / base,
        note: `CPU added by --report (median of 2 alternated runs each side); report stages in process ${(median(stageMs) / 1000).toFixed(2)} s wall`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
