/**
 * factorlab side of the statsmodels comparison in bench/exposures.mjs, run as its own process (the
 * whole process is timed, like the Python one): loads dist, reads the same y/x files, fits.
 * Usage: node bench/_factorlab_case.mjs ols|rolling DIR
 */
import { readFileSync } from 'node:fs';
import { olsBatch } from '../dist/stats/ols.js';
import { rollingOls } from '../dist/stats/rollingOls.js';

const [mode, dir] = process.argv.slice(2);
const shape = JSON.parse(readFileSync(`${dir}/shape.json`, 'utf8'));
const { n, m, k, window } = shape;
const read = (f) => { const b = readFileSync(`${dir}/${f}`); return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8); };
const y = read('y.f64'), x = read('x.f64');
const t0 = performance.now();
let check = 0;
if (mode === 'ols') {
  const r = olsBatch(y, n, m, x, k, { residuals: true });
  for (let j = 0; j < m; j++) check += r.coef[j * (k + 1) + 1] + r.se[j * (k + 1) + 1];
} else {
  // asset-major copy, then every window of every asset
  const am = new Float64Array(n * m);
  for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) am[j * n + t] = y[t * m + j];
  const r = rollingOls(am, n, m, x, k, { window });
  for (let j = 0; j < m; j++) for (let t = window - 1; t < n; t++) check += r.coef[(j * (k + 1) + 1) * n + t];
}
console.log(JSON.stringify({ seconds_inside: (performance.now() - t0) / 1000, checksum: check }));
