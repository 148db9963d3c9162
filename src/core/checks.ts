/**
 * Argument checks shared by every public function: one definition per check, one message style.
 *
 * A TypeScript user (or a JavaScript one, with no compiler between them and the library) calls the
 * library directly, so bad arguments must stop with an {@link InputError} that says which argument
 * is wrong, what it got and what is expected, never silently become a number (`"5"` coerced by
 * arithmetic, a negative lag clamped to 0, a window longer than the data giving an all-NaN result,
 * two panels of the same shape but different dates paired row by row).
 *
 * Every check is O(1), or one pass over dates and assets (never over the values), so it can sit at
 * the entry of a hot function. Messages name the library option, and list it in
 * {@link InputError.options} so the CLI can rewrite it to its flag.
 */
import { InputError } from './errors.js';

/** How a value is shown in a message: numbers as written, anything else with its type (`"5" (a string)`). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)} (a string)`;
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a ${typeof value}`;
}

function fail(name: string, value: unknown, expected: string): never {
  throw new InputError(`${name} must be ${expected}, got ${describeValue(value)}`, { options: [name] });
}

/**
 * A whole number in [min, max] (a number, not a string that looks like one). Returns it.
 * `expected` replaces the generated description (e.g. "a whole number of rows >= 1").
 */
export function checkInteger(name: string, value: unknown, min: number, max = Infinity, expected?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    fail(name, value, expected ?? (max === Infinity ? `a whole number >= ${min}` : `a whole number in ${min}..${max}`));
  return value;
}

/** A finite number > 0 (periods per year, a half-life, capital). Returns it. */
export function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || value === Infinity) fail(name, value, 'a finite number > 0');
  return value;
}

/** A finite number >= 0 (a penalty, a cost, a tolerance). Returns it. */
export function checkNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity) fail(name, value, 'a finite number >= 0');
  return value;
}

/** A finite number (not NaN, not ±Infinity, not a string). Returns it. */
export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, value, 'a finite number');
  return value;
}

/** A share in [0, 1] (a VaR cutoff, a probability, a maximum loss). Returns it. */
export function checkShare(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(name, value, 'a number in [0, 1]');
  return value;
}

/** `true` or `false` (a JavaScript caller's `'no'` would otherwise read as true). Returns it. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(name, value, 'true or false');
  return value;
}

/** One of the listed strings. Returns it. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    fail(name, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value as T;
}

/**
 * Every key of an options object is one the function knows: a misspelt option (`horizon` for
 * `horizons`, `costBP` for `costBps`) was ignored without a word and the default used, which a
 * TypeScript object literal catches but a JavaScript caller, a spread or a JSON config does not.
 * `known` lists every option name (a `Record` over the options type's keys, so the compiler keeps
 * it complete); keys whose value is `undefined` pass. Throws an InputError naming the key, the
 * closest known name and the list.
 */
export function checkOptionNames<T>(what: string, options: unknown, known: Readonly<Record<keyof T, true>>): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) fail(what, options, 'an object of options');
  for (const key of Object.keys(options)) {
    if (Object.prototype.hasOwnProperty.call(known, key) || (options as Record<string, unknown>)[key] === undefined) continue;
    const names = Object.keys(known);
    const near = closestName(key, names);
    throw new InputError(
      `${what}: unknown option ${JSON.stringify(key)}${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`,
      {
        hint: `the options are ${names.join(', ')}`,
      },
    );
  }
}

