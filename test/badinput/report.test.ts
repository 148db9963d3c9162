/**
 * `factorlab report` and the --report / --svg outputs: bad result files and bad output paths exit 2
 * with the file named and a hint, before anything is written; a good run writes the page and the
 * SVGs and nothing else (no temporary file left).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runBuilt } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-report-cli-'));
const f = (name: string): string => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  assertBuilt();
  const dates = Array.from({ length: 60 }, (_, t) => new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10));
  const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
  writeFileSync(
    f('prices.csv'),
    `date,${assets.join(',')}\n${dates.map((d, t) => `${d},${assets.map((_, j) => (10 + j + Math.sin(t * (j + 1)) + t / 20).toFixed(4)).join(',')}`).join('\n')}\n`,
  );
  writeFileSync(
    f('factors.csv'),
    `date,mkt_rf,smb,rf\n${dates.map((d, t) => `${d},${(Math.sin(t) / 100).toFixed(6)},${(Math.cos(t * 1.7) / 200).toFixed(6)},0.0001`).join('\n')}\n`,
  );
  writeFileSync(
    f('signal.csv'),
    `date,asset,value\n${dates.flatMap((d, t) => assets.map((a, j) => `${d},${a},${Math.sin(t + j * 1.3).toFixed(5)}`)).join('\n')}\n`,
  );
  writeFileSync(f('sectors.csv'), `asset,sector\n${assets.map((a, j) => `${a},${j % 2 === 0 ? 'Even' : 'Odd'}`).join('\n')}\n`);
  writeFileSync(f('empty.json'), '');
  writeFileSync(f('broken.json'), '{"ic": {\n  "1": [1, 2,\n');
  writeFileSync(f('other.json'), '{"hello": 1, "world": [2]}');
});

async function refused(args: string[], path: string, problem: RegExp): Promise<void> {
  const before = readdirSync(dir).sort();
  const r = await runBuilt(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(problem);
  expect(r.stderr).toContain('hint:');
  expect(readdirSync(dir).sort()).toEqual(before);
}

describe('factorlab report: bad input exits 2', () => {
  it('a missing, empty, broken or foreign result file', async () => {
    await refused(['report', f('nope.json'), '--out', f('r.html')], f('nope.json'), /no such file/);
    await refused(['report', f('empty.json'), '--out', f('r.html')], f('empty.json'), /empty/);
    await refused(['report', f('broken.json'), '--out', f('r.html')], f('broken.json'), /not valid JSON/);
    await refused(['report', f('other.json'), '--out', f('r.html')], f('other.json'), /not a factorlab result: the keys are hello, world/);
  });
  it('bad output paths, checked before the file is read', async () => {
    await refused(['report', f('other.json'), '--out', f('r.pdf')], f('r.pdf'), /--out: unknown extension/);
    await refused(['report', f('other.json'), '--out', join(dir, 'missing', 'r.html')], 'missing', /does not exist/);
    await refused(['report', f('other.json'), '--svg', f('prices.csv')], f('prices.csv'), /--svg: .* exists and is not a directory/);
    await refused(
      ['analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--report', f('r.csv')],
      f('r.csv'),
      /--report cannot write \.csv; it writes \.html/,
    );
    await refused(
      ['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', f('same.html'), '--report', f('same.html')],
      f('same.html'),
      /--out cannot write \.html|name the same file/,
    );
    await refused(
      ['backtest', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--top', '2', '--report', f('bt.json')],
      f('bt.json'),
      /--report cannot write \.json; it writes \.html/,
    );
    await refused(
      ['optimize', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--report', f('opt.csv')],
      f('opt.csv'),
      /--report cannot write \.csv; it writes \.html/,
    );
    await refused(
      [
        'replicate',
        '--prices',
        f('prices.csv'),
        '--factors',
        f('factors.csv'),
        '--fit-end',
        '2024-02-10',
        '--target-weights',
        'equal',
        '--svg',
        f('prices.csv'),
      ],
      f('prices.csv'),
      /--svg: .* exists and is not a directory/,
    );
  });
  it('nothing to write', async () => {
    const r = await runBuilt(['report', f('other.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to write: give --out FILE.html/);
  });
});

describe('reports from the commands and from saved results', () => {
  it('optimize --report --svg, then report from --out', async () => {
    const a = await runBuilt([
      'optimize',
      '--prices',
      f('prices.csv'),
      '--factors',
      f('factors.csv'),
      '--benchmark',
      'equal',
      '--max-weight',
      '0.3',
      '--active-exposure',
      'mkt_rf=-0.05:0.05',
      '--out',
      f('opt.json'),
      '--report',
      f('opt.html'),
      '--svg',
      f('optsvg'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(`wrote ${f('opt.json')}, ${f('opt.html')}`);
    const html = readFileSync(f('opt.html'), 'utf8');
    expect(html).toContain('Optimised portfolio against its benchmark');
    expect(html).toContain('data-chart="constraint-bands"');
    expect(readdirSync(f('optsvg')).sort()).toEqual(['constraint-bands.svg', 'exposures.svg', 'risk.svg', 'trades.svg', 'weights.svg']);
    const b = await runBuilt(['report', f('opt.json'), '--out', f('opt2.html')]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('factorlab report: Optimised portfolio against its benchmark');
    expect(readFileSync(f('opt2.html'), 'utf8')).toContain('data-chart="weights"');
  });

  it('replicate --report, then report from --out', async () => {
    const a = await runBuilt([
      'replicate',
      '--prices',
      f('prices.csv'),
      '--factors',
      f('factors.csv'),
      '--fit-end',
      '2024-02-10',
      '--target-weights',
      'equal',
      '--out',
      f('rep.json'),
      '--report',
      f('rep.html'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(`wrote ${f('rep.json')}, ${f('rep.html')}`);
    expect(readFileSync(f('rep.html'), 'utf8')).toContain('Replicating basket: equal-weight universe');
    const b = await runBuilt(['report', f('rep.json'), '--svg', f('repsvg')]);
    expect(b.code, b.stderr).toBe(0);
    expect(readdirSync(f('repsvg')).sort()).toEqual(['exposure-match.svg', 'holdings.svg', 'tracking-error.svg']);
  });

  it('backtest --report --svg, then report from --out', async () => {
    const a = await runBuilt([
      'backtest',
      '--factor',
      f('signal.csv'),
      '--prices',
      f('prices.csv'),
      '--top',
      '2',
      '--schedule',
      'every:5',
      '--benchmark',
      'equal',
      '--out',
      f('bt.json'),
      '--report',
      f('bt.html'),
      '--svg',
      f('btsvg'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(`wrote         ${f('bt.json')}, ${f('bt.html')}`);
    const html = readFileSync(f('bt.html'), 'utf8');
    expect(html).toContain('Backtest: top 2');
    expect(html).toContain('data-chart="drawdown"');
    expect(html).toContain('Not computed: run backtest with --factors FILE');
    expect(readdirSync(f('btsvg')).sort()).toEqual([
      'annual-returns.svg',
      'drawdown.svg',
      'holdings.svg',
      'nav.svg',
      'turnover.svg',
      'weights.svg',
    ]);
    const b = await runBuilt(['report', f('bt.json'), '--out', f('bt2.html')]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('factorlab report: Backtest: top 2');
    expect(readFileSync(f('bt2.html'), 'utf8')).toContain('data-chart="weights"');
  });

  it('analyze --report --svg, then report from --out with --report-data', async () => {
    const a = await runBuilt([
      'analyze',
      '--factor',
      f('signal.csv'),
      '--prices',
      f('prices.csv'),
      '--groups',
      f('sectors.csv'),
      '--horizons',
      '1,5',
      '--quantiles',
      '2',
      '--min-assets',
      '2',
      '--out',
      f('result.json'),
      '--report',
      f('sheet.html'),
      '--svg',
      f('svg'),
      '--threads',
      '1',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(`wrote ${f('sheet.html')} (tear sheet)`);
    const result = JSON.parse(readFileSync(f('result.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(result)).toContain('tearSheet');
    expect(readdirSync(f('svg')).every((n) => n.endsWith('.svg'))).toBe(true);
    expect(readdirSync(f('svg'))).toContain('ic-series.svg');
    const r = await runBuilt(['report', f('result.json'), '--out', f('again.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(f('again.html'), 'utf8')).toContain('Mean return by quantile within each group');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
  it('analyze without --report keeps its JSON as it was (no tearSheet key)', async () => {
    const a = await runBuilt([
      'analyze',
      '--factor',
      f('signal.csv'),
      '--prices',
      f('prices.csv'),
      '--horizons',
      '1',
      '--quantiles',
      '2',
      '--min-assets',
      '2',
      '--out',
      f('plain.json'),
      '--threads',
      '1',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(f('plain.json'), 'utf8')) as object)).not.toContain('tearSheet');
    const r = await runBuilt(['report', f('plain.json'), '--out', f('plain.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(f('plain.html'), 'utf8')).toContain('Not in this result: the event view comes with');
  });
  it('exposures --out fit.json (without report data) still gives a report that says what is missing', async () => {
    const e = await runBuilt(['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', f('fit.json')]);
    expect(e.code, e.stderr).toBe(0);
    const r = await runBuilt(['report', f('fit.json'), '--out', f('fit.html')]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(f('fit.html'), 'utf8');
    expect(html).toContain('Not in this result: the variance decomposition needs the factor returns');
    expect(html).toContain('data-table="assets"');
    // the portfolio is named as `exposures --report` names it
    const direct = await runBuilt(['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--report', f('direct.html')]);
    expect(direct.code, direct.stderr).toBe(0);
    const name = /equal-weighted portfolio of [\d,]+ fitted assets?/.exec(readFileSync(f('direct.html'), 'utf8'))?.[0];
    expect(name).toBeDefined();
    expect(html).toContain(name);
  });
});
