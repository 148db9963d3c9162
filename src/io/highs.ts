/**
 * Loads HiGHS (the `highs` package, WebAssembly) in Node: the runtime the portfolio layer's LP,
 * MILP and diagnosis need, injected as `optimize(spec, { highs: loadHighs })`. Loaded once per
 * process, on the first call; the portfolio layer calls it only when a problem needs it.
 */
import highsModule from 'highs';
import type { HighsRuntime } from '../portfolio/highs.js';

// The package's types describe its CommonJS build (module.exports with `default`); under ESM the
// `import` condition resolves to highs.mjs whose default export is the loader itself.
type Loader = typeof highsModule.default;
const loader: Loader = typeof highsModule === 'function' ? (highsModule as unknown as Loader) : highsModule.default;

let runtime: Promise<HighsRuntime> | null = null;

/** The HiGHS runtime, loaded on first use and shared afterwards. */
export function loadHighs(): Promise<HighsRuntime> {
  runtime ??= loader();
  return runtime;
}
