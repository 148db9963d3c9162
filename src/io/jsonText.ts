/**
 * The text of `JSON.stringify(value, replacer, 2)` (or of its compact form, space 0), byte for byte, as a sequence of pieces, so a
 * large result (the JSON of a fit of 5,000 assets is 12 MB) is written without ever being one
 * string plus its encoded copy.
 *
 * How: the top levels of plain objects and arrays (up to {@link WALK_DEPTH} deep, and not into the
 * elements of an array of {@link LONG_ARRAY} or more, each of which is one piece, or with
 * `plainUnchanged` runs of plain ones one `JSON.stringify` call: longArrayPieces) are walked here
 * with the rules of the standard's SerializeJSONProperty: for each member, `toJSON(key)` when the
 * value has one, then `replacer(key, value)`; a member whose result is `undefined`, a function or a
 * symbol is left out of an object and is `null` in an array; empty objects and arrays are `{}` and
 * `[]`; members go on their own lines, two spaces deeper than their parent, `"key": value`. Any
 * other value (and every value below the walked levels) is handed to `JSON.stringify` itself and
 * re-indented: JSON text has no raw newline except between members (string newlines are escaped),
 * so prefixing each `\n` with the parent's indentation gives the nested text exactly. That call
 * is given the prepared value back for its root (its own toJSON/replacer step on the root is
 * discarded), so nothing is transformed twice. The replacer must not depend on `this` (it is
 * called on the holder only by `JSON.stringify`).
 *
 * A {@link Table} (with `plainUnchanged`) is written from its columns, records of its columns in
 * their key order, without an object per row: the text its `toJSON()` records would have. The
 * compact form (space 0) is the same walk without line breaks, indents and the space after `:`.
 */

import { Table } from '../core/table.js';

export type JsonReplacer = (key: string, value: unknown) => unknown;

/** Levels of plain objects and arrays walked before handing a value to JSON.stringify. */
export const WALK_DEPTH = 3;

/** How the text is laid out: JSON.stringify's `space` 2 (members on their own lines) or 0 (compact). */
interface Layout {
  space: 0 | 2;
  /** A line break, and the indent one level adds. */
  nl: string;
  gap: string;
  /** Between a key and its value. */
  colon: string;
}
const PRETTY: Layout = { space: 2, nl: '\n', gap: '  ', colon: ': ' };
const COMPACT: Layout = { space: 0, nl: '', gap: '', colon: ':' };

/** Arrays of at least this many elements have each element serialised whole (see valuePieces). */
export const LONG_ARRAY = 64;

/**
 * toJSON(key) when the value has one, then the replacer: what JSON.stringify serialises for a member.
 * With `plain` (the replacer keeps plain JSON values), a {@link Table} is kept as it is: its text
 * is made from its columns (tablePieces), the same as that of its records.
 */
