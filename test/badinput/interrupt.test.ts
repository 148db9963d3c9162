/**
 * Class 8, interrupted writes: SIGINT, SIGTERM or SIGHUP while `inspect --out` is writing leaves no
 * temporary file (nor DuckDB's spill directory), never a half-written target (absent, or its
 * previous content intact), prints one line on stderr and ends the process by the signal, which a
 * shell reports as exit status 130 / 143.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, MAIN } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-interrupt-'));
const input = join(dir, 'in', 'prices.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  assertBuilt();
  // 300 dates x 3,000 assets: a long output of 0.9 M rows (about 25 MB of CSV), time enough to
  // catch the temporary file in flight.
  const nDates = 300,
    nAssets = 3000;
  const lines = [`date,${Array.from({ length: nAssets }, (_, j) => `A${j}`).join(',')}`];
  for (let t = 0; t < nDates; t++) {
    const d = new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10);
    lines.push(`${d},${Array.from({ length: nAssets }, (_, j) => (10 + ((t * 7 + j * 13) % 997) / 10).toFixed(2)).join(',')}`);
  }
  mkdirSync(join(dir, 'in'));
  writeFileSync(input, `${lines.join('\n')}\n`);
});

interface Outcome {
  status: number | null;
  stderr: string;
  left: string[];
}

/**
 * Runs `sh -c 'node main.js inspect INPUT --out OUT'`, waits for the writer's temporary file to
 * appear (its name holds the node pid), sends `signal` to that pid, and returns the status the
 * shell reports and what is left in the output directory.
 */
function interrupt(outDir: string, out: string, signal: NodeJS.Signals): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const sh = spawn('sh', ['-c', `"${process.execPath}" "${MAIN}" inspect "${input}" --out "${out}" > /dev/null`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    sh.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let signalled = false;
    const poll = setInterval(() => {
      if (signalled) return;
      const tmp = readdirSync(outDir).find((n) => n.endsWith('.tmp'));
      const pid = tmp === undefined ? undefined : /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(tmp)?.[1];
      if (pid === undefined) return;
      signalled = true;
      process.kill(Number(pid), signal);
    }, 2);
    sh.on('error', reject);
    sh.on('close', (status) => {
      clearInterval(poll);
      if (!signalled) reject(new Error(`the write finished before the signal could be sent: ${stderr}`));
      else resolve({ status, stderr, left: readdirSync(outDir) });
    });
  });
}

/** DuckDB spill directories of processes that are gone. */
function duckdbDirs(): string[] {
  return readdirSync(tmpdir()).filter(
    (n) => n.startsWith('factorlab-duckdb-') && !existsSync(`/proc/${n.slice('factorlab-duckdb-'.length)}`),
  );
}

describe('interrupted writes leave nothing behind', () => {
  const cases: [string, NodeJS.Signals, number][] = [
    ['x.csv', 'SIGINT', 130],
    ['x.csv.gz', 'SIGTERM', 143],
    ['x.parquet', 'SIGINT', 130],
    ['x.json', 'SIGTERM', 143],
    ['y.csv', 'SIGHUP', 129], // a closed terminal or ssh session
  ];
  for (const [name, signal, status] of cases) {
    it(`${signal} during --out ${name}: status ${status}, no .tmp, no target`, async () => {
      const outDir = mkdtempSync(join(dir, 'out-'));
      const spillBefore = duckdbDirs();
      const r = await interrupt(outDir, join(outDir, name), signal);
      expect(r.status, r.stderr).toBe(status);
      expect(r.stderr).toContain(`factorlab: interrupted by ${signal}; removed`);
      expect(r.left).toEqual([]);
      expect(duckdbDirs()).toEqual(spillBefore);
    });
  }

  it('an existing target keeps its previous content', async () => {
    const outDir = mkdtempSync(join(dir, 'keep-'));
    const target = join(outDir, 'x.csv');
    writeFileSync(target, 'previous content\n');
    const r = await interrupt(outDir, target, 'SIGINT');
    expect(r.status, r.stderr).toBe(130);
    expect(r.left).toEqual(['x.csv']);
    expect(readFileSync(target, 'utf8')).toBe('previous content\n');
  });
});

describe('a run with several outputs lands whole or not at all', () => {
  it('SIGINT while the second output (--weights-out) is written: the first (--nav-out) keeps its previous content too', async () => {
    const outDir = mkdtempSync(join(dir, 'both-'));
    const nav = join(outDir, 'nav.csv'),
      weights = join(outDir, 'weights.csv');
    writeFileSync(nav, 'previous nav\n');
    writeFileSync(weights, 'previous weights\n');
    const args = [
      'backtest',
      '--prices',
      input,
      '--factor',
      'momentum:20,0',
      '--top',
      '2000',
      '--schedule',
      'daily',
      '--nav-out',
      nav,
      '--weights-out',
      weights,
    ];
    const r = await new Promise<Outcome>((resolve, reject) => {
      const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      let signalled = false;
      // the signal goes once the weights (written after the NAV) are in flight: before the
      // outputs were committed together, the NAV was already renamed into place by then
      const poll = setInterval(() => {
        if (!signalled && readdirSync(outDir).some((n) => n.startsWith('.weights.csv.') && n.endsWith('.tmp'))) {
          signalled = true;
          child.kill('SIGINT');
        }
      }, 2);
      child.on('error', reject);
      child.on('close', (status) => {
        clearInterval(poll);
        if (!signalled) reject(new Error(`the run finished before the signal could be sent: ${stderr}`));
        else resolve({ status, stderr, left: readdirSync(outDir) });
      });
    });
    expect(r.status, r.stderr).toBe(null); // ended by the signal itself (a shell reports 130)
    expect(r.left.sort()).toEqual(['nav.csv', 'weights.csv']);
    expect(readFileSync(nav, 'utf8')).toBe('previous nav\n');
    expect(readFileSync(weights, 'utf8')).toBe('previous weights\n');
  });
});
