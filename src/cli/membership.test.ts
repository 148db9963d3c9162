import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { readMembership } from './membership.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-membership-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readMembership', () => {
  it('reads ticker,start,end with a blank end for current members, start <= t < end', () => {
    const m = readMembership(file('plain.csv', 'ticker,start_date,end_date\nA,2020-01-01,\nB,2020-01-01,2020-06-30\n'));
    expect(m).toEqual([
      { asset: 'A', start: parseIsoDate('2020-01-01') },
      { asset: 'B', start: parseIsoDate('2020-01-01'), end: parseIsoDate('2020-06-30') },
    ]);
  });

  it('takes the dates a panel takes (2020-1-1) and refuses a time in UTC that is not midnight', () => {
    const m = readMembership(file('shapes.csv', 'ticker,start,end\nA,2020-1-1,2020/6/30\nB,2020-01-01T00:00:00Z,\n'));
    expect(m).toEqual([
      { asset: 'A', start: parseIsoDate('2020-01-01'), end: parseIsoDate('2020-06-30') },
      { asset: 'B', start: parseIsoDate('2020-01-01') },
    ]);
    expect(() => readMembership(file('utc.csv', 'ticker,start,end\nA,2020-01-01T21:00:00Z,\n'))).toThrow(/the start date is not a date/);
  });

  it("takes the ticker column over a company-name column before it (the header's order does not decide)", () => {
    const m = readMembership(file('named.csv', 'name,ticker,start,end\nAlpha Inc,A,2020-01-01,\n'));
    expect(m.map((x) => x.asset)).toEqual(['A']);
  });

  it('refuses a line with more cells than the header (an unquoted comma shifted them); trailing empty cells are fine', () => {
    expect(() => readMembership(file('extra.csv', 'ticker,start,end\nBerkshire, Inc.,2020-01-01,2020-06-30\n'))).toThrow(
      /extra\.csv:2: the line has 4 cells and the header 3/,
    );
    expect(readMembership(file('trailing.csv', 'ticker,start,end\nA,2020-01-01,,,\n'))).toHaveLength(1);
    expect(readMembership(file('quoted.csv', 'ticker,start,end\n"BRK,B",2020-01-01,\n'))[0].asset).toBe('BRK,B');
  });

  it('an empty file says so', () => {
    expect(() => readMembership(file('empty.csv', '\n'))).toThrow(/empty\.csv: the membership file is empty/);
  });

  it('a ticker that left and re-joined has a line per spell: disjoint or touching spells are read as they are', () => {
    const m = readMembership(
      file(
        'spells.csv',
        'ticker,start,end\nAAL,1996-01-02,1997-01-15\nAAL,2015-03-23,2024-09-23\nB,2020-01-01,2020-06-01\nB,2020-06-01,\n',
      ),
    );
    expect(m).toHaveLength(4);
    expect(m.filter((x) => x.asset === 'B').map((x) => x.end)).toEqual([parseIsoDate('2020-06-01'), undefined]);
  });

  it('two overlapping spells of one ticker are refused naming the ticker and both lines (the union was taken in silence)', () => {
    expect(() =>
      readMembership(file('overlap.csv', 'ticker,start,end\nA,2020-01-01,2020-12-31\nB,2020-01-01,\nA,2020-06-01,2021-06-01\n')),
    ).toThrow(
      'overlap.csv:4, asset A: ticker A has overlapping membership intervals: line 2 (2020-01-01 .. 2020-12-31) and line 4 (2020-06-01 .. 2021-06-01)',
    );
    // an open spell overlaps every later one; found whatever the lines' order
    expect(() => readMembership(file('open.csv', 'ticker,start,end\nA,2021-01-01,2021-02-01\nA,2020-01-01,\n'))).toThrow(
      'open.csv:3, asset A: ticker A has overlapping membership intervals: line 2 (2021-01-01 .. 2021-02-01) and line 3 (2020-01-01 .. (no end))',
    );
    // a spell inside another, with a disjoint one between them in the sort
    expect(() =>
      readMembership(file('inside.csv', 'ticker,start,end\nA,2010-01-01,2020-01-01\nA,2012-01-01,2013-01-01\nA,2021-01-01,\n')),
    ).toThrow(/inside\.csv:3, asset A: ticker A has overlapping membership intervals: line 2 .* and line 3/);
    try {
      readMembership(file('overlap.csv', 'ticker,start,end\nA,2020-01-01,2020-12-31\nA,2020-06-01,2021-06-01\n'));
    } catch (e) {
      expect((e as InputError).hint).toMatch(/merge the two lines into one \(the earlier start, the later end\)/);
    }
  });

  it('a repeated line is refused naming both lines', () => {
    expect(() => readMembership(file('twice.csv', 'ticker,start,end\nA,2020-01-01,\nB,2020-01-01,\nA,2020-01-01,\n'))).toThrow(
      'twice.csv:4, asset A: ticker A has the same membership interval (2020-01-01 .. (no end)) on lines 2 and 4',
    );
  });

  it('a bad line names its line: an empty ticker, a start or end that is not a date, an end not after the start, missing columns', () => {
    const cases: [string, string, RegExp][] = [
      ['noticker.csv', 'ticker,start,end\nA,2020-01-01,\n,2020-01-01,\n', /noticker\.csv:3: empty ticker/],
      [
        'badstart.csv',
        'ticker,start,end\nA,2020-02-30,\n',
        /badstart\.csv:2, asset A: the start date is not a date .*\(value: "2020-02-30"\)/,
      ],
      ['nostart.csv', 'ticker,start,end\nA,,2020-01-01\n', /nostart\.csv:2, asset A: the start date is not a date/],
      [
        'badend.csv',
        'ticker,start,end\nA,2020-01-01,soon\n',
        /badend\.csv:2, asset A: the end date is not a date .*blank for a current member.*\(value: "soon"\)/,
      ],
      [
        'sameday.csv',
        'ticker,start,end\nA,2020-01-01,2020-01-01\n',
        /sameday\.csv:2, asset A: the end date 2020-01-01 is not after the start date 2020-01-01/,
      ],
      [
        'noend.csv',
        'ticker,start\nA,2020-01-01\n',
        /noend\.csv:1: a membership file needs ticker, start and end columns; the columns are: ticker,start; missing: an end column \(end, end_date, to, removed or date_removed\)\n/,
      ],
      ['headeronly.csv', 'ticker,start,end\n', /headeronly\.csv: the membership file has a header but no intervals/],
    ];
    for (const [name, text, message] of cases) {
      let caught: unknown;
      try {
        readMembership(file(name, text));
      } catch (e) {
        caught = e;
      }
      expect(caught, name).toBeInstanceOf(InputError);
      expect((caught as InputError).message).toMatch(message);
    }
  });
});
