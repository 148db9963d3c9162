import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { parseCsvText, readText } from './text.js';
import { tempDir } from '../../../test/tempDir.js';

const parse = (t: string, d = ','): [string[], number][] => parseCsvText(t, d, 'f.csv').map((r) => [r.fields, r.line]);

describe('parseCsvText (RFC 4180 records)', () => {
  it('quoted fields hold the delimiter, "" and newlines; lines are physical lines where the record starts', () => {
    expect(parse('a,b\n"x, y","say ""hi"""\n"two\nlines",z\nlast,1\n')).toEqual([
      [['a', 'b'], 1],
      [['x, y', 'say "hi"'], 2],
      [['two\nlines', 'z'], 3],
      [['last', '1'], 5],
    ]);
  });

  it('CRLF, a byte-order mark, blank lines, no final newline, empty fields, other delimiters', () => {
    expect(parse('\ufeffa;b\r\n\r\n1;\r\n"q;r";2', ';')).toEqual([
      [['a', 'b'], 1],
      [['1', ''], 3],
      [['q;r', '2'], 4],
    ]);
    expect(parse('a;b\r\n1;2\r\n', ';')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 2],
    ]);
    expect(parse('a\tb\n1\t2\n', '\t')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 2],
    ]);
    expect(parse('')).toEqual([]);
  });

  it('a ragged line and a quote never closed are located InputErrors', () => {
    expect(() => parse('a,b\n1,2\n3\n')).toThrow(InputError);
    expect(() => parse('a,b\n1,2\n3\n')).toThrow(/f\.csv:3.*1 field, the first line has 2/s);
    expect(() => parse('a,b\n1,2,3\n')).toThrow(/3 fields/);
    expect(() => parse('a,b\n"1,2\n3,4\n')).toThrow(/f\.csv:2.*never closed/s);
  });

  it('property: any table of fields, quoted where needed, reads back as written', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '\n', 'é', '银') });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (m, rows) => {
          const table = rows.map((r) => r.slice(0, m)).filter((r) => !(m === 1 && r[0].trim() === '' && !/[,"\n]/.test(r[0])));
          const quote = (f: string): string => (/[,"\n]/.test(f) || f.trim() === '' ? `"${f.replace(/"/g, '""')}"` : f);
          const text = table.map((r) => r.map(quote).join(',')).join('\n') + '\n';
          expect(parseCsvText(text, ',', 'p.csv').map((r) => r.fields)).toEqual(table);
        },
      ),
    );
  });

  it('readText inflates gzip and rejects a truncated stream', async () => {
    const dir = tempDir('factorlab-text-');
    const gz = gzipSync(Buffer.from('a,b\n1,2\n'.repeat(1000)));
    writeFileSync(join(dir, 'g.csv.gz'), gz);
    writeFileSync(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 6));
    expect(await readText(join(dir, 'g.csv.gz'), true)).toBe('a,b\n1,2\n'.repeat(1000));
    await expect(readText(join(dir, 'cut.csv.gz'), true)).rejects.toThrow(/truncated or corrupt/);
  });
});
