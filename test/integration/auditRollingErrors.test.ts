/**
 * `rolling` when --start/--end leave out every date with weights: the message named the whole
 * returns file's range and hinted "give weights dated inside the returns' range", though the
 * weights were inside it; the window the flags cut was the cause.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { Rng } from '../../src/synthetic/random.js';
import { tempDir } from '../tempDir.js';

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

const dir = tempDir('factorlab-audit-rolling-errors-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const rng = new Rng(3);
const dates: string[] = [];
for (let d = new Date(Date.UTC(2021, 0, 4)); dates.length < 300; d.setUTCDate(d.getUTCDate() + 1))
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
const assets = ['A', 'B', 'C', 'D'];
const mkt = dates.map(() => rng.normal(0, 0.01));
const level = assets.map(() => [100]);
for (let t = 1; t < dates.length; t++)
  for (let j = 0; j < assets.length; j++) level[j].push(level[j][t - 1] * (1 + (0.8 + 0.1 * j) * mkt[t] + rng.normal(0, 0.01)));
const prices = file(
  'prices.csv',
  [`date,${assets.join(',')}`, ...dates.map((d, t) => `${d},${assets.map((_, j) => level[j][t].toFixed(6)).join(',')}`)].join('\n') + '\n',
);
const factors = file('factors.csv', ['date,mkt_rf,rf', ...dates.map((d, t) => `${d},${mkt[t]},0.0001`)].join('\n') + '\n');
// monthly weights from dates[100] to dates[160]: held at most 32 rows, so stale from about dates[193]
const weights = file(
  'weights.csv',
  ['date,A,B,C,D', ...[100, 120, 140, 160].map((t) => `${dates[t]},0.25,0.25,0.25,0.25`)].join('\n') + '\n',
);
const base = ['rolling', '--prices', prices, '--factors', factors, '--weights', weights, '--window', '20'];

describe('rolling: --start/--end that leave out every date with weights', () => {
  it('--start after the weights went stale: names the window and says the weights end before --start', async () => {
    const r = await cli(...base, '--start', dates[250]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`no return date inside --start/--end (${dates[250]} .. ${dates[299]}) has weights within the age limit`);
    expect(r.err).toContain(`the weights end before --start: start it by ${dates[160]}`);
    expect(r.err).not.toContain("give weights dated inside the returns' range");
  });

  it('--end before the first weights: names the window and says the weights start after --end', async () => {
    const r = await cli(...base, '--end', dates[80]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`no return date inside --start/--end (${dates[0]} .. ${dates[80]}) has weights`);
    expect(r.err).toContain(`the weights start after --end: end it on or after ${dates[100]}`);
  });

  it('without --start/--end the message is as before', async () => {
    const stale = file('weights_old.csv', `date,A,B,C,D\n2020-06-30,0.25,0.25,0.25,0.25\n`);
    const r = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      stale,
      '--window',
      '20',
      '--weights-max-age',
      '5',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(`no return date (${dates[0]} .. ${dates[299]}) has weights within the age limit`);
    expect(r.err).toContain("give weights dated inside the returns' range");
  });
});
