/**
 * The one place the real-data suite finds `../shared/data` (the market data beside the
 * repository; never copied in). Importing this module fails loudly when the folder is missing:
 * the real-data tests never skip.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

if (!existsSync(DATA)) {
  throw new Error(`The real-data suite needs ${DATA} (the shared market data beside the repository, see its README.md); it is missing.`);
}

/** The path of a file under `../shared/data`; throws when it is missing. */
export function dataFile(relative: string): string {
  const p = resolve(DATA, relative);
  if (!existsSync(p))
    throw new Error(
      `real-data file ${p} is missing: these tests need ../shared/data next to the repository (see its README.md); they never skip`,
    );
  return p;
}
