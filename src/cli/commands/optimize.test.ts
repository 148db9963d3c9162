/**
 * The risk model's notes on what real price files make likely (names listed late, names that stop
 * trading before the window's end) and `--min-obs`, which leaves the short histories out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from '../../../test/badinput/helpers.js';
import { riskModelHistoryNotes } from './optimize.js';

describe('riskModelHistoryNotes', () => {
  const dates = Array.from({ length: 100 }, (_, t) => 20000 + t);
  const assets = ['A', 'B', 'C'];
  const values = new Float64Array(100 * 3).fill(0.01);
  for (let t = 0; t < 80; t++) values[t * 3 + 1] = NaN; // B: 20 returns, at the end
  for (let t = 90; t < 100; t++) values[t * 3 + 2] = NaN; // C: none in the last 10 dates
  const fit = { assets, dates, diagnostics: [{ nobs: [100, 20, 90] }] };

  it('names the assets fitted on less than half the window and those without a return in its last 5 dates', () => {
    const notes = riskModelHistoryNotes({ assets }, fit, { dates, assets, values });
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^1 asset fitted on less than half of the window's 100 dates .*: B \(20\); --min-obs N/);
    expect(notes[1]).toMatch(/^1 asset of the risk model has no return in the last 5 dates of the window .*: C \(last 2025-01-01\)/);
    expect(notes.join(' ')).not.toMatch(/\bA \(/);
  });

  it('says nothing of a window every name covers (a gap of 5 dates at the end is not yet stale)', () => {
    const full = new Float64Array(100 * 3).fill(0.01);
    for (let t = 95; t < 100; t++) full[t * 3] = NaN;
    const notes = riskModelHistoryNotes({ assets }, { ...fit, diagnostics: [{ nobs: [95, 100, 100] }] }, { dates, assets, values: full });
    expect(notes).toEqual([]);
  });
});

describe('optimize --min-obs', () => {
  const t = tempDir('optimize-min-obs');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 300);
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  // B lists at row 260: 39 returns of 299
  const lines = pricesCsv(days, names).trimEnd().split('\n');
  for (let r = 1; r <= 260; r++) {
    const cells = lines[r].split(',');
    cells[2] = '';
    lines[r] = cells.join(',');
  }
  const prices = t.write('prices.csv', `${lines.join('\n')}\n`);
  const factors = t.write('factors.csv', factorsCsv(days));
  const run = async (...extra: string[]) => {
    const r = await cli('optimize', '--prices', prices, '--factors', factors, '--max-weight', '0.5', ...extra, '--json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as { holdings: { asset: string }[]; notes: string[] };
  };

  it('without it a late listing is fitted on its few returns, and a note says so; with it the name is left out', async () => {
    const loose = await run();
    expect(loose.holdings.map((h) => h.asset)).toContain('B');
    expect(loose.notes.join('\n')).toMatch(/1 asset fitted on less than half of the window's 299 dates .*: B \(39\)/);
    const strict = await run('--min-obs', '100');
    expect(strict.holdings.map((h) => h.asset)).not.toContain('B');
    expect(strict.notes.join('\n')).toMatch(/left out of the risk model: B \(39 observations, fewer than the minimum 100\)/);
  });
});

describe('optimize: weights on a name the risk model left out', () => {
  const t = tempDir('optimize-left-out');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 200);
  const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D', 'Z'], 1, ['Z']));
  const factors = t.write('factors.csv', factorsCsv(days));

  it("names the fit's reason (a constant price), not 'no returns or too few in the fit window'", async () => {
    const current = t.write('current.csv', 'asset,weight\nA,0.5\nZ,0.5\n');
    const r = await cli('optimize', '--prices', prices, '--factors', factors, '--current', current);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/asset Z: 1 current holdings name is not in the risk model, which left it out: Z \(its returns are constant/);
    expect(r.err).toMatch(/hint: drop it from --current \(and sell outside the optimiser/);
    const benchmark = t.write('benchmark.csv', 'asset,weight\nA,0.25\nB,0.25\nC,0.25\nZ,0.25\n');
    const b = await cli('optimize', '--prices', prices, '--factors', factors, '--benchmark', benchmark);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/1 benchmark name is not in the risk model, which left it out: Z \(its returns are constant/);
  });
});
