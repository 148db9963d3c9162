#!/usr/bin/env node
/**
 * The public API report: every name each entry point of package.json `exports` gives a user, with
 * its declaration as the published `.d.ts` states it (doc comments removed, whitespace collapsed)
 * and the first sentence of its doc comment. One Markdown file per entry point in docs/api/, plus
 * docs/api/README.md with the counts.
 *
 *   node scripts/api-report.mjs           write docs/api/ (npm run api:update)
 *   node scripts/api-report.mjs --check   exit 1 with a diff summary when docs/api/ differs from the
 *                                         code (npm run lint runs it, so CI fails on an accidental
 *                                         change of the public surface)
 *
 * The declarations are emitted in memory from src/ with tsconfig.build.json (no dist/ needed, so
 * the check cannot read a stale build). A name is counted once per entry point, whether it is a
 * value, a type or both.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs', 'api');
const check = process.argv.includes('--check');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** Entry points: [public specifier, src file]. */
const entries = Object.entries(pkg.exports).map(([key, value]) => {
  const types = typeof value === 'string' ? value : value.types;
  const src = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
  return [key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, src];
});

// Declarations in memory.
const configFile = ts.readConfigFile(join(root, 'tsconfig.build.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const options = { ...parsed.options, declaration: true, emitDeclarationOnly: true, sourceMap: false, declarationMap: false, noEmit: false };
const program = ts.createProgram(parsed.fileNames, options);
const dts = new Map();
const emitted = program.emit(undefined, (file, text) => {
  if (file.endsWith('.d.ts')) dts.set(resolve(file), text);
});
const errors = ts
  .getPreEmitDiagnostics(program)
  .concat(emitted.diagnostics)
  .filter((d) => d.category === ts.DiagnosticCategory.Error);
if (errors.length > 0) {
  console.error(
    ts.formatDiagnostics(errors.slice(0, 5), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }),
  );
  console.error('api-report: the code does not compile; fix it first (npm run typecheck)');
  process.exit(1);
}
const outBase = resolve(options.outDir ?? join(root, 'dist'));
const srcBase = resolve(options.rootDir ?? join(root, 'src'));
const dtsPathOf = (srcFile) => join(outBase, relative(srcBase, join(root, srcFile))).replace(/\.ts$/, '.d.ts');

// A second program over the emitted declarations only.
const host = ts.createCompilerHost({ ...options, noEmit: true });
const baseRead = host.readFile.bind(host);
const baseExists = host.fileExists.bind(host);
host.readFile = (f) => dts.get(resolve(f)) ?? baseRead(f);
host.fileExists = (f) => dts.has(resolve(f)) || baseExists(f);
const entryDts = entries.map(([, src]) => dtsPathOf(src));
const dprog = ts.createProgram(entryDts, { ...options, noEmit: true }, host);
const checker = dprog.getTypeChecker();
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

const collapse = (s) => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

function declarationText(decl) {
  let node = decl;
  if (ts.isVariableDeclaration(node)) node = node.parent.parent; // the `declare const` statement
  const text = printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
  return collapse(text.replace(/^export (declare )?/, '').replace(/^declare /, ''));
}

function summaryOf(symbol) {
  const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
  if (doc === '') return '';
  const m = /^(.*?[.:;])(\s|$)/.exec(doc);
  return (m ? m[1] : doc).replace(/\{@link ([^}]+)\}/g, '`$1`');
}

const reports = [];
for (const [spec, src] of entries) {
  const file = dprog.getSourceFile(dtsPathOf(src));
  if (file === undefined) throw new Error(`api-report: no declarations for ${src}`);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  const exported = moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol);
  const items = [];
  for (const sym of exported) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    const decls = (target.declarations ?? []).filter((d) => !ts.isSourceFile(d));
    const where = decls.length > 0 ? relative(outBase, decls[0].getSourceFile().fileName).replace(/\.d\.ts$/, '.ts') : '';
    const texts = [...new Set(decls.map(declarationText))];
    // the house rule: an exported function takes at most four parameters (more go in an options object)
    const paramCounts = decls.flatMap((d) =>
      ts.isFunctionDeclaration(d)
        ? [d.parameters.length]
        : ts.isClassDeclaration(d)
          ? d.members
              .filter(
                (m) =>
                  (ts.isConstructorDeclaration(m) || ts.isMethodDeclaration(m)) &&
                  !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword),
              )
              .map((m) => m.parameters.length)
          : [],
    );
    const maxParams = Math.max(0, ...paramCounts); // functions, and the constructors and methods of classes
    items.push({ name: sym.name, where, texts, summary: summaryOf(target), value: (target.flags & ts.SymbolFlags.Value) !== 0, maxParams });
  }
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  reports.push({ spec, src, items });
}

