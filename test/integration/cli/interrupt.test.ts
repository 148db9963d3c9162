import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installInterruptCleanup } from '../../../src/cli/interrupt.js';
import { beginOutputCommit, endOutputCommit } from '../../../src/io/outputs.js';
import { tempPaths, trackTempPath } from '../../../src/io/tempFiles.js';
import { tempDir } from '../../tempDir.js';

describe('installInterruptCleanup', () => {
  it('arms the SIGINT / SIGTERM handlers only while a temporary path exists', () => {
    const base = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const uninstall = installInterruptCleanup(
      () => undefined,
      () => undefined,
    );
    expect(process.listenerCount('SIGINT')).toBe(base.int);
    const untrack = trackTempPath('/nowhere/.x.csv.1.aa.tmp');
    expect(process.listenerCount('SIGINT')).toBe(base.int + 1);
    expect(process.listenerCount('SIGTERM')).toBe(base.term + 1);
    untrack();
    expect(process.listenerCount('SIGINT')).toBe(base.int);
    uninstall();
  });

  it('on a signal: removes the paths, prints one line, disarms and ends by the same signal', () => {
    const dir = tempDir('factorlab-int-');
    const tmp = join(dir, '.out.csv.1.ab.tmp');
    writeFileSync(tmp, 'partial');
    const lines: string[] = [];
    const ended: string[] = [];
    const uninstall = installInterruptCleanup(
      (t) => lines.push(t),
      (s) => ended.push(s),
    );
    trackTempPath(tmp);
    process.emit('SIGTERM', 'SIGTERM');
    expect(existsSync(tmp)).toBe(false);
    expect(tempPaths()).toEqual([]);
    expect(lines).toEqual(['factorlab: interrupted by SIGTERM; removed 1 temporary path (outputs are written whole or not at all)\n']);
    expect(ended).toEqual(['SIGTERM']);
    uninstall();
  });

  it('during a commit (the outputs renamed into place): armed while it is recorded, even with no temporary path; the message names the outputs in place and not', () => {
    const dir = tempDir('factorlab-int-');
    const tmp = join(dir, '.b.csv.1.ac.tmp');
    writeFileSync(tmp, 'whole');
    const lines: string[] = [];
    const ended: string[] = [];
    const base = process.listenerCount('SIGINT');
    const uninstall = installInterruptCleanup(
      (t) => lines.push(t),
      (s) => ended.push(s),
    );
    const commit = beginOutputCommit(['out/a.csv', 'out/b.csv', 'out/c.html']);
    expect(process.listenerCount('SIGINT')).toBe(base + 1);
    commit.inPlace = 1;
    trackTempPath(tmp);
    process.emit('SIGINT', 'SIGINT');
    expect(existsSync(tmp)).toBe(false);
    expect(lines).toEqual([
      'factorlab: interrupted by SIGINT while the outputs were put in place; in place, complete: out/a.csv; not written (left as they were): out/b.csv, out/c.html; removed 1 temporary path\n',
    ]);
    expect(ended).toEqual(['SIGINT']);
    // all renamed, the last temporary path gone: still armed until the commit ends
    lines.length = 0;
    const again = installInterruptCleanup(
      (t) => lines.push(t),
      () => undefined,
    );
    commit.inPlace = 3;
    expect(process.listenerCount('SIGINT')).toBe(base + 1);
    process.emit('SIGINT', 'SIGINT');
    expect(lines).toEqual([
      'factorlab: interrupted by SIGINT while the outputs were put in place; every output is in place, complete: out/a.csv, out/b.csv, out/c.html\n',
    ]);
    endOutputCommit(commit);
    expect(process.listenerCount('SIGINT')).toBe(base);
    again();
    uninstall();
  });
});
