import { describe, expect, it } from 'vitest';
import { badDate, badDateHint, notANumber, notANumberHint } from './errors.js';

describe('notANumberHint: the hint names the cause', () => {
  it('spellings of missing that are not read as missing, thousands separators, decimal commas, other text', () => {
    for (const v of ['na', 'none', '-', '--', ' - ', '#DIV/0!', '#VALUE!'])
      expect(notANumberHint(v)).toMatch(/is not read as missing here: leave the cell empty or write NA or NaN/);
    expect(notANumberHint('1,234.5')).toMatch(/without thousands separators/);
    expect(notANumberHint('1,5')).toMatch(/a dot for decimals \(1\.5, not 1,5\)/);
    expect(notANumberHint('abc')).toBe('numbers use a dot for decimals; leave the cell empty (or NA, NaN) for a missing value');
    expect(notANumber({ file: 'f.csv', line: 3, column: 'A' }, '-').hint).toBe(notANumberHint('-'));
  });
});

describe('badDateHint: day-first and month-first dates are named', () => {
  it('1/2/2020, 02.01.2020, 1-2-20 cannot be told apart; other text gets the formats', () => {
    for (const v of ['1/2/2020', '02.01.2020', '1-2-20', '12/31/2019 16:00'])
      expect(badDateHint(v)).toMatch(/is month\/day or day\/month, which cannot be told apart: write ISO yyyy-mm-dd/);
    expect(badDateHint('43831')).toMatch(/looks like a spreadsheet's serial day number .* format the column as yyyy-mm-dd/);
    expect(badDateHint('1577923200')).toMatch(/^"1577923200" looks like Unix time in seconds \(2020-01-02T00:00:00Z\): .*unit="s"/);
    expect(badDateHint('1577923200000')).toMatch(/Unix time in milliseconds \(2020-01-02T00:00:00Z\).*unit="ms"/);
    expect(badDateHint('123456789012345')).toBe('dates must be ISO yyyy-mm-dd (a time part is ignored) or yyyymmdd');
    expect(badDateHint('yesterday')).toBe('dates must be ISO yyyy-mm-dd (a time part is ignored) or yyyymmdd');
    expect(badDate('f.csv', 2, 'date', '1/2/2020').hint).toBe(badDateHint('1/2/2020'));
  });
});
