import { describe, expect, it } from 'vitest';
import { nanNoSpread } from '../stats/descriptive.js';
import { meanTest, summarizeSeries } from './summary.js';

describe('meanTest and summarizeSeries of a series without spread', () => {
  it('a constant nonzero series (an IC of 1 on every date) has t, p, the NW t and p and the IR NaN, not ±Infinity with p = 0', () => {
    for (const c of [1, 0.1, 0.05, -0.3]) {
      const x = new Float64Array(119).fill(c);
      const t = meanTest(x, 1);
      expect(t.n).toBe(119);
      expect(t.mean).toBeCloseTo(c, 15);
      expect(t.std).toBe(0);
      expect(t.tStat).toBeNaN(); // was ±Infinity
      expect(t.pValue).toBeNaN(); // was 0: "significant" at any level
      expect(t.neweyWest.t).toBeNaN(); // was ±Infinity, or 3.5e15 for 0.1 (the mean's rounding)
      expect(t.neweyWest.pValue).toBeNaN();
      const s = summarizeSeries(x, { horizon: 1 });
      for (const k of ['ir', 'irAnnualized', 'tStat', 'pValue', 'tStatNW', 'pValueNW'] as const) expect(s[k], k).toBeNaN();
      // what is defined stays
      expect(s.mean).toBeCloseTo(c, 15);
      expect(s.sharePositive).toBe(c > 0 ? 1 : 0);
      expect(s.meanAbs).toBeCloseTo(Math.abs(c), 15);
      // JSON: null, never "Infinity"
      expect(JSON.stringify(s)).not.toMatch(/Infinity/);
    }
  });

  it('a varying series keeps its numbers (hand: [0.01, 0.05, −0.02, 0.04])', () => {
    const t = meanTest([0.01, NaN, 0.05, -0.02, 0.04], 0);
    // mean 0.02, std sqrt(0.003/3) = 0.0316228, t = 0.02 / (0.0316228 / 2) = 1.26491
    expect(t.tStat).toBeCloseTo(1.2649110640673518, 12);
    expect(t.neweyWest.t).toBeGreaterThan(0);
  });

  it('nanNoSpread: equal values (NaN skipped), zeros and no value have none; a coefficient of variation of 1e-4 has some', () => {
    expect(nanNoSpread([0.1, 0.1, NaN, 0.1], 0.1 + 1e-17)).toBe(true);
    expect(nanNoSpread([0, 0, 0], 0)).toBe(true);
    expect(nanNoSpread([], NaN)).toBe(true);
    expect(nanNoSpread([0.1 + 1e-5, 0.1 - 1e-5], 0.1)).toBe(false);
    expect(nanNoSpread([-1, 1], 0)).toBe(false);
  });
});