const fileName = (spec) => `${spec === pkg.name ? 'index' : spec.slice(pkg.name.length + 1)}.api.md`;
const files = new Map();
for (const { spec, src, items } of reports) {
  const lines = [
    `# \`${spec}\``,
    '',
    `<!-- Generated by scripts/api-report.mjs from ${src}; do not edit. npm run api:update rewrites it. -->`,
    '',
    `${items.length} exported names. Each entry: the declaration as the published \`.d.ts\` states it, the module it lives in (under \`src/\`), and the first sentence of its doc comment.`,
    '',
  ];
  for (const it of items) {
    lines.push(`## ${it.name}`, '', `\`src/${it.where}\`${it.summary ? ` — ${it.summary}` : ''}`, '', '```ts', ...it.texts, '```', '');
  }
  files.set(fileName(spec), lines.join('\n'));
}
const index = [
  '# API report',
  '',
  '<!-- Generated by scripts/api-report.mjs; do not edit. npm run api:update rewrites it. -->',
  '',
  'Every name each entry point exports, with its declaration. `npm run lint` fails when the code and these files differ; `npm run api:update` rewrites them after an intended change of the public surface (review the diff: it is the change users see).',
  '',
  'Counting: the distinct names TypeScript\'s `getExportsOfModule` gives for the entry point\'s emitted `.d.ts` (what `import { ... } from` accepts); "values" are the ones that exist at run time (functions, classes, constants), the rest are types and interfaces.',
  '',
  '| entry point | names | values | types only | Node only | functions with more than four parameters |',
  '|---|---:|---:|---:|---|---|',
  ...reports.map(
    (r) =>
      `| [\`${r.spec}\`](${fileName(r.spec)}) | ${r.items.length} | ${r.items.filter((i) => i.value).length} | ${r.items.filter((i) => !i.value).length} | ${/\/(io|parallel|report)$/.test(r.spec) || r.spec === pkg.name ? 'yes' : 'no (pure: runs in a browser or a worker)'} | ${
        r.items
          .filter((i) => i.maxParams > 4)
          .map((i) => `${i.name} (${i.maxParams})`)
          .join(', ') || 'none'
      } |`,
  ),
  '',
].join('\n');
files.set('README.md', index);

if (check) {
  const stale = [];
  for (const [name, text] of files) {
    const path = join(outDir, name);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(name);
  }
  const extra = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.md') && !files.has(f)) : [];
  if (stale.length > 0 || extra.length > 0) {
    for (const name of stale) {
      const path = join(outDir, name);
      const old = existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('## '))
        : [];
      const now = files
        .get(name)
        .split('\n')
        .filter((l) => l.startsWith('## '));
      const added = now.filter((l) => !old.includes(l)).map((l) => l.slice(3));
      const removed = old.filter((l) => !now.includes(l)).map((l) => l.slice(3));
      console.error(
        `api-report: docs/api/${name} differs from the code${added.length ? `; added: ${added.join(', ')}` : ''}${removed.length ? `; removed: ${removed.join(', ')}` : ''}${!added.length && !removed.length ? '; a declaration or doc comment changed' : ''}`,
      );
    }
    for (const name of extra) console.error(`api-report: docs/api/${name} belongs to no entry point`);
    console.error(
      'api-report: the public API changed. If that was intended, run `npm run api:update` and commit docs/api/ (git diff docs/api shows what users will see).',
    );
    process.exit(1);
  }
  console.log(`api-report: docs/api/ matches the code (${reports.map((r) => `${r.spec} ${r.items.length}`).join(', ')})`);
} else {
  if (existsSync(outDir)) for (const f of readdirSync(outDir)) if (f.endsWith('.md')) rmSync(join(outDir, f));
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  console.log(`api-report: wrote docs/api/ (${reports.map((r) => `${r.spec} ${r.items.length}`).join(', ')})`);
}
