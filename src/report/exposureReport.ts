/**
 * The exposure report (the seed's "fixed portfolio report", and more) as a {@link ReportDocument}:
 * headline numbers; exposures on the report date beside the equal-weighted combination of the same
 * holdings; exposures through time (rolling holdings' betas, and the portfolio's own rolling
 * regression when it was run); the variance decomposition (factor vs specific, per factor, Euler
 * contributions); the distributions of the holdings' weighted exposures; the per-asset fits
 * (sortable, filterable) with residual diagnostics; skipped assets, data-quality notes, and the
 * inputs. Reads the JSON the CLI writes (exposures/json.ts, exposures/report.ts); sections whose
 * data is not in the source say so.
 */
import type { ExposureFitJson } from '../exposures/json.js';
import type { ExposureReportData, SeriesData } from '../exposures/report.js';
import type { Block, ChartBlock, Columns, HeadlineNumber, ReportDocument, Section, TableBlock } from './document.js';
import { barChart, FORMAT, hoverLayer, lineChart, partColors, seriesColumns } from './specs.js';
import { formatCount, formatNumberText, formatPct, formatShare, shareFigure } from './format.js';

/** What an exposure report is built from. */
export interface ExposureReportSource {
  /** The fit (exposures/json.ts), with the run's notes. */
  fit: ExposureFitJson & { notes?: string[] };
  /** The report data (variance decomposition, distributions, ...), when computed. */
  report?: ExposureReportData | null;
  /** The portfolio's rolling exposures (rolling command: factors, covered_weight, assets_used, portfolio_*). */
  rolling?: (SeriesData & { window: number }) | null;
  /** What the portfolio is, in words ("equal-weighted portfolio of the 523 assets"). */
  portfolio: string;
  /** True when the portfolio is itself the equal-weighted combination (the comparison is then not drawn twice). */
  portfolioIsEqualWeight?: boolean;
  /** Inputs and options, as label/value pairs. */
  inputs?: { label: string; value: string }[];
  /** The program and version, for the footer. */
  generator?: string;
}

const EW = 'equal-weighted';
const PORTFOLIO = 'portfolio';
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function chart(
  id: string,
  title: string,
  spec: Record<string, unknown>,
  data: Columns,
  width: 'full' | 'half',
  caption?: string,
  empty?: string,
): ChartBlock {
  return {
    kind: 'chart',
    id,
    title,
    spec,
    data,
    width,
    ...(caption !== undefined ? { caption } : {}),
    ...(empty !== undefined ? { empty } : {}),
  };
}

