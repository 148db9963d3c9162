/**
 * `factorlab zoo --redis` with `factorlab worker` processes on a redis-server of the test's own
 * (127.0.0.1, a free port, no persistence; stopped by its process id): the same table and the same
 * per-factor JSON as the one-machine zoo; resubmitting the same zoo runs nothing again (into another
 * results folder too: the JSON is copied), nor do two submitters at once; a worker
 * killed with SIGKILL mid-job has its job completed by another; a job that always throws ends
 * failed after its attempts with its reason in words in the table; a factor file changed after submission
 * fails its job with a hash mismatch; a hostile payload is refused, never run.
 * The workers run the built CLI (dist/), which `npm run test:integration` builds first.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZooRow } from '../../../src/zoo/summary.js';
import { MAIN, REDIS, freePort, procs, start, stop, until, type Proc } from './processes.js';
import { cli, zooFixture, type ZooFixture } from './fixtures.js';

let url = '';
let redis: Proc;
let fx: ZooFixture;
const worker = (queue: string, ...extra: string[]): Proc =>
  start(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', queue, '--lock-ms', '2000', ...extra]);
const ready = (w: Proc): Promise<void> => until('the worker', () => w.log().includes('waiting for jobs'));
const readRows = (file: string): ZooRow[] => JSON.parse(readFileSync(file, 'utf8')) as ZooRow[];

beforeAll(async () => {
  expect(existsSync(MAIN), 'run npm run build first (npm run test:integration does)').toBe(true);
  expect(existsSync(REDIS), '.ci/run installs redis-server').toBe(true);
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = start(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await until('redis-server', () => redis.log().includes('Ready to accept connections'));
  fx = await zooFixture();
}, 120_000);

afterAll(async () => {
  for (const c of procs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('factorlab zoo --redis', () => {
  it('two workers give the table and the JSON files of the one-machine zoo, byte for byte; resubmitting runs nothing again', async () => {
    // JSON an earlier run left for factors that fail now (missing here; foreign on the workers): removed, not left as this run's
    for (const d of ['local', 'dist'])
      for (const n of ['missing.csv.json', 'foreign.csv.json']) {
        mkdirSync(fx.f(d), { recursive: true });
        writeFileSync(fx.f(`${d}/${n}`), '{"stale": true}\n');
      }
    const local = await cli('zoo', ...fx.factors, ...fx.common, '--results', fx.f('local'), '--table', fx.f('local/summary.csv'));
    expect(local.code, local.err).toBe(2);
    const w1 = worker('same'),
      w2 = worker('same');
    await Promise.all([ready(w1), ready(w2)]);
    const dist = await cli(
      'zoo',
      ...fx.factors,
      ...fx.common,
      '--results',
      fx.f('dist'),
      '--table',
      fx.f('dist/summary.csv'),
      '--redis',
      url,
      '--queue',
      'same',
    );
    expect(dist.code, dist.err).toBe(2);
    expect(dist.out).toBe(local.out.replaceAll(fx.f('local'), fx.f('dist')));
    const files = readdirSync(fx.f('local')).sort();
    expect(readdirSync(fx.f('dist')).sort()).toEqual(files);
    for (const name of files)
      expect(readFileSync(join(fx.f('dist'), name), 'utf8'), name).toBe(readFileSync(join(fx.f('local'), name), 'utf8'));
    for (const d of ['local', 'dist'])
      for (const n of ['missing.csv.json', 'foreign.csv.json']) expect(existsSync(fx.f(`${d}/${n}`)), `${d}/${n}`).toBe(false);
    const started = (w1.log() + w2.log()).match(/started/g)?.length;
    expect(started).toBe(6); // the missing file never becomes a job
    expect(w1.log().includes('started') && w2.log().includes('started'), 'both workers took jobs').toBe(true);
    const again = await cli(
      'zoo',
      ...fx.factors,
      ...fx.common,
      '--results',
      fx.f('dist'),
      '--table',
      fx.f('dist/again.csv'),
      '--redis',
      url,
      '--queue',
      'same',
    );
    expect(again.code).toBe(2);
    expect(readFileSync(fx.f('dist/again.csv'), 'utf8')).toBe(readFileSync(fx.f('dist/summary.csv'), 'utf8'));
    expect((w1.log() + w2.log()).match(/started/g)?.length).toBe(6);
    // another results folder: the job ids hold no path, so nothing runs again and the JSON is copied over
    const elsewhere = await cli(
      'zoo',
      ...fx.factors,
      ...fx.common,
      '--results',
      fx.f('dist-copy'),
      '--table',
      fx.f('dist-copy/summary.csv'),
      '--redis',
      url,
      '--queue',
      'same',
    );
    expect(elsewhere.code).toBe(2);
    expect((w1.log() + w2.log()).match(/started/g)?.length).toBe(6);
    expect(readdirSync(fx.f('dist-copy')).sort()).toEqual(files);
    for (const name of files)
      expect(readFileSync(join(fx.f('dist-copy'), name), 'utf8'), name).toBe(readFileSync(join(fx.f('local'), name), 'utf8'));
    const q = new Queue('same', { connection: { url } });
    const ids = (await q.getJobs(['completed'])).map((j) => j.id as string);
    expect(ids).toHaveLength(6);
    for (const id of ids) expect(id).toMatch(/^f-[0-9a-f]{64}$/);
    await q.close();
    await Promise.all([stop(w1), stop(w2)]);
  });

  it("a completed job whose result file another run overwrote since (other --horizons, same --results) runs again: the JSON is never another run's", async () => {
    const w = worker('reuse');
    await ready(w);
    const run = (h: string): Promise<{ code: number; out: string; err: string }> =>
      cli(
        'zoo',
        fx.f('signal.csv'),
        '--prices',
        fx.f('prices.csv'),
        '--horizons',
        h,
        '--results',
        fx.f('reuse'),
        '--redis',
        url,
        '--queue',
        'reuse',
      );
    for (const h of ['1,5', '1,3']) expect((await run(h)).code).toBe(0);
    const again = await run('1,5');
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain(
      `${fx.f('signal.csv')}: its result ${fx.f('reuse/signal.csv.json')} from an earlier run was overwritten since by another result; running it again`,
    );
    expect(w.log().match(/started/g)?.length).toBe(3);
    const local = await cli(
      'zoo',
      fx.f('signal.csv'),
      '--prices',
      fx.f('prices.csv'),
      '--horizons',
      '1,5',
      '--results',
      fx.f('reuse-local'),
    );
    expect(local.code, local.err).toBe(0);
    expect(readFileSync(fx.f('reuse/signal.csv.json'), 'utf8')).toBe(readFileSync(fx.f('reuse-local/signal.csv.json'), 'utf8'));
    await stop(w);
  });

  it('two submitters of the same zoo at once: each job runs once, both get the same table', async () => {
    const w = worker('twice');
    await ready(w);
    const args = [
      fx.f('signal.csv'),
      fx.f('noise.csv'),
      'momentum:60,5',
      ...fx.common,
      '--results',
      fx.f('twice'),
      '--redis',
      url,
      '--queue',
      'twice',
      '--json',
    ];
    const [a, b] = await Promise.all([cli('zoo', ...args), cli('zoo', ...args)]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(a.out).toBe(b.out);
    expect(w.log().match(/started/g)?.length).toBe(3);
    await stop(w);
  });

  it('a worker killed with SIGKILL mid-job: the job is completed by another worker, the result is whole', async () => {
    const big = await zooFixture({ nAssets: 300, nDates: 1200 }); // a job long enough to be killed mid-way
    const w1 = worker('kill');
    await ready(w1);
    const submitted = cli(
      'zoo',
      big.f('signal.csv'),
      ...big.common,
      '--results',
      big.f('out'),
      '--redis',
      url,
      '--queue',
      'kill',
      '--json',
    );
    await until('the job to start', () => w1.log().includes('started'));
    await stop(w1, 'SIGKILL');
    expect(w1.log()).not.toContain('completed');
    const w2 = worker('kill');
    const r = await submitted;
    expect(r.code, r.err).toBe(0);
    expect(w2.log()).toMatch(/signal\.csv: started[\s\S]*signal\.csv: completed/);
    const alone = await cli('analyze', '--factor', big.f('signal.csv'), ...big.common, '--out', big.f('alone.json'), '--threads', '1');
    expect(alone.code, alone.err).toBe(0);
    expect(readFileSync(big.f('out/signal.csv.json'), 'utf8')).toBe(readFileSync(big.f('alone.json'), 'utf8'));
    await stop(w2);
  });

  it('a job that always throws ends failed after its attempts, with its reason in the table (exit 1: not bad input)', async () => {
    mkdirSync(fx.f('throw/noise.csv.json/blocker'), { recursive: true }); // the result file's name is taken by a non-empty folder
    const w = worker('throw');
    await ready(w);
    const r = await cli(
      'zoo',
      fx.f('signal.csv'),
      fx.f('noise.csv'),
      ...fx.common,
      '--results',
      fx.f('throw'),
      '--table',
      fx.f('throw/summary.json'),
      '--redis',
      url,
      '--queue',
      'throw',
      '--attempts',
      '2',
    );
    expect(r.code).toBe(1);
    expect(w.log().match(/noise\.csv: started/g)?.length).toBe(2);
    const rows = readRows(fx.f('throw/summary.json'));
    expect(rows.filter((x) => x.status === 'ok').map((x) => x.factor)).toEqual([fx.f('signal.csv'), fx.f('signal.csv')]);
    const failed = rows.filter((x) => x.status === 'failed');
    expect(failed).toHaveLength(2);
    expect(failed[0].reason).toMatch(
      /^failed on the workers after 2 attempts: could not write the result file .*noise\.csv\.json: .*(EISDIR|ENOTEMPTY|directory)/i,
    );
    expect(r.err).toMatch(/1 of 2 factors failed: .*noise\.csv \(failed on the workers after 2 attempts: could not write the result file/);
    await stop(w);
  });

  it('a factor file changed after submission fails with a hash mismatch; a hostile payload is refused', async () => {
    writeFileSync(fx.f('changing.csv'), readFileSync(fx.f('noise.csv')));
    const submitted = cli(
      'zoo',
      fx.f('changing.csv'),
      ...fx.common,
      '--results',
      fx.f('changed'),
      '--table',
      fx.f('changed/summary.json'),
      '--redis',
      url,
      '--queue',
      'hash',
    );
    const q = new Queue('hash', { connection: { url } });
    await until('the job in the queue', async () => (await q.getJobCounts('wait')).wait === 1);
    writeFileSync(fx.f('changing.csv'), readFileSync(fx.f('signal.csv')));
    const w = worker('hash');
    const r = await submitted;
    expect(r.code).toBe(2);
    const [row] = readRows(fx.f('changed/summary.json'));
    expect(row.reason).toMatch(
      /^input changed: factor .*changing\.csv has sha256 [0-9a-f]{16}\.\.\. on this worker, the zoo was submitted with [0-9a-f]{16}\.\.\./,
    );
    expect(w.log().match(/started/g)?.length).toBe(1); // refused, not retried
    const hostile = await q.add(
      'factor',
      { version: 1, spec: { name: 'x', factor: 'x' }, processor: 'require("child_process").execSync("touch /tmp/pwned")' },
      { attempts: 3 },
    );
    await until('the hostile job to fail', async () => (await q.getJobState(hostile.id as string)) === 'failed');
    const job = await Job.fromId(q, hostile.id as string);
    expect(job?.failedReason).toBe('malformed job payload: unknown field "processor"');
    expect(job?.attemptsMade).toBe(1);
    await stop(w);
    // a worker told where results go refuses a payload that writes elsewhere
    const guarded = worker('hash', '--results-under', fx.f('changed'));
    await ready(guarded);
    writeFileSync(fx.f('ok.csv'), readFileSync(fx.f('noise.csv')));
    const data = {
      version: 1,
      spec: { name: 'ok.csv', factor: 'ok.csv' },
      flags: {
        prices: 'prices.csv',
        horizons: [1],
        quantiles: 5,
        universe: 'joint',
        minAssets: 3,
        icThreshold: 0.03,
        executionLag: 0,
        maxLoss: 0.35,
      },
      cwd: fx.dir,
      inputs: [],
      resultFile: '/tmp/elsewhere.json',
    };
    const { sha256File } = await import('../../../src/zoo/jobs.js');
    data.inputs = [
      { role: 'prices', path: 'prices.csv', sha256: await sha256File(fx.f('prices.csv')) },
      { role: 'factor', path: 'ok.csv', sha256: await sha256File(fx.f('ok.csv')) },
    ] as never;
    const outside = await q.add('factor', data, { attempts: 3 });
    await until('the outside job to fail', async () => (await q.getJobState(outside.id as string)) === 'failed');
    expect((await Job.fromId(q, outside.id as string))?.failedReason).toMatch(
      /result file \/tmp\/elsewhere\.json is outside .*--results-under/,
    );
    expect(existsSync('/tmp/elsewhere.json')).toBe(false);
    await q.close();
    await stop(guarded);
  });
});

afterAll(async () => {
  await stop(redis);
});
