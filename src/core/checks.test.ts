import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAllFinite,
  checkInteger,
  checkOneOf,
  checkOptionNames,
  checkPositive,
  checkSameGrid,
  checkShare,
  describeValue,
} from './checks.js';
import { InputError } from './errors.js';

describe('argument checks', () => {
  it('checkOptionNames: a misspelt option names itself, the nearest known name and the list; undefined values pass', () => {
    const known = { horizons: true, quantiles: true, executionLag: true } as const;
    expect(() => checkOptionNames('analyzeFactor options', { horizons: [1], quantiles: 5 }, known)).not.toThrow();
    expect(() => checkOptionNames('analyzeFactor options', undefined, known)).not.toThrow();
    expect(() => checkOptionNames('analyzeFactor options', { horizon: undefined }, known)).not.toThrow();
    expect(() => checkOptionNames('analyzeFactor options', { horizon: [1, 5] }, known)).toThrow(
      'analyzeFactor options: unknown option "horizon" (did you mean "horizons"?)',
    );
    expect(() => checkOptionNames('x', { executionlag: 2 }, known)).toThrow('(did you mean "executionLag"?)');
    expect(() => checkOptionNames('x', { zzzzzz: 1 }, known)).toThrow(/unknown option "zzzzzz"$/m);
    try {
      checkOptionNames('x', { zzzzzz: 1 }, known);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).hint).toBe('the options are horizons, quantiles, executionLag');
    }
    expect(() => checkOptionNames('x', 5, known)).toThrow('x must be an object of options, got 5');
  });

  it('describeValue shows a number as written and anything else with its type', () => {
    expect(describeValue(5)).toBe('5');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue('5')).toBe('"5" (a string)');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue(new Float64Array(3))).toBe('a Float64Array');
  });

  it('checkInteger accepts whole numbers in range and names the argument, the value and the range otherwise', () => {
    expect(checkInteger('window', 5, 1)).toBe(5);
    for (const bad of [0, -1, 1.5, NaN, Infinity, '5', undefined, null]) expect(() => checkInteger('window', bad, 1)).toThrow(InputError);
    expect(() => checkInteger('window', '5', 1)).toThrow('window must be a whole number >= 1, got "5" (a string)');
    expect(() => checkInteger('lags', 9, 0, 8)).toThrow('lags must be a whole number in 0..8, got 9');
  });

  it('checkPositive, checkShare and checkOneOf refuse what a JavaScript caller can pass', () => {
    expect(() => checkPositive('periodsPerYear', 0)).toThrow('periodsPerYear must be a finite number > 0, got 0');
    expect(() => checkPositive('periodsPerYear', Infinity)).toThrow(InputError);
    expect(() => checkPositive('periodsPerYear', '252')).toThrow('got "252" (a string)');
    expect(checkShare('cutoff', 0)).toBe(0);
    expect(() => checkShare('cutoff', 1.5)).toThrow('cutoff must be a number in [0, 1], got 1.5');
    expect(() => checkOneOf('method', 'median', ['equal', 'ic'])).toThrow("method must be one of 'equal', 'ic', got \"median\" (a string)");
  });

  it('any non-finite value is reported with its index', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 20 }),
        fc.nat(),
        fc.constantFrom(NaN, Infinity, -Infinity),
        (xs, at, bad) => {
          const i = xs.length === 0 ? 0 : at % (xs.length + 1);
          const x = [...xs.slice(0, i), bad, ...xs.slice(i)];
          expect(() => checkAllFinite('returns', x, 'fill them')).toThrow(`returns[${i}] is ${bad}`);
          expect(() => checkAllFinite('returns', xs, 'fill them')).not.toThrow();
        },
      ),
    );
  });

  it('checkSameGrid: any difference in shape, a date or an asset throws naming both arguments', () => {
    const a = { dates: Int32Array.from([1, 2, 3]), assets: ['x', 'y'] };
    expect(() => checkSameGrid('factor', a, 'forward', { dates: Int32Array.from([1, 2, 3]), assets: ['x', 'y'] })).not.toThrow();
    expect(() => checkSameGrid('factor', a, 'forward', { dates: Int32Array.from([1, 2]), assets: ['x', 'y'] })).toThrow(
      'forward is 2 dates x 2 assets, factor is 3 x 2',
    );
    expect(() => checkSameGrid('factor', a, 'forward', { dates: Int32Array.from([1, 2, 4]), assets: ['x', 'y'] })).toThrow(
      'forward and factor differ at row 2 (day 4 vs 3)',
    );
    expect(() => checkSameGrid('factor', a, 'forward', { dates: Int32Array.from([1, 2, 3]), assets: ['y', 'x'] })).toThrow(
      'forward and factor differ at column 0 (asset "y" vs "x")',
    );
  });
});
