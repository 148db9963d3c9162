/**
 * `exposures` states the dates it fitted. Return dates without a value of every factor (factors
 * that end before the prices, a merged file whose RMW column starts in 1963) are not regressed;
 * they used to stay in the fit's calendar, so the headline and the JSON `dates` claimed a range the
 * fit never saw (`2013-02-08 .. 2018-02-07` for a fit that stopped on 2016-12-30), without a note.
 * Now the range is the covered one, a note names the column and date that limit it, dates inside it
 * without every value are counted, and no covered date at all is exit 2 naming each column's range.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('coverage');
afterAll(() => t.remove());

const dates = weekdays('2021-01-04', 160);
const assets = Array.from({ length: 8 }, (_, i) => `A${i}`);
const prices = t.write('prices.csv', pricesCsv(dates, assets, 5));

/** Decimal factors mkt_rf, smb, rf on `dates`; `blank(col, i)` leaves a cell empty. */
function factorsCsv(on: readonly string[], blank: (col: string, i: number) => boolean = () => false): string {
  const r = rng(9);
  const cell = (col: string, i: number, v: string): string => (blank(col, i) ? '' : v);
  const lines = ['date,mkt_rf,smb,rf'];
  on.forEach((d, i) =>
    lines.push(`${d},${cell('mkt_rf', i, (0.01 * r()).toFixed(6))},${cell('smb', i, (0.01 * r()).toFixed(6))},${cell('rf', i, '0.0001')}`),
  );
  return `${lines.join('\n')}\n`;
}

interface FitJson {
  dates: { start: string; end: string; count: number };
  assets: { asset: string; nobs: number; coef: Record<string, number> }[];
  notes: string[];
}

const fitOf = async (...args: string[]): Promise<FitJson> => {
  const r = await cli('exposures', '--prices', prices, ...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as FitJson;
};

describe('exposures: the dates it states are the dates it fitted', () => {
  it('factors that end before the prices: the range ends on the last factor date, with a note; the same fit as --end there', async () => {
    const short = t.write('short.csv', factorsCsv(dates.slice(0, 100)));
    const fit = await fitOf('--factors', short);
    // the first price date has no return: the fit starts on the second
    expect(fit.dates).toEqual({ start: dates[1], end: dates[99], count: 99 });
    expect(fit.notes).toContain(
      `--prices ${prices}: 60 return dates after ${dates[99]} (the factors end ${dates[99]}) have no value of every factor of --factors ${short}: not fitted, so the fit covers ${dates[1]} .. ${dates[99]}`,
    );
    const cut = await fitOf('--factors', short, '--end', dates[99]);
    expect(fit.assets).toEqual(cut.assets);
    expect(fit.assets[0].nobs).toBe(99);
    const text = await cli('exposures', '--prices', prices, '--factors', short);
    expect(text.out).toContain(`OLS of 8 assets on mkt_rf, smb, ${dates[1]} .. ${dates[99]}`);
  });

  it('a column that starts later (a merged file with blanks): the range starts on its first value, named in the note', async () => {
    const merged = t.write(
      'merged.csv',
      factorsCsv(dates, (c, i) => c === 'smb' && i < 40),
    );
    const fit = await fitOf('--factors', merged);
    expect(fit.dates.start).toBe(dates[40]);
    expect(fit.dates.count).toBe(120);
    expect(fit.notes.join('\n')).toContain(`39 return dates before ${dates[40]} (smb starts ${dates[40]})`);
    // only mkt_rf: every date is covered, no note
    const one = await fitOf('--factors', merged, '--factor-cols', 'mkt_rf');
    expect(one.dates.start).toBe(dates[1]);
    expect(one.notes.join('\n')).not.toContain('not fitted');
  });

  it('one return date past the factors: "1 return date ... has"', async () => {
    const one = t.write('one.csv', factorsCsv(dates.slice(0, 159)));
    const fit = await fitOf('--factors', one);
    expect(fit.notes.join('\n')).toContain(
      `1 return date after ${dates[158]} (the factors end ${dates[158]}) has no value of every factor`,
    );
  });

  it('blank cells inside the range are counted and named', async () => {
    const holes = t.write(
      'holes.csv',
      factorsCsv(dates, (c, i) => c === 'mkt_rf' && (i === 50 || i === 70)),
    );
    const fit = await fitOf('--factors', holes);
    expect(fit.dates).toEqual({ start: dates[1], end: dates[159], count: 159 });
    expect(fit.notes).toContain(
      `--factors ${holes}: 2 dates inside the fit lack a value of mkt_rf (the first ${dates[50]}), so those returns are left out of every regression`,
    );
    expect(fit.assets[0].nobs).toBe(157);
  });

  it('rolling stops on the last date with every factor value: windows past it held fewer and fewer factor rows', async () => {
    const short = t.write('short_rolling.csv', factorsCsv(dates.slice(0, 100)));
    const out = t.write('rolling.csv', '');
    const r = await cli('rolling', '--prices', prices, '--factors', short, '--weights', 'equal', '--window', '20', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`60 return dates after ${dates[99]} (the factors end ${dates[99]})`);
    const cut = t.write('rolling_cut.csv', '');
    const c = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      short,
      '--weights',
      'equal',
      '--window',
      '20',
      '--end',
      dates[99],
      '--out',
      cut,
    );
    expect(c.code, c.err).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows.at(-1)?.startsWith(`${dates[99]},`)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(cut, 'utf8'));
  });

  it('factors without a risk-free column: a note says the returns are regressed raw (none with --rf-col none)', async () => {
    const norf = t.write(
      'norf.csv',
      factorsCsv(dates)
        .replace(/,rf\n/, '\n')
        .replace(/,0\.0001\n/g, '\n'),
    );
    const fit = await fitOf('--factors', norf);
    expect(fit.notes).toContain(
      `no risk-free column (rf) among the factors of --factors ${norf}: the returns are regressed as they are, not in excess of a risk-free rate; add an rf column, or name one with --rf-col`,
    );
    const with_ = await fitOf('--factors', t.write('withrf.csv', factorsCsv(dates)));
    expect(with_.notes.join('\n')).not.toContain('no risk-free column');
    const r = await cli('rolling', '--prices', prices, '--factors', norf, '--weights', 'equal', '--window', '30', '--rf-col', 'none');
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('no risk-free column');
    const plain = await cli('rolling', '--prices', prices, '--factors', norf, '--weights', 'equal', '--window', '30');
    expect(plain.out).toContain('no risk-free column (rf)');
  });

  it('no return date with every factor value: exit 2 naming each column’s range', async () => {
    const late = t.write(
      'late.csv',
      factorsCsv(dates, (c, i) => c === 'smb' && i < 150),
    );
    const r = await cli('exposures', '--prices', prices, '--factors', late, '--end', dates[120]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `has a value of every factor in --factors ${late} (mkt_rf ${dates[0]} .. ${dates[159]}, smb ${dates[150]} .. ${dates[159]}`,
    );
    expect(r.err).toContain('--factor-cols');
  });
});