function prepare(key: string, v: unknown, replacer: JsonReplacer, plain = false): unknown {
  if (plain && v instanceof Table) return v;
  if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, key);
  }
  return replacer(key, v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `JSON.stringify(v, null, 2)` is already the replacer's text for `v`: true when the
 * replacer would return every member unchanged or with JSON's own rule for it. That holds for the
 * replacer of io/write.ts (non-finite numbers to null, which JSON does itself; bigints and typed
 * arrays converted, which is why they answer false) on trees of plain objects, arrays, strings,
 * numbers, booleans and null with no `toJSON` anywhere; anything else answers false and is
 * serialised with the replacer. Without a replacer V8 serialises on its fast path, without a call
 * into JavaScript per member (a 5,000-asset fit: 270 -> 60 ms).
 */
function isPlainJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(v)) {
        // an array's toJSON is called by JSON.stringify with or without a replacer, but with the key of where it is
        if ('toJSON' in v) return false;
        for (let i = 0; i < v.length; i++) if (!isPlainJson(v[i], depth + 1)) return false;
        return true;
      }
      if (!isPlainObject(v) || 'toJSON' in v) return false;
      for (const k in v) if (!isPlainJson(v[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** The JSON text of an already prepared value at `indent` (undefined when it has none: left out / null). */
function leafText(prepared: unknown, indent: string, replacer: JsonReplacer, plain: boolean, layout: Layout): string | undefined {
  if (plain && isPlainJson(prepared, 0)) {
    const fast = JSON.stringify(prepared, null, layout.space) as string | undefined;
    return fast === undefined || indent === '' ? fast : fast.replaceAll('\n', `\n${indent}`);
  }
  let root = true;
  const text = JSON.stringify(
    prepared,
    (k: string, x: unknown) => {
      if (root) {
        root = false;
        return prepared;
      } // the root is prepared already
      return replacer(k, x);
    },
    layout.space,
  ) as string | undefined;
  return text === undefined || indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

/** Pieces of about this many UTF-16 units from tablePieces. */
const TABLE_PIECE = 1 << 16;

/**
 * The text `JSON.stringify(table.toRecords(), null, 2)` has at `indent`, made from the columns: a
 * number as JSON writes it (`String(x)`, non-finite as null), a text value as JSON.stringify of
 * its dictionary entry (each entry quoted once), missing text as null.
 */
function* tablePieces(table: Table, indent: string, layout: Layout): Generator<string> {
  const n = table.rowCount;
  if (n === 0) {
    yield '[]';
    return;
  }
  const { nl, gap, colon } = layout;
  const inner = indent + gap,
    field = inner + gap;
  // the columns in a record's key order: integer-like names first, ascending (JavaScript's order of an object's keys)
  const at = new Map(table.columns.map((c, k) => [c.name, k]));
  const columns = Object.keys(Object.fromEntries(at)).map((name) => table.columns[at.get(name)!]);
  const keys = columns.map((c, k) => `${k === 0 ? '{' : ','}${nl}${field}${JSON.stringify(c.name)}${colon}`);
  const close = columns.length === 0 ? '{}' : `${nl}${inner}}`;
  const quoted = columns.map((c) => (c.kind === 'text' ? new Array<string | undefined>(c.dictionary.length) : undefined));
  let s = `[${nl}${inner}`;
  const between = `,${nl}${inner}`;
  for (let i = 0; i < n; i++) {
    if (i > 0) s += between;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k];
      let text: string;
      if (c.kind === 'number') {
        const x = c.values[i];
        text = x - x === 0 ? String(x) : 'null';
      } else {
        const code = c.codes[i];
        if (code < 0) text = 'null';
        else {
          const q = quoted[k]!;
          text = q[code] ??= JSON.stringify(c.dictionary[code]);
        }
      }
      s += keys[k] + text;
    }
    s += close;
    if (s.length >= TABLE_PIECE) {
      yield s;
      s = '';
    }
  }
  yield `${s}${nl}${indent}]`;
}

/** Whether a plain object has a Table among its members (walked one level more, so the table is written from its columns). */
function holdsTable(v: Record<string, unknown>): boolean {
  for (const k in v) if (v[k] instanceof Table) return true;
  return false;
}

/** Text of about this many UTF-16 units per slice of a long array (longArrayPieces). */
const SLICE_TEXT = 1 << 16;

/**
 * A long array (at least {@link LONG_ARRAY} elements, with `plainUnchanged`) at `indent`, in
 * slices, not walked into: a run of elements that are plain JSON (isPlainJson) is serialised by
 * one `JSON.stringify` call, the slice's `[`, `]` and indentation becoming the array's own (a
 * backtest's 1,225 dates of each series are one call, not 1,225); a slice with any other element
 * (a Table, a toJSON, a typed array, a hole, ...) has each element prepared and written on its
 * own, as a piece or more (a fit's 5,000 assets are 5,000 pieces, not one per member of each).
 * The slices hold about {@link SLICE_TEXT} units of text (the count adapts to the text of the last).
 * Elements are prepared with their index as key, as JSON.stringify does; in a plain slice the
 * replacer would return each unchanged (plainUnchanged), so it is not called.
 */
function* longArrayPieces(array: readonly unknown[], indent: string, replacer: JsonReplacer, layout: Layout): Generator<string> {
  const { nl, gap, space } = layout;
  const inner = indent + gap;
  const n = array.length;
  // what JSON.stringify(slice, null, space) re-indented at `indent` ends with after its last element
  const tail = nl.length + indent.length + 1;
  let count = LONG_ARRAY;
  for (let i = 0; i < n;) {
    const end = Math.min(n, i + count);
    const slice = array.slice(i, end);
    if (isPlainJson(slice, 0)) {
      let text = JSON.stringify(slice, null, space);
      if (indent !== '') text = text.replaceAll('\n', `\n${indent}`);
      // "[" + (newline, inner) + e0 + "," + (newline, inner) + e1 ... + (newline, indent) + "]"
      yield (i === 0 ? '[' : ',') + text.slice(1, text.length - tail);
      count = Math.max(1, Math.min(4 * count, Math.round((count * SLICE_TEXT) / Math.max(1, text.length))));
    } else {
      for (let j = i; j < end; j++) {
        yield j === 0 ? `[${nl}${inner}` : `,${nl}${inner}`;
        const e = prepare(String(j), array[j], replacer, true);
        if (!(yield* valuePieces(e, inner, 0, replacer, true, layout))) yield 'null';
      }
    }
    i = end;
  }
  yield `${nl}${indent}]`;
}

function* valuePieces(
  prepared: unknown,
  indent: string,
  depth: number,
  replacer: JsonReplacer,
  plain: boolean,
  layout: Layout,
): Generator<string, boolean> {
  const { nl, gap, colon } = layout;
  if (plain && prepared instanceof Table) {
    yield* tablePieces(prepared, indent, layout);
    return true;
  }
  if (plain && depth === 0 && isPlainObject(prepared) && holdsTable(prepared)) depth = 1;
  if (depth > 0 && Array.isArray(prepared)) {
    if (prepared.length === 0) {
      yield '[]';
      return true;
    }
    const inner = indent + gap;
    if (plain && prepared.length >= LONG_ARRAY) {
      yield* longArrayPieces(prepared, indent, replacer, layout);
      return true;
    }
    // the elements of a long array are pieces of their own, not walked into (longArrayPieces with plainUnchanged)
    const below = prepared.length >= LONG_ARRAY ? 0 : depth - 1;
    for (let i = 0; i < prepared.length; i++) {
      yield i === 0 ? `[${nl}${inner}` : `,${nl}${inner}`;
      const e = prepare(String(i), prepared[i], replacer, plain);
      if (!(yield* valuePieces(e, inner, below, replacer, plain, layout))) yield 'null';
    }
    yield `${nl}${indent}]`;
    return true;
  }
  if (depth > 0 && isPlainObject(prepared)) {
    const inner = indent + gap;
    let first = true;
    for (const key of Object.keys(prepared)) {
      const e = prepare(key, prepared[key], replacer, plain);
      const walk =
        e instanceof Table || (depth > 1 && (Array.isArray(e) || isPlainObject(e))) || (plain && isPlainObject(e) && holdsTable(e));
      const text = walk ? '' : leafText(e, inner, replacer, plain, layout);
      if (text === undefined) continue;
      yield `${first ? '{' : ','}${nl}${inner}${JSON.stringify(key)}${colon}`;
      first = false;
      if (walk) yield* valuePieces(e, inner, depth - 1, replacer, plain, layout);
      else yield text;
    }
    yield first ? '{}' : `${nl}${indent}}`;
    return true;
  }
  const text = leafText(prepared, indent, replacer, plain, layout);
  if (text === undefined) return false;
  yield text;
  return true;
}

/**
 * `JSON.stringify(value, replacer, space)` in pieces (see the module doc), `space` 2 (the default)
 * or 0 (compact); `undefined` (a value JSON has no text for) yields nothing. `plainUnchanged`: the
 * caller's promise that the replacer returns numbers, strings, booleans, null, plain objects and
 * arrays unchanged or as JSON itself writes them (non-finite numbers to null); subtrees made only
 * of those are then serialised without it (see isPlainJson), the same text.
 */
export function* jsonTextPieces(value: unknown, replacer: JsonReplacer, plainUnchanged = false, space: 0 | 2 = 2): Generator<string> {
  const layout = space === 0 ? COMPACT : PRETTY;
  yield* valuePieces(prepare('', value, replacer, plainUnchanged), '', WALK_DEPTH, replacer, plainUnchanged, layout);
}

/** The pieces joined into strings of at least `size` UTF-16 units (the last may be shorter). */
export function* joinPieces(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const p of pieces) {
    if (length === 0 && p.length >= size) {
      yield p; // a large piece as it is, not copied by a join
      continue;
    }
    parts.push(p);
    length += p.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
