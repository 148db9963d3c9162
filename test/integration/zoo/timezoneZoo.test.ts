/**
 * `factorlab zoo --timezone ZONE`: prices and factor files dated by times in UTC (a vendor's close
 * at 21:00Z) are read as their date in the zone, locally and on the workers (the zone travels in
 * the job payload, and a worker's cached shared inputs are per zone): each JSON is byte for byte
 * `analyze --timezone` on that factor, the numbers those of the same files with plain dates, and
 * the distributed zoo writes the bytes of the local one, zone after zone on the same worker.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, REDIS, freePort, procs, start, stop, until, type Proc } from './processes.js';
import { cli, zooFixture, type ZooFixture } from './fixtures.js';

let fx: ZooFixture;
let url = '';
let redis: Proc;
/** A copy of `name` with each date (at a line's start) as the close in New York written in UTC (21:00Z: 16:00 EST, 17:00 EDT). */
const inUtc = (name: string): string => {
  const to = fx.f(name.replace('.csv', '-utc.csv'));
  writeFileSync(
    to,
    readFileSync(fx.f(name), 'utf8')
      .split('\n')
      .map((line, i) => (i === 0 ? line : line.replace(/^(\d{4}-\d{2}-\d{2})(?=,)/, '$1T21:00:00Z')))
      .join('\n'),
  );
  return to;
};
const common = (prices: string): string[] => ['--prices', prices, '--horizons', '1,5', '--groups', fx.f('sectors.csv'), '--threads', '1'];
const sameFiles = (a: string, b: string): void => {
  const files = readdirSync(a).sort();
  expect(readdirSync(b).sort()).toEqual(files);
  for (const name of files) expect(readFileSync(join(b, name), 'utf8'), name).toBe(readFileSync(join(a, name), 'utf8'));
};

beforeAll(async () => {
  fx = await zooFixture({ nAssets: 40, nDates: 200 });
  for (const f of ['prices.csv', 'signal.csv', 'multi.csv']) inUtc(f);
  expect(readFileSync(fx.f('signal-utc.csv'), 'utf8').split('\n')[1]).toMatch(/^\d{4}-\d{2}-\d{2}T21:00:00Z,/);
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = start(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await until('redis-server', () => redis.log().includes('Ready to accept connections'));
}, 120_000);

afterAll(async () => {
  for (const c of procs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await stop(redis);
});

describe('factorlab zoo --timezone', () => {
  it('UTC closes read in New York: the numbers of the plain dates, each JSON byte for byte analyze --timezone; without it exit 2 naming the flag', async () => {
    const factors = (suffix: string): string[] => [fx.f(`signal${suffix}.csv`), 'momentum:60,5', `${fx.f(`multi${suffix}.csv`)}#sig2`];
    const plain = await cli('zoo', ...factors(''), ...common(fx.f('prices.csv')), '--results', fx.f('plain'), '--json');
    expect(plain.code, plain.err).toBe(0);
    const utc = fx.f('prices-utc.csv');
    const zoned = await cli(
      'zoo',
      ...factors('-utc'),
      ...common(utc),
      '--timezone',
      'America/New_York',
      '--results',
      fx.f('zoned'),
      '--json',
    );
    expect(zoned.code, zoned.err).toBe(0);
    const renamed = (s: string): string => s.replaceAll('-utc.csv', '.csv');
    expect(renamed(zoned.out)).toBe(plain.out);
    for (const name of readdirSync(fx.f('plain')))
      expect(renamed(readFileSync(join(fx.f('zoned'), name.replace(/^(signal|multi)\.csv/, '$1-utc.csv')), 'utf8')), name).toBe(
        readFileSync(join(fx.f('plain'), name), 'utf8'),
      );
    const alone = await cli(
      'analyze',
      '--factor',
      fx.f('signal-utc.csv'),
      ...common(utc),
      '--timezone',
      'America/New_York',
      '--out',
      fx.f('alone.json'),
    );
    expect(alone.code, alone.err).toBe(0);
    expect(readFileSync(fx.f('zoned/signal-utc.csv.json'), 'utf8')).toBe(readFileSync(fx.f('alone.json'), 'utf8'));

    const refused = await cli('zoo', ...factors('-utc'), ...common(utc));
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/prices-utc\.csv:2[\s\S]*is a time in UTC that is not midnight[\s\S]*--timezone/);
    const unknown = await cli('zoo', fx.f('signal.csv'), ...common(fx.f('prices.csv')), '--timezone', 'America/Nowhere');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--timezone: unknown time zone "America/Nowhere"');
  });

  it('--redis: the bytes of the local zoo, in New York then in Tokyo on the same worker (its cached prices are per zone)', async () => {
    expect(existsSync(MAIN), 'run npm run build first (npm run test:integration does)').toBe(true);
    const w = start(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', 'tz', '--lock-ms', '2000']);
    await until('the worker', () => w.log().includes('waiting for jobs'));
    const utc = fx.f('prices-utc.csv');
    for (const zone of ['America/New_York', 'Asia/Tokyo']) {
      const tag = zone.replace('/', '-');
      const args = [fx.f('signal-utc.csv'), `${fx.f('multi-utc.csv')}#sig2`, 'momentum:60,5', ...common(utc), '--timezone', zone];
      const local = await cli('zoo', ...args, '--results', fx.f(`local-${tag}`), '--table', fx.f(`local-${tag}/summary.csv`));
      expect(local.code, local.err).toBe(0);
      const dist = await cli(
        'zoo',
        ...args,
        '--results',
        fx.f(`dist-${tag}`),
        '--table',
        fx.f(`dist-${tag}/summary.csv`),
        '--redis',
        url,
        '--queue',
        'tz',
      );
      expect(dist.code, dist.err).toBe(0);
      expect(dist.out).toBe(local.out.replaceAll(fx.f(`local-${tag}`), fx.f(`dist-${tag}`)));
      sameFiles(fx.f(`local-${tag}`), fx.f(`dist-${tag}`));
    }
    // Tokyo reads 21:00Z as the next day: the dates differ from New York's, so no JSON was reused
    const first = (tag: string): string =>
      (JSON.parse(readFileSync(fx.f(`dist-${tag}/signal-utc.csv.json`), 'utf8')) as { firstDate: string }).firstDate;
    expect(first('Asia-Tokyo')).not.toBe(first('America-New_York'));
    expect(w.log().match(/started/g)?.length).toBe(6);
    await stop(w);
  });
});
