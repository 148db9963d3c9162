/**
 * readPanel / readFrame on the real files of ../shared/data (shapes from its README.md), with spot
 * values and cell counts computed independently from the raw text (zlib + split, no DuckDB).
 * Fails (never skips) when the data folder is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFrame, readKenFrench, readPanel, type LoadedPanel } from '../../src/io/index.js';
import { DATA } from './data.js';

function dataFile(rel: string): string {
  const p = resolve(DATA, rel);
  if (!existsSync(p))
    throw new Error(
      `real-data file ${p} is missing: these tests need ../shared/data next to the repository (see its README.md); they never skip`,
    );
  return p;
}

function textOf(rel: string): string[] {
  const p = dataFile(rel);
  const buf = readFileSync(p);
  return (p.endsWith('.gz') ? gunzipSync(buf) : buf)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
}

function nonNaN(v: Float64Array): number {
  let k = 0;
  for (const x of v) if (x === x) k++;
  return k;
}

describe('all_stocks_5yr.csv.gz (long, asset column Name, value close)', () => {
  let r: LoadedPanel;
  let lines: string[];
  beforeAll(async () => {
    r = await readPanel(dataFile('us/all_stocks_5yr.csv.gz'), { kind: 'prices' });
    lines = textOf('us/all_stocks_5yr.csv.gz');
  });
  it('shape: 505 tickers, 2013-02-08..2018-02-07, 619,040 rows', () => {
    expect(r.layout).toBe('long');
    expect(r.assetCol).toBe('Name');
    expect(r.valueCol).toBe('close');
    expect(r.format).toBe('csv.gz');
    expect(r.rows).toBe(619_040);
    expect(r.panel.nAssets).toBe(505);
    expect(r.panel.isoDates()[0]).toBe('2013-02-08');
    expect(r.panel.isoDates().at(-1)).toBe('2018-02-07');
  });
  it('every non-empty close in the text is a cell, and spot values match the text', () => {
    const head = lines[0].split(',');
    const ci = head.indexOf('close'),
      ni = head.indexOf('Name'),
      di = head.indexOf('date');
    let filled = 0;
    for (let i = 1; i < lines.length; i++) if (lines[i].split(',')[ci] !== '') filled++;
    expect(nonNaN(r.panel.values)).toBe(filled);
    for (const i of [1, 1000, 250_000, 619_040]) {
      const f = lines[i].split(',');
      expect(r.panel.get(f[di], f[ni])).toBe(Number(f[ci]));
    }
  });
});

describe('us_sp500_adj_ohlcv_2005_2017.csv.gz (long, asset column ticker)', () => {
  let r: LoadedPanel;
  let lines: string[];
  beforeAll(async () => {
    r = await readPanel(dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz'), { kind: 'prices' });
    lines = textOf('us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
  });
  it('shape: 523 tickers, 2005-01-03..2017-11-10, 1,563,128 rows, all present cells filled', () => {
    expect(r.assetCol).toBe('ticker');
    expect(r.valueCol).toBe('close');
    expect(r.rows).toBe(1_563_128);
    expect(r.panel.nAssets).toBe(523);
    expect(r.panel.isoDates()[0]).toBe('2005-01-03');
    expect(r.panel.isoDates().at(-1)).toBe('2017-11-10');
    expect(nonNaN(r.panel.values)).toBe(lines.length - 1);
  });
  it('spot values from the text, including a known one-day bad tick (AVB 2010-09-16)', () => {
    const hit = (prefix: string): string[] => lines.find((l) => l.startsWith(prefix))!.split(',');
    for (const prefix of ['2005-01-03,A,', '2010-09-16,AVB,', '2017-11-10,ZTS,']) {
      const f = hit(prefix);
      expect(r.panel.get(f[0], f[1])).toBe(Number(f[5]));
    }
    const avb = r.panel.column('AVB');
    const t = r.panel.dateIndex(r.panel.dates[r.panel.isoDates().indexOf('2010-09-16')]);
    expect(avb[t] / avb[t - 1]).toBeLessThan(0.2);
  });
});

describe('us_all_stocks_adj_close_wide_2013_2017.csv.gz (wide, 5,774 tickers)', () => {
  let r: LoadedPanel;
  let lines: string[];
  beforeAll(async () => {
    r = await readPanel(dataFile('us/us_all_stocks_adj_close_wide_2013_2017.csv.gz'));
    lines = textOf('us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');
  });
  it('shape: 5,774 tickers in header order, 1,226 days 2013-01-02..2017-11-10', () => {
    expect(r.layout).toBe('wide');
    expect(r.panel.nAssets).toBe(5774);
    expect(r.panel.nDates).toBe(1226);
    expect(r.rows).toBe(1226);
    expect(r.panel.assets).toEqual(lines[0].split(',').slice(1));
    expect(r.panel.isoDates()[0]).toBe('2013-01-02');
    expect(r.panel.isoDates().at(-1)).toBe('2017-11-10');
  });
  it('every cell equals the text (blank = NaN); columns blank in the text are all NaN', () => {
    const m = r.panel.nAssets;
    let mismatches = 0;
    const colHasValue = new Uint8Array(m);
    for (let t = 0; t < 1226; t++) {
      const f = lines[t + 1].split(',');
      for (let j = 0; j < m; j++) {
        const want = f[j + 1] === '' ? NaN : Number(f[j + 1]);
        if (!Object.is(r.panel.values[t * m + j], want)) mismatches++;
        if (want === want) colHasValue[j] = 1;
      }
    }
    expect(mismatches).toBe(0);
    for (let j = 0; j < m; j++) if (colHasValue[j] === 0) expect(nonNaN(r.panel.column(j))).toBe(0);
    let filled = 0;
    for (let t = 1; t < lines.length; t++) for (const x of lines[t].split(',').slice(1)) if (x !== '') filled++;
    expect(nonNaN(r.panel.values)).toBe(filled);
  });
});

describe('cn SSE 50 samples', () => {
  it('prices: wide, 48 assets, 59 days 2021-01-04..2021-04-01, spot value', async () => {
    const r = await readPanel(dataFile('cn/sse50_2021q1_prices.csv'), { kind: 'prices' });
    expect(r.layout).toBe('wide');
    expect([r.panel.nDates, r.panel.nAssets]).toEqual([59, 48]);
    expect(r.panel.isoDates()[0]).toBe('2021-01-04');
    expect(r.panel.isoDates().at(-1)).toBe('2021-04-01');
    const lines = textOf('cn/sse50_2021q1_prices.csv');
    const head = lines[0].split(','),
      row = lines[1].split(',');
    expect(r.panel.get(row[0], '600519')).toBe(Number(row[head.indexOf('600519')]));
    expect(r.panel.get('2021-01-04', '600519')).toBe(1999.98);
  });
  it('factor: long date,asset,factor_value, 36 dates, 1,728 rows', async () => {
    const r = await readPanel(dataFile('cn/sse50_2021q1_factor.csv'));
    expect(r.layout).toBe('long');
    expect(r.assetCol).toBe('asset');
    expect(r.valueCol).toBe('factor_value');
    expect(r.rows).toBe(1728);
    expect(r.panel.nDates).toBe(36);
    expect(r.panel.isoDates()[0]).toBe('2021-01-04');
    expect(r.panel.isoDates().at(-1)).toBe('2021-03-01');
    expect(r.panel.get('2021-01-04', '600036')).toBe(9.532466);
    expect(nonNaN(r.panel.values)).toBe(1728);
  });
});

describe('readFrame: ff_daily_factors_merged.csv', () => {
  it('8 series on 25,901 days, in percent as published, equal to the Ken French daily file x 100', async () => {
    const f = await readFrame(dataFile('ff/ff_daily_factors_merged.csv'));
    expect(f.columns).toEqual(['mkt_rf', 'rf', 'smb_ff3', 'hml', 'smb_ff5', 'rmw', 'cma', 'mom']);
    expect(f.nDates).toBe(25_901);
    expect(f.isoDates()[0]).toBe('1926-07-01');
    expect(f.isoDates().at(-1)).toBe('2024-12-31');
    expect(nonNaN(f.get('rmw'))).toBe(15_481);
    expect(nonNaN(f.get('mom'))).toBe(25_800);
    const kf = await readKenFrench(dataFile('ff/F-F_Research_Data_Factors_daily.CSV'));
    expect(Array.from(f.dates)).toEqual(Array.from(kf.frame.dates));
    const a = f.get('mkt_rf'),
      b = kf.frame.get('mkt_rf');
    let worst = 0;
    for (let t = 0; t < a.length; t++) worst = Math.max(worst, Math.abs(a[t] / 100 - b[t]));
    expect(worst).toBeLessThan(1e-15);
    const sel = await readFrame(dataFile('ff/ff_daily_factors_merged.csv'), { columns: ['rf', 'mom'] });
    expect(sel.columns).toEqual(['rf', 'mom']);
    expect(sel.get('rf')[0]).toBe(0.009);
  });
});

describe('fast CSV reader == DuckDB reader, bit for bit, on the real files', () => {
  const same = (a: LoadedPanel, b: LoadedPanel): void => {
    expect([a.layout, a.rows, a.assetCol, a.valueCol]).toEqual([b.layout, b.rows, b.assetCol, b.valueCol]);
    expect(a.panel.assets).toEqual(b.panel.assets);
    expect(Array.from(a.panel.dates)).toEqual(Array.from(b.panel.dates));
    let bad = 0;
    for (let i = 0; i < a.panel.values.length; i++) if (!Object.is(a.panel.values[i], b.panel.values[i])) bad++;
    expect(bad).toBe(0);
    expect(a.panel.values.length).toBe(b.panel.values.length);
  };
  const cases: [string, 'prices' | 'values'][] = [
    ['us/us_all_stocks_adj_close_wide_2013_2017.csv.gz', 'prices'],
    ['us/us_sp500_adj_ohlcv_2005_2017.csv.gz', 'prices'],
    ['us/all_stocks_5yr.csv.gz', 'prices'],
    ['cn/sse50_2021q1_prices.csv', 'prices'],
    ['cn/sse50_2021q1_factor.csv', 'values'],
    ['cn/hs300_vol5_factor_2018.csv', 'values'],
  ];
  for (const [rel, kind] of cases) {
    it(`${rel} (${kind})`, async () => {
      const f = dataFile(rel);
      same(await readPanel(f, { kind, engine: 'fast' }), await readPanel(f, { kind, engine: 'duckdb' }));
    });
  }
  it('ff/ff_daily_factors_merged.csv through readFrame', async () => {
    const f = dataFile('ff/ff_daily_factors_merged.csv');
    const a = await readFrame(f, { engine: 'fast' }),
      b = await readFrame(f, { engine: 'duckdb' });
    expect(a.columns).toEqual(b.columns);
    expect(Array.from(a.dates)).toEqual(Array.from(b.dates));
    a.columns.forEach((c) => {
      const x = a.get(c),
        y = b.get(c);
      let bad = 0;
      for (let t = 0; t < x.length; t++) if (!Object.is(x[t], y[t])) bad++;
      expect(bad).toBe(0);
    });
  });
});
