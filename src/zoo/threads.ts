/**
 * The zoo's factors on worker threads, a factor per thread (`factorlab zoo --threads N`, one
 * machine).
 *
 * The shared inputs are read once, on the calling thread (factorRun.ts `loadShared`), and handed to
 * every thread without a copy: the price panel, the forward returns of every horizon and the
 * weights live on `SharedArrayBuffer`s (copied there once when they were read onto ordinary
 * memory), the groups and notes are small and cloned. Each thread takes the next factor from one
 * shared counter (`Atomics.add`), runs it exactly as the one-thread zoo does (factorRun.ts
 * `runFactor`: read the factor, the `analyze` checks and statistics single-threaded, write its
 * JSON), posts back the summary rows, and takes the next, until none is left; so a slow factor
 * holds up one thread, not the others. The results are collected by factor index, so the table and
 * every JSON are the same bytes whatever the number of threads (tested).
 *
 * Where the thread code comes from: as in src/parallel, the compiled `threadWorker.js` beside this
 * module (dist/zoo/), or the checkout's dist/ when this module runs from the TypeScript sources.
 * A thread that dies (out of memory, a bug) fails the whole zoo with an error: a short table is
 * never returned as if complete.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Panel } from '../core/panel.js';
import type { RowLessCounts } from '../stats/ranks.js';
import type { FactorOutcome, SharedInputs, ZooAnalyzeFlags } from './factorRun.js';
import type { FactorSpec } from './specs.js';

/** The compiled thread entry, or an error saying how to build it. */
export function threadWorkerFile(): URL {
  const candidates = [new URL('./threadWorker.js', import.meta.url), new URL('../../dist/zoo/threadWorker.js', import.meta.url)];
  for (const c of candidates) if (existsSync(fileURLToPath(c))) return c;
  throw new Error(
    `factorlab: the zoo's thread entry dist/zoo/threadWorker.js is missing; run \`npm run build\` first (looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')})`,
  );
}

/** A panel as plain data a thread can receive (its values on shared memory: not copied). */
export interface PanelData {
  dates: Int32Array;
  assets: readonly string[];
  values: Float64Array;
}

/** The shared inputs as plain data (Panels are classes, which a message does not carry). */
export interface SharedInputsData {
  prices: Omit<SharedInputs['prices'], 'panel' | 'loaded'> & { panel: PanelData; loaded: Omit<SharedInputs['prices']['loaded'], 'panel'> };
  weights?: Omit<NonNullable<SharedInputs['weights']>, 'panel'> & { panel: PanelData };
  groups?: SharedInputs['groups'];
  forwardReturns?: [number, PanelData][];
  /** The forward returns' sort order per horizon (on shared memory when read for threads). */
  forwardOrder?: [number, RowLessCounts][];
}

/** What a thread starts with. */
export interface ThreadStart {
  flags: ZooAnalyzeFlags;
  specs: readonly FactorSpec[];
  /** The result file of each factor (undefined: none written). */
  files: readonly (string | undefined)[];
  inputs: SharedInputsData;
  /** One Int32 on shared memory: the next factor index to take. */
  next: Int32Array;
}

/** What a thread posts: one factor's outcome, or that it has finished. */
export type ThreadMessage = { kind: 'factor'; index: number; outcome: FactorOutcome } | { kind: 'done' };

function sharedCopy<T extends Float64Array | Int32Array | Uint32Array>(a: T, make: (buffer: SharedArrayBuffer) => T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const c = make(new SharedArrayBuffer(a.byteLength));
  c.set(a);
  return c;
}

/** A panel's arrays on shared memory (a copy only when they are not there yet). */
export function panelData(p: Panel): PanelData {
  return {
    dates: sharedCopy(p.dates, (b) => new Int32Array(b)),
    assets: p.assets,
    values: sharedCopy(p.values, (b) => new Float64Array(b)),
  };
}

export function panelOf(d: PanelData): Panel {
  return new Panel(d.dates, d.assets, d.values);
}

/** {@link SharedInputs} as data for the threads (see the module doc). */
export function sharedInputsData(inputs: SharedInputs): SharedInputsData {
  const { panel: _loadedPanel, ...loaded } = inputs.prices.loaded;
  return {
    prices: { ...inputs.prices, panel: panelData(inputs.prices.panel), loaded },
    ...(inputs.weights !== undefined ? { weights: { ...inputs.weights, panel: panelData(inputs.weights.panel) } } : {}),
    ...(inputs.groups !== undefined ? { groups: inputs.groups } : {}),
    ...(inputs.forwardReturns !== undefined
      ? { forwardReturns: [...inputs.forwardReturns].map(([h, p]): [number, PanelData] => [h, panelData(p)]) }
      : {}),
    ...(inputs.forwardOrder !== undefined
      ? { forwardOrder: [...inputs.forwardOrder.rows].map(([h, o]): [number, RowLessCounts] => [h, lessCountsData(o)]) }
      : {}),
  };
}

/** Less-counts' arrays on shared memory (a copy only when they are not there yet). */
function lessCountsData(o: RowLessCounts): RowLessCounts {
  return {
    nRows: o.nRows,
    nCols: o.nCols,
    less: sharedCopy(o.less, (b) => new Uint32Array(b)),
    count: sharedCopy(o.count, (b) => new Int32Array(b)),
  };
}

/** The {@link SharedInputs} a thread computes on, from the data it received. */
export function sharedInputsOf(d: SharedInputsData): SharedInputs {
  const prices = panelOf(d.prices.panel);
  const forward = d.forwardReturns !== undefined ? new Map(d.forwardReturns.map(([h, p]) => [h, panelOf(p)])) : undefined;
  return {
    // the analysis reads only the layout of `loaded`; its panel is the price panel
    prices: { ...d.prices, panel: prices, loaded: { ...d.prices.loaded, panel: prices } },
    ...(d.weights !== undefined ? { weights: { ...d.weights, panel: panelOf(d.weights.panel) } } : {}),
    ...(d.groups !== undefined ? { groups: d.groups } : {}),
    ...(forward !== undefined ? { forwardReturns: forward } : {}),
    // the order is of these very panels (the analysis checks by identity)
    ...(forward !== undefined && d.forwardOrder !== undefined ? { forwardOrder: { forward, rows: new Map(d.forwardOrder) } } : {}),
  };
}

/**
 * Runs every factor on `threads` worker threads (at most one per factor) over the shared inputs;
 * calls `onOutcome` as each factor finishes (in the order they finish) and resolves when all have.
 */
export async function runFactorsOnThreads(
  flags: ZooAnalyzeFlags,
  specs: readonly FactorSpec[],
  files: readonly (string | undefined)[],
  inputs: SharedInputs,
  threads: number,
  onOutcome: (index: number, outcome: FactorOutcome) => void,
): Promise<void> {
  const n = Math.max(1, Math.min(Math.floor(threads), specs.length));
  const start: ThreadStart = {
    flags: { ...flags, threads: 1 },
    specs,
    files,
    inputs: sharedInputsData(inputs),
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
  const file = threadWorkerFile();
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<void>((resolve, reject) => {
            const w = new Worker(file, { workerData: start });
            workers.push(w);
            let finished = false;
            w.on('message', (m: ThreadMessage) => {
              if (m.kind === 'factor') onOutcome(m.index, m.outcome);
              else {
                finished = true;
                resolve();
              }
            });
            w.once('error', reject);
            w.once('exit', (code) => {
              if (!finished)
                reject(
                  new Error(
                    `a zoo thread stopped before its factors were done (exit code ${code}); rerun with --threads 1 to see which factor breaks it`,
                  ),
                );
            });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
