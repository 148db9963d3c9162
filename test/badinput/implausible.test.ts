/** Class 4: inputs that cannot be what they claim. */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('implausible');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C'], 1, ['C']));
const factors = t.write('factors.csv', factorsCsv(days));
const percent = t.write('percent.csv', factorsCsv(days, 2, 100));
const upperRf = t.write('upper.csv', factorsCsv(days, 2, 1, 'RF'));

describe('implausible inputs', () => {
  it('a price file passed as --returns exits 2 and names --prices', async () => {
    const r = await cli('exposures', '--returns', prices, '--factors', factors);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the values look like prices, not returns/);
    expect(r.err).toMatch(/pass the file as --prices .*prices\.csv/);
  });

  it('a returns file passed as --prices exits 2 at the cell, naming --returns (exposures) or what --prices takes (analyze)', async () => {
    const rets = t.write(
      'rets.csv',
      ['date,A,B', ...days.slice(0, 30).map((d, i) => `${d},${i === 3 ? '-0.01' : '0.02'},0.01`)].join('\n') + '\n',
    );
    const r = await cli('exposures', '--prices', rets, '--factors', factors);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rets\.csv:5, column "A".*price is zero or negative \(value: "-0\.01"\)/);
    expect(r.err).toMatch(/if .*rets\.csv holds returns, pass it as --returns .*rets\.csv/);
    expect(r.err).not.toMatch(/kind "returns"/);
    const a = await cli('analyze', '--prices', rets, '--factor', rets);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/price is zero or negative/);
    expect(a.err).toMatch(/give close or adjusted-close prices/);
  });

  it('percent factors without --factor-scale exit 2 naming the column and both scales', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', percent);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/column "mkt_rf": --factors .*percent\.csv: the daily values of mkt_rf look like percent/);
    expect(r.err).toMatch(/--factor-scale 0\.01 .* --factor-scale 1/);
    const ok = await cli('exposures', '--prices', prices, '--factors', percent, '--factor-scale', '0.01', '--json');
    expect(ok.code, ok.err).toBe(0);
    const forced = await cli('exposures', '--prices', prices, '--factors', percent, '--factor-scale', '1', '--json');
    expect(forced.code, forced.err).toBe(0);
  });

  it('constant prices are skipped with the reason, never fitted with a huge t', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', factors, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { assets: { asset: string }[]; skipped: { asset: string; reason: string }[] };
    expect(j.assets.map((a) => a.asset)).toEqual(['A', 'B']);
    expect(j.skipped).toEqual([
      { asset: 'C', reason: expect.stringMatching(/returns are constant \(0\) on every date: no variance to explain/) as unknown },
    ]);
  });

  it('a risk-free column named RF is subtracted, not regressed on; --rf-col and --factor-cols ignore case', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', upperRf, '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { factors: string[] }).factors).toEqual(['mkt_rf', 'smb']);
    const lower = await cli('exposures', '--prices', prices, '--factors', factors, '--json');
    expect((JSON.parse(r.out) as { assets: unknown }).assets).toEqual((JSON.parse(lower.out) as { assets: unknown }).assets);
    const cols = await cli('exposures', '--prices', prices, '--factors', upperRf, '--rf-col', 'rf', '--factor-cols', 'MKT_RF', '--json');
    expect(cols.code, cols.err).toBe(0);
    expect((JSON.parse(cols.out) as { factors: string[] }).factors).toEqual(['mkt_rf']);
    const none = await cli('exposures', '--prices', prices, '--factors', upperRf, '--factor-cols', 'hml');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no factor column hml[\s\S]*--factor-cols takes some of mkt_rf, smb, RF/);
  });

  it('a binary file shows no raw bytes in the message', async () => {
    const png = t.write(
      'image.csv',
      '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0001\u0000garbage\u0007\u0008,more\n1,2\n',
    );
    const r = await cli('exposures', '--returns', png, '--factors', factors);
    expect(r.code).toBe(2);
    expect(
      [...r.err.replaceAll('\n', '')].some((c) => {
        const k = c.codePointAt(0) ?? 0;
        return k < 0x20 || (k >= 0x7f && k <= 0x9f) || k === 0xfffd;
      }),
    ).toBe(false);
  });

  it('nothing is left behind', () => {
    expect(t.files()).toEqual(['factors.csv', 'image.csv', 'percent.csv', 'prices.csv', 'rets.csv', 'upper.csv']);
  });
});
