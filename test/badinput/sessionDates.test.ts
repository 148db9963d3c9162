/**
 * Dates on days without a session (core sessionDates). backtest: factor dates on days without a price (a calendar month end on a weekend): each is
 * the signal of the session before it, traded at the next close, after the factor's date. Before,
 * the month-end rebalance on Friday took the previous month's value (the new one was dated Sunday),
 * a month stale without a word.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calendarFromIso } from '../../src/core/calendar.js';
import { Panel } from '../../src/core/panel.js';
import { onSessionDates } from '../../src/cli/commands/backtest.js';
import { cli, factorsCsv, monthEnds, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('sessions');
afterAll(() => t.remove());

const days = weekdays('2015-01-01', 800);
const assets = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
const prices = t.write('prices.csv', pricesCsv(days, assets, 5));
const ends = monthEnds(2015, 1, 36);
// the last weekday on or before each month end: the session a month-end rebalance trades on
const sessionOf = (d: string): string => days.filter((x) => x <= d).pop() as string;
const r = rng(4);
const values = ends.map(() => assets.map(() => r().toFixed(5)));
const factorOn = (dates: readonly string[]) =>
  `date,${assets.join(',')}\n${dates.map((d, i) => `${d},${values[i].join(',')}`).join('\n')}\n`;

describe('dates on days without a session, and period labels (backtest, rolling, analyze --weights)', () => {
  it('a month-end factor dated on weekends trades as if dated on the session before: the same NAV', async () => {
    const onEnds = t.write('ends.csv', factorOn(ends));
    const onSessions = t.write('sessions.csv', factorOn(ends.map(sessionOf)));
    const moved = ends.filter((d) => sessionOf(d) !== d).length;
    expect(moved).toBeGreaterThan(5);
    const common = ['--prices', prices, '--top', '3', '--schedule', 'month-end', '--cost-bps', '5'];
    const a = await cli('backtest', '--factor', onEnds, ...common, '--nav-out', join(t.dir, 'a.csv'));
    const b = await cli('backtest', '--factor', onSessions, ...common, '--nav-out', join(t.dir, 'b.csv'));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(t.dir, 'a.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 'b.csv'), 'utf8'));
    expect(a.out).toMatch(
      new RegExp(
        `signal: ${moved} factor dates of .*ends\\.csv fall on days without a price \\(the first 2015-01-31, a Saturday\\): each is the signal of the last price date before it \\(2015-01-30\\)`,
      ),
    );
    expect(b.out).not.toMatch(/fall on days without a price/);
  });

  it('rolling: month-end weights dated on weekends hold from the session before, as if dated on it', async () => {
    const factors = t.write('factors.csv', factorsCsv(days));
    const wOn = (dates: readonly string[]) =>
      `date,${assets.join(',')}\n${dates.map((d, i) => `${d},${assets.map((_, j) => ((i + j) % 3 === 0 ? '0.25' : '0.1')).join(',')}`).join('\n')}\n`;
    const onEnds = t.write('w-ends.csv', wOn(ends));
    const onSessions = t.write('w-sessions.csv', wOn(ends.map(sessionOf)));
    const common = ['--prices', prices, '--factors', factors, '--window', '60'];
    const a = await cli('rolling', '--weights', onEnds, ...common, '--out', join(t.dir, 'ra.csv'));
    const b = await cli('rolling', '--weights', onSessions, ...common, '--out', join(t.dir, 'rb.csv'));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(t.dir, 'ra.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 'rb.csv'), 'utf8'));
    expect(a.out).toMatch(
      /weights: \d+ of .*w-ends\.csv's 36 dates fall on days without a return \(the first 2015-01-31\): each holds from the session before it \(2015-01-30\)/,
    );
  });

  it('analyze --weights: month-end cap weights dated on weekends weigh from the session before, as if dated on it', async () => {
    const factor = t.write('daily-factor.csv', pricesCsv(days, assets, 8));
    const capOn = (dates: readonly string[]) =>
      `date,${assets.join(',')}\n${dates.map((d, i) => `${d},${assets.map((_, j) => String(100 + ((i * 7 + j * 13) % 50))).join(',')}`).join('\n')}\n`;
    const a = await cli(
      'analyze',
      '--factor',
      factor,
      '--prices',
      prices,
      '--weights',
      t.write('cap-ends.csv', capOn(ends)),
      '--horizons',
      '1,5',
      '--quantiles',
      '2',
      '--out',
      join(t.dir, 'aa.json'),
    );
    const b = await cli(
      'analyze',
      '--factor',
      factor,
      '--prices',
      prices,
      '--weights',
      t.write('cap-sessions.csv', capOn(ends.map(sessionOf))),
      '--horizons',
      '1,5',
      '--quantiles',
      '2',
      '--out',
      join(t.dir, 'ab.json'),
    );
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const x = JSON.parse(readFileSync(join(t.dir, 'aa.json'), 'utf8')) as { quantiles: unknown; notes: string[] };
    const y = JSON.parse(readFileSync(join(t.dir, 'ab.json'), 'utf8')) as typeof x;
    expect(x.quantiles).toEqual(y.quantiles);
    expect(x.notes.join('\n')).toMatch(
      /cap-ends\.csv: \d+ of its 36 dates fall on days without a price \(the first 2015-01-31\): each weighs from the session before it \(2015-01-30\)/,
    );
  });

  it('rolling on monthly returns relabelled to month ends: weights on the last trading day stay in their own month (no look-ahead)', async () => {
    const lastWeekday = ends.map(sessionOf);
    const mPrices = t.write('m-prices.csv', pricesCsv(lastWeekday, assets, 6));
    const mFactors = t.write('m-factors.csv', factorsCsv(ends, 3, 1, 'rf', 0.04));
    const wOn = (dates: readonly string[]) =>
      `date,${assets.join(',')}\n${dates.map((d, i) => `${d},${assets.map((_, j) => ((i + j) % 3 === 0 ? '0.25' : '0.1')).join(',')}`).join('\n')}\n`;
    const common = ['--prices', mPrices, '--factors', mFactors, '--window', '12', '--min-obs', '8'];
    const a = await cli('rolling', '--weights', t.write('mw-ltd.csv', wOn(lastWeekday)), ...common, '--out', join(t.dir, 'ma.csv'));
    const b = await cli('rolling', '--weights', t.write('mw-ends.csv', wOn(ends)), ...common, '--out', join(t.dir, 'mb.csv'));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(a.out).toMatch(/monthly dates take --factors .*'s date of the same month/);
    expect(a.out).not.toMatch(/fall on days without a return/);
    // the same holdings month by month as weights dated by the month ends the returns now carry
    expect(readFileSync(join(t.dir, 'ma.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 'mb.csv'), 'utf8'));
  });

  it('backtest --factors on monthly prices: month-end factors pair by month with last-trading-day prices', async () => {
    const lastWeekday = ends.map(sessionOf);
    const mPrices = t.write('bm-prices.csv', pricesCsv(lastWeekday, assets, 7));
    const factorsOn = (dates: readonly string[]) => factorsCsv(dates, 5, 1, 'rf', 0.04);
    const common = ['--prices', mPrices, '--factor', 'momentum:3,0', '--top', '3', '--schedule', 'every:1', '--exposure-window', '12'];
    const a = await cli('backtest', ...common, '--factors', t.write('bm-f-ends.csv', factorsOn(ends)), '--out', join(t.dir, 'ba.json'));
    const b = await cli(
      'backtest',
      ...common,
      '--factors',
      t.write('bm-f-ltd.csv', factorsOn(lastWeekday)),
      '--out',
      join(t.dir, 'bb.json'),
    );
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(a.out).toMatch(/exposures: \d+ of the monthly factor dates take the prices' date of the same period/);
    const x = JSON.parse(readFileSync(join(t.dir, 'ba.json'), 'utf8')) as { exposures: unknown };
    const y = JSON.parse(readFileSync(join(t.dir, 'bb.json'), 'utf8')) as { exposures: unknown };
    expect(x.exposures).toBeDefined();
    expect(x.exposures).toEqual(y.exposures);
  });

  it('onSessionDates moves a date only onto a session with no factor row of its own, and keeps the calendar increasing', () => {
    const px = new Panel(calendarFromIso(['2024-03-28', '2024-04-01', '2024-04-02']), ['A']);
    const f = (dates: string[]) => new Panel(calendarFromIso(dates), ['A'], new Float64Array(dates.length).fill(1));
    // Good Friday 2024-03-29 and Sunday 2024-03-31 both follow 2024-03-28: only the first moves
    const r = onSessionDates(f(['2024-03-29', '2024-03-31', '2024-04-01']), px);
    expect(r.panel.isoDates()).toEqual(['2024-03-28', '2024-03-31', '2024-04-01']);
    expect(r.moved).toBe(1);
    // a factor row already on the session: nothing moves; before the first or after the last price: nothing moves
    expect(onSessionDates(f(['2024-03-28', '2024-03-30']), px).moved).toBe(0);
    expect(onSessionDates(f(['2024-03-27', '2024-04-05']), px).moved).toBe(0);
  });
});
