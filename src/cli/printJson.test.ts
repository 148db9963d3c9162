import { describe, expect, it } from 'vitest';
import { Table } from '../core/table.js';
import { printJson } from './printJson.js';

describe('printJson: --json on stdout in chunks', () => {
  it('is JSON.stringify(value) and a newline, a Table as its records, a large value in several writes', () => {
    const writes: string[] = [];
    const streams = { stdout: (t: string) => void writes.push(t), stderr: () => undefined };
    const trades = new Table([
      { name: 'asset', kind: 'text', codes: Int32Array.from({ length: 20000 }, (_, i) => i % 3), dictionary: ['A', 'B"', 'C\n'] },
      { name: 'w', kind: 'number', values: Float64Array.from({ length: 20000 }, (_, i) => (i % 7 === 0 ? NaN : i / 7)) },
    ]);
    const value = { a: [1, NaN, -0, 'x'], nested: { trades }, empty: [] };
    printJson(streams, value);
    expect(writes.join('')).toBe(`${JSON.stringify(value)}\n`);
    expect(writes.length).toBeGreaterThan(3);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(3 << 16);
  });
});
