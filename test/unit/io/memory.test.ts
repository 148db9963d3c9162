/**
 * The memory-related parts of the io layer: the reference-counted shared DuckDB instance, its
 * settings, and readers that copy DuckDB chunks one at a time (wide files over several chunks and
 * with the wide-scan buffer, long files over several chunks) giving exactly what a plain JS
 * parse gives.
 */
import { tmpdir, totalmem } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../../../src/core/dates.js';
import { duckdbSettings, duckdbStats, holdDuckdb, MEMORY_SHARE, withConnection } from '../../../src/io/duckdb.js';
import { readFrame } from '../../../src/io/readFrame.js';
import { readPanel } from '../../../src/io/readPanel.js';
import { scanSql, WIDE_SCAN_BUFFER, WIDE_SCAN_COLUMNS, type TableSource } from '../../../src/io/source.js';
import { inputError, tempDir } from './helpers.js';

const file = tempDir();
const DAY0 = 17_000; // 2016-07-19

/** Deterministic value of cell (row t, column j); NaN for blanks. */
function cell(t: number, j: number): number {
  const h = Math.imul(t + 1, 2_654_435_761) ^ Math.imul(j + 7, 40_503);
  if ((h & 31) === 0) return NaN;
  return ((h >>> 0) % 100_000) / 64 + 0.25; // exact in binary, always positive
}

/** A wide CSV text with `n` dates (in `order`) and `m` asset columns. */
function wideCsv(n: number, m: number, order: readonly number[]): string {
  const head = ['date', ...Array.from({ length: m }, (_, j) => `A${j}`)].join(',');
  const lines = order.map((t) =>
    [
      formatIsoDate(DAY0 + t),
      ...Array.from({ length: m }, (_, j) => {
        const v = cell(t, j);
        return Number.isNaN(v) ? '' : String(v);
      }),
    ].join(','),
  );
  return `${head}\n${lines.join('\n')}\n`;
}

describe('shared DuckDB instance', () => {
  it('is shared by overlapping reads and closed when the last one ends; holdDuckdb spans a batch', async () => {
    const f = file('tiny.csv', 'date,A,B\n2024-01-02,1,2\n2024-01-03,3,4\n');
    expect(duckdbStats().open).toBe(false);
    const before = duckdbStats().opened;
    const duck = { engine: 'duckdb' } as const;
    const reads = Promise.all([readPanel(f, duck), readFrame(f, duck), readPanel(f, { kind: 'prices', ...duck })] as const);
    expect(duckdbStats().users).toBe(3);
    const [a, b, c] = await reads;
    expect(duckdbStats()).toEqual({ opened: before + 1, users: 0, open: false });
    expect(Array.from(a.panel.values)).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.series[1])).toEqual([2, 4]);
    expect(Array.from(c.panel.values)).toEqual([1, 2, 3, 4]);
    // Sequential reads open one instance each ...
    await readPanel(f, duck);
    await readPanel(f, duck);
    expect(duckdbStats().opened).toBe(before + 3);
    // ... unless held open across the batch.
    const sums = await holdDuckdb(async () => {
      // A CSV read by the fast reader does not create the instance ...
      await readPanel(f);
      expect(duckdbStats()).toEqual({ opened: before + 3, users: 1, open: false });
      // ... the first DuckDB read does, and the hold keeps it open for the next.
      const x = await readPanel(f, duck);
      expect(duckdbStats()).toEqual({ opened: before + 4, users: 1, open: true });
      const y = await readFrame(f, duck);
      return [x.panel.values.reduce((s, v) => s + v, 0), y.series[0][1]];
    });
    expect(sums).toEqual([10, 3]);
    expect(duckdbStats()).toEqual({ opened: before + 4, users: 0, open: false });
  });

  it('releases the instance after a failed read too', async () => {
    const e = await inputError(() => readPanel(file('bad.csv', 'date,A\n2024-01-02,1\n2024-01-03,x\n'), { engine: 'duckdb' }));
    expect(e.message).toMatch(/not a number/);
    expect(e.location.line).toBe(3);
    expect(duckdbStats()).toMatchObject({ users: 0, open: false });
  });

  it('is created with a memory limit of a quarter of the machine and a temp folder under the OS one', async () => {
    const s = duckdbSettings();
    const mb = Math.max(256, Math.floor((totalmem() * MEMORY_SHARE) / 2 ** 20));
    const constrained = process.constrainedMemory() ?? 0;
    if (constrained === 0 || constrained >= totalmem()) expect(s.memory_limit).toBe(`${mb}MB`);
    expect(s.temp_directory.startsWith(tmpdir())).toBe(true);
    const got = await withConnection(async (con) =>
      (await con.runAndReadAll("SELECT current_setting('memory_limit'), current_setting('temp_directory'), current_setting('threads')"))
        .getRows()[0]
        .map(String),
    );
    // DuckDB prints the limit in its own units (MiB / GiB, 1,000-based rounding); compare in MB.
    const [num, unit] = got[0].split(' ');
    const bytes = Number(num) * ({ KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 } as Record<string, number>)[unit];
    expect(Math.abs(bytes / 2 ** 20 - (Number(s.memory_limit.replace('MB', '')) * 1e6) / 2 ** 20)).toBeLessThan(
      (0.01 * bytes) / 2 ** 20 + 1,
    );
    expect(got[1]).toBe(s.temp_directory);
    expect(got[2]).toBe(s.threads);
  });
});

