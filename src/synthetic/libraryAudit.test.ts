/**
 * The library audit of the synthetic market's public names: a misspelt option, an unknown factor,
 * a calendar length that is not a whole number and the generator's bad arguments are InputErrors
 * naming them (they ran the default, made up a factor, gave one date for 1.5 or threw RangeErrors).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { syntheticCalendar } from './calendar.js';
import { factorModel } from './factors.js';
import { syntheticMarket } from './market.js';
import { Rng } from './random.js';

const bad = <T>(o: object): T => o as unknown as T;

describe('syntheticMarket options', () => {
  it('a misspelt option names the nearest one (the default 300 x 756 market was made)', () => {
    expect(() => syntheticMarket(bad({ assets: 5, days: 30 }))).toThrow('syntheticMarket options: unknown option "assets"');
    expect(() => syntheticMarket(bad({ nAsset: 5 }))).toThrow(/did you mean "nAssets"\?/);
    expect(() => syntheticMarket(7 as never)).toThrow(InputError);
    expect(() => syntheticMarket({ start: 20180102 as never })).toThrow(/option start must be an ISO date/); // a TypeError before
    expect(() => syntheticMarket({ signalIC: '0.05' as never })).toThrow(/option signalIC must be a number/); // coerced before
    expect(() => syntheticMarket({ missingShare: '0' as never })).toThrow(InputError);
    expect(syntheticMarket({ nAssets: 5, nDates: 30, seed: undefined }).assets).toHaveLength(5);
  });

  it('factorModel refuses a factor it does not know (it got 10% volatility and no premium)', () => {
    expect(() => factorModel(['mkt_rf', 'quality'])).toThrow(InputError);
    expect(() => factorModel('mkt_rf' as unknown as string[])).toThrow('factors must be an array of factor names, got "mkt_rf" (a string)');
    expect(factorModel(['hml', 'cma']).annualVol).toEqual(Float64Array.from([0.1, 0.06]));
  });
});

describe('syntheticCalendar', () => {
  it('nDates a whole number >= 0 (-1 was "Invalid typed array length", 1.5 one date)', () => {
    expect(() => syntheticCalendar(19000, -1)).toThrow('nDates must be a whole number >= 0, got -1');
    expect(() => syntheticCalendar(19000, 1.5)).toThrow(InputError);
    expect(() => syntheticCalendar(19000.5, 2)).toThrow(/start must be a whole day number/);
    expect(() => syntheticCalendar(19000, 2, 'no' as unknown as boolean)).toThrow('holidays must be true or false');
    expect(syntheticCalendar(19000, 0)).toEqual(new Int32Array(0));
    expect(syntheticCalendar(19000, 2)).toEqual(Int32Array.from([19002, 19003])); // 2022-01-08 is a Saturday
  });
});

describe('Rng', () => {
  it('bad arguments are InputErrors (RangeErrors before); a negative sd was accepted', () => {
    const r = new Rng(1);
    expect(() => Rng.fromState(0, 0, 0, 0)).toThrow(InputError);
    expect(() => r.int(-3)).toThrow(InputError);
    expect(() => r.choice([])).toThrow(InputError);
    expect(() => r.sampleIndices(-1, 0)).toThrow('Rng.sampleIndices: n must be a whole number >= 0, got -1');
    expect(() => r.sampleIndices(5, 1.5)).toThrow(InputError);
    expect(() => r.normal(0, -1)).toThrow('Rng.normal: sd must be a number >= 0, got -1');
    expect(() => r.normal(0, NaN)).toThrow(InputError);
    expect(new Rng(9).normal(1, 0)).toBe(1);
    expect(new Rng(9).normal(0, 2)).toBe(2 * new Rng(9).normal());
  });
});
