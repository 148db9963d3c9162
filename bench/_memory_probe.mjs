/**
 * Memory probe for the io layer (not a bench module: bench/run.mjs skips names starting with _).
 * Run it in a fresh process; it prints one JSON line with process.memoryUsage() (MB) at each stage
 * and the peak RSS so far (VmHWM from /proc/self/status, the kernel's high-water mark):
 *   start       after importing the package
 *   read        right after readPanel returns (the Panel alive)
 *   gc          after a full GC (needs --expose-gc)
 *   idle        after a short pause and another GC
 *   analysis    (with --analyze) after momentum + analyzeFactor on the Panel
 *
 * Usage: node --expose-gc bench/_memory_probe.mjs [--dist DIR] [--analyze] [--reads N] [FILE]
 * Default FILE: the 5,774-ticker wide matrix in ../shared/data (kind 'prices').
 * Whole-process maximum RSS: wrap in `/usr/bin/time -v`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const dist = resolve(opt('--dist') ?? resolve(here, '../dist'));
const reads = Number(opt('--reads') ?? 1);
const analyze = flag('--analyze');
const file = args[0] ?? resolve(here, '../../shared/data/us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');

const MB = 2 ** 20;
const hwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
const snap = () => {
  const u = process.memoryUsage();
  return {
    rss: +(u.rss / MB).toFixed(1),
    heapUsed: +(u.heapUsed / MB).toFixed(1),
    external: +(u.external / MB).toFixed(1),
    arrayBuffers: +(u.arrayBuffers / MB).toFixed(1),
    peakRss: +hwm().toFixed(1),
  };
};
const out = { file, reads };
const { readPanel } = await import(pathToFileURL(`${dist}/io/index.js`).href);
out.start = snap();
let panel;
const t = performance.now();
for (let k = 0; k < reads; k++) panel = (await readPanel(file, { kind: 'prices' })).panel;
out.readSeconds = +((performance.now() - t) / 1000 / reads).toFixed(3);
out.shape = `${panel.nDates} x ${panel.nAssets}`;
out.read = snap();
globalThis.gc?.();
out.gc = snap();
await sleep(300);
globalThis.gc?.();
out.idle = snap();
if (analyze) {
  const { momentum } = await import(pathToFileURL(`${dist}/signals/momentum.js`).href);
  const { analyzeFactor } = await import(pathToFileURL(`${dist}/signals/analyze.js`).href);
  const a = analyzeFactor({ factor: momentum(panel), prices: panel });
  out.nFormationDates = a.nDates;
  out.analysis = snap();
}
console.log(JSON.stringify(out));
