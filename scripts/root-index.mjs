#!/usr/bin/env node
/**
 * Writes src/index.ts from the layers' curated lists: one `export { ... } from './layer/index.js'`
 * per layer naming every name that layer's index exports (`type X` kept for type-only names), so
 * the root is exactly their union (test/unit/rootIndex.test.ts checks it). Run after a layer's index
 * changes: `node scripts/root-index.mjs && npx prettier --write src/index.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const LAYERS = ['core', 'stats', 'synthetic', 'signals', 'exposures', 'portfolio', 'backtest', 'parallel', 'io'];
const code = (file) =>
  readFileSync(resolve(src, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');

function listed(file) {
  const out = [];
  for (const m of code(file).matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from/g)) {
    const allTypes = m[1] !== undefined;
    for (const part of m[2].split(',')) {
      const p = part.trim();
      if (p === '') continue;
      const isType = allTypes || p.startsWith('type ');
      const name = p
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        .trim();
      out.push({ name, isType });
    }
  }
  return out;
}

const old = readFileSync(resolve(src, 'index.ts'), 'utf8');
const header = old.slice(0, old.indexOf('*/') + 2);
const blocks = LAYERS.map((layer) => {
  const names = listed(`${layer}/index.ts`).sort(
    (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name),
  );
  return `export {\n${names.map((n) => `  ${n.isType ? 'type ' : ''}${n.name},`).join('\n')}\n} from './${layer}/index.js';\n`;
});
writeFileSync(resolve(src, 'index.ts'), `${header}\n${blocks.join('')}`);
