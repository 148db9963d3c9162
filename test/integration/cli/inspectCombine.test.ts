/**
 * `inspect` and `combine` on the inputs an audit found wrong: scores around 0 checked as returns,
 * and composites that could not be formed for a reason the message did not name.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { Rng } from '../../../src/synthetic/random.js';
import { tempDir } from '../../tempDir.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

const dir = tempDir('factorlab-inspect-combine-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A long date,asset,value file of `nd` business days x `na` assets from `value(t, j)`. */
function longFile(name: string, nd: number, na: number, value: (t: number, j: number) => number | string): string {
  const lines = ['date,asset,value'];
  const d = new Date(Date.UTC(2024, 0, 1));
  for (let t = 0; t < nd;) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const iso = d.toISOString().slice(0, 10);
    for (let j = 0; j < na; j++) lines.push(`${iso},A${String(j).padStart(3, '0')},${value(t, j)}`);
    t++;
  }
  return file(name, `${lines.join('\n')}\n`);
}

describe('inspect: what the values are', () => {
  it('z-scores (median around 0, half negative) are checked as values, not as returns of -100% and bad ticks', async () => {
    const rng = new Rng(5);
    const p = longFile('scores.csv', 60, 50, () => rng.normal(0, 1));
    const r = await cli('inspect', p, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { kind: string; kindNote?: string; quality: { counts: Record<string, number> } };
    expect(j.kind).toBe('values');
    expect(j.kindNote).toMatch(/median \|value\| 0\.\d+ is too large for daily decimal returns/);
    expect(j.quality.counts['non-positive']).toBe(0);
    expect(j.quality.counts['bad-tick']).toBe(0);
    const text = await cli('inspect', p);
    expect(text.out).toMatch(/values {3}values; not returns: the median \|value\|/);
    // asked for, they are checked as returns
    const asked = await cli('inspect', p, '--kind', 'returns', '--json');
    expect((JSON.parse(asked.out) as { kind: string }).kind).toBe('returns');
  });

  it('a long file dated by fiscal period end says its values were published later', async () => {
    const lines = ['Period Ending,Ticker Symbol,roe'];
    for (const dt of ['2021-12-31', '2022-12-31', '2023-12-31']) for (let j = 0; j < 5; j++) lines.push(`${dt},T${j},${j + 1}`);
    const p = file('fundamentals.csv', `${lines.join('\n')}\n`);
    const j = JSON.parse((await cli('inspect', p, '--json')).out) as { dateNote?: string };
    expect(j.dateNote).toMatch(/^dated by "Period Ending", a fiscal period's end: .*\(analyze --execution-lag 63\)$/);
    const text = await cli('inspect', p);
    expect(text.out).toMatch(/dates {4}2021-12-31 \.\. 2023-12-31, .*; dated by "Period Ending"/);
  });

  it('decimal returns are still returns', async () => {
    const rng = new Rng(6);
    const p = longFile('rets.csv', 60, 50, () => rng.normal(0.0005, 0.015));
    const j = JSON.parse((await cli('inspect', p, '--json')).out) as { kind: string; kindNote?: string };
    expect(j.kind).toBe('returns');
    expect(j.kindNote).toBeUndefined();
  });
});

describe('combine: a factor that cannot enter a composite is named', () => {
  const rng = new Rng(7);
  const good = longFile('good.csv', 30, 20, () => rng.normal(0, 1));

  it('a factor with one value for every asset on every date: exit 2 naming it, nothing written', async () => {
    const flat = longFile('flat.csv', 30, 20, () => 5);
    const out = join(dir, 'flat_out.csv');
    const r = await cli('combine', '--factor', good, '--factor', flat, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/factor flat \(.*flat\.csv\) has no two different values on any of its 30 dates \(e\.g\. 5 on 2024-01-02\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('a factor with no value at all: exit 2 naming it', async () => {
    const empty = longFile('allnan.csv', 30, 20, () => 'NaN');
    const r = await cli('combine', '--factor', good, '--factor', empty, '--out', join(dir, 'nan_out.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/factor allnan \(.*allnan\.csv\) has no value on any date: every cell is missing/);
  });

  it('a factor flat on some dates: the composite is missing there, and the output says so', async () => {
    const part = longFile('part.csv', 30, 20, (t) => (t < 3 ? 1 : rng.normal(0, 1)));
    const r = await cli('combine', '--factor', good, '--factor', part, '--out', join(dir, 'part_out.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /part: no two different values on 3 dates of 30 \(first 2024-01-02; one asset, or the same value for all\): no z-score there, so no composite on those dates/,
    );
  });

  it("FILE#column naming no column: the hint gives combine's ways to name it, not analyze's --value-col", async () => {
    const r = await cli('combine', '--factor', `${good}#nope`, '--factor', good, '--name', 'a,b', '--out', join(dir, 'col_out.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no value column "nope"/);
    expect(r.err).not.toMatch(/--value-col/);
    expect(r.err).toMatch(/#COLUMN/);
  });

  it('factors on different calendars: the output says which dates each one loses, and how to align them', async () => {
    const daily = longFile('daily.csv', 30, 20, () => rng.normal(0, 1));
    // every fifth business day, plus a Saturday the daily factor cannot have
    const lines = ['date,asset,value'];
    const dates = ['2024-01-02', '2024-01-09', '2024-01-16', '2024-01-20', '2024-01-23'];
    for (const dt of dates) for (let j = 0; j < 20; j++) lines.push(`${dt},A${String(j).padStart(3, '0')},${rng.normal(0, 1)}`);
    const weekly = file('weekly.csv', `${lines.join('\n')}\n`);
    const r = await cli('combine', '--factor', daily, '--factor', weekly, '--out', join(dir, 'cal_out.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /dates: the composite is formed on the 4 dates every factor has \(2024-01-02 \.\. 2024-01-23\); left out: daily 26 of 30 \(12 between, 14 after\), weekly 1 of 5 \(1 between\); factors on different calendars: --as-of/,
    );
  });

  it('IC weights with prices coarser than the factors: exit 2 (a daily factor on month-end prices would keep one date a month)', async () => {
    const a = longFile('d1.csv', 60, 20, () => rng.normal(0, 1));
    const b = longFile('d2.csv', 60, 20, () => rng.normal(0, 1));
    const lines = ['date,asset,close'];
    for (const dt of ['2024-01-31', '2024-02-29', '2024-03-29'])
      for (let j = 0; j < 20; j++) lines.push(`${dt},A${String(j).padStart(3, '0')},${100 + j + rng.normal(0, 1)}`);
    const prices = file('monthly_prices.csv', `${lines.join('\n')}\n`);
    const out = join(dir, 'coarse_out.csv');
    const r = await cli('combine', '--factor', a, '--factor', b, '--prices', prices, '--method', 'ic', '--window', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the prices are monthly, the factors daily: .* of the 60 factor dates would share a price date with a later one/);
    expect(r.err).toMatch(/--as-of monthly/);
    expect(existsSync(out)).toBe(false);
  });

  it('IC weights: a weekend factor date that trades with the Monday is noted, not silently dropped', async () => {
    const nd = 40,
      na = 20;
    const rows: string[] = [];
    const pr: string[] = [];
    const d = new Date(Date.UTC(2024, 0, 1));
    const level = Array.from({ length: na }, () => 100);
    for (let t = 0; t < nd;) {
      d.setUTCDate(d.getUTCDate() + 1);
      const iso = d.toISOString().slice(0, 10);
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      if (weekend && iso !== '2024-01-20') continue; // one Saturday among the factor dates
      for (let j = 0; j < na; j++) rows.push(`${iso},A${String(j).padStart(3, '0')},${rng.normal(0, 1)}`);
      if (!weekend) {
        for (let j = 0; j < na; j++) {
          level[j] *= 1 + rng.normal(0, 0.01);
          pr.push(`${iso},A${String(j).padStart(3, '0')},${level[j]}`);
        }
        t++;
      }
    }
    const f1 = file('wk1.csv', `date,asset,value\n${rows.join('\n')}\n`);
    const f2 = file('wk2.csv', `date,asset,value\n${rows.map((x) => x.replace(/,[^,]+$/, `,${rng.normal(0, 1)}`)).join('\n')}\n`);
    const prices = file('wk_prices.csv', `date,asset,close\n${pr.join('\n')}\n`);
    const r = await cli(
      'combine',
      '--factor',
      f1,
      '--factor',
      f2,
      '--prices',
      prices,
      '--method',
      'ic',
      '--window',
      '5',
      '--out',
      join(dir, 'wk_out.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 factor date shares a price date with a later one \(e\.g\. 2024-01-20 trades on 2024-01-22 with 2024-01-22\)/);
  });

  it('--execution-lag: the IC of a factor date is measured from the trade L rows later, so weights are known L rows later', async () => {
    const na = 20;
    const a = longFile('lag1.csv', 40, na, () => rng.normal(0, 1));
    const b = longFile('lag2.csv', 40, na, () => rng.normal(0, 1));
    const level = Array.from({ length: na }, () => 100);
    const prices = longFile('lag_prices.csv', 40, na, (_t, j) => (level[j] *= 1 + rng.normal(0, 0.01)));
    const known = async (...extra: string[]): Promise<string> => {
      const out = join(dir, `lag_out${extra.join('')}.csv`);
      const r = await cli(
        'combine',
        '--factor',
        a,
        '--factor',
        b,
        '--prices',
        prices,
        '--method',
        'ic',
        '--window',
        '5',
        '--out',
        out,
        ...extra,
      );
      expect(r.code).toBe(0);
      return /weights known from (\d{4}-\d\d-\d\d)/.exec(r.out)?.[1] ?? '';
    };
    // window 5, horizon 1: rows 0..4 are realised by row 5 (2024-01-09); with lag 3, by row 8 (2024-01-12)
    expect(await known()).toBe('2024-01-09');
    expect(await known('--execution-lag', '3')).toBe('2024-01-12');
  });

  it('IC weights unknown after they were first known are counted, with the reason', async () => {
    const na = 20;
    // on row 15 only two assets have a value of the first factor: no IC there
    const a = longFile('hole1.csv', 40, na, (t, j) => (t === 15 && j >= 2 ? 'NaN' : rng.normal(0, 1)));
    const b = longFile('hole2.csv', 40, na, () => rng.normal(0, 1));
    const level = Array.from({ length: na }, () => 100);
    const prices = longFile('hole_prices.csv', 40, na, (_t, j) => (level[j] *= 1 + rng.normal(0, 0.01)));
    const r = await cli(
      'combine',
      '--factor',
      a,
      '--factor',
      b,
      '--prices',
      prices,
      '--method',
      'ic',
      '--window',
      '4',
      '--out',
      join(dir, 'hole_out.csv'),
    );
    expect(r.code).toBe(0);
    // row 15 is realised at row 16 and stays in the 4-row window until row 19 (2024-01-29): rows 16..19 unknown
    expect(r.out).toMatch(
      /weights known from 2024-01-08; unknown on 4 later dates \(the latest 2024-01-29\): a row of the 4-date window without an IC/,
    );
  });

  it('factors dated by fiscal period end: a look-ahead warning (the composite file no longer says how it is dated)', async () => {
    const text = (name: string): string => {
      const lines = ['Period Ending,Ticker Symbol,roe'];
      for (const dt of ['2021-12-31', '2022-12-31', '2023-12-31'])
        for (let j = 0; j < 10; j++) lines.push(`${dt},T${j},${rng.normal(0, 1)}`);
      return file(name, `${lines.join('\n')}\n`);
    };
    const r = await cli('combine', '--factor', text('pe1.csv'), '--factor', text('pe2.csv'), '--out', join(dir, 'pe_out.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning: pe1 \("Period Ending"\), pe2 \("Period Ending"\) are dated by a fiscal period's end/);
    expect(r.out).toMatch(/test it with analyze --execution-lag 63/);
  });

  it('flags of the IC weights given with --method equal: exit 2 instead of being ignored', async () => {
    const r = await cli('combine', '--factor', good, '--factor', good, '--name', 'a,b', '--window', '5', '--out', join(dir, 'eq_out.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--window sets the IC weights, and --method equal has none: it would be ignored/);
    expect(r.err).toMatch(/hint: add --method ic or --method icir/);
  });

  it('--min-periods lets a window with a row without IC still give a weight; above --window it is refused', async () => {
    const na = 20;
    const a = longFile('mp1.csv', 40, na, (t, j) => (t === 15 && j >= 2 ? 'NaN' : rng.normal(0, 1)));
    const b = longFile('mp2.csv', 40, na, () => rng.normal(0, 1));
    const level = Array.from({ length: na }, () => 100);
    const prices = longFile('mp_prices.csv', 40, na, (_t, j) => (level[j] *= 1 + rng.normal(0, 0.01)));
    const base = ['combine', '--factor', a, '--factor', b, '--prices', prices, '--method', 'ic', '--window', '4'];
    const r = await cli(...base, '--min-periods', '3', '--out', join(dir, 'mp_out.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/by trailing 4-date mean IC \(at least 3 ICs\)/);
    expect(r.out).toMatch(/weights known from 2024-01-05\n/); // rows 0..2 realised by row 3
    const bad = await cli(...base, '--min-periods', '5', '--out', join(dir, 'mp_bad.csv'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--min-periods 5 is more than the --window 4 rows it counts in/);
  });
});

describe('--wide: inspect --out and combine --out in the layout of a wide input', () => {
  it('writes date and one column per asset, which reads back as the same panel; --wide without --out is exit 2', async () => {
    const { readFileSync } = await import('node:fs');
    const { readPanel } = await import('../../../src/io/readPanel.js');
    const p = longFile('wide-src.csv', 30, 4, (t, j) => (t === 3 && j === 1 ? '' : 10 + t / 7 + j));
    for (const ext of ['csv', 'csv.gz', 'parquet']) {
      const wide = join(dir, `wide.${ext}`),
        long = join(dir, `long.${ext}`);
      expect((await cli('inspect', p, '--out', wide, '--wide')).code).toBe(0);
      expect((await cli('inspect', p, '--out', long)).code).toBe(0);
      const a = (await readPanel(wide)).panel,
        b = (await readPanel(long)).panel;
      expect(a.assets).toEqual(b.assets);
      expect(Array.from(a.dates)).toEqual(Array.from(b.dates));
      expect(Array.from(a.values)).toEqual(Array.from(b.values));
    }
    const text = readFileSync(join(dir, 'wide.csv'), 'utf8').split('\n');
    expect(text[0]).toBe('date,A000,A001,A002,A003');
    expect(text[4]).toMatch(/^2024-01-05,[\d.]+,,/); // the missing cell stays empty
    const r = await cli('inspect', p, '--wide');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--wide is the layout of --out/);
    // combine: the composite wide
    const f1 = longFile('wf1.csv', 30, 4, (t, j) => Math.sin(t + j)),
      f2 = longFile('wf2.csv', 30, 4, (t, j) => Math.cos(t * j + 1));
    const out = join(dir, 'composite-wide.csv');
    const c = await cli('combine', '--factor', f1, '--factor', f2, '--out', out, '--wide');
    expect(c.code, c.err).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('date,A000,A001,A002,A003');
  });
});
