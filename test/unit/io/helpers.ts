/** Shared helpers for the io unit tests: a temp directory per test file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll } from 'vitest';
import { InputError } from '../../../src/core/errors.js';

export function tempDir(): (name: string, text?: string | Buffer, gzip?: boolean) => string {
  const dir = mkdtempSync(join(tmpdir(), 'factorlab-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, text, gzip = false) => {
    const p = join(dir, name);
    if (text !== undefined) writeFileSync(p, gzip ? gzipSync(text) : text);
    return p;
  };
}

/** Runs `f`, expects an InputError, returns it. */
export async function inputError(f: () => Promise<unknown>): Promise<InputError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an InputError, got success');
}
