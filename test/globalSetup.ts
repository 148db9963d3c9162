/**
 * vitest global setup: the pool tests drive worker threads, which run the compiled dist/ (a worker
 * cannot load TypeScript, src/parallel/pool.ts). So that they never run stale compiled code, dist/
 * is rebuilt (`tsc -p tsconfig.build.json`, as `npm run build`) when any of it is missing or older
 * than the newest source file of src/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Whether dist/ lacks a compiled module of src/ or has one older than the newest source. */
export function distIsStale(): boolean {
  const sources = files(join(root, 'src'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'));
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  for (const f of sources) {
    const js = join(root, 'dist', f.slice(join(root, 'src').length + 1).replace(/\.ts$/, '.js'));
    if (!existsSync(js) || statSync(js).mtimeMs < newest) return true;
  }
  return false;
}

export default function setup(): void {
  if (!distIsStale()) return;
  process.stderr.write('dist/ is older than src/: building it for the pool tests (tsc -p tsconfig.build.json)\n');
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
