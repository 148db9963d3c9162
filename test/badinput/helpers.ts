/**
 * Bad-input CLI tests: the CLI run in process with captured streams, on small generated files in
 * a fresh temporary directory (never the real data).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
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

/**
 * A fresh temporary directory, a function writing a file in it (returns the path), its listing,
 * and its removal (call it in afterAll).
 */
export function tempDir(prefix: string): {
  dir: string;
  write: (name: string, text: string) => string;
  files: () => string[];
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), `factorlab-badinput-${prefix}-`));
  return {
    dir,
    write: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    files: () => readdirSync(dir).sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Weekdays from `start` (ISO), `n` of them. */
export function weekdays(start: string, n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(`${start}T00:00:00Z`); out.length < n; d = new Date(d.getTime() + 86_400_000)) {
    const w = d.getUTCDay();
    if (w !== 0 && w !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** Month ends (last calendar day) from `year`-`month` (1-based), `n` of them. */
export function monthEnds(year: number, month: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(year, month - 1 + i + 1, 0)).toISOString().slice(0, 10));
}

/** A deterministic pseudo-random number in [-0.5, 0.5) from a seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Wide prices CSV: `date,A0,A1,...` random walks from 100 (constant for assets in `flat`). */
export function pricesCsv(dates: readonly string[], assets: readonly string[], seed = 1, flat: readonly string[] = []): string {
  const r = rng(seed);
  const p = assets.map(() => 100);
  const lines = [`date,${assets.join(',')}`];
  for (const d of dates) {
    for (let j = 0; j < assets.length; j++) if (!flat.includes(assets[j])) p[j] *= 1 + 0.02 * r();
    lines.push(`${d},${p.map((x) => x.toFixed(4)).join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Wide factors CSV: `date,mkt_rf,smb,rf` in decimal (scaled by `scale`), daily-sized values. */
export function factorsCsv(dates: readonly string[], seed = 2, scale = 1, rfName = 'rf', size = 0.01): string {
  const r = rng(seed);
  const lines = [`date,mkt_rf,smb,${rfName}`];
  for (const d of dates)
    lines.push(`${d},${(size * r() * scale).toFixed(6)},${(size * r() * scale).toFixed(6)},${(0.0001 * scale).toFixed(6)}`);
  return `${lines.join('\n')}\n`;
}
