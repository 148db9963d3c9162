/**
 * What a report says about numbers it cannot draw: a group whose names are too few to rank on
 * any date has no bar in the "IC within each group" chart (Vega drops the category with its
 * value), so the caption names it instead of letting it vanish. And the units of per-period
 * numbers: the per-asset table's alpha and residual volatility are not annualised.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../src/cli/commands/analyze.js';
import { runDemo } from '../../src/cli/commands/demo.js';
import { chartsOf } from '../../src/report/document.js';
import { factorTearSheetDocument } from '../../src/report/tearSheet.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'factorlab-report-captions-'));
  // 12 assets, 60 dates; groups: "big" (9 names), and three groups of one name each
  const assets = Array.from({ length: 12 }, (_, i) => `S${String(i).padStart(2, '0')}`);
  const dates = Array.from({ length: 60 }, (_, t) => new Date(Date.UTC(2021, 0, 4 + t)).toISOString().slice(0, 10));
  let seed = 7;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  const price = assets.map(() => 100);
  const rows = ['date,' + assets.join(',')];
  const factor = ['date,asset,value'];
  for (const d of dates) {
    assets.forEach((a, i) => {
      price[i] *= 1 + 0.02 * rand();
      factor.push(`${d},${a},${rand()}`);
    });
    rows.push(`${d},${price.map((p) => p.toFixed(4)).join(',')}`);
  }
  writeFileSync(join(dir, 'prices.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'factor.csv'), factor.join('\n') + '\n');
  const group = (i: number): string => (i < 9 ? 'big' : ['solo & one', 'solo two', 'solo three'][i - 9]);
  writeFileSync(join(dir, 'groups.csv'), 'asset,group\n' + assets.map((a, i) => `${a},${group(i)}`).join('\n') + '\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tear sheet: groups without an IC', () => {
  it('are named in the caption of the IC-by-group chart', async () => {
    const analysis = await runAnalyze({
      factor: join(dir, 'factor.csv'),
      prices: join(dir, 'prices.csv'),
      groups: join(dir, 'groups.csv'),
      horizons: [1],
      quantiles: 3,
      universe: 'joint',
      minAssets: 3,
      icThreshold: 0.03,
      executionLag: 0,
      maxLoss: 0.35,
      clean: false,
      json: true,
      threads: 1,
      reportData: true,
    });
    const doc = factorTearSheetDocument(analysis);
    const c = chartsOf(doc).find((x) => x.id === 'ic-by-group');
    expect(c).toBeDefined();
    expect(c?.data.group).toHaveLength(4);
    expect(c?.caption).toContain('No IC for 3 of 4 groups');
    for (const g of ['solo & one', 'solo two', 'solo three']) expect(c?.caption).toContain(g);
  });
});

describe('exposure report: per-asset table', () => {
  it('says that alpha and the residual volatility are per period', async () => {
    const out = join(dir, 'demo');
    await runDemo({ out, seed: 5, assets: 30, days: 300, json: true });
    const html = readFileSync(join(out, 'exposures.html'), 'utf8');
    expect(html).toContain('"label":"resid. vol (per period)"');
    expect(html).toContain('alpha and the residual volatility are per period of the returns, not annualised');
  }, 120_000);
});
