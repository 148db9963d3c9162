import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLong, type LongPanel, type LongSpec } from './long.js';
import { NotPlain, parseLongDirect, parseLongOnePass, readLongDirect, tooManyRows } from './longDirect.js';

/** The text as chunks of `size` bytes (lines cut across chunks), a fresh stream per call. */
function opener(text: string, size: number): () => AsyncIterable<Buffer> {
  const all = Buffer.from(text, 'utf8');
  return async function* () {
    for (let i = 0; i < all.length; i += size) yield Buffer.from(all.subarray(i, i + size));
  };
}

const spec = (columns: string[], o: Partial<LongSpec> = {}): LongSpec => ({
  file: 'f.csv',
  delimiter: ',',
  columns,
  dateCol: 'date',
  assetCol: 'asset',
  valueCol: 'value',
  prices: false,
  shared: false,
  ...o,
});

function same(a: LongPanel, b: LongPanel): void {
  expect(a.rows).toBe(b.rows);
  expect(a.assets).toEqual(b.assets);
  expect(Array.from(a.days)).toEqual(Array.from(b.days));
  expect(a.values.length).toBe(b.values.length);
  for (let i = 0; i < a.values.length; i++) if (!Object.is(a.values[i], b.values[i])) expect([i, a.values[i]]).toEqual([i, b.values[i]]);
}

async function outcome(f: () => Promise<LongPanel>): Promise<LongPanel | string> {
  try {
    return await f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message} ${JSON.stringify((e as { location?: unknown }).location ?? null)}`;
  }
}

const NAMES = ['A', 'BB', 'b', 'Z9', 'Ä', 'é1', '600036', ' x', 'x '];
const CELLS = ['1', '2.5', '-0', '', 'NaN', '0.012345678901234567', '1e-5', '7', 'NA', '0', 'inf', '1,2'];

describe('parseLongDirect (two passes, straight into the panel) == parseLong (one pass)', () => {
  it('property: any row order, layout, chunking; on bad input the two-pass wrapper throws the same located error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 21 }), fc.nat(NAMES.length - 1), fc.nat(CELLS.length - 1)), { maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        fc.boolean(),
        async (rows, plain, prices, size, goodOnly, dateMajor) => {
          let rs = rows;
          if (goodOnly) {
            // distinct (date, asset) pairs with readable values: the direct route must accept these
            const seen = new Set<string>();
            rs = rows.filter(([t, a]) => !seen.has(`${t},${NAMES[a].trim()}`) && seen.add(`${t},${NAMES[a].trim()}`));
            rs = rs.map(([t, a, c]) => [t, a, c % 8]);
            if (prices) rs = rs.map(([t, a, c]) => [t, a, [0, 1, 5, 6, 7][c % 5]]);
          }
          if (dateMajor) rs = rs.slice().sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          const columns = plain ? ['date', 'asset', 'value'] : ['value', 'x', 'asset', 'date'];
          const date = (t: number): string =>
            t % 7 === 3 ? `2024010${1 + (t % 9)}` : `2024-0${1 + (t % 9)}-${String(10 + t).padStart(2, '0')}`;
          const line = (t: number, a: number, c: number): string =>
            plain ? `${date(t)},${NAMES[a]},${CELLS[c]}` : `${CELLS[c]},q,${NAMES[a]},${date(t)}`;
          const text = `${columns.join(',')}\n${rs.map(([t, a, c]) => line(t, a, c)).join('\n')}\n`;
          const sp = spec(columns, { prices });
          const open = opener(text, size);
          const one = await outcome(() => parseLong(open(), sp));
          const two = await outcome(() => readLongDirect(open, sp));
          // one pass (kept rows), and one pass given up past a few rows for the two passes
          const single = await outcome(() => readLongDirect(open, sp, 1 << 20));
          const over = await outcome(() => readLongDirect(open, sp, 1));
          if (typeof one === 'string') {
            expect(two).toBe(one);
            expect(single).toBe(one);
            expect(over).toBe(one);
            return;
          }
          same(two as LongPanel, one);
          same(single as LongPanel, one);
          same(over as LongPanel, one);
          if (goodOnly && rs.length > 0) {
            same(await parseLongDirect(open, sp), one);
            same(await parseLongOnePass(open, sp), one);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('declines to the one-pass reader on anything unusual: ragged, bad value, duplicate, no rows', async () => {
    const cols = ['date', 'asset', 'value'];
    for (const body of ['2024-01-02,A', '2024-01-02,A,1,2', '2024-01-02,A,x', '2024-01-02,A,1\n2024-01-02,A,2', '', '2024-01-02,,1']) {
      const open = opener(`date,asset,value\n${body}\n`, 7);
      await expect(parseLongDirect(open, spec(cols))).rejects.toBeInstanceOf(NotPlain);
      await expect(parseLongOnePass(open, spec(cols))).rejects.toBeInstanceOf(NotPlain);
      const one = await outcome(() => parseLong(open(), spec(cols)));
      expect(typeof one).toBe('string');
      expect(await outcome(() => readLongDirect(open, spec(cols)))).toBe(one);
      expect(await outcome(() => readLongDirect(open, spec(cols), 100))).toBe(one);
    }
  });

  it('a hand-computed case: assets sorted by UTF-8 bytes, days ascending, gaps NaN', async () => {
    const open = opener('date,asset,value\n2024-01-03,b,3\n2024-01-03,B,2\n2024-01-02,b,1\n', 5);
    const r = await parseLongDirect(open, spec(['date', 'asset', 'value']));
    expect(r.assets).toEqual(['B', 'b']);
    expect(r.rows).toBe(3);
    expect(Array.from(r.values)).toEqual([NaN, 1, 2, 3]);
    expect(r.days[1] - r.days[0]).toBe(1);
  });

  it('the one pass stops at its row limit (to the next block of rows); readLongDirect then reads in two passes', async () => {
    const n = 70_000; // past one block of 65,536 rows
    const body = Array.from({ length: n }, (_, i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')},A${Math.floor(i / 28)},${i + 1}`);
    const open = opener(`date,asset,value\n${body.join('\n')}\n`, 1 << 16);
    const sp = spec(['date', 'asset', 'value']);
    await expect(parseLongOnePass(open, sp, 1)).rejects.toBe(tooManyRows);
    const whole = await parseLongOnePass(open, sp, n);
    expect(whole.rows).toBe(n);
    same(await readLongDirect(open, sp, 1), whole);
    same(await parseLong(open(), sp), whole);
  });
});
