import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../core/dates.js';
import { runExposuresZoo, type ExposuresZooFlags } from './exposures.js';

/**
 * Two assets whose returns are exact lines in the factor mkt: r_A = 0.001 + 2·mkt, r_B = −0.5·mkt.
 * A portfolio holding w_A, w_B has r_p = 0.001·w_A + (2·w_A − 0.5·w_B)·mkt exactly, so its fit
 * recovers those numbers (and a zero beta on an unrelated factor) by hand.
 */
describe('runExposuresZoo', () => {
  it("recovers each portfolio's hand-computed alpha and betas; a bad file is a row with its reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'factorlab-ezoo-'));
    const n = 60,
      d0 = 19000;
    const mkt = Array.from({ length: n }, (_, t) => 0.01 * Math.sin(1.3 * t + 0.2));
    const other = Array.from({ length: n }, (_, t) => 0.01 * Math.cos(2.1 * t));
    const pa = [100],
      pb = [50];
    for (let t = 1; t < n; t++) {
      pa.push(pa[t - 1] * (1 + 0.001 + 2 * mkt[t]));
      pb.push(pb[t - 1] * (1 - 0.5 * mkt[t]));
    }
    const date = (t: number): string => formatIsoDate(d0 + t);
    writeFileSync(join(dir, 'prices.csv'), `date,A,B\n${pa.map((p, t) => `${date(t)},${p},${pb[t]}`).join('\n')}\n`);
    writeFileSync(
      join(dir, 'factors.csv'),
      `date,mkt,other\n${mkt
        .slice(1)
        .map((m, i) => `${date(i + 1)},${m},${other[i + 1]}`)
        .join('\n')}\n`,
    );
    writeFileSync(join(dir, 'half.csv'), `date,asset,weight\n${date(0)},A,0.5\n${date(0)},B,0.5\n`);
    writeFileSync(join(dir, 'longA.csv'), `date,asset,weight\n${date(0)},A,1\n`);
    const flags: ExposuresZooFlags = {
      prices: join(dir, 'prices.csv'),
      factors: [join(dir, 'factors.csv')],
      fill: 'ffill',
      weightsMaxAge: 1000,
      constant: true,
      threads: 1,
    };
    const o = await runExposuresZoo(flags, [join(dir, 'half.csv'), join(dir, 'none.csv'), join(dir, 'longA.csv')]);
    expect(o.coefficients).toEqual(['const', 'mkt', 'other']);
    expect(o.rows.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    const [half, none, longA] = o.rows;
    expect(half.nobs).toBe(n - 1);
    expect(half.const as number).toBeCloseTo(0.0005, 12);
    expect(half.mkt as number).toBeCloseTo(0.75, 10);
    expect(half.other as number).toBeCloseTo(0, 10);
    expect(longA.const as number).toBeCloseTo(0.001, 12);
    expect(longA.mkt as number).toBeCloseTo(2, 10);
    expect(half.covered_weight).toBe(1);
    expect(none.reason).toMatch(/none\.csv.*file not found/);
    expect(none.mkt).toBeNull();
    expect(o.failures).toEqual([{ portfolio: join(dir, 'none.csv'), reason: none.reason, fault: false }]);
  });
});
