/**
 * The compiled modules of dist/, for the pool tests: worker threads run the built JavaScript, so
 * these tests drive the pool through the built modules. Fails with a clear message when dist/ is
 * missing (run `npm run build` first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `import('dist/<path>')` as T; throws when the file is missing. */
export async function importBuilt<T>(path: string): Promise<T> {
  const url = new URL(`../../../dist/${path}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new Error(`${fileURLToPath(url)} is missing: run \`npm run build\` before the pool tests`);
  return (await import(url.href)) as T;
}
