/**
 * Ingest benchmark: `readPanel` into a Panel vs DuckDB's own bare scan of the same file with the
 * same `read_csv` options, materialised inside DuckDB (`CREATE TEMP TABLE t AS SELECT * FROM ...`),
 * no transfer to JS. Both are measured in the same run; ratio = ours / bare scan (best of `reps`).
 * A second baseline, DuckDB's default `read_csv` with auto-detection, is reported for context.
 *
 * Run: `npm run build && node bench/ingest.mjs` (or via bench/run.mjs, which calls `run()`).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { readPanel } from '../dist/io/index.js';
import { panelScanSql } from '../dist/io/readPanel.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(here, '../../shared/data');

const CASES = [
  { name: 'wide 5,774 tickers x 1,226 days (csv.gz)', file: 'us/us_all_stocks_adj_close_wide_2013_2017.csv.gz', reps: 3 },
  { name: 'all_stocks_5yr long 619,040 rows (csv.gz)', file: 'us/all_stocks_5yr.csv.gz', reps: 3 },
];

async function time(f) {
  const t = performance.now();
  const r = await f();
  return { seconds: (performance.now() - t) / 1000, result: r };
}

export async function run() {
  if (!existsSync(DATA)) {
    throw new Error(`bench/ingest.mjs: the real-data folder ${DATA} is missing (expected ../shared/data next to the repository)`);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const rows = [];
  try {
    for (const c of CASES) {
      const file = resolve(DATA, c.file);
      const scan = await panelScanSql(file);
      let ours = Infinity,
        bare = Infinity,
        shape = '';
      for (let k = 0; k < c.reps; k++) {
        // Alternate the two so that machine load hits both alike.
        const b = await time(() => con.run(`CREATE OR REPLACE TEMP TABLE bench_t AS SELECT * FROM ${scan}`));
        bare = Math.min(bare, b.seconds);
        await con.run('DROP TABLE IF EXISTS bench_t');
        const o = await time(() => readPanel(file));
        ours = Math.min(ours, o.seconds);
        shape = `${o.result.panel.nDates} dates x ${o.result.panel.nAssets} assets`;
      }
      // Context: the same scan with every value parsed but nothing materialised (an aggregate per column).
      const parsed = await time(() => con.run(`SELECT count(*), max(COLUMNS(*)) FROM ${scan}`));
      const auto = await time(() =>
        con.run(`CREATE OR REPLACE TEMP TABLE bench_t AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}')`),
      );
      await con.run('DROP TABLE IF EXISTS bench_t');
      rows.push({
        group: 'ingest',
        case: `${c.name}: DuckDB bare scan`,
        seconds: bare,
        note: 'same read_csv options, CREATE TEMP TABLE, best of reps',
      });
      rows.push({
        group: 'ingest',
        case: `${c.name}: readPanel`,
        seconds: ours,
        baseline: `${c.name}: DuckDB bare scan`,
        ratio: ours / bare,
        note: shape,
      });
      rows.push({
        group: 'ingest',
        case: `${c.name}: DuckDB scan, aggregate only`,
        seconds: parsed.seconds,
        baseline: `${c.name}: DuckDB bare scan`,
        ratio: parsed.seconds / bare,
        note: 'same options, max() of every column, no table (1 run)',
      });
      rows.push({
        group: 'ingest',
        case: `${c.name}: DuckDB read_csv auto-detect`,
        seconds: auto.seconds,
        baseline: `${c.name}: DuckDB bare scan`,
        ratio: auto.seconds / bare,
        note: 'default sniffing, for context (1 run)',
      });
    }
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return rows;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run();
  for (const r of rows) {
    console.log(
      `${r.case.padEnd(75)} ${r.seconds.toFixed(3).padStart(8)} s${r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}` : ''}  ${r.note ?? ''}`,
    );
  }
}
