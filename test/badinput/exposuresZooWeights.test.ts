/**
 * exposures-zoo reads portfolio weights as `rolling --weights` does, and says what rolling says
 * about them: names that differ from the returns' only in case, held assets without returns, a
 * single weights date held up to --weights-max-age, and the weights reader's own notes (a dropped
 * all-empty date, dates moved to the session before). Each line is rolling's, per portfolio.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('zooweights');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const prices = t.write('prices.csv', pricesCsv(days, ['AAPL', 'MSFT', 'XOM']));
const factors = t.write('factors.csv', factorsCsv(days));
const zoo = (...args: string[]) => cli('exposures-zoo', '--prices', prices, '--factors', factors, ...args);
const rolling = (weights: string, ...args: string[]) =>
  cli('rolling', '--prices', prices, '--factors', factors, '--weights', weights, '--window', '40', ...args);
/** The line of `out` matching `re`, without its indent (rolling's and the zoo's notes are indented). */
const lineOf = (out: string, re: RegExp): string | undefined =>
  out
    .split('\n')
    .find((l) => re.test(l))
    ?.trim();

describe('exposures-zoo: what rolling says about the weights', () => {
  it('names that differ from the returns only in case: the hint names the pair, as rolling does', async () => {
    const w = t.write('lower.csv', `date,asset,weight\n${days[0]},aapl,0.5\n${days[0]},msft,0.5\n`);
    const hint = 'the names differ in case (aapl in the weights, AAPL in the returns; 2 names would match)';
    const r = await rolling(w);
    expect(r.code).toBe(2);
    expect(r.err).toContain(hint);
    const z = await zoo(w);
    expect(z.code).toBe(2);
    expect(z.out).toContain(`${w}: no asset of the weights (aapl, msft) has returns; hint: ${hint}`);
    expect(z.out).not.toContain('check --asset-col');
  });

  it('a held asset without returns is named per portfolio, with the note rolling prints', async () => {
    const w = t.write('missing.csv', `date,asset,weight\n${days[0]},AAPL,0.5\n${days[0]},MSFT,0.3\n${days[0]},PG.X,0.2\n`);
    const re = /weights: 1 held asset has no returns and gives no exposure \(not covered\): PG\.X \(up to 20\.0%\)/;
    const r = await rolling(w, '--weights-max-age', '1000');
    expect(r.code).toBe(0);
    const note = lineOf(r.out, re);
    expect(note).toBeDefined();
    const z = await zoo(w, '--weights-max-age', '1000');
    expect(z.code).toBe(0);
    expect(z.out).toContain(`  ${w}: ${note}`);
    // held on every return date: no note on how long they are held
    expect(z.out).not.toMatch(/held at most|weights present/);
    const ok = t.write('ok.csv', `date,asset,weight\n${days[0]},AAPL,0.5\n${days[0]},MSFT,0.5\n`);
    const fine = await zoo(ok, '--weights-max-age', '1000');
    expect(fine.code).toBe(0);
    expect(fine.out).not.toMatch(/no returns/);
  });

  it('a single weights date held up to --weights-max-age: how long, and on what share of the return dates', async () => {
    const w = t.write('single.csv', `date,asset,weight\n${days[0]},AAPL,0.5\n${days[0]},MSFT,0.5\n`);
    const r = await rolling(w);
    expect(r.code).toBe(0);
    const held = lineOf(r.out, /each held at most 252 return rows \(--weights-max-age, default\)/);
    expect(held).toBe(
      `weights: irregular, 1 date (${days[0]} .. ${days[0]}), each held at most 252 return rows (--weights-max-age, default)`,
    );
    const z = await zoo(w);
    expect(z.code).toBe(0);
    expect(z.out).toContain(`  ${w}: ${held}`);
    expect(lineOf(z.out, /weights present/)).toBe(`${w}: weights present (not stale, not all zero) on 84% of 300 return dates`);
  });

  it("the weights reader's notes: a dropped all-empty date, dates moved to the session before", async () => {
    const w = t.write('empty.csv', `date,AAPL,MSFT\n${days[0]},0.5,0.5\n${days[1]},,\n2018-01-06,0.4,0.6\n`);
    const z = await zoo(w, '--weights-max-age', '1000');
    expect(z.code).toBe(0);
    expect(z.out).toContain(`  ${w}: weights: 1 date of ${w} with no weight for any asset (every cell empty) dropped (${days[1]})`);
    expect(z.out).toContain(`  ${w}: weights: 1 of ${w}'s 2 dates fall on days without a return (the first 2018-01-06)`);
  });
});