function median(values: number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function exposuresOnDate(src: ExposureReportSource): Section {
  const { fit, report } = src;
  const factors = report?.factors ?? fit.factors;
  const data: Columns = { factor: [], who: [], exposure: [] };
  const push = (f: string, who: string, v: number): void => {
    data.factor.push(f);
    data.who.push(who);
    data.exposure.push(v);
  };
  let caption: string;
  if (report) {
    for (const f of factors) {
      push(f, PORTFOLIO, report.exposures.portfolio[f]);
      if (!src.portfolioIsEqualWeight) push(f, EW, report.exposures.equalWeight[f]);
    }
    caption =
      `b_f = Σ w_i·β_if over the ${report.coverage.covered} covered holdings (weights of ${report.weightsDate})` +
      (src.portfolioIsEqualWeight ? '; the portfolio is the equal-weighted combination itself' : `; ${EW}: the same holdings at 1/N`);
  } else {
    const fitted = fit.assets.length;
    for (const f of factors) {
      let s = 0,
        n = 0;
      for (const a of fit.assets) {
        const v = a.coef[f];
        if (finite(v)) {
          s += v;
          n++;
        }
      }
      push(f, EW, n > 0 ? s / n : NaN);
    }
    caption = `the mean beta of the ${fitted} fitted assets (their equal-weighted combination); this file has no portfolio weights`;
  }
  const table: TableBlock = {
    kind: 'table',
    id: 'exposures-table',
    title: 'Exposures (betas)',
    columns: [
      { key: 'factor', label: 'factor', format: 'text' },
      ...(report ? [{ key: 'p', label: PORTFOLIO, format: 'num' as const }] : []),
      ...(report && src.portfolioIsEqualWeight ? [] : [{ key: 'e', label: EW, format: 'num' as const }]),
    ],
    data: {
      factor: factors.slice(),
      ...(report ? { p: factors.map((f) => report.exposures.portfolio[f]) } : {}),
      e: factors.map((f, i) => (report ? report.exposures.equalWeight[f] : (data.exposure[i] as number))),
    },
  };
  return {
    id: 'exposures',
    title: `Factor exposures on ${report?.date ?? fit.dates.end ?? 'the last date'}`,
    intro:
      "Betas of the portfolio: the weighted sum of each holding's regression coefficients. A beta of 1 to the market moves one for one with it.",
    blocks: [
      chart(
        'exposures-bar',
        'Exposure to each factor',
        barChart({
          category: 'factor',
          categoryTitle: null,
          value: 'exposure',
          valueTitle: 'exposure (beta)',
          series: 'who',
          horizontal: true,
          sort: factors,
          seriesSort: [PORTFOLIO, EW],
          colors: ['#1f5fa8', '#a6bddb'],
        }),
        data,
        'half',
        caption,
      ),
      table,
    ],
  };
}

function throughTime(src: ExposureReportSource): Section {
  const { report, rolling } = src;
  const factors = report?.factors ?? src.fit.factors;
  const blocks: Block[] = [];
  const tt = report?.exposuresThroughTime;
  const rollingData: SeriesData | null = rolling ?? tt?.rolling ?? null;
  const window = rolling?.window;
  if (rollingData === null) {
    blocks.push(
      chart(
        'rolling',
        'Rolling exposures',
        {},
        {},
        'full',
        undefined,
        'Not in this result: exposures through time need a rolling regression. Run `factorlab rolling --weights FILE|equal --window N --report FILE.html` for them.',
      ),
    );
  } else {
    const series = factors.filter((f) => rollingData.columns[f] !== undefined).map((f) => ({ name: f, values: rollingData.columns[f] }));
    const anyValue = series.some((s) => s.values.some(finite));
    const s = seriesColumns(rollingData.dates, series);
    blocks.push(
      chart(
        'rolling',
        `Portfolio exposures through time${window ? ` (${window}-row windows)` : ''}`,
        lineChart(s, { yTitle: 'exposure (beta)', zero: true, legend: 'factor', height: 240 }),
        s.data,
        'full',
        "Σ w_i(t)·β_i(t): each holding's betas over the trailing window ending on the date, weighted by the weights held then.",
        anyValue ? undefined : 'No date has a full window yet: every rolling exposure is missing.',
      ),
    );
    const ewRolling = tt?.equalWeightRolling;
    if (ewRolling && !src.portfolioIsEqualWeight) {
      const e = seriesColumns(
        ewRolling.dates,
        factors.filter((f) => ewRolling.columns[f] !== undefined).map((f) => ({ name: f, values: ewRolling.columns[f] })),
      );
      blocks.push(
        chart(
          'rolling-ew',
          `${EW} combination through time`,
          lineChart(e, { yTitle: 'exposure (beta)', zero: true, legend: 'factor', height: 200 }),
          e.data,
          'full',
          'The same holdings at 1/N on each date, for comparison.',
        ),
      );
    }
    const own = factors.filter((f) => rollingData.columns[`portfolio_${f}`] !== undefined);
    if (own.length > 0) {
      const o = seriesColumns(
        rollingData.dates,
        own.map((f) => ({ name: f, values: rollingData.columns[`portfolio_${f}`] })),
      );
      const anyOwn = own.some((f) => rollingData.columns[`portfolio_${f}`].some(finite));
      blocks.push(
        chart(
          'rolling-own',
          "The portfolio's own rolling regression",
          lineChart(o, { yTitle: 'coefficient', zero: true, legend: 'factor', height: 220 }),
          o.data,
          'full',
          "The portfolio's return series r_p(t) = Σ w_i(t−1)·r_i(t) regressed on the factors over the same windows: what the returns say, beside what the holdings say.",
          anyOwn ? undefined : "The portfolio's own regression has no full window.",
        ),
      );
    }
    const cov = rollingData.columns.covered_weight;
    if (cov !== undefined) {
      const c = seriesColumns(rollingData.dates, [{ name: 'covered weight', values: cov }]);
      blocks.push(
        chart(
          'coverage',
          'Share of the weight with betas',
          lineChart(c, { yTitle: 'covered share of gross weight', yFormat: FORMAT.pct1, height: 120 }),
          c.data,
          'full',
          "Holdings without a full window of returns on a date have no beta and are left out of that date's exposure.",
        ),
      );
    }
  }
  return { id: 'through-time', title: 'Exposures through time', blocks };
}

function variance(src: ExposureReportSource): Section {
  const r = src.report;
  if (!r) {
    return {
      id: 'variance',
      title: 'Variance decomposition',
      blocks: [
        chart(
          'variance-shares',
          'Variance by source',
          {},
          {},
          'full',
          undefined,
          'Not in this result: the variance decomposition needs the factor returns. Run `factorlab exposures ... --report FILE.html` (or `--out fit.json --report-data`) to include it.',
        ),
      ],
    };
  }
  const vd = r.varianceDecomposition;
  const parts = [...r.factors, 'specific'];
  const who: [string, typeof vd.portfolio][] = src.portfolioIsEqualWeight
    ? [[PORTFOLIO, vd.portfolio]]
    : [
        [PORTFOLIO, vd.portfolio],
        [EW, vd.equalWeight],
      ];
  const shares: Columns = { who: [], source: [], share: [], vol: [] };
  for (const [name, d] of who) {
    for (const p of parts) {
      shares.who.push(name);
      shares.source.push(p);
      shares.share.push(p === 'specific' ? d.shares.specific : d.shares.factors[p]);
      shares.vol.push(p === 'specific' ? d.volatilityContributions.specific : d.volatilityContributions.factors[p]);
    }
  }
  const stack = {
    height: who.length * 46 + 10,
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'who', type: 'nominal', title: null, sort: who.map((w) => w[0]) },
      x: { field: 'share', type: 'quantitative', title: 'share of the total variance', axis: { format: '.0%' }, stack: 'zero' },
      color: {
        field: 'source',
        type: 'nominal',
        title: null,
        scale: {
          domain: parts,
          // one colour per factor (nine colours gave a tenth factor the grey of "specific"), grey for specific
          range: [...partColors(r.factors.length), '#c7c7c7'],
        },
      },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [
        { field: 'who', title: 'portfolio' },
        { field: 'source', title: 'source' },
        { field: 'share', type: 'quantitative', title: 'share of variance', format: '.2%' },
        { field: 'vol', type: 'quantitative', title: 'volatility contribution (annualised)', format: '.2%' },
      ],
    },
    params: [{ name: 'sources', value: parts }],
    transform: [{ calculate: 'indexof(sources, datum.source)', as: 'order' }],
  };
  const volData: Columns = {
    source: shares.source.slice(0, parts.length),
    who: shares.who.slice(0, parts.length),
    vol: shares.vol.slice(0, parts.length),
  };
  if (!src.portfolioIsEqualWeight) {
    volData.source.push(...shares.source.slice(parts.length));
    volData.who.push(...shares.who.slice(parts.length));
    volData.vol.push(...shares.vol.slice(parts.length));
  }
  const p = vd.portfolio;
  const table: TableBlock = {
    kind: 'table',
    id: 'variance-table',
    title: 'Decomposition (annualised volatility, Euler contributions)',
    columns: [
      { key: 'source', label: 'source', format: 'text' },
      { key: 'pshare', label: 'share of variance', format: 'pct' },
      { key: 'pvol', label: 'vol contribution', format: 'pct' },
      ...(src.portfolioIsEqualWeight
        ? []
        : [
            { key: 'eshare', label: `${EW}: share`, format: 'pct' as const },
            { key: 'evol', label: `${EW}: vol contribution`, format: 'pct' as const },
          ]),
    ],
    data: {
      source: [...parts, 'total'],
      // the table prints them (noise as 0: "-0.00%" otherwise); the chart's data keep them as computed
      pshare: [...parts.map((q) => shareFigure(q === 'specific' ? p.shares.specific : p.shares.factors[q])), 1],
      pvol: [
        ...parts.map((q) => (q === 'specific' ? p.volatilityContributions.specific : p.volatilityContributions.factors[q])),
        p.volatility.total,
      ],
      ...(src.portfolioIsEqualWeight
        ? {}
        : {
            eshare: [
              ...parts.map((q) => shareFigure(q === 'specific' ? vd.equalWeight.shares.specific : vd.equalWeight.shares.factors[q])),
              1,
            ],
            evol: [
              ...parts.map((q) =>
                q === 'specific' ? vd.equalWeight.volatilityContributions.specific : vd.equalWeight.volatilityContributions.factors[q],
              ),
              vd.equalWeight.volatility.total,
            ],
          }),
    },
  };
  return {
    id: 'variance',
    title: 'Variance decomposition',
    intro: `Total variance = b'Σb (factors) + Σ w_i²σ_i² (specific), with Σ the factor covariance over ${vd.covariance.start} .. ${vd.covariance.end} (${vd.covariance.nobs} ${vd.frequency} rows) and σ_i² each holding's residual variance. Annualised with ${vd.periodsPerYear} periods a year.`,
    blocks: [
      chart(
        'variance-shares',
        'Where the variance comes from',
        stack,
        shares,
        'full',
        `Factor f's share is its Euler contribution b_f·(Σb)_f over the total; the shares sum to 100%. Portfolio volatility ${formatPct(p.volatility.total, 1)} a year, ${formatShare(p.shares.systematic)} of the variance from the factors.`,
      ),
      chart(
        'variance-vol',
        'Volatility contributions (annualised)',
        barChart({
          category: 'source',
          categoryTitle: null,
          value: 'vol',
          valueTitle: 'contribution to annualised volatility',
          valueFormat: '.1%',
          series: src.portfolioIsEqualWeight ? undefined : 'who',
          seriesSort: [PORTFOLIO, EW],
          colors: ['#1f5fa8', '#a6bddb'],
          horizontal: true,
          sort: parts,
          signColor: src.portfolioIsEqualWeight,
        }),
        volData,
        'half',
        'Euler contributions to volatility: they add up to the total; a negative one hedges.',
      ),
      table,
    ],
  };
}

