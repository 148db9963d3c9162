/**
 * Files for the zoo tests, written from the synthetic market into a temporary folder: wide prices,
 * the planted signal and a noise factor (long), a long multi-factor file with two factor columns,
 * a factor whose assets are mostly not in the prices (too much data lost), and sectors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIsoDate } from '../../../src/core/dates.js';
import { Panel } from '../../../src/core/panel.js';
import { Rng } from '../../../src/synthetic/random.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';
import { writeTable } from '../../../src/io/write.js';
import { runCli } from '../../../src/cli/run.js';
import { tempDir } from '../../tempDir.js';

export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
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

export interface ZooFixture {
  dir: string;
  f: (name: string) => string;
  /** The zoo's factor arguments. */
  factors: string[];
  /** Flags shared by zoo and analyze. */
  common: string[];
}

export async function zooFixture(options: { nAssets?: number; nDates?: number } = {}): Promise<ZooFixture> {
  const dir = tempDir('factorlab-zoo-');
  const f = (name: string): string => join(dir, name);
  const market = syntheticMarket({ seed: 31, nAssets: options.nAssets ?? 80, nDates: options.nDates ?? 260, signalIC: 0.08, badTicks: 1 });
  await writeTable(f('prices.csv'), market.prices, { wide: true });
  await writeTable(f('signal.csv'), market.signal);
  const rng = new Rng(3);
  const noise = market.signal.map((v) => (v === v ? rng.normal(0, 1) : NaN));
  await writeTable(f('noise.csv'), noise);
  // long multi-factor file: date, asset, sig2 (the signal doubled), noise
  const lines = ['date,asset,sig2,noise'];
  const m = market.signal.nAssets;
  for (let t = 0; t < market.signal.nDates; t++) {
    for (let j = 0; j < m; j++) {
      const s = market.signal.values[t * m + j],
        z = noise.values[t * m + j];
      if (s === s) lines.push(`${formatIsoDate(market.signal.dates[t])},${market.assets[j]},${2 * s},${z}`);
    }
  }
  writeFileSync(f('multi.csv'), `${lines.join('\n')}\n`);
  // 60% of the assets renamed: their observations are unmatched, more than --max-loss 0.35
  const renamed = market.signal.assets.map((a, j) => (j % 5 < 3 ? `X${a}` : a));
  await writeTable(f('foreign.csv'), new Panel(market.signal.dates, renamed, market.signal.values));
  writeFileSync(f('sectors.csv'), `asset,sector\n${market.assets.map((a) => `${a},${market.sectors[a]}`).join('\n')}\n`);
  return {
    dir,
    f,
    factors: [f('signal.csv'), f('noise.csv'), 'momentum:60,5', `${f('multi.csv')}#*`, f('foreign.csv'), f('missing.csv')],
    common: ['--prices', f('prices.csv'), '--horizons', '1,5', '--groups', f('sectors.csv'), '--clean'],
  };
}

export const OK_FACTORS = (fx: ZooFixture): { args: string[]; file: string }[] => [
  { args: ['--factor', fx.f('signal.csv')], file: 'signal.csv.json' },
  { args: ['--factor', fx.f('noise.csv')], file: 'noise.csv.json' },
  { args: ['--factor', 'momentum:60,5'], file: 'momentum_60_5.json' },
  { args: ['--factor', fx.f('multi.csv'), '--factor-col', 'sig2'], file: 'multi.csv.sig2.json' },
  { args: ['--factor', fx.f('multi.csv'), '--factor-col', 'noise'], file: 'multi.csv.noise.json' },
];
