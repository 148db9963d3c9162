/**
 * A factor column in two --factors files: exit 2 naming the column and both files. The hint named
 * "the Ken French 5-factor file" for any column, also for a user's file beside the 3-factor one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('dupfactors');
afterAll(() => t.remove());
const days = weekdays('2020-01-01', 120);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C']));
const a = t.write('ff.csv', factorsCsv(days));
const b = t.write('mine.csv', `date,quality,smb\n${days.map((d, i) => `${d},${(0.001 * Math.sin(i)).toFixed(6)},0.0005`).join('\n')}\n`);
const c = t.write('mine2.csv', `date,quality\n${days.map((d) => `${d},0.0002`).join('\n')}\n`);

describe('a factor column in two factor files', () => {
  it('names the column and both files; the Ken French hint only for its own columns', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', a, '--factors', b);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`factor column smb appears in two factor files: ${a} and ${b}`);
    expect(r.err).toMatch(/the Ken French 3- and 5-factor files both have mkt_rf, smb, hml and rf/);
    const q = await cli('exposures', '--prices', prices, '--factors', b, '--factors', c);
    expect(q.code).toBe(2);
    expect(q.err).toContain(`factor column quality appears in two factor files: ${b} and ${c}`);
    expect(q.err).not.toMatch(/Ken French/);
    expect(q.err).toMatch(/leave quality out of one of the files/);
  });
});
