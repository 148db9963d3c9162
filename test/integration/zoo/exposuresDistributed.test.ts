/**
 * `factorlab exposures-zoo --redis` with `factorlab worker` processes on a redis-server of the
 * test's own (127.0.0.1, a free port, no persistence; stopped by its process id): the same printout
 * and the same table, byte for byte, as the one-machine exposures zoo (sorted or not); resubmitting
 * runs nothing again; a worker killed with SIGKILL mid-job has its block completed by another; bad
 * portfolios (no asset with returns, a missing file, a file changed after submission) are rows with
 * their reasons while the others in their blocks are fitted; a hostile payload is refused, unrun.
 * The workers run the built CLI (dist/), which `npm run test:integration` builds first.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate } from '../../../src/core/dates.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';
import { Rng } from '../../../src/synthetic/random.js';
import { writeTable } from '../../../src/io/write.js';
import { MAIN, REDIS, freePort, procs, start, stop, until, type Proc } from './processes.js';
import { cli } from './fixtures.js';
import { tempDir } from '../../tempDir.js';

/** Prices, a market factor and a noise factor, and `nPortfolios` weights files (pf0.csv, ...) in a new folder. */
async function market(nAssets: number, nDates: number, nPortfolios: number): Promise<(name: string) => string> {
  const dir = tempDir('factorlab-ezoo-redis-');
  const f = (name: string): string => join(dir, name);
  const m = syntheticMarket({ seed: 5, nAssets, nDates, signalIC: 0.05 });
  await writeTable(f('prices.csv'), m.prices, { wide: true });
  const p = m.prices,
    n = p.nDates,
    a = p.nAssets,
    rng = new Rng(2);
  const lines = ['date,mkt,noise'];
  for (let t = 1; t < n; t++) {
    let s = 0,
      c = 0;
    for (let j = 0; j < a; j++) {
      const r = p.values[t * a + j] / p.values[(t - 1) * a + j] - 1;
      if (r === r) {
        s += r;
        c++;
      }
    }
    lines.push(`${formatIsoDate(p.dates[t])},${s / c},${rng.normal(0, 0.01)}`);
  }
  writeFileSync(f('factors.csv'), `${lines.join('\n')}\n`);
  for (let k = 0; k < nPortfolios; k++) {
    const wl = ['date,asset,weight'];
    for (let t = 0; t < n; t += 21)
      // about a third of the assets, weights near 1 / (1.5 × their count): fractions summing to about 1
      for (let j = k % 3; j < a; j += 3) wl.push(`${formatIsoDate(p.dates[t])},${p.assets[j]},${(1 + rng.uniform()) / (0.5 * a)}`);
    writeFileSync(f(`pf${k}.csv`), `${wl.join('\n')}\n`);
  }
  writeFileSync(f('foreign.csv'), 'date,asset,weight\n2018-01-02,ZZZ,1\n');
  return f;
}

let url = '';
let redis: Proc;
let f: (name: string) => string;
const worker = (queue: string, ...extra: string[]): Proc =>
  start(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', queue, '--lock-ms', '2000', ...extra]);
const ready = (w: Proc): Promise<void> => until('the worker', () => w.log().includes('waiting for jobs'));
const started = (...ws: Proc[]): number => ws.map((w) => w.log().match(/started/g)?.length ?? 0).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  expect(existsSync(MAIN), 'run npm run build first (npm run test:integration does)').toBe(true);
  expect(existsSync(REDIS), '.ci/run installs redis-server').toBe(true);
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = start(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await until('redis-server', () => redis.log().includes('Ready to accept connections'));
  f = await market(40, 300, 7);
}, 120_000);

