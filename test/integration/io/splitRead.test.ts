/**
 * The split CSV reads (src/io/csv/split.ts) on real worker threads (the compiled
 * dist/io/csv/splitWorker.js; the integration project's global setup rebuilds dist/): the ranges
 * are really read by workers (route 'split'), the panel is bit-identical to the one-thread read,
 * a bad row in a worker's range is the one-thread read's located error, and a process whose read
 * fails exits (no worker left running).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPanel } from '../../../src/io/readPanel.js';
import { MIN_SPLIT_BYTES, parseLongSplit, parseWideSplit } from '../../../src/io/csv/split.js';
import { readLongDirect } from '../../../src/io/csv/longDirect.js';
import { fileChunks } from '../../../src/io/csv/source.js';
import { parseWide, type WideSpec } from '../../../src/io/csv/wide.js';
import type { LongSpec } from '../../../src/io/csv/long.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-split-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const iso = (t: number): string => new Date(Date.UTC(2000, 0, 1 + t)).toISOString().slice(0, 10);
const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** A wide file of n dates x m assets with varied decimals, a few blanks. */
function wideText(n: number, m: number): string {
  let s = 7;
  const u = (): number => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const rows = [`date,${Array.from({ length: m }, (_, j) => `A${j}`).join(',')}`];
  for (let t = 0; t < n; t++) {
    const cells = Array.from({ length: m }, () => {
      const x = u();
      return x < 0.02 ? '' : x < 0.5 ? String(1 + 200 * u()) : (1 + 200 * u()).toFixed(4);
    });
    rows.push(`${iso(t)},${cells.join(',')}`);
  }
  return rows.join('\n') + '\n';
}

describe('split reads on worker threads', () => {
  it('wide: bit-identical to one thread on 2-4 threads, really split, and a bad cell in the last range is the same error', async () => {
    const text = wideText(400, 300);
    const f = join(dir, 'wide.csv');
    writeFileSync(f, text);
    const columns = text.slice(0, text.indexOf('\n')).split(',');
    const spec: WideSpec = {
      file: f,
      delimiter: ',',
      columns,
      dateCol: 'date',
      cols: columns.slice(1),
      prices: false,
      shared: false,
      textBytes: text.length,
    };
    const one = await parseWide(fileChunks(f, false), spec);
    for (const k of [2, 3, 4]) {
      let route = '';
      const r = await parseWideSplit(spec, k, { route: (how) => (route = how) });
      expect(route).toBe('split');
      expect(bits(r.values)).toBe(bits(one.values));
      expect(Array.from(r.days)).toEqual(Array.from(one.days));
      expect(Array.from(r.fileLine)).toEqual(Array.from(one.fileLine));
    }
    const lines = text.split('\n');
    lines[390] = lines[390].replace(/,([^,]*)$/, ',1..2');
    const bad = join(dir, 'wide-bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const badSpec = { ...spec, file: bad };
    const want = await parseWide(fileChunks(bad, false), badSpec).catch((e: Error) => e.message);
    expect(want).toContain(`${bad}:391`);
    expect(await parseWideSplit(badSpec, 2).catch((e: Error) => e.message)).toBe(want);
  });

  it('long: bit-identical to one thread, really split; a duplicate across ranges is the same error', async () => {
    const rows = ['date,asset,value'];
    for (let t = 0; t < 300; t++) for (let j = 0; j < 40; j++) rows.push(`${iso(t)},N${(j * 7) % 40},${((t * 40 + j) % 997) / 7}`);
    const f = join(dir, 'long.csv');
    writeFileSync(f, rows.join('\n') + '\n');
    const spec: LongSpec = {
      file: f,
      delimiter: ',',
      columns: ['date', 'asset', 'value'],
      dateCol: 'date',
      assetCol: 'asset',
      valueCol: 'value',
      prices: false,
      shared: false,
    };
    const one = await readLongDirect(() => fileChunks(f, false), spec);
    for (const k of [2, 3]) {
      let route = '';
      const r = await parseLongSplit(spec, k, { route: (how) => (route = how) });
      expect(route).toBe('split');
      expect(r.assets).toEqual(one.assets);
      expect(r.rows).toBe(one.rows);
      expect(Array.from(r.days)).toEqual(Array.from(one.days));
      expect(bits(r.values)).toBe(bits(one.values));
    }
    const dup = join(dir, 'long-dup.csv');
    writeFileSync(dup, [...rows, rows[5]].join('\n') + '\n');
    const dupSpec = { ...spec, file: dup };
    const want = await readLongDirect(() => fileChunks(dup, false), dupSpec).catch((e: Error) => e.message);
    expect(want).toContain('duplicate row');
    expect(await parseLongSplit(dupSpec, 2).catch((e: Error) => e.message)).toBe(want);
  });

  it('readPanel over the split threshold: the same panel on 1 and 2 threads (shared or not)', async () => {
    const text = wideText(Math.ceil(MIN_SPLIT_BYTES / (600 * 9)) + 20, 600);
    expect(text.length).toBeGreaterThan(MIN_SPLIT_BYTES);
    const f = join(dir, 'big.csv');
    writeFileSync(f, text);
    const one = await readPanel(f, { threads: 1, engine: 'fast' });
    for (const shared of [false, true]) {
      const two = await readPanel(f, { threads: 2, shared, engine: 'fast' });
      expect(bits(two.panel.values)).toBe(bits(one.panel.values));
      expect(two.panel.dates).toEqual(one.panel.dates);
      expect(two.rows).toBe(one.rows);
    }
  });

  it('a read that fails in a worker range leaves no worker running: the process exits with the error', () => {
    const lines = wideText(300, 50).split('\n');
    lines[280] = lines[280].replace(/,([^,]*)$/, ',oops');
    const f = join(dir, 'exit.csv');
    writeFileSync(f, lines.join('\n'));
    const split = resolve('dist/io/csv/split.js');
    const script = `
      const { parseWideSplit } = await import(${JSON.stringify(split)});
      const cols = ${JSON.stringify(lines[0].split(','))};
      try {
        await parseWideSplit({ file: ${JSON.stringify(f)}, delimiter: ',', columns: cols, dateCol: 'date', cols: cols.slice(1), prices: false, shared: false, textBytes: 1e5 }, 2);
      } catch (e) { console.log(e.message.split('\\n')[0]); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(':281');
    expect(r.stdout).toContain('not a number');
  });
});
