/**
 * `replicate` says which universe names the fit left out (listed after --fit-end, too few returns,
 * constant prices): they cannot be in the basket, and the output named none of them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from '../../../test/badinput/helpers.js';

describe('replicate: universe names left out of the risk model', () => {
  const t = tempDir('replicate-left-out');
  afterAll(() => t.remove());
  const days = weekdays('2018-01-01', 300);
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  // B lists after the fit window, C has constant prices
  const lines = pricesCsv(days, names, 1, ['C']).trimEnd().split('\n');
  for (let r = 1; r <= 220; r++) {
    const cells = lines[r].split(',');
    cells[2] = '';
    lines[r] = cells.join(',');
  }
  const prices = t.write('prices.csv', `${lines.join('\n')}\n`);
  const factors = t.write('factors.csv', factorsCsv(days));

  it('are named in the notes (text and JSON), with --min-obs when it was given', async () => {
    const base = ['replicate', '--prices', prices, '--factors', factors, '--fit-end', days[200], '--target-weights', 'equal'];
    const r = await cli(...base, '--exposure-tolerance', '0.5', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { notes: string[]; holdings: { asset: string }[] };
    expect(j.notes.join('\n')).toMatch(
      /2 universe assets left out of the risk model \(too few returns in the fit window, .*\), so not in the basket: B, C/,
    );
    const strict = await cli(...base, '--exposure-tolerance', '0.5', '--min-obs', '150');
    expect(strict.code, strict.err).toBe(0);
    expect(strict.out).toMatch(
      /2 universe assets left out of the risk model \(too few returns in the fit window for --min-obs 150, .*: B, C/,
    );
  });
});
