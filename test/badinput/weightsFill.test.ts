/** Class 6: weights are carried forward at most --weights-max-age rows, and coverage is honest. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('weights');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C']));
const factors = t.write('factors.csv', factorsCsv(days));
const weightsOn = (name: string, dates: string[]): string =>
  t.write(name, `date,asset,weight\n${dates.flatMap((d) => [`${d},A,0.5`, `${d},B,0.5`]).join('\n')}\n`);

/** Rows of a rolling --out CSV as records. */
function rows(file: string): Record<string, string>[] {
  const [head, ...body] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return body.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('weights fill', () => {
  it('weights dated long before the returns are stale: exit 2 naming both ranges and --weights-max-age', async () => {
    const r = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      weightsOn('old.csv', ['1990-01-31']),
      '--window',
      '60',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /no return date \(2018-01-01 \.\. .*\) has weights within the age limit: the weights cover 1990-01-31 \.\. 1990-01-31/,
    );
    expect(r.err).toMatch(/raise --weights-max-age/);
  });

  it('monthly weights are held 1.5 months by default, then stale; the output states the limit and the coverage', async () => {
    const out = join(t.dir, 'roll.csv');
    const r = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      weightsOn('monthly.csv', ['2018-01-31', '2018-02-28', '2018-03-30']),
      '--window',
      '20',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /weights: monthly, 3 dates \(2018-01-31 \.\. 2018-03-30\), each held at most 32 return rows \(--weights-max-age, default\)/,
    );
    expect(r.out).toMatch(/weights present \(not stale, not all zero\) on \d+% of 300 return dates/);
    const rs = rows(out);
    const at = (d: string): Record<string, string> => rs.find((x) => x.date === d) as Record<string, string>;
    expect(Number(at('2018-04-30').covered_weight)).toBe(1); // 21 rows after 2018-03-30
    expect(at('2018-05-31').covered_weight).toBe(''); // 44 rows after: stale
    expect(rs.filter((x) => x.mkt_rf !== '' && x.date > '2018-06-01')).toEqual([]);
  });

  it('--weights-max-age shortens and lengthens the hold; --fill none uses the weights dates only', async () => {
    const w = weightsOn('single.csv', ['2018-03-01']);
    const short = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      w,
      '--window',
      '20',
      '--weights-max-age',
      '5',
      '--out',
      join(t.dir, 's.csv'),
    );
    expect(short.code, short.err).toBe(0);
    expect(
      rows(join(t.dir, 's.csv'))
        .filter((x) => x.covered_weight !== '')
        .map((x) => x.date),
    ).toEqual(['2018-03-01', '2018-03-02', '2018-03-05', '2018-03-06', '2018-03-07', '2018-03-08']);
    const none = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      w,
      '--window',
      '20',
      '--fill',
      'none',
      '--out',
      join(t.dir, 'n.csv'),
    );
    expect(none.code, none.err).toBe(0);
    expect(none.out).toMatch(/used only on their own dates \(--fill none\)/);
    expect(
      rows(join(t.dir, 'n.csv'))
        .filter((x) => x.covered_weight !== '')
        .map((x) => x.date),
    ).toEqual(['2018-03-01']);
  });

  it('--weights-max-age must be a whole number >= 0', async () => {
    const r = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      'equal',
      '--window',
      '20',
      '--weights-max-age',
      '-1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--weights-max-age must be a whole number >= 0/);
  });
});
