import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteIndex } from './byteIndex.js';

describe('ByteIndex', () => {
  it('property: the same indices as a Map keyed by the byte strings, first appearance first', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 12 }), { maxLength: 3000 }), fc.nat({ max: 7 }), (names, pad) => {
        const idx = new ByteIndex(),
          ref = new Map<string, number>();
        for (const n of names) {
          // The name sits inside a larger buffer, as a field of a CSV line does.
          const line = new Uint8Array(pad + n.length + 3).fill(44);
          line.set(n, pad);
          const key = Buffer.from(n).toString('hex');
          let k = idx.find(line, pad, pad + n.length);
          if (k < 0) k = idx.add(line, pad, pad + n.length);
          if (!ref.has(key)) ref.set(key, ref.size);
          expect(k).toBe(ref.get(key));
          expect(idx.equals(k, line, pad, pad + n.length)).toBe(true);
          expect(Buffer.from(idx.bytes(k)).equals(Buffer.from(n))).toBe(true);
        }
        expect(idx.size).toBe(ref.size);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps names apart that differ in one byte or in length, through growth of the table and arena', () => {
    const idx = new ByteIndex();
    const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
    for (let i = 0; i < 20_000; i++) {
      const b = enc(`A${i}`);
      expect(idx.add(b, 0, b.length)).toBe(i);
    }
    for (let i = 0; i < 20_000; i++) {
      const b = enc(`A${i}`);
      expect(idx.find(b, 0, b.length)).toBe(i);
    }
    const x = enc('A1x');
    expect(idx.find(x, 0, 2)).toBe(1);
    expect(idx.find(x, 0, 3)).toBe(-1);
    expect(idx.find(enc(''), 0, 0)).toBe(-1);
  });
});
