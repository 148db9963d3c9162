/**
 * Helpers shared by the bench modules (not a bench itself: run.mjs skips files starting with `_`).
 */
import { Worker } from 'node:worker_threads';

/** Best of `reps` runs of f, in seconds, with f's last result. */
export function time(f, reps = 1) {
  let best = Infinity,
    result;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, result };
}

/** {@link time} for an async f. */
export async function timeAsync(f, reps = 1) {
  let best = Infinity,
    result;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = await f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, result };
}

/** The plain pass, every ratio's baseline: sum of every cell (NaN-skipping) of each panel, best of 5. */
export function plainPass(...panels) {
  return time(() => {
    let s = 0;
    for (const p of panels) {
      const v = p.values;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === x) s += x;
      }
    }
    return s;
  }, 5).seconds;
}

/**
 * How much of a second core is free now: one spin loop alone vs two at once (main + a worker);
 * 2.0 = a whole free core, 1.0 = none (the threads share one core).
 */
export async function parallelCapacity() {
  const body = 'let s = 0; for (let i = 0; i < 1e8; i++) s += Math.sqrt(i); return s;';
  const spin = new Function(body);
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads'); const f = () => { ${body} }; parentPort.on('message', () => parentPort.postMessage(f()));`,
    { eval: true },
  );
  try {
    const run = () =>
      new Promise((r) => {
        w.once('message', r);
        w.postMessage(0);
      });
    await run();
    spin();
    let one = Infinity,
      two = Infinity;
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      spin();
      one = Math.min(one, performance.now() - t);
      t = performance.now();
      const p = run();
      spin();
      await p;
      two = Math.min(two, performance.now() - t);
    }
    return (2 * one) / two;
  } finally {
    await w.terminate();
  }
}
