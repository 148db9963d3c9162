import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLong, type LongPanel, type LongSpec } from './long.js';
import { readLongDirect } from './longDirect.js';
import { lineRanges, longRangeInProcess, parseLongSplit, parseWideRange, parseWideSplit, type RangeTask } from './split.js';
import { fileChunks } from './source.js';
import { parseWide, type WideMatrix, type WideSpec } from './wide.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function write(text: string): string {
  const f = join(dir, `w${++fileNo}.csv`);
  writeFileSync(f, text);
  return f;
}

function wideSpec(file: string, columns: string[], o: Partial<WideSpec> = {}): WideSpec {
  return {
    file,
    delimiter: ',',
    columns,
    dateCol: 'date',
    cols: columns.filter((c) => c !== 'date'),
    prices: false,
    shared: false,
    textBytes: 1000,
    ...o,
  };
}

/** The result as comparable data, or the error's name, message and location. */
async function outcome(f: () => Promise<WideMatrix>): Promise<unknown> {
  try {
    const r = await f();
    return {
      days: Array.from(r.days),
      lines: Array.from(r.fileLine),
      // bit patterns, so -0 and NaN compare exactly
      bits: Array.from(new Uint32Array(r.values.buffer, r.values.byteOffset, r.values.length * 2)),
      n: r.values.length,
    };
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message} ${JSON.stringify((e as { location?: unknown }).location ?? null)}`;
  }
}

/** Every range in this thread (the workers' code, without the threads). */
const inProcess = (task: RangeTask) => parseWideRange(task);

const CELLS = ['1', '2.5', '-0', '', 'NaN', '0.012345678901234567', '1e-5', '7', '123456.789', ' 3 ', '-4.25e2'];
const BAD = ['n.a.', 'inf', '1,2', 'x', '"q"', '1e400', '0'];

describe('lineRanges', () => {
  it('cuts at line starts only, covers the file, and drops cuts with no line after them', async () => {
    const text = 'date,A\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n';
    const f = write(text);
    for (let k = 1; k <= 8; k++) {
      const r = await lineRanges(f, Buffer.byteLength(text), k);
      expect(r[0].start).toBe(0);
      expect(r[r.length - 1].end).toBe(text.length);
      for (let i = 1; i < r.length; i++) {
        expect(r[i].start).toBe(r[i - 1].end);
        expect(text[r[i].start - 1]).toBe('\n');
        expect(r[i].end).toBeGreaterThan(r[i].start);
      }
      expect(r.length).toBeLessThanOrEqual(k);
    }
    const one = write('date,A\n2024-01-01,1');
    expect(await lineRanges(one, 19, 4)).toEqual([
      { start: 0, end: 7 },
      { start: 7, end: 19 },
    ]);
  });
});

describe('parseWideSplit (ranges over threads) == parseWide (one pass)', () => {
  it('property: random files, random K: the same days, lines and value bits, or the same located error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 40 }),
            cells: fc.array(fc.nat(CELLS.length - 1), { minLength: 3, maxLength: 3 }),
            bad: fc.option(fc.tuple(fc.nat(2), fc.nat(BAD.length - 1)), { freq: 12 }),
            ragged: fc.integer({ min: 0, max: 40 }),
            blank: fc.integer({ min: 0, max: 12 }),
          }),
          { minLength: 0, maxLength: 40 },
        ),
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (rows, k, crlf, finalNewline, prices, unique, shared) => {
          const nl = crlf ? '\r\n' : '\n';
          const seen = new Set<number>();
          const body = rows
            .filter((r) => !unique || (!seen.has(r.day) && seen.add(r.day)))
            .map((r) => {
              const cells = r.cells.map((c) => CELLS[c]);
              if (r.bad !== null) cells[r.bad[0]] = BAD[r.bad[1]];
              if (r.ragged === 0) cells.pop();
              const date = new Date(Date.UTC(2024, 0, 1 + r.day)).toISOString().slice(0, 10);
              return (r.blank === 0 ? nl : '') + [date, ...cells].join(',');
            });
          const text = `date,A,B,C${nl}${body.join(nl)}${finalNewline ? nl : ''}`;
          const f = write(text);
          const spec = wideSpec(f, ['date', 'A', 'B', 'C'], { prices, shared, textBytes: text.length });
          const want = await outcome(() => parseWide(fileChunks(f, false), { ...spec, shared: false }));
          let route = '',
            joined = '';
          const got = await outcome(() =>
            parseWideSplit(spec, k, { runRange: inProcess, route: (how) => (route = how), joined: (how) => (joined = how) }),
          );
          expect(got).toEqual(want);
          // a good file with more than one range is really read in ranges, not by the fallback;
          // a shared one in the ranges' regions of one buffer (these files fit the estimates)
          if (typeof want !== 'string' && (await lineRanges(f, Buffer.byteLength(text), k)).length > 1) {
            expect(route).toBe('split');
            expect(joined).toBe(shared ? 'in-place' : 'copied');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the earliest error in file order wins, whichever range meets its error first', async () => {
    const lines = ['date,A,B'];
    for (let t = 0; t < 400; t++) lines.push(`${new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10)},${t + 1},${t + 2}`);
    // a bad cell near the end (the last range) and another in the middle (an earlier range)
    lines[390] = lines[390].replace(/,\d+$/, ',oops');
    lines[150] = lines[150].replace(/,\d+,/, ',n.a.,');
    const text = lines.join('\n') + '\n';
    const f = write(text);
    const spec = wideSpec(f, ['date', 'A', 'B'], { textBytes: text.length });
    for (const k of [2, 3, 4, 7]) {
      // the last range finishes first: the others wait until it has failed
      let release!: () => void;
      const lastDone = new Promise<void>((r) => (release = r));
      const ranges = await lineRanges(f, Buffer.byteLength(text), k);
      const run = async (task: RangeTask) => {
        if (task.range.start !== ranges[ranges.length - 1].start) await lastDone;
        try {
          return await parseWideRange(task);
        } finally {
          if (task.range.start === ranges[ranges.length - 1].start) release();
        }
      };
      const err = await outcome(() => parseWideSplit(spec, k, { runRange: run }));
      expect(err).toMatch(/^InputError: .*: not a number \(value: "n.a."\)/);
      expect(err).toContain('"line":151');
      expect(err).toContain('"column":"A"');
      expect(err).toContain('"value":"n.a."');
      expect(err).toEqual(await outcome(() => parseWide(fileChunks(f, false), spec)));
    }
  });

  it('a duplicate date across two ranges names both true lines; a quote anywhere declines as before', async () => {
    const lines = ['date,A'];
    for (let t = 0; t < 200; t++) lines.push(`${new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10)},${t + 1}`);
    lines.splice(60, 0, '', ''); // blank lines keep later line numbers physical
    lines.push(lines[5]);
    const f = write(lines.join('\n'));
    const spec = wideSpec(f, ['date', 'A'], { textBytes: 5000 });
    const err = await outcome(() => parseWideSplit(spec, 3, { runRange: inProcess }));
    expect(err).toContain(`duplicate date 2020-01-05 on lines 6 and ${lines.length}`);
    const q = write(lines.slice(0, 150).join('\n') + '\n2021-01-01,"5"\n');
    const d = await outcome(() => parseWideSplit(wideSpec(q, ['date', 'A'], { textBytes: 5000 }), 3, { runRange: inProcess }));
    expect(d).toMatch(/^Declined: .*quoted field/);
    expect(d).toEqual(await outcome(() => parseWide(fileChunks(q, false), wideSpec(q, ['date', 'A']))));
  });

  it('shared: the last range outgrowing its region (its first lines long, the rest short) is copied, the same matrix', async () => {
    // the ranges before the last get their lines counted; the last one's rows are estimated from
    // its first 256 KiB: long lines there (where two ranges cut this file), short ones after
    const lines = ['date,A'];
    for (let t = 0; t < 100000; t++)
      lines.push(
        `${new Date(Date.UTC(1750, 0, 1 + t)).toISOString().slice(0, 10)},${t >= 50000 && t < 62000 ? '1234567890.12345678' : t % 10}`,
      );
    const text = lines.join('\n') + '\n';
    const f = write(text);
    const spec = wideSpec(f, ['date', 'A'], { shared: true, textBytes: text.length });
    const want = await outcome(() => parseWide(fileChunks(f, false), { ...spec, shared: false }));
    let joined = '';
    const got = await parseWideSplit(spec, 2, { runRange: inProcess, joined: (how) => (joined = how) });
    expect(joined).toBe('copied');
    expect(got.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(await outcome(() => Promise.resolve(got))).toEqual(want);
    // three ranges cut it elsewhere: the counted ranges hold any mix of lengths, in place
    const three = await parseWideSplit(spec, 3, { runRange: inProcess, joined: (how) => (joined = how) });
    expect(joined).toBe('in-place');
    expect(await outcome(() => Promise.resolve(three))).toEqual(want);
    // the same rows evenly long: every range stays in its region, joined in place in one buffer
    const even = write(['date,A', ...lines.slice(1).map((l) => l.replace(/,.*$/, ',1234567890.12345678'))].join('\n') + '\n');
    joined = '';
    const r = await parseWideSplit(wideSpec(even, ['date', 'A'], { shared: true, textBytes: 60000 }), 3, {
      runRange: inProcess,
      joined: (how) => (joined = how),
    });
    expect(joined).toBe('in-place');
    expect(r.values.byteOffset).toBe(0);
    expect(r.values.length).toBe(100000);
    expect(Array.from(r.values).every((v) => v === Number('1234567890.12345678'))).toBe(true);
  });

  it('shared: the stitched values are on a SharedArrayBuffer', async () => {
    const lines = ['date,A,B'];
    for (let t = 0; t < 300; t++) lines.push(`${new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10)},${t},${-t}`);
    const f = write(lines.join('\n') + '\n');
    for (const shared of [true, false]) {
      const r = await parseWideSplit(wideSpec(f, ['date', 'A', 'B'], { shared, textBytes: 8000 }), 4, { runRange: inProcess });
      if (shared) expect(r.values.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(r.values.length).toBe(600);
      expect(r.values[2 * 299 + 1]).toBe(-299);
    }
  });
});

const NAMES = ['A', 'BB', 'b', 'Z9', 'Ä', 'é1', '600036', ' x'];
const LCELLS = ['1', '2.5', '-0', '', 'NaN', '0.012345678901234567', '1e-5', '7'];
const LBAD = ['n.a.', 'inf', '0', '1,2'];

async function longOutcome(f: () => Promise<LongPanel>): Promise<unknown> {
  try {
    const r = await f();
    return {
      rows: r.rows,
      assets: r.assets,
      days: Array.from(r.days),
      bits: Array.from(new Uint32Array(r.values.buffer, r.values.byteOffset, r.values.length * 2)),
    };
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message} ${JSON.stringify((e as { location?: unknown }).location ?? null)}`;
  }
}

