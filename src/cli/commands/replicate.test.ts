/**
 * `replicate` says which universe names the fit left out (listed after --fit-end, too few returns,
 * constant prices): they cannot be in the basket, and the output named none of them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from '../../../test/badinput/helpers.js';

describe('replicate: universe names left out of the risk model', () => {
  const t = tempDir('replicate-left-out');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 300);
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  // B lists after the fit window, C has constant prices
  const lines = pricesCsv(days, names, 1, ['C']).trimEnd().split('\n');
  for (let r = 1; r <= 220; r++) {
    const cells = lines[r].split(',');
    cells[2] = '';
    lines[r] = cells.join(',');
  }
  const prices = t.write('prices.csv', `${lines.join('\n')}\n`);
  const factors = t.write('factors.csv', factorsCsv(days));

  it('are named in the notes (text and JSON), with --min-obs when it was given', async () => {
    const base = ['replicate', '--prices', prices, '--factors', factors, '--fit-end', days[200], '--target-weights', 'equal'];
    const r = await cli(...base, '--exposure-tolerance', '0.5', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { notes: string[]; holdings: { asset: string }[] };
    expect(j.notes.join('\n')).toMatch(
      /2 universe assets left out of the risk model \(too few returns in the fit window, .*\), so not in the basket: B, C/,
    );
    const strict = await cli(...base, '--exposure-tolerance', '0.5', '--min-obs', '150');
    expect(strict.code, strict.err).toBe(0);
    expect(strict.out).toMatch(
      /2 universe assets left out of the risk model \(too few returns in the fit window for --min-obs 150, .*: B, C/,
    );
  });

  it("a weights target's holdings on them are named: the basket cannot hold them", async () => {
    const target = t.write('target.csv', 'asset,weight\nA,0.4\nB,0.25\nD,0.35\n');
    const r = await cli('replicate', '--prices', prices, '--factors', factors, '--fit-end', days[200], '--target-weights', target);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/the target holds 25% in 1 name the risk model left out, which the basket cannot hold .*: B 25%/);
  });
});

/**
 * A universe name whose returns stop 8 dates before --fit-end (delisted, suspended) cannot enter
 * the basket formed there (max weight 0), beside names the fit leaves out (so the per-name bounds
 * must follow the risk model's own order). Before, a target holding it got a basket holding it.
 */
describe("replicate: universe names without a return in the fit window's last dates", () => {
  const t = tempDir('replicate-stale');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 300);
  const fitEnd = 200;
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  // B lists after the fit window, C has constant prices, F's last price is 8 dates before --fit-end
  const lines = pricesCsv(days, names, 1, ['C']).trimEnd().split('\n');
  for (let r = 1; r <= days.length; r++) {
    const cells = lines[r].split(',');
    if (r <= 220) cells[2] = '';
    if (r - 1 > fitEnd - 8) cells[6] = '';
    lines[r] = cells.join(',');
  }
  const prices = t.write('prices.csv', `${lines.join('\n')}\n`);
  const factors = t.write('factors.csv', factorsCsv(days));
  const target = t.write('target.csv', 'asset,weight\nA,0.25\nD,0.25\nF,0.5\n');
  const base = ['replicate', '--prices', prices, '--factors', factors, '--fit-end', days[fitEnd], '--target-weights', target];
  const run = async (...extra: string[]) => {
    const r = await cli(...base, '--exposure-tolerance', '0.5', ...extra, '--json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as { notes: string[]; holdings: { asset: string; weight: number }[] };
  };

  it('is kept out of the basket (with --max-weight on the others), and named; --stale-after 0 lets it in', async () => {
    const j = await run('--max-weight', '0.6');
    expect(j.holdings.map((h) => h.asset)).not.toContain('F');
    expect(Math.max(...j.holdings.map((h) => h.weight))).toBeLessThanOrEqual(0.6 + 1e-12);
    expect(j.notes.join('\n')).toContain(
      `1 universe asset has no return in the last 5 dates of the fit window (delisted or suspended?), so cannot enter the basket at its end, ${days[fitEnd]}: F (last ${days[fitEnd - 8]}); --stale-after N sets the 5 dates (0: let them in)`,
    );
    expect(j.notes.join('\n')).toMatch(/2 universe assets left out of the risk model .*: B, C/);
    const off = await run('--max-weight', '0.6', '--stale-after', '0');
    expect(off.holdings.find((h) => h.asset === 'F')?.weight).toBeGreaterThan(0.1);
    expect(off.notes.join('\n')).not.toMatch(/no return in the last/);
  });
});
