import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { failureReason, factorFlags, naReason, resultFileNames, type ZooAnalyzeFlags } from './factorRun.js';

describe('resultFileNames', () => {
  it('base names, columns and momentum specs as safe file names; repeats numbered in order', () => {
    expect(
      resultFileNames([
        { name: 'a/x.csv', factor: 'a/x.csv' },
        { name: 'b/x.csv', factor: 'b/x.csv' },
        { name: 'm.parquet#value a', factor: 'm.parquet', factorCol: 'value a' },
        { name: 'momentum:252,21', factor: 'momentum:252,21', momentum: true },
        { name: 'c/X.CSV', factor: 'c/X.CSV' },
        { name: '../.hidden.csv', factor: '../.hidden.csv' },
      ]),
    ).toEqual(['x.csv.json', 'x.csv-2.json', 'm.parquet.value_a.json', 'momentum_252_21.json', 'X.CSV-3.json', '_hidden.csv.json']);
  });
});

describe('failureReason', () => {
  it('bad input on one line with its location and hint; anything else is a fault', () => {
    const e = new InputError('file not found', { file: 'f.csv', hint: 'check the path' });
    expect(failureReason(e)).toEqual({ reason: 'f.csv: file not found; hint: check the path', fault: false });
    expect(failureReason(new InputError('lost too much', { hint: 'raise maxLoss', options: ['maxLoss'] })).reason).toBe(
      'lost too much; hint: raise --max-loss',
    );
    expect(failureReason(new TypeError('x is undefined'))).toEqual({ reason: 'internal error: x is undefined', fault: true });
  });
});

describe('factorFlags', () => {
  it('the analyze flags of a factor: the shared flags, its file and column', () => {
    const shared = {
      prices: 'p.csv',
      horizons: [1],
      quantiles: 5,
      universe: 'joint',
      minAssets: 3,
      icThreshold: 0.03,
      executionLag: 0,
      maxLoss: 0.35,
      threads: 1,
    } satisfies ZooAnalyzeFlags;
    expect(factorFlags(shared, { name: 'm.csv#a', factor: 'm.csv', factorCol: 'a' })).toEqual({
      ...shared,
      factor: 'm.csv',
      factorCol: 'a',
    });
    expect(factorFlags(shared, { name: 'f.csv', factor: 'f.csv' })).toEqual({ ...shared, factor: 'f.csv' });
  });
});

describe('naReason', () => {
  it("a factor's n/a statistics take the cause from analyze's no-spread or no-variation note, the no-spread one first", () => {
    const spread = 'no cross-sectional spread: f.csv gives every asset the same value on each formation date, ...';
    const variation = 'no variation over time: at h=1 the IC (1) is the same on every formation date, ...';
    expect(naReason({ notes: ['prices: 3 one-day bad ticks', variation] })).toBe(variation);
    expect(naReason({ notes: [variation, spread] })).toBe(spread);
    expect(naReason({ notes: ['prices: 3 one-day bad ticks'] })).toBeNull();
  });
});
