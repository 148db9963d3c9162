/**
 * Runs a Python reference script of test/unit/portfolio/python with /usr/bin/python3 (numpy,
 * scipy, scikit-learn), JSON in on stdin and JSON out on stdout. Fails loudly, never skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

export function runPython<T>(script: string, input: unknown): T {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3 python3-numpy python3-scipy python3-sklearn`);
  const path = join(HERE, 'python', script);
  const res = spawnSync(PYTHON, [path], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`${path} failed (exit ${res.status}): ${res.stderr}`);
  return JSON.parse(res.stdout) as T;
}