describe('parseLongSplit (ranges over threads) == the one-thread long read', () => {
  it('property: random long files, random K: the same panel bits, or the same located error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 25 }),
            fc.nat(NAMES.length - 1),
            fc.nat(LCELLS.length - 1),
            fc.option(fc.nat(LBAD.length - 1), { freq: 15 }),
          ),
          { maxLength: 80 },
        ),
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (rows, k, unique, dateMajor, prices, plain) => {
          let rs = rows;
          if (unique) {
            const seen = new Set<string>();
            rs = rs.filter(([t, a]) => !seen.has(`${t},${NAMES[a].trim()}`) && seen.add(`${t},${NAMES[a].trim()}`));
          }
          if (dateMajor) rs = rs.slice().sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          const date = (t: number): string => new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10);
          const cell = (c: number, bad: number | null): string => (bad !== null ? LBAD[bad] : LCELLS[c]);
          const columns = plain ? ['date', 'asset', 'value'] : ['value', 'x', 'asset', 'date'];
          const line = ([t, a, c, bad]: [number, number, number, number | null]): string =>
            plain ? `${date(t)},${NAMES[a]},${cell(c, bad)}` : `${cell(c, bad)},q,${NAMES[a]},${date(t)}`;
          const text = `${columns.join(',')}\n${rs.map(line).join('\n')}\n`;
          const f = write(text);
          const sp: LongSpec = {
            file: f,
            delimiter: ',',
            columns,
            dateCol: 'date',
            assetCol: 'asset',
            valueCol: 'value',
            prices,
            shared: false,
          };
          const want = await longOutcome(() => readLongDirect(() => fileChunks(f, false), sp));
          expect(await longOutcome(() => parseLong(fileChunks(f, false), sp))).toEqual(want);
          let route = '';
          const got = await longOutcome(() =>
            parseLongSplit(sp, k, { runRange: (t) => longRangeInProcess(t), route: (how) => (route = how) }),
          );
          expect(got).toEqual(want);
          const clean = rs.every(([, , , bad]) => bad === null);
          if (typeof want !== 'string' && clean && (await lineRanges(f, Buffer.byteLength(text), k)).length > 1)
            expect(route).toBe('split');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a (date, asset) given in two ranges is the duplicate error of the one-thread read, naming both lines', async () => {
    const lines = ['date,asset,value'];
    for (let t = 0; t < 100; t++)
      for (const a of ['A', 'B']) lines.push(`${new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10)},${a},${t + 1}`);
    lines.push(lines[3]);
    const f = write(lines.join('\n') + '\n');
    const sp: LongSpec = {
      file: f,
      delimiter: ',',
      columns: ['date', 'asset', 'value'],
      dateCol: 'date',
      assetCol: 'asset',
      valueCol: 'value',
      prices: false,
      shared: false,
    };
    const err = await longOutcome(() => parseLongSplit(sp, 2, { runRange: (t) => longRangeInProcess(t) }));
    expect(err).toContain(`appears on lines 4 and ${lines.length}`);
    expect(err).toEqual(await longOutcome(() => readLongDirect(() => fileChunks(f, false), sp)));
  });
});
