import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { Table } from './table.js';

const t = new Table([
  { name: 'asset', kind: 'text', codes: Int32Array.from([1, 0, -1]), dictionary: ['A', 'B'] },
  { name: 'w', kind: 'number', values: Float64Array.from([0.5, NaN, -1]) },
]);

describe('Table: columns of one length, as records', () => {
  it('gives its rows as records in column order: missing text null, missing numbers NaN', () => {
    expect(t.rowCount).toBe(3);
    expect(t.names).toEqual(['asset', 'w']);
    expect(t.toRecords()).toEqual([
      { asset: 'B', w: 0.5 },
      { asset: 'A', w: NaN },
      { asset: null, w: -1 },
    ]);
    expect(JSON.stringify(t)).toBe('[{"asset":"B","w":0.5},{"asset":"A","w":null},{"asset":null,"w":-1}]');
    expect(new Table([]).rowCount).toBe(0);
    // a column named __proto__ is a member of each record, as JSON writes it
    const proto = new Table([{ name: '__proto__', kind: 'number', values: Float64Array.of(7) }]);
    expect(JSON.stringify(proto)).toBe('[{"__proto__":7}]');
    expect(Object.keys(proto.toRecords()[0])).toEqual(['__proto__']);
  });

  it('refuses columns of different lengths, repeated names, codes outside the dictionary, other kinds', () => {
    const num = (name: string, n: number) => ({ name, kind: 'number' as const, values: new Float64Array(n) });
    expect(() => new Table([num('a', 2), num('b', 3)])).toThrow(/column b has 3 rows, the columns before it 2/);
    expect(() => new Table([num('a', 2), num('a', 2)])).toThrow(/column "a" appears twice/);
    expect(() => new Table([{ name: 'x', kind: 'text', codes: Int32Array.from([2]), dictionary: ['p', 'q'] }])).toThrow(
      /row 0: code 2 is outside its dictionary of 2/,
    );
    expect(() => new Table([{ name: 'x', kind: 'date', values: new Float64Array(1) } as never])).toThrow(InputError);
    expect(() => new Table([{ name: 'x', kind: 'number', values: [1, 2] } as never])).toThrow(/must hold a Float64Array/);
  });
});
