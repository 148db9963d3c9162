/**
 * Panel: one value per (date, asset), date-major.
 *
 * `values[t * nAssets + j]` is asset `j` on date `t`; `NaN` means missing. Dates are a
 * {@link Calendar} (strictly increasing day numbers). Panels are immutable by convention: every
 * operation returns a new panel and never writes into its input.
 */
import { checkCalendar, checkTableTypes, describeValue } from './checks.js';
import { InputError } from './errors.js';
import { type Calendar, calendarToIso, indexOfDay, isCalendar, lowerBound } from './calendar.js';
import { formatIsoDate, tryParseIsoDate } from './dates.js';

/**
 * A row or column index of a public accessor: a whole number in 0..n − 1, else a RangeError naming
 * the index and the range (a typed array reads undefined outside, and a column past the last one
 * is the next row's first cell).
 */
function checkIndex(name: string, i: unknown, n: number, what: 'date' | 'asset'): void {
  if (typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < n) return;
  throw new RangeError(
    `${name} = ${describeValue(i)} is not ${what === 'asset' ? 'an' : 'a'} ${what} index of the panel: ${n === 0 ? `it has no ${what}s` : `a whole number in 0..${n - 1} (${n} ${what}s)`}`,
  );
}

export class Panel {
  readonly dates: Calendar;
  readonly assets: readonly string[];
  readonly values: Float64Array;
  private assetIndexCache: Map<string, number> | undefined;

  /**
   * Unsorted or repeated dates, a repeated asset name and values of the wrong length are an
   * InputError naming them (they were RangeErrors).
   * @param dates strictly increasing day numbers
   * @param assets distinct asset names
   * @param values date-major values, `dates.length * assets.length` long (default all NaN)
   */
  constructor(dates: Calendar, assets: readonly string[], values?: Float64Array) {
    checkTableTypes('Panel', dates, assets, 'asset');
    if (values !== undefined && !(values instanceof Float64Array))
      throw new InputError(`Panel values must be a Float64Array (date-major, NaN for missing), got ${describeValue(values)}`);
    if (!isCalendar(dates)) checkCalendar('Panel dates', dates);
    const n = dates.length * assets.length;
    if (values === undefined) values = new Float64Array(n).fill(NaN);
    if (values.length !== n) {
      throw new InputError(`Panel values have length ${values.length}, expected ${dates.length} dates x ${assets.length} assets = ${n}`, {
        hint: 'values are date-major: row t holds every asset on date t',
      });
    }
    const seen = new Set<string>();
    for (const a of assets) {
      if (seen.has(a)) throw new InputError(`Panel asset ${JSON.stringify(a)} appears twice`, { hint: 'give each asset once' });
      seen.add(a);
    }
    this.dates = dates;
    this.assets = assets;
    this.values = values;
  }

  get nDates(): number {
    return this.dates.length;
  }
  get nAssets(): number {
    return this.assets.length;
  }

  /** Column of an asset name, or -1. */
  assetIndex(asset: string): number {
    if (this.assetIndexCache === undefined) this.assetIndexCache = new Map(this.assets.map((a, i) => [a, i]));
    return this.assetIndexCache.get(asset) ?? -1;
  }

  /** Row of a day number, or -1. */
  dateIndex(day: number): number {
    return indexOfDay(this.dates, day);
  }

  /**
   * Value at row t, column j (NaN when the cell is missing). A row or column that is not a whole
   * number inside the panel is a RangeError naming it and the range: `at(0, nAssets)` read the
   * first asset of the next date, and `at(1.5, 0)` or `at(nDates, 0)` gave undefined.
   */
  at(t: number, j: number): number {
    checkIndex('t', t, this.dates.length, 'date');
    checkIndex('j', j, this.assets.length, 'asset');
    return this.values[t * this.assets.length + j];
  }

