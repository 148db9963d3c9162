/**
 * `analyze --weights` (market caps for cap-weighted quantile means) from a long file whose names
 * report on different days: each name keeps its own latest weight (pandas: pivot, then ffill).
 * It used to take the latest weights *row*, where the names that did not report that day had no
 * weight and were silently left out of the weighted means. Observations still without a weight
 * (a weights file that starts late) are counted in a note.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('analyzeweights');
afterAll(() => t.remove());

const days = weekdays('2021-01-04', 120);
const assets = Array.from({ length: 8 }, (_, i) => `A${i}`);
const prices = t.write('prices.csv', pricesCsv(days, assets, 3));
const r = rng(11);
const factor = t.write(
  'factor.csv',
  `date,${assets.join(',')}\n${days.map((d) => `${d},${assets.map(() => r().toFixed(5)).join(',')}`).join('\n')}\n`,
);
const cap = (t0: number, j: number): number => 100 + 10 * j + t0;

/** Caps every 10 rows; the even names report on the row, the odd ones 3 rows later (from `start`). */
function caps(start: number): { sparse: string; dense: string } {
  const long = ['date,asset,cap'];
  const latest = new Map<string, number>();
  const denseRows: string[] = [];
  for (let t0 = 0; t0 < days.length; t0++) {
    for (let j = 0; j < assets.length; j++) {
      const due = t0 >= start && (t0 - start - (j % 2 === 0 ? 0 : 3)) % 10 === 0 && t0 - start - (j % 2 === 0 ? 0 : 3) >= 0;
      if (due) {
        long.push(`${days[t0]},${assets[j]},${cap(t0, j)}`);
        latest.set(assets[j], cap(t0, j));
      }
    }
    // the same caps, forward-filled by hand, one column per name
    denseRows.push(`${days[t0]},${assets.map((a) => latest.get(a) ?? '').join(',')}`);
  }
  return { sparse: `${long.join('\n')}\n`, dense: `date,${assets.join(',')}\n${denseRows.join('\n')}\n` };
}

const analysis = (out: string): unknown => {
  const j = JSON.parse(out) as Record<string, unknown>;
  delete j.inputs;
  delete j.notes;
  return j;
};

describe('analyze --weights', () => {
  it('names reporting on different days are each weighted by their own latest cap: the same analysis as the forward-filled file', async () => {
    const { sparse, dense } = caps(0);
    const s = t.write('caps_sparse.csv', sparse),
      d = t.write('caps_dense.csv', dense);
    const args = ['analyze', '--prices', prices, '--factor', factor, '--quantiles', '2', '--horizons', '1,5', '--json'];
    const a = await cli(...args, '--weights', s);
    const b = await cli(...args, '--weights', d);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(JSON.stringify(analysis(a.out))).toContain('weighted');
    expect(analysis(a.out)).toEqual(analysis(b.out));
    // only the first three rows (before the odd names' first report) lack a weight
    expect((JSON.parse(a.out) as { notes: string[] }).notes.join('\n')).toMatch(
      /caps_sparse\.csv: 12 of [\d,]+ factor observations \(\d+\.\d%\) have no weight on or before their date: they are left out of the weighted quantile means/,
    );
  });

  it('a weights file that starts late: the observations without a weight are counted in a note', async () => {
    const s = t.write('caps_late.csv', caps(60).sparse);
    const a = await cli('analyze', '--prices', prices, '--factor', factor, '--quantiles', '2', '--weights', s);
    expect(a.code, a.err).toBe(0);
    expect(a.out + a.err).toMatch(
      /caps_late\.csv: [\d,]+ of [\d,]+ factor observations \(\d+\.\d%\) have no weight on or before their date/,
    );
  });

  it('weights for every name every day: no note', async () => {
    const full = t.write(
      'caps_full.csv',
      `date,${assets.join(',')}\n${days.map((d, t0) => `${d},${assets.map((_, j) => cap(t0, j)).join(',')}`).join('\n')}\n`,
    );
    const a = await cli('analyze', '--prices', prices, '--factor', factor, '--quantiles', '2', '--weights', full);
    expect(a.code, a.err).toBe(0);
    expect(a.out + a.err).not.toMatch(/have no weight/);
  });
});
