import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { DataLossCounter, enforceMaxLoss, formatDataLoss, makeDataLoss } from './dataLoss.js';

function account(): ReturnType<typeof makeDataLoss> {
  const common = new DataLossCounter(200);
  common.stage('unmatched-date', 10);
  common.stage('no-price', 30);
  const h1 = new DataLossCounter(200, common.left);
  h1.stage('no-forward-return', 4);
  h1.stage('below-min-assets', 6, { droppedDates: 2 });
  const h5 = new DataLossCounter(200, common.left);
  h5.stage('no-forward-return', 40);
  h5.stage('below-min-assets', 0, { droppedDates: 0 });
  return makeDataLoss(common, [
    { horizon: 1, counter: h1 },
    { horizon: 5, counter: h5 },
  ]);
}

describe('data-loss account', () => {
  it('stages are sequential; shares are of the initial count and add up', () => {
    const a = account();
    expect(a.common).toEqual([
      { stage: 'unmatched-date', dropped: 10, remaining: 190, share: 0.05 },
      { stage: 'no-price', dropped: 30, remaining: 160, share: 0.15 },
    ]);
    expect(a.horizons[0]).toMatchObject({ horizon: 1, remaining: 150, totalShare: 0.25 });
    expect(a.horizons[0].stages[1]).toEqual({ stage: 'below-min-assets', dropped: 6, remaining: 150, share: 0.03, droppedDates: 2 });
    expect(a.horizons[1]).toMatchObject({ horizon: 5, remaining: 120, totalShare: 0.4 });
    expect(a.maxShare).toBe(0.4);
    expect(formatDataLoss(a)[0]).toBe('200 factor observations');
    expect(formatDataLoss(a)).toContain('  h=5: 120 used, 40.0% lost');
  });

  it("maxLoss: passes at or below the share, throws above it with the biggest stage's remedy", () => {
    const a = account();
    expect(enforceMaxLoss(a, 0.4)).toBe(a);
    let err: unknown;
    try {
      enforceMaxLoss(a, 0.35);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as InputError).message;
    expect(msg).toContain('40.0% of the 200 factor observations were lost at horizon 5, more than maxLoss 35.0%');
    expect(msg).toContain('unmatched-date 5.0%, no-price 15.0%, no-forward-return 20.0%');
    expect((err as InputError).hint).toMatch(/^no-forward-return: .*shorter horizons/);
    expect(() => enforceMaxLoss(a, 1.5)).toThrow(/\[0, 1\]/);
    expect(() => enforceMaxLoss(makeDataLoss(new DataLossCounter(0), []), 1)).toThrow(/no finite value/);
  });
});
