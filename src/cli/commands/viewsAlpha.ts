/**
 * `optimize --views`: the alpha of a Black–Litterman posterior (portfolio blackLitterman.ts) on the
 * optimiser's own risk model.
 *
 * - Σ is the risk model's B·F·Bᵀ + D, annualised (× its periods a year): views and the prior are
 *   expected returns a year, as in PyPortfolioOpt, in excess of the risk-free rate (the risk
 *   model's returns have it subtracted; PyPortfolioOpt adds rf to its prior instead): a note says
 *   so with rf's size. Notes also flag an implied δ outside 1 .. 10 and views whose weights sum to
 *   neither 0 nor 1 or exceed 1 in size (percent).
 * - The market portfolio w_mkt: `--market-caps` (capitalisations or weights, normalised; names of
 *   the risk model absent from it weigh 0), else the `--benchmark` weights (`equal`: equal weights
 *   over the names that can be traded).
 * - δ: `--market-risk-aversion`, else implied by the market factor of `--factors` over the fit
 *   window: mean / variance (ddof 1) of its return in excess of the risk-free rate (a column named
 *   mkt_rf, mkt-rf, mktrf, market_rf or excess_market; a column named mkt or market has the
 *   risk-free column subtracted). PyPortfolioOpt's market_implied_risk_aversion with rf 0 on excess
 *   returns: (P·mean − 0) / (P·var).
 * - π = δ·Σ·w_mkt, the posterior μ, and the optimiser's alpha μ / P (per period, the risk model's
 *   unit). The optimiser's γ defaults to δ: then ½·δ·wᵀΣw − μᵀw (per period, P times smaller, the
 *   same argmin) is the Black–Litterman investor's utility, and with no views the unconstrained
 *   optimum is w_mkt itself.
 */
