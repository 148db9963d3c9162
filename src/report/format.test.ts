import { describe, expect, it } from 'vitest';
import { formatCount, formatShare, SHARE_NOISE, shareFigure } from './format.js';

describe('formatShare', () => {
  it('is a whole percent when that is not 0% or 100%', () => {
    expect(formatShare(0.5)).toBe('50%');
    expect(formatShare(0.994)).toBe('99%');
    expect(formatShare(0.006)).toBe('1%');
    expect(formatShare(-0.3)).toBe('-30%');
  });
  it('never rounds a part to "0%" or the rest to "100%" (specific 0.4% of the variance, factors 99.6%)', () => {
    expect(formatShare(0.0037)).toBe('0.4%');
    expect(formatShare(0.9963)).toBe('99.6%');
    expect(formatShare(0.00004)).toBe('<0.1%');
    expect(formatShare(0.99996)).toBe('>99.9%');
    expect(formatShare(-0.0004)).toBe('>-0.1%');
  });
  it('rounding noise is 0% (a neutral book\'s factor share of 1e-30 was "<0.1%"); a real small share is still "<0.1%"', () => {
    expect(formatShare(1e-30)).toBe('0%');
    expect(formatShare(-1e-30)).toBe('0%');
    expect(formatShare(9e-13)).toBe('0%');
    expect(formatShare(1 - 1e-15)).toBe('100%');
    expect(formatShare(1e-4)).toBe('<0.1%');
    expect(formatShare(-1e-4)).toBe('>-0.1%');
    expect(formatShare(2e-12)).toBe('<0.1%');
    // the threshold is the CLI's (optimize's SHARE_NOISE), defined again here: the report does not import the CLI
    expect(SHARE_NOISE).toBe(1e-12);
    expect([shareFigure(-1e-30), shareFigure(1e-4), shareFigure(1 - 1e-14), shareFigure(NaN)]).toEqual([0, 1e-4, 1, NaN]);
    expect(shareFigure(null as unknown as number)).toBeNull();
  });
  it('says 0% and 100% only when they are exact (or rounding noise away)', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(NaN)).toBe('n/a');
  });
});

describe('formatCount', () => {
  it('writes thousands separators', () => {
    expect(formatCount(5774)).toBe('5,774');
    expect(formatCount(12)).toBe('12');
    expect(formatCount(Infinity)).toBe('n/a');
  });
});
