/**
 * The exposure report's variance shares as printed: a share that is rounding noise (a book neutral
 * to every factor has a factor share of ~1e-30) is 0%, not "<0.1%"; a real small share keeps "<0.1%".
 */
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { FactorExposures } from '../exposures/factorExposures.js';
import { exposureFitToJson } from '../exposures/json.js';
import { exposureReportData } from '../exposures/report.js';
import type { TableBlock } from './document.js';
import { exposureReportDocument, type ExposureReportSource } from './exposureReport.js';

/** A small fit (two factors, three assets) and its report data, read back from JSON as the CLI's report source is. */
function source(): ExposureReportSource {
  const n = 60;
  const dates = calendarFromIso(Array.from({ length: n }, (_, t) => new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10)));
  const f1 = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.sin(t * 1.1));
  const f2 = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.cos(t * 0.37));
  const factors = new Frame(dates, ['f1', 'f2'], [f1, f2]);
  const returns = Panel.fromColumns(dates, {
    A: Float64Array.from({ length: n }, (_, t) => 1.1 * f1[t] + 0.2 * f2[t] + 0.002 * Math.sin(t * 2.9)),
    B: Float64Array.from({ length: n }, (_, t) => 0.5 * f1[t] - 1 * f2[t] + 0.003 * Math.cos(t * 1.7)),
    C: Float64Array.from({ length: n }, (_, t) => 2 * f1[t] + 1 * f2[t] + 0.001 * Math.sin(t * 0.9)),
  });
  const fit = new FactorExposures().addRegressionFactors(factors).fit(returns);
  const report = exposureReportData({
    date: '2024-02-29',
    factors,
    factorNames: ['f1', 'f2'],
    assets: ['A', 'B', 'C'],
    betas: Float64Array.from([1.1, 0.2, 0.5, -1, 2, 1]),
    specificVariance: Float64Array.from([4e-6, 9e-6, 1e-6]),
    weights: Float64Array.from([0.5, 0.3, 0.2]),
  });
  return JSON.parse(JSON.stringify({ fit: exposureFitToJson(fit), report, portfolio: 'a test book' })) as ExposureReportSource;
}

describe('exposureReportDocument: variance shares', () => {
  it('a neutral book: the factors\' share of rounding noise is "0%" in the headline and the caption, 0 in the table (it was "<0.1%")', () => {
    const src = source();
    const p = src.report!.varianceDecomposition.portfolio;
    p.shares.factors.f1 = 1e-30;
    p.shares.factors.f2 = -1e-30;
    p.shares.systematic = 1e-30;
    p.shares.specific = 1;
    const doc = exposureReportDocument(src);
    const tile = doc.headlines.find((h) => h.label === 'variance from factors')!;
    expect(tile.value).toBe('0%');
    expect(tile.detail).toBe('specific 100%');
    const section = doc.sections.find((s) => s.id === 'variance')!;
    const chart = section.blocks.find((b) => b.kind === 'chart' && b.id === 'variance-shares') as { caption?: string };
    expect(chart.caption).toContain(', 0% of the variance from the factors.');
    const table = section.blocks.find((b) => b.kind === 'table') as TableBlock;
    expect(table.data.source).toEqual(['f1', 'f2', 'specific', 'total']);
    expect(table.data.pshare).toEqual([0, 0, 1, 1]);
  });

  it('a real small share is still "<0.1%" (and its table value as computed)', () => {
    const src = source();
    const p = src.report!.varianceDecomposition.portfolio;
    p.shares.factors.f1 = 6e-5;
    p.shares.factors.f2 = 4e-5;
    p.shares.systematic = 1e-4;
    p.shares.specific = 1 - 1e-4;
    const doc = exposureReportDocument(src);
    const tile = doc.headlines.find((h) => h.label === 'variance from factors')!;
    expect(tile.value).toBe('<0.1%');
    expect(tile.detail).toBe('specific >99.9%');
    const table = doc.sections.find((s) => s.id === 'variance')!.blocks.find((b) => b.kind === 'table') as TableBlock;
    expect(table.data.pshare).toEqual([6e-5, 4e-5, 1 - 1e-4, 1]);
  });
});
