/**
 * rolling --portfolio-regression: the portfolio's own return on a date where no held asset has a
 * return is missing, not 0 (a 0 entered the regression as data and bent its betas), and
 * --renormalize scales the own return as it scales the exposures.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('ownreturn');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 160);
const factors = t.write('factors.csv', factorsCsv(days));
// A lacks prices on rows 80..89: its returns are missing on rows 80..90
const lines = pricesCsv(days, ['A', 'B', 'C']).trimEnd().split('\n');
const holed = lines.map((l, i) => (i >= 81 && i <= 90 ? l.replace(/^([^,]+),[^,]+/, '$1,') : l));
const prices = t.write('prices.csv', `${holed.join('\n')}\n`);

function table(path: string): Record<string, number[]> {
  const [head, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cols = head.split(',');
  const out: Record<string, number[]> = {};
  cols.forEach((c, j) => (out[c] = rows.map((r) => (r.split(',')[j] === '' ? NaN : Number(r.split(',')[j])))));
  return out;
}

describe('rolling --portfolio-regression with holdings that lack returns', () => {
  it('a one-asset book: its own regression is the asset regression, on every date (no zero returns in the gap)', async () => {
    const w = t.write('one.csv', 'asset,weight\nA,1\n');
    const out = `${t.dir}/one-out.csv`;
    const r = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      w,
      '--window',
      '30',
      '--portfolio-regression',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const o = table(out);
    let compared = 0;
    for (let i = 0; i < o.mkt_rf.length; i++) {
      if (Number.isNaN(o.mkt_rf[i])) {
        expect(o.portfolio_mkt_rf[i]).toBeNaN();
        continue;
      }
      expect(Math.abs(o.portfolio_mkt_rf[i] - o.mkt_rf[i])).toBeLessThan(1e-12);
      expect(Math.abs(o.portfolio_smb[i] - o.smb[i])).toBeLessThan(1e-12);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
    // windows over the gap hold fewer observations than the window
    expect(Math.min(...o.portfolio_nobs.filter((v) => v === v))).toBeLessThan(30);
  });

  it('--renormalize: the own return of the held assets with a return is scaled up like the exposures', async () => {
    const w = t.write('two.csv', 'asset,weight\nA,0.5\nB,0.5\n');
    const plain = `${t.dir}/plain.csv`,
      scaled = `${t.dir}/scaled.csv`;
    const args = ['rolling', '--prices', prices, '--factors', factors, '--weights', w, '--window', '30', '--portfolio-regression'];
    expect((await cli(...args, '--out', plain)).code).toBe(0);
    expect((await cli(...args, '--renormalize', '--out', scaled)).code).toBe(0);
    const a = table(plain),
      b = table(scaled);
    // far from the gap both are the same; over it the renormalised own regression differs
    const last = a.portfolio_mkt_rf.length - 1;
    expect(Math.abs(a.portfolio_mkt_rf[last] - b.portfolio_mkt_rf[last])).toBeLessThan(1e-12);
    const over = 95; // a window ending here covers the gap
    expect(Math.abs(a.portfolio_mkt_rf[over] - b.portfolio_mkt_rf[over])).toBeGreaterThan(1e-6);
  });
});
