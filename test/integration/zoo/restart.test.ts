/**
 * Issue 14's fault test for a restart: `factorlab zoo --redis` with one `factorlab worker` on a
 * redis-server of the test's own that persists (append-only file, fsync on every write, in a
 * temporary folder), stopped (SIGTERM) after the first job completed and started again on the same
 * port and folder while the submitter waits. The run must either complete with the one-machine
 * table and JSON files, byte for byte, or fail loudly (a non-zero exit naming Redis, no table
 * written) — never end as a success with rows missing. The workers run the built CLI (dist/), which
 * `npm run test:integration` builds first.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, REDIS, freePort, procs, start, stop, until, type Proc } from './processes.js';
import { cli, zooFixture } from './fixtures.js';

let port = 0;
let url = '';
let dir = '';
let redis: Proc;

/** A redis-server that keeps every write in its append-only file (fsync always) under `dir`. */
async function startRedis(): Promise<Proc> {
  const p = start(REDIS, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--dir',
    dir,
  ]);
  await until('redis-server', () => p.log().includes('Ready to accept connections'));
  return p;
}

beforeAll(async () => {
  expect(existsSync(MAIN), 'run npm run build first (npm run test:integration does)').toBe(true);
  expect(existsSync(REDIS), '.ci/run installs redis-server').toBe(true);
  port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  dir = mkdtempSync(join(tmpdir(), 'factorlab-redis-aof-'));
  redis = await startRedis();
}, 120_000);

afterAll(async () => {
  for (const c of procs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('factorlab zoo --redis across a Redis restart with persistence', () => {
  it('completes with the one-machine table and files, or fails loudly without a table; never silently short', async () => {
    const big = await zooFixture({ nAssets: 150, nDates: 600 });
    const factors = [
      big.f('signal.csv'),
      big.f('noise.csv'),
      `${big.f('multi.csv')}#*`,
      ...[20, 30, 40, 50, 60, 70, 80, 90].map((l) => `momentum:${l},5`),
    ];
    const table = (name: string): string[] => ['--results', big.f(name), '--table', big.f(`${name}/summary.csv`)];
    const local = await cli('zoo', ...factors, ...big.common, ...table('local'));
    expect(local.code, local.err).toBe(0);

    const w = start(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', 'restart', '--lock-ms', '2000']);
    await until('the worker', () => w.log().includes('waiting for jobs'));
    const submitted = cli('zoo', ...factors, ...big.common, ...table('dist'), '--redis', url, '--queue', 'restart');
    await until('a first job to complete', () => w.log().includes('completed'));
    await stop(redis, 'SIGTERM'); // a clean shutdown: the append-only file is complete
    const doneAtStop = w.log().match(/: completed/g)?.length ?? 0;
    expect(doneAtStop, 'the restart falls mid-run').toBeLessThan(factors.length);
    await new Promise((r) => setTimeout(r, 500));
    redis = await startRedis();

    const r = await submitted;
    // the outage is said once by each side, in words, not as ioredis' "Unhandled error event" per retry
    for (const log of [r.err, w.log()]) {
      expect(log).not.toMatch(/Unhandled error event/);
      expect(log.match(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/? \(.*\); waiting for it to come back/g)).toHaveLength(
        1,
      );
    }
    expect(r.err).toMatch(/Redis at .* is back/);
    if (r.code === local.code) {
      expect(r.out).toBe(local.out.replaceAll(big.f('local'), big.f('dist')));
      const files = readdirSync(big.f('local')).sort();
      expect(readdirSync(big.f('dist')).sort()).toEqual(files);
      for (const name of files)
        expect(readFileSync(join(big.f('dist'), name), 'utf8'), name).toBe(readFileSync(join(big.f('local'), name), 'utf8'));
    } else {
      // the loud way: an error that names Redis, and no table that could be mistaken for the result
      expect(r.code, r.err).not.toBe(0);
      expect(r.err).toMatch(/redis/i);
      expect(existsSync(big.f('dist/summary.csv'))).toBe(false);
    }
    await stop(w);
  }, 180_000);
});
