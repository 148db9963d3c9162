/**
 * `rolling`'s text table on dates without an exposure (weights that stopped: stale past
 * --weights-max-age; --fill none between the weights' own dates): the cells print n/a, as analyze's
 * and the zoo's tables do (they printed NaN), and a note under the table says why and names the
 * last date with an exposure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('rollingstale');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 200);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D']));
const factors = t.write('factors.csv', factorsCsv(days));
// monthly weights for the first 100 days only: stale from about day 130 on
const weights = t.write(
  'weights.csv',
  `date,A,B,C,D\n${days
    .slice(0, 100)
    .filter((_, i) => i % 21 === 0)
    .map((d) => `${d},0.25,0.25,0.25,0.25`)
    .join('\n')}\n`,
);

describe('rolling: dates without an exposure', () => {
  it('stale weights: n/a in the table, never NaN, and a note with the cause and the last date with an exposure', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', weights, '--window', '40');
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/NaN/);
    expect(r.out).toMatch(new RegExp(`${days[199]} +n/a +n/a +n/a +0`));
    expect(r.out).toMatch(
      /n\/a: 10 dates shown \(from \d{4}-\d\d-\d\d\) hold no weights: the last weights \(\d{4}-\d\d-\d\d\) are older than --weights-max-age there.*the last date with an exposure is \d{4}-\d\d-\d\d.*raise --weights-max-age/,
    );
  });

  it('--fill none: the note says the weights are used on their own dates only', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', weights, '--window', '40', '--fill', 'none');
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/NaN/);
    expect(r.out).toMatch(/n\/a: 10 dates shown .* hold no weights: the weights file has no row on them \(--fill none/);
  });

  it('weights on every date: no n/a note', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', factors, '--weights', 'equal', '--window', '40');
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/n\/a:/);
  });
});
