/**
 * The risk model's notes on what real price files make likely (names listed late, names that stop
 * trading before the window's end) and `--min-obs`, which leaves the short histories out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, rng, tempDir, weekdays } from '../../../test/badinput/helpers.js';
import { InfeasibleError } from '../../portfolio/diagnose.js';
import {
  noReturnIn,
  riskModelHistoryNotes,
  SHARE_NOISE,
  shareFigure,
  SOLVER_NOISE,
  solverFigure,
  STALE_DATES,
  staleConflict,
  staleNames,
  staleSince,
} from './optimize.js';
import { formatIsoDate } from '../../core/dates.js';

describe('riskModelHistoryNotes and staleNames', () => {
  const dates = Array.from({ length: 100 }, (_, t) => 20000 + t);
  const assets = ['A', 'B', 'C'];
  const values = new Float64Array(100 * 3).fill(0.01);
  for (let t = 0; t < 80; t++) values[t * 3 + 1] = NaN; // B: 20 returns, at the end
  for (let t = 90; t < 100; t++) values[t * 3 + 2] = NaN; // C: none in the last 10 dates
  const fit = { assets, dates, diagnostics: [{ nobs: [100, 20, 90] }] };
  const window = { first: dates[0], last: dates[99] };

  it('names the assets fitted on less than half the window, and finds those without a return in its last 5 dates', () => {
    const notes = riskModelHistoryNotes({ assets }, fit);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^1 asset fitted on less than half of the window's 100 dates .*: B \(20\); --min-obs N/);
    expect(staleNames(assets, window, { dates, assets, values }, STALE_DATES)).toEqual([
      { asset: 'C', index: 2, last: dates[89], ago: 10, unchanged: 0 },
    ]);
    // --stale-after 10: 10 dates without a return is not more than 10; 0: off
    expect(staleNames(assets, window, { dates, assets, values }, 10)).toEqual([]);
    expect(staleNames(assets, window, { dates, assets, values }, 9)).toHaveLength(1);
    expect(staleNames(assets, window, { dates, assets, values }, 0)).toEqual([]);
  });

  it('counts a price that stays the same (returns of exactly 0, forward-filled) as no return: a name flat over the last 6 dates is stale', () => {
    const flat = new Float64Array(100 * 3).fill(0.01);
    for (let t = 94; t < 100; t++) flat[t * 3] = 0; // A: unchanged the last 6 dates
    for (let t = 95; t < 100; t++) flat[t * 3 + 1] = 0; // B: 5, not yet stale
    for (let t = 92; t < 100; t++) flat[t * 3 + 2] = t % 2 === 0 ? 0 : NaN; // C: 0 and missing, 8 dates
    const stale = staleNames(assets, window, { dates, assets, values: flat }, STALE_DATES);
    expect(stale).toEqual([
      { asset: 'A', index: 0, last: dates[93], ago: 6, unchanged: 6 },
      { asset: 'C', index: 2, last: dates[91], ago: 8, unchanged: 4 },
    ]);
    expect(stale.map(staleSince)).toEqual([
      `price unchanged since ${formatIsoDate(dates[93])}`,
      `price unchanged or missing since ${formatIsoDate(dates[91])}`,
    ]);
    expect(noReturnIn(stale, 5)).toBe('no return or price move in the last 5 dates');
    // a name whose returns in the window are all 0 is left to the fit (constant price), as one without any
    expect(staleNames(assets, window, { dates, assets, values: new Float64Array(300) }, STALE_DATES)).toEqual([]);
  });

  it('says nothing of a window every name covers (a gap of 5 dates at the end is not yet stale)', () => {
    const full = new Float64Array(100 * 3).fill(0.01);
    for (let t = 95; t < 100; t++) full[t * 3] = NaN;
    expect(riskModelHistoryNotes({ assets }, { ...fit, diagnostics: [{ nobs: [95, 100, 100] }] })).toEqual([]);
    expect(staleNames(assets, window, { dates, assets, values: full }, STALE_DATES)).toEqual([]);
  });
});

describe('staleConflict', () => {
  const stale = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].map((asset, index) => ({ asset, index, last: 17000 + index, ago: 9, unchanged: 0 }));
  const words = ['weights sum to 100%', 'weight of each of 6 names = 0% (S1, S2, S3, S4, ...)'];
  const message = `infeasible: these constraints cannot all hold: ${words.join('; ')}`;

  it('counts every stale name whose bound is in the conflict, not only the few its words list', () => {
    const e = staleConflict(
      new InfeasibleError({ conflicts: words, assets: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'], message }, 'h'),
      stale,
      undefined,
      17010,
      5,
    );
    expect(e.message).toMatch(/; 6 names of these have no return in the last 5 dates of the fit window/);
    expect(e.message).toContain('S5 (last');
  });

  it('a diagnosis without the list of names is searched by name (the words list 4)', () => {
    const e = staleConflict(new InfeasibleError({ conflicts: words, message }, 'h'), stale, undefined, 17010, 5);
    expect(e.message).toMatch(/; 4 names of these have no return/);
  });

  it('a conflict without a stale name is returned as it was', () => {
    const e0 = new InfeasibleError({ conflicts: ['weights sum to 100%'], assets: ['A'], message: 'infeasible: x' }, 'h');
    expect(staleConflict(e0, stale, undefined, 17010, 5)).toBe(e0);
  });
});

describe('optimize --min-obs', () => {
  const t = tempDir('optimize-min-obs');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 300);
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  // B lists at row 260: 39 returns of 299
  const lines = pricesCsv(days, names).trimEnd().split('\n');
  for (let r = 1; r <= 260; r++) {
    const cells = lines[r].split(',');
    cells[2] = '';
    lines[r] = cells.join(',');
  }
  const prices = t.write('prices.csv', `${lines.join('\n')}\n`);
  const factors = t.write('factors.csv', factorsCsv(days));
  const run = async (...extra: string[]) => {
    const r = await cli('optimize', '--prices', prices, '--factors', factors, '--max-weight', '0.5', ...extra, '--json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as { holdings: { asset: string }[]; notes: string[] };
  };

  it('without it a late listing is fitted on its few returns, and a note says so; with it the name is left out', async () => {
    const loose = await run();
    expect(loose.holdings.map((h) => h.asset)).toContain('B');
    expect(loose.notes.join('\n')).toMatch(/1 asset fitted on less than half of the window's 299 dates .*: B \(39\)/);
    const strict = await run('--min-obs', '100');
    expect(strict.holdings.map((h) => h.asset)).not.toContain('B');
    expect(strict.notes.join('\n')).toMatch(/left out of the risk model: B \(39 observations, fewer than the minimum 100\)/);
  });
});

describe('optimize: weights on a name the risk model left out', () => {
  const t = tempDir('optimize-left-out');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 200);
  const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D', 'Z'], 1, ['Z']));
  const factors = t.write('factors.csv', factorsCsv(days));

  it("names the fit's reason (a constant price), not 'no returns or too few in the fit window'", async () => {
    const current = t.write('current.csv', 'asset,weight\nA,0.5\nZ,0.5\n');
    const r = await cli('optimize', '--prices', prices, '--factors', factors, '--current', current);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/asset Z: 1 current holdings name is not in the risk model, which left it out: Z \(its returns are constant/);
    expect(r.err).toMatch(/hint: drop it from --current \(and sell outside the optimiser/);
    const benchmark = t.write('benchmark.csv', 'asset,weight\nA,0.25\nB,0.25\nC,0.25\nZ,0.25\n');
    const b = await cli('optimize', '--prices', prices, '--factors', factors, '--benchmark', benchmark);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/1 benchmark name is not in the risk model, which left it out: Z \(its returns are constant/);
  });
});

/**
 * A name whose returns stop 8 dates before the fit window's end (delisted, suspended) cannot be
 * traded there: not bought, held at its current weight, out of --benchmark equal. Before, the
 * optimiser bought it (1/n of it with --benchmark equal) and sold it down to the caps, and only a
 * note listed it.
 */
