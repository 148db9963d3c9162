import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onTempPathsChange, removeTempPathsSync, tempPaths, trackTempPath } from '../../../src/io/tempFiles.js';
import { tempDir } from './helpers.js';

const file = tempDir();

afterEach(() => {
  onTempPathsChange(undefined);
});

describe('the registry of temporary paths', () => {
  it('tracks and untracks; a path registered twice counts once; untrack is idempotent', () => {
    const counts: number[] = [];
    onTempPathsChange((n) => counts.push(n));
    const a = trackTempPath('/x/a'),
      a2 = trackTempPath('/x/a'),
      b = trackTempPath('/x/b');
    expect(tempPaths()).toEqual(['/x/a', '/x/b']);
    a();
    a2();
    b();
    b();
    expect(tempPaths()).toEqual([]);
    expect(counts).toEqual([1, 2, 1, 0]);
  });

  it('removeTempPathsSync removes files and directories with their contents, ignores missing ones', () => {
    const f = file('.t.csv.1.ab.tmp', 'partial'),
      d = file('duckdb-tmp');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'sub', 'spill.block'), 'x');
    trackTempPath(f);
    trackTempPath(d);
    trackTempPath(file('never-created'));
    expect(removeTempPathsSync().length).toBe(3);
    expect(existsSync(f)).toBe(false);
    expect(existsSync(d)).toBe(false);
    expect(tempPaths()).toEqual([]);
  });

  it('onTempPathsChange returns the previous listener', () => {
    const first = (): void => undefined;
    expect(onTempPathsChange(first)).toBeUndefined();
    expect(onTempPathsChange(undefined)).toBe(first);
  });
});
