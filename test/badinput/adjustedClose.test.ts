/**
 * A long price file with both a close and an adjusted close (Yahoo's long download
 * `Date,Ticker,Open,High,Low,Close,Adj Close,Volume`, a vendor's `close,adj_close`): the returns
 * come from the adjusted close, the total return; the plain close leaves out every dividend, so
 * exposures, ICs and quantile returns came out of a price-only series without a word. The run names
 * the column it took and the flag that picks the other; an explicit flag is obeyed without a note.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('adjclose');
afterAll(() => t.remove());

const dates = weekdays('2021-01-04', 120);
const assets = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
/** Close: a random walk; Adj Close: the close times a factor that rises to 1 (dividends paid back in). */
const long = (() => {
  const r = rng(11);
  const lines = ['Date,Ticker,Open,High,Low,Close,Adj Close,Volume'];
  for (const a of assets) {
    let p = 50;
    dates.forEach((d, i) => {
      p *= 1 + 0.02 * r();
      const adj = p * (0.9 + (0.1 * i) / (dates.length - 1)); // +0.09% a day more than the close
      lines.push(`${d},${a},${p.toFixed(4)},${p.toFixed(4)},${p.toFixed(4)},${p.toFixed(4)},${adj.toFixed(6)},1000`);
    });
  }
  return `${lines.join('\n')}\n`;
})();
const prices = t.write('yahoo_long.csv', long);
const factors = t.write('ff.csv', factorsCsv(dates));

interface Fit {
  assets: { asset: string; coef: Record<string, number> }[];
  notes: string[];
}

describe('a long price file with Close and Adj Close', () => {
  it('exposures regresses the adjusted close’s returns and names the column', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', factors, '--json');
    expect(r.code, r.err).toBe(0);
    const fit = JSON.parse(r.out) as Fit;
    expect(fit.notes).toContain(`prices: column "Adj Close" of ${prices} (also there: "Close"); --value-col NAME to use another`);
    // the same fit as --value-col "Adj Close", which the alpha of the close alone (about 0.09% a day lower) is not
    const adj = JSON.parse(
      (await cli('exposures', '--prices', prices, '--factors', factors, '--value-col', 'Adj Close', '--json')).out,
    ) as Fit;
    const close = JSON.parse(
      (await cli('exposures', '--prices', prices, '--factors', factors, '--value-col', 'Close', '--json')).out,
    ) as Fit;
    expect(fit.assets.map((a) => a.coef)).toEqual(adj.assets.map((a) => a.coef));
    for (let j = 0; j < assets.length; j++) expect(fit.assets[j].coef.const - close.assets[j].coef.const).toBeGreaterThan(0.0005);
    expect(adj.notes.join('\n')).not.toContain('also there');
  });

  it('inspect and analyze read the adjusted close too', async () => {
    const r = await cli('inspect', prices, '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { valueCol: string }).valueCol).toBe('Adj Close');
    const a = await cli('analyze', '--factor', 'momentum:20,1', '--prices', prices, '--horizons', '1');
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain(`prices: column "Adj Close" of ${prices} (also there: "Close"); --price-col NAME to use another`);
    const given = await cli('analyze', '--factor', 'momentum:20,1', '--prices', prices, '--horizons', '1', '--price-col', 'Close');
    expect(given.code, given.err).toBe(0);
    expect(given.out).not.toContain('also there');
  });
});