describe("optimize: names without a return in the window's last dates", () => {
  const t = tempDir('optimize-stale');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 120);
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  const r = rng(7);
  /** date,A..F returns of about ±1%, blank where `gone(asset, row)`. */
  const returnsCsv = (gone: (a: string, row: number) => boolean, cols = names): string =>
    `date,${cols.join(',')}\n${days.map((d, i) => `${d},${cols.map((a) => (gone(a, i) ? '' : (0.02 * r()).toFixed(5))).join(',')}`).join('\n')}\n`;
  const returns = t.write(
    'returns.csv',
    returnsCsv((a, i) => a === 'F' && i >= days.length - 8),
  ); // F: last return 8 dates before the end
  const factors = t.write('factors.csv', factorsCsv(days));
  const base = ['optimize', '--returns', returns, '--factors', factors, '--max-weight', '0.25'];
  interface Json {
    holdings: { asset: string; weight: number; benchmark?: number; trade: number }[];
    notes: string[];
  }
  const run = async (...extra: string[]): Promise<Json> => {
    const res = await cli(...base, ...extra, '--json');
    expect(res.code, res.err).toBe(0);
    return JSON.parse(res.out) as Json;
  };
  const weight = (j: Json, a: string): number => j.holdings.find((h) => h.asset === a)?.weight ?? NaN;
  const stop = days[days.length - 9];

  it('is not bought; --stale-after 0 trades it as before', async () => {
    const j = await run();
    expect(weight(j, 'F')).toBe(0);
    expect(j.holdings.filter((h) => h.weight > 0)).toHaveLength(5);
    expect(j.notes.join('\n')).toContain(
      `1 asset of the risk model has no return in the last 5 dates of the window (delisted or suspended?), so cannot be traded at its end, ${days[days.length - 1]}: 1 not bought (weight 0): F (last ${stop}); --stale-after N sets the 5 dates (0: trade them)`,
    );
    const off = await run('--stale-after', '0');
    expect(weight(off, 'F')).toBeGreaterThan(0.05);
    expect(off.notes.join('\n')).not.toMatch(/no return in the last/);
    // 8 dates without a return is not more than 8
    expect(weight(await run('--stale-after', '8'), 'F')).toBeGreaterThan(0.05);
  });

  it('is held at its current weight (no trade), also under a turnover cap and above --max-weight, said in the notes', async () => {
    const current = t.write('current.csv', 'asset,weight\nA,0.2\nB,0.2\nC,0.2\nD,0.2\nF,0.2\n');
    const j = await run('--current', current, '--turnover', '0.3');
    expect(weight(j, 'F')).toBeCloseTo(0.2, 12);
    expect(j.holdings.find((h) => h.asset === 'F')?.trade).toBeCloseTo(0, 12);
    expect(j.notes.join('\n')).toMatch(/: 1 name held fixed at its current weight: F \(last \S+, 20%\);/);
    const over = t.write('over.csv', 'asset,weight\nA,0.2\nB,0.2\nC,0.1\nD,0.2\nF,0.3\n');
    const o = await run('--current', over);
    expect(weight(o, 'F')).toBeCloseTo(0.3, 12);
    expect(o.notes.join('\n')).toMatch(
      /1 of them is held outside the per-name bounds \(max 25%\), which bind only the names that can be traded: F 30%/,
    );
  });

  it('--benchmark equal is 1/5 over the names that can be traded, F 0', async () => {
    const j = await run('--benchmark', 'equal');
    for (const a of ['A', 'B', 'C', 'D', 'E']) expect(j.holdings.find((h) => h.asset === a)?.benchmark).toBeCloseTo(0.2, 15);
    expect(j.holdings.find((h) => h.asset === 'F')?.benchmark).toBe(0);
    expect(weight(j, 'F')).toBe(0);
    expect(j.notes.join('\n')).toContain(
      "benchmark: equal weights over the 5 of the 6 assets of the risk model that can be traded at the window's end; the 1 name without a return in its last 5 dates left out",
    );
  });

  it('long-short: a short current weight stays short; in a long-only book it is exit 2 naming it', async () => {
    const current = t.write('short.csv', 'asset,weight\nA,0.21\nB,0.21\nC,0.21\nD,0.21\nE,0.21\nF,-0.05\n');
    const j = await run('--current', current, '--long-short', '--min-weight', '-0.1');
    expect(weight(j, 'F')).toBeCloseTo(-0.05, 12);
    const bad = await cli(...base, '--current', current);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /1 name short in --current has no return in the last 5 dates of the fit window, which ends \S+, so it cannot be traded there, and the portfolio is long-only: F \(last \S+, -5%\)/,
    );
    expect(bad.err).toMatch(/hint: add --long-short .*--stale-after 0/);
  });

  it('a conflict that fixes it is exit 2 naming it and why; so are --min-position and --max-names it cannot meet', async () => {
    const groups = t.write('groups.csv', 'asset,group\nA,X\nB,X\nC,X\nD,X\nE,X\nF,Y\n');
    const g = await cli(...base, '--groups', groups, '--group-band', 'Y=0.1:');
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/weight of group Y ≥ 10% \(1 name\)/); // it said '(1 names)'
    expect(g.err).toMatch(
      /1 name of these has no return in the last 5 dates of the fit window, which ends \S+, so its weight is fixed at the current weight \(0 without one\): F \(last \S+, fixed at 0%\)/,
    );
    expect(g.err).toMatch(/hint: .*--stale-after 0 lets the optimiser trade it/);
    expect(g.err).not.toMatch(/--current/); // none was given
    const small = t.write('small.csv', 'asset,weight\nA,0.2\nB,0.2\nC,0.2\nD,0.2\nE,0.19\nF,0.01\n');
    const p = await cli(...base, '--current', small, '--min-position', '0.05');
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/1 name held in --current under the minimum position 5% has no return .*: F \(last \S+, 1%\)/);
    const two = t.write(
      'two.csv',
      returnsCsv((a, i) => (a === 'A' || a === 'B') && i >= days.length - 8),
    );
    const held = t.write('held.csv', 'asset,weight\nA,0.1\nB,0.1\nC,0.8\n');
    const k = await cli('optimize', '--returns', two, '--factors', factors, '--current', held, '--max-names', '1');
    expect(k.code, k.err).toBe(2);
    expect(k.err).toMatch(
      /--max-names 1 is fewer than the 2 names held in --current that have no return in the last 5 dates .*: A \(last \S+, 10%\), B /,
    );
  });

  it('every name stale is exit 2 naming the window end and what to do', async () => {
    // A and B stop 8 dates before the end; C lists in the last 4 dates (too few returns: left out)
    const allGone = t.write(
      'gone.csv',
      returnsCsv((a, i) => (a === 'C' ? i < days.length - 4 : i >= days.length - 8), ['A', 'B', 'C']),
    );
    const res = await cli('optimize', '--returns', allGone, '--factors', factors);
    expect(res.code, res.out).toBe(2);
    expect(res.err).toMatch(
      new RegExp(
        `none of the 2 assets of the risk model has a return in the last 5 dates of the fit window, which ends ${days[days.length - 1]} \\(the latest return of any is on ${stop}\\), so none can be traded at its end`,
      ),
    );
    expect(res.err).toMatch(new RegExp(`hint: end the window where the returns are, e.g. --end ${stop}; or, .*--stale-after 0`));
  });
});