afterAll(async () => {
  for (const c of procs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('factorlab exposures-zoo --redis', () => {
  it('two workers give the printout and the table of one machine, byte for byte (sorted too); resubmitting runs nothing again', async () => {
    const portfolios = ['pf0.csv', 'pf1.csv', 'foreign.csv', 'missing.csv', 'pf2.csv', 'pf3.csv', 'pf4.csv', 'pf5.csv', 'pf6.csv'].map(f);
    const common = ['--prices', f('prices.csv'), '--factors', f('factors.csv'), ...portfolios, '--newey-west', '--weights-max-age', '40'];
    const local = await cli('exposures-zoo', ...common, '--table', f('local.csv'));
    expect(local.code, local.err).toBe(2);
    const sortedLocal = await cli('exposures-zoo', ...common, '--table', f('local-sorted.csv'), '--sort', 't_nw_mkt:asc');
    expect(sortedLocal.code).toBe(2);
    const w1 = worker('same'),
      w2 = worker('same');
    await Promise.all([ready(w1), ready(w2)]);
    const dist = await cli('exposures-zoo', ...common, '--table', f('dist.csv'), '--redis', url, '--queue', 'same', '--block', '2');
    expect(dist.code, dist.err).toBe(2);
    expect(dist.out).toBe(local.out.replace(f('local.csv'), f('dist.csv')));
    expect(readFileSync(f('dist.csv'), 'utf8')).toBe(readFileSync(f('local.csv'), 'utf8'));
    expect(dist.err).toMatch(
      /2 of 9 portfolios failed: .*foreign\.csv \(.*no asset of the weights \(ZZZ\) has returns.*missing\.csv \(.*file not found/,
    );
    expect(started(w1, w2)).toBe(4); // 7 readable portfolios in blocks of 2; the missing file is in none
    expect(w1.log().includes('started') && w2.log().includes('started'), 'both workers took jobs').toBe(true);
    // the same zoo again, sorted: every block is reused, the table is the sorted one-machine table
    const sorted = await cli(
      'exposures-zoo',
      ...common,
      '--table',
      f('dist-sorted.csv'),
      '--sort',
      't_nw_mkt:asc',
      '--redis',
      url,
      '--queue',
      'same',
      '--block',
      '2',
    );
    expect(sorted.code).toBe(2);
    expect(sorted.out).toBe(sortedLocal.out.replace(f('local-sorted.csv'), f('dist-sorted.csv')));
    expect(readFileSync(f('dist-sorted.csv'), 'utf8')).toBe(readFileSync(f('local-sorted.csv'), 'utf8'));
    expect(readFileSync(f('dist-sorted.csv'), 'utf8')).not.toBe(readFileSync(f('dist.csv'), 'utf8'));
    expect(started(w1, w2)).toBe(4);
    const q = new Queue('same', { connection: { url } });
    const ids = (await q.getJobs(['completed'])).map((j) => j.id as string);
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(id).toMatch(/^e-[0-9a-f]{64}$/);
    await q.close();
    await Promise.all([stop(w1), stop(w2)]);
  });

  it('a worker killed with SIGKILL mid-job: its block is completed by another worker, the table is whole', async () => {
    const big = await market(300, 1500, 4);
    const common = [
      '--prices',
      big('prices.csv'),
      '--factors',
      big('factors.csv'),
      ...[0, 1, 2, 3].map((k) => big(`pf${k}.csv`)),
      '--json',
    ];
    const w1 = worker('kill');
    await ready(w1);
    const submitted = cli('exposures-zoo', ...common, '--redis', url, '--queue', 'kill');
    await until('the job to start', () => w1.log().includes('started'));
    await stop(w1, 'SIGKILL');
    expect(w1.log()).not.toContain('completed');
    const w2 = worker('kill');
    const r = await submitted;
    expect(r.code, r.err).toBe(0);
    expect(w2.log()).toMatch(/4 portfolios from .*pf0\.csv: started[\s\S]*pf0\.csv: completed/);
    const local = await cli('exposures-zoo', ...common);
    expect(r.out).toBe(local.out);
    await stop(w2);
  });

  it('jobs gone from Redis while the submitter waits (flushed, or restarted without persistence): an error within seconds, nothing written', async () => {
    const submitted = cli(
      'exposures-zoo',
      '--prices',
      f('prices.csv'),
      '--factors',
      f('factors.csv'),
      f('pf0.csv'),
      f('pf1.csv'),
      '--table',
      f('gone.csv'),
      '--redis',
      url,
      '--queue',
      'gone',
    );
    const q = new Queue('gone', { connection: { url } });
    await until('the job in the queue', async () => (await q.getJobCounts('wait')).wait === 1);
    const client = new Redis(url);
    await client.flushall();
    client.disconnect();
    const t0 = Date.now();
    const r = await submitted;
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/job e-[0-9a-f]{64} \(a block of 2 portfolios\) is gone from Redis at .* before it finished/);
    expect(existsSync(f('gone.csv'))).toBe(false);
    await q.close();
  });

  it('a weights file changed after submission is its own failure, its block-mates fitted; hostile payloads are refused, unrun', async () => {
    writeFileSync(f('changing.csv'), readFileSync(f('pf1.csv')));
    const submitted = cli(
      'exposures-zoo',
      '--prices',
      f('prices.csv'),
      '--factors',
      f('factors.csv'),
      f('pf0.csv'),
      f('changing.csv'),
      f('pf2.csv'),
      '--table',
      f('changed.json'),
      '--redis',
      url,
      '--queue',
      'hash',
    );
    const q = new Queue('hash', { connection: { url } });
    await until('the job in the queue', async () => (await q.getJobCounts('wait')).wait === 1);
    writeFileSync(f('changing.csv'), readFileSync(f('pf3.csv')));
    const w = worker('hash');
    const r = await submitted;
    expect(r.code).toBe(2);
    const rows = JSON.parse(readFileSync(f('changed.json'), 'utf8')) as Record<string, unknown>[];
    expect(rows.map((x) => x.status)).toEqual(['ok', 'failed', 'ok']);
    expect(rows[1].reason).toMatch(
      /^input changed: portfolio .*changing\.csv has sha256 [0-9a-f]{16}\.\.\. on this worker, the zoo was submitted with [0-9a-f]{16}\.\.\./,
    );
    expect(r.err).toMatch(/1 of 3 portfolios failed: .*changing\.csv \(input changed/);
    expect(started(w)).toBe(1);
    const hostile = await q.add(
      'exposures',
      { version: 1, flags: { prices: 'p.csv', factors: ['f.csv'] }, processor: 'require("child_process").execSync("touch /tmp/pwned")' },
      { attempts: 3 },
    );
    const unknown = await q.add('shell', { cmd: 'touch /tmp/pwned' }, { attempts: 3 });
    for (const job of [hostile, unknown])
      await until('the hostile job to fail', async () => (await q.getJobState(job.id as string)) === 'failed');
    const [h, u] = await Promise.all([Job.fromId(q, hostile.id as string), Job.fromId(q, unknown.id as string)]);
    expect(h?.failedReason).toBe('malformed job payload: unknown field "processor"');
    expect(h?.attemptsMade).toBe(1);
    expect(u?.failedReason).toBe('malformed job payload: unknown job name "shell" (factor or exposures)');
    expect(u?.attemptsMade).toBe(1);
    await q.close();
    await stop(w);
  });
});

afterAll(async () => {
  await stop(redis);
});
