/**
 * `factorlab combine --method ic` on real data against pandas (test/real/python/combine_reference.py,
 * from the definitions): the SSE 50 P/E sample and 5-day momentum of its prices, weighted by their
 * trailing 5-date mean rank IC, each IC counted only once its forward return is realised. The
 * weight history and the composite, to 1e-12.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { DATA, dataFile } from './data.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'combine_reference.py');
const dir = mkdtempSync(join(tmpdir(), 'factorlab-real-combine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reference {
  dates: string[];
  weights: (number | null)[][];
  composite: Record<string, Record<string, number>>;
}

describe('combine on real data against pandas', () => {
  it('SSE 50: P/E and 5-day momentum by trailing 5-date mean rank IC (no look-ahead)', async () => {
    const res = spawnSync('/usr/bin/python3', [SCRIPT, DATA, dir, '5'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(res.status, res.stderr).toBe(0);
    const ref = JSON.parse(res.stdout) as Reference;
    const out = join(dir, 'composite.csv'),
      weightsOut = join(dir, 'weights.csv');
    let err = '';
    const code = await runCli(
      [
        'node',
        'factorlab',
        'combine',
        '--factor',
        dataFile('cn/sse50_2021q1_factor.csv'),
        '--factor',
        join(dir, 'mom5.csv'),
        '--prices',
        dataFile('cn/sse50_2021q1_prices.csv'),
        '--method',
        'ic',
        '--window',
        '5',
        '--out',
        out,
        '--weights-out',
        weightsOut,
      ],
      { stdout: () => undefined, stderr: (t) => void (err += t) },
    );
    expect(code, err).toBe(0);

    const w = readFileSync(weightsOut, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(w.map((r) => r[0])).toEqual(ref.dates);
    let worst = 0,
      known = 0;
    w.forEach((r, i) =>
      [1, 2].forEach((k) => {
        const want = ref.weights[i][k - 1];
        if (want === null) expect(r[k]).toBe('');
        else {
          worst = Math.max(worst, Math.abs(Number(r[k]) - want));
          known++;
        }
      }),
    );
    expect(known).toBeGreaterThan(40);
    expect(worst).toBeLessThan(1e-12);

    let cells = 0;
    worst = 0;
    for (const line of readFileSync(out, 'utf8').trim().split('\n').slice(1)) {
      const [date, asset, value] = line.split(',');
      const want = ref.composite[date]?.[asset];
      if (value === '') {
        expect(want).toBeUndefined();
        continue;
      }
      expect(want, `${date} ${asset}`).toBeDefined();
      worst = Math.max(worst, Math.abs(Number(value) - (want ?? NaN)));
      cells++;
    }
    expect(cells).toBe(Object.values(ref.composite).reduce((a, x) => a + Object.keys(x).length, 0));
    expect(cells).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-12);
  });
});
