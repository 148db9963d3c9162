import { describe, expect, it } from 'vitest';
import { formatDuration, zooProgressText } from './progress.js';

describe('zooProgressText', () => {
  it('factors done of total, failures, the rate and the time left at that rate', () => {
    // 40 done in 10 s: 4 factors/s, 160 left: 40 s
    expect(zooProgressText(40, 2, 200, 10)).toBe('zoo 40/200 factors (2 failed) | 4.0 factors/s | ETA 40s | 10s');
    // 30 done in 2 s: 15/s, 170 left: 11.33 s
    expect(zooProgressText(30, 0, 200, 2)).toBe('zoo 30/200 factors | 15 factors/s | ETA 11s | 2s');
    expect(zooProgressText(0, 0, 5, 0)).toBe('zoo 0/5 factors | - factors/s | ETA ? | 0s');
  });

  it('durations in s, m and h', () => {
    expect(formatDuration(12.4)).toBe('12s');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('?');
  });
});
