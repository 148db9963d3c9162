/**
 * The public entry points list their names explicitly (issue 10: no `export *`), and the root
 * index is exactly the union of the layers' lists: a name made public in a layer is public at the
 * root, and nothing else is. Checked on the text of the index files (types included) and on the
 * values the modules give at run time.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const LAYERS = ['core', 'stats', 'synthetic', 'signals', 'exposures', 'portfolio', 'backtest', 'parallel', 'io'];

/** The names of the `export { ... } from` statements of an index file (`type X` and `X as Y` as their exported names). */
const code = (file: string): string =>
  readFileSync(resolve(src, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');

function listedNames(file: string): string[] {
  const text = code(file);
  const names: string[] = [];
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*from/g)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if (name !== '') names.push(name);
    }
  }
  return names;
}

describe('public entry points', () => {
  it('no index uses export *', () => {
    for (const f of ['index.ts', ...LAYERS.map((l) => `${l}/index.ts`)]) {
      expect(code(f), f).not.toMatch(/export\s+\*/);
    }
  });

  it("the root lists exactly the union of the layers' names, each once", () => {
    const root = listedNames('index.ts');
    expect(new Set(root).size).toBe(root.length);
    const union = LAYERS.flatMap((l) => listedNames(`${l}/index.ts`));
    expect(new Set(union).size).toBe(union.length); // no name public in two layers
    expect([...root].sort()).toEqual([...union].sort());
  });

  it('at run time the root gives the same values as the layers together', async () => {
    const root = await import('../../src/index.js');
    const layers: Record<string, unknown>[] = await Promise.all([
      import('../../src/core/index.js'),
      import('../../src/stats/index.js'),
      import('../../src/synthetic/index.js'),
      import('../../src/signals/index.js'),
      import('../../src/exposures/index.js'),
      import('../../src/portfolio/index.js'),
      import('../../src/backtest/index.js'),
      import('../../src/parallel/index.js'),
      import('../../src/io/index.js'),
    ]);
    expect(layers.length).toBe(LAYERS.length);
    const union: Record<string, unknown> = Object.assign({}, ...layers);
    expect(Object.keys(root).sort()).toEqual(Object.keys(union).sort());
    for (const k of Object.keys(union)) expect((root as Record<string, unknown>)[k], k).toBe(union[k]);
  });
});
