import { afterEach, describe, expect, it, vi } from 'vitest';
import { markStage, markStartup, reportStages, stageTimes } from './timings.js';

describe('CLI stage timings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('stages are consecutive: startup plus every stage is the time up to the last mark, and a stage marked twice adds up', () => {
    markStartup();
    const spin = (ms: number): void => {
      const t = performance.now();
      while (performance.now() - t < ms) {
        /* busy */
      }
    };
    spin(3);
    markStage('read');
    spin(2);
    markStage('compute');
    spin(1);
    markStage('read');
    const s = stageTimes();
    expect(s.read).toBeGreaterThanOrEqual(3.9);
    expect(s.compute).toBeGreaterThanOrEqual(1.9);
    const sum = s.startup + s.read + s.compute;
    expect(sum).toBeLessThanOrEqual(s.total + 0.2);
    expect(s.total - sum).toBeLessThan(50);
    expect(s.startup).toBeGreaterThan(0);
  });

  it('prints one JSON line on stderr only with FACTORLAB_TIMINGS=1', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv('FACTORLAB_TIMINGS', '');
    reportStages();
    expect(write).not.toHaveBeenCalled();
    vi.stubEnv('FACTORLAB_TIMINGS', '1');
    reportStages();
    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0][0]);
    expect(line.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(line) as { factorlab_timings: Record<string, number> };
    expect(Object.keys(parsed.factorlab_timings)).toEqual(expect.arrayContaining(['startup', 'total']));
  });
});
