/**
 * `factorlab optimize` and `factorlab replicate` as a user runs them (the built CLI in a
 * subprocess) on a market where one name's returns stop 8 dates before the fit window's end
 * (delisted or suspended): it cannot be traded there. optimize holds it at its current weight
 * under a turnover cap and leaves it out of the equal-weight benchmark; without holdings it buys
 * none of it; replicate keeps it out of the basket. Before, only a note named it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runBuilt } from '../../badinput/cli.js';
import { factorsCsv, rng, weekdays } from '../../badinput/helpers.js';
import { tempDir } from '../../tempDir.js';

const dir = tempDir('factorlab-optimize-stale-');
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const days = weekdays('2019-01-01', 160);
const names = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
const end = days.length - 1;
const r = rng(5);
// H: last return 8 dates before the end
const returns = file(
  'returns.csv',
  `date,${names.join(',')}\n${days.map((d, i) => `${d},${names.map((a) => (a === 'H' && i > end - 8 ? '' : (0.02 * r()).toFixed(5))).join(',')}`).join('\n')}\n`,
);
const factors = file('factors.csv', factorsCsv(days));
const common = ['--returns', returns, '--factors', factors];

beforeAll(() => assertBuilt());

describe('optimize, built CLI: a name that stopped trading before the window end', () => {
  it('with --current and --turnover it stays at its weight; --benchmark equal is 1/7 over the others; the CSV says so', async () => {
    const current = file('current.csv', `asset,weight\n${names.map((a) => `${a},0.125`).join('\n')}\n`);
    const out = join(dir, 'weights.csv');
    const res = await runBuilt([
      'optimize',
      ...common,
      '--current',
      current,
      '--benchmark',
      'equal',
      '--max-weight',
      '0.2',
      '--turnover',
      '0.2',
      '--out',
      out,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/so cannot be traded at its end, \S+: 1 name held fixed at its current weight: H \(last \S+, 12\.5%\)/);
    expect(res.stdout).toMatch(/benchmark: equal weights over the 7 of the 8 assets of the risk model that can be traded/);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    const header = rows[0].split(',');
    const at = (asset: string, col: string): number => Number(rows.find((l) => l.startsWith(`${asset},`))?.split(',')[header.indexOf(col)]);
    expect(at('H', 'weight')).toBeCloseTo(0.125, 12);
    expect(at('H', 'benchmark')).toBe(0);
    expect(at('A', 'benchmark')).toBeCloseTo(1 / 7, 15);
    let turnover = 0;
    for (const a of names) turnover += Math.abs(at(a, 'weight') - 0.125);
    expect(turnover).toBeLessThanOrEqual(0.2 + 1e-9);
  });

  it('without holdings it is not bought', async () => {
    const res = await runBuilt(['optimize', ...common, '--max-weight', '0.15', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const j = JSON.parse(res.stdout) as { holdings: { asset: string; weight: number }[] };
    expect(j.holdings.find((h) => h.asset === 'H')?.weight).toBe(0);
    expect(j.holdings.filter((h) => h.weight > 0)).toHaveLength(7);
  });
});

describe('replicate, built CLI', () => {
  it('keeps the name out of a basket whose target holds it', async () => {
    const target = file('target.csv', 'asset,weight\nA,0.3\nB,0.3\nH,0.4\n');
    const res = await runBuilt([
      'replicate',
      ...common,
      '--fit-end',
      days[end - 20],
      '--target-weights',
      target,
      '--exposure-tolerance',
      '0.5',
      '--json',
    ]);
    // the fit window ends 20 dates before the data: H traded then, so it may enter
    expect(res.code, res.stderr).toBe(0);
    const late = await runBuilt([
      'replicate',
      ...common,
      '--fit-end',
      days[end],
      '--target-weights',
      target,
      '--exposure-tolerance',
      '0.5',
      '--json',
    ]);
    expect(late.code, late.stderr).toBe(0);
    const j = JSON.parse(late.stdout) as { notes: string[]; holdings: { asset: string }[] };
    expect(j.holdings.map((h) => h.asset)).not.toContain('H');
    expect(j.notes.join('\n')).toMatch(/1 universe asset has no return in the last 5 dates of the fit window .*: H \(last /);
    expect((JSON.parse(res.stdout) as { holdings: { asset: string }[] }).holdings.map((h) => h.asset)).toContain('H');
  });
});
