/** Class 4: inputs that cannot be what they claim. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    const i = await cli('inspect', rets, '--kind', 'prices');
    expect(i.code).toBe(2);
    expect(i.err).toMatch(/price is zero or negative/);
    expect(i.err).toMatch(/add --kind returns/);
  });

  it('percent returns (or scores) as --returns exit 2 naming --returns-scale; with it, the betas of the decimal file', async () => {
    const lines = pricesCsv(days, ['A', 'B', 'C'], 1, ['C']).trim().split('\n');
    const rows = lines.slice(1).map((l) => l.split(','));
    const rets = (k: number): string =>
      [
        lines[0],
        ...rows
          .slice(1)
          .map((r, i) =>
            [r[0], ...r.slice(1).map((v, j) => String((k * (Number(v) - Number(rows[i][j + 1]))) / Number(rows[i][j + 1])))].join(','),
          ),
      ].join('\n') + '\n';
    const dec = t.write('rets_dec.csv', rets(1));
    const pct = t.write('rets_pct.csv', rets(100));
    const r = await cli('exposures', '--returns', pct, '--factors', factors);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--returns .*rets_pct\.csv: the daily values look like percent, or are not returns \(median \|value\| /);
    expect(r.err).toMatch(/--returns-scale 0\.01 .* --returns-scale 1/);
    const a = await cli('exposures', '--returns', dec, '--factors', factors, '--json');
    const b = await cli('exposures', '--returns', pct, '--factors', factors, '--returns-scale', '0.01', '--json');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const beta = (out: string): number => (JSON.parse(out) as { assets: { coef: Record<string, number> }[] }).assets[0].coef.mkt_rf;
    expect(beta(b.out)).toBeCloseTo(beta(a.out), 10);
    const w = await cli('exposures', '--prices', prices, '--factors', factors, '--returns-scale', '1');
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/--returns-scale scales a --returns file/);
  });

  it('prices as --factors exit 2 saying so (not "percent")', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', prices);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--factors .*prices\.csv: the values look like prices or levels, not factor returns/);
    expect(r.err).not.toMatch(/percent/);
  });

  it('a Ken French layout already in decimal exits 2; --factor-scale 1 reads it as written, like the same file in plain CSV', async () => {
    const dec = factorsCsv(days).trim().split('\n');
    const kf = t.write(
      'kf_decimal.csv',
      ['Date,Mkt-RF,SMB,RF', ...dec.slice(1).map((l) => l.replace(/^(\d{4})-(\d{2})-(\d{2})/, '$1$2$3'))].join('\n') + '\n',
    );
    const r = await cli('exposures', '--prices', prices, '--factors', kf);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a Ken French layout whose values look decimal already/);
    expect(r.err).toMatch(/--factor-scale 1 .* --factor-scale 0\.01/);
    const swapped = await cli('exposures', '--prices', kf, '--factors', factors);
    expect(swapped.code).toBe(2);
    expect(swapped.err).toMatch(/kf_decimal\.csv: this is a Ken French factor file .* not a panel of asset values/);
    expect(swapped.err).toMatch(/pass it as --factors .*kf_decimal\.csv/);
    const a = await cli('exposures', '--prices', prices, '--factors', kf, '--factor-scale', '1', '--json');
    const b = await cli('exposures', '--prices', prices, '--factors', factors, '--json');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const fits = (out: string): unknown => (JSON.parse(out) as { assets: unknown[] }).assets;
    expect(fits(a.out)).toEqual(fits(b.out));
    // inspect too: it printed the file divided by 100 again with exit 0 ("decimal, converted from percent")
    const i = await cli('inspect', kf);
    expect(i.code).toBe(2);
    expect(i.err).toMatch(/kf_decimal\.csv: a Ken French layout whose values look decimal already/);
    const out = join(t.dir, 'kf_written.csv');
    const ok = await cli('inspect', kf, '--factor-scale', '1', '--out', out);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/Ken French factors: mkt_rf, smb, rf \(x 1 \(--factor-scale\)\)/);
    const [written, given] = [readFileSync(out, 'utf8').split('\n')[1], dec[1]].map((l) => l.split(',').map(Number));
    expect(written).toEqual(given.map((v, k) => (k === 0 ? written[0] : v)));
    const notKf = await cli('inspect', factors, '--factor-scale', '1');
    expect(notKf.code).toBe(2);
    expect(notKf.err).toMatch(/--factor-scale applies to Ken French factor files only/);
  });

  it('a Newey-West lag not below the sample exits 2 naming --newey-west and the default', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', factors, '--newey-west', '10000');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--newey-west 10000: the lag is not below the \d+ return dates/);
    expect(r.err).toMatch(/the default, .* is \d+ for n = \d+/);
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
    // the CSV keeps C's row, with the reason in a skipped column
    const out = `${t.dir}/fit-skipped.csv`;
    const c = await cli('exposures', '--prices', prices, '--factors', factors, '--out', out);
    expect(c.code, c.err).toBe(0);
    const { readFileSync, rmSync } = await import('node:fs');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    rmSync(out);
    expect(lines[0].startsWith('asset,nobs,skipped,')).toBe(true);
    expect(lines[1]).toMatch(/^A,\d+,,/);
    expect(lines[3]).toMatch(/^C,\d+,"?its returns are constant \(0\) on every date/);
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
    expect(t.files()).toEqual([
      'factors.csv',
      'image.csv',
      'kf_decimal.csv',
      'kf_written.csv',
      'percent.csv',
      'prices.csv',
      'rets.csv',
      'rets_dec.csv',
      'rets_pct.csv',
      'upper.csv',
    ]);
  });
});
