/**
 * `factorlab backtest --rule industry-neutral` with industries it cannot fill: an industry of one
 * name (or fewer names than the quantiles need) has an empty quantile, and the rule scales the other
 * industries up to fill the book, so the book is not neutral to it. Before, that happened in
 * silence (on the SSE 50 sample, 12 one-name industries: 25% of the benchmark's industry weight);
 * now a warning gives the share and the industries. Price assets without an industry get a note.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-industry');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 30);
const assets = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 3 + j * 5) % 17) + 1}`)).join('\n')}\n`,
);
const base = ['backtest', '--prices', prices, '--factor', factor, '--rule', 'industry-neutral', '--quantiles', '2'];

describe('backtest --rule industry-neutral: industries it cannot fill', () => {
  it('a one-name industry: a warning with its share of the benchmark weight; the book holds the others only', async () => {
    // x: A B C, y: D E F, z: G alone (1 of 7 names)
    const groups = t.write('groups.csv', 'asset,group\nA,x\nB,x\nC,x\nD,y\nE,y\nF,y\nG,z\n');
    const r = await cli(...base, '--groups', groups, '--json');
    expect(r.code, r.err).toBe(0);
    const w =
      /industry-neutral: on 5 of 5 rebalances some industries held no name \(too few names for --quantiles 2, or no two different factor values among them: a one-name industry always\), 14\.3% of the benchmark's industry weight on average \(the first 2020-01-10: z\); the other industries were scaled up to fill the book, so it is not neutral to them/;
    expect(r.err).toMatch(w);
    const j = JSON.parse(r.out) as { notes: string[]; rebalances: { weights: { asset: string }[] }[] };
    expect(j.notes.some((n) => w.test(n))).toBe(true);
    expect(j.rebalances.every((x) => x.weights.every((y) => y.asset !== 'G'))).toBe(true);
  });

  it('industry weights from a file: the share is of those weights', async () => {
    const groups = t.write('groups2.csv', 'asset,group\nA,x\nB,x\nC,x\nD,y\nE,y\nF,y\nG,z\n');
    const weights = t.write('iw.csv', 'group,weight\nx,0.5\ny,0.3\nz,0.2\n');
    const r = await cli(...base, '--groups', groups, '--industry-weights', weights, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/20% of the benchmark's industry weight on average \(the first 2020-01-10: z\)/);
  });

  it('price assets without an industry: a note naming them; industries that fill: no warning', async () => {
    const groups = t.write('groups3.csv', 'asset,group\nA,x\nB,x\nC,x\nD,y\nE,y\nF,y\n');
    const r = await cli(...base, '--groups', groups, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect((JSON.parse(r.out) as { notes: string[] }).notes).toContain(
      `groups: 1 of the 7 price assets has no industry in ${groups} (G): industry-neutral never holds it`,
    );
  });
});
