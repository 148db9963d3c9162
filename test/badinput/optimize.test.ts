/**
 * `optimize` and `replicate` on bad input and impossible problems: exit 2, the message names the
 * file, line, asset or the conflicting constraints, and nothing is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('optimize');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factors = t.write('factors.csv', factorsCsv(days));
const sectors = t.write('sectors.csv', 'asset,sector\nA,Energy\nB,Energy\nC,Tech\nD,Tech\nE,Health\nF,Health\n');
const base = ['optimize', '--prices', prices, '--factors', factors];

describe('optimize: an optimum that holds nothing', () => {
  it('--budget 0 --long-short without alpha: every weight 0, said in a note, and no "NaN%" risk split', async () => {
    const r = await cli(...base, '--budget', '0', '--long-short');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/0 of 6 assets held/);
    expect(r.out).toMatch(/the optimum holds nothing: every weight is 0, .*give --alpha/);
    expect(r.out).toMatch(/total risk 0%: no variance to split/);
    expect(r.out).not.toMatch(/NaN/);
  });
});

describe('optimize: factors that end before the prices', () => {
  it("the risk model's window ends with the factors: its stated range, its date count and the stale-name test say so, with a note", async () => {
    const short = t.write('factors-short.csv', factorsCsv(days.slice(0, 250)));
    const r = await cli('optimize', '--prices', prices, '--factors', short);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      `--prices ${prices}: 50 return dates after ${days[249]} (the factors end ${days[249]}) have no value of every factor of --factors ${short}: not fitted, so the fit covers ${days[1]} .. ${days[249]}`,
    );
    expect(r.out).toMatch(new RegExp(`risk model: 6 assets x \\S+(, \\S+)* fitted ${days[1]} \\.\\. ${days[249]}; `));
    expect(r.out).not.toContain(days[299]);
  });
});

describe('optimize: impossible problems are explained', () => {
  it("a sector floor its names' caps cannot reach names the sector and the caps", async () => {
    const out = join(t.dir, 'w.csv');
    const r = await cli(...base, '--max-weight', '0.2', '--groups', sectors, '--group-band', 'Energy=0.5:', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/infeasible: these constraints cannot all hold: .*weight of group Energy ≥ 50% \(2 names\)/);
    expect(r.err).toMatch(/weight of A ≤ 20%/);
    expect(r.err).toMatch(/weight of B ≤ 20%/);
    expect(r.err).not.toMatch(/weight of C/);
    expect(existsSync(out)).toBe(false);
  });

  it('--min-return (efficient_return): binding at the floor with alpha out of the objective; above the best reachable, the conflict is named; without --alpha exit 2', async () => {
    const alpha = t.write('alpha-floor.csv', 'asset,value\nA,0.01\nB,0.02\nC,0.03\nD,0.04\nE,0.05\nF,0.06\n');
    const ok = await cli(...base, '--alpha', alpha, '--max-weight', '0.4', '--min-return', '0.045', '--json');
    expect(ok.code, ok.err).toBe(0);
    const j = JSON.parse(ok.out) as {
      holdings: { asset: string; weight: number }[];
      constraints: { kind: string; value: number; atBound: string | null }[];
    };
    const floor = j.constraints.find((c) => c.kind === 'return');
    expect(floor?.atBound).toBe('min');
    expect(Math.abs((floor?.value ?? 0) - 0.045)).toBeLessThan(1e-9);
    const viaFile = await cli(
      ...base,
      '--alpha',
      alpha,
      '--max-weight',
      '0.4',
      '--constraints',
      t.write('floor.json', '{"minReturn": 0.045}'),
      '--json',
    );
    expect(viaFile.code, viaFile.err).toBe(0);
    expect((JSON.parse(viaFile.out) as typeof j).holdings).toEqual(j.holdings);
    // the best reachable with weights <= 40%: 0.4·0.06 + 0.4·0.05 + 0.2·0.04 = 0.052
    const r = await cli(...base, '--alpha', alpha, '--max-weight', '0.4', '--min-return', '0.06');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/infeasible: these constraints cannot all hold: .*expected return ≥ 0\.06/);
    const none = await cli(...base, '--min-return', '0.01');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--min-return is a floor on the expected return alphaᵀw, and there is no --alpha/);
  });

  it('--max-sharpe: the highest ratio alphaᵀw / √(wᵀΣw), above the --min-return portfolios beside its return; refused without --alpha or with what it cannot take', async () => {
    const alpha = t.write('alpha-sharpe.csv', 'asset,value\nA,0.0001\nB,0.0004\nC,0.0002\nD,0.0005\nE,-0.0001\nF,0.0003\n');
    const mu: Record<string, number> = { A: 0.0001, B: 0.0004, C: 0.0002, D: 0.0005, E: -0.0001, F: 0.0003 };
    interface J {
      holdings: { asset: string; weight: number }[];
      risk: { volatility: number; periodsPerYear: number };
      maxSharpe?: { sharpe: number; annualisedSharpe: number; expectedReturn: number; tangency: number };
    }
    const ratio = (j: J): number =>
      j.holdings.reduce((s, h) => s + mu[h.asset] * h.weight, 0) / (j.risk.volatility / Math.sqrt(j.risk.periodsPerYear));
    const run = async (...args: string[]): Promise<J> => {
      const r = await cli(...base, '--alpha', alpha, '--max-weight', '0.4', ...args, '--json');
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as J;
    };
    const best = await run('--max-sharpe');
    const s = best.maxSharpe;
    expect(s).toBeDefined();
    expect(Math.abs((s?.tangency ?? 0) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(ratio(best) - (s?.sharpe ?? 0))).toBeLessThan(1e-12);
    for (const f of [0.99, 0.999, 1.001, 1.01]) {
      const other = await run('--min-return', String((s?.expectedReturn ?? 0) * f));
      expect(ratio(other)).toBeLessThan(ratio(best) + 1e-12);
    }
    const text = await cli(...base, '--alpha', alpha, '--max-weight', '0.4', '--max-sharpe');
    expect(text.out).toMatch(/; maximum Sharpe ratio \d+\.\d+ a year\n/);
    expect(text.out).toMatch(/ {2}Sharpe {4}\d+\.\d+ a year \(\d+\.\d+ a period\), the highest under these constraints \(--max-sharpe\)/);
    expect(text.out).not.toMatch(/--min-return; alpha is not in the objective/);
    const out = join(t.dir, 'sharpe.json');
    const refusals: [string[], RegExp][] = [
      [['--max-sharpe'], /--max-sharpe maximises alphaᵀw \/ √\(wᵀΣw\), and there is no --alpha/],
      [['--alpha', alpha, '--max-sharpe', '--benchmark', 'equal'], /--max-sharpe cannot be combined with --benchmark/],
      [
        ['--alpha', alpha, '--max-sharpe', '--turnover', '0.5', '--risk-aversion', '2'],
        /--max-sharpe cannot be combined with --turnover, --risk-aversion/,
      ],
      [
        ['--alpha', alpha, '--max-sharpe', '--constraints', t.write('sharpe-cap.json', '{"trackingError": 0.1}')],
        /cannot be combined with a tracking-error cap/,
      ],
      [
        ['--alpha', t.write('alpha-neg.csv', 'asset,value\nA,-1\nB,-2\nC,-3\nD,-4\nE,-5\nF,-6\n'), '--max-sharpe'],
        /no portfolio meeting the constraints has a positive expected excess return/,
      ],
      [['--alpha', alpha, '--max-sharpe', '--long-short', '--budget', '0'], /needs a positive budget/],
    ];
    for (const [args, message] of refusals) {
      const r = await cli(...base, ...args, '--out', out);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a turnover cap below the minimum quotes the minimum turnover', async () => {
    const current = t.write('current.csv', 'asset,weight\nA,1\n');
    const r = await cli(...base, '--current', current, '--max-weight', '0.4', '--turnover', '0.5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the turnover cap 50% is below the minimum turnover 120% that any portfolio meeting the other constraints needs/);
    expect(r.err).toMatch(/hint: raise the turnover cap/);
  });

  it('a tracking-error cap below the reachable minimum quotes that minimum', async () => {
    const r = await cli(
      ...base,
      '--benchmark',
      'equal',
      '--max-weight',
      '0.5',
      '--active-exposure',
      'smb=0.01:',
      '--tracking-error',
      '0.0001',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/tracking-error cap 0\.01% is below \S+%, the smallest tracking error/);
  });
});

describe('optimize: bad input names the file, line and asset', () => {
  it('a weight that is not a number', async () => {
    const bench = t.write('bench.csv', 'asset,weight\nA,0.5\nB,half\n');
    const r = await cli(...base, '--benchmark', bench);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bench}:3, column "weight", asset B: benchmark weights is not a finite number (value: "half")`);
  });

  it('a benchmark name the risk model does not know', async () => {
    const bench = t.write('bench2.csv', 'asset,weight\nA,0.5\nZZZ,0.5\n');
    const r = await cli(...base, '--benchmark', bench);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/1 benchmark name is not in the risk model .*: ZZZ/);
  });

  it('an unknown factor in an exposure band lists the factors', async () => {
    const r = await cli(...base, '--exposure', 'value=0:1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no factor "value" in the risk model; its factors are mkt_rf, smb/);
  });

  it('a malformed band', async () => {
    const r = await cli(...base, '--exposure', 'smb');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--exposure takes name=min:max/);
  });

  it('a constraints file with an unknown key or broken JSON', async () => {
    const bad = t.write('c.json', '{"maxWeigth": 0.05}');
    const r = await cli(...base, '--constraints', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown key "maxWeigth"/);
    const broken = t.write('c2.json', '{"maxWeight": 0.05,');
    const r2 = await cli(...base, '--constraints', broken);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/c2\.json: not valid JSON/);
  });

  it('a misspelt key inside an exposure or group band, or a longOnly that is not a boolean, exits 2 instead of being ignored', async () => {
    const expo = t.write('c-expo.json', '{"exposures": [{"factor": "smb", "mni": -0.1, "max": 0.1}]}');
    const r = await cli(...base, '--constraints', expo);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${expo}: unknown key "mni" in exposures[0]`);
    expect(r.err).toMatch(/hint: known keys: factor, min, max, equal, relative/);
    const group = t.write('c-group.json', '{"groups": [{"group": "Energy", "min": 0.1, "relatve": "active"}]}');
    const r2 = await cli(...base, '--benchmark', 'equal', '--groups', sectors, '--constraints', group);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`${group}: unknown key "relatve" in groups[0]`);
    const longOnly = t.write('c-long.json', '{"longOnly": "no"}');
    const r3 = await cli(...base, '--constraints', longOnly);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain(`${longOnly}: longOnly must be true or false, got "no"`);
    const neutral = t.write('c-neutral.json', '{"groupNeutral": 1}');
    const r4 = await cli(...base, '--benchmark', 'equal', '--groups', sectors, '--constraints', neutral);
    expect(r4.code).toBe(2);
    expect(r4.err).toContain('groupNeutral must be true or false, got 1');
  });

  it('a negative --min-weight on a long-only book exits 2 (it was clamped to 0 without a word); K names with --long-short names the flags', async () => {
    const out = join(t.dir, 'w-minw.csv');
    const r = await cli(...base, '--min-weight', '-0.05', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the minimum weight -0.05 is negative, but the portfolio is long-only (weights ≥ 0), so it would be ignored');
    expect(r.err).toMatch(/hint: add --long-short to allow short positions/);
    expect(existsSync(out)).toBe(false);
    const file = t.write('c-minw.json', '{"minWeight": -0.05}');
    const r2 = await cli(...base, '--constraints', file);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`${file}: the minimum weight -0.05 is negative`);
    expect(r2.err).toMatch(/hint: set "longOnly": false in the constraints file/);
    const r3 = await cli(...base, '--long-short', '--min-weight', '-0.05', '--max-weight', '0.5', '--json');
    expect(r3.code).toBe(0);
    const r4 = await cli(...base, '--long-short', '--max-names', '3');
    expect(r4.code).toBe(2);
    expect(r4.err).toContain('--max-names and --min-position need a long-only portfolio');
    expect(r4.err).not.toMatch(/asset A:/);
  });

  it('group bands without --groups, and neutrality without a benchmark', async () => {
    const r = await cli(...base, '--group-band', 'Energy=0:0.3');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/group bands and --group-neutral need --groups/);
    const r2 = await cli(...base, '--groups', sectors, '--group-neutral');
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/group neutrality needs a benchmark/);
  });
});

describe('optimize: returns that cannot give a risk model', () => {
  it('too few dates for the regressions says so (not "check that the returns and factors overlap")', async () => {
    // 5 prices = 4 returns; 2 factors and an intercept need at least 5
    const short = t.write('prices-short.csv', pricesCsv(days.slice(0, 5), assets));
    const out = join(t.dir, 'w-short.csv');
    const r = await cli('optimize', '--prices', short, '--factors', factors, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no asset could be fitted, so there is no risk model \(A: 4 observations, fewer than the minimum 5\)/);
    expect(r.err).toContain(
      'hint: no asset has more than 4 returns in the fit window, and each regression on 2 factors and an intercept needs at least 5: widen --start..--end',
    );
    expect(r.err).not.toMatch(/overlap/);
    expect(existsSync(out)).toBe(false);
  });

  it('an asset left out of the risk model is noted with the fit\'s reason (a constant price is not "too few returns")', async () => {
    const flat = t.write('prices-flat.csv', pricesCsv(days, assets, 1, ['C']));
    const r = await cli('optimize', '--prices', flat, '--factors', factors, '--json');
    expect(r.code).toBe(0);
    const notes = (JSON.parse(r.out) as { notes: string[] }).notes;
    const note = notes.find((n) => n.includes('left out of the risk model'));
    expect(note).toMatch(/^1 asset left out of the risk model: C \(its returns are constant/);
    expect(note).not.toMatch(/too few returns/);
  });
});

describe('optimize: files that cannot be what the flag takes', () => {
  it('benchmark weights in percent (Σ = 100) exit 2 with the sum and a hint to divide by 100', async () => {
    const bench = t.write('bench-pct.csv', 'asset,weight\nA,50\nB,50\n');
    const r = await cli(...base, '--benchmark', bench);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${bench}: the --benchmark weights sum to 100 over 2 names; weights are fractions of the portfolio, which sum to 1`,
    );
    expect(r.err).toMatch(/hint: in percent\? divide them by 100/);
    expect(r.out).toBe('');
  });

  it('current holdings in percent exit 2 the same way, naming --current', async () => {
    const current = t.write('current-pct.csv', 'asset,weight\nA,60\nC,40\n');
    const r = await cli(...base, '--current', current);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the --current weights sum to 100 over 2 names');
    expect(r.err).toMatch(/hint: in percent\? divide them by 100/);
  });

  it('a benchmark summing to 1 (or a bit under) still runs', async () => {
    const bench = t.write('bench-ok.csv', 'asset,weight\nA,0.5\nB,0.3\nC,0.15\n');
    const r = await cli(...base, '--benchmark', bench, '--json');
    expect(r.code).toBe(0);
  });

  it('a partial benchmark (Σ = 0.6) exits 2 instead of tracking a benchmark 40% in cash', async () => {
    const bench = t.write('bench-partial.csv', 'asset,weight\nA,0.4\nB,0.2\n');
    const out = join(t.dir, 'w-partial.csv');
    const r = await cli(...base, '--benchmark', bench, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${bench}: the --benchmark weights sum to 0.6 over 2 names, but the portfolio's sum to 1: the tracking error would be mostly the difference`,
    );
    expect(r.err).toMatch(/hint: give the whole benchmark, or divide each weight by their sum, 0\.6/);
    expect(existsSync(out)).toBe(false);
    // against --budget: a benchmark summing to 1 for a dollar-neutral (budget 0) book
    const whole = t.write('bench-whole.csv', 'asset,weight\nA,0.5\nB,0.5\n');
    const r2 = await cli(...base, '--benchmark', whole, '--long-short', '--budget', '0');
    expect(r2.code).toBe(2);
    expect(r2.err).toContain("the --benchmark weights sum to 1 over 2 names, but the portfolio's sum to 0 (--budget)");
  });

  it('an alpha none of whose names is in the risk model exits 2 instead of being ignored', async () => {
    const alpha = t.write('alpha-none.csv', 'asset,value\nZZZ1,0.01\n');
    const r = await cli(...base, '--alpha', alpha);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${alpha}: no asset of --alpha (ZZZ1) is in the risk model (A, B, C, ...), so the alpha would be ignored`);
    expect(r.err).toMatch(/hint: --alpha takes asset,value rows whose asset names are those of --prices, spelled exactly/);
  });

  it('an alpha with values for some names only: the others enter with alpha 0, and the note names them (absent, blank or NaN alike)', async () => {
    const alpha = t.write('alpha-partial.csv', 'asset,value\nA,0.001\nB,\nC,NaN\nD,0.002\n');
    const r = await cli(...base, '--alpha', alpha, '--max-weight', '0.5');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      `alpha: 2 of the risk model's 6 assets have a value in ${alpha}; the other 4 (B, C, E, ...) enter with alpha 0 (no view); give every name a value if 0 is not meant`,
    );
    const full = t.write('alpha-full.csv', `asset,value\n${assets.map((a, i) => `${a},${i * 1e-4}`).join('\n')}\n`);
    const quiet = await cli(...base, '--alpha', full, '--max-weight', '0.5');
    expect(quiet.code, quiet.err).toBe(0);
    expect(quiet.out).not.toContain('enter with alpha 0');
  });

  it('an alpha with some unknown names runs and notes them', async () => {
    const alpha = t.write('alpha-some.csv', 'asset,value\nA,0.001\nZZZ1,0.01\n');
    const r = await cli(...base, '--alpha', alpha, '--max-weight', '0.5');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`alpha: 1 name of ${alpha} not in the risk model (no returns or too few in the fit window), ignored: ZZZ1`);
  });

  it('a long date,asset,value alpha (a signal through time) says what --alpha takes', async () => {
    const alpha = t.write('alpha-long.csv', `date,asset,value\n${days[0]},A,0.1\n${days[0]},B,-0.2\n${days[1]},A,0.3\n`);
    const r = await cli(...base, '--alpha', alpha);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${alpha}: --alpha takes one value per asset (asset,value rows), but this is a long table with a date on every row (date,asset,value)`,
    );
    expect(r.err).toContain(`hint: pick one date and keep its asset and value columns, e.g. (echo asset,value; grep '^${days[0]},'`);
    expect(r.err).not.toMatch(/not a finite number/);
  });

  it('a wide dated file given as --benchmark is refused the same way', async () => {
    const r = await cli(...base, '--benchmark', prices);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${prices}: --benchmark takes one value per asset (asset,value rows), but this file has a date in its first column (date,A,B,C,...)`,
    );
    expect(r.err).toMatch(/hint: pick one date/);
  });

  it('--group-neutral with a groups file naming none of the assets exits 2', async () => {
    const other = t.write('sectors-other.csv', 'asset,sector\nXOM,Energy\nAAPL,Tech\n');
    const r = await cli(...base, '--benchmark', 'equal', '--groups', other, '--group-neutral');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${other}: no assets of the risk model (A, B, C, ...) have a group in --groups (XOM, AAPL), so --group-neutral would constrain nothing`,
    );
    expect(r.err).toMatch(/hint: the asset names must match those of --prices exactly/);
  });

  it('a groups file covering only some assets still runs and notes the rest', async () => {
    const some = t.write('sectors-some.csv', 'asset,sector\nA,Energy\nB,Energy\nC,Tech\n');
    const r = await cli(...base, '--benchmark', 'equal', '--groups', some, '--group-neutral');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `groups: 3 assets of the risk model in no group of ${some} (D, E, F): no group band or --group-neutral constrains them one by one; add them to the file with their group to constrain them`,
    );
  });
});

describe('optimize and replicate: a good run', () => {
  it('optimize --json: weights sum to one, KKT residuals ≤ 1e-9, turnover convention stated', async () => {
    const r = await cli(...base, '--benchmark', 'equal', '--max-weight', '0.3', '--active-exposure', 'mkt_rf=-0.01:0.01', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      holdings: { weight: number }[];
      solver: { kkt: { primal: number; stationarity: number } };
      turnover: { convention: string };
    };
    expect(j.holdings.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(1, 12);
    expect(j.solver.kkt.primal).toBeLessThanOrEqual(1e-9);
    expect(j.turnover.convention).toMatch(/twoWay = Σ\|w − w0\|/);
  });

  it('replicate needs exactly one target', async () => {
    const r = await cli('replicate', '--prices', prices, '--factors', factors, '--fit-end', days[200]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give exactly one of --target-returns and --target-weights/);
  });

  it('replicate an equal-weight target with 3 names reports both windows', async () => {
    const r = await cli(
      'replicate',
      '--prices',
      prices,
      '--factors',
      factors,
      '--fit-end',
      days[200],
      '--target-weights',
      'equal',
      '--max-names',
      '3',
      '--exposure-tolerance',
      '0.5',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { names: number; inSample: { observations: number }; outOfSample: { observations: number } };
    expect(j.names).toBeLessThanOrEqual(3);
    expect(j.inSample.observations).toBe(200);
    expect(j.outOfSample.observations).toBe(99);
  });
});

describe('optimize: a band written max:min (found by the CLI fuzz)', () => {
  it('--exposure, --active-exposure and --group-band name the flag and say how to write it; a constraints file says to swap the bounds', async () => {
    const out = join(t.dir, 'never.json');
    for (const [flag, band, extra] of [
      ['--exposure', 'mkt_rf=2:1', []],
      ['--active-exposure', 'smb=0.1:-0.1', ['--benchmark', 'equal']],
      ['--group-band', 'Tech=0.9:0.1', ['--groups', sectors]],
    ] as const) {
      const r = await cli(...base, ...extra, flag, band, '--out', out);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`${flag} ${band.split('=')[0]}: the lower bound`);
      expect(r.err).toMatch(/is above the upper bound/);
      expect(r.err).toMatch(/hint: write the band as min:max/);
      expect(existsSync(out)).toBe(false);
    }
    const file = t.write('swapped.json', JSON.stringify({ exposures: [{ factor: 'mkt_rf', min: 2, max: 1 }] }));
    const r = await cli(...base, '--constraints', file, '--out', out);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/exposure constraint on mkt_rf: min 2 is above max 1/);
    expect(r.err).toMatch(/hint: give the band as min <= max/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('optimize: --benchmark and --current names spelled otherwise than the prices', () => {
  it.each([
    ['--benchmark', 'benchmark'],
    ['--current', 'current holdings'],
  ])('%s in lower case: the hint names the case difference, not the fit window', async (flag, what) => {
    const lower = t.write(`lower${flag}.csv`, 'asset,weight\na,0.5\nb,0.5\n');
    const r = await cli(...base, ...(flag === '--current' ? ['--benchmark', 'equal'] : []), flag, lower);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`2 ${what} names are not in the risk model`);
    expect(r.err).toContain(`hint: the names differ in case (a in ${flag}, A in the risk model; 2 names would match)`);
    expect(r.err).not.toMatch(/widen the fit window/);
  });

  it('a share class written BRK.B beside BRK-B in the prices: the hint names the punctuation', async () => {
    const classes = t.write('prices-classes.csv', pricesCsv(days, ['BRK-B', 'BF-B', 'C', 'D', 'E', 'F']));
    const bench = t.write('bench-classes.csv', 'asset,weight\nBRK.B,0.5\nC,0.5\n');
    const r = await cli('optimize', '--prices', classes, '--factors', factors, '--benchmark', bench);
    expect(r.code).toBe(2);
    expect(r.err).toContain('hint: the names differ in punctuation (BRK.B in --benchmark, BRK-B in the risk model; 1 name would match)');
  });
});

describe('optimize: caps written in percent', () => {
  it.each([
    ['--max-weight', '5', [], /--max-weight 5 is above the budget \(1\), which no weight of a long-only portfolio exceeds/, '0.05 for 5%'],
    ['--turnover', '30', [], /--turnover 30 is above 2, and a long-only portfolio trades at most/, '0.3 for 30%'],
    ['--tracking-error', '3', ['--benchmark', 'equal'], /--tracking-error 3 is an annual tracking error of 300%/, '0.03 for 3%'],
  ])('%s %s: exit 2 naming the fraction meant (it ran unconstrained)', async (flag, value, extra, message, fraction) => {
    const r = await cli(...base, ...extra, flag, value);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain(`so it would constrain nothing`);
    expect(r.err).toContain(`hint: caps are fractions, not percent: ${fraction}`);
  });

  it('a constraints file with "maxWeight": 5 is named by its key and file', async () => {
    const file = t.write('caps.json', '{"maxWeight": 5}');
    const r = await cli(...base, '--constraints', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`"maxWeight" of --constraints ${file} 5 is above the budget`);
  });

  it('caps that can bind run: --max-weight 1, --turnover 2, --tracking-error 0.5, and a long-short --max-weight 5', async () => {
    const ok = await cli(...base, '--benchmark', 'equal', '--max-weight', '1', '--turnover', '2', '--tracking-error', '0.5');
    expect(ok.code, ok.err).toBe(0);
    const ls = await cli(...base, '--long-short', '--max-weight', '5');
    expect(ls.code, ls.err).toBe(0);
  });
});
