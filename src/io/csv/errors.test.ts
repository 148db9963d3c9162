import { describe, expect, it } from 'vitest';
import { notANumber, notANumberHint } from './errors.js';

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
