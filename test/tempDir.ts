/**
 * Temporary folders for tests that remove themselves after the test file: a run of the suite must
 * leave nothing in the system's temp folder (hundreds of `factorlab-*` folders had piled up).
 *
 * The `afterAll` below is registered when a test file first imports this module (each test file
 * has its own module registry), so `tempDir` works at file level, in hooks and inside tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new folder `<tmp>/<prefix>XXXXXX`, removed after the last test of the file that made it. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
