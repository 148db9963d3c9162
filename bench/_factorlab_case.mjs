/**
 * factorlab side of the statsmodels comparison in bench/exposures.mjs, run as its own process (the
 * whole process is timed by the caller, like the Python one). Same inputs as
 * bench/python/statsmodels_bench.py (y.f64, x.f64, shape.json in DIR), same outputs:
 *   ols:     every asset's coefficients, se, t, p, R², adjusted R² and residuals (olsBatch, the
 *            residuals written over y);
 *            checksum = Σ_j coef_1 + se_1 + t_1 + p_1 + R² + adj. R² + last residual (the Python formula)
 *   rolling: every asset's rolling coefficients; checksum = Σ of the first factor's coefficient.
 * Imports only the modules the fit needs (dist/stats/ols.js or rollingOls.js), not the package
 * root, which also loads the DuckDB readers. Prints JSON with the stage times (ms):
 *   startup = process start to this module's first statement (node bootstrap + loader),
 *   import, read, fit, output; seconds_inside = the fit alone.
 * With THREADS > 1 (ols only) the fit is olsBatchParallel on that many threads, y read straight
 * into shared memory, the worker pool started and stopped inside the timed process.
 * Usage: node bench/_factorlab_case.mjs ols|rolling DIR [THREADS]
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

const startup = performance.now();
const [mode, dir, threadArg] = process.argv.slice(2);
const threads = Number(threadArg ?? 1);
let t = performance.now();
const stages = { startup };
const lap = (name) => {
  const now = performance.now();
  stages[name] = now - t;
  t = now;
};
const { olsBatch } = mode === 'ols' && threads === 1 ? await import('../dist/stats/ols.js') : {};
const { olsBatchParallel } = mode === 'ols' && threads > 1 ? await import('../dist/parallel/ols.js') : {};
// with threads, the pool's workers boot while this thread reads the data (as the CLI does)
const pool = threads > 1 ? new (await import('../dist/parallel/pool.js')).WorkerPool(threads - 1) : undefined;
const { rollingOls } = mode === 'rolling' ? await import('../dist/stats/rollingOls.js') : {};
lap('import');
const shape = JSON.parse(readFileSync(`${dir}/shape.json`, 'utf8'));
const { n, m, k, window } = shape;
/** Reads a file of float64 straight into shared memory when threads will share it. */
const read = (f) => {
  if (threads === 1) {
    const b = readFileSync(`${dir}/${f}`);
    return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
  }
  const fd = openSync(`${dir}/${f}`, 'r');
  try {
    const size = fstatSync(fd).size,
      buf = new SharedArrayBuffer(size),
      bytes = new Uint8Array(buf);
    for (let at = 0; at < size;) at += readSync(fd, bytes, at, size - at, at);
    return new Float64Array(buf);
  } finally {
    closeSync(fd);
  }
};
const y = read('y.f64'),
  x = read('x.f64');
lap('read');
let check = 0;
if (mode === 'ols') {
  // residuals written over y (olsBatch residualsOut: y is not needed after the fit), as statsmodels
  // does not hold a second n x m panel either: it makes and drops one residual vector per asset
  const r =
    threads === 1
      ? olsBatch(y, n, m, x, k, { residuals: true, residualsOut: y })
      : await olsBatchParallel(y, n, m, x, k, { residuals: true, residualsOut: y, pool, threads });
  lap('fit');
  const p = k + 1;
  for (let j = 0; j < m; j++) {
    let last = NaN;
    for (let s = n - 1; s >= 0 && Number.isNaN(last); s--) last = r.residuals[s * m + j];
    check += r.coef[j * p + 1] + r.se[j * p + 1] + r.t[j * p + 1] + r.pValue[j * p + 1] + r.r2[j] + r.adjR2[j] + last;
  }
} else {
  // asset-major copy, then every window of every asset
  const am = new Float64Array(n * m);
  for (let s = 0; s < n; s++) for (let j = 0; j < m; j++) am[j * n + s] = y[s * m + j];
  const r = rollingOls(am, n, m, x, k, { window });
  lap('fit');
  for (let j = 0; j < m; j++)
    for (let s = window - 1; s < n; s++) {
      const v = r.coef[(j * (k + 1) + 1) * n + s];
      if (v === v) check += v;
    }
}
lap('output');
if (pool !== undefined) await pool.destroy();
console.log(JSON.stringify({ seconds_inside: stages.fit / 1000, checksum: check, stages }));
