import { execFileSync } from 'node:child_process';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, inputPaths, isInside, jobId, parseJobData, sha256Cached, sha256File, type ZooJobData } from './jobs.js';
import { tempDir } from '../../test/tempDir.js';

const dir = tempDir('factorlab-jobs-');
const file = join(dir, 'prices.csv');
writeFileSync(file, 'date,A\n2024-01-02,1\n'.repeat(5000));

const flags = {
  prices: 'prices.csv',
  horizons: [1, 5],
  quantiles: 5,
  universe: 'joint' as const,
  minAssets: 3,
  icThreshold: 0.03,
  executionLag: 0,
  maxLoss: 0.35,
  threads: 1,
  clean: true,
};
const good = (): ZooJobData => ({
  version: 1,
  spec: { name: 'f.csv', factor: 'f.csv' },
  flags: { ...flags },
  cwd: '/data',
  inputs: [
    { role: 'prices', path: 'prices.csv', sha256: 'a'.repeat(64) },
    { role: 'factor', path: 'f.csv', sha256: 'b'.repeat(64) },
  ],
  resultFile: '/data/out/f.csv.json',
});

describe('sha256File', () => {
  it('equals Python hashlib on the same bytes; the cache sees a rewrite', async () => {
    const py = execFileSync(
      '/usr/bin/python3',
      ['-c', 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())', file],
      { encoding: 'utf8' },
    ).trim();
    expect(await sha256File(file)).toBe(py);
    expect(await sha256Cached(file)).toBe(py);
    writeFileSync(file, 'date,A\n2024-01-02,2\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await sha256Cached(file)).not.toBe(py);
    expect(await sha256Cached(file)).toBe(await sha256File(file));
  });
});

describe('canonicalJson and jobId', () => {
  it('property: key order does not change the text; undefined fields are left out', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
        expect(JSON.parse(canonicalJson(o))).toEqual(JSON.parse(JSON.stringify(o)));
      }),
    );
    expect(canonicalJson({ b: 1, a: undefined, c: [2, { y: 1, x: 2 }] })).toBe('{"b":1,"c":[2,{"x":2,"y":1}]}');
  });

  it('the same payload gives the same id; another file hash or flag another id', () => {
    const a = good(),
      b = good();
    expect(jobId(a)).toBe(jobId(b));
    expect(jobId(a)).toMatch(/^f-[0-9a-f]{64}$/);
    b.inputs[0].sha256 = 'c'.repeat(64);
    expect(jobId(b)).not.toBe(jobId(a));
    expect(jobId({ ...good(), flags: { ...flags, horizons: [1] } })).not.toBe(jobId(a));
    expect(jobId({ ...good(), spec: { name: 'g.csv', factor: 'g.csv' } })).not.toBe(jobId(a));
  });

  it('the id holds no path of the submitter: another working directory or result file, the same id', () => {
    const a = good();
    const id = jobId(a);
    expect(id).not.toContain('data');
    expect(jobId({ ...good(), cwd: '/elsewhere', resultFile: '/elsewhere/results/f.csv.json' })).toBe(id);
    expect(jobId({ ...good(), flags: { ...flags, threads: 4 } })).toBe(id);
  });
});

describe('inputPaths', () => {
  it('prices, weights, groups and the factor file; no file for momentum', () => {
    expect(inputPaths({ ...flags, groups: 'g.csv', weights: 'w.csv' }, { name: 'f', factor: 'f.csv' }).map((i) => i.role)).toEqual([
      'prices',
      'weights',
      'groups',
      'factor',
    ]);
    expect(inputPaths(flags, { name: 'momentum', factor: 'momentum', momentum: true }).map((i) => i.role)).toEqual(['prices']);
  });
});

