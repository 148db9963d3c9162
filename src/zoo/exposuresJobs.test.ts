import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExposuresZooFlags } from './exposures.js';
import { buildExposuresJobs } from './exposuresDistributed.js';
import { EXPOSURES_JOB_VERSION, exposuresJobId, parseExposuresJobData, type ExposuresJobData } from './exposuresJobs.js';
import { sha256File } from './jobs.js';
import { tempDir } from '../../test/tempDir.js';

const H = 'a'.repeat(64),
  G = 'b'.repeat(64);
const flags: ExposuresZooFlags = { prices: 'prices.csv', factors: ['ff.csv'], fill: 'ffill', constant: true, threads: 1, neweyWest: 4 };
const good = (): ExposuresJobData => ({
  version: EXPOSURES_JOB_VERSION,
  flags: { ...flags },
  cwd: '/data',
  inputs: [
    { role: 'prices', path: 'prices.csv', sha256: H },
    { role: 'factors', path: 'ff.csv', sha256: H },
  ],
  portfolios: [
    { path: 'p1.csv', sha256: G },
    { path: 'p2.csv', sha256: H },
  ],
});

describe('exposures job payloads', () => {
  it('a good payload parses to itself', () => {
    expect(parseExposuresJobData(good())).toEqual(good());
    expect(parseExposuresJobData({ ...good(), portfolios: [] }).portfolios).toEqual([]);
    // --timezone (exposures' returns option): refused before as an unknown flag, so every block failed
    const zoned = { ...good(), flags: { ...flags, timezone: 'America/New_York' } };
    expect(parseExposuresJobData(zoned)).toEqual(zoned);
    expect(() => parseExposuresJobData({ ...good(), flags: { ...flags, timezone: "UTC'; --" } })).toThrow(
      /flags.timezone is not an IANA time zone this worker knows/,
    );
  });

  it('hostile or malformed payloads are refused with the field named', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...good(), processor: 'require("child_process")' }, /unknown field "processor"/],
      [{ ...good(), version: 1 }, /version 1 \(this worker reads exposures version 2;/],
      [{ ...good(), flags: { ...flags, exec: 'rm -rf /' } }, /unknown flag "exec"/],
      [{ ...good(), flags: { ...flags, ['__proto__']: 1 } }, /malformed/],
      [{ ...good(), flags: { ...flags, neweyWest: -1 } }, /flags.neweyWest/],
      [{ ...good(), flags: { ...flags, factors: [] } }, /flags.factors/],
      [{ ...good(), flags: { ...flags, fill: 'bfill' } }, /flags.fill/],
      [{ ...good(), flags: { ...flags, returns: 'r.csv' } }, /exactly one of prices and returns/],
      [{ ...good(), cwd: 'relative' }, /cwd must be an absolute path/],
      [
        {
          ...good(),
          inputs: [
            { role: 'prices', path: 'prices.csv', sha256: H },
            { role: 'factors', path: 'other.csv', sha256: H },
          ],
        },
        /the files the flags name/,
      ],
      [
        {
          ...good(),
          inputs: [
            { role: 'code', path: 'x', sha256: H },
            { role: 'factors', path: 'ff.csv', sha256: H },
          ],
        },
        /inputs must be/,
      ],
      [{ ...good(), portfolios: [{ path: 'p.csv', sha256: 'xyz' }] }, /portfolios must be/],
      [{ ...good(), portfolios: [{ path: 'p.csv', sha256: G, run: 'x' }] }, /portfolios must be/],
      [{ ...good(), portfolios: [{ path: 'p\0.csv', sha256: G }] }, /portfolios must be/],
    ];
    for (const [raw, message] of cases) expect(() => parseExposuresJobData(raw), String(message)).toThrow(message);
    for (const [raw] of cases) expect(() => parseExposuresJobData(raw)).toThrow(/^malformed job payload: /);
  });

  it('the job id depends on the content (flags, hashes, the block) and not on cwd or --threads', () => {
    const id = exposuresJobId(good());
    expect(id).toMatch(/^e-[0-9a-f]{64}$/);
    expect(exposuresJobId({ ...good(), cwd: '/elsewhere', flags: { ...flags, threads: 8 } })).toBe(id);
    expect(exposuresJobId({ ...good(), flags: { ...flags, neweyWest: 5 } })).not.toBe(id);
    expect(exposuresJobId({ ...good(), portfolios: good().portfolios.reverse() })).not.toBe(id);
    expect(exposuresJobId({ ...good(), inputs: [good().inputs[0], { ...good().inputs[1], sha256: G }] })).not.toBe(id);
  });

  it('buildExposuresJobs: blocks in order, a missing weights file a failure, at least one job; a missing shared file is bad input', async () => {
    const dir = tempDir('factorlab-ejobs-');
    for (const n of ['prices.csv', 'ff.csv', 'a.csv', 'b.csv', 'c.csv']) writeFileSync(join(dir, n), `${n}\n`);
    const { jobs, failed } = await buildExposuresJobs(flags, ['a.csv', 'gone.csv', 'b.csv', 'c.csv'], 2, dir);
    expect(jobs.map((j) => j.indices)).toEqual([[0, 2], [3]]);
    expect(jobs[0].data.portfolios).toEqual([
      { path: 'a.csv', sha256: await sha256File(join(dir, 'a.csv')) },
      { path: 'b.csv', sha256: await sha256File(join(dir, 'b.csv')) },
    ]);
    for (const j of jobs) expect(parseExposuresJobData(JSON.parse(JSON.stringify(j.data)))).toEqual(j.data);
    expect(failed[1]?.reason).toMatch(/gone\.csv.*file not found/);
    expect(failed.filter((f) => f !== undefined)).toHaveLength(1);
    const none = await buildExposuresJobs(flags, ['gone.csv'], 2, dir);
    expect(none.jobs).toHaveLength(1);
    expect(none.jobs[0].indices).toEqual([]);
    await expect(buildExposuresJobs({ ...flags, factors: ['nope.csv'] }, ['a.csv'], 2, dir)).rejects.toThrow(/nope\.csv/);
    await expect(buildExposuresJobs({ ...flags, returns: 'r.csv' }, ['a.csv'], 2, dir)).rejects.toThrow(
      /exactly one of --prices and --returns/,
    );
  });
});