function distributions(src: ExposureReportSource): Section {
  const r = src.report;
  if (!r) {
    return {
      id: 'distributions',
      title: 'Weighted exposures of the holdings',
      blocks: [
        chart(
          'densities',
          'Densities of w_i·β_i',
          {},
          {},
          'full',
          undefined,
          "Not in this result: the holdings' weighted exposures come with the report data (`--report` or `--report-data`).",
        ),
      ],
    };
  }
  const data: Columns = { factor: [], x: [], density: [], who: [], order: [] };
  const kinds: [string, 'portfolio' | 'equalWeight'][] = src.portfolioIsEqualWeight
    ? [[PORTFOLIO, 'portfolio']]
    : [
        [PORTFOLIO, 'portfolio'],
        [EW, 'equalWeight'],
      ];
  let any = false;
  for (const d of r.distributions) {
    for (const [name, key] of kinds) {
      const k = d[key].kde;
      if (!k || k.x.length === 0) continue;
      const order = r.factors.indexOf(d.factor);
      for (let i = 0; i < k.x.length; i++) {
        data.factor.push(d.factor);
        data.x.push(k.x[i]);
        data.density.push(k.density[i]);
        data.who.push(name);
        data.order.push(order);
        any = true;
      }
    }
  }
  const spec = {
    // panels in the factors' order (a sort field, not a sort array: see template.ts)
    facet: { field: 'factor', type: 'nominal', title: null, sort: { field: 'order', op: 'min' } },
    columns: 3,
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 235,
      height: 110,
      layer: [
        {
          mark: { type: 'area', opacity: 0.25, interpolate: 'monotone' },
          encoding: {
            x: {
              field: 'x',
              type: 'quantitative',
              title: 'w·β (weight × beta)',
              axis: { format: '.2~%', tickCount: 4, labelOverlap: true, labelSeparation: 6 },
            },
            y: { field: 'density', type: 'quantitative', title: 'density', axis: { format: '~s', tickCount: 3 } },
            color: { field: 'who', type: 'nominal', title: null, sort: [PORTFOLIO, EW], scale: { range: ['#1f5fa8', '#a6bddb'] } },
          },
        },
        {
          mark: { type: 'line', interpolate: 'monotone' },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'density', type: 'quantitative' },
            color: { field: 'who', type: 'nominal', sort: [PORTFOLIO, EW] },
          },
        },
        hoverLayer({
          mark: { type: 'point', size: 30, filled: true },
          params: [{ name: 'near', select: { type: 'point', encodings: ['x'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'density', type: 'quantitative' },
            color: { field: 'who', type: 'nominal', sort: [PORTFOLIO, EW] },
            opacity: { condition: { param: 'near', empty: false, value: 1 }, value: 0 },
            tooltip: [
              { field: 'factor' },
              { field: 'who', title: 'portfolio' },
              { field: 'x', type: 'quantitative', title: 'w·β', format: '.3~%' },
              { field: 'density', type: 'quantitative', format: ',.4~g' },
            ],
          },
        }),
      ],
    },
  };
  const top = r.topContributors.portfolio;
  const rows: Columns = { factor: [], asset: [], weight: [], beta: [], we: [], share: [], vshare: [] };
  for (const f of r.factors) {
    for (const c of (top[f] ?? []).slice(0, 5)) {
      rows.factor.push(f);
      rows.asset.push(c.asset);
      rows.weight.push(c.weight);
      rows.beta.push(c.beta);
      rows.we.push(c.weightedExposure);
      rows.share.push(c.exposureShare);
      rows.vshare.push(c.varianceShare);
    }
  }
  return {
    id: 'distributions',
    title: 'Weighted exposures of the holdings',
    intro:
      "How each factor exposure is spread over the holdings: the density of w_i·β_if (Gaussian kernel, Scott's bandwidth). A narrow peak means many small contributions; a long tail, a few names that drive the exposure.",
    blocks: [
      chart(
        'densities',
        "Densities of the holdings' weighted exposures, per factor",
        spec,
        data,
        'full',
        undefined,
        any ? undefined : 'Fewer than two covered holdings: no density can be drawn.',
      ),
      {
        kind: 'table',
        id: 'top-contributors',
        title: 'Largest contributors to each exposure (portfolio)',
        columns: [
          { key: 'factor', label: 'factor', format: 'text' },
          { key: 'asset', label: 'asset', format: 'text' },
          { key: 'weight', label: 'weight', format: 'pct' },
          { key: 'beta', label: 'beta', format: 'num' },
          { key: 'we', label: 'w·β', format: 'num' },
          { key: 'share', label: 'share of exposure', format: 'pct' },
          { key: 'vshare', label: 'share of factor variance', format: 'pct' },
        ],
        data: rows,
        interactive: true,
      },
    ],
  };
}

