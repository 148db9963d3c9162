/**
 * Missing values in a line chart are gaps: a series with no value on some dates is drawn as
 * separate pieces, not as one straight line across the dates without a value (nor as zeros).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/cli/reportOutput.js';
import type { ReportDocument } from '../../src/report/document.js';
import { lineChart, seriesColumns } from '../../src/report/specs.js';
import { launch, openWatched, type Browser } from './browser.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'factorlab-report-gaps-'));
  const dates = Array.from({ length: 30 }, (_, t) => new Date(Date.UTC(2021, 0, 4 + t)).toISOString().slice(0, 10));
  // "beta" has no value on dates 10..19 (a hole in the middle), "other" has every value
  const beta = dates.map((_, t) => (t >= 10 && t < 20 ? null : 1 + 0.01 * t));
  const other = dates.map((_, t) => 0.5 + 0.01 * t);
  const s = seriesColumns(dates, [
    { name: 'beta', values: beta },
    { name: 'other', values: other },
  ]);
  const doc: ReportDocument = {
    kind: 'exposure-report',
    title: 'gaps',
    subtitle: '',
    headlines: [],
    sections: [
      {
        id: 's',
        title: 'S',
        blocks: [
          {
            kind: 'chart',
            id: 'lines',
            title: 'lines',
            spec: lineChart(s, { yTitle: 'beta', legend: 'factor' }),
            data: s.data,
            width: 'full',
          },
        ],
      },
    ],
    footer: '',
  };
  writeFileSync(join(dir, 'gaps.html'), await reportHtml(doc));
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a line with missing values', () => {
  it('is drawn in pieces, with nothing over the dates without a value', async () => {
    const { page, blocked, errors } = await openWatched(browser.context, pathToFileURL(join(dir, 'gaps.html')).href);
    try {
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      // the path of each series: "M" starts a piece
      const pieces = await page.evaluate<number[]>(
        `[...document.querySelectorAll('[data-chart="lines"] g.mark-line.role-mark path')].map((p) => (p.getAttribute('d').match(/M/g) || []).length)`,
      );
      expect(pieces.sort()).toEqual([1, 2]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
