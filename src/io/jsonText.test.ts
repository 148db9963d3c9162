import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Table } from '../core/table.js';
import { joinPieces, jsonTextPieces, type JsonReplacer } from './jsonText.js';
import { writeJsonAtomic } from './write.js';

/** The replacer writeJsonAtomic uses (write.ts), and a plain one. */
const nanToNull: JsonReplacer = (_k, v) => {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Float64Array || v instanceof Int32Array) return Array.from(v);
  return v;
};
const identity: JsonReplacer = (_k, v) => v;

/** The pieces joined; undefined when there are none (JSON.stringify's undefined). */
const text = (v: unknown, r: JsonReplacer, plainUnchanged = false): string | undefined => {
  const p = [...jsonTextPieces(v, r, plainUnchanged)];
  return p.length === 0 ? undefined : p.join('');
};

/** Values with what JSON.stringify treats specially: toJSON, undefined / function members, typed arrays, Dates, NaN, holes. */
const special = fc.oneof(
  fc.constant(undefined),
  fc.constant(NaN),
  fc.constant(-Infinity),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.double().map((d) => new Float64Array([d, NaN, 1.5])),
  fc.integer().map((i) => Int32Array.of(i, 2)),
  fc.date({ noInvalidDate: true }),
  fc.constant({ toJSON: (k: string) => ({ key: k, nested: [1, 'a\nb'] }) }),
  fc.constant(Object.assign([1, NaN], { toJSON: (k: string) => `an array at ${k}` })),
  fc.constant(Object.assign(Object.create(null) as object, { a: 1 })),
  fc.constant(Object.assign(new Array<number>(3), { 0: 1, 2: 3 })),
  fc.bigInt({ min: -9n, max: 9n }),
  fc.constant(new Map([[1, 2]])),
  fc.constant({}),
  fc.constant([]),
  fc.string(),
);
/** Tables of 0-3 columns (numbers with NaN, ±Infinity and -0; text with missing values and characters JSON escapes), 0-70 rows. */
const table = fc
  .tuple(
    fc.integer({ min: 0, max: 70 }),
    fc.array(fc.tuple(fc.string(), fc.boolean()), { maxLength: 3 }),
    fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }),
    fc.array(fc.oneof(fc.double(), fc.constant(-0), fc.constant(NaN), fc.integer()), { minLength: 1, maxLength: 5 }),
  )
  .map(([rows, specs, dictionary, numbers]) => {
    const names = [...new Set(specs.map(([name]) => name))];
    return new Table(
      names.map((name, k) =>
        specs[k][1]
          ? {
              name,
              kind: 'text' as const,
              dictionary,
              codes: Int32Array.from({ length: rows }, (_, i) => ((i * 7 + k) % (dictionary.length + 1)) - 1),
            }
          : { name, kind: 'number' as const, values: Float64Array.from({ length: rows }, (_, i) => numbers[(i + k) % numbers.length]) },
      ),
    );
  });
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), special, table, tie('obj'), tie('arr')),
  obj: fc.dictionary(fc.string(), tie('tree'), { maxKeys: 5 }),
  arr: fc.array(tie('tree'), { maxLength: 5 }),
}));

