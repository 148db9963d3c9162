#!/usr/bin/env node
/**
 * docs/benchmarks.md's measured tables, generated from the bench's own JSON output.
 *
 *   npm run bench                      # writes bench/out/results.json (and wholepath.json)
 *   npm run bench:report -- --add      # copies them into docs/benchmarks/<UTC time>/ and regenerates
 *   npm run bench:report               # regenerates from the runs already in docs/benchmarks/
 *
 * Every run kept in docs/benchmarks/ (newest first) becomes one section between the
 * `<!-- bench-report:start -->` and `<!-- bench-report:end -->` markers of docs/benchmarks.md: the
 * rows of results.json as `npm run bench` prints them, and, when the run has a wholepath.json, the
 * whole-path table (factorlab against each peer: seconds, ratio, stage split, peak RSS, load). The
 * prose around the markers (methods, how to read, history) is written by hand and left alone.
 * Nothing here measures anything: the numbers are the JSON's.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runsDir = join(root, 'docs', 'benchmarks');
const doc = join(root, 'docs', 'benchmarks.md');
const START = '<!-- bench-report:start -->';
const END = '<!-- bench-report:end -->';

const args = process.argv.slice(2);
if (args.includes('--add')) {
  const from = args[args.indexOf('--add') + 1]?.startsWith('--') === false ? args[args.indexOf('--add') + 1] : join(root, 'bench', 'out');
  const results = join(from, 'results.json');
  if (!existsSync(results)) {
    console.error(`bench-report: no ${results}; run npm run bench first`);
    process.exit(2);
  }
  const stamp = JSON.parse(readFileSync(results, 'utf8'))
    .date.replace(/:\d\d\.\d+Z$/, 'Z')
    .replace(':', '');
  const dir = join(runsDir, stamp);
  mkdirSync(dir, { recursive: true });
  copyFileSync(results, join(dir, 'results.json'));
  const whole = join(from, 'wholepath.json');
  // the whole-path JSON of the same run, not an older one: the run has wholepath rows, and the JSON was
  // written before results.json (other modules may run after wholepath) and within the run's 3 hours
  const run = JSON.parse(readFileSync(results, 'utf8'));
  const hasWholepath = (run.rows ?? []).some((r) => r.group === 'wholepath');
  const sameRun = (w, r) => Date.parse(w) <= Date.parse(r) + 60_000 && Date.parse(r) - Date.parse(w) < 3 * 3600_000;
  if (existsSync(whole) && hasWholepath && sameRun(JSON.parse(readFileSync(whole, 'utf8')).date, run.date))
    copyFileSync(whole, join(dir, 'wholepath.json'));
  console.log(`bench-report: added ${dir}`);
}

const fmt = (s) => (s === undefined || s === null ? '' : s >= 10 ? s.toFixed(1) : s >= 0.1 ? s.toFixed(3) : s.toFixed(4));
const cell = (s) => String(s ?? '').replace(/\|/g, '\\|');
const stages = (st) =>
  st ? ['startup', 'read', 'compute', 'write'].map((k) => (st[k] === undefined ? '-' : (st[k] / 1000).toFixed(2))).join(' / ') : '';

function resultsTable(results) {
  const lines = ['| group | case | seconds | baseline | ratio | note |', '|---|---|---:|---|---:|---|'];
  for (const r of results.rows) {
    lines.push(
      `| ${cell(r.group)} | ${cell(r.case)} | ${fmt(r.seconds)} | ${cell(r.baseline)} | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`} | ${cell(r.note)} |`,
    );
  }
  return lines;
}

function wholepathTable(w) {
  const key = (c) => `${c.job}|${c.size}|${c.layout}|${c.format}`;
  const ours = new Map(w.cases.filter((c) => c.side === 'factorlab').map((c) => [key(c), c]));
  const lines = [
    '| job | size | layout | format | peer | factorlab s | peer s | peer / factorlab | factorlab start / read / compute / write | peer start / read / compute / write | peak RSS MiB fl / peer | runs fl / peer | load |',
    '|---|---|---|---|---|---:|---:|---:|---|---|---|---|---:|',
  ];
  for (const p of w.cases.filter((c) => c.side !== 'factorlab')) {
    const f = ours.get(key(p));
    if (f === undefined) continue;
    lines.push(
      `| ${p.job} | ${p.size} | ${p.layout} | ${p.format} | ${p.side}${p.sampled ? ` (sampled: ${p.sampled})` : ''} | ${f.seconds.toFixed(2)} | ${p.sampled ? '≈' : ''}${p.seconds.toFixed(2)} | **${(p.seconds / f.seconds).toFixed(2)}x** | ${stages(f.stages)} | ${stages(p.stages)} | ${Math.round(f.rssMiB)} / ${Math.round(p.rssMiB)} | ${f.runs} / ${p.runs} | ${(p.load1 ?? f.load1 ?? NaN).toFixed(1)} |`,
    );
  }
  return lines;
}

function section(name) {
  const dir = join(runsDir, name);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  const lines = [`### Run of ${results.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`, ''];
  lines.push(`Node ${results.node}, ${results.cpus} cores. Source: [\`docs/benchmarks/${name}/\`](benchmarks/${name}/).`);
  const wholeFile = join(dir, 'wholepath.json');
  if (existsSync(wholeFile)) {
    const w = JSON.parse(readFileSync(wholeFile, 'utf8'));
    const blas = (w.python?.blas ?? [])
      .map((b) => `${b.internal_api} ${b.version} (${b.architecture}, ${b.num_threads} threads)`)
      .join(', ');
    const agreement = (w.agreement ?? []).map((a) => `${a.case} ${a.maxRelDiff.toExponential(1)}`).join('; ');
    lines.push(
      `Load average ${w.loadavgStart?.[0]} at the start, ${w.loadavgEnd?.[0]} at the end; numpy ${w.python?.numpy}, pandas ${w.python?.pandas}${blas ? `, ${blas}` : ''}.${agreement ? ` Agreement with the vectorised peer (largest relative difference): ${agreement}.` : ''}`,
    );
    lines.push('', ...wholepathTable(w));
  }
  lines.push('', '<details><summary>every row of results.json</summary>', '', ...resultsTable(results), '', '</details>', '');
  return lines;
}

const runs = existsSync(runsDir)
  ? readdirSync(runsDir)
      .filter((d) => existsSync(join(runsDir, d, 'results.json')))
      .sort()
      .reverse()
  : [];
const generated = [
  START,
  '<!-- Generated by scripts/bench-report.mjs from docs/benchmarks/*/ (npm run bench:report); do not edit between the markers. -->',
  '',
  ...(runs.length === 0 ? ['(no run recorded yet: `npm run bench && npm run bench:report -- --add`)', ''] : runs.flatMap(section)),
  END,
].join('\n');

const text = readFileSync(doc, 'utf8');
const a = text.indexOf(START),
  b = text.indexOf(END);
const next =
  a >= 0 && b > a
    ? text.slice(0, a) + generated + text.slice(b + END.length)
    : `${text.trimEnd()}\n\n## Recorded runs (generated)\n\n${generated}\n`;
if (args.includes('--check')) {
  if (next !== text) {
    console.error('bench-report: docs/benchmarks.md is not what docs/benchmarks/ generates; run npm run bench:report');
    process.exit(1);
  }
  console.log('bench-report: docs/benchmarks.md matches docs/benchmarks/');
} else {
  writeFileSync(doc, next);
  console.log(`bench-report: docs/benchmarks.md regenerated from ${runs.length} recorded run(s)`);
}
