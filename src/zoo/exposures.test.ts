import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../core/dates.js';
import { loadModelInputs } from '../cli/commands/exposures.js';
import {
  assembleExposuresZoo,
  fitPortfolioBlock,
  runExposuresZoo,
  type ExposuresBlock,
  type ExposuresZooFlags,
  type PortfolioResult,
} from './exposures.js';
import { tempDir } from '../../test/tempDir.js';

/**
 * Two assets whose returns are exact lines in the factor mkt: r_A = 0.001 + 2·mkt, r_B = −0.5·mkt.
 * A portfolio holding w_A, w_B has r_p = 0.001·w_A + (2·w_A − 0.5·w_B)·mkt exactly, so its fit
 * recovers those numbers (and a zero beta on an unrelated factor) by hand.
 */
describe('runExposuresZoo', () => {
  it("recovers each portfolio's hand-computed alpha and betas; a bad file is a row with its reason", async () => {
    const dir = tempDir('factorlab-ezoo-');
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

  it('blocks of any size assemble to the one-block table, cell for cell (each portfolio is its own column)', async () => {
    const dir = tempDir('factorlab-ezoo-blocks-');
    const n = 80,
      d0 = 19000;
    const date = (t: number): string => formatIsoDate(d0 + t);
    const mkt = Array.from({ length: n }, (_, t) => 0.01 * Math.sin(1.3 * t + 0.2));
    const assets = ['A', 'B', 'C', 'D'];
    const px = assets.map(() => [100]);
    for (let t = 1; t < n; t++)
      assets.forEach((_, j) => px[j].push(px[j][t - 1] * (1 + 0.0003 * j + (j - 1.5) * mkt[t] + 0.002 * Math.cos(t * (j + 1)))));
    writeFileSync(
      join(dir, 'prices.csv'),
      `date,${assets.join(',')}\n${mkt.map((_, t) => `${date(t)},${px.map((p) => p[t]).join(',')}`).join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'factors.csv'),
      `date,mkt\n${mkt
        .slice(1)
        .map((m, i) => `${date(i + 1)},${m}`)
        .join('\n')}\n`,
    );
    const files: string[] = [];
    for (let k = 0; k < 7; k++) {
      const name = join(dir, `p${k}.csv`);
      files.push(name);
      if (k === 3) continue; // missing: a failure row
      // p5 holds only one month: too few dates to fit (--min-obs), a failure from the fit
      const span = k === 5 ? 1 : n;
      const lines = ['date,asset,weight'];
      for (let t = 0; t < span; t += 20) assets.forEach((a, j) => lines.push(`${date(t)},${a},${((k + j) % 4) + 1}`));
      writeFileSync(name, `${lines.join('\n')}\n`);
    }
    const flags: ExposuresZooFlags = {
      prices: join(dir, 'prices.csv'),
      factors: [join(dir, 'factors.csv')],
      fill: 'ffill',
      weightsMaxAge: 25,
      constant: true,
      neweyWest: true,
      minObs: 30,
      threads: 1,
    };
    const whole = await runExposuresZoo(flags, files);
    expect(whole.rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'ok', 'failed', 'ok']);
    const inputs = await loadModelInputs(flags, () => undefined);
    for (const size of [1, 2, 3, 7]) {
      const blocks: ExposuresBlock[] = [];
      const results: PortfolioResult[] = [];
      for (let k = 0; k < files.length; k += size) {
        // through JSON, as a job's return value travels
        const b = JSON.parse(JSON.stringify(await fitPortfolioBlock(inputs, flags, files.slice(k, k + size)))) as ExposuresBlock;
        blocks.push(b);
        results.push(...b.results);
      }
      const parts = assembleExposuresZoo(files, results, blocks);
      expect(JSON.stringify(parts), `blocks of ${size}`).toBe(JSON.stringify(whole));
    }
  });
});