describe('jsonTextPieces', () => {
  it('is JSON.stringify(value, replacer, 2) byte for byte on random nested values (both replacers)', () => {
    fc.assert(
      fc.property(tree, (v) => {
        expect(text(v, nanToNull)).toBe(JSON.stringify(v, nanToNull, 2));
        // plain subtrees without the replacer (write.ts's promise holds for nanToNull): the same text
        expect(text(v, nanToNull, true)).toBe(JSON.stringify(v, nanToNull, 2));
        // compact (space 0)
        expect([...jsonTextPieces(v, nanToNull, true, 0)].join('') || undefined).toBe(JSON.stringify(v, nanToNull));
        expect([...jsonTextPieces(v, nanToNull, false, 0)].join('') || undefined).toBe(JSON.stringify(v, nanToNull));
        // bigint throws in JSON.stringify without a replacer that converts it: the same error here
        let want: string | Error;
        try {
          want = JSON.stringify(v, identity, 2);
        } catch (e) {
          want = e as Error;
        }
        if (want instanceof Error) expect(() => text(v, identity)).toThrow(TypeError);
        else expect(text(v, identity)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('hand cases: empty containers, left-out members, nulls in arrays, toJSON with its key, deep nesting re-indented', () => {
    const v = {
      a: [],
      b: {},
      c: undefined,
      d: [undefined, () => 0, NaN],
      e: { toJSON: (k: string) => `key ${k}` },
      f: { g: { h: { i: [1, { j: 'x' }] } } },
    };
    expect(text(v, nanToNull)).toBe(JSON.stringify(v, nanToNull, 2));
    expect(text(v, nanToNull)).toContain('"e": "key e"');
    expect(text({ x: 1 }, nanToNull)).toBe('{\n  "x": 1\n}');
    expect([...jsonTextPieces(undefined, nanToNull)]).toEqual([]);
    expect(text(new Float64Array([1, NaN]), nanToNull)).toBe('[\n  1,\n  null\n]');
    // plain subtrees go without the replacer; typed arrays, bigints, toJSON, holes and deep trees below them still meet it
    let deep: unknown = [1, NaN];
    for (let i = 0; i < 80; i++) deep = { d: deep };
    const mixed = {
      fit: { a: { coef: { x: 1.5, y: NaN, z: -Infinity }, nobs: 3, ok: true, name: 'A\n"1"' } },
      typed: { t: { v: new Float64Array([2, NaN]), w: Int32Array.of(4) } },
      big: { b: { n: 3n } },
      json: { j: { k: { toJSON: () => [NaN, 1] } } },
      holes: { h: { arr: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) } },
      nullProto: { p: { q: Object.assign(Object.create(null) as object, { a: 1, toJSON: undefined }) } },
      deep,
    };
    expect(text(mixed, nanToNull, true)).toBe(JSON.stringify(mixed, nanToNull, 2));
    // a long array (its elements one piece each) of every special kind, at the top and nested
    const kinds = [undefined, NaN, () => 0, new Float64Array([1, NaN]), { toJSON: (k: string) => k }, 2n, { a: [1, { b: NaN }] }, 'x\ny'];
    const long = Array.from({ length: 130 }, (_, i) => kinds[i % kinds.length]);
    for (const v of [long, { rows: long }, { a: { b: long } }]) {
      expect(text(v, nanToNull)).toBe(JSON.stringify(v, nanToNull, 2));
      expect(text(v, nanToNull, true)).toBe(JSON.stringify(v, nanToNull, 2));
    }
  });

  it('a Table anywhere is written as its records (from its columns with plainUnchanged), in pieces of ~64 K', () => {
    const t = new Table([
      { name: 'asset', kind: 'text', codes: Int32Array.from([0, 1, -1]), dictionary: ['A "1"', 'b\nc'] },
      { name: 'w', kind: 'number', values: Float64Array.from([-0, NaN, 1e21]) },
    ]);
    const empty = new Table([{ name: 'x', kind: 'number', values: new Float64Array(0) }]);
    const none = new Table([]);
    const proto = new Table([
      { name: '__proto__', kind: 'number', values: Float64Array.of(1, 2) },
      { name: '7', kind: 'text', codes: Int32Array.of(0, -1), dictionary: ['x'] },
    ]);
    const long = Array.from({ length: 100 }, (_, i) => ({ date: `d${i}`, n: i, weights: i % 2 ? t : empty }));
    for (const v of [t, { t }, { a: { b: { c: { d: t } } } }, [t, empty, none, proto], { rebalances: long, trades: t }])
      for (const plain of [false, true]) {
        expect(text(v, nanToNull, plain)).toBe(JSON.stringify(v, nanToNull, 2));
        expect([...jsonTextPieces(v, nanToNull, plain, 0)].join('')).toBe(JSON.stringify(v, nanToNull));
      }
    expect(text({ t }, nanToNull, true)).toBe(
      '{\n  "t": [\n    {\n      "asset": "A \\"1\\"",\n      "w": 0\n    },\n    {\n      "asset": "b\\nc",\n      "w": null\n    },\n    {\n      "asset": null,\n      "w": 1e+21\n    }\n  ]\n}',
    );
    const big = new Table([{ name: 'v', kind: 'number', values: Float64Array.from({ length: 20000 }, (_, i) => i / 3) }]);
    const pieces = [...jsonTextPieces({ big }, nanToNull, true)];
    expect(pieces.join('')).toBe(JSON.stringify({ big }, nanToNull, 2));
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan((1 << 16) + 100);
  });

  it('a large array comes in many pieces, and joinPieces makes chunks of the asked size', () => {
    const v = { assets: Array.from({ length: 3000 }, (_, i) => ({ asset: `A${i}`, coef: { const: i / 7, x: -i } })) };
    const pieces = [...jsonTextPieces(v, nanToNull)];
    expect(pieces.length).toBeGreaterThan(3000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
    const chunks = [...joinPieces(pieces, 4096)];
    expect(chunks.join('')).toBe(JSON.stringify(v, nanToNull, 2));
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(4096);
  });
});

/** Long arrays (longArrayPieces): mostly plain JSON, at times anything else, in runs (a slice is all plain or not). */
const plainLeaf = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, 5e-324),
  fc.integer(),
  fc.string(),
  fc.constantFrom('\u{1F600}', 'é', '\ud800', 'a\nb', '"', ''),
  fc.boolean(),
  fc.constant(null),
);
const plainValue = fc.oneof(
  { weight: 4, arbitrary: plainLeaf },
  fc.array(plainLeaf, { maxLength: 4 }),
  fc.array(fc.tuple(fc.constantFrom('a', 'b', '__proto__', '1', 'x y'), plainLeaf), { maxLength: 3 }).map((e) => Object.fromEntries(e)),
);
const element = fc.oneof({ weight: 12, arbitrary: plainValue }, { weight: 1, arbitrary: special }, { weight: 1, arbitrary: table });
const longArray = fc
  .tuple(fc.array(fc.tuple(element, fc.integer({ min: 1, max: 200 })), { minLength: 1, maxLength: 6 }), fc.integer({ min: 64, max: 700 }))
  .map(([runs, min]) => {
    // runs of one element repeated, at least `min` elements in all
    const out: unknown[] = [];
    for (let r = 0; out.length < min; r++) {
      const [e, k] = runs[r % runs.length];
      for (let i = 0; i < k; i++) out.push(e);
    }
    return out;
  });
/** A long array at every depth the walk treats differently (the root, members 1-4 levels down, an element of a short array). */
const holder = fc
  .tuple(longArray, fc.integer({ min: 0, max: 5 }), fc.constantFrom('k', '__proto__', '0'))
  .map(([a, depth, key]): unknown => {
    if (depth === 5) return [1, a, { b: a }];
    let v: unknown = a;
    for (let d = 0; d < depth; d++)
      v = Object.fromEntries([
        [key, v],
        ['n', d],
      ]);
    return v;
  });

describe('jsonTextPieces: long arrays', () => {
  it('are JSON.stringify byte for byte (both spaces) with plain runs, typed arrays, NaN, -0, Tables, toJSON, holes and __proto__ keys among them', () => {
    fc.assert(
      fc.property(holder, (v) => {
        for (const plain of [true, false]) {
          expect(text(v, nanToNull, plain)).toBe(JSON.stringify(v, nanToNull, 2));
          expect([...jsonTextPieces(v, nanToNull, plain, 0)].join('')).toBe(JSON.stringify(v, nanToNull));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an array of numbers is a few pieces of ~64 K, not one a number; elements that are not plain are still one piece each', () => {
    const numbers = Array.from({ length: 50000 }, (_, i) => (i % 7 === 0 ? NaN : i / 3));
    for (const v of [numbers, { a: { series: numbers } }]) {
      const pieces = [...jsonTextPieces(v, nanToNull, true)];
      expect(pieces.join('')).toBe(JSON.stringify(v, nanToNull, 2));
      expect(pieces.length).toBeGreaterThan(5);
      expect(pieces.length).toBeLessThan(100);
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(5 << 16);
    }
    const t = new Table([{ name: 'w', kind: 'number', values: Float64Array.of(1, NaN) }]);
    const mixed = Array.from({ length: 300 }, (_, i) => (i % 100 === 50 ? { t } : { i, x: [i, -0] }));
    expect([...jsonTextPieces(mixed, nanToNull, true)].join('')).toBe(JSON.stringify(mixed, nanToNull, 2));
    expect([...jsonTextPieces(mixed, nanToNull, true, 0)].join('')).toBe(JSON.stringify(mixed, nanToNull));
  });

  it('the keys an element is prepared with are its index in the whole array', () => {
    const keys: string[] = [];
    const seen: JsonReplacer = (k, v) => {
      if (v instanceof Map) keys.push(k);
      return nanToNull(k, v);
    };
    const v = Array.from({ length: 200 }, (_, i) => (i % 70 === 0 ? new Map() : i % 90 === 0 ? { toJSON: (k: string) => `at ${k}` } : i));
    const got = text(v, seen, true);
    expect(got).toBe(JSON.stringify(v, nanToNull, 2));
    expect(got).toContain('"at 180"');
    expect(keys).toEqual(['0', '70', '140']);
  });
});

describe('writeJsonAtomic', () => {
  it('writes the bytes of JSON.stringify(value, replacer, 2) and a newline: chunks packed across pieces, large pieces, non-ASCII and surrogate pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'factorlab-jsontext-'));
    try {
      const f = join(dir, 'v.json');
      const long = 'x\u{1F600}é\u2028'.repeat(30000);
      const cases: unknown[] = [
        { a: 1 },
        [],
        'é',
        undefined,
        { big: long, rows: Array.from({ length: 3000 }, (_, i) => ({ i, s: i % 3 ? '\u{1F600}' : long.slice(0, i % 700) })) },
        Array.from({ length: 30000 }, (_, i) => (i % 11 === 0 ? '\u{1F600}é' : i / 7)),
        {
          t: new Table([
            { name: 'n', kind: 'text', codes: Int32Array.from({ length: 20000 }, (_, i) => i % 2), dictionary: ['é\u{1F600}', 'b'] },
          ]),
        },
      ];
      for (const v of cases) {
        await writeJsonAtomic(f, v);
        const want = Buffer.from(`${JSON.stringify(v, nanToNull, 2)}\n`);
        expect(readFileSync(f).equals(want)).toBe(true); // (toEqual on megabytes is slow)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