function perAsset(src: ExposureReportSource): Section {
  const { fit } = src;
  const coefs = fit.includeConstant ? ['const', ...fit.factors] : fit.factors.slice();
  const cross = Object.keys(Object.values(fit.exposures)[0] ?? {}).filter((k) => !fit.factors.includes(k));
  const data: Columns = { asset: [], nobs: [] };
  for (const c of coefs) {
    data[`b_${c}`] = [];
    data[`t_${c}`] = [];
  }
  for (const c of cross) data[`x_${c}`] = [];
  data.r2 = [];
  data.vol = [];
  for (const a of fit.assets) {
    data.asset.push(a.asset);
    data.nobs.push(a.nobs);
    for (const c of coefs) {
      data[`b_${c}`].push(a.coef[c] ?? null);
      data[`t_${c}`].push((a.nw?.t ?? a.t)[c] ?? null);
    }
    for (const c of cross) data[`x_${c}`].push(fit.exposures[a.asset]?.[c] ?? null);
    data.r2.push(a.r2);
    data.vol.push(a.residualVol);
  }
  const tLabel = fit.assets.some((a) => a.nw !== undefined) ? 'NW t' : 't';
  const columns: TableBlock['columns'] = [
    { key: 'asset', label: 'asset', format: 'text' },
    { key: 'nobs', label: 'obs', format: 'int' },
    ...coefs.flatMap((c) => [
      { key: `b_${c}`, label: c === 'const' ? 'alpha' : c, format: 'num' as const },
      ...(fit.method === 'ols' ? [{ key: `t_${c}`, label: `${tLabel} ${c === 'const' ? 'alpha' : c}`, format: 'num' as const }] : []),
    ]),
    ...cross.map((c) => ({ key: `x_${c}`, label: c, format: 'num' as const })),
    { key: 'r2', label: 'R²', format: 'num' },
    { key: 'vol', label: 'resid. vol (per period)', format: 'num' },
  ];
  const diag: Columns = { asset: data.asset, r2: data.r2, vol: data.vol };
  const hist = (field: string, title: string, format: string): Record<string, unknown> => ({
    height: 160,
    transform: [
      { filter: `isValid(datum.${field})` },
      { bin: { maxbins: 30 }, field, as: ['lo', 'hi'] },
      { aggregate: [{ op: 'count', as: 'assets' }], groupby: ['lo', 'hi'] },
    ],
    mark: { type: 'bar', color: '#6b8fbf' },
    encoding: {
      x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title, axis: { format } },
      x2: { field: 'hi' },
      y: { field: 'assets', type: 'quantitative', title: 'assets' },
      tooltip: [
        { field: 'lo', type: 'quantitative', title: 'from', format },
        { field: 'hi', type: 'quantitative', title: 'to', format },
        { field: 'assets', type: 'quantitative', title: 'assets' },
      ],
    },
  });
  const blocks: Block[] = [
    {
      kind: 'table',
      id: 'assets',
      title: `Every fitted asset (${fit.assets.length})`,
      caption: `Coefficients${fit.method === 'ols' ? ` and ${tLabel}-values` : ''} of ${fit.method === 'ols' ? 'OLS' : fit.method}; alpha and the residual volatility are per period of the returns, not annualised; click a header to sort, type to filter.`,
      columns,
      data,
      interactive: true,
    },
    chart(
      'r2-hist',
      'How much the factors explain (R² across assets)',
      hist('r2', 'R²', '.0%'),
      diag,
      'half',
      `Median R² ${formatPct(median(data.r2 as number[]), 0)}.`,
      fit.assets.length === 0 ? 'No asset was fitted.' : undefined,
    ),
    chart(
      'vol-hist',
      'Residual volatility across assets',
      hist('vol', 'residual volatility per period', '.2%'),
      diag,
      'half',
      "Standard deviation of each asset's regression residuals (per period, not annualised).",
      fit.assets.length === 0 ? 'No asset was fitted.' : undefined,
    ),
  ];
  return { id: 'assets', title: 'Per-asset regressions', blocks };
}

