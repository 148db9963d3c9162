/**
 * Binary files given where a CSV belongs (issue 9): exit 2 with a message that says the file is
 * not a text table and, when the signature is known, what it looks like; no raw bytes printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { binaryKind } from '../../src/io/header.js';
import { cli, tempDir } from './helpers.js';

const t = tempDir('binary');
afterAll(() => t.remove());

function bytes(name: string, b: Buffer): string {
  const p = join(t.dir, name);
  writeFileSync(p, b);
  return p;
}

const noControl = (s: string): boolean =>
  ![...s.replaceAll('\n', '')].some((c) => {
    const k = c.codePointAt(0) ?? 0;
    return k < 0x20 || (k >= 0x7f && k <= 0x9f) || k === 0xfffd;
  });

describe('binary files are refused as such', () => {
  const cases: [string, Buffer, string][] = [
    ['image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), 'a PNG image'],
    ['table.csv', Buffer.concat([Buffer.from('PAR1'), Buffer.from([0x15, 0x04, 0x15, 0x80, 0x01, 0, 0x0a, 1, 2])]), 'a Parquet file'],
    [
      'book.csv',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0]), Buffer.from('[Content_Types].xml\n')]),
      'a zip or Excel (.xlsx) file',
    ],
    ['packed.csv', gzipSync('date,A\n2024-01-02,1\n'), 'a gzip file without a .gz name'],
    // Excel's "Unicode Text": UTF-16 little-endian with a BOM, and big-endian without one
    ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('date,A\n2024-01-02,1\n', 'utf16le')]), 'UTF-16 text'],
    ['utf16be.csv', Buffer.from('date\tA\n2024-01-02\t1\n', 'utf16le').swap16(), 'UTF-16 text'],
  ];
  for (const [name, b, what] of cases) {
    it(`${name}: ${what}`, async () => {
      const f = bytes(name, b);
      for (const args of [
        ['inspect', f],
        ['analyze', '--factor', f, '--prices', f],
      ]) {
        const r = await cli(...args);
        expect(r.code).toBe(2);
        expect(r.err).toContain(f);
        expect(r.err).toContain('not a text table');
        expect(r.err).toContain(what);
        expect(noControl(r.err)).toBe(true);
      }
    });
  }

  it('a .zip or .xlsx name: the hint says what to do with it, not "zip files in .zip"', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0]), Buffer.from('prices.csv\n')]);
    for (const [name, hint] of [
      [
        'prices.zip',
        'hint: factorlab reads a .zip only as a Ken French download (--factors, in its own layout); unzip it and give the CSV inside',
      ],
      ['prices.XLSX', 'hint: factorlab reads no Excel workbooks: save the sheet as CSV'],
    ]) {
      const f = bytes(name, zip);
      for (const args of [
        ['inspect', f],
        ['backtest', '--prices', f, '--factor', 'momentum'],
      ]) {
        const r = await cli(...args);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`${f}:1: this is not a text table`);
        expect(r.err).toContain(hint);
        expect(r.err).not.toContain('zip files in .zip');
      }
    }
  });

  it('UTF-16 says how to convert it', async () => {
    const r = await cli('inspect', join(t.dir, 'utf16.csv'));
    expect(r.err).toMatch(/not a text table: it is UTF-16 text .*, not UTF-8\n {2}hint: save it as UTF-8 CSV .* iconv -f UTF-16 -t UTF-8/);
  });

  it('text headers with a few odd characters are not binary', () => {
    expect(binaryKind('date,AAPL,MSFT')).toBeUndefined();
    expect(binaryKind('date\tA\tB\r')).toBeUndefined();
    expect(binaryKind('date,Société Générale,Ü')).toBeUndefined();
    expect(binaryKind(`date,${'A'.repeat(300)}\u0007`)).toBeUndefined();
    expect(binaryKind('date,\u0000')).toBe('');
  });

  it('nothing is left behind', () => {
    expect(t.files()).toEqual([
      'book.csv',
      'image.csv',
      'packed.csv',
      'prices.XLSX',
      'prices.zip',
      'table.csv',
      'utf16.csv',
      'utf16be.csv',
    ]);
  });
});
