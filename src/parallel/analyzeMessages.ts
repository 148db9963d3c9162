/**
 * A prepared factor analysis as task messages and back (messages.ts `FactorDataMessage`,
 * `StatisticsOptionsMessage`): the panels' values on shared memory, the options the per-date
 * statistics read (signals/analyze.ts `perDateOptionKeys`, from the registry) with each Panel inside
 * them as plain data. Used by parallel/analyze.ts to post `analyzeRange` tasks and by
 * kernels/signals.ts to run them.
 */
import { Panel } from '../core/panel.js';
import { perDateOptionKeys, type AnalyzeOptions } from '../signals/analyze.js';
import type { FactorData } from '../signals/factorData.js';
import type { AnalyzeRangeTask, FactorDataMessage, PanelMessage, StatisticsOptionsMessage } from './messages.js';

const isShared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;

/** `a` itself when it lives on shared memory, else a copy there. */
export function shareValues(a: Float64Array): Float64Array {
  if (isShared(a)) return a;
  const c = new Float64Array(new SharedArrayBuffer(a.length * 8));
  c.set(a);
  return c;
}

/** The plain-data form of a {@link FactorData} whose panels live on shared memory. */
export function factorDataMessage(data: FactorData): FactorDataMessage {
  return {
    dates: data.dates,
    assets: data.assets,
    factor: shareValues(data.factor.values),
    forward: data.horizons.map((h) => shareValues((data.forward.get(h) as Panel).values)),
    horizons: data.horizons,
    entryRows: data.entryRows,
    priceDates: data.priceDates,
    executionLag: data.executionLag,
    ...(data.groups ? { groups: { names: data.groups.names, codes: data.groups.codes } } : {}),
    ...(data.weights ? { weights: shareValues(data.weights.values) } : {}),
    periodsPerYear: data.periodsPerYear,
    universe: data.universe,
    minAssets: data.minAssets,
    dataLoss: data.dataLoss,
  };
}

/** `x` with every Panel inside it (arrays and plain objects walked) as a {@link PanelMessage}. */
function packPanels(x: unknown): unknown {
  if (x instanceof Panel)
    return { panel: 'shared', dates: x.dates, assets: x.assets, values: shareValues(x.values) } satisfies PanelMessage;
  if (Array.isArray(x)) return x.map(packPanels);
  if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x))
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, packPanels(v)]));
  return x;
}

/** The inverse of {@link packPanels}. */
function unpackPanels(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(unpackPanels);
  if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x)) {
    const o = x as Record<string, unknown>;
    if (o.panel === 'shared') {
      const p = o as unknown as PanelMessage;
      return new Panel(p.dates, p.assets, p.values);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unpackPanels(v)]));
  }
  return x;
}

/** The options the per-date statistics read, as a message (no input panels: the prepared data carries them). */
export function statisticsOptionsMessage(options: AnalyzeOptions): StatisticsOptionsMessage {
  const out: Record<string, unknown> = {};
  for (const k of perDateOptionKeys()) if (options[k] !== undefined) out[k] = packPanels(options[k]);
  return out as StatisticsOptionsMessage;
}

/** The {@link FactorData} and options of an `analyzeRange` task (panels over the shared values). */
export function unpackAnalyzeRange(task: Pick<AnalyzeRangeTask, 'data' | 'options'>): { data: FactorData; options: AnalyzeOptions } {
  const d = task.data;
  const panel = (values: Float64Array): Panel => new Panel(d.dates, d.assets, values);
  const data: FactorData = {
    dates: d.dates,
    assets: d.assets,
    factor: panel(d.factor),
    forward: new Map(d.horizons.map((h, k) => [h, panel(d.forward[k])])),
    horizons: d.horizons,
    entryRows: d.entryRows,
    priceDates: d.priceDates,
    executionLag: d.executionLag,
    ...(d.groups ? { groups: d.groups } : {}),
    ...(d.weights ? { weights: panel(d.weights) } : {}),
    periodsPerYear: d.periodsPerYear,
    universe: d.universe,
    minAssets: d.minAssets,
    dataLoss: d.dataLoss,
  };
  return { data, options: unpackPanels(task.options) as AnalyzeOptions };
}