function dataQuality(src: ExposureReportSource): Section {
  const { fit } = src;
  const blocks: Block[] = [];
  const notes = fit.notes ?? [];
  blocks.push({ kind: 'text', paragraphs: notes.length > 0 ? notes : ['No data-quality finding and no note from the run.'] });
  const skipped: TableBlock = {
    kind: 'table',
    id: 'skipped',
    title: `Assets not fitted (${fit.skipped.length})`,
    columns: [
      { key: 'asset', label: 'asset', format: 'text' },
      { key: 'reason', label: 'reason', format: 'text' },
    ],
    data: { asset: fit.skipped.map((s) => s.asset), reason: fit.skipped.map((s) => s.reason) },
    ...(fit.skipped.length === 0 ? { empty: 'Every asset was fitted.' } : { interactive: fit.skipped.length > 20 }),
  };
  blocks.push(skipped);
  if (fit.issues.length > 0) {
    blocks.push({
      kind: 'table',
      id: 'issues',
      title: `Regressors dropped for some assets (${fit.issues.length})`,
      columns: [
        { key: 'asset', label: 'asset', format: 'text' },
        { key: 'what', label: 'dropped', format: 'text' },
      ],
      data: {
        asset: fit.issues.map((s) => s.asset),
        what: fit.issues.map((s) =>
          [...s.constant.map((c) => `${c} (constant)`), ...s.collinear.map((c) => `${c} (collinear)`)].join(', '),
        ),
      },
      interactive: fit.issues.length > 20,
    });
  }
  if (src.report && src.report.coverage.excluded.length > 0) {
    const ex = src.report.coverage.excluded;
    blocks.push({
      kind: 'table',
      id: 'excluded',
      title: `Holdings left out of the decomposition (${ex.length})`,
      columns: [
        { key: 'asset', label: 'asset', format: 'text' },
        { key: 'weight', label: 'weight', format: 'pct' },
        { key: 'reason', label: 'reason', format: 'text' },
      ],
      data: { asset: ex.map((e) => e.asset), weight: ex.map((e) => e.weight), reason: ex.map((e) => e.reason) },
      interactive: ex.length > 20,
    });
  }
  const inputs = src.inputs ?? [];
  const opts = [
    {
      label: 'method',
      value: fit.method === 'ols' ? 'OLS' : `${fit.method} (l1 ${fit.l1}, l2 ${fit.l2}${fit.normalize ? ', standardised regressors' : ''})`,
    },
    { label: 'factors', value: fit.factors.join(', ') },
    { label: 'constant', value: fit.includeConstant ? 'yes' : 'no' },
    { label: 'risk-free rate', value: fit.riskFree ?? 'none' },
    { label: 'sample', value: `${fit.dates.start ?? '-'} .. ${fit.dates.end ?? '-'} (${fit.dates.count} dates)` },
    { label: 'fewest observations', value: String(fit.minObs) },
  ];
  blocks.push({
    kind: 'table',
    id: 'inputs',
    title: 'Inputs and options',
    columns: [
      { key: 'label', label: '', format: 'text' },
      { key: 'value', label: '', format: 'text' },
    ],
    data: { label: [...inputs, ...opts].map((x) => x.label), value: [...inputs, ...opts].map((x) => x.value) },
  });
  return { id: 'quality', title: 'Data quality, inputs and options', blocks };
}