  /**
   * Value by ISO date and asset name (NaN when the cell is missing). A date that is not one of the
   * panel's, or an asset it does not have, is an InputError naming it (it was NaN, as a missing
   * cell is).
   */
  get(isoDate: string, asset: string): number {
    const j = requireAsset(this, asset);
    const day = typeof isoDate === 'string' ? tryParseIsoDate(isoDate) : NaN;
    if (Number.isNaN(day))
      throw new InputError(`date ${describeValue(isoDate)} is not an ISO date (yyyy-mm-dd)`, { hint: 'e.g. 2024-01-31' });
    const t = this.dateIndex(day);
    if (t < 0)
      throw new InputError(`no date ${isoDate} in the panel (${describeDates(this)})`, {
        hint: 'give one of its dates (panel.isoDates()); a day without a row has no value, not a missing one',
      });
    return this.values[t * this.assets.length + j];
  }

  /** A copy of one asset's series (by column index or name): a name the panel lacks is an InputError, an index outside it a RangeError. */
  column(asset: number | string): Float64Array {
    let j: number;
    if (typeof asset === 'string') j = requireAsset(this, asset);
    else {
      checkIndex('asset', asset, this.assets.length, 'asset');
      j = asset;
    }
    const m = this.assets.length;
    const out = new Float64Array(this.dates.length);
    for (let t = 0; t < out.length; t++) out[t] = this.values[t * m + j];
    return out;
  }

  /** A view (no copy) of row t; a row outside the panel is a RangeError (it was an empty or a partial row). */
  row(t: number): Float64Array {
    checkIndex('t', t, this.dates.length, 'date');
    const m = this.assets.length;
    return this.values.subarray(t * m, (t + 1) * m);
  }

  /** ISO strings of the dates. */
  isoDates(): string[] {
    return calendarToIso(this.dates);
  }

