import { describe, expect, it } from 'vitest';
import { notANumber, notANumberHint } from './errors.js';

describe('notANumberHint: the hint names the cause', () => {
  it('missing-value spellings of other tools, thousands separators, decimal commas, other text', () => {
    for (const v of ['NA', 'N/A', '#N/A', 'NULL', 'null', 'None', '<NA>', '-', ' NA '])
      expect(notANumberHint(v)).toMatch(/is not read as missing here: leave the cell empty or write NaN/);
    expect(notANumberHint('1,234.5')).toMatch(/without thousands separators/);
    expect(notANumberHint('1,5')).toMatch(/a dot for decimals \(1\.5, not 1,5\)/);
    expect(notANumberHint('abc')).toBe('numbers use a dot for decimals; leave the cell empty (or NaN) for a missing value');
    expect(notANumber({ file: 'f.csv', line: 3, column: 'A' }, 'NA').hint).toBe(notANumberHint('NA'));
  });
});