function headlines(src: ExposureReportSource): HeadlineNumber[] {
  const { fit, report } = src;
  const out: HeadlineNumber[] = [];
  if (report) {
    const p = report.varianceDecomposition.portfolio;
    out.push({
      label: 'holdings with betas',
      value: `${formatCount(report.coverage.covered)} of ${formatCount(report.coverage.holdings)}`,
      detail: `${formatShare(report.coverage.coveredGrossShare)} of the gross weight`,
    });
    out.push({
      label: 'volatility (annualised)',
      value: formatPct(p.volatility.total, 1),
      detail: `factors ${formatPct(p.volatility.systematic, 1)}, specific ${formatPct(p.volatility.specific, 1)}`,
    });
    out.push({
      label: 'variance from factors',
      value: formatShare(p.shares.systematic),
      detail: `specific ${formatShare(p.shares.specific)}`,
    });
    const biggest = [...report.factors].sort(
      (a, b) => Math.abs(report.exposures.portfolio[b]) - Math.abs(report.exposures.portfolio[a]),
    )[0];
    if (biggest !== undefined)
      out.push({
        label: 'largest exposure',
        value: `${biggest} ${formatNumberText(report.exposures.portfolio[biggest], 2)}`,
        detail: `on ${report.date}`,
      });
  } else {
    out.push({ label: 'assets fitted', value: formatCount(fit.assets.length), detail: `${formatCount(fit.skipped.length)} skipped` });
  }
  out.push({
    label: 'median R² of the holdings',
    value: formatPct(median(fit.assets.map((a) => a.r2 ?? NaN)), 0),
    detail: `${formatCount(fit.assets.length)} regressions`,
  });
  out.push({
    label: 'sample',
    value: `${fit.dates.count.toLocaleString('en-US')} dates`,
    detail: `${fit.dates.start ?? '-'} .. ${fit.dates.end ?? '-'}`,
  });
  return out;
}

/** The exposure report document. */
export function exposureReportDocument(src: ExposureReportSource): ReportDocument {
  const fit = src.fit;
  return {
    kind: 'exposure-report',
    title: `Factor exposures: ${src.portfolio}`,
    subtitle: `${fit.method === 'ols' ? 'OLS' : fit.method} of excess returns on ${fit.factors.join(', ')}, ${fit.dates.start ?? '-'} .. ${fit.dates.end ?? '-'}${src.report ? `; report date ${src.report.date}` : ''}`,
    headlines: headlines(src),
    sections: [exposuresOnDate(src), throughTime(src), variance(src), distributions(src), perAsset(src), dataQuality(src)],
    footer: `${src.generator ?? 'factorlab'}. Numbers in charts and tables are rounded to 6 significant digits; the result JSON has them in full.`,
  };
}
