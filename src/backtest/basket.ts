/**
 * EquityFactorBasket: a strategy driven by factor data (SigTech's EquityFactorBasket and its three
 * inputs), composed into one signal for the rules of rules.ts.
 *
 *   const basket = new EquityFactorBasket()
 *     .addFactorExposures('beta_mkt', betas)                    // precomputed exposures through time (a Panel)
 *     .addFactorExposureMethod('mom', (history) => ...)         // a function of the data computing exposures
 *     .addRawFactorTimeseries('earnings_yield', ep, { transform: 'zscore' }); // raw per-asset factor series
 *   const result = basket.backtest(prices, { rule: topN(20), schedule: { kind: 'month-end' } });
 *
 * Each input gives, on signal row t, one value per price asset x_kj(t):
 * - exposures and raw series: the value of the latest input date ≤ the price date t, by asset name
 *   (alignedRows; NaN where the input has none);
 * - a method: `method(history)` with `history` the prices of rows 0..t only (so it cannot look
 *   ahead), returning one value per price asset at row t; it runs on signal rows only.
 * Each is then transformed across the names with a finite value on that row: `none` (as is; the
 * default for exposures and methods), `zscore` ((x − mean)/sd, sd with ddof 1; the default for raw
 * series, whose units differ) or `rank` (pandas `rank(pct=True)`: average rank of ties / count).
 * The basket's signal is s_j(t) = Σ_k weight_k · x̃_kj(t) (weight default 1), NaN when any input
 * lacks name j. Names are checked: each input's name once.
 */