describe('wide scan SQL', () => {
  const src = (m: number): TableSource => ({
    file: '/x.csv',
    format: 'csv',
    columns: ['date', ...Array.from({ length: m }, (_, j) => `c${j}`)],
  });
  it('uses the large buffer only with many declared columns', () => {
    const few = src(3),
      many = src(WIDE_SCAN_COLUMNS);
    expect(scanSql(few, new Map(few.columns.slice(1).map((c) => [c, 'DOUBLE'])))).not.toContain('buffer_size');
    expect(scanSql(many, new Map(many.columns.slice(1).map((c) => [c, 'DOUBLE'])))).toContain(`buffer_size=${WIDE_SCAN_BUFFER},`);
    expect(scanSql(many)).not.toContain('buffer_size');
  });
});

describe('wide reads chunk by chunk', () => {
  it('a wide file over several chunks, with the wide buffer, unsorted dates and blanks equals a plain parse', async () => {
    const n = 2_600,
      m = WIDE_SCAN_COLUMNS + 4;
    // Rows in file order: a shuffled permutation (a fixed LCG), so the date sort is exercised.
    const order = Array.from({ length: n }, (_, t) => t);
    let x = 12_345;
    for (let i = n - 1; i > 0; i--) {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      const k = x % (i + 1);
      [order[i], order[k]] = [order[k], order[i]];
    }
    const f = file('wide.csv.gz', wideCsv(n, m, order), true);
    const r = await readPanel(f, { kind: 'prices' });
    expect(r.rows).toBe(n);
    expect(r.panel.nDates).toBe(n);
    expect(r.panel.nAssets).toBe(m);
    expect(r.panel.dates[0]).toBe(DAY0);
    expect(r.panel.dates[n - 1]).toBe(DAY0 + n - 1);
    let mismatches = 0,
      nans = 0;
    for (let t = 0; t < n; t++) {
      for (let j = 0; j < m; j++) {
        const want = cell(t, j),
          got = r.panel.values[t * m + j];
        if (Number.isNaN(want)) nans++;
        if (!Object.is(want, got)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(nans).toBeGreaterThan((n * m) / 40);
  });

  it('reports a bad date in a later chunk with its line, and a bad number anywhere before it', async () => {
    const n = 2_300,
      m = 3;
    const order = Array.from({ length: n }, (_, t) => t);
    const lines = wideCsv(n, m, order).split('\n');
    const badDate = [...lines];
    badDate[2_101] = badDate[2_101].replace(/^[^,]+/, '2020-13-45'); // file line 2,102
    const e1 = await inputError(() => readPanel(file('baddate.csv', badDate.join('\n'))));
    expect(e1.message).toMatch(/not a date \(value: "2020-13-45"\)/);
    expect(e1.location.line).toBe(2_102);
    // Text in a number column later in the file: the unreadable number is what is reported.
    const both = [...badDate];
    both[2_200] = both[2_200].replace(/,[^,]*$/, ',abc'); // file line 2,201
    // DuckDB's typed scan fails on the number before any date is looked at ...
    const e2 = await inputError(() => readPanel(file('both.csv', both.join('\n')), { engine: 'duckdb' }));
    expect(e2.message).toMatch(/not a number/);
    expect(e2.location.line).toBe(2_201);
    // ... the fast reader reports the first problem in file order.
    const e3 = await inputError(() => readPanel(file('both.csv'), { engine: 'fast' }));
    expect(e3.message).toMatch(/not a date/);
    expect(e3.location.line).toBe(2_102);
  });

  it('property: random small wide tables (1 to 3 chunks) read back cell for cell', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 6 }), async (n, m) => {
        const order = Array.from({ length: n }, (_, t) => n - 1 - t); // descending in the file
        const r = await readPanel(file(`p_${n}_${m}.csv`, wideCsv(n, m, order)));
        expect(r.panel.nDates).toBe(n);
        for (let t = 0; t < n; t += Math.max(1, Math.floor(n / 50))) {
          for (let j = 0; j < m; j++) expect(r.panel.values[t * m + j]).toBe(cell(t, j));
        }
      }),
      { numRuns: 6, seed: 4 },
    );
  });
});

describe('long reads chunk by chunk', () => {
  it('a long file of 9,000 rows (several chunks) places every value', async () => {
    const nd = 300,
      na = 30;
    const rows: string[] = ['date,asset,value'];
    // Rows in a scrambled order; every 7th (date, asset) missing.
    for (let k = 0; k < nd * na; k++) {
      const i = (k * 7_919) % (nd * na),
        t = Math.floor(i / na),
        j = i % na;
      if ((t * na + j) % 7 === 3) continue;
      rows.push(`${formatIsoDate(DAY0 + t)},S${String(j).padStart(2, '0')},${cell(t, j) || 1}`);
    }
    const r = await readPanel(file('long.csv', `${rows.join('\n')}\n`), { kind: 'prices' });
    expect(r.rows).toBe(rows.length - 1);
    expect(r.panel.nDates).toBe(nd);
    expect(r.panel.assets).toEqual(Array.from({ length: na }, (_, j) => `S${String(j).padStart(2, '0')}`));
    let bad = 0;
    for (let t = 0; t < nd; t++) {
      for (let j = 0; j < na; j++) {
        const want = (t * na + j) % 7 === 3 ? NaN : cell(t, j) || 1;
        if (!Object.is(r.panel.values[t * na + j], want)) bad++;
      }
    }
    expect(bad).toBe(0);
  });
});
