/**
 * The text of `JSON.stringify(value, replacer, 2)`, byte for byte, as a sequence of pieces, so a
 * large result (the JSON of a fit of 5,000 assets is 12 MB) is written without ever being one
 * string plus its encoded copy.
 *
 * How: the top levels of plain objects and arrays (up to {@link WALK_DEPTH} deep, and not into the
 * elements of an array of {@link LONG_ARRAY} or more, each of which is one piece) are walked here
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
 */

export type JsonReplacer = (key: string, value: unknown) => unknown;

/** Levels of plain objects and arrays walked before handing a value to JSON.stringify. */
export const WALK_DEPTH = 3;

const GAP = '  ';

/** Arrays of at least this many elements have each element serialised whole (see valuePieces). */
export const LONG_ARRAY = 64;

/** toJSON(key) when the value has one, then the replacer: what JSON.stringify serialises for a member. */
function prepare(key: string, v: unknown, replacer: JsonReplacer): unknown {
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
function leafText(prepared: unknown, indent: string, replacer: JsonReplacer, plain: boolean): string | undefined {
  if (plain && isPlainJson(prepared, 0)) {
    const fast = JSON.stringify(prepared, null, 2) as string | undefined;
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
    2,
  ) as string | undefined;
  return text === undefined || indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function* valuePieces(
  prepared: unknown,
  indent: string,
  depth: number,
  replacer: JsonReplacer,
  plain: boolean,
): Generator<string, boolean> {
  if (depth > 0 && Array.isArray(prepared)) {
    if (prepared.length === 0) {
      yield '[]';
      return true;
    }
    const inner = indent + GAP;
    // the elements of a long array are pieces of their own, not walked into: a fit's 5,000 assets
    // are 5,000 pieces, not one per member of each (a call and a re-indent each)
    const below = prepared.length >= LONG_ARRAY ? 0 : depth - 1;
    for (let i = 0; i < prepared.length; i++) {
      yield i === 0 ? `[\n${inner}` : `,\n${inner}`;
      const e = prepare(String(i), prepared[i], replacer);
      if (!(yield* valuePieces(e, inner, below, replacer, plain))) yield 'null';
    }
    yield `\n${indent}]`;
    return true;
  }
  if (depth > 0 && isPlainObject(prepared)) {
    const inner = indent + GAP;
    let first = true;
    for (const key of Object.keys(prepared)) {
      const e = prepare(key, prepared[key], replacer);
      const walk = depth > 1 && (Array.isArray(e) || isPlainObject(e));
      const text = walk ? '' : leafText(e, inner, replacer, plain);
      if (text === undefined) continue;
      yield `${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
      first = false;
      if (walk) yield* valuePieces(e, inner, depth - 1, replacer, plain);
      else yield text;
    }
    yield first ? '{}' : `\n${indent}}`;
    return true;
  }
  const text = leafText(prepared, indent, replacer, plain);
  if (text === undefined) return false;
  yield text;
  return true;
}

/**
 * `JSON.stringify(value, replacer, 2)` in pieces (see the module doc); `undefined` (a value JSON
 * has no text for) yields nothing. `plainUnchanged`: the caller's promise that the replacer returns
 * numbers, strings, booleans, null, plain objects and arrays unchanged or as JSON itself writes
 * them (non-finite numbers to null); subtrees made only of those are then serialised without it
 * (see isPlainJson), the same text.
 */
export function* jsonTextPieces(value: unknown, replacer: JsonReplacer, plainUnchanged = false): Generator<string> {
  yield* valuePieces(prepare('', value, replacer), '', WALK_DEPTH, replacer, plainUnchanged);
}

/** The pieces joined into strings of at least `size` UTF-16 units (the last may be shorter). */
export function* joinPieces(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const p of pieces) {
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
