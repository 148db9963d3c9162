/**
 * `factorlab zoo` on one machine, end to end: each factor's JSON is byte for byte what
 * `factorlab analyze --out` writes for it alone; the table holds every factor x horizon sorted by
 * the chosen column, the failed factors last with their reasons; the exit code says some failed;
 * factors on worker threads (--threads) give the same bytes as on the main thread.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeOutput } from '../../../src/cli/commands/analyze.js';
import type { ZooRow } from '../../../src/zoo/summary.js';
import { cli, OK_FACTORS, zooFixture, type ZooFixture } from './fixtures.js';

let fx: ZooFixture;
let run: { code: number; out: string; err: string };
beforeAll(async () => {
  fx = await zooFixture();
  run = await cli(
    'zoo',
    ...fx.factors,
    ...fx.common,
    '--results',
    fx.f('out'),
    '--table',
    fx.f('out/summary.json'),
    '--sort',
    'ic_mean',
    '--threads',
    '3',
  );
}, 120_000);

describe('factorlab zoo', () => {
  it('exits 2 naming the failed factors, after writing everything', () => {
    expect(run.code, run.err).toBe(2);
    expect(run.err).toMatch(/2 of 7 factors failed: .*foreign\.csv.*lost.*missing\.csv.*file not found/s);
    expect(run.out).toContain('factorlab zoo: 7 factors');
    expect(run.out).toContain('failed:');
  });

  it("each factor's JSON is byte for byte analyze --out on that factor alone", async () => {
    for (const { args, file } of OK_FACTORS(fx)) {
      const out = fx.f(`alone-${file}`);
      const r = await cli('analyze', ...args, ...fx.common, '--out', out, '--threads', '1');
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(join(fx.f('out'), file), 'utf8'), file).toBe(readFileSync(out, 'utf8'));
    }
  });

  it('--threads 1 (every factor on the main thread) writes the same bytes as 3 threads: every JSON, the table, the output', async () => {
    const one = await cli(
      'zoo',
      ...fx.factors,
      ...fx.common,
      '--results',
      fx.f('one'),
      '--table',
      fx.f('one/summary.json'),
      '--sort',
      'ic_mean',
      '--threads',
      '1',
    );
    expect(one.code).toBe(2);
    expect(one.out).toBe(run.out.replaceAll(fx.f('out'), fx.f('one')));
    expect(one.err.replace(/\r?[^\n]*zoo:[^\n]*factors\/s[^\n]*/g, '')).toBe(run.err.replace(/\r?[^\n]*zoo:[^\n]*factors\/s[^\n]*/g, ''));
    const files = readdirSync(fx.f('out')).sort();
    expect(readdirSync(fx.f('one')).sort()).toEqual(files);
    for (const name of files)
      expect(readFileSync(join(fx.f('one'), name), 'utf8'), name).toBe(readFileSync(join(fx.f('out'), name), 'utf8'));
  });

  it('the table: factor x horizon, sorted by --sort, failed rows last with their reasons, numbers from the JSON', () => {
    const rows = JSON.parse(readFileSync(fx.f('out/summary.json'), 'utf8')) as ZooRow[];
    expect(rows).toHaveLength(14);
    const ok = rows.filter((r) => r.status === 'ok');
    expect(ok).toHaveLength(10);
    expect(rows.slice(10).every((r) => r.status === 'failed')).toBe(true);
    for (let i = 1; i < ok.length; i++) expect((ok[i - 1].ic_mean as number) >= (ok[i].ic_mean as number)).toBe(true);
    const failedReasons = Object.fromEntries(
      rows.filter((r) => r.status === 'failed').map((r) => [r.factor.replace(/.*\//, ''), r.reason]),
    );
    expect(failedReasons['foreign.csv']).toMatch(/lost/);
    expect(failedReasons['missing.csv']).toMatch(/file not found/);
    const signal = JSON.parse(readFileSync(fx.f('out/signal.csv.json'), 'utf8')) as AnalyzeOutput;
    const row = ok.find((r) => r.factor === fx.f('signal.csv') && r.horizon === 5) as ZooRow;
    expect(row.ic_mean).toBe(signal.ic['5'].summary.pearson.mean);
    expect(row.rank_ic_t_nw).toBe(signal.ic['5'].summary.spearman.tStatNW);
    expect(row.spread).toBe(signal.quantiles['5'].spread.mean);
    expect(row.n_dates).toBe(signal.nDates);
    // the planted signal and its doubled copy (the same IC) lead the table
    expect(new Set(ok.slice(0, 2).map((r) => r.factor.replace(/.*\//, '')))).toEqual(new Set(['signal.csv', 'multi.csv#sig2']));
    expect(ok[0].ic_mean).toBeCloseTo(ok[1].ic_mean as number, 12);
  });

  it('--json prints the sorted table; CSV and Parquet tables hold the same rows', async () => {
    const r = await cli(
      'zoo',
      fx.f('signal.csv'),
      'momentum:60,5',
      ...fx.common,
      '--json',
      '--table',
      fx.f('small.parquet'),
      '--sort',
      'factor',
    );
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as ZooRow[];
    expect(rows.map((x) => `${x.factor}@${x.horizon}`)).toEqual([
      `${fx.f('signal.csv')}@1`,
      `${fx.f('signal.csv')}@5`,
      'momentum:60,5@1',
      'momentum:60,5@5',
    ]);
    const c = await cli('zoo', fx.f('signal.csv'), 'momentum:60,5', ...fx.common, '--table', fx.f('small.csv'), '--sort', 'factor');
    expect(c.code, c.err).toBe(0);
    const csv = readFileSync(fx.f('small.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'factor,horizon,status,ic_mean,ic_ir,ic_t,ic_t_nw,rank_ic_mean,rank_ic_ir,rank_ic_t,rank_ic_t_nw,spread,spread_t_nw,monotonicity,turnover_top,turnover_bottom,share_abs_t_above_2,data_loss,n_dates,n_assets,reason',
    );
    expect(Number(csv[1].split(',')[3])).toBe(rows[0].ic_mean);
  });

  it('the binnings of analyze (--bins, --bin-edges, --zero-aware): each JSON byte for byte analyze --out with the same flags', async () => {
    for (const [k, binning] of [
      ['--bins', '4'],
      ['--zero-aware', '--quantiles', '4'],
      ['--bin-edges', '-1,0,1'],
    ].entries()) {
      const dir = fx.f(`bin${k}`);
      const z = await cli('zoo', fx.f('signal.csv'), ...fx.common, ...binning, '--results', dir, '--table', fx.f(`bin${k}.csv`));
      expect(z.code, z.err).toBe(0);
      const alone = fx.f(`bin${k}-alone.json`);
      const a = await cli('analyze', '--factor', fx.f('signal.csv'), ...fx.common, ...binning, '--out', alone, '--threads', '1');
      expect(a.code, a.err).toBe(0);
      expect(readFileSync(join(dir, 'signal.csv.json'), 'utf8'), binning.join(' ')).toBe(readFileSync(alone, 'utf8'));
    }
  });

  it('--as-of monthly --max-age: each JSON byte for byte analyze --out with the same flags; momentum specs and --sample beside it are refused for the whole zoo', async () => {
    const asOf = ['--as-of', 'monthly', '--max-age', '40'];
    const z = await cli('zoo', fx.f('signal.csv'), `${fx.f('multi.csv')}#sig2`, ...fx.common, ...asOf, '--results', fx.f('asof'));
    expect(z.code, z.err).toBe(0);
    const alone = fx.f('asof-alone.json');
    const a = await cli('analyze', '--factor', fx.f('signal.csv'), ...fx.common, ...asOf, '--out', alone, '--threads', '1');
    expect(a.code, a.err).toBe(0);
    expect(readFileSync(join(fx.f('asof'), 'signal.csv.json'), 'utf8')).toBe(readFileSync(alone, 'utf8'));
    const json = JSON.parse(readFileSync(alone, 'utf8')) as AnalyzeOutput;
    expect(json.periodsPerYear).toBe(12);
    expect(json.notes.join('\n')).toContain('at most 40 days old');
    for (const [extra, message] of [
      [['momentum:60,5'], /momentum:60,5 is computed on the price dates already/],
      [['--sample', 'monthly'], /--as-of and --sample both choose the formation dates/],
    ] as const) {
      const r = await cli('zoo', fx.f('signal.csv'), ...fx.common, ...asOf, ...extra, '--results', fx.f('asof-bad'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(fx.f('asof-bad/signal.csv.json'))).toBe(false);
    }
    const m = await cli('zoo', fx.f('signal.csv'), ...fx.common, '--max-age', '40');
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/--max-age needs --as-of/);
  });

  it('--group-adjust: each JSON byte for byte analyze --out with the same flags; without --groups the whole zoo is refused', async () => {
    const z = await cli('zoo', fx.f('signal.csv'), 'momentum:60,5', ...fx.common, '--group-adjust', '--results', fx.f('ga'));
    expect(z.code, z.err).toBe(0);
    for (const [arg, file] of [
      [fx.f('signal.csv'), 'signal.csv.json'],
      ['momentum:60,5', 'momentum_60_5.json'],
    ]) {
      const alone = fx.f(`ga-alone-${file}`);
      const a = await cli('analyze', '--factor', arg, ...fx.common, '--group-adjust', '--out', alone, '--threads', '1');
      expect(a.code, a.err).toBe(0);
      expect(readFileSync(join(fx.f('ga'), file), 'utf8'), file).toBe(readFileSync(alone, 'utf8'));
      expect((JSON.parse(readFileSync(alone, 'utf8')) as AnalyzeOutput).notes.join('\n')).toContain('--group-adjust');
    }
    const bad = await cli('zoo', fx.f('signal.csv'), '--prices', fx.f('prices.csv'), '--group-adjust');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--group-adjust needs --groups/);
  });

  it('bad input for the whole zoo exits 2 before any factor runs', async () => {
    const r = await cli('zoo', fx.f('signal.csv'), '--prices', fx.f('nope.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.csv.*file not found/);
    const s = await cli('zoo', fx.f('signal.csv'), '--prices', fx.f('prices.csv'), '--sort', 'sharpe');
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/--sort takes a column/);
    const g = await cli('zoo', fx.f('nothing/*.csv'), '--prices', fx.f('prices.csv'));
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/does not exist/);
    // a binning the whole zoo shares: refused once, not as every factor's failure
    const z = await cli(
      'zoo',
      fx.f('signal.csv'),
      'momentum:60,5',
      '--prices',
      fx.f('prices.csv'),
      '--zero-aware',
      '--results',
      fx.f('zbad'),
    );
    expect(z.code).toBe(2);
    expect(z.err).toMatch(/--zero-aware splits the labels evenly .* --quantiles 5 is odd/);
    expect(z.out).not.toMatch(/failed/);
    expect(existsSync(fx.f('zbad'))).toBe(false);
  });
});
