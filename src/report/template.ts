/**
 * Compiled chart templates: the Vega-Lite compiler runs when factorlab is built, not when a report
 * is written. A chart's Vega-Lite spec is split into its *shape* and its *holes*:
 *
 * - a hole is a text that changes with the data and that Vega-Lite copies without looking at it:
 *   every `title` string (axis, legend, tooltip titles; equal titles share a hole), every array of
 *   strings under `domain` or `range` (category orders, colours), and the `value` of every
 *   top-level `params` entry (lookup tables the expressions read, e.g. series key → display name).
 *   A `sort` array is not a hole: Vega-Lite writes it into an expression per element, so the
 *   specs give category orders as a scale domain instead;
 * - the shape is the spec with each hole replaced by a marker `@@hN@@` (N: the hole's number in
 *   document order; a marker array `['@@hN@@']` for an array hole).
 *
 * `npm run gen:report-templates` compiles the shape of every chart the reports draw (the demo's and
 * variants; scripts/gen-report-templates.mjs) and keeps a shape only when filling its compiled Vega
 * with the holes gives exactly what Vega-Lite compiles from the full spec, for the real holes and
 * for probe holes (other texts with quotes, arrays of another length). At run time a chart whose
 * shape is in the table is filled in (no Vega-Lite, no Vega); any other chart is compiled by
 * Vega-Lite as before, so a shape missing from the table costs time, never correctness.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const MARK = '@@h';
const marker = (i: number): string => `${MARK}${i}@@`;
const MARKER_RE = /@@h(\d+)@@/;

/** Keys whose string value is a hole. */
const TEXT_HOLES = new Set(['title']);
/** Keys whose array-of-strings value is a hole. */
const ARRAY_HOLES = new Set(['domain', 'range']);
/** Subtrees never scanned (the house style is the same for every chart). */
const SKIP = new Set(['config', '$schema']);

export interface AbstractSpec {
  /** The spec with markers in place of the holes. */
  shape: Json;
  /** The holes, by number. */
  holes: Json[];
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

/** Splits a Vega-Lite spec into its shape and its holes (see the module comment). */
export function abstractSpec(spec: Json): AbstractSpec {
  const fields = new Set<string>();
  collectFields(spec, fields);
  const holes: Json[] = [];
  const texts = new Map<string, string>();
  const hole = (v: Json, array: boolean): Json => {
    // equal texts share one hole: Vega-Lite merges equal titles (a tooltip entry titled like the
    // axis is written once), and the template must merge them the same way
    if (typeof v === 'string' && texts.has(v)) return texts.get(v) as string;
    const m = marker(holes.length);
    holes.push(v);
    if (typeof v === 'string') texts.set(v, m);
    return array ? [m] : m;
  };
  const walk = (v: Json, key: string | null): Json => {
    if (Array.isArray(v)) {
      if (key !== null && ARRAY_HOLES.has(key) && isStringArray(v)) return hole(v, true);
      return v.map((x) => walk(x, null));
    }
    if (v !== null && typeof v === 'object') {
      const out: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    // a title equal to a field name stays in the shape: Vega-Lite titles an untitled field by its
    // name and merges equal titles, so such a title is structure
    if (typeof v === 'string' && key !== null && TEXT_HOLES.has(key) && !fields.has(v)) return hole(v, false);
    return v;
  };
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return { shape: walk(spec, null), holes };
  const shape: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(spec)) {
    if (SKIP.has(k)) shape[k] = x;
    else if (k === 'params' && Array.isArray(x)) {
      // top-level parameters: their values are holes, the rest (names, bindings) is shape
      shape[k] = x.map((p) =>
        p !== null && typeof p === 'object' && !Array.isArray(p)
          ? Object.fromEntries(Object.entries(p).map(([pk, pv]) => [pk, pk === 'value' ? hole(pv, false) : walk(pv, pk)]))
          : walk(p, null),
      );
    } else shape[k] = walk(x, k);
  }
  return { shape, holes };
}

function collectFields(v: Json, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectFields(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'field' && typeof x === 'string') out.add(x);
      else collectFields(x, out);
    }
  }
}

/** The text of a value inside a Vega expression, where Vega-Lite wrote the marker as a JSON string. */
const asExpressionText = (v: Json): string => JSON.stringify(v);

/**
 * A compiled shape with its holes filled: a string that is exactly a marker becomes the hole's
 * value; an array that is exactly `[marker]` becomes the hole's array; inside a longer string (a
 * Vega expression) `["marker"]` and `"marker"` become the hole's JSON text.
 */
export function fillHoles(compiled: Json, holes: readonly Json[]): Json {
  const get = (i: number): Json => {
    if (i >= holes.length) throw new Error(`chart template: hole ${i} has no value (${holes.length} given)`);
    return holes[i];
  };
  const text = (s: string): Json => {
    const exact = /^@@h(\d+)@@$/.exec(s);
    if (exact) return get(Number(exact[1]));
    if (!MARKER_RE.test(s)) return s;
    return s
      .replace(/\["@@h(\d+)@@"\]/g, (_, i: string) => asExpressionText(get(Number(i))))
      .replace(/"@@h(\d+)@@"/g, (_, i: string) => asExpressionText(get(Number(i))))
      .replace(/@@h(\d+)@@/g, (_, i: string) => {
        const v = get(Number(i));
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
  };
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) {
      if (v.length === 1 && typeof v[0] === 'string') {
        const m = /^@@h(\d+)@@$/.exec(v[0]);
        if (m) {
          const h = get(Number(m[1]));
          if (Array.isArray(h)) return h.slice();
        }
      }
      return v.map(walk);
    }
    if (v !== null && typeof v === 'object') {
      const out: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(compiled);
}

/** A shape with its holes put back: the Vega-Lite spec it was made from. */
export function fillShape(shape: Json, holes: readonly Json[]): Json {
  return fillHoles(shape, holes);
}

/** cyrb53: a 53-bit string hash, as 11 base-36 digits. */
export function hash53(s: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed,
    h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

/** The key of a shape in the template table: a hash of its JSON text (key order as built). */
export function shapeKey(shape: Json): string {
  return hash53(JSON.stringify(shape));
}

/**
 * Probe holes for checking that a template generalises: every text gets an apostrophe and
 * non-ASCII letters appended, every array of strings is reversed and gets one more element;
 * parameter values (any JSON) are kept.
 */
export function probeHoles(holes: readonly Json[]): Json[] {
  return holes.map((h) => {
    if (typeof h === 'string') return `${h} 'q·²`;
    if (isStringArray(h)) return [...h].reverse().concat([`x'${h.length}`]);
    return h;
  });
}

/**
 * True when every text in the holes can be filled into a compiled template: Vega-Lite escapes `"`
 * and `\` differently in different expressions, so a hole holding either (or a control character)
 * sends its chart to the run-time compiler.
 */
export function holesFillable(holes: readonly Json[]): boolean {
  const ok = (v: Json): boolean => {
    if (typeof v === 'string') {
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029) return false;
      }
      return true;
    }
    if (Array.isArray(v)) return v.every(ok);
    if (v !== null && typeof v === 'object') return Object.entries(v).every(([k, x]) => ok(k) && ok(x));
    return true;
  };
  return holes.every(ok);
}
