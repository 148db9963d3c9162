/**
 * bin/factorlab, the `factorlab` command (package.json `bin`): a shell script and an ES module in
 * one file. Run as a command it adds glibc.malloc.hugetlb=1 to GLIBC_TUNABLES (keeping the user's
 * own) and execs node on itself; node then loads the CLI. Checked through a symlink (as npm and
 * `npm link` install it): the CLI runs, the tunable reaches the process (the FACTORLAB_TIMINGS
 * line reports it), the exit code of bad input is the CLI's own, and a signal reaches the CLI
 * (exec: no shell is left between the caller and node).
 */
import { spawn } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Run } from './cli.js';
import { tempDir } from '../tempDir.js';

const BIN = resolve(import.meta.dirname, '../../bin/factorlab');
const dir = tempDir('factorlab-bin-');
const link = join(dir, 'factorlab');

function run(args: readonly string[], env: Record<string, string> = {}, onStart?: (pid: number) => void): Promise<Run> {
  return new Promise((done, reject) => {
    const base = { ...process.env };
    delete base.GLIBC_TUNABLES;
    const child = spawn(link, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...base, ...env } });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
    if (child.pid !== undefined) onStart?.(child.pid);
  });
}

/** A small market: 40 days of three prices and a signal. */
function market(): { prices: string; signal: string } {
  const prices = ['date,A,B,C'],
    signal = ['date,A,B,C'];
  for (let t = 0; t < 40; t++) {
    const d = new Date(Date.UTC(2024, 0, 2 + t)).toISOString().slice(0, 10);
    prices.push(`${d},${10 + t / 10},${20 - t / 20},${30 + Math.sin(t)}`);
    signal.push(`${d},${Math.cos(t)},${Math.sin(t)},${t % 3}`);
  }
  const p = join(dir, 'prices.csv'),
    s = join(dir, 'signal.csv');
  writeFileSync(p, `${prices.join('\n')}\n`);
  writeFileSync(s, `${signal.join('\n')}\n`);
  return { prices: p, signal: s };
}

function tunables(stderr: string): unknown {
  const line = stderr.split('\n').find((l) => l.startsWith('{"factorlab_timings"'));
  expect(line).toBeDefined();
  return (JSON.parse(line!) as { glibc_tunables: unknown }).glibc_tunables;
}

describe('bin/factorlab (the installed command)', () => {
  beforeAll(() => {
    assertBuilt();
    symlinkSync(BIN, link);
  });

  it('runs the CLI through a symlink: --version is the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('adds glibc.malloc.hugetlb=1 to GLIBC_TUNABLES, after the tunables the user set', async () => {
    const { prices, signal } = market();
    const args = ['backtest', '--prices', prices, '--factor', signal, '--top', '1', '--schedule', 'daily'];
    const plain = await run(args, { FACTORLAB_TIMINGS: '1' });
    expect(plain.code).toBe(0);
    expect(tunables(plain.stderr)).toBe('glibc.malloc.hugetlb=1');
    const own = await run(args, { FACTORLAB_TIMINGS: '1', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    expect(own.code).toBe(0);
    expect(tunables(own.stderr)).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
    expect(own.stdout).toBe(plain.stdout);
  });

  it('bad input exits 2 with the located error, as node dist/cli/main.js does', async () => {
    const r = await run(['inspect', join(dir, 'missing.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.csv');
  });

  it('exec: the process started is node running the CLI (no shell left), so a signal reaches the CLI', async () => {
    let comm = '';
    const r = await run(['demo', '--out', join(dir, 'demo')], {}, (pid) => {
      setTimeout(() => {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        process.kill(pid, 'SIGTERM');
      }, 700);
    });
    expect(comm).toBe('node');
    expect(r.signal === 'SIGTERM' || r.code === 143).toBe(true);
  });
});
