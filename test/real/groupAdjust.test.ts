/**
 * `analyze --group-adjust` (alphalens group_adjust: forward returns demeaned by date and industry)
 * on the SSE 50 sample against pandas groupby-transform + scipy
 * (test/real/python/group_adjust_reference.py), per date to 1e-12, horizons 1 and 5.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzeOutput } from '../../src/cli/commands/analyze.js';
import { runCli } from '../../src/cli/run.js';
import { dataFile } from './data.js';

const FACTOR = dataFile('cn/sse50_2021q1_factor.csv');
const PRICES = dataFile('cn/sse50_2021q1_prices.csv');
const GROUPS = dataFile('cn/sse50_2021q1_stock_2_idx.csv');
const SCRIPT = join(__dirname, 'python', 'group_adjust_reference.py');
const dir = mkdtempSync(join(tmpdir(), 'factorlab-ga-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--group-adjust on the SSE 50 sample (real files)', () => {
  it('per-date rank IC and IC of group-demeaned forward returns equal pandas + scipy', async () => {
    const out = join(dir, 'ga.json');
    let err = '';
    const args = ['analyze', '--factor', FACTOR, '--prices', PRICES, '--groups', GROUPS, '--group-adjust', '--horizons', '1,5'];
    const code = await runCli(['node', 'factorlab', ...args, '--universe', 'pairwise', '--max-loss', '1', '--out', out, '--quiet'], {
      stdout: () => undefined,
      stderr: (t) => (err += t),
    });
    expect(code, err).toBe(0);
    const got = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeOutput;
    for (const h of ['1', '5']) {
      const res = spawnSync('/usr/bin/python3', [SCRIPT, FACTOR, PRICES, GROUPS, h], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(res.status, res.stderr).toBe(0);
      const ref = JSON.parse(res.stdout) as { dates: string[]; n: number[]; spearman: number[]; pearson: number[] };
      const ic = got.ic[h];
      const at = new Map(ic.dates.map((d, i) => [d, i]));
      expect(ref.dates.length).toBeGreaterThan(20);
      for (let k = 0; k < ref.dates.length; k++) {
        const i = at.get(ref.dates[k]);
        expect(i, `h=${h} ${ref.dates[k]}`).toBeDefined();
        expect(ic.n[i as number]).toBe(ref.n[k]);
        expect(Math.abs(Number(ic.spearman[i as number]) - ref.spearman[k]), `rank IC h=${h} ${ref.dates[k]}`).toBeLessThan(1e-12);
        expect(Math.abs(Number(ic.pearson[i as number]) - ref.pearson[k]), `IC h=${h} ${ref.dates[k]}`).toBeLessThan(1e-12);
      }
    }
  });
});
