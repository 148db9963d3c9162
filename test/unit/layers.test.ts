/**
 * The layer rule of DESIGN.md, enforced: imports point downwards only, and the pure layers
 * (core, stats, synthetic, signals, exposures, portfolio, backtest) import no `node:*` module, no file
 * system and no DuckDB, so they run in a browser or a worker unchanged.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Lowest first. A module may import from its own layer or any layer before it. */
export const LAYERS = [
  'core',
  'stats',
  'synthetic',
  'signals',
  'exposures',
  'portfolio',
  'backtest',
  'parallel',
  'io',
  'report',
  'cli',
  'zoo',
] as const;
/**
 * Node-edge layers that share a rank with another: zoo/ (many factors, the BullMQ queue and
 * workers) is part of the CLI's edge; it runs the analyze command's loading and result code, and
 * the CLI registers its commands.
 */
const SAME_RANK: Record<string, string> = { zoo: 'cli' };
const rankOf = (layer: string): number => LAYERS.indexOf((SAME_RANK[layer] ?? layer) as (typeof LAYERS)[number]);
const PURE = new Set(['core', 'stats', 'synthetic', 'signals', 'exposures', 'portfolio', 'backtest']);
/**
 * Layers above the pure line that still import no Node built-in: `report` builds pages and SVG from
 * data (vega, vega-lite), and its files are read and written by the CLI (cli/reportOutput.ts).
 */
const NODE_FREE = new Set(['report']);
const NODE_BUILTIN = /^(node:|fs$|fs\/|path$|os$|child_process$|worker_threads$|zlib$|stream$|url$|crypto$|module$)/;
/** Node-builtin modules (with or without the `node:` prefix) and native packages a pure layer may not use. */
const IMPURE_PACKAGES =
  /^(node:|fs$|fs\/|path$|os$|child_process$|worker_threads$|zlib$|stream$|url$|crypto$|@duckdb\/|piscina$|cli-progress$|commander$)/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

/** Every module specifier in a file: static imports, re-exports and dynamic imports. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function layerOf(file: string): string {
  const top = relative(src, file).split(sep);
  return top.length === 1 ? 'root' : top[0];
}

/**
 * Packages a pure layer may name in types but never load: `highs` (WebAssembly) is injected by
 * the caller (portfolio/highs.ts `HighsSource`; Node loads it in io/highs.ts).
 */
const TYPE_ONLY_PACKAGES = /^highs$/;

/** Specifiers imported for their values: every import except `import type { … } from`. */
export function valueImportsOf(text: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|[\s;])import\s+(?!type[\s{])[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])export\s+(?!type[\s{])[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

describe('layers', () => {
  const files = walk(src);

  it('valueImportsOf tells type-only imports from value imports', () => {
    expect(valueImportsOf("import type { Highs } from 'highs';\nexport type { X } from 'highs';")).toEqual([]);
    expect(valueImportsOf("import highs from 'highs';")).toEqual(['highs']);
    expect(valueImportsOf("import { type A, b } from 'highs';")).toEqual(['highs']);
    expect(valueImportsOf("const h = await import('highs');")).toEqual(['highs']);
    expect(valueImportsOf("export { loadHighs } from './highs.js';")).toEqual(['./highs.js']);
  });

  it('the pure layers load no WebAssembly package (highs is injected; type imports only)', () => {
    const loads = files
      .filter((f) => PURE.has(layerOf(f)))
      .flatMap((f) =>
        valueImportsOf(readFileSync(f, 'utf8'))
          .filter((s) => TYPE_ONLY_PACKAGES.test(s))
          .map((s) => `${relative(src, f)} loads ${s}`),
      );
    expect(loads).toEqual([]);
  });

  it('finds the source', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('every source folder is a known layer', () => {
    for (const f of files) {
      const l = layerOf(f);
      expect(l === 'root' || (LAYERS as readonly string[]).includes(l), `${relative(src, f)} is in an unknown layer "${l}"`).toBe(true);
    }
  });

  for (const f of files) {
    const layer = layerOf(f);
    if (layer === 'root') continue;
    const rank = rankOf(layer);
    it(`${relative(src, f)} imports only downwards${PURE.has(layer) ? ' and nothing impure' : ''}`, () => {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(f), spec);
          const tl = layerOf(target);
          expect(tl, `${relative(src, f)} imports ${spec}, outside src's layers`).not.toBe('root');
          const tr = rankOf(tl);
          expect(tr <= rank, `${relative(src, f)} (layer ${layer}) imports ${spec} from the higher layer ${tl}`).toBe(true);
        } else if (PURE.has(layer)) {
          expect(IMPURE_PACKAGES.test(spec), `pure layer file ${relative(src, f)} imports ${spec}`).toBe(false);
        } else if (NODE_FREE.has(layer)) {
          expect(
            NODE_BUILTIN.test(spec),
            `${relative(src, f)} (layer ${layer}) imports the Node built-in ${spec}; file access belongs in cli/`,
          ).toBe(false);
        }
      }
    });
  }
});

/** The module files a file imports (relative specifiers, `.js` mapped to the `.ts` source; type-only imports count). */
function localImports(file: string): string[] {
  return importsOf(readFileSync(file, 'utf8'))
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

/** The import cycles of a graph: its strongly connected components with more than one module, or a module importing itself (Tarjan). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import cycles', () => {
  it('no module of src imports itself through others (type-only imports included)', () => {
    const graph = new Map(walk(src).map((f) => [f, localImports(f)] as const));
    expect(importCycles(graph).map((c) => c.map((f) => relative(src, f)).join(' -> '))).toEqual([]);
  });

  it('importCycles finds a cycle and a self-import, and nothing in a tree', () => {
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(importCycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('importsOf', () => {
  it('sees static, re-export, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../core/b.js';",
      "export * from './c.js';",
      "import 'node:fs';",
      "const d = await import('@duckdb/node-api');",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.js', '../core/b.js', './c.js', 'node:fs', '@duckdb/node-api']);
  });
});
