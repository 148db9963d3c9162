#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark module in bench/ (files exporting `run()`), prints one
 * table, and writes bench/out/results.json. Each row's ratio is measured against a baseline timed
 * in the same run (DuckDB's bare scan of the same file, a plain pass over the same panel, ...),
 * never against a fixed number of seconds.
 *
 * Usage: npm run bench [-- --only ingest,exposures]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(',')) : undefined;

const modules = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .sort()
  .filter((f) => only === undefined || only.has(f.replace(/\.mjs$/, '')));

const fmt = (s) => (s === undefined ? '' : s >= 10 ? s.toFixed(1) : s >= 0.1 ? s.toFixed(3) : s.toFixed(4));
const rows = [];
let failed = false;
for (const f of modules) {
  const name = f.replace(/\.mjs$/, '');
  process.stderr.write(`bench: ${name} ...\n`);
  try {
    const mod = await import(join(here, f));
    for (const r of await mod.run()) rows.push({ module: name, ...r });
  } catch (e) {
    failed = true;
    process.stderr.write(`bench: ${name} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
}

const header = ['group', 'case', 'seconds', 'baseline', 'ratio', 'note'];
const body = rows.map((r) => [
  r.group,
  r.case,
  fmt(r.seconds),
  r.baseline ?? '',
  r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
  r.note ?? '',
]);
const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => String(b[c]).length)));
const line = (cells) =>
  cells
    .map((s, c) => (c === 2 || c === 4 ? String(s).padStart(widths[c]) : String(s).padEnd(widths[c])))
    .join('  ')
    .trimEnd();
console.log(
  `\nfactorlab benchmarks — node ${process.versions.node}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const b of body) console.log(line(b));

mkdirSync(join(here, 'out'), { recursive: true });
const out = join(here, 'out', 'results.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.versions.node, cpus: os.cpus().length, rows }, null, 2));
console.log(`\nwrote ${out}`);
if (failed) process.exitCode = 1;
