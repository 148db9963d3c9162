/**
 * A name whose price stays the same for months at the end of the window (suspended, the data
 * vendor forward-filling its last price): its returns there are exactly 0, not missing, so the
 * stale-name rule (no return in the last --stale-after dates) did not see it, and its zeros gave
 * it the smallest variance of the risk model: a minimum-variance book made it the top holding
 * (24.3% here), without a word. A price that does not move now counts as no return.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('flat-prices');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 250);
const names = ['A', 'B', 'C', 'D', 'E', 'F'];
const FLAT_FROM = 170; // F's price is the same from this row on (80 dates)
const r = rng(7);
const p = names.map(() => 100);
const prices = t.write(
  'prices.csv',
  `date,${names.join(',')}\n${days
    .map((d, i) => {
      names.forEach((a, j) => {
        if (!(a === 'F' && i >= FLAT_FROM)) p[j] *= 1 + 0.02 * r();
      });
      return `${d},${p.map((x) => x.toFixed(4)).join(',')}`;
    })
    .join('\n')}\n`,
);
const factors = t.write('factors.csv', factorsCsv(days));

interface Json {
  holdings: { asset: string; weight: number }[];
  notes: string[];
}
const weight = (j: Json, a: string): number => j.holdings.find((h) => h.asset === a)?.weight ?? 0;

describe('a forward-filled (flat) price at the end of the window', () => {
  it('optimize: the flat name is not bought (it was the top minimum-variance holding), and the note names it and since when', async () => {
    const res = await cli('optimize', '--prices', prices, '--factors', factors, '--json');
    expect(res.code, res.err).toBe(0);
    const j = JSON.parse(res.out) as Json;
    expect(weight(j, 'F')).toBe(0);
    expect(j.notes.join('\n')).toContain(
      `1 asset of the risk model has no return or price move in the last 5 dates of the window (delisted or suspended?), so cannot be traded at its end, ${days[249]}: 1 not bought (weight 0): F (price unchanged since ${days[FLAT_FROM - 1]}); --stale-after N sets the 5 dates (0: trade them)`,
    );
    // --stale-after 0 trades every name, as before: the flat name's zeros make it the safest
    const off = JSON.parse((await cli('optimize', '--prices', prices, '--factors', factors, '--json', '--stale-after', '0')).out) as Json;
    const top = [...off.holdings].sort((x, y) => y.weight - x.weight)[0];
    expect(top.asset).toBe('F');
  });

  it('replicate: the flat name cannot enter the basket, said in the notes', async () => {
    const res = await cli(
      'replicate',
      '--prices',
      prices,
      '--factors',
      factors,
      '--target-weights',
      'equal',
      '--fit-end',
      days[220],
      '--exposure-tolerance',
      '5',
      '--json',
    );
    expect(res.code, res.err).toBe(0);
    const j = JSON.parse(res.out) as Json;
    expect(weight(j, 'F')).toBe(0);
    expect(j.notes.join('\n')).toContain(
      `1 universe asset has no return or price move in the last 5 dates of the fit window (delisted or suspended?), so cannot enter the basket at its end, ${days[220]}: F (price unchanged since ${days[FLAT_FROM - 1]})`,
    );
  });
});
