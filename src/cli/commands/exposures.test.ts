/**
 * `exposures --out fit.csv|.csv.gz|.parquet` writes the fit's rows from a column-stored Table: the
 * same bytes as the records of `ExposureResults.tableRows`, in every format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Frame } from '../../core/frame.js';
import { Panel } from '../../core/panel.js';
import { FactorExposures } from '../../exposures/factorExposures.js';
import { writeTable } from '../../io/write.js';
import { syntheticMarket } from '../../synthetic/market.js';
import { tempDir } from '../../../test/badinput/helpers.js';
import { exposureFitTable } from './exposures.js';

const market = syntheticMarket({ seed: 7, nAssets: 9, nDates: 140 });
const factors = new Frame(market.dates, [...market.factorReturns.columns, 'rf'], [...market.factorReturns.series, market.rf]);
const m = market.returns.nAssets;
const values = market.returns.values.slice();
for (let t = 3; t < market.returns.nDates; t++) values[t * m + 4] = NaN; // asset 4: too few returns, skipped with a reason
for (let t = 0; t < 30; t++) values[t * m + 1] = NaN; // asset 1: a late listing, a smaller nobs
const returns = new Panel(market.returns.dates, market.returns.assets, values);

function fit(options: { neweyWest?: boolean; crossScore?: string } = {}) {
  const fe = new FactorExposures().addRegressionFactors(factors, { step: false }).addStep(['mkt_rf', 'smb', 'hml']);
  if (options.crossScore !== undefined) fe.addCrossScore(options.crossScore, 'smb');
  return fe.fit(returns, { riskFree: 'rf', neweyWest: options.neweyWest === true });
}

describe('exposureFitTable', () => {
  const tmp = tempDir('exposures-table');
  afterAll(() => tmp.remove());

  it.each([
    ['plain', {}],
    ['Newey-West and a cross score', { neweyWest: true, crossScore: 'smb_rank' }],
  ] as const)('writes the bytes the records of tableRows write, in every format (%s)', async (_, options) => {
    const results = fit(options);
    expect(results.skipped.map((s) => s.asset)).toContain(market.returns.assets[4]);
    for (const skipped of [true, false]) {
      const table = exposureFitTable(results, { skipped });
      expect(table).toBeDefined();
      expect(table?.toRecords()).toEqual(results.tableRows({ skipped }));
      for (const ext of ['csv', 'csv.gz', 'parquet', 'json']) {
        const a = join(tmp.dir, `table-${skipped}.${ext}`),
          b = join(tmp.dir, `records-${skipped}.${ext}`);
        await writeTable(a, table!);
        await writeTable(b, results.tableRows({ skipped }));
        expect(readFileSync(a).equals(readFileSync(b)), `${ext}, skipped ${skipped}`).toBe(true);
      }
    }
  });

  it('leaves to the records a cross score named like an array index (which a record would move first)', () => {
    expect(exposureFitTable(fit({ crossScore: '7' }))).toBeUndefined();
  });
});