import { checkFinite, checkOneOf, checkOptionNames, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { formatIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { backtest, type BacktestResults, type BacktestRunOptions } from './results.js';
import { alignedRows, type SignalRows } from './signal.js';

/** Exposures of every price asset at the last row of `history` (the prices up to the signal row). */
export type ExposureMethod = (history: Panel) => ArrayLike<number>;

export type BasketTransform = 'none' | 'zscore' | 'rank';

export interface BasketInputOptions {
  /** Weight in the composite (default 1; negative reverses the input). */
  weight?: number;
  /** Cross-sectional transform of the input on each row (default: none, raw series: zscore). */
  transform?: BasketTransform;
}

type Source = { kind: 'exposures' | 'raw'; panel: Panel } | { kind: 'method'; method: ExposureMethod };

interface Input {
  name: string;
  source: Source;
  weight: number;
  transform: BasketTransform;
}

/** The transform of one row in place, over its finite values (others stay NaN). */
export function transformRow(x: Float64Array, transform: BasketTransform): Float64Array {
  if (transform === 'none') return x;
  const idx: number[] = [];
  for (let j = 0; j < x.length; j++)
    if (Number.isFinite(x[j])) idx.push(j);
    else x[j] = NaN;
  const k = idx.length;
  if (transform === 'zscore') {
    let s = 0;
    for (const j of idx) s += x[j];
    const mean = s / k;
    let v = 0;
    for (const j of idx) v += (x[j] - mean) ** 2;
    const sd = Math.sqrt(v / (k - 1));
    for (const j of idx) x[j] = k >= 2 && sd > 0 ? (x[j] - mean) / sd : NaN;
    return x;
  }
  // rank(pct=True): ties share their average rank (1-based), divided by the count
  idx.sort((a, b) => x[a] - x[b] || a - b);
  const r = new Float64Array(k);
  for (let i = 0; i < k;) {
    let e = i;
    while (e + 1 < k && x[idx[e + 1]] === x[idx[i]]) e++;
    for (let q = i; q <= e; q++) r[q] = (i + e) / 2 + 1;
    i = e + 1;
  }
  for (let i = 0; i < k; i++) x[idx[i]] = r[i] / k;
  return x;
}

export class EquityFactorBasket {
  private readonly list: Input[] = [];

  /** The inputs' names, in the order added. */
  get names(): string[] {
    return this.list.map((i) => i.name);
  }

  /** Precomputed per-asset exposures through time (dates × assets), e.g. rolling betas. */
  addFactorExposures(name: string, exposures: Panel, options: BasketInputOptions = {}): this {
    return this.add(name, { kind: 'exposures', panel: exposures }, options, 'none');
  }

  /** A function of the data computing every asset's exposure at the signal row from the prices up to it. */
  addFactorExposureMethod(name: string, method: ExposureMethod, options: BasketInputOptions = {}): this {
    return this.add(name, { kind: 'method', method }, options, 'none');
  }

  /** Raw per-asset factor series (dates × assets), e.g. P/E or book-to-price; z-scored across names by default. */
  addRawFactorTimeseries(name: string, series: Panel, options: BasketInputOptions = {}): this {
    return this.add(name, { kind: 'raw', panel: series }, options, 'zscore');
  }

  /**
   * The caller's name, input and options: InputErrors naming them (RangeErrors before; an unknown
   * transform such as 'zscor' was applied as 'rank', a method that is not a function failed at the
   * first signal row with a TypeError).
   */
  private add(name: string, source: Source, options: BasketInputOptions, transform: BasketTransform): this {
    if (typeof name !== 'string' || name === '')
      throw new InputError(`the input's name must be a non-empty string, got ${describeValue(name)}`);
    if (this.list.some((i) => i.name === name))
      throw new InputError(`the basket already has an input named ${JSON.stringify(name)}`, { hint: 'give each input its own name' });
    if (source.kind === 'method' ? typeof source.method !== 'function' : !(source.panel instanceof Panel))
      throw new InputError(
        `input ${JSON.stringify(name)} must be ${source.kind === 'method' ? 'a function of the price history' : 'a Panel (dates × assets)'}, got ${describeValue(source.kind === 'method' ? source.method : source.panel)}`,
      );
    checkOptionNames<BasketInputOptions>(`the options of input ${JSON.stringify(name)}`, options, { weight: true, transform: true });
    const weight = checkFinite('weight', options.weight ?? 1);
    const t = checkOneOf('transform', options.transform ?? transform, ['none', 'zscore', 'rank']);
    this.list.push({ name, source, weight, transform: t });
    return this;
  }

  /** The composite signal on the prices' grid, computed on the rows asked for (see the module comment). */
  signal(prices: Panel): SignalRows {
    if (this.list.length === 0)
      throw new InputError('the basket has no input', {
        hint: 'add exposures (addFactorExposures), an exposure method (addFactorExposureMethod) or raw factor series (addRawFactorTimeseries)',
      });
    const n = prices.nDates,
      m = prices.nAssets;
    const rows = this.list.map((input) => ({
      input,
      aligned: input.source.kind === 'method' ? undefined : alignedRows(input.source.panel, prices),
    }));
    const out = new Float64Array(m),
      x = new Float64Array(m);
    return {
      nDates: n,
      nAssets: m,
      row(t: number): Float64Array {
        out.fill(0);
        for (const { input, aligned } of rows) {
          if (aligned !== undefined) x.set(aligned.row(t));
          else {
            const v = (input.source as { method: ExposureMethod }).method(
              new Panel(prices.dates.subarray(0, t + 1), prices.assets, prices.values.subarray(0, (t + 1) * m)),
            );
            if (v === null || typeof v !== 'object' || v.length !== m)
              throw new InputError(
                `exposure method ${input.name} returned ${typeof v === 'object' && v !== null && typeof v.length === 'number' ? `${v.length} values` : describeValue(v)} for ${m} assets on ${formatIsoDate(prices.dates[t])}`,
                { hint: 'return one value per price asset, in the order of the prices (NaN for none)' },
              );
            for (let j = 0; j < m; j++) x[j] = v[j];
          }
          transformRow(x, input.transform);
          for (let j = 0; j < m; j++) out[j] += input.weight * x[j];
        }
        return out;
      },
    };
  }

  /** Backtests a rule on the basket's signal (every option of the library's `backtest` but the signal): its results object, whose JSON is the CLI's. */
  backtest(prices: Panel, options: Omit<BacktestRunOptions, 'signal'>): BacktestResults {
    return backtest(prices, { ...options, signal: this.signal(prices) });
  }
}