/** The known name nearest to `key` (case ignored) when it is within a third of its length in edits. */
function closestName(key: string, names: readonly string[]): string | undefined {
  const a = key.toLowerCase();
  let best: string | undefined,
    bestD = Math.max(2, Math.floor(a.length / 3)) + 1;
  for (const name of names) {
    const d = editDistance(a, name.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** `actual === expected`, else "`name` has `actual` values, expected `expected` (`what`)". */
export function checkLength(name: string, actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new InputError(`${name} has ${actual} values, expected ${expected} (${what})`, { options: [name] });
}

/**
 * The argument types of a Panel or Frame that TypeScript states and JavaScript does not check:
 * dates an Int32Array (a Float64Array of 1.5, 2.5 passed the order test and broke every date
 * lookup), values a Float64Array (a plain array has no subarray: rows failed later with a
 * TypeError), names strings. O(1) but for the names.
 */
export function checkTableTypes(what: string, dates: unknown, names: readonly unknown[], nameKind: string): void {
  if (!(dates instanceof Int32Array))
    throw new InputError(
      `${what} dates must be an Int32Array of day numbers (makeCalendar or calendarFromIso makes one), got ${describeValue(dates)}`,
    );
  if (!Array.isArray(names)) throw new InputError(`${what} ${nameKind}s must be an array of strings, got ${describeValue(names)}`);
  for (let i = 0; i < names.length; i++)
    if (typeof names[i] !== 'string') throw new InputError(`${what} ${nameKind} ${i} must be a string, got ${describeValue(names[i])}`);
}

/**
 * Strictly increasing day numbers (a calendar): the dates of a Panel, a Frame, a dated series, or
 * a calendar a function merges or searches. Unsorted or repeated dates made a merge skip dates and
 * a binary search miss them, silently. One pass; the message names the first row out of order.
 */
export function checkCalendar(name: string, dates: ArrayLike<number>, hint = 'makeCalendar sorts day numbers and drops repeats'): void {
  for (let i = 1; i < dates.length; i++)
    if (!(dates[i] > dates[i - 1]))
      throw new InputError(
        `${name} must be strictly increasing day numbers: row ${i} (${describeDay(dates[i])}) ${dates[i] === dates[i - 1] ? 'repeats' : 'is not after'} row ${i - 1} (${describeDay(dates[i - 1])})`,
        { hint, options: [name] },
      );
}

/**
 * A day number as its ISO date when it is one, else as written (dates.ts has formatIsoDate, but
 * it imports this module: H. Hinnant's civil_from_days again, for messages only).
 */
function describeDay(d: number): string {
  if (!Number.isInteger(d) || Math.abs(d) > 1e8) return describeValue(d);
  const z = d + 719468,
    era = Math.floor(z / 146097),
    doe = z - era * 146097,
    yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365),
    doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)),
    mp = Math.floor((5 * doy + 2) / 153),
    day = doy - Math.floor((153 * mp + 2) / 5) + 1,
    month = mp < 10 ? mp + 3 : mp - 9,
    year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The dates and asset names of a panel (or of quantile labels). */
export interface Grid {
  readonly dates: ArrayLike<number>;
  readonly assets: readonly string[];
}

/**
 * Two panels on the same grid: the same dates and the same assets in the same order. Values are
 * paired by position, so a second panel of the same shape on other dates (a forward-return panel
 * of another calendar) or with its assets in another order would be paired silently wrong. One
 * pass over dates and assets. `aName` and `bName` say which arguments they are.
 */
export function checkSameGrid(aName: string, a: Grid, bName: string, b: Grid, hint?: string): void {
  const n = a.dates.length,
    m = a.assets.length;
  if (b.dates.length !== n || b.assets.length !== m)
    throw new InputError(
      `${bName} is ${b.dates.length} dates x ${b.assets.length} assets, ${aName} is ${n} x ${m}: they must be on the same dates and assets`,
      {
        hint: hint ?? 'align them first (alignPanels or reindexPanel)',
      },
    );
  for (let t = 0; t < n; t++)
    if (a.dates[t] !== b.dates[t])
      throw new InputError(
        `${bName} and ${aName} differ at row ${t} (day ${b.dates[t]} vs ${a.dates[t]}): they must be on the same dates`,
        {
          hint: hint ?? 'align them first (alignPanels or reindexPanel)',
        },
      );
  for (let j = 0; j < m; j++)
    if (a.assets[j] !== b.assets[j])
      throw new InputError(
        `${bName} and ${aName} differ at column ${j} (asset ${JSON.stringify(b.assets[j])} vs ${JSON.stringify(a.assets[j])}): they must have the same assets in the same order`,
        { hint: hint ?? 'align them first (alignPanels or reindexAssets)' },
      );
}

/**
 * Every value finite (no NaN, no ±Infinity), for inputs where NaN is not "missing" by definition
 * (a return series the caller must have cleaned). One pass; the message names the first bad index.
 */
export function checkAllFinite(name: string, x: ArrayLike<number>, hint: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v - v === 0)) throw new InputError(`${name}[${i}] is ${describeValue(v)}, expected a finite number`, { hint, options: [name] });
  }
}
