/**
 * The CLI end to end, in process: exit codes (0 ok, 2 bad input, 1 our fault) and the message for
 * each kind of bad input the foundation issue names: missing columns, unparseable dates or numbers,
 * duplicate (date, asset) rows, an empty file, non-positive prices, and --strict findings.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { tempDir } from '../../tempDir.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

const dir = tempDir('factorlab-cli-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const longOk =
  'date,asset,close\n2024-01-02,AAA,10\n2024-01-02,BBB,20\n2024-01-03,AAA,11\n2024-01-03,BBB,19\n2024-01-04,AAA,12\n2024-01-04,BBB,21\n';

describe('factorlab --help / --version', () => {
  it('prints help with the commands and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: factorlab/);
    expect(r.out).toMatch(/inspect/);
    expect(r.out).toMatch(/demo/);
    expect(r.out).toMatch(/Exit codes/);
  });
  it('prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(r.out.trim()).toBe(pkg.version);
  });
  it('an unknown command or option is a usage error: exit 2 with a pointer to --help', async () => {
    const a = await cli('frobnicate');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^factorlab: error: unknown command 'frobnicate'\n {2}hint: run factorlab --help/);
    const b = await cli('inspect', '--no-such-flag', 'x.csv');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(
      /^factorlab inspect: error: unknown option '--no-such-flag'\n {2}hint: run factorlab inspect --help for its flags/,
    );
  });
});

describe('factorlab inspect', () => {
  it('describes a long file', async () => {
    const r = await cli('inspect', file('ok.csv', longOk));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/long: date=date, asset=asset, value=close/);
    expect(r.out).toMatch(/3 dates x 2 assets/);
    expect(r.out).toMatch(/2024-01-02 \.\. 2024-01-04, daily/);
  });

  it('--json prints the same as JSON', async () => {
    const r = await cli('inspect', file('ok2.csv', longOk), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      layout: string;
      nDates: number;
      nAssets: number;
      firstDate: string;
      lastDate: string;
      frequency: string;
      kind: string;
      quality: { counts: Record<string, number> };
    };
    expect(j).toMatchObject({
      layout: 'long',
      nDates: 3,
      nAssets: 2,
      firstDate: '2024-01-02',
      lastDate: '2024-01-04',
      frequency: 'daily',
      kind: 'prices',
    });
    expect(j.quality.counts['bad-tick']).toBe(0);
  });

  it('reads gzip-compressed CSV and wide tables', async () => {
    const p = join(dir, 'wide.csv.gz');
    writeFileSync(p, gzipSync('date,AAA,BBB\n2024-01-02,10,20\n2024-01-03,,19\n2024-01-04,12,21\n'));
    const r = await cli('inspect', p, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { layout: string; nAssets: number; missingShare: number };
    expect(j.layout).toBe('wide');
    expect(j.nAssets).toBe(2);
    expect(j.missingShare).toBeCloseTo(1 / 6, 12);
  });

  /** [what, file content (null: no file at all), extra flags, what the message must contain] */
  const bad: [string, string | null, string[], RegExp[]][] = [
    ['a missing file', null, [], [/not found|does not exist|no such file/i, /does-not-exist\.csv/]],
    ['an empty file', '', [], [/empty/i]],
    ['a header with no rows', 'date,asset,close\n', [], [/no (data )?rows|empty/i]],
    [
      'a missing asset column',
      'date,asset,close\n2024-01-02,AAA,10\n',
      ['--asset-col', 'ticker'],
      [/ticker/, /date, asset, close|date,asset,close|"asset"/],
    ],
    ['a missing value column', 'date,asset,close\n2024-01-02,AAA,10\n', ['--value-col', 'adj'], [/adj/, /close/]],
    ['an unparseable date', 'date,asset,close\n2024-01-02,AAA,10\n2024-13-45,AAA,11\n', [], [/:3\b/, /2024-13-45/]],
    ['text in a number column', 'date,asset,close\n2024-01-02,AAA,10\n2024-01-03,AAA,ten\n', [], [/:3\b/, /close/, /ten/]],
    ['a duplicate (date, asset) row', 'date,asset,close\n2024-01-02,AAA,10\n2024-01-02,AAA,11\n', [], [/duplicate/i, /AAA/, /2024-01-02/]],
    ['a non-positive price', 'date,asset,close\n2024-01-02,AAA,10\n2024-01-03,AAA,-1\n', [], [/:3\b/, /positive/i, /AAA/]],
    [
      'a wide table with a repeated date',
      'date,AAA,BBB\n2024-01-02,1,2\n2024-01-02,1,2\n',
      [],
      [/duplicate|twice|repeated/i, /2024-01-02/],
    ],
  ];
  bad.forEach(([what, content, flags, patterns], i) => {
    it(`${what}: exit 2 and a message that says where`, async () => {
      const p = content === null ? join(dir, 'does-not-exist.csv') : file(`bad-${i}.csv`, content);
      const r = await cli('inspect', p, ...flags);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/^factorlab: error: /);
      for (const pat of patterns) expect(r.err).toMatch(pat);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.out).toBe('');
    });
  });

  it('--strict turns findings into exit 2; --clean sets bad ticks to missing and --out keeps the result', async () => {
    const rows = ['date,asset,close'];
    const prices = [100, 101, 102, 10.2, 103, 104, 105];
    prices.forEach((p, t) =>
      rows.push(`2024-01-${String(t + 2).padStart(2, '0')},AAA,${p}`, `2024-01-${String(t + 2).padStart(2, '0')},BBB,${50 + t}`),
    );
    const p = file('tick.csv', `${rows.join('\n')}\n`);
    const plain = await cli('inspect', p);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/bad-tick/);
    expect(plain.out).toMatch(/AAA/);
    const strict = await cli('inspect', p, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.err).toMatch(/--strict/);
    expect(strict.err).toMatch(/1 bad-tick/);
    const out = join(dir, 'cleaned.csv');
    const cleaned = await cli('inspect', p, '--clean', '--strict', '--out', out, '--json');
    expect(cleaned.code, cleaned.err).toBe(0);
    expect((JSON.parse(cleaned.out) as { cleaned: { cells: number } }).cleaned.cells).toBe(1);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/10\.2/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
