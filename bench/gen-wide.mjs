/**
 * Writes a synthetic wide price CSV for reader benchmarks: `date,A0000,...` with `assets` columns
 * and `days` business-day rows (default 5,000 x 2,520, ~105 MB), prices with 4 decimals following
 * a seeded random walk, ~1 % blank cells. `--gz` also writes `<out>.gz`.
 *
 * Run: `node bench/gen-wide.mjs /tmp/wide.csv [assets] [days] [--gz]`. Self-contained (no dist).
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2).filter((a) => a !== '--gz');
const gz = process.argv.includes('--gz');
const out = args[0] ?? '/tmp/factorlab-wide.csv';
const m = Number(args[1] ?? 5000),
  n = Number(args[2] ?? 2520);

let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};

const price = Float64Array.from({ length: m }, () => 10 + rand() * 190);
const ws = createWriteStream(out);
const write = (s) =>
  new Promise((res) => {
    if (ws.write(s)) res();
    else ws.once('drain', res);
  });
await write(`date,${Array.from({ length: m }, (_, j) => `A${String(j).padStart(4, '0')}`).join(',')}\n`);
let day = Date.UTC(2010, 0, 4);
for (let t = 0; t < n; t++) {
  while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
  const cells = new Array(m);
  for (let j = 0; j < m; j++) {
    price[j] *= 1 + (rand() - 0.5) * 0.04;
    cells[j] = rand() < 0.01 ? '' : price[j].toFixed(4);
  }
  await write(`${new Date(day).toISOString().slice(0, 10)},${cells.join(',')}\n`);
  day += 86_400_000;
}
await new Promise((res) => ws.end(res));
if (gz) writeFileSync(`${out}.gz`, gzipSync(readFileSync(out)));