describe('parseJobData', () => {
  it('accepts a payload as the zoo builds it', () => {
    expect(parseJobData(JSON.parse(JSON.stringify(good())))).toEqual(good());
  });

  it("accepts analyze's binnings: --bins, --quantile-edges, --bin-edges, --zero-aware", () => {
    for (const extra of [{ bins: 4 }, { quantileEdges: [0, 0.1, 0.5, 1] }, { binEdges: [-1, 0, 1] }, { zeroAware: true, quantiles: 4 }]) {
      const d = { ...good(), flags: { ...good().flags, ...extra } };
      expect(parseJobData(JSON.parse(JSON.stringify(d)))).toEqual(d);
    }
  });

  it('accepts --timezone as an IANA zone; another zone is another job id', () => {
    const d = { ...good(), flags: { ...good().flags, timezone: 'America/New_York' } };
    expect(parseJobData(JSON.parse(JSON.stringify(d)))).toEqual(d);
    expect(jobId(d)).not.toBe(jobId(good()));
    expect(jobId(d)).not.toBe(jobId({ ...d, flags: { ...d.flags, timezone: 'Asia/Tokyo' } }));
  });

  const zone = (z: unknown) => (d: Record<string, unknown>) => ({ ...d, flags: { ...(d.flags as object), timezone: z } });
  const bad: [string, (d: Record<string, unknown>) => unknown, RegExp][] = [
    [
      'a time zone no runtime knows',
      zone('Mars/Olympus_Mons'),
      /flags.timezone is not an IANA time zone this worker knows \("Mars\/Olympus_Mons"\)/,
    ],
    ['a time zone carrying SQL', zone("UTC') AS DATE); COPY (SELECT 1) TO '/tmp/x"), /flags.timezone is not an IANA time zone/],
    ['a time zone that is not a string', zone(['UTC']), /flags.timezone is not an IANA time zone this worker knows \(object\)/],
    ['an empty time zone', zone(''), /flags.timezone is not an IANA time zone/],
    // the files read are the files checked: a path in the flags or the spec without its hash in inputs
    [
      'flags.prices another file than the checked one',
      (d) => ({ ...d, flags: { ...(d.flags as object), prices: '/etc/passwd' } }),
      /inputs must be the files of the flags and the spec, in order \(prices \/etc\/passwd, factor f\.csv\)/,
    ],
    ['a factor file without its hash', (d) => ({ ...d, inputs: (d.inputs as unknown[]).slice(0, 1) }), /inputs must be the files of/],
    [
      'a weights file without its hash',
      (d) => ({ ...d, flags: { ...(d.flags as object), weights: 'w.csv' } }),
      /inputs must be the files of the flags and the spec, in order \(prices prices\.csv, weights w\.csv, factor f\.csv\)/,
    ],
    [
      'a momentum spec naming a file',
      (d) => ({ ...d, spec: { name: 'm', factor: '/etc/passwd', momentum: true }, inputs: (d.inputs as unknown[]).slice(0, 1) }),
      /spec.factor of a momentum spec must be momentum or momentum:LOOKBACK,SKIP/,
    ],
    ['not an object', () => 'rm -rf /', /not an object/],
    ['an unknown field', (d) => ({ ...d, processor: 'module.exports = () => process.exit()' }), /unknown field "processor"/],
    ['another version', (d) => ({ ...d, version: 2 }), /version 2/],
    ['a code-carrying flag', (d) => ({ ...d, flags: { ...(d.flags as object), require: 'child_process' } }), /unknown flag "require"/],
    ['a wrong type', (d) => ({ ...d, flags: { ...(d.flags as object), horizons: '1; DROP' } }), /flags.horizons is not a valid ints/],
    ['a missing flag', (d) => ({ ...d, flags: { ...(d.flags as object), prices: undefined } }), /flags.prices is missing/],
    ['a bad enum', (d) => ({ ...d, flags: { ...(d.flags as object), universe: 'all' } }), /flags.universe/],
    [
      'edges that are not numbers',
      (d) => ({ ...d, flags: { ...(d.flags as object), binEdges: [0, '1'] } }),
      /flags.binEdges is not a valid numbers/,
    ],
    ['a relative cwd', (d) => ({ ...d, cwd: 'data' }), /cwd must be an absolute path/],
    ['a result that is not JSON', (d) => ({ ...d, resultFile: '/etc/passwd' }), /resultFile must be an absolute path ending in .json/],
    ['a short hash', (d) => ({ ...d, inputs: [{ role: 'prices', path: 'p.csv', sha256: 'abc' }] }), /64-hex-digit sha256/],
    ['an unknown role', (d) => ({ ...d, inputs: [{ role: 'script', path: 'p.js', sha256: 'a'.repeat(64) }] }), /each input/],
    ['a spec with extra fields', (d) => ({ ...d, spec: { name: 'x', factor: 'x', eval: '1' } }), /unknown field "spec.eval"/],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => parseJobData(change(good() as unknown as Record<string, unknown>))).toThrow(message);
      expect(() => parseJobData(change(good() as unknown as Record<string, unknown>))).toThrow(/^malformed job payload/);
    });
  }
});

describe('isInside', () => {
  it('a path under the folder, not the folder itself, not a sibling with the same prefix, not via ..', () => {
    expect(isInside('/shared/zoo/a.json', '/shared/zoo')).toBe(true);
    expect(isInside('/shared/zoo/x/y/a.json', '/shared/zoo/')).toBe(true);
    expect(isInside('/shared/zoo', '/shared/zoo')).toBe(false);
    expect(isInside('/shared/zoo2/a.json', '/shared/zoo')).toBe(false);
    expect(isInside('/shared/zoo/../etc/a.json', '/shared/zoo')).toBe(false);
    expect(isInside('/etc/a.json', '/shared/zoo')).toBe(false);
  });
});