  /** Share of cells that are NaN (0 for an empty panel). */
  missingShare(): number {
    const v = this.values;
    if (v.length === 0) return 0;
    let k = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) k++;
    return k / v.length;
  }

  /** Asset-major copy: `out[j * nDates + t]`. For kernels that walk one asset at a time. */
  toAssetMajor(): Float64Array {
    const n = this.dates.length,
      m = this.assets.length,
      v = this.values;
    const out = new Float64Array(n * m);
    // Blocked transpose: keeps both sides in cache for large panels.
    const B = 64;
    for (let t0 = 0; t0 < n; t0 += B) {
      const t1 = Math.min(n, t0 + B);
      for (let j0 = 0; j0 < m; j0 += B) {
        const j1 = Math.min(m, j0 + B);
        for (let t = t0; t < t1; t++) {
          const base = t * m;
          for (let j = j0; j < j1; j++) out[j * n + t] = v[base + j];
        }
      }
    }
    return out;
  }

  /** A panel from asset-major values (`values[j * nDates + t]`). */
  static fromAssetMajor(dates: Calendar, assets: readonly string[], assetMajor: Float64Array): Panel {
    const n = dates.length,
      m = assets.length;
    if (assetMajor.length !== n * m)
      throw new InputError(`asset-major values have length ${assetMajor.length}, expected ${n} dates x ${m} assets = ${n * m}`);
    const out = new Float64Array(n * m);
    for (let j = 0; j < m; j++) {
      const base = j * n;
      for (let t = 0; t < n; t++) out[t * m + j] = assetMajor[base + t];
    }
    return new Panel(dates, assets, out);
  }

  /**
   * A panel from one series per asset on a shared calendar. Assets keep the order of a `Map` or an
   * array of `[name, series]` pairs; a plain object gives `Object.keys` order, which puts
   * integer-like names (PERMNOs, tickers such as `600000`) first in numeric order.
   */
  static fromColumns(
    dates: Calendar,
    columns:
      | Readonly<Record<string, ArrayLike<number>>>
      | ReadonlyMap<string, ArrayLike<number>>
      | ReadonlyArray<readonly [string, ArrayLike<number>]>,
  ): Panel {
    const entries: ReadonlyArray<readonly [string, ArrayLike<number>]> = Array.isArray(columns)
      ? (columns as ReadonlyArray<readonly [string, ArrayLike<number>]>)
      : columns instanceof Map
        ? [...(columns as ReadonlyMap<string, ArrayLike<number>>)]
        : Object.entries(columns as Readonly<Record<string, ArrayLike<number>>>);
    const assets = entries.map(([a]) => a);
    if (new Set(assets).size !== assets.length)
      throw new InputError(`fromColumns: duplicate asset names (${assets.find((a, i) => assets.indexOf(a) !== i)})`, {
        hint: 'give each asset once',
      });
    const n = dates.length,
      m = assets.length;
    const out = new Float64Array(n * m);
    for (let j = 0; j < m; j++) {
      const c = entries[j][1];
      if (c.length !== n) throw new InputError(`fromColumns: series ${assets[j]} has ${c.length} values, expected ${n} (one per date)`);
      for (let t = 0; t < n; t++) out[t * m + j] = c[t];
    }
    return new Panel(dates, assets, out);
  }

  /** Only the named assets, in the given order. An unknown name is an InputError naming it. */
  selectAssets(assets: readonly string[]): Panel {
    const idx = assets.map((a) => requireAsset(this, a));
    const n = this.dates.length,
      m = this.assets.length,
      k = idx.length;
    const out = new Float64Array(n * k);
    for (let t = 0; t < n; t++) {
      const src = t * m,
        dst = t * k;
      for (let c = 0; c < k; c++) out[dst + c] = this.values[src + idx[c]];
    }
    return new Panel(this.dates, assets.slice(), out);
  }

  /** Rows with `from <= date <= to` (day numbers; either may be omitted). Shares no memory. */
  sliceDates(from?: number, to?: number): Panel {
    const a = from === undefined ? 0 : lowerBound(this.dates, from);
    const b = to === undefined ? this.dates.length : lowerBound(this.dates, to + 1);
    const m = this.assets.length;
    return new Panel(this.dates.slice(a, b), this.assets, this.values.slice(a * m, b * m));
  }

  /** Rows `a` (inclusive) to `b` (exclusive), whole numbers with 0 <= a <= b <= nDates (else a RangeError naming them). */
  sliceRows(a: number, b: number): Panel {
    const n = this.dates.length;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b <= n))
      throw new RangeError(
        `sliceRows(${describeValue(a)}, ${describeValue(b)}): rows must be whole numbers with 0 <= a <= b <= ${n} (the panel's dates)`,
      );
    const m = this.assets.length;
    return new Panel(this.dates.slice(a, b), this.assets, this.values.slice(a * m, b * m));
  }

  /** A new panel with `f` applied to every value. */
  map(f: (v: number, t: number, j: number) => number): Panel {
    const n = this.dates.length,
      m = this.assets.length;
    const out = new Float64Array(n * m);
    for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) out[t * m + j] = f(this.values[t * m + j], t, j);
    return new Panel(this.dates, this.assets, out);
  }

  /** Long records `{date, asset, value}`, skipping missing values. For small panels and JSON. */
  toRecords(): { date: string; asset: string; value: number }[] {
    const out: { date: string; asset: string; value: number }[] = [];
    const m = this.assets.length;
    for (let t = 0; t < this.dates.length; t++) {
      const d = formatIsoDate(this.dates[t]);
      for (let j = 0; j < m; j++) {
        const v = this.values[t * m + j];
        if (v === v) out.push({ date: d, asset: this.assets[j], value: v });
      }
    }
    return out;
  }
}

/** The column of an asset name; an InputError naming it and a few of the panel's assets when it has none. */
function requireAsset(p: Panel, asset: string): number {
  const j = typeof asset === 'string' ? p.assetIndex(asset) : -1;
  if (j < 0) {
    const shown = p.assets.slice(0, 5).join(', ') + (p.assets.length > 5 ? ', ...' : '');
    throw new InputError(
      `no asset ${typeof asset === 'string' ? JSON.stringify(asset) : describeValue(asset)} in the panel (${p.assets.length} assets${p.assets.length > 0 ? `: ${shown}` : ''})`,
      { hint: 'asset names match exactly, case included' },
    );
  }
  return j;
}

/** "2024-01-02 .. 2024-03-29, 60 dates" or "no dates". */
function describeDates(p: Panel): string {
  const n = p.dates.length;
  return n === 0 ? 'no dates' : `${formatIsoDate(p.dates[0])} .. ${formatIsoDate(p.dates[n - 1])}, ${n} dates`;
}

/**
 * An n-element Float64Array for panel values, on a SharedArrayBuffer when `shared` (worker
 * threads read such values in place: parallel/), else on an ordinary ArrayBuffer.
 */
export function float64s(n: number, shared = false): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}
