/**
 * Ctrl-C while a run's outputs are renamed into place (io/write.ts writeOutputsTogether's last
 * loop): the run ends with status 130, as for an interrupt anywhere else, and says which outputs
 * are in place. Before, the signal was lost (the handler went with the last temporary file, before
 * the signal reached it: the loop is synchronous) and the run ended with status 0.
 *
 * FACTORLAB_TEST_COMMIT_PAUSE_MS (a test hook, io/write.ts) blocks the process after each rename
 * but the last, as a slow file system would: the signal is sent once the first output is in place
 * and the second still waits in its temporary file.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, MAIN } from './cli.js';
import { pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('interrupt-commit');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 80);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
beforeAll(() => assertBuilt());

interface Outcome {
  status: number | null;
  stderr: string;
  left: string[];
}

/** `backtest --nav-out --weights-out` paused between the renames; SIGINT once one target is new and a temporary file remains. */
function run(outDir: string, nav: string, weights: string, signal: boolean): Promise<Outcome> {
  const args = ['backtest', '--prices', prices, '--factor', 'momentum:20,0', '--top', '2', '--nav-out', nav, '--weights-out', weights];
  // through a shell, which reports the status a user sees (130 for a process ended by SIGINT)
  const command = [process.execPath, MAIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const sh = spawn('sh', ['-c', `${command} > /dev/null`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, FACTORLAB_TEST_COMMIT_PAUSE_MS: '2000' },
    });
    let stderr = '';
    sh.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let signalled = false;
    const poll = setInterval(() => {
      if (!signal || signalled) return;
      // the temporary file's name holds the node process's id
      const tmp = readdirSync(outDir).find((n) => n.endsWith('.tmp'));
      const pid = tmp === undefined ? undefined : /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(tmp)?.[1];
      const replaced = [nav, weights].some((f) => !readFileSync(f, 'utf8').startsWith('previous'));
      if (pid !== undefined && replaced) {
        signalled = true;
        process.kill(Number(pid), 'SIGINT');
      }
    }, 5);
    sh.on('error', reject);
    sh.on('close', (status) => {
      clearInterval(poll);
      if (signal && !signalled) reject(new Error(`the run finished before the signal could be sent: ${stderr}`));
      else resolve({ status, stderr, left: readdirSync(outDir).sort() });
    });
  });
}

describe('SIGINT while the outputs are renamed into place', () => {
  it('exit 130 naming the outputs in place (all of them: the renames finish first); no temporary file left', async () => {
    const outDir = t.dir;
    const nav = join(outDir, 'nav.csv'),
      weights = join(outDir, 'weights.csv');
    writeFileSync(nav, 'previous nav\n');
    writeFileSync(weights, 'previous weights\n');
    const r = await run(outDir, nav, weights, true);
    expect(r.status, r.stderr).toBe(130);
    expect(r.stderr).toContain(
      `factorlab: interrupted by SIGINT while the outputs were put in place; every output is in place, complete: ${nav}, ${weights}`,
    );
    expect(r.left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(nav, 'utf8')).toMatch(/^date,/);
    expect(readFileSync(weights, 'utf8')).toMatch(/^date,asset,weight/);
  });

  it('without a signal the paused run ends 0 (the hook only slows it)', async () => {
    const outDir = t.dir;
    const nav = join(outDir, 'nav2.csv'),
      weights = join(outDir, 'weights2.csv');
    writeFileSync(nav, 'previous nav\n');
    writeFileSync(weights, 'previous weights\n');
    const r = await run(outDir, nav, weights, false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/interrupted/);
  });
});
