import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assetNamesHint, nameMismatch, nameMismatchText } from './assetNames.js';

describe('nameMismatch: why two files name the same assets differently', () => {
  it('exchange suffixes and prefixes (Wind, JoinQuant, Bloomberg, Reuters, TradingView)', () => {
    expect(nameMismatch(['600010.XSHG', '000001.XSHE'], ['600010', '000001', '600519'])).toEqual({
      kind: 'exchange code',
      example: ['600010.XSHG', '600010'],
      count: 2,
    });
    expect(nameMismatch(['600010', '000001'], ['600010.SH', '000001.SZ'])?.kind).toBe('exchange code');
    expect(nameMismatch(['SH600010', 'SZ000001'], ['600010', '000001'])?.kind).toBe('exchange code');
    expect(nameMismatch(['AAPL US Equity', 'MSFT US Equity'], ['AAPL', 'MSFT'])?.example).toEqual(['AAPL US Equity', 'AAPL']);
    expect(nameMismatch(['AAPL.O', 'IBM.N'], ['AAPL', 'IBM'])?.kind).toBe('exchange code');
    expect(nameMismatch(['NASDAQ:AAPL', 'NYSE:IBM'], ['AAPL', 'IBM'])?.kind).toBe('exchange code');
    // both sides suffixed, differently
    expect(nameMismatch(['600010.XSHG'], ['600010.SH'])?.kind).toBe('exchange code');
  });

  it('case, leading zeros and share-class punctuation', () => {
    expect(nameMismatch(['aapl', 'msft'], ['AAPL', 'MSFT'])).toEqual({ kind: 'case', example: ['aapl', 'AAPL'], count: 2 });
    expect(nameMismatch(['1', '2', '600519'], ['000001', '000002', '600519'])).toEqual({
      kind: 'leading zeros',
      example: ['1', '000001'],
      count: 2,
    });
    expect(nameMismatch(['BRK-B', 'BF-B'], ['BRK.B', 'BF.B', 'AAPL'])?.kind).toBe('punctuation');
    expect(nameMismatch(['BRK/B'], ['BRK B'])?.kind).toBe('punctuation');
  });

  it('nothing for unrelated names, for names that all match, and for a pattern that explains under half of the misses', () => {
    expect(nameMismatch(['AAPL', 'MSFT'], ['600010', '000001'])).toBeUndefined();
    expect(nameMismatch(['AAPL'], ['AAPL', 'MSFT'])).toBeUndefined();
    expect(nameMismatch(['aapl', 'X1', 'X2', 'X3'], ['AAPL'])).toBeUndefined();
    expect(nameMismatch(['aapl', 'msft', 'X1'], ['AAPL', 'MSFT'])?.count).toBe(2);
    expect(nameMismatch([], ['AAPL'])).toBeUndefined();
  });

  it('the text names both files, an example, the count and what to do; the hint falls back', () => {
    expect(nameMismatchText(['600010.XSHG'], ['600010'], '--factor f.csv', '--prices p.csv')).toBe(
      'the names differ by an exchange suffix or prefix (600010.XSHG in --factor f.csv, 600010 in --prices p.csv; 1 name would match without it): write the codes the same way in both files (strip or add the exchange)',
    );
    expect(assetNamesHint(['X'], ['Y'], 'a', 'b', 'asset names must match exactly')).toBe('asset names must match exactly');
    // either way round: many index names, a few of them suffixed in the other file
    const index = Array.from({ length: 300 }, (_, i) => `${String(600000 + i)}.XSHG`);
    const pool = index.slice(0, 50).map((n) => n.slice(0, 6));
    expect(nameMismatch(index, pool)).toBeUndefined();
    expect(nameMismatchText(index, pool, '--factor f', '--prices p')).toBe(
      'the names differ by an exchange suffix or prefix (600000 in --prices p, 600000.XSHG in --factor f; 50 names would match without it): write the codes the same way in both files (strip or add the exchange)',
    );
    expect(assetNamesHint(['1'], ['000001'], 'a', 'b', 'fallback')).toContain('leading zeros');
  });

  it('property: a suffix added to every name of a list is always found, and names are never reported against themselves', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,5}$/), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('.XSHG', '.SZ', ' US Equity', '.O'),
        (names, suffix) => {
          const m = nameMismatch(
            names.map((n) => n + suffix),
            names,
          );
          expect(m?.kind).toBe('exchange code');
          expect(m?.count).toBe(names.length);
          expect(nameMismatch(names, names)).toBeUndefined();
        },
      ),
    );
  });
});
