import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIsoDate } from '../core/dates.js';
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
});
