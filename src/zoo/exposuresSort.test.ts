import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExposuresZooRow } from './exposures.js';
import { parseExposuresSort, sortExposuresRows } from './exposuresSort.js';

const row = (portfolio: string, t_mkt: number | null, status = 'ok'): ExposuresZooRow => ({
  portfolio,
  status,
  nobs: 10,
  t_mkt,
  reason: null,
});

describe('exposures-zoo --sort', () => {
  it('parses COL, COL:asc, COL:desc; numbers largest first, portfolio A to Z by default', () => {
    expect(parseExposuresSort('t_mkt')).toEqual({ column: 't_mkt', descending: true });
    expect(parseExposuresSort('r2:asc')).toEqual({ column: 'r2', descending: false });
    expect(parseExposuresSort('portfolio')).toEqual({ column: 'portfolio', descending: false });
    expect(parseExposuresSort('portfolio:desc')).toEqual({ column: 'portfolio', descending: true });
    for (const bad of ['', 'x:up', 'x:asc:asc', 'status', 'reason'])
      expect(() => parseExposuresSort(bad), bad).toThrow(/--sort takes a column/);
  });

  it('by hand: failed rows last, missing values last, ties by name', () => {
    const rows = [row('b', 1), row('x', null, 'failed'), row('c', null), row('a', 1), row('d', 3)];
    expect(sortExposuresRows(rows, parseExposuresSort('t_mkt')).map((r) => r.portfolio)).toEqual(['d', 'a', 'b', 'c', 'x']);
    expect(sortExposuresRows(rows, parseExposuresSort('t_mkt:asc')).map((r) => r.portfolio)).toEqual(['a', 'b', 'd', 'c', 'x']);
    expect(sortExposuresRows(rows, parseExposuresSort('portfolio:desc')).map((r) => r.portfolio)).toEqual(['d', 'c', 'b', 'a', 'x']);
  });

  it('a column the table lacks is bad input naming the columns it has', () => {
    expect(() => sortExposuresRows([row('a', 1)], parseExposuresSort('t_smb'))).toThrow(/no number column t_smb/);
    expect(sortExposuresRows([], parseExposuresSort('t_smb'))).toEqual([]);
  });

  it('properties: a permutation; ok rows ordered by the column with nulls after; the same whatever the input order', () => {
    const arb = fc.uniqueArray(
      fc.record({ p: fc.string({ minLength: 1, maxLength: 3 }), v: fc.option(fc.integer({ min: -5, max: 5 })), ok: fc.boolean() }),
      { selector: (r) => r.p, maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (spec, desc) => {
        const rows = spec.map((s) => row(s.p, s.v, s.ok ? 'ok' : 'failed'));
        const key = { column: 't_mkt', descending: desc };
        const out = sortExposuresRows(rows, key);
        expect(out.map((r) => r.portfolio).sort()).toEqual(rows.map((r) => r.portfolio).sort());
        expect(sortExposuresRows([...rows].reverse(), key)).toEqual(out);
        const ok = out.filter((r) => r.status === 'ok');
        expect(out.slice(0, ok.length)).toEqual(ok);
        for (let i = 1; i < ok.length; i++) {
          const a = ok[i - 1].t_mkt,
            b = ok[i].t_mkt;
          if (a === null) expect(b).toBeNull();
          else if (b !== null) expect(desc ? a >= b : a <= b).toBe(true);
        }
      }),
    );
  });
});
