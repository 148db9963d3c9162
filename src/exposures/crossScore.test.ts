import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { crossScore, makeCrossScore } from './crossScore.js';
import { FactorExposures } from './factorExposures.js';

describe('crossScore', () => {
  it('the seed example: the lowest of four exposures scores 0.25', () => {
    expect(Array.from(crossScore([0.3, -0.2, 0.9, 0.1]))).toEqual([0.75, 0.25, 1, 0.5]);
  });
  it('ties share the mean rank: two lowest of four score (1 + 2)/2/4', () => {
    expect(Array.from(crossScore([0.1, 0.1, 0.5, 0.7]))).toEqual([0.375, 0.375, 0.75, 1]);
    expect(Array.from(crossScore([2, 2, 2, 2]))).toEqual([0.625, 0.625, 0.625, 0.625]);
  });
  it('assets without the exposure score NaN and are not counted in N', () => {
    const s = crossScore([0.4, NaN, -1, 0.2]);
    expect(Number.isNaN(s[1])).toBe(true);
    expect([s[0], s[2], s[3]]).toEqual([1, 1 / 3, 2 / 3]);
  });
  it('property: scores lie in (0, 1], sum to (N + 1)/2, and follow the order of the exposures', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 40 }), (xs) => {
        const s = crossScore(xs);
        const n = xs.length;
        expect(Math.abs(s.reduce((a, v) => a + v, 0) - (n + 1) / 2)).toBeLessThan(1e-9);
        for (let i = 0; i < n; i++) {
          expect(s[i]).toBeGreaterThan(0);
          expect(s[i]).toBeLessThanOrEqual(1);
          for (let j = 0; j < n; j++) if (xs[i] < xs[j]) expect(s[i]).toBeLessThan(s[j]);
        }
      }),
    );
  });
  it('a cross score in a fit ranks the fitted exposure across assets', () => {
    const n = 60;
    const dates = Int32Array.from({ length: n }, (_, t) => t);
    const smb = Float64Array.from({ length: n }, (_, t) => Math.sin(t * 1.3));
    const mkt = Float64Array.from({ length: n }, (_, t) => Math.cos(t * 0.7));
    const betas = [0.5, -0.3, 1.2, 0.1]; // lowest: asset b
    const cols: Record<string, Float64Array> = {};
    betas.forEach((b, j) => {
      cols['abcd'[j]] = Float64Array.from({ length: n }, (_, t) => b * smb[t] + 0.8 * mkt[t] + 0.01 * Math.sin(t * (j + 2)));
    });
    const fit = new FactorExposures()
      .addRegressionFactors(new Frame(dates, ['mkt_rf', 'smb'], [mkt, smb]))
      .addCrossScore('smb_rank', 'smb')
      .fit(Panel.fromColumns(dates, cols));
    expect(fit.exposureNames).toEqual(['mkt_rf', 'smb', 'smb_rank']);
    expect(Array.from(fit.exposures.smb_rank)).toEqual([0.75, 0.25, 1, 0.5]);
  });
  it('makeCrossScore validates its names', () => {
    expect(() => makeCrossScore('', 'smb')).toThrow(/non-empty name/);
    expect(() => makeCrossScore('r', '')).toThrow(/exposure it ranks/);
  });
});
