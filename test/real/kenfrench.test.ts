/**
 * readKenFrench on the original Ken French files in ../shared/data/ff (row counts and ranges from
 * its README.md), decimals checked against the raw text, and a zip of one parsing identically.
 * Fails (never skips) when the data folder is missing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isKenFrenchFile, readKenFrench } from '../../src/io/index.js';
import { makeZip } from '../unit/io/zipWriter.js';
import { DATA as SHARED_DATA } from './data.js';

const DATA = join(SHARED_DATA, 'ff');

function ff(name: string): string {
  const p = join(DATA, name);
  if (!existsSync(p))
    throw new Error(
      `real-data file ${p} is missing: these tests need ../shared/data next to the repository (see its README.md); they never skip`,
    );
  return p;
}

/** The raw percent field `col` (1-based after the date) of the line starting with `code,`. */
function rawField(name: string, code: string, col: number): number {
  const line = readFileSync(ff(name), 'utf8')
    .split(/\r?\n/)
    .find((l) => l.trim().startsWith(`${code},`));
  if (line === undefined) throw new Error(`no line ${code} in ${name}`);
  return Number(line.split(',')[col].trim());
}

const CASES = [
  {
    file: 'F-F_Research_Data_Factors_daily.CSV',
    freq: 'daily',
    n: 25_901,
    first: '1926-07-01',
    last: '2024-12-31',
    cols: ['mkt_rf', 'smb', 'hml', 'rf'],
    spot: '20081015',
  },
  {
    file: 'F-F_Research_Data_5_Factors_2x3_daily.CSV',
    freq: 'daily',
    n: 15_481,
    first: '1963-07-01',
    last: '2024-12-31',
    cols: ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'rf'],
    spot: '20200316',
  },
  {
    file: 'F-F_Momentum_Factor_daily.CSV',
    freq: 'daily',
    n: 25_800,
    first: '1926-11-03',
    last: '2024-12-31',
    cols: ['mom'],
    spot: '20090408',
  },
  {
    file: 'F-F_Research_Data_Factors.CSV',
    freq: 'monthly',
    n: 1178,
    first: '1926-07-31',
    last: '2024-08-31',
    cols: ['mkt_rf', 'smb', 'hml', 'rf'],
    spot: '200810',
  },
  {
    file: 'F-F_Research_Data_5_Factors_2x3.csv',
    freq: 'monthly',
    n: 734,
    first: '1963-07-31',
    last: '2024-08-31',
    cols: ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'rf'],
    spot: '202003',
  },
] as const;

describe('Ken French files as published', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.n} ${c.freq} rows ${c.first}..${c.last}, decimals`, async () => {
      const p = ff(c.file);
      expect(await isKenFrenchFile(p)).toBe(true);
      const r = await readKenFrench(p);
      expect(r.frequency).toBe(c.freq);
      expect(r.frame.columns).toEqual(c.cols);
      expect(r.frame.nDates).toBe(c.n);
      expect(r.frame.isoDates()[0]).toBe(c.first);
      expect(r.frame.isoDates().at(-1)).toBe(c.last);
      const days = r.frame.isoDates();
      const iso = c.spot.length === 8 ? `${c.spot.slice(0, 4)}-${c.spot.slice(4, 6)}-${c.spot.slice(6)}` : undefined;
      const t = iso !== undefined ? days.indexOf(iso) : days.findIndex((d) => d.startsWith(`${c.spot.slice(0, 4)}-${c.spot.slice(4)}`));
      expect(t).toBeGreaterThan(0);
      c.cols.forEach((col, k) => {
        const pct = rawField(c.file, c.spot, k + 1);
        expect(r.frame.get(col)[t]).toBeCloseTo(pct / 100, 14);
      });
      // Decimal units: daily market excess returns are within +-25%, never +-2500%.
      const mkt = r.frame.get(c.cols[0]);
      expect(
        Math.max(
          ...Array.from(mkt)
            .filter((v) => v === v)
            .map(Math.abs),
        ),
      ).toBeLessThan(c.freq === 'daily' ? 0.25 : 0.5);
      if (c.freq === 'monthly') {
        expect(r.annual).toBeDefined();
        expect(r.annual!.isoDates().at(-1)).toBe('2023-12-31');
        expect(r.annual!.columns).toEqual(c.cols);
      } else {
        expect(r.annual).toBeUndefined();
      }
    });
  }

  it('the monthly FF3 annual block starts in 1927 and reads as decimals', async () => {
    const r = await readKenFrench(ff('F-F_Research_Data_Factors.CSV'));
    expect(r.annual!.isoDates()[0]).toBe('1927-12-31');
    expect(r.annual!.get('mkt_rf')[0]).toBe(0.2947);
  });

  it('known values: FF3 daily 1926-07-01 Mkt-RF 0.10% -> 0.001, RF 0.009% -> 0.00009', async () => {
    const r = await readKenFrench(ff('F-F_Research_Data_Factors_daily.CSV'));
    expect(r.frame.get('mkt_rf')[0]).toBe(0.001);
    expect(r.frame.get('rf')[0]).toBe(0.00009);
    expect(r.title).toContain('CMPT_ME_BEME_RETS_DAILY');
  });

  const dir = mkdtempSync(join(tmpdir(), 'factorlab-kf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a zip of the 5-factor daily file parses identically', async () => {
    const name = 'F-F_Research_Data_5_Factors_2x3_daily.CSV';
    const zip = join(dir, 'F-F_Research_Data_5_Factors_2x3_daily_CSV.zip');
    writeFileSync(zip, makeZip([{ name, data: readFileSync(ff(name)) }]));
    expect(await isKenFrenchFile(zip)).toBe(true);
    const a = await readKenFrench(ff(name)),
      b = await readKenFrench(zip);
    expect(b.frequency).toBe(a.frequency);
    expect(b.title).toBe(a.title);
    expect(b.frame.toJSON()).toEqual(a.frame.toJSON());
  });

  it('the merged tidy file is not mistaken for a Ken French original', async () => {
    expect(await isKenFrenchFile(ff('ff_daily_factors_merged.csv'))).toBe(false);
  });
});
