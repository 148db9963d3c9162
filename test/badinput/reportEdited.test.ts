/**
 * Found by the CLI fuzz (fuzz.test.ts): `factorlab report` on a result file that is JSON and is
 * recognised as a factorlab result, but with a key removed or of another type (a hand-edited or
 * cut-down file) was an internal error, exit 1 ("Cannot read properties of undefined",
 * "b.paragraphs.map is not a function"). It is exit 2 naming the file and the key, nothing written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runBuilt } from './cli.js';
import { factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('report-edited');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 120);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const results: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  assertBuilt();
  const prices = t.write('prices.csv', pricesCsv(days, assets));
  const factors = t.write('factors.csv', factorsCsv(days));
  const signal = t.write('signal.csv', pricesCsv(days, assets, 9));
  const runs: [string, string[]][] = [
    ['exposures', ['exposures', '--prices', prices, '--factors', factors]],
    ['analyze', ['analyze', '--factor', signal, '--prices', prices]],
    ['backtest', ['backtest', '--factor', signal, '--prices', prices, '--top', '2', '--schedule', 'weekly']],
    ['optimize', ['optimize', '--prices', prices, '--factors', factors, '--benchmark', 'equal', '--max-weight', '0.4']],
    [
      'replicate',
      ['replicate', '--prices', prices, '--factors', factors, '--fit-end', days[80], '--target-weights', 'equal', '--max-names', '3'],
    ],
  ];
  for (const [kind, args] of runs) {
    const out = join(t.dir, `${kind}.json`);
    const r = await runBuilt([...args, '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    results[kind] = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  }
});

async function refused(kind: string, edit: (o: Record<string, unknown>) => void, what: RegExp): Promise<void> {
  const o = structuredClone(results[kind]);
  edit(o);
  const file = t.write(`edited-${kind}.json`, JSON.stringify(o));
  const html = join(t.dir, 'edited.html');
  const before = t.files();
  const r = await runBuilt(['report', file, '--out', html]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^factorlab: error: /);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(what);
  expect(r.stderr).toContain('hint: the file must be the JSON factorlab wrote, unchanged');
  expect(r.stderr).not.toMatch(/internal error|TypeError|Cannot read/);
  expect(t.files()).toEqual(before);
}

describe('report: a result with a key removed or of another type', () => {
  it('an exposures fit: the key is named', async () => {
    await refused('exposures', (o) => delete o.skipped, /an exposures fit whose "skipped" is missing, not an array/);
    await refused('exposures', (o) => (o.issues = 'x'), /"issues" is a string, not an array/);
    await refused('exposures', (o) => (o.dates = null), /"dates" is null, not an object/);
    await refused('exposures', (o) => (o.notes = 'x'), /"notes" is a string, not an array of texts/);
  });

  it('analyze, backtest, optimize and replicate results: a deeper field', async () => {
    await refused('analyze', (o) => (o.notes = { a: 1 }), /"notes" is an object, not an array of texts/);
    await refused('backtest', (o) => delete o.notes, /missing or malformed field/);
    await refused('backtest', (o) => ((o.series as Record<string, unknown>).dates = 3), /missing or malformed field/);
    await refused('optimize', (o) => delete o.exposures, /missing or malformed field/);
    await refused('replicate', (o) => (o.dropped = 'x'), /missing or malformed field \(at "dropped"\)/);
  });

  it('dates that are not yyyy-mm-dd or not increasing: exit 2 naming the file and the date (a line back through time or a gap before)', async () => {
    const dates = (o: Record<string, unknown>) => (o.series as Record<string, unknown>).dates as string[];
    await refused(
      'backtest',
      (o) => (dates(o)[3] = '2019-13-45'),
      /the result is not what factorlab writes: date 4 of a chart's series is "2019-13-45", not a yyyy-mm-dd date/,
    );
    await refused(
      'backtest',
      (o) => ([dates(o)[3], dates(o)[4]] = [dates(o)[4], dates(o)[3]]),
      /the result is not what factorlab writes: date 5 of a chart's series, \d{4}-\d{2}-\d{2}, is not after the date before it/,
    );
    await refused('backtest', (o) => dates(o).pop(), /the result is not what factorlab writes: the series .* has \d+ values for \d+ dates/);
  });

  it('the unchanged results still draw', async () => {
    for (const kind of Object.keys(results)) {
      const file = t.write(`whole-${kind}.json`, JSON.stringify(results[kind]));
      const r = await runBuilt(['report', file, '--out', join(t.dir, `${kind}.html`)]);
      expect(r.code, `${kind}: ${r.stderr}`).toBe(0);
    }
    expect(readdirSync(t.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
