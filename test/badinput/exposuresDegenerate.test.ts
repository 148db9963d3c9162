/**
 * exposures and rolling on factors no regression can separate, flags that would be ignored, and
 * weights naming assets the returns lack: each is named with its cause, never left to a NaN column
 * or a misleading "too few observations".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('degenerate');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 200);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D']));
const r = rng(7);
const rows = days.map((d) => {
  const mkt = 0.01 * r(),
    smb = 0.01 * r(),
    hml = 0.01 * r();
  return { d, mkt, smb, hml };
});
const factorsWith = (name: string, extra: string, f: (x: { mkt: number; smb: number; hml: number }, i: number) => number): string =>
  t.write(
    name,
    `date,mkt_rf,smb,hml,${extra},rf\n${rows.map((x, i) => `${x.d},${x.mkt.toFixed(8)},${x.smb.toFixed(8)},${x.hml.toFixed(8)},${f(x, i).toFixed(8)},0.0001`).join('\n')}\n`,
  );
const collinear = factorsWith('collinear.csv', 'hml2', (x) => 2 * x.hml);
const constant = factorsWith('constant.csv', 'kons', () => 0.001);
const plain = t.write(
  'factors.csv',
  `date,mkt_rf,smb,hml,rf\n${rows.map((x) => `${x.d},${x.mkt.toFixed(8)},${x.smb.toFixed(8)},${x.hml.toFixed(8)},0.0001`).join('\n')}\n`,
);

describe('degenerate factors', () => {
  it('rolling: a factor that is a multiple of another exits 2 naming both (not "too few observations")', async () => {
    const res = await cli('rolling', '--prices', prices, '--factors', collinear, '--weights', 'equal', '--window', '40');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/factor column hml2 is a linear combination of the others \(hml2 ≈ 2·hml \+ a constant\)/);
    expect(res.err).not.toMatch(/observations/);
    expect(res.err).toMatch(/--factor-cols mkt_rf,smb,hml/);
  });

  it('rolling: a constant factor still exits 2 naming it', async () => {
    const res = await cli('rolling', '--prices', prices, '--factors', constant, '--weights', 'equal', '--window', '40');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/factor column kons is constant \(0\.001\)/);
  });

  it('exposures: the text names each dropped regressor and why, beside the NaN column', async () => {
    const a = await cli('exposures', '--prices', prices, '--factors', collinear);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/dropped regressors/);
    expect(a.out).toMatch(
      /hml2: a linear combination of the other regressors and the constant on the sample for every fitted asset \(4 assets\)/,
    );
    const b = await cli('exposures', '--prices', prices, '--factors', constant);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(
      /kons: constant on the sample for every fitted asset \(4 assets\), e\.g\. A, B, C; leave it out with --factor-cols/,
    );
    const c = await cli('exposures', '--prices', prices, '--factors', plain);
    expect(c.out).not.toMatch(/dropped regressors/);
  });
});

describe('the exposure report with a factor dropped for every asset', () => {
  it('exposures --report / --report-data: exit 2 naming the factor (not "check the weights"), nothing written', async () => {
    const html = `${t.dir}/report.html`,
      out = `${t.dir}/report-fit.json`;
    const r = await cli('exposures', '--prices', prices, '--factors', collinear, '--report', html, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the report needs every factor's exposure, but hml2 is a linear combination of the other regressors/);
    expect(r.err).toMatch(/--factor-cols mkt_rf,smb,hml/);
    expect(r.err).not.toMatch(/weights/);
    expect(t.files()).not.toContain('report.html');
    expect(t.files()).not.toContain('report-fit.json');
    const k = await cli('exposures', '--prices', prices, '--factors', constant, '--report-data', '--json');
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/kons is constant on the sample of every fitted asset/);
  });
});

describe('flags that would be ignored', () => {
  it('exposures: --newey-west with a penalised fit exits 2 (a penalised fit has no standard errors)', async () => {
    for (const pen of [
      ['--l2', '0.1'],
      ['--l1', '0.0001'],
    ]) {
      const res = await cli('exposures', '--prices', prices, '--factors', plain, ...pen, '--newey-west');
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/--newey-west gives OLS standard errors; the (ridge|lasso) fit/);
      expect(res.err).toMatch(/drop --newey-west/);
    }
    const out = `${t.dir}/fit.json`;
    const lagged = await cli('exposures', '--prices', prices, '--factors', plain, '--l2', '0.1', '--newey-west', '3', '--out', out);
    expect(lagged.code).toBe(2);
    expect(t.files()).not.toContain('fit.json');
    // --l1 0 --l2 0 is OLS: Newey-West applies
    expect((await cli('exposures', '--prices', prices, '--factors', plain, '--l1', '0', '--newey-west')).code).toBe(0);
  });

  it('exposures and rolling: a negative --factor-scale or --returns-scale exits 2 (it flipped every beta silently)', async () => {
    const a = await cli('exposures', '--prices', prices, '--factors', plain, '--factor-scale', '-1');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--factor-scale must be a positive number \(a unit: 0\.01 for percent\)/);
    const b = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      plain,
      '--weights',
      'equal',
      '--window',
      '40',
      '--factor-scale',
      '-0.01',
    );
    expect(b.code).toBe(2);
    const returns = t.write(
      'returns.csv',
      `date,A,B\n${days.map((d, i) => `${d},${(0.01 * Math.sin(i)).toFixed(5)},${(0.01 * Math.cos(i)).toFixed(5)}`).join('\n')}\n`,
    );
    const c = await cli('exposures', '--returns', returns, '--factors', plain, '--returns-scale', '-1');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--returns-scale must be a positive number/);
  });

  it('rolling: a window longer than a short sample gets a hint inside the valid range', async () => {
    const res = await cli('rolling', '--prices', prices, '--factors', plain, '--weights', 'equal', '--window', '30', '--start', days[193]);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/--window 30 is longer than the 7 dates/);
    expect(res.err).toMatch(/use a --window from 5 to 7/);
  });
});

describe('weights of assets without returns', () => {
  it('rolling: a held asset the returns lack is named in the output', async () => {
    const w = t.write('w.csv', `date,asset,weight\n${days[0]},A,0.5\n${days[0]},B,0.3\n${days[0]},ZZZ,0.2\n`);
    const res = await cli('rolling', '--prices', prices, '--factors', plain, '--weights', w, '--window', '40', '--weights-max-age', '500');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/weights: 1 held asset has no returns and gives no exposure \(not covered\): ZZZ \(up to 20\.0%\)/);
    const ok = t.write('ok.csv', `date,asset,weight\n${days[0]},A,0.5\n${days[0]},B,0.5\n`);
    const fine = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      plain,
      '--weights',
      ok,
      '--window',
      '40',
      '--weights-max-age',
      '500',
    );
    expect(fine.out).not.toMatch(/no returns/);
  });
});

describe('Newey-West lags against a short asset', () => {
  it('exposures --newey-west L: an asset with no more than L observations gets no HAC t, and the output says so', async () => {
    const lines = pricesCsv(days, ['A', 'B', 'C']).trimEnd().split('\n');
    // B has prices on the last 16 dates only: 15 returns
    const short = lines.map((l, i) => (i >= 1 && i <= 184 ? l.replace(/^([^,]+),([^,]+),[^,]+/, '$1,$2,') : l));
    const file = t.write('short.csv', `${short.join('\n')}\n`);
    const out = `${t.dir}/nw.json`;
    const res = await cli('exposures', '--prices', file, '--factors', plain, '--newey-west', '20', '--out', out);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(
      /Newey-West: not computed for 1 asset whose sample is not longer than --newey-west 20 \(e\.g\. B, 15 observations\)/,
    );
    const fit = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) as {
      assets: { asset: string; nw: { lags: number; t: Record<string, number | null> } }[];
    };
    const b = fit.assets.find((a) => a.asset === 'B')!;
    expect(b.nw.lags).toBe(0);
    expect(b.nw.t.mkt_rf).toBeNull();
    expect(fit.assets.find((a) => a.asset === 'A')!.nw.lags).toBe(20);
  });
});

describe('a risk-free column in another unit than the factors', () => {
  it('exposures and rolling: rf in percent beside decimal factors exits 2 naming the column (it moved every alpha silently)', async () => {
    const pct = t.write(
      'rfpct.csv',
      `date,mkt_rf,smb,hml,rf\n${rows.map((x) => `${x.d},${x.mkt.toFixed(8)},${x.smb.toFixed(8)},${x.hml.toFixed(8)},0.0082`).join('\n')}\n`,
    );
    const a = await cli('exposures', '--prices', prices, '--factors', pct);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/the risk-free column rf of --factors .*rfpct\.csv has a median of 0\.0082 per day \(daily\), 683% a year/);
    expect(a.err).toMatch(/divide it by 100/);
    const b = await cli('rolling', '--prices', prices, '--factors', pct, '--weights', 'equal', '--window', '40');
    expect(b.code).toBe(2);
    // a plausible rate (0.0082% a day, about 2% a year) is used as before
    expect((await cli('exposures', '--prices', prices, '--factors', plain)).code).toBe(0);
    // --rf-col none: the column is a regressor, not a rate
    expect((await cli('exposures', '--prices', prices, '--factors', pct, '--rf-col', 'none')).code).toBe(0);
  });
});
