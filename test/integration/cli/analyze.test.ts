/**
 * `factorlab analyze` and `factorlab combine` end to end on files written from the synthetic market.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeOutput } from '../../../src/cli/commands/analyze.js';
import { runCli } from '../../../src/cli/run.js';
import { writeTable } from '../../../src/io/write.js';
import { Rng } from '../../../src/synthetic/random.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';

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

const dir = mkdtempSync(join(tmpdir(), 'factorlab-analyze-'));
const f = (name: string): string => join(dir, name);
const market = syntheticMarket({ seed: 21, nAssets: 120, nDates: 300, signalIC: 0.1, badTicks: 1 });

beforeAll(async () => {
  await writeTable(f('prices.csv'), market.prices, { wide: true });
  await writeTable(f('signal.csv'), market.signal);
  const rng = new Rng(8);
  await writeTable(
    f('noise.csv'),
    market.signal.map((v) => (v === v ? rng.normal(0, 1) : NaN)),
  );
  writeFileSync(f('sectors.csv'), `asset,sector\n${market.assets.map((a) => `${a},${market.sectors[a]}`).join('\n')}\n`);
});

describe('factorlab analyze', () => {
  it('prints the ten-second summary and writes the full JSON', async () => {
    const r = await cli(
      'analyze',
      '--factor',
      f('signal.csv'),
      '--prices',
      f('prices.csv'),
      '--horizons',
      '1,5',
      '--groups',
      f('sectors.csv'),
      '--out',
      f('result.json'),
    );
    expect(r.code, r.err).toBe(0);
    for (const label of ['IC mean', 'rank IC mean', 'top - bottom', 'share |t| > 2', 'turnover top / bottom', 'data lost'])
      expect(r.out).toContain(label);
    expect(r.out).toMatch(/1 one-day bad tick kept as published.*--clean/);
    const json = JSON.parse(readFileSync(f('result.json'), 'utf8')) as AnalyzeOutput;
    expect(json.horizons).toEqual([1, 5]);
    const s = json.ic['1'].summary.pearson;
    expect(Math.abs(s.mean - 0.1)).toBeLessThan((4 * s.std) / Math.sqrt(s.n));
    expect(json.quantiles['1'].spread.mean).toBeGreaterThan(0);
    expect(json.inputs.groups?.groups.length).toBe(10);
    expect(json.inputs.prices.badTicks).toBe(1);
  });

  it('--json prints the same result on stdout; --clean removes the bad tick first', async () => {
    const r = await cli('analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--horizons', '1', '--clean', '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as AnalyzeOutput;
    expect(json.inputs.prices.cleaned).toBe(1);
    expect(Object.keys(json.ic)).toEqual(['1']);
  });

  it('momentum from the prices, sampled monthly, needs no factor file', async () => {
    const r = await cli(
      'analyze',
      '--factor',
      'momentum:60,5',
      '--sample',
      'monthly',
      '--prices',
      f('prices.csv'),
      '--horizons',
      '21',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as AnalyzeOutput;
    expect(json.periodsPerYear).toBe(12);
    expect(json.steps).toEqual({ '21': 1 });
  });

  const bad: [string, string[], RegExp][] = [
    ['no --factor', ['--prices', 'p.csv'], /required option '--factor <file>'/],
    ['a zero horizon', ['--horizons', '0,5'], /--horizons takes positive whole numbers/],
    ['a share above one', ['--max-loss', '1.5'], /--max-loss must be a share between 0 and 1/],
    ['by-group without groups', ['--by-group'], /group/i],
    ['momentum with skip >= lookback', ['--factor', 'momentum:20,30'], /SKIP < LOOKBACK/],
    ['a missing factor file', ['--factor', 'nope.csv'], /nope\.csv: file not found/],
  ];
  for (const [what, extra, pattern] of bad) {
    it(`${what}: exit 2 with a message`, async () => {
      const base = ['--factor', f('signal.csv'), '--prices', f('prices.csv')];
      const args = what === 'no --factor' ? extra.map((a) => (a === 'p.csv' ? f('prices.csv') : a)) : [...base, ...extra];
      const r = await cli('analyze', ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }
});

describe('factorlab combine', () => {
  it('IC_IR weights favour the predictive factor; the composite can be analysed', async () => {
    const r = await cli(
      'combine',
      '--factor',
      f('signal.csv'),
      '--factor',
      f('noise.csv'),
      '--prices',
      f('prices.csv'),
      '--method',
      'icir',
      '--window',
      '20',
      '--out',
      f('composite.csv'),
      '--weights-out',
      f('weights.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/signal \+ noise by trailing 20-date mean IC_IR/);
    const weights = readFileSync(f('weights.csv'), 'utf8').trim().split('\n');
    expect(weights[0]).toBe('date,signal,noise');
    const last = weights[weights.length - 1].split(',').map(Number);
    expect(Math.abs(last[1])).toBeGreaterThan(Math.abs(last[2]));
    const a = await cli('analyze', '--factor', f('composite.csv'), '--prices', f('prices.csv'), '--horizons', '1', '--json');
    expect(a.code, a.err).toBe(0);
    expect((JSON.parse(a.out) as AnalyzeOutput).ic['1'].summary.pearson.mean).toBeGreaterThan(0.05);
  });

  it('IC weights without prices: exit 2 and what to do', async () => {
    const r = await cli('combine', '--factor', f('signal.csv'), '--factor', f('noise.csv'), '--method', 'ic', '--out', f('x.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs prices[\s\S]*--prices/);
  });
});