/**
 * A book equal to its benchmark: the printed tracking error, active weights and active exposures
 * are the solve's rounding (1e-16), printed as 0; they were printed as numbers (tracking error
 * 1.96e-14% a year, active 3.43e-14%, a variance split of that noise). --json keeps them as computed.
 */
describe('optimize: figures below the solve’s resolution', () => {
  it('solverFigure: 0 below max(SOLVER_NOISE, the KKT primal residual), the value above', () => {
    expect(solverFigure(6.58e-16, 7.8e-16)).toBe(0);
    expect(solverFigure(-3e-13, 0)).toBe(0);
    expect(solverFigure(2 * SOLVER_NOISE, 0)).toBe(2 * SOLVER_NOISE);
    expect(solverFigure(1e-7, 1e-6)).toBe(0); // an approximate ADMM answer resolves no finer than its residual
    expect(solverFigure(0.0123, NaN)).toBe(0.0123);
    expect(solverFigure(NaN, 0)).toBeNaN();
  });

  const t = tempDir('optimize-noise');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 200);
  const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']));
  const factors = t.write('factors.csv', factorsCsv(days));

  it('--benchmark equal and no constraint: tracking error 0%, active 0%, no variance to split', async () => {
    const r = await cli('optimize', '--prices', prices, '--factors', factors, '--benchmark', 'equal');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/held; tracking error 0% a year \(ex-ante\)/);
    expect(r.out).toMatch(/active risk 0%: no variance to split/);
    // no figure printed in exponent notation but the solver's own residuals
    expect(r.out.split('\n').filter((l) => !l.startsWith('  solver ') && /\de-\d/.test(l))).toEqual([]);
    const rows = r.out.split('\n').filter((l) => /^ {2}[A-H] /.test(l));
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row.trim().split(/\s+/)[3]).toBe('0%');
    const j = await cli('optimize', '--prices', prices, '--factors', factors, '--benchmark', 'equal', '--json');
    const te = (JSON.parse(j.out) as { risk: { trackingError: number } }).risk.trackingError;
    expect(te).toBeLessThan(SOLVER_NOISE); // as computed: the JSON is not rounded
  });

  it('shareFigure: a share of the variance below SHARE_NOISE is 0, within it of 1 is 1, else as it is', () => {
    expect(shareFigure(1.33e-32)).toBe(0);
    expect(shareFigure(1 - 1e-14)).toBe(1);
    expect(shareFigure(2 * SHARE_NOISE)).toBe(2 * SHARE_NOISE);
    expect(shareFigure(0.0479)).toBe(0.0479);
    expect(shareFigure(NaN)).toBeNaN();
  });

  it('a book neutral to every factor: "factors 0% of the variance", not 1e-30%', async () => {
    const args = ['optimize', '--prices', prices, '--factors', factors, '--long-short', '--exposure', 'mkt_rf=0', '--exposure', 'smb=0'];
    const r = await cli(...args);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/: factors 0% of the variance, specific 100%/);
    const j = JSON.parse((await cli(...args, '--json')).out) as { risk: { decomposition: { shares: { systematic: number } } } };
    expect(j.risk.decomposition.shares.systematic).toBeLessThan(SHARE_NOISE); // as computed: noise, not 0
  });
});
