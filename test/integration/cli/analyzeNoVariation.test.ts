/**
 * `factorlab analyze` on a factor whose IC never varies (the next return itself: an IC of 1 on
 * every date): the t-values, p-values and IR are n/a with a note naming the cause, in the text, the
 * JSON (null, and p-values null instead of 0) and the tear sheet; never Infinity.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { tempDir } from '../../tempDir.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

const dir = tempDir('factorlab-novariation-');
const f = (name: string): string => join(dir, name);

beforeAll(() => {
  // 4 assets, 120 daily prices from a fixed generator; the factor on date t is the return t -> t+1
  const assets = ['A', 'B', 'C', 'D'];
  const n = 120;
  let seed = 1;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const prices: number[][] = [];
  let p = assets.map(() => 100);
  for (let t = 0; t < n; t++) {
    prices.push(p);
    p = p.map((v) => v * (1 + (rnd() - 0.5) * 0.04));
  }
  const date = (t: number): string => new Date(Date.UTC(2020, 0, 1) + t * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(f('prices.csv'), `date,${assets.join(',')}\n${prices.map((r, t) => `${date(t)},${r.join(',')}`).join('\n')}\n`);
  const rows: string[] = [];
  for (let t = 0; t < n - 1; t++) assets.forEach((a, j) => rows.push(`${date(t)},${a},${prices[t + 1][j] / prices[t][j] - 1}`));
  writeFileSync(f('factor.csv'), `date,asset,value\n${rows.join('\n')}\n`);
});

describe('analyze: a statistic without variation over time', () => {
  it('prints n/a with a note, writes null t and p (not Infinity and 0), and the tear sheet says n/a', async () => {
    const args = [
      'analyze',
      '--factor',
      f('factor.csv'),
      '--prices',
      f('prices.csv'),
      '--horizons',
      '1',
      '--execution-lag',
      '0',
      '--quantiles',
      '2',
    ];
    const text = await cli(...args);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(
      /no variation over time: at h=1 the IC \(1\), the rank IC \(1\) and the factor return \(1\) are the same on every formation date/,
    );
    expect(text.out).toMatch(/IC t \(Newey-West t\)\s+n\/a \(n\/a\)/);
    expect(text.out).not.toMatch(/Infinity|e\+1\d/);

    const json = await cli(...args, '--json', '--report', f('sheet.html'));
    expect(json.code, json.err).toBe(0);
    expect(json.out).not.toMatch(/Infinity/);
    const r = JSON.parse(json.out) as {
      notes: string[];
      ic: Record<string, { summary: Record<'pearson' | 'spearman', Record<string, number | null>> }>;
      regression: Record<string, { summary: Record<string, unknown> }>;
    };
    expect(r.notes.some((x) => x.startsWith('no variation over time'))).toBe(true);
    for (const k of ['pearson', 'spearman'] as const) {
      const s = r.ic['1'].summary[k];
      expect(s.mean).toBe(1);
      // before: tStat Infinity (null in JSON) beside pValue 0, "significant" at any level
      for (const field of ['tStat', 'pValue', 'tStatNW', 'pValueNW', 'ir', 'irAnnualized']) expect(s[field], `${k}.${field}`).toBeNull();
    }
    expect(r.regression['1'].summary.pValue).toBeNull();
    expect(r.regression['1'].summary.pValueNW).toBeNull();

    const html = readFileSync(f('sheet.html'), 'utf8');
    expect(html).toContain('no variation over time');
    expect(html).toMatch(/Newey-West t n\/a/);
    expect(html).not.toMatch(/Newey-West t [;.]/);
  });
});
