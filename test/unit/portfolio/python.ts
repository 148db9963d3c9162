/**
 * Runs a Python reference script of test/unit/portfolio/python with /usr/bin/python3 (numpy,
 * scipy, scikit-learn), JSON in on stdin and JSON out on stdout.
 *
 * `itPython` declares a test that needs those references. `npm test` on a machine without them
 * (a fresh clone: `npm ci && npm test`) skips such tests and says why on stderr; with
 * FACTORLAB_REQUIRE_PYTHON=1 (set by .ci/run, after it installs the Debian packages) they run
 * always, and a missing reference fails loudly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const INSTALL = 'apt-get install python3-numpy python3-scipy python3-sklearn';

function referencesAvailable(): boolean {
  if (process.env.FACTORLAB_REQUIRE_PYTHON === '1') return true;
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import numpy, scipy, sklearn'], { stdio: 'ignore' }).status === 0;
}

const available = referencesAvailable();
if (!available)
  process.stderr.write(
    `factorlab tests: skipping the scipy / scikit-learn reference comparisons (${PYTHON} with numpy, scipy, scikit-learn not found; ${INSTALL}). CI runs them.\n`,
  );

/** `it` for a test that compares against the Python references (see the module comment). */
export const itPython = (available ? it : it.skip) as typeof it;

export function runPython<T>(script: string, input: unknown): T {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: ${INSTALL}`);
  const path = join(HERE, 'python', script);
  const res = spawnSync(PYTHON, [path], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`${path} failed (exit ${res.status}): ${res.stderr}`);
  return JSON.parse(res.stdout) as T;
}
