/**
 * Numbers from the bytes of one CSV cell, bit-identical to `Number(text)` on every accepted cell.
 *
 * Accepted (after trimming spaces and tabs): the decimal grammar
 * `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, e.g. `1`, `-0`, `.5`, `5.`,
 * `00012`, `-1.5e-3`. Its value is `Number(text)` (IEEE round-to-nearest of the decimal).
 * Missing (NaN): an empty or blank cell, `nan` in any case with an optional sign (`NaN`,
 * `-nan`), as DuckDB's DOUBLE reads them, and the other spellings of missing that pandas'
 * `read_csv` reads by default ({@link MISSING_TOKENS}: R's `NA`, Excel's `#N/A`, SQL's `NULL`,
 * pandas' `None` and `<NA>`). Non-finite (returned as +/-Infinity for the caller to
 * reject): `inf` / `infinity` in any case with a sign, and decimals that overflow (`1e400`).
 * Anything else is not a number (`undefined`): `1e`, `0x10` (hex; DuckDB rejects it too),
 * `1_000` (DuckDB accepts it, `Number` does not: rejected), `1,5`, `-`, `na`, `#DIV/0!`.
 *
 * Fast path (Clinger 1990): with at most 15 significant digits the digits form an integer
 * `m < 2^53`, exact as a double, and for a decimal exponent `|x| <= 22` so is `10^|x|`; one IEEE
 * multiplication `m * 10^x` or division `m / 10^-x` is then correctly rounded, i.e. equal to
 * `Number(text)`. With 16 to 19 significant digits (the 17-digit round-trip text most tools write)
 * and `|x| <= 22`, {@link longDecimal} rounds a double-double product exactly, or says it cannot
 * decide. Every other cell goes through {@link slowCell} (`Number` of the trimmed text).
 */

import { longDecimal } from './longDecimal.js';

/** `10^0 .. 10^22`, all exactly representable doubles. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAN_TOKEN = /^[+-]?nan$/i;

/**
 * The spellings of a missing value read as missing besides an empty cell and `nan`: pandas'
 * default `na_values` (case as written there), which R (`NA`), Excel (`#N/A`), SQL exports (`NULL`)
 * and pandas itself (`None`, `<NA>`) write. Other text (`-`, `na`, `#DIV/0!`) is still refused:
 * pandas would read it as text and the column would not be numbers.
 */
export const MISSING_TOKENS: readonly string[] = [
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'None',
  'n/a',
  'null',
];
const MISSING = new Set(MISSING_TOKENS);
const INF_TOKEN = /^([+-]?)inf(?:inity)?$/i;

/**
 * The value of a cell's text: a number (finite, or +/-Infinity for `inf` and overflow), NaN for
 * missing, `undefined` for text that is not a number. The reference semantics of {@link parseCell}.
 */
export function slowCell(raw: string): number | undefined {
  const t = raw.replace(/^[ \t]+|[ \t]+$/g, '');
  if (t === '') return NaN;
  if (DECIMAL.test(t)) return Number(t);
  if (NAN_TOKEN.test(t) || MISSING.has(t)) return NaN;
  const inf = INF_TOKEN.exec(t);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * {@link slowCell} of the bytes `b[s..e)` (latin1: any non-ASCII byte makes it not a number),
 * with the exact fast path described above for the common case.
 */
export function parseCell(b: Uint8Array, s: number, e: number): number | undefined {
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  const c0 = b[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  i = scanMantissa(b, i, e);
  let x = mantissa.x;
  if (mantissa.any && i < e && (b[i] | 32) === 101) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let ev = 0,
      edigits = 0;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d;
      edigits++;
    }
    if (edigits === 0) return slow(b, s, e);
    x += eneg ? -ev : ev;
  }
  if (!mantissa.any || i !== e) return slow(b, s, e);
  const v = mantissaValue(x);
  if (v !== v) return slow(b, s, e);
  return neg ? -v : v;
}

/**
 * The digits of a decimal mantissa as {@link scanMantissa} leaves them: `m` the first 15
 * significant digits as an integer, `l` the next (up to 4), `nd` the count of significant digits,
 * `x` minus the number of digits after the point, `any` whether there was a digit at all.
 */
const mantissa = { m: 0, l: 0, nd: 0, x: 0, any: false };

/** Reads `digits [. digits]` from `b[i..e)` into {@link mantissa}; returns where it stopped. */
function scanMantissa(b: Uint8Array, i: number, e: number): number {
  let m = 0,
    l = 0,
    nd = 0,
    x = 0,
    any = false;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    any = true;
    if (nd !== 0 || d !== 0) {
      if (nd < 15) m = m * 10 + d;
      else if (nd < 19) l = l * 10 + d;
      nd++;
    }
  }
  if (i < e && b[i] === 46) {
    for (i++; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      any = true;
      if (nd !== 0 || d !== 0) {
        if (nd < 15) m = m * 10 + d;
        else if (nd < 19) l = l * 10 + d;
        nd++;
      }
      x--;
    }
  }
  mantissa.m = m;
  mantissa.l = l;
  mantissa.nd = nd;
  mantissa.x = x;
  mantissa.any = any;
  return i;
}

/**
 * The unsigned value of {@link mantissa} times `10^x`, exact (equal to `Number` of the text), or
 * NaN when this route cannot give it (more than 19 digits, a power beyond 10^±22, a near-tie).
 * Up to 15 digits: one correctly rounded IEEE operation (Clinger); 16-19: {@link longDecimal}.
 */
function mantissaValue(x: number): number {
  return decimalValue(mantissa.m, mantissa.nd, mantissa.l, x);
}

/**
 * {@link mantissaValue} of digits given as values (`m` the first 15 significant digits, `nd` the
 * count of significant digits, `l` the next up to 4, times `10^x`): for a reader that scans the
 * digits itself (wide.ts).
 */
export function decimalValue(m: number, nd: number, l: number, x: number): number {
  if (m === 0) return 0;
  if (nd > 19 || x < -22 || x > 22) return NaN;
  if (nd > 15) return longDecimal(m, nd - 15, l, x);
  return x >= 0 ? m * POW10[x] : m / POW10[-x];
}

function slow(b: Uint8Array, s: number, e: number): number | undefined {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]);
  return slowCell(t);
}

/** Where {@link parseField} stopped: the index of the delimiter after the field, or the line end. */
export const fieldCursor = { end: 0 };

/**
 * One pass over a field: the value of the cell starting at `s` in a line ending at `e` whose
 * fields are split on byte `d`, equal to `parseCell(b, s, f)` where `f` is the first `d` at or
 * after `s` (or `e`); `f` is left in {@link fieldCursor}.end. The common case (a short decimal
 * followed by the delimiter) is parsed while scanning; anything else finds `f` and calls
 * {@link parseCell}.
 */
export function parseField(b: Uint8Array, s: number, e: number, d: number): number | undefined {
  let i = s;
  if (i === e || b[i] === d) {
    fieldCursor.end = i;
    return NaN;
  }
  let neg = false;
  const c0 = b[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  i = scanMantissa(b, i, e);
  if (mantissa.any && (i === e || b[i] === d)) {
    const v = mantissaValue(mantissa.x);
    if (v === v) {
      fieldCursor.end = i;
      return neg ? -v : v;
    }
  }
  let f = i;
  while (f < e && b[f] !== d) f++;
  fieldCursor.end = f;
  return parseCell(b, s, f);
}
