import { describe, expect, it } from 'vitest';
import { capNotes } from './format.js';

describe('capNotes', () => {
  const where = 'every one in the notes column';
  it('alike notes of many subjects are one line naming the subject generically; a lone note keeps its subject', () => {
    const notes = ['a.csv', 'b.csv', 'c.csv', 'd.csv'].flatMap((s) => [
      { subject: s, text: `weights: 2 of ${s}'s 6 dates fall on days without a return` },
      { subject: s, text: 'weights present on 51% of 756 return dates' },
    ]);
    notes.push({ subject: 'e.csv', text: 'weights: 1 held asset has no returns' });
    expect(capNotes(notes, { max: 10, noun: 'portfolio', where })).toEqual([
      "4 portfolios (a.csv, b.csv, c.csv, ...): weights: 2 of the portfolio's 6 dates fall on days without a return",
      '4 portfolios (a.csv, b.csv, c.csv, ...): weights present on 51% of 756 return dates',
      'e.csv: weights: 1 held asset has no returns',
    ]);
  });

  it('at most max lines, the most shared first, then how many notes on how many subjects are not shown', () => {
    const notes = Array.from({ length: 300 }, (_, i) => ({ subject: `p${i}`, text: `weights stale after day ${i % 150}` }));
    const lines = capNotes(notes, { max: 10, noun: 'portfolio', where });
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('2 portfolios (p0, p150): weights stale after day 0');
    expect(lines[10]).toBe(`... 280 more notes on 280 portfolios (${where})`);
    expect(capNotes([], { max: 10, noun: 'portfolio', where })).toEqual([]);
  });
});