import { InputError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { formatIsoDate } from '../../core/dates.js';
import { lowerBound } from '../../core/calendar.js';
import { assetNamesHint } from '../../core/assetNames.js';
import {
  blackLitterman,
  marketImpliedPrior,
  marketImpliedRiskAversion,
  riskModelCovariance,
  type BlackLittermanReport,
  type BlackLittermanView,
} from '../../portfolio/blackLitterman.js';
import type { RiskModel } from '../../portfolio/riskModel.js';
import type { AssetValues } from '../assetValues.js';
import { formatNumber, plural } from '../format.js';
import type { ViewSpec } from '../views.js';

/** What `optimize --views` reports (the JSON's `blackLitterman`). */
export type ViewsSummary = BlackLittermanReport;

const EXCESS = /^(mkt[-_ ]?rf|mktrf|market[-_ ]?rf|excess[-_ ]?market|mkt[-_ ]?excess|market[-_ ]?excess)$/i;
const RAW = /^(mkt|market)$/i;
/** The range of δ called usual (a note outside it): a long-run market of 6% a year over a 16% volatility is 2.3. */
const DELTA_USUAL = [1, 10] as const;

/** δ implied by the market factor over [start, end] (module doc), or null when there is none. */
function impliedDelta(
  frame: Frame,
  factors: readonly string[],
  riskFree: string | undefined,
  start: number,
  end: number,
  periodsPerYear: number,
): { delta: number; source: string } | null {
  const name = factors.find((f) => EXCESS.test(f)) ?? factors.find((f) => RAW.test(f));
  if (name === undefined) return null;
  const col = frame.series[frame.columnIndex(name)];
  const rfCol = RAW.test(name) && riskFree !== undefined ? frame.series[frame.columnIndex(riskFree)] : undefined;
  if (RAW.test(name) && rfCol === undefined) return null;
  const a = lowerBound(frame.dates, start),
    b = lowerBound(frame.dates, end + 1);
  const r: number[] = [];
  for (let t = a; t < b; t++) {
    const v = rfCol === undefined ? col[t] : col[t] - rfCol[t];
    if (Number.isFinite(v)) r.push(v);
  }
  if (r.length < 2) return null;
  const delta = marketImpliedRiskAversion(r, periodsPerYear);
  if (!(delta > 0))
    throw new InputError(
      `the market factor ${name} returned ${formatNumber((r.reduce((s, x) => s + x, 0) / r.length) * periodsPerYear * 100, 4)}% a year over the fit window (${formatIsoDate(start)} .. ${formatIsoDate(end)}), so the risk aversion it implies, ${formatNumber(delta, 4)}, is not positive and there is no market prior`,
      { hint: 'give the market price of risk with --market-risk-aversion (2.5 is usual), or a fit window in which the market rose' },
    );
  return {
    delta,
    source: `implied by ${name}${rfCol !== undefined ? ` − ${riskFree}` : ''} over ${formatIsoDate(start)} .. ${formatIsoDate(end)} (${r.length} dates): mean / variance of its excess return`,
  };
}

export interface ViewsAlphaInput {
  model: RiskModel;
  views: readonly ViewSpec[];
  viewsFile: string;
  marketCaps?: AssetValues;
  /** The --benchmark weights aligned to the risk model, when --market-caps is not given. */
  benchmark?: Float64Array;
  benchmarkName?: string;
  tau?: number;
  delta?: number;
  factorFrame: Frame;
  riskFree: string | undefined;
  windowStart: number;
  windowEnd: number;
}

/** The posterior alpha per period and its summary (module doc); notes are pushed to `notes`. */
export function viewsAlpha(x: ViewsAlphaInput, notes: string[]): { alpha: Float64Array; delta: number; summary: ViewsSummary } {
  const m = x.model;
  const n = m.assets.length;
  const index = new Map(m.assets.map((a, i) => [a, i]));
  // the market portfolio
  let w: Float64Array;
  let market: string;
  if (x.marketCaps !== undefined) {
    w = new Float64Array(n);
    const missing: string[] = [];
    for (const [asset, v] of x.marketCaps.values) {
      const i = index.get(asset);
      if (i === undefined) {
        if (v !== 0) missing.push(asset);
      } else w[i] = v;
    }
    const known = n - w.filter((v) => v === 0).length;
    const zero = [...x.marketCaps.values].filter(([a, v]) => v === 0 && index.has(a)).length;
    if (known === 0 && zero > 0)
      throw new InputError(
        `every name of --market-caps in the risk model (${plural(zero, 'name')}) has a market cap of 0, so there is no market portfolio for the prior`,
        {
          file: x.marketCaps.file,
          hint: 'give each name its market capitalisation (or its weight in the market portfolio), not 0',
        },
      );
    if (known === 0)
      throw new InputError(`no asset of --market-caps is in the risk model, so there is no market portfolio for the prior`, {
        file: x.marketCaps.file,
        hint: assetNamesHint(
          [...x.marketCaps.values.keys()],
          m.assets,
          '--market-caps',
          'the risk model',
          'give the capitalisations of the names of --prices / --returns, spelled exactly',
        ),
      });
    market = `--market-caps ${x.marketCaps.file}: ${known} of the risk model's ${n} names, normalised to sum to 1`;
    if (missing.length > 0)
      notes.push(
        `views: ${plural(missing.length, 'name')} of --market-caps not in the risk model, left out of the market portfolio: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}`,
      );
    if (known < n)
      notes.push(
        `views: ${plural(n - known, 'name')} of the risk model without a market cap weigh 0 in the market portfolio (the prior's only source of their returns is their covariance with it)`,
      );
  } else if (x.benchmark !== undefined) {
    w = x.benchmark;
    market = `the --benchmark weights (${x.benchmarkName ?? 'benchmark'})`;
  } else
    throw new InputError('--views blends the views with the returns the market portfolio implies, and there is no market portfolio', {
      hint: "give the names' capitalisations with --market-caps FILE (asset,cap), or the market's weights with --benchmark FILE (with --max-sharpe, which takes no benchmark, --market-caps: a benchmark's weights as asset,cap do)",
    });
  // δ
  let delta: number, deltaSource: string;
  if (x.delta !== undefined) {
    delta = x.delta;
    deltaSource = 'given (--market-risk-aversion)';
  } else {
    const implied = impliedDelta(x.factorFrame, m.factors, x.riskFree, x.windowStart, x.windowEnd, m.periodsPerYear);
    if (implied === null)
      throw new InputError(
        `--views needs the market's risk aversion δ, and none of the factors (${m.factors.join(', ')}) is the market's excess return to imply it from`,
        {
          hint: "give it with --market-risk-aversion (2.5 is usual; PyPortfolioOpt's market_implied_risk_aversion of an index), or include the market factor (mkt_rf)",
        },
      );
    ({ delta, source: deltaSource } = implied);
    // the market's mean / variance over a few years is mostly noise (a calm rally gives 20, a flat
    // year 0.1): the prior scales with δ, but with γ = δ the book's tilt toward the views scales as
    // 1/δ, so a δ far from the usual 2–4 makes the views' bets many times larger or smaller
    if (delta < DELTA_USUAL[0] || delta > DELTA_USUAL[1])
      notes.push(
        `views: the market's risk aversion implied over the fit window, δ ${formatNumber(delta, 4)}, is outside the usual ${DELTA_USUAL[0]} .. ${DELTA_USUAL[1]} (2.5 is common): the tilt toward the views scales as 1/δ, so they weigh ${delta < DELTA_USUAL[0] ? 'many times more' : 'many times less'} than with a long-run δ; --market-risk-aversion 2.5 sets it`,
      );
  }
  // the prior is in excess of the risk-free rate (the risk model's returns have it subtracted), so
  // the views are too: a total return stated as a view would be read rf too high, said with rf's size
  if (x.riskFree !== undefined && x.factorFrame.columns.includes(x.riskFree)) {
    const rf = x.factorFrame.series[x.factorFrame.columnIndex(x.riskFree)];
    const a = lowerBound(x.factorFrame.dates, x.windowStart),
      b = lowerBound(x.factorFrame.dates, x.windowEnd + 1);
    let sum = 0,
      count = 0;
    for (let t = a; t < b; t++)
      if (Number.isFinite(rf[t])) {
        sum += rf[t];
        count++;
      }
    if (count > 0) {
      const year = (sum / count) * m.periodsPerYear;
      notes.push(
        `views: read as expected returns in excess of the risk-free rate, as the prior δ·Σ·w_mkt is (the returns have ${x.riskFree} subtracted; it averaged ${formatNumber(year * 100, 3)}% a year over the fit window): for a total return of 10% a year write ${formatNumber(0.1 - year, 3)}`,
      );
    }
  }
  // the views on the risk model's names
  const bad: { asset: string; view: string; line: number }[] = [];
  const views: BlackLittermanView[] = x.views.map((v) => {
    const assets: number[] = [],
      weights: number[] = [];
    for (const e of v.entries) {
      const i = index.get(e.asset);
      if (i === undefined) bad.push({ asset: e.asset, view: v.name, line: e.line });
      else {
        assets.push(i);
        weights.push(e.weight);
      }
    }
    return { name: v.name, assets, weights, value: v.value, ...(v.confidence !== undefined ? { confidence: v.confidence } : {}) };
  });
  if (bad.length > 0)
    throw new InputError(
      `${plural(bad.length, 'asset')} of the views ${bad.length === 1 ? 'is' : 'are'} not in the risk model (no returns or too few in the fit window): ${bad
        .slice(0, 5)
        .map((b) => `${b.asset} (view ${b.view})`)
        .join(', ')}${bad.length > 5 ? ', ...' : ''}`,
      {
        file: x.viewsFile,
        line: bad[0].line,
        asset: bad[0].asset,
        hint: assetNamesHint(
          bad.map((b) => b.asset),
          m.assets,
          '--views',
          'the risk model',
          'drop those views, or widen the fit window so the names are fitted',
        ),
      },
    );
  // a view on several names whose weights sum to neither 0 (relative: A beats B is A 1, B −1) nor 1
  // (absolute: a portfolio) is read as stated, but is most often a sign slipped: said
  const odd = views.flatMap((v) => {
    const sum = v.weights.reduce((s, x) => s + x, 0);
    return v.weights.length > 1 && Math.abs(sum) > 1e-9 && Math.abs(sum - 1) > 1e-9 ? [`${v.name} (${formatNumber(sum, 6)})`] : [];
  });
  if (odd.length > 0)
    notes.push(
      `views: the weights of ${odd.length === 1 ? 'view' : 'views'} ${odd.join(', ')} sum to neither 0 (a relative view: A beats B is A 1, B −1) nor 1 (an absolute view on a portfolio); read as stated, the return of that many units of the portfolio`,
    );
  // weights above 1 in size (50, 50, −100: percent) make the stated return that of a portfolio 100
  // times as large, so the view asks 100 times less of each name: read as stated, and said
  const large = views.filter((v) => v.weights.some((x) => Math.abs(x) > 1)).map((v) => v.name ?? '');
  if (large.length > 0)
    notes.push(
      `views: ${large.length === 1 ? 'view' : 'views'} ${large.slice(0, 5).join(', ')}${large.length > 5 ? ', ...' : ''} ${large.length === 1 ? 'has' : 'have'} a weight above 1 in size, read as units of the name (the view's return is that of the whole portfolio), not percent: write 0.5 for 50%`,
    );
  const cov = riskModelCovariance(m);
  const prior = marketImpliedPrior(cov, w, delta);
  const r = blackLitterman({ cov, prior, views, ...(x.tau !== undefined ? { tau: x.tau } : {}) });
  const total = w.reduce((s, v) => s + v, 0);
  const P = m.periodsPerYear;
  const alpha = r.posterior.map((v) => v / P);
  const ignored = r.views.filter((v) => v.omega === null).map((v) => v.name);
  if (ignored.length > 0)
    notes.push(`views: ${ignored.join(', ')} at confidence 0 ${ignored.length === 1 ? 'has' : 'have'} no effect (left out)`);
  return {
    alpha,
    delta,
    summary: {
      tau: r.tau,
      delta,
      deltaSource,
      market,
      periodsPerYear: P,
      views: r.views,
      returns: m.assets.map((asset, i) => ({ asset, marketWeight: w[i] / total, prior: r.prior[i], posterior: r.posterior[i] })),
    },
  };
}
