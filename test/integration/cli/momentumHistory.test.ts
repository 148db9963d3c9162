/**
 * `analyze --factor momentum[:LOOKBACK,SKIP]` on prices no longer than the lookback: exit 2 naming
 * the flag, the rows it needs and the rows the prices have (it stopped on "the factor has no finite
 * value ... check the factor file: every value is missing", about a file that does not exist).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { writeTable } from '../../../src/io/write.js';
import { syntheticMarket } from '../../../src/synthetic/market.js';
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

const dir = tempDir('factorlab-momentum-');
const prices = join(dir, 'prices.csv');

beforeAll(async () => {
  const market = syntheticMarket({ seed: 5, nAssets: 20, nDates: 150 });
  await writeTable(prices, market.prices, { wide: true });
});

describe('analyze --factor momentum with a short price history', () => {
  it('the default 252,21 on 150 rows is exit 2 naming the flag, both lengths and a lookback that fits', async () => {
    const r = await cli('analyze', '--factor', 'momentum', '--prices', prices);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--factor momentum:252,21 needs more than 252 price rows before its first value; --prices ${prices} has 150`);
    expect(r.err).toContain('e.g. --factor momentum:50,4');
    expect(r.err).not.toMatch(/factor file|internal error/);
  });

  it('a lookback that fits runs', async () => {
    const r = await cli('analyze', '--factor', 'momentum:50,4', '--prices', prices, '--horizons', '1');
    expect(r.code, r.err).toBe(0);
  });
});
